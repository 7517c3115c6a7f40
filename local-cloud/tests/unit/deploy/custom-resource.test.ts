import type { ResolvedResource } from "../../../src/cloudformation/resolve-template";
import { isCustomResource, provisionCustomResource } from "../../../src/deploy/custom-resource";
import type { LocalFunction } from "../../../src/lambda/local-function";

const ARN = "arn:aws:lambda:us-west-2:000000000000:function:lookup";
const resource: ResolvedResource = {
  logicalId: "ReplicaStream",
  type: "Custom::ReplicaStreamArn",
  properties: { ServiceToken: ARN, TableName: "T" },
  metadata: {},
};
const context = { region: "us-west-2", stackId: "arn:aws:cloudformation:us-west-2:000000000000:stack/s/local" };

/** A function that answers CloudFormation the way a custom resource handler does: an HTTP PUT to the ResponseURL. */
const answering = (answer: (event: Record<string, unknown>) => Record<string, unknown> | undefined) =>
  ({
    invoke: async (event: Record<string, unknown>) => {
      const body = answer(event);
      if (body) await fetch(String(event["ResponseURL"]), { method: "PUT", body: JSON.stringify(body) });
      return { ok: true, result: null, durationMs: 1, logs: "" };
    },
  }) as unknown as LocalFunction;

describe("Lambda-backed custom resources on the local cloud", () => {
  it("recognises Custom:: types and AWS::CloudFormation::CustomResource", () => {
    expect(isCustomResource("Custom::Anything")).toBe(true);
    expect(isCustomResource("AWS::CloudFormation::CustomResource")).toBe(true);
    expect(isCustomResource("AWS::SQS::Queue")).toBe(false);
  });

  it("sends a Create request with the resource's properties and takes the response's Data as attributes", async () => {
    const seen: Record<string, unknown>[] = [];
    const fn = answering((event) => {
      seen.push(event);
      return { Status: "SUCCESS", PhysicalResourceId: "stream-1", Data: { StreamArn: "arn:stream" } };
    });
    const created = await provisionCustomResource(resource, (arn) => (arn === ARN ? fn : undefined), context);
    expect(created).toEqual({ physicalId: "stream-1", attributes: { StreamArn: "arn:stream" } });
    expect(seen[0]).toMatchObject({
      RequestType: "Create",
      LogicalResourceId: "ReplicaStream",
      ResourceType: "Custom::ReplicaStreamArn",
      StackId: context.stackId,
      ResourceProperties: { ServiceToken: ARN, TableName: "T" },
    });
  });

  it("fails the deployment with the function's reason, when it sends none, or when the ServiceToken names no function", async () => {
    const failing = answering(() => ({ Status: "FAILED", Reason: "table T has no stream" }));
    await expect(provisionCustomResource(resource, () => failing, context)).rejects.toThrow(
      "ReplicaStream: custom resource FAILED: table T has no stream",
    );
    const silent = answering(() => undefined);
    await expect(provisionCustomResource(resource, () => silent, context)).rejects.toThrow(
      "ReplicaStream: the custom resource sent no response (the function returned without responding)",
    );
    await expect(provisionCustomResource(resource, () => undefined, context)).rejects.toThrow(
      `ServiceToken "${ARN}" names no function deployed in us-west-2`,
    );
  });
});
