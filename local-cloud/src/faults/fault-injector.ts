import { type FaultRules, NO_FAULTS, type ThrottledService } from "./fault-rules";
import { type QuotaBucketReport, QuotaBuckets } from "./quota-buckets";
import { quotaRulesOf } from "./quota-rules";
import { seededRandom } from "./seeded-random";

/** Where something is delivered asynchronously, and so can be duplicated and delayed. */
export type DeliveryPoint = "registry-event" | "topic-rule" | "sqs" | "stream";

export const FAULT_KINDS = ["duplicate", "reorder", "throttle", "crash", "unavailable"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** What `GET /_local/faults` answers: the active rules and what was injected since the local cloud started. */
export interface FaultReport {
  readonly rules: FaultRules;
  /** Faults injected of each kind. */
  readonly injected: Readonly<Record<FaultKind, number>>;
  /** The same, by where they were injected (`duplicate/sqs`, `throttle/iot/us-west-2`, `crash/<function>`, ...). */
  readonly detail: Readonly<Record<string, number>>;
  /** Each quota bucket that has seen a call since the rules were applied: calls granted and throttled. */
  readonly quotas: readonly QuotaBucketReport[];
}

const matches = (pattern: string, value: string): boolean => pattern === "*" || pattern === value;

/**
 * The fault model: one active rule set, one seeded PRNG and the counters. Every decision draws from
 * the PRNG in call order, so the same seed and the same sequence of questions give the same faults;
 * it holds no timers and does no I/O (the delivery points act on its answers). Applying a rule set
 * reseeds the PRNG, starts its unavailability windows and fills new quota buckets (whose counters start
 * again); the other counters add up over the whole run.
 */
export class FaultInjector {
  private active: FaultRules = NO_FAULTS;
  private random: () => number = seededRandom(NO_FAULTS.seed);
  private appliedAt = 0;
  private quotas = new QuotaBuckets([]);
  private readonly injected: Record<FaultKind, number> = { duplicate: 0, reorder: 0, throttle: 0, crash: 0, unavailable: 0 };
  private readonly detail = new Map<string, number>();

  constructor(rules: FaultRules = NO_FAULTS, now = 0) {
    this.apply(rules, now);
  }

  get rules(): FaultRules {
    return this.active;
  }

  apply(rules: FaultRules, now: number): void {
    this.active = rules;
    this.random = seededRandom(rules.seed);
    this.appliedAt = now;
    this.quotas = new QuotaBuckets(quotaRulesOf(rules));
  }

  /** Whether this delivery also happens a second time (at-least-once delivery). */
  shouldDuplicate(point: DeliveryPoint): boolean {
    if (this.active.duplicate <= 0) return false;
    const fired = this.random() < this.active.duplicate;
    if (fired) this.count("duplicate", `duplicate/${point}`);
    return fired;
  }

  /** How long to hold this delivery back (0..reorderMs), so that later deliveries can overtake it. */
  delayMs(point: DeliveryPoint): number {
    if (this.active.reorderMs <= 0) return 0;
    const delay = Math.floor(this.random() * (this.active.reorderMs + 1));
    if (delay > 0) this.count("reorder", `reorder/${point}`);
    return delay;
  }

  /** Whether this API call is answered with the service's throttling error instead. */
  throttleFor(service: string, region: string, operation: string): boolean {
    const rule = this.active.throttle.find(
      (candidate) =>
        candidate.service === (service as ThrottledService) && matches(candidate.region, region) && matches(candidate.operation, operation),
    );
    if (!rule || rule.probability <= 0) return false;
    const fired = this.random() < rule.probability;
    if (fired) this.count("throttle", `throttle/${service}/${region}`);
    return fired;
  }

  /**
   * Whether this API call at `now` (epoch ms) is over its quota, so is answered with the service's
   * throttling error; asked after `throttleFor`, so that a call throttled by chance takes no token.
   */
  overQuota(service: ThrottledService, region: string, operation: string, now: number): boolean {
    return !this.quotas.admit(service, region, operation, now);
  }

  /**
   * Whether `service` (a routing name; undefined for one the endpoint does not know) of the region is
   * unreachable at `now` (epoch ms); each call that finds it so is counted.
   */
  isUnavailable(region: string, service: string | undefined, now: number): boolean {
    const down = this.active.unavailable.some(
      (rule) => rule.region === region && (rule.service === "*" || rule.service === service) && now < this.appliedAt + rule.seconds * 1000,
    );
    if (down) this.count("unavailable", `unavailable/${region}${service ? `/${service}` : ""}`);
    return down;
  }

  /**
   * Whether an invocation of `functionName` with `records` records crashes, and if so how many records
   * (0..records-1) the handler is handed before the runtime dies; undefined when it does not crash.
   */
  crashPoint(functionName: string, records: number): number | undefined {
    if (this.active.crash <= 0) return undefined;
    if (this.random() >= this.active.crash) return undefined;
    this.count("crash", `crash/${functionName}`);
    return Math.floor(this.random() * Math.max(1, records));
  }

  report(): FaultReport {
    return { rules: this.active, injected: { ...this.injected }, detail: Object.fromEntries(this.detail), quotas: this.quotas.report() };
  }

  private count(kind: FaultKind, where: string): void {
    this.injected[kind] += 1;
    this.detail.set(where, (this.detail.get(where) ?? 0) + 1);
  }
}
