import type { EntityType } from "../registry/entity-kinds";

/** One entity of the replica, named as its record key is: `{entityType}#{entityName}`. */
export interface EntityRef {
  readonly entityType: EntityType;
  readonly entityName: string;
}

export const refKey = (ref: EntityRef): string => `${ref.entityType}#${ref.entityName}`;

/** The two names a relation's record name joins with `#` (a classic shadow has no second name). */
export const namesOf = (ref: EntityRef): readonly [string, string | null] => {
  const separator = ref.entityName.indexOf("#");
  return separator < 0 ? [ref.entityName, null] : [ref.entityName.slice(0, separator), ref.entityName.slice(separator + 1)];
};
