import { ENTITY_KINDS, type EntityType } from "../registry/entity-kinds";
import type { EntityStatus } from "../registry/replica-record";
import { normalizeFields } from "./normalize-fields";

/** One entity as one region holds it: from the replica table (a record) or from the region's registry (a listing). */
export interface RegionEntity {
  readonly entityType: EntityType;
  readonly entityName: string;
  /** A tombstone (DELETED) stands for an entity that is gone; a listing only ever gives ACTIVE ones. */
  readonly status: EntityStatus;
  readonly fields: Readonly<Record<string, unknown>>;
}

/** One field that differs: its dotted path (`Attributes.color`) and both values (undefined: absent). */
export interface FieldDifference {
  readonly field: string;
  readonly primary: unknown;
  readonly secondary: unknown;
}

export type Drift =
  | { readonly entityType: EntityType; readonly entityName: string; readonly drift: "missing" }
  | { readonly entityType: EntityType; readonly entityName: string; readonly drift: "extra"; readonly deletedInPrimary: boolean }
  | {
      readonly entityType: EntityType;
      readonly entityName: string;
      readonly drift: "differs";
      readonly fields: readonly FieldDifference[];
    };

export interface KindCounts {
  readonly entityType: EntityType;
  /** Live entities in each region. */
  readonly primary: number;
  readonly secondary: number;
  readonly missing: number;
  readonly extra: number;
  readonly differs: number;
}

export interface VerifyReport {
  readonly primaryRegion: string;
  readonly secondaryRegion: string;
  readonly kinds: readonly KindCounts[];
  readonly drifts: readonly Drift[];
  /** Entities compared (live in either region). */
  readonly compared: number;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Every leaf that differs between two normalized field maps, by dotted path; arrays compare whole. */
export const fieldDifferences = (
  primary: Readonly<Record<string, unknown>>,
  secondary: Readonly<Record<string, unknown>>,
  prefix = "",
): FieldDifference[] => {
  const names = [...new Set([...Object.keys(primary), ...Object.keys(secondary)])].sort();
  return names.flatMap((name) => {
    const left = primary[name];
    const right = secondary[name];
    const path = `${prefix}${name}`;
    if (isRecord(left) && isRecord(right)) return fieldDifferences(left, right, `${path}.`);
    return JSON.stringify(left) === JSON.stringify(right) ? [] : [{ field: path, primary: left, secondary: right }];
  });
};

const keyOf = (entity: RegionEntity): string => `${entity.entityType}#${entity.entityName}`;

/**
 * Compares what two regions hold, entity by entity: an entity live in the primary must be live in the
 * secondary with the same fields (after `normalizeFields` removes what legitimately differs per region
 * and rewrites the primary's ARNs); one live only in the secondary is extra (it should have been
 * deleted there if the primary has a tombstone for it). An entity deleted or absent in both is in sync.
 * Kinds are reported in ENTITY_KINDS order, drifts by kind then name, so the output is stable.
 */
export const compareRegions = (
  primaryRegion: string,
  secondaryRegion: string,
  primaryEntities: readonly RegionEntity[],
  secondaryEntities: readonly RegionEntity[],
): VerifyReport => {
  const primary = new Map(primaryEntities.map((entity) => [keyOf(entity), entity]));
  const secondary = new Map(secondaryEntities.map((entity) => [keyOf(entity), entity]));
  const live = (entity: RegionEntity | undefined): boolean => entity?.status === "ACTIVE";
  const drifts: Drift[] = [];
  let compared = 0;
  for (const key of [...new Set([...primary.keys(), ...secondary.keys()])].sort()) {
    const inPrimary = primary.get(key);
    const inSecondary = secondary.get(key);
    const { entityType, entityName } = (inPrimary ?? inSecondary) as RegionEntity;
    if (!live(inPrimary) && !live(inSecondary)) continue;
    compared += 1;
    if (live(inPrimary) && !live(inSecondary)) drifts.push({ entityType, entityName, drift: "missing" });
    else if (!live(inPrimary) && live(inSecondary))
      drifts.push({ entityType, entityName, drift: "extra", deletedInPrimary: inPrimary?.status === "DELETED" });
    else if (inPrimary && inSecondary) {
      const fields = fieldDifferences(
        normalizeFields(entityType, inPrimary.fields, { from: primaryRegion, to: secondaryRegion }),
        normalizeFields(entityType, inSecondary.fields, undefined),
      );
      if (fields.length > 0) drifts.push({ entityType, entityName, drift: "differs", fields });
    }
  }
  const kindOrder = Object.keys(ENTITY_KINDS) as EntityType[];
  drifts.sort((a, b) => kindOrder.indexOf(a.entityType) - kindOrder.indexOf(b.entityType) || a.entityName.localeCompare(b.entityName));
  const count = (entities: Iterable<RegionEntity>, entityType: EntityType) =>
    [...entities].filter((entity) => entity.entityType === entityType && entity.status === "ACTIVE").length;
  const kinds = kindOrder.map((entityType) => {
    const ofKind = drifts.filter((drift) => drift.entityType === entityType);
    return {
      entityType,
      primary: count(primary.values(), entityType),
      secondary: count(secondary.values(), entityType),
      missing: ofKind.filter((drift) => drift.drift === "missing").length,
      extra: ofKind.filter((drift) => drift.drift === "extra").length,
      differs: ofKind.filter((drift) => drift.drift === "differs").length,
    };
  });
  return { primaryRegion, secondaryRegion, kinds, drifts, compared };
};
