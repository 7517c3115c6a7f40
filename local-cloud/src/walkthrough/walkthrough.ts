import { DescribeTableCommand, ResourceInUseException } from "@aws-sdk/client-dynamodb";
import { PutParameterCommand } from "@aws-sdk/client-ssm";
import { createTableFromProperties } from "../deploy/provision-storage";
import type { RegionClients } from "../deploy/region-clients";

/** A table that exists before the stack is deployed and is not the stack's: `AWS::DynamoDB::Table` properties. */
export interface WalkthroughTable {
  readonly region: string;
  readonly tableName: string;
  /** AttributeDefinitions, KeySchema, BillingMode, StreamSpecification, ... as in a CloudFormation template. */
  readonly properties: Readonly<Record<string, unknown>>;
}

/** A SecureString parameter that exists before deployment (e.g. a key pair for another partition). */
export interface WalkthroughSecureParameter {
  readonly region: string;
  readonly name: string;
  readonly value: string;
  readonly description: string;
}

/**
 * Template parameters a walkthrough gives one region's stack (e.g. the table it syncs). Some are known
 * only once the walkthrough's resources exist: `streamArnParameters` names, per parameter, a walkthrough
 * table of the same region whose stream ARN becomes its value after seeding.
 */
export interface WalkthroughStackParameters {
  readonly region: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly streamArnParameters?: Readonly<Record<string, string>>;
}

/**
 * Resources a walkthrough expects to find before its stack is deployed, in any region (also in
 * regions no samconfig config-env deploys, e.g. a China region a sync writes into). The local cloud
 * serves every region named here and creates these before it deploys template.yaml.
 */
export interface Walkthrough {
  readonly name: string;
  readonly tables: readonly WalkthroughTable[];
  readonly secureParameters: readonly WalkthroughSecureParameter[];
  /** Parameters of the stacks the walkthrough runs in (their regions must be deployed regions). */
  readonly stackParameters?: readonly WalkthroughStackParameters[];
}

/** The regions a walkthrough's resources live in, in order of first mention. */
export const walkthroughRegions = (walkthrough: Walkthrough): string[] => [
  ...new Set([...walkthrough.tables.map((table) => table.region), ...walkthrough.secureParameters.map((parameter) => parameter.region)]),
];

/**
 * Creates the walkthrough's tables and parameters through the local endpoint, as their owner would
 * have (each region's clients sign with a key of that region's partition). A table that is already
 * there (a restarted DynamoDB Local that kept its data) is left as it is; parameters are overwritten.
 */
export const seedWalkthrough = async (
  walkthrough: Walkthrough,
  clients: (region: string) => RegionClients,
  log: (line: string) => void,
): Promise<void> => {
  for (const table of walkthrough.tables) {
    try {
      await createTableFromProperties(clients(table.region).dynamodb, table.properties, table.tableName);
      log(`${walkthrough.name}: table ${table.tableName} created in ${table.region}`);
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
      log(`${walkthrough.name}: table ${table.tableName} already in ${table.region}`);
    }
  }
  for (const parameter of walkthrough.secureParameters) {
    await clients(parameter.region).ssm.send(
      new PutParameterCommand({
        Name: parameter.name,
        Value: parameter.value,
        Type: "SecureString",
        Description: parameter.description,
        Overwrite: true,
      }),
    );
    log(`${walkthrough.name}: SecureString ${parameter.name} put in ${parameter.region}`);
  }
};

/**
 * The walkthrough's template parameters by stack region, once it is seeded: the fixed ones, and each
 * stream ARN parameter resolved from its table (a table without a stream is one clear error).
 */
export const walkthroughStackOverrides = async (
  walkthrough: Walkthrough,
  clients: (region: string) => RegionClients,
): Promise<Record<string, Record<string, string>>> => {
  const overrides: Record<string, Record<string, string>> = {};
  for (const stack of walkthrough.stackParameters ?? []) {
    const resolved: Record<string, string> = { ...stack.parameters };
    for (const [parameter, tableName] of Object.entries(stack.streamArnParameters ?? {})) {
      const table = await clients(stack.region).dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
      const streamArn = table.Table?.LatestStreamArn;
      if (streamArn === undefined)
        throw new Error(`${walkthrough.name}: table ${tableName} in ${stack.region} has no stream for parameter ${parameter}`);
      resolved[parameter] = streamArn;
    }
    overrides[stack.region] = { ...overrides[stack.region], ...resolved };
  }
  return overrides;
};
