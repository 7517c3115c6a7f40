/**
 * `npm run failover -- --to <region> [--execute] [--force] [--samconfig samconfig.toml] [--health-url U]
 *  [--stack S] [--table T] [--endpoint-url U]`
 *
 * The runbook as a command: checks before (the target is a secondary, drift, lag and backlog, the
 * target's health), the samconfig.toml change (PrimaryRegion swapped in every config-env), the
 * redeploys in order, and the checks to run after. Without --execute nothing changes. With it, a failed
 * check refuses (unless --force), samconfig.toml is written, and the SAM CLI deploys each config-env
 * (against the local cloud, which reads samconfig.toml at start, a restart of `npm start` takes it).
 * Exit codes: 0 done (or dry run with no failed check), 1 a check failed or a step failed, 2 bad arguments.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { type Check, driftCheck, healthCheck, lagCheck } from "../domain/failover/failover-checks";
import { configEnvRoles, redeployOrder, swapPrimaryRegion } from "../domain/failover/samconfig-primary";
import { describeError } from "../domain/shared/errors";
import { compareRegions } from "../domain/verification/compare-regions";
import { replicationStatus } from "../domain/verification/replication-status";
import { FAILOVER_USAGE, type FailoverArguments, parseFailoverArguments } from "./failover-arguments";
import { callHealthUrl, findHealthUrl } from "./health-url";
import { runCommand } from "./operator-arguments";
import { readReplicaRegions } from "./replica-regions";

const MARK: Record<Check["verdict"], string> = { pass: "[pass]", warn: "[warn]", fail: "[FAIL]", skip: "[skip]" };

const checksBefore = async (args: FailoverArguments, oldPrimary: string, targetEnv: string): Promise<Check[]> => {
  const checks: Check[] = [{ verdict: "pass", text: `${args.to} is a secondary of ${oldPrimary} (config-env ${targetEnv})` }];
  const records = await readReplicaRegions({ primary: oldPrimary, secondary: args.to, table: args.table, endpointUrl: args.endpointUrl });
  if (records.isErr())
    checks.push({ verdict: "skip", text: `drift and lag not checked: table ${args.table} unreadable: ${describeError(records.error)}` });
  else {
    checks.push(driftCheck(compareRegions(oldPrimary, args.to, records.value.primary, records.value.secondary)));
    checks.push(lagCheck(replicationStatus(records.value.primary, records.value.secondary, Date.now(), 1000), args.to));
  }
  const found = await findHealthUrl(args.to, args);
  checks.push(healthCheck(args.to, "url" in found ? found.url : undefined, "url" in found ? await callHealthUrl(found.url) : found));
  return checks;
};

/** The SAM CLI, run in the foreground; false when it is missing or fails. */
const sam = (samArgs: readonly string[]): boolean => {
  console.log(`$ sam ${samArgs.join(" ")}`);
  const run = spawnSync("sam", samArgs, { stdio: "inherit" });
  if (run.error) console.error(`failover: could not run sam: ${run.error.message}`);
  return !run.error && run.status === 0;
};

const main = async (): Promise<number> => {
  const parsed = parseFailoverArguments(process.argv.slice(2));
  if (parsed.isErr()) {
    console.error(`failover: ${parsed.error}\n${FAILOVER_USAGE}`);
    return 2;
  }
  const args = parsed.value;
  let samconfig: string;
  try {
    samconfig = readFileSync(args.samconfig, "utf8");
  } catch (error) {
    console.error(`failover: cannot read ${args.samconfig}: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  const swap = swapPrimaryRegion(samconfig, args.to);
  if (swap.isErr()) {
    console.error(`failover: ${swap.error}`);
    return 1;
  }
  const { previousPrimary, changes, text } = swap.value;
  const roles = configEnvRoles(samconfig);
  const order = redeployOrder(roles, args.to, previousPrimary);
  const endpointFlag = args.endpointUrl ? ` --endpoint-url ${args.endpointUrl}` : "";

  console.log(`failover ${previousPrimary} -> ${args.to}${args.execute ? "" : " (dry run)"}`);
  console.log("checks before:");
  const checks = await checksBefore(args, previousPrimary, order[0] as string);
  for (const check of checks) console.log(`  ${MARK[check.verdict]} ${check.text}`);
  console.log(`${args.samconfig}: PrimaryRegion ${previousPrimary} -> ${args.to} in ${changes.length} config-envs`);
  for (const change of changes) console.log(`  line ${change.line}:\n  - ${change.before}\n  + ${change.after}`);
  console.log("redeploy, in this order (build once, then each config-env):");
  console.log("  sam build");
  for (const env of order) {
    const role = roles.find((candidate) => candidate.configEnv === env);
    const note =
      role?.region === args.to
        ? "the new primary: its applier stops"
        : role?.region === previousPrimary
          ? "the old primary, now a secondary: deploy when it is reachable; its applier then converges it"
          : `a secondary: it follows ${args.to} from now on`;
    console.log(`  sam deploy --config-env ${env}   # ${note}`);
  }
  console.log("checks after:");
  for (const role of roles.filter((candidate) => candidate.region && candidate.region !== args.to))
    console.log(`  npm run verify -- --primary ${args.to} --secondary ${role.region}${endpointFlag}`);
  console.log(`  npm run status -- --primary ${args.to} --secondary ${previousPrimary}${endpointFlag}`);
  console.log(`  the health URL of ${args.to} answers 200; with DNS failover, the failover record now names ${args.to} PRIMARY`);

  const failed = checks.filter((check) => check.verdict === "fail");
  if (!args.execute) {
    console.log(
      `dry run: nothing changed${failed.length > 0 ? `; ${failed.length} check(s) failed` : ""}. Run again with --execute to write ${args.samconfig} and redeploy.`,
    );
    return failed.length > 0 ? 1 : 0;
  }
  if (failed.length > 0 && !args.force) {
    console.error(`failover refused: ${failed.length} check(s) failed (--force to fail over anyway)`);
    return 1;
  }
  writeFileSync(args.samconfig, text);
  console.log(`wrote ${args.samconfig}`);
  if (args.endpointUrl) {
    console.log(
      "the local cloud deploys samconfig.toml when it starts: restart `npm start` to redeploy every region with the new PrimaryRegion, then run the checks after",
    );
    return 0;
  }
  for (const step of [["build"], ...order.map((env) => ["deploy", "--config-env", env])]) {
    if (!sam(step)) {
      console.error(`failover stopped at \`sam ${step.join(" ")}\`: fix the cause and run the remaining deploys in the order above`);
      return 1;
    }
  }
  console.log(`failover to ${args.to} deployed; run the checks after`);
  return 0;
};

runCommand("failover", main);
