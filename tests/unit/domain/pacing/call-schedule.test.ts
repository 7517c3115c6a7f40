import fc from "fast-check";
import { bookCalls } from "../../../../src/domain/pacing/call-schedule";

const rate = { perSecond: 10, burst: 10 };

describe("bookCalls (one API's shared schedule)", () => {
  it("lets a burst start at once after an idle spell, then spaces calls at the rate", () => {
    let tat = 0;
    const starts: number[] = [];
    for (let call = 0; call < 15; call += 1) {
      const booking = bookCalls(tat, 1, 1_000_000, rate);
      if (booking.kind !== "booked") throw new Error("live calls always book");
      tat = booking.tat;
      starts.push(booking.startAt);
    }
    expect(starts.slice(0, 10)).toEqual(Array(10).fill(1_000_000));
    expect(starts.slice(10)).toEqual([1_000_100, 1_000_200, 1_000_300, 1_000_400, 1_000_500]);
  });

  it("makes a backlog caller yield once the schedule is its horizon ahead, and says when to ask again", () => {
    const booking = bookCalls(1_002_500, 1, 1_000_000, rate, 1_000);
    expect(booking).toEqual({ kind: "full", retryAt: 1_001_500 });
    expect(bookCalls(1_000_900, 1, 1_000_000, rate, 1_000).kind).toBe("booked");
  });

  it("books a chunk of calls as one move of the schedule", () => {
    expect(bookCalls(0, 5, 1_000_000, rate)).toEqual({ kind: "booked", tat: 1_000_500, startAt: 1_000_000 });
  });

  it("never lets more than burst + rate x elapsed calls start in any window (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 3 })), { minLength: 1, maxLength: 200 }),
        (arrivals) => {
          let tat = 0;
          let now = 0;
          const starts: number[] = [];
          for (const [gap, calls] of arrivals) {
            now += gap;
            const booking = bookCalls(tat, calls, now, rate);
            if (booking.kind !== "booked") return false;
            tat = booking.tat;
            for (let i = 0; i < calls; i += 1) starts.push(booking.startAt);
          }
          starts.sort((a, b) => a - b);
          for (let i = 0; i < starts.length; i += 1) {
            for (let j = i; j < starts.length; j += 1) {
              const window = (starts[j] as number) - (starts[i] as number);
              if (j - i + 1 > rate.burst + Math.floor((window * rate.perSecond) / 1000) + 3) return false;
            }
          }
          return true;
        },
      ),
    );
  });
});
