import { regionalArn } from "../endpoint/partitions";

/**
 * DynamoDB Local writes `ddblocal` where AWS writes the region (and always the `aws` partition): in
 * table and stream ARNs and in a stream record's `awsRegion`. Code under test reads regions out of
 * those (event source mappings, ARNs in outputs), so the proxy shows the caller's region and its
 * partition (`arn:aws-cn:dynamodb:cn-northwest-1:...`) and maps them back on the way in.
 */
const LOCAL_ARN_PREFIX = regionalArn("ddblocal", "dynamodb", "");

/** Rewrites a DynamoDB Local response body so every ARN and `awsRegion` names the caller's region. */
export const toCallerRegion = (body: string, region: string): string =>
  body
    .split(LOCAL_ARN_PREFIX)
    .join(regionalArn(region, "dynamodb", ""))
    .split(`"awsRegion":"ddblocal"`)
    .join(`"awsRegion":"${region}"`);

/** Rewrites ARNs (and shard iterators, which embed the stream ARN) in a request for DynamoDB Local. */
export const toLocalRegion = (body: string, region: string): string =>
  body.split(regionalArn(region, "dynamodb", "")).join(LOCAL_ARN_PREFIX);
