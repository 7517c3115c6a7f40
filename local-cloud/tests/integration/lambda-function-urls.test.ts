import { join } from "node:path";
import type { CloudFormationTemplate } from "../../src/cloudformation/read-template";
import { readSamConfig, regionConfigs } from "../../src/cloudformation/samconfig";
import { type LocalCloud, startLocalCloud } from "../../src/local-cloud";
import { findProjectRoot } from "../../src/project-root";

/**
 * Function URLs (`FunctionUrlConfig`) on the local cloud, as Lambda serves them: each function with a
 * URL gets one, the request arrives as a payload 2.0 event, the function's answer is the response,
 * AWS_IAM URLs refuse unsigned requests, and resources whose Condition is false are not deployed.
 */
const echoFunction = (authType: string) => ({
  Type: "AWS::Serverless::Function",
  Metadata: { BuildMethod: "esbuild", BuildProperties: { EntryPoints: ["local-cloud/tests/support/functions/echo-url-handler.ts"] } },
  Properties: {
    CodeUri: "./",
    Handler: "echo-url-handler.handler",
    Runtime: "nodejs22.x",
    Timeout: 10,
    FunctionUrlConfig: { AuthType: authType },
  },
});

const projectRoot = findProjectRoot();
/** samconfig.toml's parameters for us-east-1, declared so that the deployer accepts them (this template uses none). */
const samconfigParameters = Object.fromEntries(
  Object.keys(
    regionConfigs(readSamConfig(join(projectRoot, "samconfig.toml"))).find((env) => env.region === "us-east-1")?.parameterOverrides ?? {},
  ).map((name) => [name, { Type: "String" }]),
);

const template = {
  AWSTemplateFormatVersion: "2010-09-09",
  Transform: "AWS::Serverless-2016-10-31",
  Parameters: { ...samconfigParameters, HostedZoneId: { Type: "String", Default: "" } },
  Conditions: { HasZone: { "Fn::Not": [{ "Fn::Equals": [{ Ref: "HostedZoneId" }, ""] }] } },
  Resources: {
    OpenFunction: echoFunction("NONE"),
    SignedFunction: echoFunction("AWS_IAM"),
    // Route 53 is not emulated: under a false condition it must be skipped, not refused.
    Check: {
      Type: "AWS::Route53::HealthCheck",
      Condition: "HasZone",
      Properties: {
        HealthCheckConfig: {
          Type: "HTTPS",
          FullyQualifiedDomainName: { "Fn::Select": [2, { "Fn::Split": ["/", { "Fn::GetAtt": ["OpenFunctionUrl", "FunctionUrl"] }] }] },
        },
      },
    },
  },
} as unknown as CloudFormationTemplate;

let cloud: LocalCloud;
beforeAll(async () => {
  cloud = await startLocalCloud({
    projectRoot,
    port: 0,
    mqttBasePort: 0,
    log: () => undefined,
    configEnvs: ["us-east-1-config"],
    template,
  });
}, 120_000);
afterAll(async () => cloud?.close(), 60_000);

const urlOf = (logicalId: string): string => {
  const deployed = cloud.regions.get("us-east-1");
  const name = deployed?.functions.get(logicalId)?.options.functionName ?? "";
  const url = deployed?.functionUrls.get(name)?.url;
  if (!url) throw new Error(`${logicalId} has no function URL`);
  return url;
};

describe("function URLs on the local cloud", () => {
  it("gives each function with a FunctionUrlConfig a URL, and lists them in /_local/health", async () => {
    expect(urlOf("OpenFunction")).toBe(`${cloud.aws.url}/_local/lambda-url/us-east-1/iot-fleet-replicator-OpenFunction/`);
    const health = (await (await fetch(`${cloud.aws.url}/_local/health`)).json()) as { stacks: { functionUrls: Record<string, string> }[] };
    expect(health.stacks[0]?.functionUrls).toEqual({ OpenFunction: urlOf("OpenFunction"), SignedFunction: urlOf("SignedFunction") });
  });

  it("skips a resource whose condition is false", () => {
    expect([...(cloud.regions.get("us-east-1")?.resources.keys() ?? [])]).not.toContain("Check");
    expect(cloud.regions.get("us-east-1")?.resources.get("OpenFunctionUrl")?.attributes["FunctionUrl"]).toBe(urlOf("OpenFunction"));
  });

  it("hands the function a payload 2.0 event and answers with its statusCode, headers, cookies and body", async () => {
    const response = await fetch(`${urlOf("OpenFunction")}some/path?b=2&a=1&a=3`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: "c1=v1; c2=v2", "user-agent": "contract-test" },
      body: JSON.stringify({ hello: "world" }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("x-echo")).toBe("yes");
    expect(response.headers.get("set-cookie")).toBe("session=abc");
    const event = (await response.json()) as Record<string, unknown> & { requestContext: Record<string, unknown> };
    expect(event).toMatchObject({
      version: "2.0",
      routeKey: "$default",
      rawPath: "/some/path",
      rawQueryString: "b=2&a=1&a=3",
      cookies: ["c1=v1", "c2=v2"],
      queryStringParameters: { a: "1,3", b: "2" },
      body: JSON.stringify({ hello: "world" }),
      isBase64Encoded: false,
    });
    expect((event["headers"] as Record<string, string>)["content-type"]).toBe("application/json");
    expect(event.requestContext).toMatchObject({
      accountId: "anonymous",
      routeKey: "$default",
      stage: "$default",
      http: { method: "POST", path: "/some/path", protocol: "HTTP/1.1", userAgent: "contract-test" },
    });
    expect(event.requestContext["domainName"]).toMatch(/^[0-9a-f]+\.lambda-url\.us-east-1\.on\.aws$/);
    expect(typeof event.requestContext["timeEpoch"]).toBe("number");
  });

  it("answers a plain return value as a 200 JSON body, and a function error as a 502", async () => {
    const plain = await fetch(`${urlOf("OpenFunction")}?shape=raw`);
    expect([plain.status, plain.headers.get("content-type"), await plain.json()]).toEqual([200, "application/json", { plain: true }]);
    const failed = await fetch(`${urlOf("OpenFunction")}?fail=1`);
    expect([failed.status, await failed.json()]).toEqual([502, { Message: "Internal Server Error" }]);
  });

  it("refuses unsigned requests to an AWS_IAM URL with a 403, and serves SigV4-signed ones", async () => {
    const unsigned = await fetch(urlOf("SignedFunction"));
    expect([unsigned.status, await unsigned.json()]).toEqual([403, { Message: "Forbidden" }]);
    // The local cloud reads SigV4 scopes but checks no signature (any credentials work): a signed request is one with the header.
    const authorization = "AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00";
    const response = await fetch(urlOf("SignedFunction"), { headers: { authorization } });
    expect(response.status).toBe(201);
  });

  it("answers 404 naming a function that has no URL", async () => {
    const response = await fetch(`${cloud.aws.url}/_local/lambda-url/us-east-1/nothing-here/`);
    expect([response.status, await response.json()]).toEqual([404, { Message: "no function URL for nothing-here in us-east-1" }]);
  });
});
