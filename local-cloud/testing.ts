/** Jest fixtures over the local cloud, for the product's integration and e2e tests (and this workspace's own). */

export { credentialsFor, LOCAL_CREDENTIALS, LOCAL_PARTITION_CREDENTIALS } from "./src/endpoint/partition-credentials";
export { seededRandom } from "./src/faults/seeded-random";
export { type AwsCli, findAwsClis, pathWithAwsCli } from "./src/testing/aws-cli-clients";
export { useDynamoDbLocal } from "./src/testing/dynamodb-local-fixture";
export { useLocalAws } from "./src/testing/local-aws-fixture";
export { eventually, useLocalCloud } from "./src/testing/local-cloud-fixture";
export { useTemplateFunction } from "./src/testing/local-function-fixture";
export { createTableFromTemplate } from "./src/testing/template-table";
export { MUSIC_COLLECTION_WALKTHROUGH } from "./src/walkthrough/music-collection";
