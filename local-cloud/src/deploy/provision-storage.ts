import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { CreatePolicyCommand } from "@aws-sdk/client-iot";
import { CreateQueueCommand, GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { PutParameterCommand } from "@aws-sdk/client-ssm";
import type { ResolvedResource } from "../cloudformation/resolve-template";
import { globalArn } from "../endpoint/partitions";
import type { RegionClients } from "./region-clients";

/** What CloudFormation reports of a created resource: its `Ref` value and its `GetAtt` attributes. */
export interface ProvisionedResource {
  readonly physicalId: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

type Props = Record<string, unknown>;
const str = (value: unknown): string | undefined => (value === undefined ? undefined : String(value));

/** A name for a resource whose template gives none, stable across restarts as CloudFormation's are per stack. */
export const generatedName = (stackName: string, logicalId: string, maxLength = 80): string =>
  `${stackName}-${logicalId}`.slice(0, maxLength);

const tableInput = (props: Props, tableName: string): CreateTableCommandInput => ({
  TableName: tableName,
  AttributeDefinitions: props["AttributeDefinitions"] as CreateTableCommandInput["AttributeDefinitions"],
  KeySchema: props["KeySchema"] as CreateTableCommandInput["KeySchema"],
  BillingMode: (props["BillingMode"] as CreateTableCommandInput["BillingMode"]) ?? "PROVISIONED",
  ...(props["ProvisionedThroughput"]
    ? { ProvisionedThroughput: props["ProvisionedThroughput"] as CreateTableCommandInput["ProvisionedThroughput"] }
    : {}),
  ...(props["GlobalSecondaryIndexes"]
    ? { GlobalSecondaryIndexes: props["GlobalSecondaryIndexes"] as CreateTableCommandInput["GlobalSecondaryIndexes"] }
    : {}),
  ...(props["LocalSecondaryIndexes"]
    ? { LocalSecondaryIndexes: props["LocalSecondaryIndexes"] as CreateTableCommandInput["LocalSecondaryIndexes"] }
    : {}),
  ...(props["StreamSpecification"]
    ? {
        StreamSpecification: {
          StreamEnabled: true,
          StreamViewType: (props["StreamSpecification"] as Props)["StreamViewType"] as "NEW_AND_OLD_IMAGES",
        },
      }
    : {}),
});

/**
 * Creates a table in one region from template properties (keys, indexes, billing, stream) and turns on
 * its TTL. Shared by the deployer and the tests, so the tests' tables are the template's tables.
 */
export const createTableFromProperties = async (dynamodb: DynamoDBClient, props: Props, tableName: string): Promise<void> => {
  await dynamodb.send(new CreateTableCommand(tableInput(props, tableName)));
  const ttl = props["TimeToLiveSpecification"] as Props | undefined;
  if (ttl?.["Enabled"] === true || ttl?.["Enabled"] === "true") {
    await dynamodb.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: String(ttl["AttributeName"]), Enabled: true },
      }),
    );
  }
};

/**
 * AWS::DynamoDB::Table and AWS::DynamoDB::GlobalTable. A global table is created in this region and
 * then given its other replicas with UpdateTable `ReplicaUpdates`, as a real client would.
 */
export const provisionTable = async (
  resource: ResolvedResource,
  clients: RegionClients,
  stackName: string,
): Promise<ProvisionedResource> => {
  const props = resource.properties;
  const tableName = str(props["TableName"]) ?? generatedName(stackName, resource.logicalId);
  await createTableFromProperties(clients.dynamodb, props, tableName);
  if (resource.type === "AWS::DynamoDB::GlobalTable") {
    const others = ((props["Replicas"] as Props[] | undefined) ?? [])
      .map((replica) => String(replica["Region"]))
      .filter((region) => region !== clients.region);
    for (const region of others) {
      await clients.dynamodb.send(new UpdateTableCommand({ TableName: tableName, ReplicaUpdates: [{ Create: { RegionName: region } }] }));
    }
  }
  const { Table } = await clients.dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
  return { physicalId: tableName, attributes: { Arn: Table?.TableArn, StreamArn: Table?.LatestStreamArn, TableName: tableName } };
};

const QUEUE_ATTRIBUTES = [
  "DelaySeconds",
  "MaximumMessageSize",
  "MessageRetentionPeriod",
  "ReceiveMessageWaitTimeSeconds",
  "VisibilityTimeout",
  "FifoQueue",
  "ContentBasedDeduplication",
  "KmsMasterKeyId",
  "SqsManagedSseEnabled",
];

/** AWS::SQS::Queue, with its redrive policy (the DLQ is created first: it is a dependency). */
export const provisionQueue = async (
  resource: ResolvedResource,
  clients: RegionClients,
  stackName: string,
): Promise<ProvisionedResource> => {
  const props = resource.properties;
  const fifo = props["FifoQueue"] === true || props["FifoQueue"] === "true";
  const queueName = str(props["QueueName"]) ?? `${generatedName(stackName, resource.logicalId, fifo ? 75 : 80)}${fifo ? ".fifo" : ""}`;
  const attributes: Record<string, string> = {};
  for (const name of QUEUE_ATTRIBUTES) if (props[name] !== undefined) attributes[name] = String(props[name]);
  for (const name of ["RedrivePolicy", "RedriveAllowPolicy"]) {
    if (props[name] !== undefined)
      attributes[name] = typeof props[name] === "string" ? (props[name] as string) : JSON.stringify(props[name]);
  }
  const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: queueName, Attributes: attributes }));
  const { Attributes } = await clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  return { physicalId: QueueUrl ?? "", attributes: { Arn: Attributes?.["QueueArn"], QueueName: queueName, QueueUrl } };
};

/** AWS::SSM::Parameter. */
export const provisionParameter = async (
  resource: ResolvedResource,
  clients: RegionClients,
  stackName: string,
): Promise<ProvisionedResource> => {
  const props = resource.properties;
  const name = str(props["Name"]) ?? `/${stackName}/${resource.logicalId}`;
  await clients.ssm.send(
    new PutParameterCommand({
      Name: name,
      Value: String(props["Value"]),
      Type: (props["Type"] as "String") ?? "String",
      Overwrite: true,
      ...(props["Description"] ? { Description: String(props["Description"]) } : {}),
    }),
  );
  return { physicalId: name, attributes: { Type: props["Type"], Value: props["Value"] } };
};

/** AWS::IoT::Policy: created in the local IoT registry, so devices' tools can attach it. */
export const provisionIotPolicy = async (
  resource: ResolvedResource,
  clients: RegionClients,
  stackName: string,
): Promise<ProvisionedResource> => {
  const props = resource.properties;
  const name = str(props["PolicyName"]) ?? generatedName(stackName, resource.logicalId, 128);
  const document =
    typeof props["PolicyDocument"] === "string" ? (props["PolicyDocument"] as string) : JSON.stringify(props["PolicyDocument"]);
  const { policyArn } = await clients.iot.send(new CreatePolicyCommand({ policyName: name, policyDocument: document }));
  return { physicalId: name, attributes: { Arn: policyArn } };
};

/** AWS::IAM::Role: the local cloud does not enforce IAM, but the role's ARN is what others reference. */
export const provisionRole = (resource: ResolvedResource, stackName: string, region: string): ProvisionedResource => {
  const name = str(resource.properties["RoleName"]) ?? generatedName(stackName, resource.logicalId, 64);
  return {
    physicalId: name,
    attributes: {
      Arn: globalArn(region, "iam", `role/${name}`),
      RoleId: `AROA${name
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, "")
        .slice(0, 17)}`,
    },
  };
};
