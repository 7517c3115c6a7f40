import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import type { ForwardedResponse } from "./dynamodb-forwarder";
import type { DynamoDbLocalClients } from "./dynamodb-local-clients";

const isResourceNotFound = (body: Record<string, unknown>): boolean =>
  typeof body.__type === "string" && body.__type.endsWith("#ResourceNotFoundException");

const tableExists = (clients: DynamoDbLocalClients, region: string, tableName: string): Promise<boolean> =>
  clients
    .tables(region)
    .send(new DescribeTableCommand({ TableName: tableName }))
    .then(
      () => true,
      () => false,
    );

/**
 * DynamoDB answers a call for a table that its region lacks with a bare ResourceNotFoundException
 * ("Cannot do operations on a non-existent table"). Locally every region is one process away, so
 * the answer also names the regions where the table does exist: the usual mistake is the wrong
 * `--region`. The error code and everything else stay as DynamoDB sends them.
 */
export const nameRegionsWithTable = async (
  response: ForwardedResponse,
  request: { readonly region: string; readonly tableName: string | undefined },
  otherRegions: readonly string[],
  clients: DynamoDbLocalClients,
): Promise<ForwardedResponse> => {
  if (response.status !== 400 || request.tableName === undefined) return response;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(response.body) as Record<string, unknown>;
  } catch {
    return response;
  }
  if (!isResourceNotFound(body)) return response;
  const { tableName } = request;
  const candidates = otherRegions.filter((region) => region !== request.region);
  const found = await Promise.all(candidates.map((region) => tableExists(clients, region, tableName)));
  const regions = candidates.filter((_, i) => found[i]);
  if (regions.length === 0) return response;
  const message = `${String(body.message ?? "Requested resource not found")}: table ${tableName} does not exist in ${request.region}; it exists in ${regions.join(", ")}`;
  return { ...response, body: JSON.stringify({ ...body, message }) };
};
