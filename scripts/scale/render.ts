import { bootstrapCostOf, liveApplyCostOf, monthlyCostOf, sampleApplyCostOf } from "./cost";
import { dollars, duration, num, percent, table, things } from "./format";
import type { ScaleInputs } from "./inputs";
import { type ApiTime, budgetOf, modelSize, type SizeModel } from "./model";

/**
 * The generated tables of docs/scale.md, as Markdown, from the inputs alone: the doc holds exactly
 * this text between its markers, so the two cannot drift (tests/unit/scale checks it).
 */

const timeOf = (times: readonly ApiTime[], api: string): string => {
  const time = times.find((entry) => entry.api === api);
  return time === undefined ? "-" : duration(time.seconds);
};

const eta = (times: readonly ApiTime[]): string => (times[0] === undefined ? "-" : `**${duration(times[0].seconds)}** (${times[0].api})`);

const apisOf = (...maps: readonly Readonly<Record<string, number>>[]): string[] =>
  [...new Set(maps.flatMap((calls) => Object.keys(calls).filter((api) => (calls[api] ?? 0) > 0)))].sort();

const ratesTable = (inputs: ScaleInputs, models: readonly SizeModel[]): string =>
  table(
    [
      "things",
      "registry events/s",
      "shadow updates/s",
      "changes/s (primary)",
      `captures/s (all ${inputs.fleet.regions} regions)`,
      "rule triggers/s per region",
    ],
    models.map((m) => [
      things(m.fleet.things),
      num(m.rates.registry),
      num(m.rates.shadow),
      num(m.rates.total),
      num(m.rates.total * inputs.fleet.regions),
      num(m.capture.ruleTriggers),
    ]),
  );

const concurrencyTable = (inputs: ScaleInputs, models: readonly SizeModel[]): string =>
  table(
    ["things", "capture, per region", "applier, per secondary (live changes)", "applier incl. sweep re-applies", "sweep, per region"],
    models.map((m) => [
      things(m.fleet.things),
      num(m.capture.concurrency),
      num((m.rates.total * inputs.apply.lambdaMsPerChange) / 1000),
      num(m.applier.concurrency),
      num(Math.min(1, m.sweep.passSeconds / m.sweep.effectiveIntervalSeconds)),
    ]),
  );

const tableTable = (inputs: ScaleInputs, models: readonly SizeModel[]): string =>
  table(
    [
      "things",
      "capture write units/s per region",
      "of which replicated in",
      "sweep write units/s per region",
      "SQS requests/s per region",
      "storage per replica",
      "storage, all replicas",
    ],
    models.map((m) => {
      const regions = inputs.fleet.regions;
      const units = Math.ceil(inputs.fleet.recordKb);
      const sweepUnits = (m.sweep.recordsWrittenPerPass + m.sweep.recordsRewrittenPerPass * (regions - 1)) * units;
      return [
        things(m.fleet.things),
        num(m.table.writeUnitsPerRegion),
        num((m.table.writeUnitsPerRegion * (regions - 1)) / regions),
        num(sweepUnits / m.sweep.effectiveIntervalSeconds),
        num(m.capture.sqsRequests),
        `${num(m.table.storageGbPerRegion)} GB`,
        `${num(m.table.storageGbPerRegion * regions)} GB`,
      ];
    }),
  );

const bootstrapTable = (inputs: ScaleInputs, models: readonly SizeModel[], part: "apply" | "snapshot"): string => {
  const [first] = models;
  if (first === undefined) return "";
  const calls = part === "apply" ? first.bootstrap.applyCalls : first.bootstrap.snapshotCalls;
  const perThing = (api: string): string => num((calls[api] ?? 0) / first.fleet.things);
  const rows = apisOf(calls).map((api) => [
    api,
    perThing(api),
    num(inputs.iotQuotas[api]?.tps ?? 0),
    num(budgetOf(inputs, api)),
    ...models.map((m) => timeOf(part === "apply" ? m.bootstrap.apply : m.bootstrap.snapshot, api)),
  ]);
  const sizes = models.map((m) => things(m.fleet.things));
  const etaRow = ["**slowest API**", "", "", "", ...models.map((m) => eta(part === "apply" ? m.bootstrap.apply : m.bootstrap.snapshot))];
  const raised =
    part === "apply" ? [["**slowest API, quotas raised**", "", "", "", ...models.map((m) => eta(m.bootstrap.applyRaised))]] : [];
  return table(["API", "calls per thing", "quota (TPS)", "budget (calls/s)", ...sizes], [...rows, etaRow, ...raised]);
};

const etaTable = (inputs: ScaleInputs, models: readonly SizeModel[]): string =>
  table(
    ["things", "ETA, default quotas", "ETA, quotas raised", "one-off cost at list prices"],
    models.map((m) => [
      things(m.fleet.things),
      duration(m.bootstrap.etaSeconds),
      duration(m.bootstrap.etaRaisedSeconds),
      dollars(bootstrapCostOf(inputs, m)),
    ]),
  );

const steadyTable = (inputs: ScaleInputs, models: readonly SizeModel[]): string => {
  const apis = apisOf(...models.flatMap((m) => [m.applier.liveCalls, m.applier.reapplyCalls, m.sweep.callsPerPass]));
  const sizes = models.map((m) => things(m.fleet.things));
  const use = (calls: Readonly<Record<string, number>>, api: string, per = 1): string =>
    (calls[api] ?? 0) === 0 ? "-" : percent((calls[api] ?? 0) / per / budgetOf(inputs, api));
  return table(
    [
      "API",
      "budget (calls/s)",
      ...sizes.map((s) => `live, ${s}`),
      ...sizes.map((s) => `sweep re-applies, ${s}`),
      ...sizes.map((s) => `sweep in each region, ${s}`),
    ],
    apis.map((api) => [
      api,
      num(budgetOf(inputs, api)),
      ...models.map((m) => use(m.applier.liveCalls, api)),
      ...models.map((m) => use(m.applier.reapplyCalls, api)),
      ...models.map((m) => use(m.sweep.callsPerPass, api, m.sweep.effectiveIntervalSeconds)),
    ]),
  );
};

const sweepTable = (models: readonly SizeModel[]): string =>
  table(
    ["things", "IoT calls per pass", "pass time (slowest API)", "effective interval", "passes per month", "records rewritten per pass"],
    models.map((m) => [
      things(m.fleet.things),
      num(Object.values(m.sweep.callsPerPass).reduce((sum, calls) => sum + calls, 0)),
      `${duration(m.sweep.passSeconds)} (${m.sweep.bottleneck})`,
      duration(m.sweep.effectiveIntervalSeconds),
      num(m.sweep.passesPerMonth),
      num(m.sweep.recordsRewrittenPerPass),
    ]),
  );

/** The same fleet if a sweep pass wrote only the records that changed: no rewrites, nothing for the appliers to re-apply. */
const withoutSweepRewrites = (inputs: ScaleInputs): ScaleInputs => ({
  ...inputs,
  sweep: { ...inputs.sweep, rewrittenRecordsPerThing: 0, reapplyIotCallsPerThing: {} },
});

const costTable = (inputs: ScaleInputs, models: readonly SizeModel[]): string => {
  const costs = models.map((m) => monthlyCostOf(inputs, m));
  const unchangedNotRewritten = withoutSweepRewrites(inputs);
  const names = costs[0]?.components.map((component) => component.name) ?? [];
  return table(
    ["component", ...models.map((m) => things(m.fleet.things))],
    [
      ...names.map((name, index) => [name, ...costs.map((cost) => dollars(cost.components[index]?.dollars ?? 0))]),
      ["**total per month**", ...costs.map((cost) => `**${dollars(cost.total)}**`)],
      ["per thing per month", ...costs.map((cost, index) => `$${num(cost.total / (models[index]?.fleet.things ?? 1))}`)],
      [
        "total if a sweep pass rewrote only changed records",
        ...models.map((m) => dollars(monthlyCostOf(unchangedNotRewritten, modelSize(unchangedNotRewritten, m.fleet.things)).total)),
      ],
    ],
  );
};

const sampleTable = (inputs: ScaleInputs, models: readonly SizeModel[]): string =>
  table(
    [
      "things",
      "records applied per month (all secondaries)",
      "sample: state transitions",
      "sample: Step Functions",
      "sample: Lambda",
      "ours: applier (live changes)",
    ],
    models.map((m) => {
      const sample = sampleApplyCostOf(inputs, m);
      return [
        things(m.fleet.things),
        num(m.rates.total * inputs.monthSeconds * (inputs.fleet.regions - 1)),
        num(sample.transitions),
        dollars(sample.stepFunctions),
        dollars(sample.lambda),
        dollars(liveApplyCostOf(inputs, m)),
      ];
    }),
  );

/** The generated section of docs/scale.md. */
export const renderScaleTables = (inputs: ScaleInputs): string => {
  const models = inputs.fleet.sizes.map((size) => modelSize(inputs, size));
  return [
    "### Live changes",
    ratesTable(inputs, models),
    "### Lambda concurrency (arrival rate × duration)",
    concurrencyTable(inputs, models),
    "### Replica table and capture queue",
    tableTable(inputs, models),
    "### Bootstrap of a new secondary: the applier's IoT calls there",
    bootstrapTable(inputs, models, "apply"),
    "### Bootstrap: the snapshot's reads in the primary",
    bootstrapTable(inputs, models, "snapshot"),
    "### Bootstrap ETA (the snapshot, then the apply's waves, each as long as its slowest API)",
    etaTable(inputs, models),
    "### Steady state: share of each API's budget",
    steadyTable(inputs, models),
    "### Registry sweep, per region",
    sweepTable(models),
    "### Monthly cost at list prices (steady state, all regions)",
    costTable(inputs, models),
    "### The public sample's Step Functions apply, for the same live changes",
    sampleTable(inputs, models),
  ].join("\n\n");
};
