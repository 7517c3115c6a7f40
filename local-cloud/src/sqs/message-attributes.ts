import { createHash } from "node:crypto";
import { invalidParameterValue } from "./sqs-errors";

/** A message attribute as the JSON protocol carries it (BinaryValue base64-encoded). */
export interface MessageAttributeValue {
  readonly DataType: string;
  readonly StringValue?: string;
  readonly BinaryValue?: string;
}

export type MessageAttributes = Record<string, MessageAttributeValue>;

const MAX_ATTRIBUTES = 10;

export const md5Hex = (data: string | Buffer): string => createHash("md5").update(data).digest("hex");

const lengthPrefixed = (bytes: Buffer): Buffer => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
};

/**
 * MD5OfMessageAttributes as SQS computes it (names sorted; each name, data type, transport byte
 * 1 = string / 2 = binary and value, length-prefixed), so clients that verify it accept ours.
 */
export const md5OfMessageAttributes = (attributes: MessageAttributes): string | undefined => {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const parts: Buffer[] = [];
  for (const name of names) {
    const value = attributes[name] as MessageAttributeValue;
    parts.push(lengthPrefixed(Buffer.from(name)), lengthPrefixed(Buffer.from(value.DataType)));
    if (value.BinaryValue !== undefined) parts.push(Buffer.from([2]), lengthPrefixed(Buffer.from(value.BinaryValue, "base64")));
    else parts.push(Buffer.from([1]), lengthPrefixed(Buffer.from(value.StringValue ?? "")));
  }
  return md5Hex(Buffer.concat(parts));
};

/** Rejects attributes SQS would refuse: too many, missing data type, or no value of the type's kind. */
export const validateMessageAttributes = (attributes: MessageAttributes | undefined): MessageAttributes => {
  const entries = Object.entries(attributes ?? {});
  if (entries.length > MAX_ATTRIBUTES)
    throw invalidParameterValue(`Number of message attributes [${entries.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`);
  for (const [name, value] of entries) {
    const baseType = (value?.DataType ?? "").split(".")[0];
    if (baseType !== "String" && baseType !== "Number" && baseType !== "Binary") {
      throw invalidParameterValue(`The message attribute '${name}' has an invalid message attribute type '${value?.DataType ?? ""}'.`);
    }
    const present = baseType === "Binary" ? value.BinaryValue : value.StringValue;
    if (present === undefined || present === "") {
      throw invalidParameterValue(
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${baseType}'.`,
      );
    }
    if (baseType === "Number" && !Number.isFinite(Number(value.StringValue))) {
      throw invalidParameterValue(`Can't cast the value of message (user) attribute '${name}' to a number.`);
    }
  }
  return Object.fromEntries(entries.map(([name, value]) => [name, { ...value }]));
};

/**
 * Whether a name is selected by a ReceiveMessage name list: `All` or `.*` selects everything,
 * `prefix.*` a family, anything else an exact name.
 */
export const selectedBy = (requested: readonly string[] | undefined, name: string): boolean =>
  (requested ?? []).some(
    (pattern) =>
      pattern === "All" || pattern === ".*" || pattern === name || (pattern.endsWith(".*") && name.startsWith(pattern.slice(0, -1))),
  );

/** Only the attributes a receiver asked for, as ReceiveMessage returns them. */
export const selectMessageAttributes = (
  attributes: MessageAttributes,
  requested: readonly string[] | undefined,
): MessageAttributes | undefined => {
  const selected = Object.entries(attributes).filter(([name]) => selectedBy(requested, name));
  return selected.length > 0 ? Object.fromEntries(selected) : undefined;
};
