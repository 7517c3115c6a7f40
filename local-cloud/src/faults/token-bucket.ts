/**
 * A token bucket: it holds at most `burst` tokens, starts full, and refills at `tps` tokens a second; a
 * call takes one token or is refused. The time is whatever the caller passes (epoch milliseconds), so
 * the arithmetic is pure and a test drives it with its own clock.
 */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number;

  constructor(
    readonly tps: number,
    readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.refilledAt = now;
  }

  /** Takes a token at `now` if there is one; a clock that goes back refills nothing. */
  take(now: number): boolean {
    if (now > this.refilledAt) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) * this.tps) / 1000);
      this.refilledAt = now;
    }
    // Refills in floating point: 0.1 tps for 10 s is 0.9999999999999999 tokens; one part in a billion is a whole token.
    if (this.tokens < 1 - 1e-9) return false;
    this.tokens -= 1;
    return true;
  }
}
