// Runs one Lambda function's bundled handler inside a worker thread: its own module registry and its
// own process.env (set by the parent), so two regions' copies of a function never share clients or
// configuration, just as two Lambda environments would not.
//
// What the handler writes to stdout and stderr (console, Powertools' logger) still reaches the
// parent's output, and is also kept per invocation and sent back with its outcome: the parent makes
// the function's log of that invocation from it (Lambda's `LogType: Tail`). Invocations run one at a
// time, so whatever is written while one runs belongs to it; what the module writes as it loads goes
// with the first (cold) invocation, as Lambda's log of that invocation starts with the init output.

const { parentPort, workerData } = require("node:worker_threads");

let captured = [];
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream);
  stream.write = (chunk, ...rest) => {
    captured.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return write(chunk, ...rest);
  };
}
const takeLogs = () => {
  const logs = captured.join("");
  captured = [];
  return logs;
};

const settle = (id, promise) =>
  promise.then(
    (result) => parentPort.postMessage({ id, ok: true, result: result === undefined ? null : result, logs: takeLogs() }),
    (error) =>
      parentPort.postMessage({
        id,
        ok: false,
        error: { name: error?.name || "Error", message: error?.message || String(error), stack: error?.stack },
        logs: takeLogs(),
      }),
  );

let handler;
try {
  const module = require(workerData.bundlePath);
  handler = module[workerData.exportName];
  if (typeof handler !== "function") throw new Error(`${workerData.bundlePath} does not export a function named ${workerData.exportName}`);
} catch (error) {
  parentPort.postMessage({
    id: 0,
    ok: false,
    error: { name: "Runtime.ImportModuleError", message: error.message, stack: error.stack },
    logs: takeLogs(),
  });
}

parentPort.on("message", ({ id, event, context }) => {
  if (!handler) return;
  const deadline = Date.now() + context.timeoutMs;
  const lambdaContext = {
    ...context,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  settle(
    id,
    Promise.resolve().then(() => handler(event, lambdaContext)),
  );
});
