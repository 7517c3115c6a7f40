import type { Result } from "neverthrow";
import type { EntityType } from "../registry/entity-kinds";
import type { InvalidEvent } from "../shared/errors";
import type { Desired } from "./desired-state";
import type { IotOperation } from "./iot-operations";
import type { LiveStates } from "./live-state";

/**
 * The calls that make the secondary match the primary for one entity (empty when it already does),
 * or, when a dependency the plan needs is still missing there (a certificate not registered yet),
 * what it waits for: the applier retries it rather than guessing.
 */
export interface Plan {
  readonly operations: readonly IotOperation[];
  readonly waitingFor?: string;
}

export interface PlanContext {
  readonly primaryRegion: string;
  readonly secondaryRegion: string;
}

export type Planner<K extends EntityType> = (
  desired: Desired<K>["state"],
  live: LiveStates[K],
  names: readonly [string, string | null],
  context: PlanContext,
) => Result<Plan, InvalidEvent>;

export const calls = (...operations: readonly (IotOperation | false)[]): Plan => ({
  operations: operations.filter((operation): operation is IotOperation => operation !== false),
});

/** Attributes to send with merge so that `from` becomes `to`: changed and new values, "" for removed names. */
export const attributeChanges = (
  from: Readonly<Record<string, string>>,
  to: Readonly<Record<string, string>>,
): Readonly<Record<string, string>> => ({
  ...Object.fromEntries(
    Object.keys(from)
      .filter((name) => !(name in to))
      .map((name) => [name, ""]),
  ),
  ...Object.fromEntries(Object.entries(to).filter(([name, value]) => from[name] !== value)),
});

export const isEmpty = (value: object): boolean => Object.keys(value).length === 0;
