import { LOCAL_ACCOUNT_ID } from "../endpoint/service";

/**
 * DynamoDB Local writes `ddblocal` where AWS writes the region: in table and stream ARNs and in a
 * stream record's `awsRegion`. Code under test reads regions out of those (event source mappings,
 * ARNs in outputs), so the proxy shows the caller's region and maps it back on the way in.
 */
const LOCAL_ARN_PREFIX = `arn:aws:dynamodb:ddblocal:${LOCAL_ACCOUNT_ID}:`;

/** Rewrites a DynamoDB Local response body so every ARN and `awsRegion` names the caller's region. */
export const toCallerRegion = (body: string, region: string): string =>
  body
    .split(LOCAL_ARN_PREFIX)
    .join(`arn:aws:dynamodb:${region}:${LOCAL_ACCOUNT_ID}:`)
    .split(`"awsRegion":"ddblocal"`)
    .join(`"awsRegion":"${region}"`);

/** Rewrites ARNs (and shard iterators, which embed the stream ARN) in a request for DynamoDB Local. */
export const toLocalRegion = (body: string, region: string): string =>
  body.split(`arn:aws:dynamodb:${region}:${LOCAL_ACCOUNT_ID}:`).join(LOCAL_ARN_PREFIX);
