import type { FaultInjector } from "../faults/fault-injector";
import { FaultRulesError, parseFaultRules } from "../faults/fault-rules";
import type { LocalResponse } from "./service";

const json = (status: number, body: unknown): LocalResponse => ({
  status,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

/**
 * `GET /_local/faults`: the active rules and the counters, with each quota bucket's calls granted and
 * throttled. `PUT /_local/faults` with the same JSON as `LOCAL_FAULTS`: replaces the rules (reseeding
 * the PRNG, starting unavailability windows now, refilling the quota buckets and their counters) and
 * answers like GET; a bad rule set answers 400 with one line naming what is wrong and changes nothing.
 */
export const faultsResponse = (faults: FaultInjector, method: string, body: Buffer): LocalResponse => {
  if (method === "GET") return json(200, faults.report());
  if (method !== "PUT") return json(405, { message: `/_local/faults answers GET and PUT, not ${method}` });
  try {
    faults.apply(parseFaultRules(body.toString("utf8")), Date.now());
  } catch (error) {
    if (error instanceof FaultRulesError) return json(400, { message: error.message });
    throw error;
  }
  return json(200, faults.report());
};
