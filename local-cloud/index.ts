/**
 * The local cloud's public API for the product's scripts and tests: start the whole cloud (template.yaml
 * deployed into every samconfig region) or just the AWS endpoint, run a template function like Lambda,
 * and the demo clients. Everything else in this workspace is its own business.
 */

export { type CloudFormationTemplate, readTemplate, type TemplateResource } from "./src/cloudformation/read-template";
export { messagesQueueUrl, runMessageApiDemo, sampleMessage } from "./src/demo/message-api-demo";
export { type ApiRoundTrip, connectMqttApiClient, type DeviceTlsCredentials, type MqttApiClient } from "./src/demo/mqtt-api-client";
export { replicaTableName, runRegistryCaptureDemo, thingsInReplica } from "./src/demo/registry-capture-demo";
export { type DynamoDbLocal, startDynamoDbLocal } from "./src/dynamodb-local";
export { AWS_DEFAULT_IOT_QUOTAS, type DefaultQuota } from "./src/faults/aws-default-quotas";
export type { FaultReport } from "./src/faults/fault-injector";
export type { QuotaBucketReport } from "./src/faults/quota-buckets";
export { bundleFunction, type EsbuildProperties } from "./src/lambda/bundle-function";
export { type InvocationResult, LocalFunction } from "./src/lambda/local-function";
export { type LocalAws, type LocalAwsOptions, startLocalAws } from "./src/local-aws";
export { type LocalCloud, type LocalCloudOptions, startLocalCloud } from "./src/local-cloud";
export { findProjectRoot } from "./src/project-root";
export {
  MUSIC_COLLECTION_SOURCE_REGION,
  MUSIC_COLLECTION_TARGET_REGION,
  MUSIC_COLLECTION_WALKTHROUGH,
} from "./src/walkthrough/music-collection";
export type { Walkthrough, WalkthroughSecureParameter, WalkthroughTable } from "./src/walkthrough/walkthrough";
