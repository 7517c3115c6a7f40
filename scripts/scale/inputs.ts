/**
 * The inputs of the fleet-scale model (docs/scale-inputs.json), read and checked: every number is a
 * finite number >= 0 and carries a non-empty `source`. A bad file is one error naming the field.
 */

/** IoT calls per API name. */
export type CallCounts = Readonly<Record<string, number>>;

export interface Quota {
  readonly tps: number;
  /** What an operator could ask for before a large bootstrap (a quota increase). */
  readonly raiseTo?: number;
}

export interface ScaleInputs {
  readonly monthSeconds: number;
  readonly fleet: {
    readonly sizes: readonly number[];
    readonly regions: number;
    readonly certificatesPerThing: number;
    readonly groupsPerThing: number;
    readonly policiesPerThing: number;
    readonly recordsPerThing: number;
    readonly recordKb: number;
  };
  readonly changeRates: {
    readonly registryEventsPerThingPerDay: number;
    readonly shadowUpdatesPerThingPerDay: number;
    readonly shadowRuleTriggersPerUpdate: number;
  };
  readonly capture: {
    readonly lambdaMsPerEvent: number;
    readonly batchSize: number;
    readonly memoryMb: number;
    readonly logBytesPerEvent: number;
  };
  readonly apply: {
    readonly lambdaMsPerChange: number;
    readonly batchSize: number;
    readonly iotCallsPerRegistryChange: CallCounts;
    readonly iotCallsPerShadowChange: CallCounts;
    readonly getItemsPerChange: number;
  };
  readonly perBootstrappedDevice: {
    readonly source: string;
    readonly iotCalls: CallCounts;
    readonly iotCallsPerGroup: CallCounts;
    readonly iotCallsPerPolicy: CallCounts;
    readonly getItems: number;
    readonly budgetTableRequestsPerPacedCall: number;
    readonly applierLambdaMs: number;
  };
  readonly perSnapshottedDevice: {
    readonly iotCallsPerThing: CallCounts;
    readonly iotCallsPerCertificate: CallCounts;
    readonly iotCallsPerGroup: CallCounts;
    readonly iotCallsPerPolicy: CallCounts;
  };
  readonly sweep: {
    readonly intervalMinutes: number;
    readonly shadows: boolean;
    readonly rewrittenRecordsPerThing: number;
    readonly reapplyIotCallsPerThing: CallCounts;
  };
  readonly budgetShare: number;
  readonly iotQuotas: Readonly<Record<string, Quota>>;
  readonly billedIotOperations: ReadonlySet<string>;
  readonly prices: Readonly<Record<PriceName, number>>;
  readonly stepFunctionsSample: {
    readonly transitionsPerEvent: number;
    readonly lambdaInvocationsPerEvent: number;
    readonly lambdaMsPerInvocation: number;
  };
}

export const PRICE_NAMES = [
  "iotRuleTriggeredPerMillion",
  "iotRuleActionPerMillion",
  "iotMessagePerMillion",
  "iotRegistryOrShadowOperationPerMillion",
  "lambdaArmGbSecond",
  "lambdaRequestPerMillion",
  "lambdaX86GbSecond",
  "dynamoDbWriteRequestUnitPerMillion",
  "dynamoDbReplicatedWriteUnitPerMillion",
  "dynamoDbReadRequestUnitPerMillion",
  "dynamoDbStorageGbMonth",
  "sqsStandardPerMillion",
  "logsIngestionPerGb",
  "stepFunctionsStandardPerThousandTransitions",
] as const;
export type PriceName = (typeof PRICE_NAMES)[number];

/** A field of docs/scale-inputs.json that is missing or wrong, named by its path. */
export class ScaleInputError extends Error {
  constructor(path: string, problem: string) {
    super(`docs/scale-inputs.json: ${path} ${problem}`);
  }
}

type Json = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

const objectAt = (parent: Json, key: string, path: string): Json => {
  const value = parent[key];
  if (!isObject(value)) throw new ScaleInputError(`${path}${key}`, "must be an object");
  return value;
};

const checkSource = (entry: Json, key: string, path: string): void => {
  const source = entry[key];
  if (typeof source !== "string" || source.trim() === "")
    throw new ScaleInputError(`${path}.${key}`, "must say where the value comes from");
};

const count = (value: unknown, path: string): number => {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) throw new ScaleInputError(path, "must be a number >= 0");
  return value;
};

/** `{ "value": ..., "source": "..." }`: the value, once its source is there. */
const sourced = (parent: Json, key: string, path: string): unknown => {
  const entry = objectAt(parent, key, path);
  checkSource(entry, "source", `${path}${key}`);
  if (!("value" in entry)) throw new ScaleInputError(`${path}${key}.value`, "is missing");
  return entry.value;
};

const sourcedNumber = (parent: Json, key: string, path: string): number => count(sourced(parent, key, path), `${path}${key}.value`);

const callCounts = (value: unknown, path: string): CallCounts => {
  if (!isObject(value)) throw new ScaleInputError(path, "must be an object of IoT API names to call counts");
  return Object.fromEntries(Object.entries(value).map(([api, calls]) => [api, count(calls, `${path}.${api}`)]));
};

const numbers = (group: Json, path: string, keys: readonly string[]): Record<string, number> =>
  Object.fromEntries(keys.map((key) => [key, sourcedNumber(group, key, path)]));

const quotas = (root: Json): Record<string, Quota> => {
  const group = objectAt(root, "iotQuotas", "");
  return Object.fromEntries(
    Object.entries(group)
      .filter(([api]) => !api.startsWith("_"))
      .map(([api]) => {
        const entry = objectAt(group, api, "iotQuotas.");
        checkSource(entry, "source", `iotQuotas.${api}`);
        const tps = count(entry.tps, `iotQuotas.${api}.tps`);
        if (tps === 0) throw new ScaleInputError(`iotQuotas.${api}.tps`, "must be above 0");
        const raiseTo = entry.raiseTo === undefined ? undefined : count(entry.raiseTo, `iotQuotas.${api}.raiseTo`);
        return [api, raiseTo === undefined ? { tps } : { tps, raiseTo }];
      }),
  );
};

/** Every API a call count names must have a quota, or the model could not pace it. */
const checkQuotas = (inputs: ScaleInputs): ScaleInputs => {
  const uses: readonly [string, CallCounts][] = [
    ["apply.iotCallsPerRegistryChange", inputs.apply.iotCallsPerRegistryChange],
    ["apply.iotCallsPerShadowChange", inputs.apply.iotCallsPerShadowChange],
    ["perBootstrappedDevice.iotCalls", inputs.perBootstrappedDevice.iotCalls],
    ["perBootstrappedDevice.iotCallsPerGroup", inputs.perBootstrappedDevice.iotCallsPerGroup],
    ["perBootstrappedDevice.iotCallsPerPolicy", inputs.perBootstrappedDevice.iotCallsPerPolicy],
    ["perSnapshottedDevice.iotCallsPerThing", inputs.perSnapshottedDevice.iotCallsPerThing],
    ["perSnapshottedDevice.iotCallsPerCertificate", inputs.perSnapshottedDevice.iotCallsPerCertificate],
    ["perSnapshottedDevice.iotCallsPerGroup", inputs.perSnapshottedDevice.iotCallsPerGroup],
    ["perSnapshottedDevice.iotCallsPerPolicy", inputs.perSnapshottedDevice.iotCallsPerPolicy],
    ["sweep.reapplyIotCallsPerThing", inputs.sweep.reapplyIotCallsPerThing],
  ];
  for (const [path, calls] of uses) {
    const missing = Object.keys(calls).find((api) => inputs.iotQuotas[api] === undefined);
    if (missing !== undefined) throw new ScaleInputError(`iotQuotas.${missing}`, `is missing (${path} calls it)`);
  }
  return inputs;
};

/** Reads the parsed JSON of docs/scale-inputs.json, or throws a ScaleInputError naming the first bad field. */
export const readScaleInputs = (root: unknown): ScaleInputs => {
  if (!isObject(root)) throw new ScaleInputError("(top level)", "must be an object");
  const fleet = objectAt(root, "fleet", "");
  const sizes = sourced(fleet, "sizes", "fleet.");
  if (!Array.isArray(sizes) || sizes.length === 0)
    throw new ScaleInputError("fleet.sizes.value", "must be a non-empty list of thing counts");
  const rates = objectAt(root, "changeRates", "");
  const capture = objectAt(root, "capture", "");
  const apply = objectAt(root, "apply", "");
  const device = objectAt(root, "perBootstrappedDevice", "");
  checkSource(device, "source", "perBootstrappedDevice");
  const snapshot = objectAt(root, "perSnapshottedDevice", "");
  checkSource(snapshot, "source", "perSnapshottedDevice");
  const sweep = objectAt(root, "sweep", "");
  const shadows = sourced(sweep, "shadows", "sweep.");
  if (typeof shadows !== "boolean") throw new ScaleInputError("sweep.shadows.value", "must be true or false");
  const billed = sourced(root, "billedIotOperations", "");
  if (!Array.isArray(billed) || !billed.every((name) => typeof name === "string")) {
    throw new ScaleInputError("billedIotOperations.value", "must be a list of IoT API names");
  }
  const budgetShare = sourcedNumber(root, "budgetShare", "");
  if (budgetShare === 0 || budgetShare > 1) throw new ScaleInputError("budgetShare.value", "must be above 0 and at most 1");
  const sample = objectAt(root, "stepFunctionsSample", "");
  return checkQuotas({
    monthSeconds: sourcedNumber(objectAt(root, "month", ""), "seconds", "month."),
    fleet: {
      sizes: sizes.map((size, index) => count(size, `fleet.sizes.value[${index}]`)),
      ...(numbers(fleet, "fleet.", [
        "regions",
        "certificatesPerThing",
        "groupsPerThing",
        "policiesPerThing",
        "recordsPerThing",
        "recordKb",
      ]) as Omit<ScaleInputs["fleet"], "sizes">),
    },
    changeRates: numbers(rates, "changeRates.", [
      "registryEventsPerThingPerDay",
      "shadowUpdatesPerThingPerDay",
      "shadowRuleTriggersPerUpdate",
    ]) as unknown as ScaleInputs["changeRates"],
    capture: numbers(capture, "capture.", [
      "lambdaMsPerEvent",
      "batchSize",
      "memoryMb",
      "logBytesPerEvent",
    ]) as unknown as ScaleInputs["capture"],
    apply: {
      ...(numbers(apply, "apply.", ["lambdaMsPerChange", "batchSize", "getItemsPerChange"]) as {
        lambdaMsPerChange: number;
        batchSize: number;
        getItemsPerChange: number;
      }),
      iotCallsPerRegistryChange: callCounts(sourced(apply, "iotCallsPerRegistryChange", "apply."), "apply.iotCallsPerRegistryChange.value"),
      iotCallsPerShadowChange: callCounts(sourced(apply, "iotCallsPerShadowChange", "apply."), "apply.iotCallsPerShadowChange.value"),
    },
    perBootstrappedDevice: {
      source: device.source as string,
      iotCalls: callCounts(device.iotCalls, "perBootstrappedDevice.iotCalls"),
      iotCallsPerGroup: callCounts(device.iotCallsPerGroup, "perBootstrappedDevice.iotCallsPerGroup"),
      iotCallsPerPolicy: callCounts(device.iotCallsPerPolicy, "perBootstrappedDevice.iotCallsPerPolicy"),
      getItems: count(device.getItems, "perBootstrappedDevice.getItems"),
      budgetTableRequestsPerPacedCall: count(
        device.budgetTableRequestsPerPacedCall,
        "perBootstrappedDevice.budgetTableRequestsPerPacedCall",
      ),
      applierLambdaMs: count(device.applierLambdaMs, "perBootstrappedDevice.applierLambdaMs"),
    },
    perSnapshottedDevice: {
      iotCallsPerThing: callCounts(snapshot.iotCallsPerThing, "perSnapshottedDevice.iotCallsPerThing"),
      iotCallsPerCertificate: callCounts(snapshot.iotCallsPerCertificate, "perSnapshottedDevice.iotCallsPerCertificate"),
      iotCallsPerGroup: callCounts(snapshot.iotCallsPerGroup, "perSnapshottedDevice.iotCallsPerGroup"),
      iotCallsPerPolicy: callCounts(snapshot.iotCallsPerPolicy, "perSnapshottedDevice.iotCallsPerPolicy"),
    },
    sweep: {
      intervalMinutes: sourcedNumber(sweep, "intervalMinutes", "sweep."),
      shadows,
      rewrittenRecordsPerThing: sourcedNumber(sweep, "rewrittenRecordsPerThing", "sweep."),
      reapplyIotCallsPerThing: callCounts(sourced(sweep, "reapplyIotCallsPerThing", "sweep."), "sweep.reapplyIotCallsPerThing.value"),
    },
    budgetShare,
    iotQuotas: quotas(root),
    billedIotOperations: new Set(billed as string[]),
    prices: numbers(objectAt(root, "prices", ""), "prices.", PRICE_NAMES) as Record<PriceName, number>,
    stepFunctionsSample: numbers(sample, "stepFunctionsSample.", [
      "transitionsPerEvent",
      "lambdaInvocationsPerEvent",
      "lambdaMsPerInvocation",
    ]) as unknown as ScaleInputs["stepFunctionsSample"],
  });
};
