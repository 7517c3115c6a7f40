import type { AttributeValue } from "@aws-sdk/client-dynamodb";

/** An item image as DynamoDB JSON; `undefined` stands for "no item" (after a delete). */
export type ItemImage = Record<string, AttributeValue>;

const setMember = (member: unknown): string => (member instanceof Uint8Array ? Buffer.from(member).toString("base64") : String(member));

const canonical = (value: unknown): unknown => {
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(
      entries.map(([k, v]) => [k, (k === "SS" || k === "NS" || k === "BS") && Array.isArray(v) ? v.map(setMember).sort() : canonical(v)]),
    );
  }
  return value;
};

const fingerprintOf = (image: ItemImage): string => JSON.stringify(canonical(image));

/**
 * A stable text for an item image, independent of attribute order and set order, so an image the
 * replicator wrote can be recognised when it comes back through the target's stream.
 */
export const imageFingerprint = (image: ItemImage | undefined): string => (image === undefined ? "<absent>" : fingerprintOf(image));

/** A stable text for an item key, used to index per-key replication state. */
export const keyFingerprint = (key: ItemImage): string => fingerprintOf(key);

/** Picks the key attributes out of a full item, for DeleteItem and for indexing scanned items. */
export const keyOf = (item: ItemImage, keyAttributeNames: readonly string[]): ItemImage => {
  const key: ItemImage = {};
  for (const name of keyAttributeNames) {
    const value = item[name];
    if (value !== undefined) key[name] = value;
  }
  return key;
};
