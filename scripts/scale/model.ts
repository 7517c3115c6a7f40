import type { CallCounts, ScaleInputs } from "./inputs";

/**
 * The fleet-scale model's arithmetic, pure: rates, concurrency, table units, IoT API time for a
 * bootstrap and for steady state, at one fleet size. Every figure is per second unless its name
 * says otherwise; costs are in ./cost.ts and the Markdown in ./render.ts.
 */

const DAY_SECONDS = 86_400;

/** Calls of every API in `a` and `b`, each multiplied. */
export const addCalls = (...parts: readonly (readonly [CallCounts, number])[]): Record<string, number> => {
  const total: Record<string, number> = {};
  for (const [counts, times] of parts) {
    for (const [api, calls] of Object.entries(counts)) total[api] = (total[api] ?? 0) + calls * times;
  }
  return total;
};

/** Write units of one PutItem of the record (1 KB each, rounded up), read units of a consistent GetItem (4 KB each). */
export const writeUnits = (inputs: ScaleInputs): number => Math.ceil(inputs.fleet.recordKb);
export const readUnits = (inputs: ScaleInputs): number => Math.ceil(inputs.fleet.recordKb / 4);

/** Calls per second an API may take: its quota (or the raised one) times the applier's share. */
export const budgetOf = (inputs: ScaleInputs, api: string, raised = false): number => {
  const quota = inputs.iotQuotas[api];
  if (quota === undefined) throw new Error(`no quota for ${api} in docs/scale-inputs.json iotQuotas`);
  return (raised ? (quota.raiseTo ?? quota.tps) : quota.tps) * inputs.budgetShare;
};

export interface ApiTime {
  readonly api: string;
  readonly calls: number;
  readonly budget: number;
  readonly seconds: number;
}

/** Time per API to make `calls` within the budget, slowest first: the first is the bottleneck. */
export const apiTimes = (inputs: ScaleInputs, calls: Readonly<Record<string, number>>, raised = false): readonly ApiTime[] =>
  Object.entries(calls)
    .filter(([, count]) => count > 0)
    .map(([api, count]) => {
      const budget = budgetOf(inputs, api, raised);
      return { api, calls: count, budget, seconds: count / budget };
    })
    .sort((a, b) => b.seconds - a.seconds || a.api.localeCompare(b.api));

export interface Fleet {
  readonly things: number;
  readonly certificates: number;
  readonly groups: number;
  readonly policies: number;
}

export const fleetOf = (inputs: ScaleInputs, things: number): Fleet => ({
  things,
  certificates: things * inputs.fleet.certificatesPerThing,
  groups: things * inputs.fleet.groupsPerThing,
  policies: things * inputs.fleet.policiesPerThing,
});

/** Live changes in the primary, per second. */
export interface ChangeRates {
  readonly registry: number;
  readonly shadow: number;
  readonly total: number;
}

export const changeRatesOf = (inputs: ScaleInputs, fleet: Fleet): ChangeRates => {
  const registry = (fleet.things * inputs.changeRates.registryEventsPerThingPerDay) / DAY_SECONDS;
  const shadow = (fleet.things * inputs.changeRates.shadowUpdatesPerThingPerDay) / DAY_SECONDS;
  return { registry, shadow, total: registry + shadow };
};

/**
 * One region's capture path. Every region captures each primary change once: the primary its own,
 * each secondary the echo of the applier's write (captured under the secondary's region).
 */
export interface CapturePerRegion {
  readonly ruleTriggers: number;
  readonly ruleActions: number;
  readonly sqsRequests: number;
  readonly invocations: number;
  readonly gbSeconds: number;
  readonly concurrency: number;
  readonly registryMessages: number;
  readonly logBytes: number;
}

export const captureOf = (inputs: ScaleInputs, rates: ChangeRates): CapturePerRegion => {
  const { capture } = inputs;
  const seconds = (rates.total * capture.lambdaMsPerEvent) / 1000;
  return {
    ruleTriggers: rates.registry + rates.shadow * inputs.changeRates.shadowRuleTriggersPerUpdate,
    ruleActions: rates.total,
    // The rule's SendMessage, then the poller's ReceiveMessage and DeleteMessageBatch per batch.
    sqsRequests: rates.total * (1 + 2 / capture.batchSize),
    invocations: rates.total / capture.batchSize,
    gbSeconds: (seconds * capture.memoryMb) / 1024,
    concurrency: seconds,
    registryMessages: rates.registry,
    logBytes: rates.total * capture.logBytesPerEvent,
  };
};

/** The replica table: every change is captured in N regions, each capture replicated to the N - 1 others. */
export interface TableWrites {
  /** Write units each region's replica takes: its own captures plus those replicated from the others. */
  readonly writeUnitsPerRegion: number;
  /** Across the deployment: write units of the captures, and replicated write units. */
  readonly writeUnits: number;
  readonly replicatedWriteUnits: number;
  readonly storageGbPerRegion: number;
}

export const tableWritesOf = (inputs: ScaleInputs, fleet: Fleet, rates: ChangeRates): TableWrites => {
  const regions = inputs.fleet.regions;
  const units = rates.total * writeUnits(inputs);
  // Each region's registry is captured under its own key, and every replica holds every region's items.
  const itemsPerRegion = fleet.things * inputs.fleet.recordsPerThing * regions;
  return {
    writeUnitsPerRegion: units * regions,
    writeUnits: units * regions,
    replicatedWriteUnits: units * regions * (regions - 1),
    storageGbPerRegion: (itemsPerRegion * inputs.fleet.recordKb) / 1024 ** 2,
  };
};

/** The registry sweep of one region (each region sweeps its own registry). */
export interface Sweep {
  readonly callsPerPass: Readonly<Record<string, number>>;
  readonly passSeconds: number;
  readonly bottleneck: string;
  readonly effectiveIntervalSeconds: number;
  readonly passesPerMonth: number;
  /** Records a pass lists and writes (conditional PutItem each), and those it rewrites with a newer stamp. */
  readonly recordsWrittenPerPass: number;
  readonly recordsRewrittenPerPass: number;
}

export const sweepOf = (inputs: ScaleInputs, fleet: Fleet): Sweep => {
  const snapshot = inputs.perSnapshottedDevice;
  const perThing = Object.fromEntries(
    Object.entries(snapshot.iotCallsPerThing).filter(
      ([api]) => inputs.sweep.shadows || (api !== "GetThingShadow" && api !== "ListNamedShadowsForThing"),
    ),
  );
  const callsPerPass = addCalls(
    [perThing, fleet.things],
    [snapshot.iotCallsPerCertificate, fleet.certificates],
    [snapshot.iotCallsPerGroup, fleet.groups],
    [snapshot.iotCallsPerPolicy, fleet.policies],
  );
  const [slowest] = apiTimes(inputs, callsPerPass);
  const passSeconds = slowest?.seconds ?? 0;
  const effectiveIntervalSeconds = Math.max(inputs.sweep.intervalMinutes * 60, passSeconds);
  return {
    callsPerPass,
    passSeconds,
    bottleneck: slowest?.api ?? "-",
    effectiveIntervalSeconds,
    passesPerMonth: inputs.monthSeconds / effectiveIntervalSeconds,
    recordsWrittenPerPass: fleet.things * (inputs.fleet.recordsPerThing - (inputs.sweep.shadows ? 0 : 1)),
    recordsRewrittenPerPass: fleet.things * inputs.sweep.rewrittenRecordsPerThing,
  };
};

/** What the applier of one secondary does in steady state: live changes plus the re-applies of the primary's sweep rewrites. */
export interface Applier {
  readonly liveCalls: Readonly<Record<string, number>>;
  readonly reapplyCalls: Readonly<Record<string, number>>;
  readonly changesApplied: number;
  readonly invocations: number;
  readonly gbSeconds: number;
  readonly concurrency: number;
  readonly readUnits: number;
  readonly budgetTableWrites: number;
}

export const applierOf = (inputs: ScaleInputs, fleet: Fleet, rates: ChangeRates, sweep: Sweep): Applier => {
  const { apply } = inputs;
  const liveCalls = addCalls([apply.iotCallsPerRegistryChange, rates.registry], [apply.iotCallsPerShadowChange, rates.shadow]);
  const reapplyCalls = addCalls([inputs.sweep.reapplyIotCallsPerThing, fleet.things / sweep.effectiveIntervalSeconds]);
  const changesApplied = rates.total + sweep.recordsRewrittenPerPass / sweep.effectiveIntervalSeconds;
  const seconds = (changesApplied * apply.lambdaMsPerChange) / 1000;
  const pacedCalls = [...Object.values(liveCalls), ...Object.values(reapplyCalls)].reduce((sum, calls) => sum + calls, 0);
  return {
    liveCalls,
    reapplyCalls,
    changesApplied,
    invocations: changesApplied / apply.batchSize,
    gbSeconds: (seconds * inputs.capture.memoryMb) / 1024,
    concurrency: seconds,
    readUnits: changesApplied * apply.getItemsPerChange * readUnits(inputs),
    budgetTableWrites: pacedCalls * inputs.perBootstrappedDevice.budgetTableRequestsPerPacedCall,
  };
};

/**
 * The APIs the bootstrap's waves (src/domain/recovery/bootstrap-plan.ts: types; groups, certificates,
 * policies; things; relations and shadows) spend their time on: a wave ends when its slowest API is
 * done, and the next starts then. An API not listed counts in the last wave.
 */
export const BOOTSTRAP_WAVE_APIS: readonly (readonly string[])[] = [
  ["CreateThingType", "DescribeThingType"],
  [
    "CreateThingGroup",
    "DescribeThingGroup",
    "RegisterCertificateWithoutCA",
    "DescribeCertificate",
    "CreatePolicy",
    "GetPolicy",
    "ListPolicyVersions",
  ],
  ["CreateThing", "DescribeThing"],
];

/** The waves one after another, each as long as its slowest API. */
const wavesSeconds = (times: readonly ApiTime[]): number => {
  const waveOf = (api: string): number => {
    const index = BOOTSTRAP_WAVE_APIS.findIndex((apis) => apis.includes(api));
    return index === -1 ? BOOTSTRAP_WAVE_APIS.length : index;
  };
  const longest = new Map<number, number>();
  for (const time of times) longest.set(waveOf(time.api), Math.max(longest.get(waveOf(time.api)) ?? 0, time.seconds));
  return [...longest.values()].reduce((sum, seconds) => sum + seconds, 0);
};

/** Bootstrapping a new secondary: the applier's calls there, and the snapshot's reads in the primary. */
export interface Bootstrap {
  readonly applyCalls: Readonly<Record<string, number>>;
  readonly snapshotCalls: Readonly<Record<string, number>>;
  readonly apply: readonly ApiTime[];
  readonly applyRaised: readonly ApiTime[];
  readonly snapshot: readonly ApiTime[];
  /** The snapshot, then the apply's waves one after another, each as long as its slowest API. */
  readonly etaSeconds: number;
  readonly etaRaisedSeconds: number;
}

export const bootstrapOf = (inputs: ScaleInputs, fleet: Fleet): Bootstrap => {
  const device = inputs.perBootstrappedDevice;
  const snapshot = inputs.perSnapshottedDevice;
  const applyCalls = addCalls(
    [device.iotCalls, fleet.things],
    [device.iotCallsPerGroup, fleet.groups],
    [device.iotCallsPerPolicy, fleet.policies],
  );
  const snapshotCalls = addCalls(
    [snapshot.iotCallsPerThing, fleet.things],
    [snapshot.iotCallsPerCertificate, fleet.certificates],
    [snapshot.iotCallsPerGroup, fleet.groups],
    [snapshot.iotCallsPerPolicy, fleet.policies],
  );
  const apply = apiTimes(inputs, applyCalls);
  const applyRaised = apiTimes(inputs, applyCalls, true);
  const snapshotTimes = apiTimes(inputs, snapshotCalls);
  const snapshotRaised = apiTimes(inputs, snapshotCalls, true);
  const slowest = (times: readonly ApiTime[]): number => times[0]?.seconds ?? 0;
  return {
    applyCalls,
    snapshotCalls,
    apply,
    applyRaised,
    snapshot: snapshotTimes,
    etaSeconds: slowest(snapshotTimes) + wavesSeconds(apply),
    etaRaisedSeconds: slowest(snapshotRaised) + wavesSeconds(applyRaised),
  };
};

export interface SizeModel {
  readonly fleet: Fleet;
  readonly rates: ChangeRates;
  readonly capture: CapturePerRegion;
  readonly table: TableWrites;
  readonly sweep: Sweep;
  readonly applier: Applier;
  readonly bootstrap: Bootstrap;
}

export const modelSize = (inputs: ScaleInputs, things: number): SizeModel => {
  const fleet = fleetOf(inputs, things);
  const rates = changeRatesOf(inputs, fleet);
  const sweep = sweepOf(inputs, fleet);
  return {
    fleet,
    rates,
    capture: captureOf(inputs, rates),
    table: tableWritesOf(inputs, fleet, rates),
    sweep,
    applier: applierOf(inputs, fleet, rates, sweep),
    bootstrap: bootstrapOf(inputs, fleet),
  };
};
