import type { ResolvedResource } from "../../../src/cloudformation/resolve-template";
import { functionUrlConfigOf } from "../../../src/cloudformation/sam-function-url";
import { functionUrlResponse, parseFunctionUrlPath } from "../../../src/lambda/function-url";

const fn = (properties: Record<string, unknown>): ResolvedResource => ({
  logicalId: "Fn",
  type: "AWS::Serverless::Function",
  properties,
  metadata: {},
});

describe("functionUrlConfigOf", () => {
  it("reads AuthType and InvokeMode (BUFFERED by default), and nothing for a function without a URL", () => {
    expect(functionUrlConfigOf(fn({ FunctionUrlConfig: { AuthType: "NONE" } }))).toEqual({ authType: "NONE", invokeMode: "BUFFERED" });
    expect(functionUrlConfigOf(fn({ FunctionUrlConfig: { AuthType: "AWS_IAM", InvokeMode: "RESPONSE_STREAM" } }))).toEqual({
      authType: "AWS_IAM",
      invokeMode: "RESPONSE_STREAM",
    });
    expect(functionUrlConfigOf(fn({}))).toBeUndefined();
  });

  it("refuses what SAM refuses, naming the property", () => {
    expect(() => functionUrlConfigOf(fn({ FunctionUrlConfig: {} }))).toThrow(
      "Fn.FunctionUrlConfig.AuthType: must be NONE or AWS_IAM, got undefined",
    );
    expect(() => functionUrlConfigOf(fn({ FunctionUrlConfig: { AuthType: "NONE", InvokeMode: "STREAM" } }))).toThrow(
      'Fn.FunctionUrlConfig.InvokeMode: must be BUFFERED or RESPONSE_STREAM, got "STREAM"',
    );
    expect(() => functionUrlConfigOf(fn({ FunctionUrlConfig: "NONE" }))).toThrow("Fn.FunctionUrlConfig: must be a map");
  });
});

describe("function URL paths and responses", () => {
  it("splits a local function URL into region, function and the path after it", () => {
    expect(parseFunctionUrlPath("/_local/lambda-url/eu-west-1/my-fn/a/b")).toEqual({
      region: "eu-west-1",
      functionName: "my-fn",
      rawPath: "/a/b",
    });
    expect(parseFunctionUrlPath("/_local/lambda-url/eu-west-1/my-fn")).toEqual({
      region: "eu-west-1",
      functionName: "my-fn",
      rawPath: "/",
    });
    expect(parseFunctionUrlPath("/_local/lambda-url/eu-west-1")).toBeUndefined();
  });

  it("decodes a base64 body and answers a string result as it is", () => {
    const binary = functionUrlResponse({
      ok: true,
      result: { statusCode: 200, body: Buffer.from("hi").toString("base64"), isBase64Encoded: true },
      durationMs: 1,
      logs: "",
    });
    expect([binary.status, binary.body?.toString()]).toEqual([200, "hi"]);
    expect(functionUrlResponse({ ok: true, result: "plain", durationMs: 1, logs: "" })).toMatchObject({ status: 200, body: "plain" });
  });
});
