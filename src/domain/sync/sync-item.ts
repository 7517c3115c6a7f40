import { SYNC_ATTRIBUTE_NAMES } from "./sync-stamp";

/**
 * An item as DynamoDB's wire format gives it (the stream's images, the SDK's low-level client):
 * attribute name -> AttributeValue (`{ "S": "..." }`, `{ "N": "1" }`, `{ "M": { ... } }`, ...).
 * The sync never interprets values: it copies them, so every type round-trips unchanged.
 */
export type AttributeMap = Readonly<Record<string, unknown>>;

/** A value with its object keys sorted at every level, so equal items give equal JSON. */
const canonical = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([name, inner]) => [name, canonical(inner)]));
  }
  return value;
};

/** One string per item key (its attributes in name order): the tombstone's key and the FIFO group's source. */
export const canonicalKey = (key: AttributeMap): string => JSON.stringify(canonical(key));

/** The item without the sync's metadata attributes: what a reader of the table sees as its data. */
export const withoutSyncAttributes = (item: AttributeMap): AttributeMap =>
  Object.fromEntries(Object.entries(item).filter(([name]) => !SYNC_ATTRIBUTE_NAMES.has(name)));

/**
 * A fingerprint of an item's data (metadata excluded, sets compared as sets): equal on both sides
 * exactly when the data is equal, for `sync:verify`. FNV-1a 64 over the canonical JSON, as hex.
 */
export const itemFingerprint = (item: AttributeMap): string => {
  const normalise = (value: unknown): unknown => {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      const entries = Object.entries(value as Record<string, unknown>).map(([type, inner]): [string, unknown] =>
        (type === "SS" || type === "NS" || type === "BS") && Array.isArray(inner)
          ? [type, [...inner].map(String).sort()]
          : [type, normalise(inner)],
      );
      return Object.fromEntries(entries);
    }
    return Array.isArray(value) ? value.map(normalise) : value;
  };
  return fnv1a64(JSON.stringify(canonical(normalise(withoutSyncAttributes(item)))));
};

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;

/** FNV-1a, 64 bits, over the UTF-8 bytes: a stable non-cryptographic hash (a group id, a fingerprint). */
export const fnv1a64 = (text: string): string => {
  let hash = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * FNV_PRIME) & MASK_64;
  }
  return hash.toString(16).padStart(16, "0");
};

/**
 * The include/exclude lists of the sync's parameters: with an include list only the listed attributes
 * travel, an exclude list removes its attributes; the key attributes always travel (the item could not
 * be written without them) and the sync's own metadata never does (the writer stamps its own).
 */
export interface AttributeProjection {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
}

export const projectAttributes = (item: AttributeMap, key: AttributeMap, projection: AttributeProjection): AttributeMap =>
  Object.fromEntries(
    Object.entries(item).filter(([name]) => {
      if (name in key) return true;
      if (SYNC_ATTRIBUTE_NAMES.has(name)) return false;
      if (projection.include.length > 0 && !projection.include.includes(name)) return false;
      return !projection.exclude.includes(name);
    }),
  );
