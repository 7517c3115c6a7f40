import { err, ok, type Result } from "neverthrow";
import { InvalidEvent } from "../shared/errors";

/**
 * Names of IoT resources taken out of their ARNs (`arn:aws:iot:{region}:{account}:{type}/{name}`),
 * because membership events carry only ARNs. The partition may be `aws`, `aws-cn` or `aws-us-gov`.
 */
const IOT_ARN = /^arn:aws[a-z-]*:iot:[a-z0-9-]+:\d{12}:([a-z]+)\/([^/]+)$/;

export const resourceNameFromArn = (arn: string, expectedType: string, field: string): Result<string, InvalidEvent> => {
  const match = IOT_ARN.exec(arn);
  if (!match) return err(new InvalidEvent(`is not an AWS IoT ARN: ${JSON.stringify(arn)}`, field));
  if (match[1] !== expectedType) {
    return err(new InvalidEvent(`must be a ${expectedType} ARN, got a ${match[1]} ARN`, field));
  }
  return ok(match[2] as string);
};
