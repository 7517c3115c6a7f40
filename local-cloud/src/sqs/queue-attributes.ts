import { invalidParameterValue, SqsError } from "./sqs-errors";

/** The numbers SQS behaviour depends on, parsed once from the queue's string attributes. */
export interface QueueSettings {
  readonly delaySeconds: number;
  readonly maximumMessageSize: number;
  readonly messageRetentionPeriod: number;
  readonly receiveMessageWaitTimeSeconds: number;
  readonly visibilityTimeout: number;
  readonly redrivePolicy?: { readonly deadLetterTargetArn: string; readonly maxReceiveCount: number };
  readonly fifoQueue: boolean;
  readonly contentBasedDeduplication: boolean;
}

const NUMERIC_ATTRIBUTES: Record<string, { min: number; max: number; default: number }> = {
  DelaySeconds: { min: 0, max: 900, default: 0 },
  MaximumMessageSize: { min: 1024, max: 1_048_576, default: 262_144 },
  MessageRetentionPeriod: { min: 60, max: 1_209_600, default: 345_600 },
  ReceiveMessageWaitTimeSeconds: { min: 0, max: 20, default: 0 },
  VisibilityTimeout: { min: 0, max: 43_200, default: 30 },
  KmsDataKeyReusePeriodSeconds: { min: 60, max: 86_400, default: 300 },
};

/** Attributes a client may set; they are stored and echoed back even when they change no behaviour here. */
const OTHER_SETTABLE = new Set([
  "RedrivePolicy",
  "RedriveAllowPolicy",
  "Policy",
  "KmsMasterKeyId",
  "SqsManagedSseEnabled",
  "ContentBasedDeduplication",
  "DeduplicationScope",
  "FifoThroughputLimit",
]);

/** Attributes only CreateQueue may set. */
const CREATE_ONLY = new Set(["FifoQueue"]);

const BOOLEAN_ATTRIBUTES = new Set(["FifoQueue", "ContentBasedDeduplication", "SqsManagedSseEnabled"]);

export const DEFAULT_ATTRIBUTES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    Object.entries(NUMERIC_ATTRIBUTES)
      .filter(([name]) => name !== "KmsDataKeyReusePeriodSeconds")
      .map(([name, spec]) => [name, String(spec.default)]),
  ),
  SqsManagedSseEnabled: "true",
};

const invalidValue = (name: string, value: string, reason: string): SqsError =>
  new SqsError("InvalidAttributeValue", `Invalid value for the parameter ${name}. Reason: ${reason} (got '${value}').`);

/** Normalises RedrivePolicy to the compact JSON SQS returns; `queueExists` checks the target exists. */
const normaliseRedrivePolicy = (value: string, queueExists: (arn: string) => boolean): string => {
  if (value === "") return "";
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw invalidParameterValue(`Value ${value} for parameter RedrivePolicy is invalid. Reason: Redrive policy is not a valid JSON map.`);
  }
  const policy = parsed as { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
  const maxReceiveCount = Number(policy.maxReceiveCount);
  if (
    typeof policy.deadLetterTargetArn !== "string" ||
    !Number.isInteger(maxReceiveCount) ||
    maxReceiveCount < 1 ||
    maxReceiveCount > 1000
  ) {
    throw invalidParameterValue(
      `Value ${value} for parameter RedrivePolicy is invalid. Reason: Redrive policy needs deadLetterTargetArn and maxReceiveCount (1-1000).`,
    );
  }
  if (!queueExists(policy.deadLetterTargetArn)) {
    throw invalidParameterValue(`Value ${value} for parameter RedrivePolicy is invalid. Reason: Dead letter target does not exist.`);
  }
  return JSON.stringify({ deadLetterTargetArn: policy.deadLetterTargetArn, maxReceiveCount });
};

/**
 * Validates attributes given to CreateQueue or SetQueueAttributes and returns them normalised
 * (the form GetQueueAttributes answers), failing with the error SQS uses for each mistake.
 */
export const normaliseQueueAttributes = (
  given: Record<string, string> | undefined,
  context: { readonly creating: boolean; readonly fifo: boolean; readonly queueExists: (arn: string) => boolean },
): Record<string, string> => {
  const normalised: Record<string, string> = {};
  for (const [name, raw] of Object.entries(given ?? {})) {
    const value = String(raw);
    const numeric = NUMERIC_ATTRIBUTES[name];
    if (numeric) {
      const number = Number(value);
      if (value.trim() === "" || !Number.isInteger(number) || number < numeric.min || number > numeric.max) {
        throw invalidValue(name, value, `must be an integer from ${numeric.min} to ${numeric.max}`);
      }
      normalised[name] = String(number);
    } else if (CREATE_ONLY.has(name) ? context.creating : OTHER_SETTABLE.has(name)) {
      if (BOOLEAN_ATTRIBUTES.has(name) && value !== "true" && value !== "false") throw invalidValue(name, value, "must be true or false");
      normalised[name] = name === "RedrivePolicy" ? normaliseRedrivePolicy(value, context.queueExists) : value;
    } else {
      throw new SqsError("InvalidAttributeName", `Unknown Attribute ${name}.`);
    }
  }
  const fifoOnly = ["ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit"].filter((name) => name in normalised);
  if (!context.fifo && fifoOnly.length > 0) throw new SqsError("InvalidAttributeName", `Unknown Attribute ${fifoOnly[0]}.`);
  return normalised;
};

/** Reads the behaviour-relevant settings out of a queue's stored attributes. */
export const settingsOf = (attributes: Readonly<Record<string, string>>): QueueSettings => {
  const number = (name: string): number => Number(attributes[name] ?? NUMERIC_ATTRIBUTES[name]?.default ?? 0);
  const redrive = attributes.RedrivePolicy
    ? (JSON.parse(attributes.RedrivePolicy) as { deadLetterTargetArn: string; maxReceiveCount: number })
    : undefined;
  return {
    delaySeconds: number("DelaySeconds"),
    maximumMessageSize: number("MaximumMessageSize"),
    messageRetentionPeriod: number("MessageRetentionPeriod"),
    receiveMessageWaitTimeSeconds: number("ReceiveMessageWaitTimeSeconds"),
    visibilityTimeout: number("VisibilityTimeout"),
    ...(redrive ? { redrivePolicy: redrive } : {}),
    fifoQueue: attributes.FifoQueue === "true",
    contentBasedDeduplication: attributes.ContentBasedDeduplication === "true",
  };
};
