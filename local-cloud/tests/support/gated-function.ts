import { appendFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { LocalFunction } from "../../src/lambda/local-function";

/**
 * A function whose invocations mark their start (a file per invocation, and a line in `started.log`)
 * and then wait until the test opens the gate, so a test sees how many invocations run at once
 * without timing anything. The mark is the event's `n`, or the `n` of each SQS record's JSON body.
 * Each environment has its own id (module scope), which the handler answers with. `{"hang":true}`
 * never returns.
 */
export const gatedFunction = (dir: string, name: string, concurrency: number, timeoutSeconds = 30) => {
  const marks = join(dir, name);
  const gate = join(dir, `${name}.open`);
  const log = join(dir, `${name}.started.log`);
  const bundlePath = join(dir, `${name}.js`);
  mkdirSync(marks);
  writeFileSync(log, "");
  writeFileSync(
    bundlePath,
    `const fs = require("node:fs");
const environmentId = require("node:crypto").randomUUID();
exports.handler = async (event) => {
  if (event.hang) return new Promise(() => undefined);
  const mark = event.n !== undefined ? String(event.n) : event.Records.map((record) => JSON.parse(record.body).n).join(",");
  fs.writeFileSync(${JSON.stringify(marks)} + "/" + mark, environmentId);
  fs.appendFileSync(${JSON.stringify(log)}, mark + "\\n");
  while (!fs.existsSync(${JSON.stringify(gate)})) await new Promise((resolve) => setTimeout(resolve, 20));
  return { environmentId, batchItemFailures: [] };
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
  return {
    fn,
    /** How many invocations have started so far. */
    started: () => readdirSync(marks).length,
    /** The marks in the order their invocations started. */
    startOrder: () => readFileSync(log, "utf8").split("\n").filter(Boolean),
    open: () => appendFileSync(gate, ""),
  };
};
