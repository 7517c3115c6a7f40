import type { EntityType } from "../registry/entity-kinds";

/**
 * Fields that legitimately differ between a primary's entity and its copy in a secondary, so drift
 * never reports them: ids AWS assigns per region (a thing's id, a group's, a type's, a membership's,
 * and the ids a relation keeps of its ends), per-region version counters (a secondary's thing, group
 * and shadow versions count its own writes), the moment a type was deprecated there, and which
 * version number a policy's default has (the applier creates versions of its own).
 */
const PER_REGION_FIELDS: Readonly<Record<EntityType, readonly string[]>> = {
  thing: ["ThingId", "Version"],
  thingType: ["ThingTypeId", "DeprecationDate"],
  thingGroup: ["ThingGroupId", "ParentGroupId", "Version"],
  thingGroupMembership: ["ThingGroupId", "MemberThingId", "MembershipId"],
  thingGroupHierarchy: ["ParentGroupId", "ChildGroupId"],
  thingTypeAssociation: ["AssociatedThingId"],
  shadow: ["ShadowVersion"],
  certificate: [],
  policy: ["DefaultVersionId"],
  policyPrincipal: [],
  thingPrincipal: [],
};

/** `arn:aws:iot:us-east-1:` (any partition, any service) in a policy document, rewritten to the secondary's region. */
export const rewriteRegionArns = (text: string, from: string, to: string): string =>
  text.replace(new RegExp(`(arn:aws[a-z-]*:[a-z0-9-]+:)${from.replace(/[-]/g, "\\-")}(:)`, "g"), `$1${to}$2`);

/** A policy document as canonical JSON (keys sorted), so whitespace and key order never count as drift. */
const canonicalJson = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(canonicalJson);
  if (typeof value === "object" && value !== null)
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonicalJson((value as Record<string, unknown>)[key])]),
    );
  return value;
};

const canonicalPolicy = (document: unknown): unknown => {
  if (typeof document !== "string") return document;
  try {
    return canonicalJson(JSON.parse(document));
  } catch {
    return document;
  }
};

/**
 * Absent, null, an empty map and an empty string mean the same (the table leaves empty maps out; a
 * listing gives null; AWS IoT cannot remove a group's or type's description, only set it to "", so
 * the applier clears one that the primary no longer has that way).
 */
const isEmpty = (value: unknown): boolean =>
  value === undefined ||
  value === null ||
  value === "" ||
  (typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0);

/**
 * An entity's fields as drift compares them: per-region fields removed, empty values dropped, the
 * policy document canonical and, for the primary's side, its region's ARNs rewritten to the secondary's.
 */
export const normalizeFields = (
  entityType: EntityType,
  fields: Readonly<Record<string, unknown>>,
  rewrite: { readonly from: string; readonly to: string } | undefined,
): Record<string, unknown> => {
  const skipped = new Set(PER_REGION_FIELDS[entityType]);
  const normalized: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (skipped.has(name) || isEmpty(value)) continue;
    if (entityType === "policy" && name === "PolicyDocument" && typeof value === "string") {
      normalized[name] = canonicalPolicy(rewrite ? rewriteRegionArns(value, rewrite.from, rewrite.to) : value);
    } else normalized[name] = value;
  }
  return normalized;
};
