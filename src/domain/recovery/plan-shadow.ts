import { ok } from "neverthrow";
import { calls, isEmpty, type Planner } from "./plan-types";

type Json = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The update that turns the shadow section `from` into `to` under AWS IoT's merge: `null` for every
 * key `to` lacks, nested objects patched recursively, other values set when they differ. Empty when
 * they are equal.
 */
export const shadowPatch = (from: Json, to: Json): Json => {
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(from)) if (!(key in to)) patch[key] = null;
  for (const [key, value] of Object.entries(to)) {
    const current = from[key];
    if (isObject(current) && isObject(value)) {
      const nested = shadowPatch(current, value);
      if (!isEmpty(nested)) patch[key] = nested;
    } else if (JSON.stringify(current) !== JSON.stringify(value)) {
      patch[key] = value;
    }
  }
  return patch;
};

/** Shadows (classic and named): desired and reported made equal by one merge update; a deleted shadow is deleted. */
export const planShadow: Planner<"shadow"> = (desired, live, [thingName, shadowName]) => {
  if (desired === null) return ok(calls(live !== null && { call: "DeleteThingShadow", thingName, shadowName }));
  const current = live ?? { desired: {}, reported: {} };
  const desiredPatch = shadowPatch(current.desired, desired.desired);
  const reportedPatch = shadowPatch(current.reported, desired.reported);
  if (live !== null && isEmpty(desiredPatch) && isEmpty(reportedPatch)) return ok(calls());
  return ok(
    calls({
      call: "UpdateThingShadow",
      thingName,
      shadowName,
      // A new shadow needs a state even when both sections are empty: an empty reported section creates it.
      state: {
        ...(isEmpty(desiredPatch) ? {} : { desired: desiredPatch }),
        ...(isEmpty(reportedPatch) && !(live === null && isEmpty(desiredPatch)) ? {} : { reported: reportedPatch }),
      },
    }),
  );
};
