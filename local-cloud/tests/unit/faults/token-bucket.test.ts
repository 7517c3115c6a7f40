import { QuotaBuckets } from "../../../src/faults/quota-buckets";
import { TokenBucket } from "../../../src/faults/token-bucket";

/** How many of `calls` calls at `now` the bucket grants. */
const grantedAt = (bucket: TokenBucket, now: number, calls: number): number => {
  let granted = 0;
  for (let call = 0; call < calls; call += 1) if (bucket.take(now)) granted += 1;
  return granted;
};

describe("token bucket", () => {
  it("starts full: grants its burst at once, then nothing until it refills", () => {
    const bucket = new TokenBucket(5, 5, 1_000);
    expect(grantedAt(bucket, 1_000, 20)).toBe(5);
    expect(grantedAt(bucket, 1_199, 5)).toBe(0);
    expect(grantedAt(bucket, 1_200, 5)).toBe(1);
  });

  it("refills at tps tokens a second, and never beyond its burst", () => {
    const bucket = new TokenBucket(15, 15, 0);
    expect(grantedAt(bucket, 0, 15)).toBe(15);
    expect(grantedAt(bucket, 1_000, 100)).toBe(15);
    expect(grantedAt(bucket, 1_500, 100)).toBe(7);
    // An hour of quiet still holds only the burst.
    expect(grantedAt(bucket, 3_600_000, 100)).toBe(15);
  });

  it("keeps fractions of tokens: 0.5 tps grants one call every two seconds", () => {
    const bucket = new TokenBucket(0.5, 1, 0);
    expect(grantedAt(bucket, 0, 3)).toBe(1);
    expect(grantedAt(bucket, 1_000, 3)).toBe(0);
    expect(grantedAt(bucket, 1_999, 3)).toBe(0);
    expect(grantedAt(bucket, 2_000, 3)).toBe(1);
    let granted = 0;
    for (let now = 2_001; now <= 62_000; now += 1) if (bucket.take(now)) granted += 1;
    expect(granted).toBe(30);
  });

  it("grants a caller that keeps asking its burst plus tps calls a second, whatever the step", () => {
    for (const [tps, step] of [
      [0.1, 7],
      [10, 3],
      [100, 1],
      [350, 2],
    ] as const) {
      const bucket = new TokenBucket(tps, 2, 0);
      let granted = 0;
      let last = 0;
      for (let now = 0; now <= 100_000; now += step) {
        if (bucket.take(now)) granted += 1;
        last = now;
      }
      expect({ tps, step, granted }).toEqual({ tps, step, granted: 2 + Math.floor((last * tps) / 1000 + 1e-9) });
    }
  });

  it("refills nothing when the clock goes back", () => {
    const bucket = new TokenBucket(1, 1, 10_000);
    expect(bucket.take(10_000)).toBe(true);
    expect(bucket.take(5_000)).toBe(false);
    expect(bucket.take(10_999)).toBe(false);
    expect(bucket.take(11_000)).toBe(true);
  });
});

describe("quota buckets", () => {
  const rules = [
    { service: "iot", region: "us-west-2", operation: "CreateThing", tps: 15, burst: 15 },
    { service: "iot", region: "*", operation: "*", tps: 2, burst: 2 },
  ] as const;

  it("gives each service, region and operation its own bucket, the first matching rule deciding its rate", () => {
    const buckets = new QuotaBuckets(rules);
    const granted = (region: string, operation: string, calls: number) => {
      let count = 0;
      for (let call = 0; call < calls; call += 1) if (buckets.admit("iot", region, operation, 0)) count += 1;
      return count;
    };
    expect(granted("us-west-2", "CreateThing", 20)).toBe(15);
    expect(granted("us-west-2", "UpdateThing", 20)).toBe(2);
    expect(granted("us-west-2", "DeleteThing", 20)).toBe(2);
    expect(granted("eu-west-1", "CreateThing", 20)).toBe(2);
    // No rule names SQS: not limited, not counted.
    for (let call = 0; call < 100; call += 1) expect(buckets.admit("sqs", "us-west-2", "SendMessage", 0)).toBe(true);
    expect(buckets.report().map(({ region, operation, granted, throttled }) => `${region} ${operation} ${granted}/${throttled}`)).toEqual([
      "eu-west-1 CreateThing 2/18",
      "us-west-2 CreateThing 15/5",
      "us-west-2 DeleteThing 2/18",
      "us-west-2 UpdateThing 2/18",
    ]);
  });

  it("reports the window of granted calls, from which a caller computes the achieved rate", () => {
    const buckets = new QuotaBuckets([{ service: "iotdata", region: "*", operation: "GetThingShadow", tps: 10, burst: 10 }]);
    // A caller asking every 10 ms for 60 s: after the burst, 10 calls a second.
    for (let now = 5_000; now <= 65_000; now += 10) buckets.admit("iotdata", "eu-west-1", "GetThingShadow", now);
    const [report] = buckets.report();
    expect(report).toEqual({
      service: "iotdata",
      region: "eu-west-1",
      operation: "GetThingShadow",
      tps: 10,
      burst: 10,
      granted: 610,
      throttled: 6001 - 610,
      firstGrantedAt: 5_000,
      lastGrantedAt: 65_000,
    });
    const achieved = ((report?.granted ?? 0) - 10) / (((report?.lastGrantedAt ?? 0) - (report?.firstGrantedAt ?? 0)) / 1000);
    expect(achieved).toBe(10);
  });

  it("limits nothing and reports nothing without rules", () => {
    const buckets = new QuotaBuckets([]);
    for (let call = 0; call < 1000; call += 1) expect(buckets.admit("iot", "us-east-1", "CreateThing", 0)).toBe(true);
    expect(buckets.report()).toEqual([]);
  });
});
