import { err, ok, type Result } from "neverthrow";

/**
 * Device shadow semantics as AWS IoT documents them, as pure functions (no transport, no clock):
 * merging an update into desired/reported (null removes a key, objects merge, arrays replace),
 * per-field metadata timestamps, the delta between desired and reported, and the version check.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export interface ShadowSections<T> {
  desired?: T;
  reported?: T;
}

export interface StoredShadow {
  readonly state: ShadowSections<JsonObject>;
  readonly metadata: ShadowSections<JsonObject>;
  readonly version: number;
}

export interface ShadowUpdateRequest {
  readonly state: ShadowSections<JsonObject | null>;
  readonly version?: number;
  readonly clientToken?: string;
}

/** Why the shadow service refused a request; `code` is the HTTP-like code AWS puts in `/rejected` payloads. */
export interface ShadowRejection {
  readonly code: 400 | 404 | 409 | 413;
  readonly message: string;
}

export interface AppliedShadowUpdate {
  readonly next: StoredShadow;
  /** Body of the UpdateThingShadow response and of `/update/accepted`. */
  readonly accepted: JsonObject;
  /** Body of `/update/documents`. */
  readonly documents: JsonObject;
  /** Body of `/update/delta`, present only when desired still differs from reported. */
  readonly delta?: JsonObject;
}

const SECTIONS = ["desired", "reported"] as const;
/** AWS limit on the JSON state document of one shadow. */
export const MAX_SHADOW_DOCUMENT_BYTES = 8 * 1024;

export const isJsonObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

const deepEqual = (a: JsonValue | undefined, b: JsonValue | undefined): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Metadata for a freshly written value: every leaf (and every array element) stamped with `timestamp`. */
const metadataFor = (value: JsonValue, timestamp: number): JsonValue => {
  if (Array.isArray(value)) return value.map((element) => metadataFor(element, timestamp));
  if (isJsonObject(value)) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, metadataFor(inner, timestamp)]));
  return { timestamp };
};

/** Merges `patch` into `target` the AWS way and returns the new section with its new metadata. */
const mergeSection = (
  target: JsonObject | undefined,
  targetMetadata: JsonObject | undefined,
  patch: JsonObject,
  timestamp: number,
): { section: JsonObject; metadata: JsonObject } => {
  const section: JsonObject = { ...target };
  const metadata: JsonObject = { ...targetMetadata };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete section[key];
      delete metadata[key];
    } else if (isJsonObject(value)) {
      const existing = section[key];
      const existingMetadata = metadata[key];
      const merged = mergeSection(
        isJsonObject(existing) ? existing : undefined,
        isJsonObject(existing) && isJsonObject(existingMetadata) ? existingMetadata : undefined,
        value,
        timestamp,
      );
      section[key] = merged.section;
      metadata[key] = merged.metadata;
    } else {
      section[key] = value;
      metadata[key] = metadataFor(value, timestamp);
    }
  }
  return { section, metadata };
};

/**
 * Desired fields that reported does not match, recursing into objects (arrays compare whole), with
 * the desired metadata of exactly those fields. Undefined when desired and reported agree.
 */
export const computeDelta = (
  desired: JsonObject | undefined,
  reported: JsonObject | undefined,
  desiredMetadata: JsonObject | undefined,
): { state: JsonObject; metadata: JsonObject } | undefined => {
  if (!desired) return undefined;
  const state: JsonObject = {};
  const metadata: JsonObject = {};
  for (const [key, value] of Object.entries(desired)) {
    const other = reported?.[key];
    const valueMetadata = desiredMetadata?.[key] ?? null;
    if (isJsonObject(value) && isJsonObject(other)) {
      const inner = computeDelta(value, other, isJsonObject(valueMetadata) ? valueMetadata : undefined);
      if (inner) {
        state[key] = inner.state;
        metadata[key] = inner.metadata;
      }
    } else if (!deepEqual(value, other)) {
      state[key] = value;
      metadata[key] = valueMetadata;
    }
  }
  return Object.keys(state).length > 0 ? { state, metadata } : undefined;
};

/** Validates the JSON a client sent to UpdateThingShadow or `/update`, with the messages AWS uses. */
export const parseShadowUpdateRequest = (payload: Buffer | string): Result<ShadowUpdateRequest, ShadowRejection> => {
  const text = payload.toString();
  if (Buffer.byteLength(text) > MAX_SHADOW_DOCUMENT_BYTES) {
    return err({ code: 413, message: "The payload exceeds the maximum size allowed" });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return err({ code: 400, message: "Payload contains invalid json" });
  }
  if (!isJsonObject(parsed)) return err({ code: 400, message: "Payload contains invalid json" });
  const { state, version, clientToken } = parsed;
  if (state === undefined) return err({ code: 400, message: "Missing required node: state" });
  if (!isJsonObject(state)) return err({ code: 400, message: "State node must be an object" });
  for (const key of Object.keys(state)) {
    if (key !== "desired" && key !== "reported") return err({ code: 400, message: `Invalid node in state: ${key}` });
    const section = state[key];
    if (section !== null && !isJsonObject(section)) return err({ code: 400, message: `${key} node must be an object` });
  }
  if (version !== undefined && (typeof version !== "number" || !Number.isInteger(version))) {
    return err({ code: 400, message: "Invalid version" });
  }
  if (clientToken !== undefined && typeof clientToken !== "string") return err({ code: 400, message: "Invalid clientToken" });
  return ok({
    state: state as ShadowSections<JsonObject | null>,
    ...(version !== undefined ? { version } : {}),
    ...(clientToken !== undefined ? { clientToken } : {}),
  });
};

const withClientToken = (body: JsonObject, clientToken: string | undefined): JsonObject =>
  clientToken === undefined ? body : { ...body, clientToken };

const sectionsOf = (shadow: StoredShadow, part: "state" | "metadata"): JsonObject => {
  const out: JsonObject = {};
  for (const section of SECTIONS) {
    const value = shadow[part][section];
    if (value) out[section] = value;
  }
  return out;
};

/**
 * Applies an accepted-or-rejected update. `currentVersion` is the version a request must name to
 * pass the optimistic-lock check (the existing shadow's version, or the version a re-created shadow
 * follows on from); the update writes `currentVersion + 1`.
 */
export const applyShadowUpdate = (
  existing: StoredShadow | undefined,
  currentVersion: number,
  request: ShadowUpdateRequest,
  timestamp: number,
): Result<AppliedShadowUpdate, ShadowRejection> => {
  if (request.version !== undefined && request.version !== currentVersion) {
    return err({ code: 409, message: "Version conflict" });
  }
  const state: ShadowSections<JsonObject> = { ...existing?.state };
  const metadata: ShadowSections<JsonObject> = { ...existing?.metadata };
  const acceptedMetadata: JsonObject = {};
  for (const section of SECTIONS) {
    const patch = request.state[section];
    if (patch === undefined) continue;
    acceptedMetadata[section] = patch === null ? { timestamp } : metadataFor(patch, timestamp);
    if (patch === null) {
      delete state[section];
      delete metadata[section];
      continue;
    }
    const merged = mergeSection(state[section], metadata[section], patch, timestamp);
    state[section] = merged.section;
    metadata[section] = merged.metadata;
  }
  const next: StoredShadow = { state, metadata, version: currentVersion + 1 };
  const previous: JsonValue = existing
    ? { state: sectionsOf(existing, "state"), metadata: sectionsOf(existing, "metadata"), version: existing.version }
    : null;
  const current: JsonObject = { state: sectionsOf(next, "state"), metadata: sectionsOf(next, "metadata"), version: next.version };
  const delta = computeDelta(state.desired, state.reported, metadata.desired);
  return ok({
    next,
    accepted: withClientToken(
      { state: request.state as JsonObject, metadata: acceptedMetadata, version: next.version, timestamp },
      request.clientToken,
    ),
    documents: withClientToken({ previous, current, timestamp }, request.clientToken),
    ...(delta && request.state.desired
      ? { delta: withClientToken({ version: next.version, timestamp, state: delta.state, metadata: delta.metadata }, request.clientToken) }
      : {}),
  });
};

/** The full document GetThingShadow and `/get/accepted` answer: state (with delta), metadata, version. */
export const shadowDocument = (shadow: StoredShadow, timestamp: number, clientToken?: string): JsonObject => {
  const state = sectionsOf(shadow, "state");
  const delta = computeDelta(shadow.state.desired, shadow.state.reported, shadow.metadata.desired);
  if (delta) state.delta = delta.state;
  return withClientToken({ state, metadata: sectionsOf(shadow, "metadata"), version: shadow.version, timestamp }, clientToken);
};
