import { readFileSync } from "node:fs";
import { join } from "node:path";
import { monthlyCostOf, sampleApplyCostOf } from "../../../scripts/scale/cost";
import { BEGIN_MARKER, END_MARKER, generatedSectionOf, withGeneratedSection } from "../../../scripts/scale/doc-section";
import { duration, num } from "../../../scripts/scale/format";
import { readScaleInputs } from "../../../scripts/scale/inputs";
import { modelSize } from "../../../scripts/scale/model";
import { renderScaleTables } from "../../../scripts/scale/render";

const docs = join(__dirname, "..", "..", "..", "docs");

const v = (value: unknown) => ({ value, source: "assumption: test" });
const counts = (value: Record<string, number>) => ({ value, source: "assumption: test" });

/** A small fleet whose figures are easy to work out by hand: 86,400 things, so one change per thing per day is 1/s. */
const smallInputs = (): Record<string, unknown> => ({
  month: { seconds: v(100_000) },
  fleet: {
    sizes: v([86_400]),
    regions: v(3),
    certificatesPerThing: v(1),
    groupsPerThing: v(0),
    policiesPerThing: v(0),
    recordsPerThing: v(2),
    recordKb: v(1.5),
  },
  changeRates: { registryEventsPerThingPerDay: v(1), shadowUpdatesPerThingPerDay: v(2), shadowRuleTriggersPerUpdate: v(3) },
  capture: { lambdaMsPerEvent: v(10), batchSize: v(10), memoryMb: v(512), logBytesPerEvent: v(100) },
  apply: {
    lambdaMsPerChange: v(20),
    batchSize: v(5),
    iotCallsPerRegistryChange: counts({ DescribeThing: 1, UpdateThing: 1 }),
    iotCallsPerShadowChange: counts({ UpdateThingShadow: 1 }),
    getItemsPerChange: v(1),
  },
  perBootstrappedDevice: {
    source: "assumption: test",
    iotCalls: { CreateThing: 1, DescribeCertificate: 2 },
    iotCallsPerGroup: {},
    iotCallsPerPolicy: {},
    getItems: 2,
    budgetTableRequestsPerPacedCall: 2,
    applierLambdaMs: 100,
  },
  perSnapshottedDevice: {
    source: "assumption: test",
    iotCallsPerThing: { ListThingPrincipals: 1 },
    iotCallsPerCertificate: { DescribeCertificate: 1 },
    iotCallsPerGroup: {},
    iotCallsPerPolicy: {},
  },
  sweep: {
    intervalMinutes: v(5),
    shadows: v(false),
    rewrittenRecordsPerThing: v(1),
    reapplyIotCallsPerThing: counts({ DescribeCertificate: 1 }),
  },
  budgetShare: v(0.5),
  iotQuotas: {
    _source: "test",
    CreateThing: { tps: 100, source: "test" },
    DescribeThing: { tps: 100, source: "test" },
    UpdateThing: { tps: 100, source: "test" },
    UpdateThingShadow: { tps: 1000, source: "test" },
    DescribeCertificate: { tps: 10, raiseTo: 40, source: "test" },
    ListThingPrincipals: { tps: 10, source: "test" },
  },
  billedIotOperations: v(["DescribeThing", "UpdateThing", "UpdateThingShadow", "ListThingPrincipals"]),
  prices: Object.fromEntries(
    [
      "iotRuleTriggeredPerMillion",
      "iotRuleActionPerMillion",
      "iotMessagePerMillion",
      "iotRegistryOrShadowOperationPerMillion",
      "lambdaArmGbSecond",
      "lambdaX86GbSecond",
      "lambdaRequestPerMillion",
      "dynamoDbWriteRequestUnitPerMillion",
      "dynamoDbReplicatedWriteUnitPerMillion",
      "dynamoDbReadRequestUnitPerMillion",
      "dynamoDbStorageGbMonth",
      "sqsStandardPerMillion",
      "logsIngestionPerGb",
      "stepFunctionsStandardPerThousandTransitions",
    ].map((name) => [name, v(1)]),
  ),
  stepFunctionsSample: { transitionsPerEvent: v(2), lambdaInvocationsPerEvent: v(2), lambdaMsPerInvocation: v(100) },
});

describe("the fleet-scale model", () => {
  const inputs = readScaleInputs(smallInputs());
  const model = modelSize(inputs, 86_400);

  it("works out rates, capture, table units and storage as computed by hand", () => {
    expect(model.rates).toEqual({ registry: 1, shadow: 2, total: 3 });
    // 1 registry trigger + 2 updates x 3 shadow topics; SQS: SendMessage + (Receive + Delete) / batch of 10.
    expect(model.capture.ruleTriggers).toBe(7);
    expect(model.capture.sqsRequests).toBeCloseTo(3.6, 10);
    expect(model.capture.concurrency).toBeCloseTo(0.03, 10);
    expect(model.capture.gbSeconds).toBeCloseTo(0.015, 10);
    // 1.5 KB = 2 write units; 3 changes/s captured in 3 regions, each replicated to the 2 others.
    expect(model.table.writeUnitsPerRegion).toBe(18);
    expect(model.table.replicatedWriteUnits).toBe(36);
    // 86,400 things x 2 records x 3 source regions x 1.5 KB per replica.
    expect(model.table.storageGbPerRegion).toBeCloseTo(777_600 / 1_048_576, 10);
  });

  it("paces the sweep at the slowest API's budget, and the applier re-applies what each pass rewrites", () => {
    // 86,400 ListThingPrincipals and DescribeCertificate calls at 10 TPS x 0.5 = 5 calls/s each.
    expect(model.sweep.passSeconds).toBe(17_280);
    expect(model.sweep.bottleneck).toBe("DescribeCertificate");
    expect(model.sweep.effectiveIntervalSeconds).toBe(17_280);
    expect(model.applier.reapplyCalls).toEqual({ DescribeCertificate: 5 });
    // 3 live changes + 86,400 rewritten records per 17,280 s; 20 ms each.
    expect(model.applier.changesApplied).toBe(8);
    expect(model.applier.concurrency).toBeCloseTo(0.16, 10);
    // Paced calls: DescribeThing 1 + UpdateThing 1 + UpdateThingShadow 2 + DescribeCertificate 5, two budget requests each.
    expect(model.applier.budgetTableWrites).toBe(18);
  });

  it("sets the bootstrap ETA as the snapshot, then each wave's slowest API, with and without the raised quotas", () => {
    expect(model.bootstrap.apply.map(({ api, seconds }) => [api, seconds])).toEqual([
      ["DescribeCertificate", 34_560],
      ["CreateThing", 1_728],
    ]);
    // The snapshot (the primary's ListThingPrincipals, 17,280 s), then the certificates' wave
    // (DescribeCertificate, 34,560 s), then the things' wave (CreateThing, 1,728 s).
    expect(model.bootstrap.etaSeconds).toBe(17_280 + 34_560 + 1_728);
    // DescribeCertificate raised to 40 TPS: 8,640 s; the snapshot's ListThingPrincipals is not raised.
    expect(model.bootstrap.etaRaisedSeconds).toBe(17_280 + 8_640 + 1_728);
  });

  it("prices the rules engine and the public sample's Step Functions per record", () => {
    const rules = monthlyCostOf(inputs, model).components.find((component) => component.name.startsWith("IoT rules engine"));
    // (7 triggers + 3 actions) per second x 3 regions x 100,000 s, at $1 per million.
    expect(rules?.dollars).toBeCloseTo(3, 10);
    const sample = sampleApplyCostOf(inputs, model);
    // 3 records/s x 100,000 s x 2 secondaries x 2 transitions, at $1 per thousand.
    expect(sample.transitions).toBe(1_200_000);
    expect(sample.stepFunctions).toBeCloseTo(1_200, 10);
  });

  it("names the field that is wrong in one line", () => {
    const noSource = smallInputs();
    (noSource.changeRates as Record<string, unknown>).shadowUpdatesPerThingPerDay = { value: 2 };
    expect(() => readScaleInputs(noSource)).toThrow(
      "docs/scale-inputs.json: changeRates.shadowUpdatesPerThingPerDay.source must say where the value comes from",
    );
    const negative = smallInputs();
    (negative.fleet as Record<string, unknown>).regions = v(-1);
    expect(() => readScaleInputs(negative)).toThrow("docs/scale-inputs.json: fleet.regions.value must be a number >= 0");
    const unpaced = smallInputs();
    (unpaced.perBootstrappedDevice as Record<string, unknown>).iotCalls = { AttachPolicy: 1 };
    expect(() => readScaleInputs(unpaced)).toThrow(
      "docs/scale-inputs.json: iotQuotas.AttachPolicy is missing (perBootstrappedDevice.iotCalls calls it)",
    );
  });

  it("prints numbers and durations the same way every time", () => {
    expect([0, 0.0004, 0.01234, 4.567, 999.4, 1234.5].map(num)).toEqual(["0", "< 0.001", "0.0123", "4.57", "999", "1,235"]);
    expect([45, 720, 3.5 * 3600, 7.2 * 86_400].map(duration)).toEqual(["45 s", "12 min", "3.5 h", "7.2 d"]);
  });
});

describe("docs/scale.md", () => {
  it("holds exactly the tables the script computes from docs/scale-inputs.json (run npm run scale-model -- --write)", () => {
    const inputs = readScaleInputs(JSON.parse(readFileSync(join(docs, "scale-inputs.json"), "utf8")));
    const doc = readFileSync(join(docs, "scale.md"), "utf8");
    expect(generatedSectionOf(doc)).toBe(renderScaleTables(inputs).trim());
  });

  it("replaces only the generated section", () => {
    const doc = `# Title\n\nProse.\n\n${BEGIN_MARKER}\n\nold tables\n\n${END_MARKER}\n\nMore prose.\n`;
    expect(withGeneratedSection(doc, "new tables")).toBe(
      `# Title\n\nProse.\n\n${BEGIN_MARKER}\n\nnew tables\n\n${END_MARKER}\n\nMore prose.\n`,
    );
    expect(() => withGeneratedSection("# no markers", "x")).toThrow("docs/scale.md: the marker");
  });
});
