import { createPacer, inProcessSchedules, type SharedSchedules } from "../../../../src/domain/pacing/pacer";

/** A clock that only moves when someone sleeps: the pacer's waits become exact, and the test instant. */
const virtualClock = () => {
  let now = 1_000_000;
  return {
    now: () => now,
    sleep: async (ms: number): Promise<void> => {
      now += ms;
    },
  };
};

const budgets = new Map([["CreateThing", { perSecond: 10, burst: 10 }]]);

describe("createPacer", () => {
  it("starts calls of a budgeted API at its rate after the burst, and others at once", async () => {
    const clock = virtualClock();
    const pace = createPacer({ schedules: inProcessSchedules(), budgets, priority: { kind: "live" }, ...clock });
    const starts: number[] = [];
    for (let call = 0; call < 30; call += 1) {
      await pace("CreateThing");
      starts.push(clock.now());
    }
    await pace("DescribeEndpoint");
    // 10 at once, then one every 100 ms: 20 more take 2 s.
    expect((starts.at(-1) as number) - (starts[0] as number)).toBe(2_000);
    expect(starts.filter((start) => start === starts[0])).toHaveLength(10);
  });

  it("shares one schedule between pacers (two processes) without exceeding the rate together", async () => {
    const clock = virtualClock();
    const schedules = inProcessSchedules();
    const live = createPacer({ schedules, budgets, priority: { kind: "live" }, ...clock });
    const backlog = createPacer({ schedules, budgets, priority: { kind: "backlog", horizonMs: 1_000, chunkSeconds: 0.2 }, ...clock });
    const starts: number[] = [];
    for (let call = 0; call < 40; call += 1) {
      await (call % 2 === 0 ? live : backlog)("CreateThing");
      starts.push(clock.now());
    }
    const elapsed = (starts.at(-1) as number) - (starts[0] as number);
    // 40 calls at 10/s with a burst of 10 need at least 3 s, however they were split.
    expect(elapsed).toBeGreaterThanOrEqual(2_900);
  });

  it("retries a booking another process changed under it (compare-and-set)", async () => {
    const clock = virtualClock();
    const inner = inProcessSchedules();
    let interfered = false;
    const schedules: SharedSchedules = {
      read: inner.read,
      replace: async (api, expected, next) => {
        if (!interfered) {
          interfered = true;
          await inner.replace(api, expected, clock.now() + 5_000);
        }
        return inner.replace(api, expected, next);
      },
    };
    const pace = createPacer({ schedules, budgets, priority: { kind: "live" }, ...clock });
    await pace("CreateThing");
    // The other process booked 5 s of calls first: this call starts behind them.
    expect(clock.now()).toBeGreaterThanOrEqual(1_000_000 + 5_000 - 1_000);
  });
});
