// Runs one Lambda function's bundled handler inside a worker thread: its own module registry and its
// own process.env (set by the parent), so two regions' copies of a function never share clients or
// configuration, just as two Lambda environments would not.

const { parentPort, workerData } = require("node:worker_threads");

const settle = (id, promise) =>
  promise.then(
    (result) => parentPort.postMessage({ id, ok: true, result: result === undefined ? null : result }),
    (error) =>
      parentPort.postMessage({
        id,
        ok: false,
        error: { name: error?.name || "Error", message: error?.message || String(error), stack: error?.stack },
      }),
  );

let handler;
try {
  const module = require(workerData.bundlePath);
  handler = module[workerData.exportName];
  if (typeof handler !== "function") throw new Error(`${workerData.bundlePath} does not export a function named ${workerData.exportName}`);
} catch (error) {
  parentPort.postMessage({ id: 0, ok: false, error: { name: "Runtime.ImportModuleError", message: error.message, stack: error.stack } });
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
