import { spawnSync } from "node:child_process";

/**
 * One output of the deployed stack in a region, read with the SAM CLI (`sam list stack-outputs`, the
 * tool that deploys the stack); the reason when it cannot tell.
 */
export const readStackOutput = (stack: string, forRegion: string, key: string): { value: string } | { reason: string } => {
  const listed = spawnSync("sam", ["list", "stack-outputs", "--stack-name", stack, "--region", forRegion, "--output", "json"], {
    encoding: "utf8",
    timeout: 60_000,
  });
  if (listed.error || listed.status !== 0)
    return { reason: `sam list stack-outputs failed (${listed.error?.message ?? listed.stderr.trim().split("\n").at(-1)})` };
  try {
    const outputs = JSON.parse(listed.stdout) as { OutputKey: string; OutputValue: string }[];
    const value = outputs.find((output) => output.OutputKey === key)?.OutputValue;
    return value ? { value } : { reason: `stack ${stack} in ${forRegion} has no ${key} output` };
  } catch {
    return { reason: "sam list stack-outputs did not answer JSON" };
  }
};
