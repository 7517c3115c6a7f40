import { LOCAL_ACCOUNT_ID } from "./service";

/**
 * AWS partitions on the local cloud. A region belongs to one partition (`aws`, `aws-cn` for the
 * China regions, `aws-us-gov` for GovCloud); every ARN the local cloud makes says the partition of
 * the region it names, as AWS's do (`arn:aws-cn:dynamodb:cn-northwest-1:...`). Every ARN is built
 * here, so there is one place that knows the rule.
 */
export type Partition = "aws" | "aws-cn" | "aws-us-gov";

/** `AWS::Partition` of a region. */
export const partitionOf = (region: string): Partition =>
  region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";

/** `AWS::URLSuffix` of a region: "amazonaws.com.cn" in China, "amazonaws.com" elsewhere. */
export const urlSuffixOf = (region: string): string => (partitionOf(region) === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com");

/** The ARN of a regional resource of the local account: `arn:{partition}:{service}:{region}:{account}:{resource}`. */
export const regionalArn = (region: string, service: string, resource: string, accountId: string = LOCAL_ACCOUNT_ID): string =>
  `arn:${partitionOf(region)}:${service}:${region}:${accountId}:${resource}`;

/**
 * The ARN of a global resource (IAM users and roles) of the local account, in the partition of
 * `region` (IAM is global within a partition: `arn:aws-cn:iam::{account}:role/...`).
 */
export const globalArn = (region: string, service: string, resource: string): string =>
  `arn:${partitionOf(region)}:${service}::${LOCAL_ACCOUNT_ID}:${resource}`;

/** Whether an ARN names the given service in any partition (`arn:aws:sqs:...`, `arn:aws-cn:sqs:...`). */
export const isArnOf = (arn: string, service: string): boolean => /^arn:aws(-[a-z]+)*:/.test(arn) && arn.split(":")[2] === service;
