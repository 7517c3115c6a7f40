import type { VerifyReport } from "../verification/compare-regions";
import type { ReplicationStatus } from "../verification/replication-status";

/** fail blocks `--execute` (unless --force); warn is shown and does not; skip says a check could not run, and why. */
export type Verdict = "pass" | "warn" | "fail" | "skip";

export interface Check {
  readonly verdict: Verdict;
  readonly text: string;
}

/**
 * Drift between the old primary's records and the target's. A failover happens when the primary is in
 * trouble, so drift is a warning (what the target lacks is what will be lost), not a refusal.
 */
export const driftCheck = (report: VerifyReport): Check =>
  report.drifts.length === 0
    ? { verdict: "pass", text: `no drift ${report.primaryRegion} -> ${report.secondaryRegion} (${report.compared} entities match)` }
    : {
        verdict: "warn",
        text: `${report.drifts.length} of ${report.compared} entities differ ${report.primaryRegion} -> ${report.secondaryRegion} (npm run verify shows them): the target lacks them`,
      };

export const lagCheck = (status: ReplicationStatus, target: string): Check => {
  const { lag, backlog } = status;
  const figures = `lag p50 ${lag.p50Ms ?? "-"} ms, p99 ${lag.p99Ms ?? "-"} ms over ${lag.samples} changes`;
  return backlog.count === 0
    ? { verdict: "pass", text: `${figures}, no backlog in ${target}` }
    : { verdict: "warn", text: `${figures}, ${backlog.count} primary changes not yet in ${target} (oldest ${backlog.oldestAgeMs} ms ago)` };
};

/** The target must be healthy to take the fleet: a 503 or no answer refuses the failover. */
export const healthCheck = (
  target: string,
  url: string | undefined,
  answer: { status: number; failure?: string } | { unreachable: string } | { reason: string },
): Check => {
  if ("reason" in answer) return { verdict: "skip", text: `health of ${target} not checked: ${answer.reason}` };
  if ("unreachable" in answer) return { verdict: "fail", text: `health of ${target} unreachable at ${url}: ${answer.unreachable}` };
  return answer.status === 200
    ? { verdict: "pass", text: `${target} is healthy (200 from ${url})` }
    : { verdict: "fail", text: `${target} answers ${answer.status} from ${url}${answer.failure ? `: ${answer.failure}` : ""}` };
};
