import { BOOTSTRAP_WAVES, type BootstrapJob, currentWave, estimateBootstrap } from "../../../../src/domain/recovery/bootstrap-plan";
import { ENTITY_KINDS } from "../../../../src/domain/registry/entity-kinds";

const kind = (entityType: BootstrapJob["kinds"][number]["entityType"], total: number, doneCount = 0, done = false) => ({
  entityType,
  total,
  done,
  applied: doneCount,
  unchanged: 0,
  parked: 0,
});

describe("bootstrap plan", () => {
  it("covers every entity kind exactly once", () => {
    expect([...BOOTSTRAP_WAVES.flat()].sort()).toEqual(Object.keys(ENTITY_KINDS).sort());
  });

  it("works on the first wave with a kind not done", () => {
    const job: BootstrapJob = {
      bulkLoadId: "b",
      primaryRegion: "us-east-1",
      startedAt: 0,
      kinds: [
        kind("thingType", 1, 1, true),
        kind("thingGroup", 2, 2, true),
        kind("certificate", 5, 1),
        kind("policy", 5, 5, true),
        kind("thing", 5),
      ],
    };
    expect(currentWave(job).map((k) => k.entityType)).toEqual(["certificate"]);
  });

  it("estimates the time left at the rate so far", () => {
    const job: BootstrapJob = { bulkLoadId: "b", primaryRegion: "us-east-1", startedAt: 0, kinds: [kind("thing", 1_000, 250)] };
    expect(estimateBootstrap(job, 10_000)).toEqual({ total: 1_000, done: 250, ratePerSecond: 25, etaSeconds: 30 });
    expect(estimateBootstrap({ ...job, kinds: [kind("thing", 1_000)] }, 10_000).etaSeconds).toBeUndefined();
  });
});
