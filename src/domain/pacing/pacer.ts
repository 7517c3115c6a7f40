import { type ApiRate, bookCalls } from "./call-schedule";
import type { ApiBudgets } from "./iot-api-quotas";

/**
 * Where the schedules live, shared by every process that calls the APIs (a DynamoDB item per API in
 * the deployed product): read one, and replace it only if it still holds what was read.
 */
export interface SharedSchedules {
  /** The schedule's TAT (epoch ms), 0 when it was never used. */
  read(api: string): Promise<number>;
  /** Writes `next` if the schedule still holds `expected`; otherwise says what it holds now. */
  replace(
    api: string,
    expected: number,
    next: number,
  ): Promise<{ readonly replaced: true } | { readonly replaced: false; readonly current: number }>;
}

/** Who is calling: live changes book at once; a backlog (bootstrap) yields to them. */
export type CallPriority =
  | { readonly kind: "live" }
  /** Books only while the schedule is less than `horizonMs` ahead, and `chunkSeconds` of calls per booking. */
  | { readonly kind: "backlog"; readonly horizonMs: number; readonly chunkSeconds: number };

/** Live changes' priority (the stream applier, the redrive): every call books the next free slot at once. */
export const LIVE: CallPriority = { kind: "live" };

/** A backlog's priority (a bootstrap, a sweep): it books only while live calls are less than a second behind, 200 ms of calls at a time. */
export const BACKLOG: CallPriority = { kind: "backlog", horizonMs: 1_000, chunkSeconds: 0.2 };

export interface PacerOptions {
  readonly schedules: SharedSchedules;
  readonly budgets: ApiBudgets;
  readonly priority: CallPriority;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** Waits until one call of `api` may start within its budget; APIs without a budget start at once. */
export type Pace = (api: string) => Promise<void>;

/** Booked calls not yet started are used within this long of their start time, or dropped. */
const HELD_CALLS_EXPIRE_MS = 1_000;

interface Held {
  calls: number;
  startAt: number;
  /** The TAT this process last saw: a guess that saves a read; a failed replace corrects it. */
  tat: number | undefined;
  /** One booking at a time per API in this process; the others wait for it and share what it booked. */
  booking: Promise<void> | undefined;
}

/**
 * Paces calls to per-API budgets shared across processes. Each booking is one compare-and-set of the
 * API's schedule; a backlog caller books a fraction of a second of calls at once and hands them out
 * in-process, so its cost is a few writes per second per API, not one per call.
 */
export const createPacer = (options: PacerOptions): Pace => {
  const { schedules, budgets, priority, now, sleep } = options;
  const held = new Map<string, Held>();
  const horizonMs = priority.kind === "backlog" ? priority.horizonMs : undefined;
  const chunkOf = (rate: ApiRate): number =>
    priority.kind === "backlog" ? Math.max(1, Math.min(rate.burst, Math.floor(rate.perSecond * priority.chunkSeconds))) : 1;

  const book = async (api: string, rate: ApiRate, state: Held): Promise<void> => {
    const calls = chunkOf(rate);
    for (;;) {
      const tat = state.tat ?? (await schedules.read(api));
      const booking = bookCalls(tat, calls, now(), rate, horizonMs);
      if (booking.kind === "full") {
        state.tat = undefined;
        await sleep(Math.max(1, booking.retryAt - now()));
        continue;
      }
      const written = await schedules.replace(api, tat, booking.tat);
      if (!written.replaced) {
        state.tat = written.current;
        continue;
      }
      state.tat = booking.tat;
      state.calls = calls;
      state.startAt = booking.startAt;
      return;
    }
  };

  return async (api: string): Promise<void> => {
    const rate = budgets.get(api);
    if (rate === undefined) return;
    let state = held.get(api);
    if (state === undefined) {
      state = { calls: 0, startAt: 0, tat: undefined, booking: undefined };
      held.set(api, state);
    }
    for (;;) {
      if (state.calls > 0 && now() <= state.startAt + HELD_CALLS_EXPIRE_MS) {
        state.calls -= 1;
        const wait = state.startAt - now();
        if (wait > 0) await sleep(wait);
        return;
      }
      state.calls = 0;
      if (state.booking === undefined) {
        const current = state;
        state.booking = book(api, rate, current).finally(() => {
          current.booking = undefined;
        });
      }
      await state.booking;
    }
  };
};

/** Schedules kept in this process only: for a command that is the only caller of its APIs (a bootstrap's snapshot of the primary). */
export const inProcessSchedules = (): SharedSchedules => {
  const tats = new Map<string, number>();
  return {
    read: async (api) => tats.get(api) ?? 0,
    replace: async (api, expected, next) => {
      const current = tats.get(api) ?? 0;
      if (current !== expected) return { replaced: false, current };
      tats.set(api, next);
      return { replaced: true };
    },
  };
};
