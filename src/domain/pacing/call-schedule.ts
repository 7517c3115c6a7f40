/**
 * The shared call schedule of one rate-limited API: a token bucket kept as one number, the theoretical
 * arrival time (TAT) of the next call at the sustained rate (the generic cell rate algorithm). Booking
 * `calls` moves the TAT on by `calls` intervals; the calls may start once the TAT is less than one
 * burst ahead of now. Because the whole state is one number, callers in any number of processes
 * share it with one conditional write (compare-and-set), and no one polls: a booking says when to go.
 */

export interface ApiRate {
  /** Sustained calls per second. */
  readonly perSecond: number;
  /** Calls that may start at once after an idle spell (the bucket's size). */
  readonly burst: number;
}

export type Booking =
  /** Booked: write `tat` (if the schedule still holds the TAT read), then start the calls at `startAt`. */
  | { readonly kind: "booked"; readonly tat: number; readonly startAt: number }
  /** Not booked: the schedule is already `horizonMs` ahead (live calls hold it); ask again at `retryAt`. */
  | { readonly kind: "full"; readonly retryAt: number };

/**
 * Books `calls` calls at `now` (epoch ms) on a schedule whose TAT is `tat` (0 when never used).
 * `horizonMs` makes the booking yield: a backlog (bootstrap) call books only while the schedule is
 * less than that far ahead of now, so live calls, which book without a horizon, wait behind at most
 * `horizonMs` of backlog calls. `calls` larger than the burst is booked as the burst's worth at a time
 * would be: the start is pushed back accordingly.
 */
export const bookCalls = (tat: number, calls: number, now: number, rate: ApiRate, horizonMs?: number): Booking => {
  const intervalMs = 1000 / rate.perSecond;
  const ahead = Math.max(tat, now) - now;
  if (horizonMs !== undefined && ahead > horizonMs) return { kind: "full", retryAt: now + ahead - horizonMs };
  const next = Math.max(tat, now) + calls * intervalMs;
  return { kind: "booked", tat: next, startAt: Math.max(now, next - Math.max(rate.burst, calls) * intervalMs) };
};
