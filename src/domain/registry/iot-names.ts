import { err, ok, type Result } from "neverthrow";
import { InvalidEvent } from "../shared/errors";
import { type JsonObject, readNullableString, readString } from "../shared/json-fields";

/**
 * AWS IoT's pattern for thing, thing type and thing group names (1 to 128 of `a-zA-Z0-9:_-`). A name
 * outside it never comes from AWS, and would break the record keys (`thingGroupMembership#group#thing`
 * is unambiguous only because names hold no `#`), so it is refused with the field it came from.
 */
const IOT_NAME = /^[a-zA-Z0-9:_-]{1,128}$/;

export const checkIotName = (name: string, field: string): Result<string, InvalidEvent> =>
  IOT_NAME.test(name)
    ? ok(name)
    : err(
        new InvalidEvent(
          `must be 1 to 128 of a-z, A-Z, 0-9, ':', '_', '-' (AWS IoT names), got ${JSON.stringify(name.slice(0, 140))}`,
          field,
        ),
      );

export const readIotName = (source: JsonObject, field: string): Result<string, InvalidEvent> =>
  readString(source, field).andThen((name) => checkIotName(name, field));

export const readNullableIotName = (source: JsonObject, field: string): Result<string | null, InvalidEvent> =>
  readNullableString(source, field).andThen((name) => (name === null ? ok(null) : checkIotName(name, field)));

/**
 * Names of IoT resources taken out of their ARNs (`arn:aws:iot:{region}:{account}:{type}/{name}`),
 * because membership events carry only ARNs. The partition may be `aws`, `aws-cn` or `aws-us-gov`.
 */
const IOT_ARN = /^arn:aws[a-z-]*:iot:[a-z0-9-]+:\d{12}:([a-z]+)\/([^/]+)$/;

export const resourceNameFromArn = (arn: string, expectedType: string, field: string): Result<string, InvalidEvent> => {
  const match = IOT_ARN.exec(arn);
  if (!match) return err(new InvalidEvent(`is not an AWS IoT ARN: ${JSON.stringify(arn.slice(0, 300))}`, field));
  if (match[1] !== expectedType) {
    return err(new InvalidEvent(`must be a ${expectedType} ARN, got a ${match[1]} ARN`, field));
  }
  return checkIotName(match[2] as string, field);
};
