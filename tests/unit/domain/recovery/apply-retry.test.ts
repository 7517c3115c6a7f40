import { errAsync, okAsync } from "neverthrow";
import { applyEntityWithRetry, type RetryBudget } from "../../../../src/domain/recovery/apply-entity";
import type { PrimaryRecords, SecondaryRegistry } from "../../../../src/domain/recovery/recovery-ports";
import { snapshotToRecord } from "../../../../src/domain/registry/replica-record";
import { DependencyUnavailable } from "../../../../src/domain/shared/errors";
import { ModelIotRegistry } from "../../../support/model-iot-registry";

const context = { primaryRegion: "us-east-1", secondaryRegion: "us-west-2" };
const record = snapshotToRecord(
  { entityType: "thing", state: { thingName: "lamp", thingId: null, thingTypeName: null, attributes: { a: "1" }, version: 1 } },
  1_000,
  { sourceRegion: "us-east-1", now: 1_000, tombstoneTtlSeconds: 60 },
)._unsafeUnwrap();
const primary: PrimaryRecords = { read: () => okAsync(record) };
const lamp = { entityType: "thing" as const, entityName: "lamp" };

/** The model region, throttling its first `throttled` calls as IoT does under load. */
const throttling = (throttled: number): { registry: SecondaryRegistry; model: ModelIotRegistry } => {
  const model = new ModelIotRegistry("us-west-2");
  let left = throttled;
  return {
    model,
    registry: {
      read: (ref, forDeletion) => model.read(ref, forDeletion),
      knownToExist: () => false,
      execute: (operation) => {
        if (left > 0) {
          left -= 1;
          return errAsync(new DependencyUnavailable("model", "ThrottlingException: Rate exceeded"));
        }
        return model.execute(operation);
      },
    },
  };
};

/** A clock that only moves when the retry sleeps. */
const fakeBudget = (deadline: number): RetryBudget & { slept: number[] } => {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    deadline,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
    random: () => 1,
  };
};

describe("retrying an entity inside the invocation's time budget", () => {
  it("backs off exponentially on throttling and applies the entity once the calls pass", async () => {
    const { registry, model } = throttling(3);
    const budget = fakeBudget(60_000);
    const result = await applyEntityWithRetry({ primary, secondary: registry, context }, lamp, budget);
    expect(result.outcome?.kind).toBe("applied");
    expect(result.attempts).toBe(4);
    expect(budget.slept).toEqual([200, 400, 800]);
    expect(model.things.get("lamp")?.attributes).toEqual({ a: "1" });
  });

  it("returns the last transient failure when the next wait would pass the deadline, for the stream to retry", async () => {
    const { registry, model } = throttling(100);
    const budget = fakeBudget(1_000);
    const result = await applyEntityWithRetry({ primary, secondary: registry, context }, lamp, budget);
    expect(result.error?.kind).toBe("DependencyUnavailable");
    expect(budget.slept).toEqual([200, 400]);
    expect(model.things.size).toBe(0);
  });
});

describe("an entity whose dependency the primary's table does not hold yet", () => {
  const association = snapshotToRecord(
    { entityType: "thingTypeAssociation", state: { thingName: "ghost", thingTypeName: "lamp", thingId: null } },
    1_000,
    { sourceRegion: "us-east-1", now: 1_000, tombstoneTtlSeconds: 60 },
  )._unsafeUnwrap();
  // The association's record is there; its thing's is not (captured live before the thing ever was).
  const onlyAssociation: PrimaryRecords = {
    read: (ref) => okAsync(ref.entityType === "thingTypeAssociation" ? association : undefined),
  };

  it("waits a short while in the shard, then is deferred to the redrive for a minute", async () => {
    const model = new ModelIotRegistry("us-west-2");
    const budget = { ...fakeBudget(100_000), dependencyWaitMs: 5_000 };
    const result = await applyEntityWithRetry(
      { primary: onlyAssociation, secondary: model, context },
      { entityType: "thingTypeAssociation", entityName: "ghost#lamp" },
      budget,
    );
    expect(result.outcome).toEqual({
      kind: "deferred",
      reason: expect.stringContaining("waits for"),
      retryAfterSeconds: 60,
    });
    expect(budget.slept.reduce((sum, ms) => sum + ms, 0)).toBeGreaterThanOrEqual(5_000);
    expect(budget.slept.reduce((sum, ms) => sum + ms, 0)).toBeLessThan(100_000);
  });
});
