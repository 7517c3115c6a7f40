import type { LocalRequest } from "../../../src/endpoint/service";
import { createLambdaService } from "../../../src/lambda/lambda-service";

const request = (method: string, path: string): LocalRequest => ({
  method,
  path,
  query: new URLSearchParams(),
  headers: {},
  body: Buffer.alloc(0),
  region: "us-east-1",
  service: "lambda",
  accessKeyId: "local",
});

describe("Lambda's operation names, for throttle and quota rules", () => {
  const lambda = createLambdaService(
    () => undefined,
    () => "nothing deployed",
  );

  it("names an invocation Invoke, by name or by URL-encoded ARN, and nothing else", () => {
    expect(lambda.operationOf?.(request("POST", "/2015-03-31/functions/Capture/invocations"))).toBe("Invoke");
    expect(
      lambda.operationOf?.(
        request("POST", "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3ACapture/invocations"),
      ),
    ).toBe("Invoke");
    expect(lambda.operationOf?.(request("GET", "/2015-03-31/functions/Capture"))).toBeUndefined();
  });
});
