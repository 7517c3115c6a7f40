import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LocalFunction } from "../../src/lambda/local-function";
import { eventually } from "../../src/testing/local-cloud-fixture";
import { gatedFunction } from "../support/gated-function";

const dir = mkdtempSync(join(tmpdir(), "local-function-concurrency-"));
const functions: LocalFunction[] = [];
afterAll(async () => {
  await Promise.all(functions.map((fn) => fn.close()));
  rmSync(dir, { recursive: true, force: true });
});

const gated = (name: string, concurrency: number, timeoutSeconds?: number) => {
  const made = gatedFunction(dir, name, concurrency, timeoutSeconds);
  functions.push(made.fn);
  return made;
};

describe("LocalFunction concurrency", () => {
  it("runs up to its concurrency in separate environments, queues the rest, and reuses idle environments", async () => {
    const { fn, started, open } = gated("pool", 3);
    const results = [1, 2, 3, 4, 5].map((n) => fn.invoke({ n }));
    await eventually(
      async () => started(),
      (count) => count === 3,
    );
    // Three environments are busy at the limit: the other two invocations wait for one of them.
    expect(fn.coldStarts).toBe(3);
    expect(started()).toBe(3);
    open();
    const outcomes = await Promise.all(results);
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    const environments = new Set(
      outcomes.map((outcome) => (outcome.ok ? (outcome.result as { environmentId: string }).environmentId : "")),
    );
    expect(environments.size).toBe(3);
    expect(fn.coldStarts).toBe(3);
    expect(fn.invocations).toBe(5);
  });

  it("discards only the environment whose invocation timed out; the others stay warm", async () => {
    const { fn, open } = gated("timeout", 2, 1);
    open();
    const [hung, served] = await Promise.all([fn.invoke({ hang: true }), fn.invoke({ n: 1 })]);
    expect(hung).toMatchObject({ ok: false, error: { name: "Sandbox.Timedout" } });
    expect(served.ok).toBe(true);
    const again = await fn.invoke({ n: 2 });
    // The surviving environment serves the next invocation (a warm start), no new one is started.
    expect(again.ok && again.result).toEqual(served.ok && served.result);
    expect(fn.coldStarts).toBe(2);
    // A third invocation alongside it needs a new environment in place of the discarded one.
    await Promise.all([fn.invoke({ n: 3 }), fn.invoke({ n: 4 })]);
    expect(fn.coldStarts).toBe(3);
  });

  it("throttles every invocation when ReservedConcurrentExecutions is 0, as Lambda does", async () => {
    const { fn } = gated("reserved-zero", 0);
    expect(await fn.invoke({ n: 1 })).toMatchObject({ ok: false, error: { name: "TooManyRequestsException" } });
    expect(fn.coldStarts).toBe(0);
  });
});
