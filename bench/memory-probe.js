// Runs one function bundle in a fresh Node process, as one Lambda execution environment: loads it,
// invokes its handler once with the SQS event in the file named by argv[3], and prints the process's
// peak resident set size. Usage: node bench/memory-probe.js <bundle.js> <event.json>
const { readFileSync } = require("node:fs");

const main = async () => {
  const [bundlePath, eventPath] = process.argv.slice(2);
  if (!bundlePath || !eventPath) throw new Error("usage: node bench/memory-probe.js <bundle.js> <event.json>");
  const { handler } = require(bundlePath);
  const event = JSON.parse(readFileSync(eventPath, "utf8"));
  const context = {
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:000000000000:function:${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: "memory-probe",
    logGroupName: "memory-probe",
    logStreamName: "memory-probe",
    getRemainingTimeInMillis: () => 60_000,
  };
  const result = await handler(event, context);
  const failures = result?.batchItemFailures?.length ?? 0;
  if (failures > 0) throw new Error(`${failures} batch item failure(s)`);
  process.stderr.write(`${JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS, records: event.Records.length })}\n`);
};

main().catch((error) => {
  process.stderr.write(`${JSON.stringify({ error: String(error?.stack ?? error) })}\n`);
  process.exitCode = 1;
});
