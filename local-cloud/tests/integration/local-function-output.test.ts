import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalFunction } from "../../src/lambda/local-function";
import { eventually } from "../../src/testing/local-cloud-fixture";

const dir = mkdtempSync(join(tmpdir(), "local-function-output-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("LocalFunction output", () => {
  it("hands everything the function writes to stdout and stderr to the given sink", async () => {
    const bundlePath = join(dir, "chatty.js");
    writeFileSync(
      bundlePath,
      'exports.handler = async (event) => { console.log(JSON.stringify({ _aws: {}, n: event.n })); console.error("warned " + event.n); return event.n; };\n',
    );
    const chunks: string[] = [];
    const fn = new LocalFunction({
      functionName: "chatty",
      region: "us-east-1",
      bundlePath,
      exportName: "handler",
      timeoutSeconds: 30,
      memorySize: 128,
      environment: {},
      endpointUrl: "http://127.0.0.1:9",
      output: (chunk) => chunks.push(chunk),
    });
    try {
      expect(await fn.invoke({ n: 1 })).toMatchObject({ ok: true, result: 1 });
      expect(await fn.invoke({ n: 2 })).toMatchObject({ ok: true, result: 2 });
      const lines = (): string[] =>
        chunks
          .join("")
          .split("\n")
          .filter((line) => line !== "")
          .sort((a, b) => a.localeCompare(b));
      await eventually(
        async () => lines(),
        (seen) => seen.length >= 4,
      );
      expect(lines()).toEqual(['{"_aws":{},"n":1}', '{"_aws":{},"n":2}', "warned 1", "warned 2"].sort((a, b) => a.localeCompare(b)));
    } finally {
      await fn.close();
    }
  });
});
