import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalFunction } from "../../src/lambda/local-function";

const dir = mkdtempSync(join(tmpdir(), "local-function-close-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("LocalFunction.close", () => {
  it("ends an invocation that is still running at once, so its timeout timer cannot keep the process alive", async () => {
    const bundlePath = join(dir, "slow.js");
    writeFileSync(bundlePath, "exports.handler = () => new Promise((resolve) => setTimeout(() => resolve('late'), 5000));\n");
    const fn = new LocalFunction({
      functionName: "slow",
      region: "us-east-1",
      bundlePath,
      exportName: "handler",
      timeoutSeconds: 30,
      memorySize: 128,
      environment: {},
      endpointUrl: "http://127.0.0.1:9",
    });
    const running = fn.invoke({});
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    await fn.close();
    const outcome = await running;
    expect(outcome).toMatchObject({ ok: false, error: { name: "Runtime.ExitError" } });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await fn.invoke({})).toMatchObject({
      ok: false,
      error: { name: "Runtime.ExitError", message: "the function has been shut down" },
    });
  });
});
