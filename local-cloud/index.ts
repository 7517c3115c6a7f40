/**
 * The local cloud's public API for the product's scripts and tests: start the whole cloud (template.yaml
 * deployed into every samconfig region) or just the AWS endpoint, run a template function like Lambda,
 * and the demo clients. Everything else in this workspace is its own business.
 */
export { startLocalCloud, type LocalCloud, type LocalCloudOptions } from "./src/local-cloud";
export { startLocalAws, type LocalAws, type LocalAwsOptions } from "./src/local-aws";
export { startDynamoDbLocal, type DynamoDbLocal } from "./src/dynamodb-local";
export { readTemplate, type CloudFormationTemplate, type TemplateResource } from "./src/cloudformation/read-template";
export { bundleFunction, type EsbuildProperties } from "./src/lambda/bundle-function";
export { LocalFunction, type InvocationResult } from "./src/lambda/local-function";
export { findProjectRoot } from "./src/project-root";
export { connectMqttApiClient, type ApiRoundTrip, type MqttApiClient } from "./src/demo/mqtt-api-client";
export { messagesQueueUrl, sampleMessage } from "./src/demo/message-api-demo";
export { replicaTableName, thingsInReplica } from "./src/demo/registry-capture-demo";
