import type { QuotaRule } from "./quota-rules";
import type { ThrottledService } from "./rule-validation";
import { TokenBucket } from "./token-bucket";

/** One bucket's counters, as `GET /_local/faults` reports them under `quotas`. */
export interface QuotaBucketReport {
  readonly service: ThrottledService;
  readonly region: string;
  readonly operation: string;
  readonly tps: number;
  readonly burst: number;
  /** Calls the bucket let through, and calls answered with the service's throttling error. */
  readonly granted: number;
  readonly throttled: number;
  /** Epoch ms of the first and the last call granted (null before any): the window the granted calls span. */
  readonly firstGrantedAt: number | null;
  readonly lastGrantedAt: number | null;
}

interface Bucket {
  readonly rule: QuotaRule;
  readonly tokens: TokenBucket;
  granted: number;
  throttled: number;
  firstGrantedAt: number | null;
  lastGrantedAt: number | null;
}

const matches = (pattern: string, value: string): boolean => pattern === "*" || pattern === value;

/**
 * The token buckets of a set of quota rules: a call is matched to the first rule naming its service,
 * region and operation, and takes a token from the bucket of that (service, region, operation),
 * created full on its first call. Calls no rule names are not limited and not counted.
 */
export class QuotaBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly rules: readonly QuotaRule[]) {}

  /** Whether a call at `now` (epoch ms) is within its quota; either way it is counted. */
  admit(service: ThrottledService, region: string, operation: string, now: number): boolean {
    if (this.rules.length === 0) return true;
    const key = `${service}\u0000${region}\u0000${operation}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      const rule = this.rules.find(
        (candidate) => candidate.service === service && matches(candidate.region, region) && matches(candidate.operation, operation),
      );
      if (!rule) return true;
      bucket = {
        rule,
        tokens: new TokenBucket(rule.tps, rule.burst, now),
        granted: 0,
        throttled: 0,
        firstGrantedAt: null,
        lastGrantedAt: null,
      };
      this.buckets.set(key, bucket);
    }
    if (!bucket.tokens.take(now)) {
      bucket.throttled += 1;
      return false;
    }
    bucket.granted += 1;
    bucket.firstGrantedAt ??= now;
    bucket.lastGrantedAt = now;
    return true;
  }

  /** Every bucket that has seen a call, by service, region and operation. */
  report(): QuotaBucketReport[] {
    return [...this.buckets.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, bucket]) => {
        const [service, region, operation] = key.split("\u0000") as [ThrottledService, string, string];
        const { tps, burst } = bucket.rule;
        const { granted, throttled, firstGrantedAt, lastGrantedAt } = bucket;
        return { service, region, operation, tps, burst, granted, throttled, firstGrantedAt, lastGrantedAt };
      });
  }
}
