import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { ResolvedResource } from "../cloudformation/resolve-template";
import type { LocalFunction } from "../lambda/local-function";
import type { ProvisionedResource } from "./provision-storage";

/** A custom resource type: `AWS::CloudFormation::CustomResource` or any `Custom::Name`. */
export const isCustomResource = (type: string): boolean => type === "AWS::CloudFormation::CustomResource" || type.startsWith("Custom::");

interface CustomResourceResponse {
  readonly Status?: unknown;
  readonly Reason?: unknown;
  readonly PhysicalResourceId?: unknown;
  readonly Data?: unknown;
}

/**
 * Creates a Lambda-backed custom resource as CloudFormation does: invokes the function its
 * `ServiceToken` names with a `Create` request, and waits for the function to PUT its response to the
 * request's `ResponseURL` (here a one-shot local HTTP listener instead of a presigned S3 URL). A
 * FAILED response, or no response by the time the invocation ends, fails the deployment with the
 * function's reason. `Fn::GetAtt` reads the response's `Data`.
 */
export const provisionCustomResource = async (
  resource: ResolvedResource,
  functionByArn: (arn: string) => LocalFunction | undefined,
  context: { readonly region: string; readonly stackId: string },
): Promise<ProvisionedResource> => {
  const { ServiceToken, ...properties } = resource.properties;
  const fn = typeof ServiceToken === "string" ? functionByArn(ServiceToken) : undefined;
  if (!fn)
    throw new Error(`${resource.logicalId}: ServiceToken ${JSON.stringify(ServiceToken)} names no function deployed in ${context.region}`);
  let response: CustomResourceResponse | undefined;
  const server = createServer((request, reply) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      try {
        response = JSON.parse(Buffer.concat(chunks).toString("utf8")) as CustomResourceResponse;
        reply.writeHead(200).end();
      } catch {
        reply.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const requestId = randomUUID();
    const outcome = await fn.invoke({
      RequestType: "Create",
      ResponseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/${requestId}`,
      StackId: context.stackId,
      RequestId: requestId,
      ResourceType: resource.type,
      LogicalResourceId: resource.logicalId,
      ServiceToken,
      ResourceProperties: { ServiceToken, ...properties },
    });
    if (!response) {
      const why = outcome.ok ? "the function returned without responding" : `${outcome.error.name}: ${outcome.error.message}`;
      throw new Error(`${resource.logicalId}: the custom resource sent no response (${why})`);
    }
    if (response.Status !== "SUCCESS")
      throw new Error(`${resource.logicalId}: custom resource FAILED: ${String(response.Reason ?? "no reason given")}`);
    const data = typeof response.Data === "object" && response.Data !== null ? (response.Data as Record<string, unknown>) : {};
    return { physicalId: String(response.PhysicalResourceId ?? resource.logicalId), attributes: data };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
};
