import { type OrderingStamp, SHADOW_VERSION_MEMORY_MS } from "../domain/registry/ordering";

/**
 * The ordering rule of `compareStamps`, written as a DynamoDB ConditionExpression so that the capture
 * is one conditional write with no read before it: the write lands only when it is newer than what
 * the record holds, and a stale or duplicate event fails the condition (a successful no-op).
 * Kept next to the rule it mirrors; an integration test checks the two agree on DynamoDB Local.
 */
export const STAMP_ATTRIBUTES = {
  key: "EntityKey",
  origin: "OrderOrigin",
  incarnation: "OrderIncarnation",
  version: "OrderVersion",
  rank: "OrderRank",
  timestamp: "OrderTimestamp",
  eventId: "OrderEventId",
} as const;

export interface OrderingCondition {
  readonly expression: string;
  readonly names: Readonly<Record<string, string>>;
  readonly values: Readonly<Record<string, string | number>>;
}

const names = {
  "#key": STAMP_ATTRIBUTES.key,
  "#origin": STAMP_ATTRIBUTES.origin,
  "#inc": STAMP_ATTRIBUTES.incarnation,
  "#ver": STAMP_ATTRIBUTES.version,
  "#rank": STAMP_ATTRIBUTES.rank,
  "#ts": STAMP_ATTRIBUTES.timestamp,
  "#eid": STAMP_ATTRIBUTES.eventId,
};

/** Later timestamp, then delete over change, then the larger eventId. */
const byTimestamp = "(#ts < :ts OR (#ts = :ts AND (#rank < :rank OR (#rank = :rank AND #eid < :eid))))";
/** Higher version, then delete over change, then later timestamp, then the larger eventId. */
const byVersion = "(#ver < :ver OR (#ver = :ver AND (#rank < :rank OR (#rank = :rank AND (#ts < :ts OR (#ts = :ts AND #eid < :eid))))))";

const noSequence = (stamp: OrderingStamp): OrderingCondition => ({
  expression: `attribute_not_exists(#key) OR #origin < :origin OR (#origin = :origin AND ${byTimestamp})`,
  names: { "#key": names["#key"], "#origin": names["#origin"], "#rank": names["#rank"], "#ts": names["#ts"], "#eid": names["#eid"] },
  values: { ":origin": stamp.origin, ":rank": stamp.rank, ":ts": stamp.timestamp, ":eid": stamp.eventId },
});

const withinOrigin = (stamp: OrderingStamp, comparison: string, values: Readonly<Record<string, string | number>>): OrderingCondition => ({
  expression: `attribute_not_exists(#key) OR #origin < :origin OR (#origin = :origin AND (${comparison}))`,
  names,
  values: { ":origin": stamp.origin, ":rank": stamp.rank, ":ts": stamp.timestamp, ":eid": stamp.eventId, ...values },
});

export const orderingCondition = (stamp: OrderingStamp): OrderingCondition => {
  if (!stamp.sequence) return noSequence(stamp);
  const { incarnation, version } = stamp.sequence;
  if (incarnation !== undefined) {
    const sameIncarnation = `(#inc = :inc AND ${byVersion})`;
    const otherIncarnation = `((attribute_not_exists(#inc) OR #inc <> :inc) AND ${byTimestamp})`;
    return withinOrigin(stamp, `${sameIncarnation} OR ${otherIncarnation}`, { ":inc": incarnation, ":ver": version });
  }
  // A shadow (no incarnation): by version against a shadow stamp less than 48 hours away, by
  // timestamp otherwise. DynamoDB has no arithmetic in conditions, so the window travels as its bounds.
  const storedIsShadow = "attribute_exists(#ver) AND attribute_not_exists(#inc)";
  const withinWindow = "#ts > :windowStart AND #ts < :windowEnd";
  const comparison = `(${storedIsShadow} AND ${withinWindow} AND ${byVersion}) OR (NOT (${storedIsShadow} AND ${withinWindow}) AND ${byTimestamp})`;
  return withinOrigin(stamp, comparison, {
    ":ver": version,
    ":windowStart": stamp.timestamp - SHADOW_VERSION_MEMORY_MS,
    ":windowEnd": stamp.timestamp + SHADOW_VERSION_MEMORY_MS,
  });
};
