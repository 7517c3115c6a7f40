import { randomBytes } from "node:crypto";
import { SqsError } from "../sqs/sqs-errors";
import { AwsError } from "./aws-error";
import { type Partition, partitionOf } from "./partitions";

/** An access key pair of the local cloud (what a client's `credentials` take). */
export interface LocalKeyPair {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/**
 * Like AWS, each partition has its own accounts and keys: a key of the `aws` partition is unknown in
 * `aws-cn` and the other way round. The `aws` partition takes any key but the ones below (so
 * `AWS_ACCESS_KEY_ID=local` keeps working everywhere outside China and GovCloud); each other
 * partition takes only its fixed, documented key pair (what `target_ak` / `target_sk` hold in the
 * table sync walkthrough) and the session keys the local cloud issues to functions deployed there.
 */
export const LOCAL_PARTITION_CREDENTIALS: Readonly<Record<Exclude<Partition, "aws">, LocalKeyPair>> = {
  "aws-cn": { accessKeyId: "AKIALOCALCNPARTITION", secretAccessKey: "local+aws-cn+partition+secret+key+000001" },
  "aws-us-gov": { accessKeyId: "AKIALOCALUSGOVPARTN1", secretAccessKey: "local+aws-us-gov+partition+secret+key+01" },
};

/** The key pair of the `aws` partition the local cloud's own clients use (any other non-partition key works too). */
export const LOCAL_CREDENTIALS: LocalKeyPair = { accessKeyId: "local", secretAccessKey: "local" };

/** Session keys the local cloud issues in a partition start with this (after Lambda's `ASIA`). */
const SESSION_KEY_PREFIX: Readonly<Record<Partition, string>> = { aws: "ASIA", "aws-cn": "ASIALOCALCN", "aws-us-gov": "ASIALOCALUSGOV" };

/** The partition an access key id belongs to. */
export const partitionOfAccessKey = (accessKeyId: string): Partition => {
  for (const [partition, keys] of Object.entries(LOCAL_PARTITION_CREDENTIALS) as [Exclude<Partition, "aws">, LocalKeyPair][])
    if (accessKeyId === keys.accessKeyId || accessKeyId.startsWith(SESSION_KEY_PREFIX[partition])) return partition;
  return "aws";
};

/** The key pair the local cloud's own clients (the deployer, the walkthrough seeding) use in a region. */
export const credentialsFor = (region: string): LocalKeyPair => {
  const partition = partitionOf(region);
  return partition === "aws" ? LOCAL_CREDENTIALS : LOCAL_PARTITION_CREDENTIALS[partition];
};

/** A 20-character session access key id (`ASIA...`) of the region's partition, for an execution environment. */
export const sessionAccessKeyId = (region: string): string => {
  const prefix = SESSION_KEY_PREFIX[partitionOf(region)];
  return `${prefix}${randomBytes(16).toString("hex").toUpperCase()}`.slice(0, 20);
};

const INVALID_TOKEN = "The security token included in the request is invalid.";

/**
 * The error AWS answers a request signed with a key its partition does not know, per service:
 * `UnrecognizedClientException` on the JSON protocols (400 for DynamoDB and SSM, 403 for the REST
 * APIs: IoT, IoT data, Lambda); SQS answers 403 with the query code `InvalidClientTokenId`, which is
 * the name SDK v3 (query-compatible awsJson) and both CLIs report.
 */
export const unknownKeyError = (service: string): AwsError => {
  switch (service) {
    case "sqs":
      return new SqsError("UnrecognizedClientException", INVALID_TOKEN, "InvalidClientTokenId", 403);
    case "dynamodb":
    case "ssm":
      return new AwsError("UnrecognizedClientException", INVALID_TOKEN, 400);
    default:
      return new AwsError("UnrecognizedClientException", INVALID_TOKEN, 403);
  }
};

/** Whether a request to `region` signed with `accessKeyId` is refused: the key belongs to another partition. */
export const isForeignKey = (region: string, accessKeyId: string): boolean => partitionOfAccessKey(accessKeyId) !== partitionOf(region);

/** The secret of a fixed partition key pair, which lets the endpoint check that key's signatures; undefined for any other key. */
export const knownSecretOf = (accessKeyId: string): string | undefined =>
  Object.values(LOCAL_PARTITION_CREDENTIALS).find((keys) => keys.accessKeyId === accessKeyId)?.secretAccessKey;

const SIGNATURE_MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

/**
 * The error AWS answers a request whose signature does not match its key's secret: `InvalidSignatureException`
 * (400 from DynamoDB and SSM, 403 from the REST APIs), SQS's `SignatureDoesNotMatch` (403).
 */
export const signatureMismatchError = (service: string): AwsError => {
  switch (service) {
    case "sqs":
      return new SqsError("SignatureDoesNotMatch", SIGNATURE_MISMATCH, "SignatureDoesNotMatch", 403);
    case "dynamodb":
    case "ssm":
      return new AwsError("InvalidSignatureException", SIGNATURE_MISMATCH, 400);
    default:
      return new AwsError("InvalidSignatureException", SIGNATURE_MISMATCH, 403);
  }
};
