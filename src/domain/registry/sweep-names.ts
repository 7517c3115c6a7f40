import { err, ok, type Result } from "neverthrow";
import { InvalidEvent } from "../shared/errors";
import { resourceNameFromArn } from "./iot-names";

/**
 * AWS IoT's certificate id: the SHA-256 fingerprint of the certificate, 64 hex digits. The id is the
 * last part of a certificate ARN (`arn:aws:iot:{region}:{account}:cert/{id}`); the sweep keys
 * certificate records and attachments by it, so anything else is refused with the field it came from.
 */
const CERTIFICATE_ID = /^[0-9a-f]{64}$/;

/** AWS IoT's pattern for policy names: 1 to 128 of `[\w+=,.@-]` (no `#`, so relation keys stay unambiguous). */
const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;

export const checkCertificateId = (id: string, field: string): Result<string, InvalidEvent> =>
  CERTIFICATE_ID.test(id)
    ? ok(id)
    : err(new InvalidEvent(`must be a certificate id (64 hex digits), got ${JSON.stringify(id.slice(0, 140))}`, field));

export const checkPolicyName = (name: string, field: string): Result<string, InvalidEvent> =>
  POLICY_NAME.test(name)
    ? ok(name)
    : err(
        new InvalidEvent(
          `must be 1 to 128 of a-z, A-Z, 0-9, '_', '+', '=', ',', '.', '@', '-' (IoT policy names), got ${JSON.stringify(name.slice(0, 140))}`,
          field,
        ),
      );

/**
 * The certificate a principal or policy target names, if it names one: `undefined` for the other
 * principals AWS IoT allows (Amazon Cognito identity ids, thing group ARNs as policy targets, IAM
 * ARNs), which the replica does not hold; an InvalidEvent for something that claims to be a
 * certificate ARN and is not a valid one.
 */
export const certificateIdOfPrincipal = (principal: string, field: string): Result<string | undefined, InvalidEvent> => {
  if (!/^arn:aws[a-z-]*:iot:[^:]*:[^:]*:cert\//.test(principal)) return ok(undefined);
  return resourceNameFromArn(principal, "cert", field).andThen((id) => checkCertificateId(id, field));
};
