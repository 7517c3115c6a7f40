import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { CloudFormationCustomResourceEvent } from "aws-lambda";
import { instrumented, logger, traced } from "./observability";

const dynamodb = traced(new DynamoDBClient({}));

/** CloudFormation's answer document, PUT to the request's presigned ResponseURL. */
const respond = async (
  event: CloudFormationCustomResourceEvent,
  outcome: {
    readonly status: "SUCCESS" | "FAILED";
    readonly physicalId: string;
    readonly reason?: string;
    readonly data?: Record<string, string>;
  },
): Promise<void> => {
  const body = JSON.stringify({
    Status: outcome.status,
    Reason: outcome.reason ?? "see the function's log",
    PhysicalResourceId: outcome.physicalId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    ...(outcome.data ? { Data: outcome.data } : {}),
  });
  const response = await fetch(event.ResponseURL, { method: "PUT", body, headers: { "content-type": "" } });
  if (!response.ok) throw new Error(`CloudFormation's ResponseURL answered ${response.status}`);
};

/**
 * A custom resource whose `StreamArn` is the stream of this region's replica of the global table.
 * A secondary region's stack does not create the table (another region's stack does), so
 * `!GetAtt ReplicaTable.StreamArn` is not available there, and the stream's ARN ends with a creation
 * timestamp nobody can write into samconfig.toml in advance: the stack reads it with DescribeTable
 * when it is deployed (Create and Update; Delete has nothing to undo).
 */
export const handler = instrumented("replica-stream-arn", async (event: CloudFormationCustomResourceEvent): Promise<void> => {
  const tableName = String(event.ResourceProperties["TableName"] ?? "");
  const previousId = event.RequestType === "Create" ? `${tableName}-stream` : event.PhysicalResourceId;
  if (event.RequestType === "Delete") return respond(event, { status: "SUCCESS", physicalId: previousId });
  try {
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
    const streamArn = Table?.LatestStreamArn;
    if (!streamArn) throw new Error(`table ${tableName} has no stream in this region (StreamSpecification NEW_AND_OLD_IMAGES is required)`);
    logger.info("replica table stream found", { tableName, streamArn });
    return respond(event, { status: "SUCCESS", physicalId: streamArn, data: { StreamArn: streamArn } });
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    logger.error("replica table stream not found", { tableName, reason });
    return respond(event, { status: "FAILED", physicalId: previousId, reason });
  }
});
