import { AwsError, notImplemented } from "../endpoint/aws-error";
import type { LocalRequest, LocalResponse, LocalService } from "../endpoint/service";
import { createDynamoDbForwarder, type ForwardedResponse, toLocalResponse } from "./dynamodb-forwarder";
import { createDynamoDbLocalClients } from "./dynamodb-local-clients";
import { GlobalTableReplicator } from "./global-table-replicator";
import { applyReplicaUpdates, withReplicas } from "./replica-updates";
import { nameRegionsWithTable } from "./table-elsewhere";

export interface DynamoDbServiceOptions {
  /** Where DynamoDB Local listens, e.g. `http://127.0.0.1:8000` (see `startDynamoDbLocal`). */
  readonly dynamoDbLocalEndpoint: string;
  /** How often the replicator polls replica streams; 100 ms keeps replication well under a second. */
  readonly replicationPollIntervalMs?: number;
  /** The regions the local cloud serves: a table missing from one region is looked for in these. */
  readonly regions?: () => readonly string[];
}

export interface GlobalTableDeclaration {
  readonly tableName: string;
  /** The first region must already have the table; it is created (or adopted) in the others. */
  readonly regions: readonly string[];
}

export interface DynamoDbService extends LocalService {
  /**
   * Makes `tableName` a global table across `regions`, as `AWS::DynamoDB::GlobalTable` replicas do
   * for the template deployer. Idempotent: regions already replicating are left alone.
   */
  declareGlobalTable(declaration: GlobalTableDeclaration): Promise<void>;
  /** Resolves once every replica of every global table holds the same items (see the replicator). */
  whenReplicated(timeoutMs?: number): Promise<void>;
}

const DYNAMODB_TARGET = "DynamoDB_20120810.";

/**
 * Global tables version 2017.11.29 and replica auto scaling: DynamoDB Local answers these with an
 * anonymous UnknownOperationException; naming the operation tells a developer what to change.
 */
const UNSUPPORTED_OPERATIONS = new Set([
  "CreateGlobalTable",
  "UpdateGlobalTable",
  "DescribeGlobalTable",
  "ListGlobalTables",
  "DescribeGlobalTableSettings",
  "UpdateGlobalTableSettings",
  "DescribeTableReplicaAutoScaling",
  "UpdateTableReplicaAutoScaling",
]);

const parseJson = (text: string): Record<string, unknown> => {
  try {
    const parsed: unknown = text.length ? JSON.parse(text) : {};
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    throw new AwsError("SerializationException", "request body is not valid JSON");
  }
};

/** The table a request names (`TableName`), if any: for error messages, so unparsable bodies name none. */
const tableNameOf = (request: LocalRequest): string | undefined => {
  try {
    const tableName: unknown = JSON.parse(request.body.toString("utf8")).TableName;
    return typeof tableName === "string" ? tableName : undefined;
  } catch {
    return undefined;
  }
};

/** The same request aimed at another operation of the same API (the proxy's own follow-up calls). */
const asOperation = (request: LocalRequest, operation: string, body: Record<string, unknown>): LocalRequest => ({
  ...request,
  headers: { ...request.headers, "x-amz-target": `${DYNAMODB_TARGET}${operation}` },
  body: Buffer.from(JSON.stringify(body)),
});

/**
 * DynamoDB and DynamoDB Streams for the local cloud: a transparent proxy to DynamoDB Local plus the
 * global tables it lacks. Only three operations are looked at: UpdateTable with `ReplicaUpdates`
 * (handled here), DescribeTable (answers gain `Replicas`) and DeleteTable (a deleted replica leaves
 * its global table); everything else reaches DynamoDB Local byte for byte.
 */
export const createDynamoDbService = (options: DynamoDbServiceOptions): DynamoDbService => {
  const forwarder = createDynamoDbForwarder(options.dynamoDbLocalEndpoint);
  const clients = createDynamoDbLocalClients(options.dynamoDbLocalEndpoint);
  const replicator = new GlobalTableReplicator(clients, { pollIntervalMs: options.replicationPollIntervalMs ?? 100 });

  const describeWithReplicas = (response: ForwardedResponse, region: string): LocalResponse => {
    if (response.status !== 200) return toLocalResponse(response);
    const body = parseJson(response.body);
    const table = body.Table as Record<string, unknown> | undefined;
    const regions = typeof table?.TableName === "string" ? replicator.replicaRegions(region, table.TableName) : undefined;
    if (!table || !regions) return toLocalResponse(response);
    return toLocalResponse(response, JSON.stringify({ ...body, Table: withReplicas(table, regions) }));
  };

  const updateReplicas = async (request: LocalRequest, input: Record<string, unknown>): Promise<LocalResponse> => {
    const tableName = input.TableName;
    if (typeof tableName !== "string")
      throw new AwsError(
        "ValidationException",
        "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null",
      );
    const { ReplicaUpdates: replicaUpdates, ...tableUpdates } = input;
    if (Object.keys(tableUpdates).length > 1) {
      const updated = await forwarder.forward(asOperation(request, "UpdateTable", tableUpdates));
      if (updated.status !== 200) return toLocalResponse(updated);
    }
    await applyReplicaUpdates(replicator, request.region, tableName, replicaUpdates);
    const described = await forwarder.forward(asOperation(request, "DescribeTable", { TableName: tableName }));
    if (described.status !== 200) return toLocalResponse(described);
    const table = parseJson(described.body).Table as Record<string, unknown>;
    const regions = replicator.replicaRegions(request.region, tableName);
    return toLocalResponse(described, JSON.stringify({ TableDescription: regions ? withReplicas(table, regions) : table }));
  };

  return {
    name: "dynamodb",
    handle: async (request) => {
      const target = String(request.headers["x-amz-target"] ?? "");
      const operation = target.startsWith(DYNAMODB_TARGET) ? target.slice(DYNAMODB_TARGET.length) : undefined;
      if (operation !== undefined && UNSUPPORTED_OPERATIONS.has(operation)) throw notImplemented("dynamodb", operation);
      if (operation === "UpdateTable") {
        const input = parseJson(request.body.toString("utf8"));
        if (input.ReplicaUpdates !== undefined) return updateReplicas(request, input);
      }
      const forwarded = await forwarder.forward(request);
      const response =
        forwarded.status === 400 && options.regions
          ? await nameRegionsWithTable(forwarded, { region: request.region, tableName: tableNameOf(request) }, options.regions(), clients)
          : forwarded;
      if (operation === "DescribeTable") return describeWithReplicas(response, request.region);
      if (operation === "DeleteTable" && response.status === 200) {
        const tableName = parseJson(request.body.toString("utf8")).TableName;
        if (typeof tableName === "string") await replicator.tableDeleted(request.region, tableName);
      }
      return toLocalResponse(response);
    },
    declareGlobalTable: async ({ tableName, regions }) => {
      const [first, ...others] = regions;
      if (first === undefined) throw new Error(`global table ${tableName} needs at least one region`);
      for (const region of others) await replicator.addReplica(tableName, first, region, { adoptExisting: true });
    },
    whenReplicated: (timeoutMs) => replicator.whenReplicated(timeoutMs),
    close: async () => {
      await replicator.close();
      forwarder.close();
      clients.destroy();
    },
  };
};
