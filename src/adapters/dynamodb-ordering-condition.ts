import type { OrderingStamp } from "../domain/registry/ordering";

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

export const orderingCondition = (stamp: OrderingStamp): OrderingCondition => {
  const common = { ":origin": stamp.origin, ":rank": stamp.rank, ":ts": stamp.timestamp, ":eid": stamp.eventId };
  if (!stamp.sequence) {
    return {
      expression: `attribute_not_exists(#key) OR #origin < :origin OR (#origin = :origin AND ${byTimestamp})`,
      names: { "#key": names["#key"], "#origin": names["#origin"], "#rank": names["#rank"], "#ts": names["#ts"], "#eid": names["#eid"] },
      values: common,
    };
  }
  const sameIncarnation = `(#inc = :inc AND ${byVersion})`;
  const otherIncarnation = `((attribute_not_exists(#inc) OR #inc <> :inc) AND ${byTimestamp})`;
  return {
    expression: `attribute_not_exists(#key) OR #origin < :origin OR (#origin = :origin AND (${sameIncarnation} OR ${otherIncarnation}))`,
    names,
    values: { ...common, ":inc": stamp.sequence.incarnation, ":ver": stamp.sequence.version },
  };
};
