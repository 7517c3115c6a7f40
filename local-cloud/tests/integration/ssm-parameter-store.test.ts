import {
  DeleteParameterCommand,
  DeleteParametersCommand,
  DescribeParametersCommand,
  GetParameterCommand,
  GetParameterHistoryCommand,
  GetParametersByPathCommand,
  GetParametersCommand,
  LabelParameterVersionCommand,
  PutParameterCommand,
  paginateGetParametersByPath,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { type LocalEndpoint, startLocalEndpoint } from "../../src/endpoint/server";
import { createSsmService } from "../../src/ssm/ssm-service";

const credentials = { accessKeyId: "local", secretAccessKey: "local" };
let endpoint: LocalEndpoint;
let now = 1_700_000_000_000;
let ssm: SSMClient;
let ssmEu: SSMClient;

const errorName = async (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => "no error",
    (error: Error) => error.name,
  );

beforeAll(async () => {
  endpoint = await startLocalEndpoint({ port: 0, services: [createSsmService({ clock: () => now })] });
  ssm = new SSMClient({ region: "us-east-1", endpoint: endpoint.url, credentials });
  ssmEu = new SSMClient({ region: "eu-west-1", endpoint: endpoint.url, credentials });
});

afterAll(async () => {
  ssm.destroy();
  ssmEu.destroy();
  await endpoint.close();
});

describe("PutParameter / GetParameter", () => {
  it("creates version 1, refuses to overwrite silently, then increments with Overwrite", async () => {
    const first = await ssm.send(new PutParameterCommand({ Name: "/app/plain", Value: "one", Type: "String", Description: "first" }));
    expect(first).toMatchObject({ Version: 1, Tier: "Standard" });
    expect(await errorName(ssm.send(new PutParameterCommand({ Name: "/app/plain", Value: "two", Type: "String" })))).toBe(
      "ParameterAlreadyExists",
    );
    now += 1000;
    const second = await ssm.send(new PutParameterCommand({ Name: "/app/plain", Value: "two", Overwrite: true }));
    expect(second.Version).toBe(2);
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: "/app/plain" }));
    expect(Parameter).toMatchObject({
      Name: "/app/plain",
      Type: "String",
      Value: "two",
      Version: 2,
      DataType: "text",
      ARN: "arn:aws:ssm:us-east-1:000000000000:parameter/app/plain",
    });
    expect(Parameter?.LastModifiedDate).toEqual(new Date(now));
  });

  it("reads an older version through a name:version selector", async () => {
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: "/app/plain:1" }));
    expect(Parameter).toMatchObject({ Name: "/app/plain", Value: "one", Version: 1, Selector: ":1" });
    expect(await errorName(ssm.send(new GetParameterCommand({ Name: "/app/plain:9" })))).toBe("ParameterVersionNotFound");
  });

  it("keeps SecureString values encrypted unless WithDecryption is set", async () => {
    await ssm.send(new PutParameterCommand({ Name: "/app/secret", Value: "hunter2", Type: "SecureString", KeyId: "alias/app" }));
    const hidden = await ssm.send(new GetParameterCommand({ Name: "/app/secret" }));
    expect(hidden.Parameter?.Value).not.toContain("hunter2");
    expect(hidden.Parameter?.Value).toMatch(/^AQICA[A-Za-z0-9+/=]+$/);
    const shown = await ssm.send(new GetParameterCommand({ Name: "/app/secret", WithDecryption: true }));
    expect(shown.Parameter).toMatchObject({ Type: "SecureString", Value: "hunter2" });
  });

  it("stores StringList values as given", async () => {
    await ssm.send(new PutParameterCommand({ Name: "/app/regions", Value: "us-east-1,eu-west-1", Type: "StringList" }));
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: "/app/regions" }));
    expect(Parameter).toMatchObject({ Type: "StringList", Value: "us-east-1,eu-west-1" });
  });

  it("answers AWS errors for missing parameters, missing type, a KeyId on a String and a pattern mismatch", async () => {
    expect(await errorName(ssm.send(new GetParameterCommand({ Name: "/nope" })))).toBe("ParameterNotFound");
    expect(await errorName(ssm.send(new PutParameterCommand({ Name: "/untyped", Value: "x" })))).toBe("ValidationException");
    expect(await errorName(ssm.send(new PutParameterCommand({ Name: "/keyed", Value: "x", Type: "String", KeyId: "alias/k" })))).toBe(
      "ValidationException",
    );
    expect(
      await errorName(ssm.send(new PutParameterCommand({ Name: "/digits", Value: "abc", Type: "String", AllowedPattern: "^\\d+$" }))),
    ).toBe("ParameterPatternMismatchException");
  });

  it("keeps regions apart", async () => {
    await ssmEu.send(new PutParameterCommand({ Name: "/app/plain", Value: "eu", Type: "String" }));
    expect((await ssmEu.send(new GetParameterCommand({ Name: "/app/plain" }))).Parameter).toMatchObject({ Value: "eu", Version: 1 });
    expect((await ssm.send(new GetParameterCommand({ Name: "/app/plain" }))).Parameter?.Value).toBe("two");
  });

  it("answers NotImplementedException naming an operation the local cloud lacks", async () => {
    const error = await ssm.send(new LabelParameterVersionCommand({ Name: "/app/plain", Labels: ["x"] })).catch((e: Error) => e);
    expect((error as Error).name).toBe("NotImplementedException");
    expect((error as Error).message).toContain("LabelParameterVersion");
  });
});

describe("GetParameters", () => {
  it("returns found parameters and lists the rest as invalid", async () => {
    const result = await ssm.send(new GetParametersCommand({ Names: ["/app/plain", "/missing", "/app/secret"], WithDecryption: true }));
    expect(result.Parameters?.map((p) => [p.Name, p.Value])).toEqual([
      ["/app/plain", "two"],
      ["/app/secret", "hunter2"],
    ]);
    expect(result.InvalidParameters).toEqual(["/missing"]);
  });
});

describe("GetParametersByPath", () => {
  beforeAll(async () => {
    for (let i = 0; i < 12; i += 1)
      await ssm.send(new PutParameterCommand({ Name: `/tree/leaf${String(i).padStart(2, "0")}`, Value: `v${i}`, Type: "String" }));
    await ssm.send(new PutParameterCommand({ Name: "/tree/deep/one", Value: "deep", Type: "SecureString" }));
  });

  it("lists one level unless Recursive, paging with NextToken", async () => {
    const oneLevel: string[] = [];
    for await (const page of paginateGetParametersByPath({ client: ssm, pageSize: 5 }, { Path: "/tree" })) {
      expect((page.Parameters ?? []).length).toBeLessThanOrEqual(5);
      oneLevel.push(...(page.Parameters ?? []).map((p) => p.Name ?? ""));
    }
    expect(oneLevel).toHaveLength(12);
    expect(oneLevel).not.toContain("/tree/deep/one");
    const recursive = await ssm.send(new GetParametersByPathCommand({ Path: "/tree/deep", Recursive: true, WithDecryption: true }));
    expect(recursive.Parameters?.map((p) => [p.Name, p.Value])).toEqual([["/tree/deep/one", "deep"]]);
    expect(recursive.NextToken).toBeUndefined();
  });

  it("filters by type and rejects MaxResults above 10 and foreign tokens", async () => {
    const secure = await ssm.send(
      new GetParametersByPathCommand({ Path: "/", Recursive: true, ParameterFilters: [{ Key: "Type", Values: ["SecureString"] }] }),
    );
    expect(secure.Parameters?.map((p) => p.Name).sort()).toEqual(["/app/secret", "/tree/deep/one"]);
    expect(await errorName(ssm.send(new GetParametersByPathCommand({ Path: "/tree", MaxResults: 11 })))).toBe("ValidationException");
    expect(await errorName(ssm.send(new GetParametersByPathCommand({ Path: "/tree", NextToken: "garbage" })))).toBe("InvalidNextToken");
    expect(await errorName(ssm.send(new GetParametersByPathCommand({ Path: "tree" })))).toBe("ValidationException");
  });
});

describe("DescribeParameters", () => {
  it("pages metadata and filters by name prefix and path", async () => {
    const first = await ssm.send(new DescribeParametersCommand({ MaxResults: 10 }));
    expect(first.Parameters).toHaveLength(10);
    expect(first.NextToken).toBeDefined();
    const rest = await ssm.send(new DescribeParametersCommand({ MaxResults: 50, NextToken: first.NextToken }));
    const total = (first.Parameters?.length ?? 0) + (rest.Parameters?.length ?? 0);
    expect(total).toBe(16);
    const secret = [...(first.Parameters ?? []), ...(rest.Parameters ?? [])].find((p) => p.Name === "/app/secret");
    expect(secret).toMatchObject({
      Type: "SecureString",
      KeyId: "alias/app",
      Version: 1,
      Tier: "Standard",
      LastModifiedUser: "arn:aws:iam::000000000000:user/local",
    });
    expect(secret?.LastModifiedDate).toBeInstanceOf(Date);
    const app = await ssm.send(
      new DescribeParametersCommand({ ParameterFilters: [{ Key: "Name", Option: "BeginsWith", Values: ["/app/"] }] }),
    );
    expect(app.Parameters?.map((p) => p.Name)).toEqual(["/app/plain", "/app/regions", "/app/secret"]);
    const deep = await ssm.send(
      new DescribeParametersCommand({ ParameterFilters: [{ Key: "Path", Option: "Recursive", Values: ["/tree/deep"] }] }),
    );
    expect(deep.Parameters?.map((p) => p.Name)).toEqual(["/tree/deep/one"]);
    expect(await errorName(ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: "Label", Values: ["x"] }] })))).toBe(
      "InvalidFilterKey",
    );
  });
});

describe("GetParameterHistory", () => {
  it("lists every version with its value and description", async () => {
    const { Parameters } = await ssm.send(new GetParameterHistoryCommand({ Name: "/app/plain" }));
    expect(Parameters?.map((p) => [p.Version, p.Value, p.Description])).toEqual([
      [1, "one", "first"],
      [2, "two", "first"],
    ]);
    expect(await errorName(ssm.send(new GetParameterHistoryCommand({ Name: "/nope" })))).toBe("ParameterNotFound");
  });
});

describe("DeleteParameter / DeleteParameters", () => {
  it("deletes one, then reports ParameterNotFound", async () => {
    await ssm.send(new DeleteParameterCommand({ Name: "/app/regions" }));
    expect(await errorName(ssm.send(new GetParameterCommand({ Name: "/app/regions" })))).toBe("ParameterNotFound");
    expect(await errorName(ssm.send(new DeleteParameterCommand({ Name: "/app/regions" })))).toBe("ParameterNotFound");
  });

  it("deletes many, naming the ones that did not exist", async () => {
    const result = await ssm.send(new DeleteParametersCommand({ Names: ["/tree/leaf00", "/tree/leaf01", "/never"] }));
    expect(result.DeletedParameters).toEqual(["/tree/leaf00", "/tree/leaf01"]);
    expect(result.InvalidParameters).toEqual(["/never"]);
  });
});
