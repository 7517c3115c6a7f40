import fc from "fast-check";

/**
 * A small simulated AWS IoT shadow service for property tests: it runs random updates, deletes and
 * waits the way AWS does (every update bumps the version; a delete's message carries the deleted
 * document's version; a shadow re-created less than 48 hours after its delete continues from that
 * version, one re-created later starts over at 1) and records the messages the shadow rule would
 * deliver (with their topic), plus the final truth to compare the replica against.
 */
export type ShadowOperation =
  | { op: "update"; shadow: string; color: string }
  | { op: "delete"; shadow: string }
  /** Lets time pass: within the same second, a second, just under, exactly or over 48 hours. */
  | { op: "wait"; seconds: number };

const HOURS_48 = 48 * 60 * 60;
/** The classic shadow of `bulb-1` and a named one (`config`). */
const SHADOWS = ["bulb-1", "bulb-1#config"];

export const shadowOperationArbitrary: fc.Arbitrary<ShadowOperation> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant("update" as const),
      shadow: fc.constantFrom(...SHADOWS),
      color: fc.constantFrom("red", "blue"),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("delete" as const), shadow: fc.constantFrom(...SHADOWS) }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant("wait" as const), seconds: fc.constantFrom(0, 1, HOURS_48 - 1, HOURS_48, HOURS_48 + 1) }),
  },
);

const topicOf = (shadow: string, suffix: string): string => {
  const [thing, name] = shadow.split("#") as [string, string | undefined];
  return `$aws/things/${thing}/shadow${name ? `/name/${name}` : ""}/${suffix}`;
};

export interface ShadowHistory {
  readonly messages: Record<string, unknown>[];
  /** shadow#thing[#name] -> fields that must be ACTIVE at the end; anything else must be DELETED. */
  readonly live: Map<string, Record<string, unknown>>;
}

export const simulateShadows = (operations: readonly ShadowOperation[]): ShadowHistory => {
  const live = new Map<string, { version: number; color: string }>();
  const deleted = new Map<string, { version: number; at: number }>();
  const messages: Record<string, unknown>[] = [];
  let clock = 1_700_000_000;
  for (const operation of operations) {
    switch (operation.op) {
      case "wait":
        clock += operation.seconds;
        break;
      case "update": {
        const previous = live.get(operation.shadow);
        const gone = deleted.get(operation.shadow);
        const base = previous?.version ?? (gone && clock - gone.at < HOURS_48 ? gone.version : 0);
        const next = { version: base + 1, color: operation.color };
        live.set(operation.shadow, next);
        deleted.delete(operation.shadow);
        const document = (shadow: { version: number; color: string }) => ({
          state: { desired: { color: shadow.color }, reported: { color: shadow.color } },
          metadata: { desired: { color: { timestamp: clock } } },
          version: shadow.version,
        });
        messages.push({
          previous: previous ? document(previous) : null,
          current: document(next),
          timestamp: clock,
          topic: topicOf(operation.shadow, "update/documents"),
        });
        break;
      }
      case "delete": {
        const current = live.get(operation.shadow);
        if (!current) break;
        live.delete(operation.shadow);
        deleted.set(operation.shadow, { version: current.version, at: clock });
        messages.push({ version: current.version, timestamp: clock, topic: topicOf(operation.shadow, "delete/accepted") });
        break;
      }
    }
  }
  const truth = new Map<string, Record<string, unknown>>();
  for (const [shadow, { version, color }] of live) {
    truth.set(`shadow#${shadow}`, { Desired: { color }, Reported: { color }, ShadowVersion: version });
  }
  return { messages, live: truth };
};
