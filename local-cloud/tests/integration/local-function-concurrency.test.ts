import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalFunction } from "../../src/lambda/local-function";
import { eventually } from "../../src/testing/local-cloud-fixture";

const dir = mkdtempSync(join(tmpdir(), "local-function-concurrency-"));
const functions: LocalFunction[] = [];
afterAll(async () => {
  await Promise.all(functions.map((fn) => fn.close()));
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A handler that marks its start in a file and then waits until the test opens the gate, so the test
 * sees how many invocations run at once without timing anything. Each environment has its own id
 * (module scope), which the handler answers with. `{"hang":true}` never returns.
 */
const gatedFunction = (name: string, concurrency: number, timeoutSeconds = 30) => {
  const marks = join(dir, name);
  const gate = join(dir, `${name}.open`);
  const bundlePath = join(dir, `${name}.js`);
  mkdirSync(marks);
  writeFileSync(
    bundlePath,
    `const fs = require("node:fs");
const environmentId = require("node:crypto").randomUUID();
exports.handler = async (event) => {
  if (event.hang) return new Promise(() => undefined);
  fs.writeFileSync(${JSON.stringify(marks)} + "/" + event.n, environmentId);
  while (!fs.existsSync(${JSON.stringify(gate)})) await new Promise((resolve) => setTimeout(resolve, 20));
  return { environmentId };
};
`,
  );
  const fn = new LocalFunction({
    functionName: name,
    region: "us-east-1",
    bundlePath,
    exportName: "handler",
    timeoutSeconds,
    memorySize: 128,
    environment: {},
    endpointUrl: "http://127.0.0.1:9",
    concurrency,
  });
  functions.push(fn);
  return { fn, started: () => readdirSync(marks).length, open: () => writeFileSync(gate, "") };
};

describe("LocalFunction concurrency", () => {
  it("runs up to its concurrency in separate environments, queues the rest, and reuses idle environments", async () => {
    const { fn, started, open } = gatedFunction("pool", 3);
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
    const { fn, open } = gatedFunction("timeout", 2, 1);
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
    const { fn } = gatedFunction("reserved-zero", 0);
    expect(await fn.invoke({ n: 1 })).toMatchObject({ ok: false, error: { name: "TooManyRequestsException" } });
    expect(fn.coldStarts).toBe(0);
  });
});
