import { credentialsFor } from "../endpoint/partition-credentials";
import { partitionOf } from "../endpoint/partitions";
import type { Walkthrough } from "./walkthrough";

/** What `npm start` says about a walkthrough: its resources, and the key pair each of its other partitions takes. */
export const printWalkthrough = (walkthrough: Walkthrough, url: string, print: (line: string) => void): void => {
  print(`${walkthrough.name} (pre-existing resources, not the stack's):`);
  for (const table of walkthrough.tables) print(`  table ${table.tableName} in ${table.region} (${partitionOf(table.region)} partition)`);
  for (const parameter of walkthrough.secureParameters)
    print(`  SecureString ${parameter.name} in ${parameter.region}: ${parameter.description}`);
  for (const stack of walkthrough.stackParameters ?? [])
    print(
      `  the ${stack.region} stack deployed with ${[...Object.entries(stack.parameters).map(([name, value]) => `${name}=${value}`), ...Object.keys(stack.streamArnParameters ?? {}).map((name) => `${name}=<stream ARN>`)].join(" ")}`,
    );
  const otherPartitions = [...new Set(walkthrough.tables.map((table) => table.region))].filter((region) => partitionOf(region) !== "aws");
  for (const region of otherPartitions) {
    const keys = credentialsFor(region);
    print(`  ${region} is in the ${partitionOf(region)} partition: it takes only its own key pair (same endpoint), e.g.`);
    print(
      `    AWS_ACCESS_KEY_ID=${keys.accessKeyId} AWS_SECRET_ACCESS_KEY=${keys.secretAccessKey} aws dynamodb describe-table --table-name ${walkthrough.tables[0]?.tableName ?? ""} --region ${region} --endpoint-url ${url}`,
    );
  }
  print("");
};
