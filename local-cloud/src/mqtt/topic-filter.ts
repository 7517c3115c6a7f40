/**
 * MQTT 3.1.1 topic filters (section 4.7), the one definition that the local brokers' in-process
 * subscriptions and the rules engine's FROM clauses share, so both agree on "this message reaches
 * this subscriber".
 */

/**
 * Why a filter is not a valid MQTT topic filter, or `undefined` when it is. `+` and `#` must fill a
 * whole level and `#` must be the last level (MQTT 3.1.1, 4.7.1); the parser reports this message
 * so a bad FROM clause fails when the rule is created, not silently at match time.
 */
export const topicFilterProblem = (filter: string): string | undefined => {
  if (filter.length === 0) return "a topic filter must not be empty";
  const levels = filter.split("/");
  for (const [index, level] of levels.entries()) {
    if (level.includes("#") && (level !== "#" || index !== levels.length - 1)) {
      return "'#' must be the whole last level of a topic filter";
    }
    if (level.includes("+") && level !== "+") return "'+' must be a whole level of a topic filter";
  }
  return undefined;
};

/**
 * Whether `topic` matches `filter`. `+` matches one level, `#` the rest (including the parent level
 * itself: `a/#` matches `a`). A filter starting with a wildcard does not match a topic starting with
 * `$` (MQTT 3.1.1, 4.7.2), so `#` never sees `$aws/...` traffic while `$aws/events/#` does.
 * Invalid filters match nothing.
 */
export const topicMatches = (filter: string, topic: string): boolean => {
  if (topicFilterProblem(filter) !== undefined || topic.length === 0) return false;
  if (topic.startsWith("$") && (filter.startsWith("#") || filter.startsWith("+"))) return false;
  const filterLevels = filter.split("/");
  const topicLevels = topic.split("/");
  for (const [index, level] of filterLevels.entries()) {
    if (level === "#") return true;
    const topicLevel = topicLevels[index];
    if (topicLevel === undefined) return false;
    if (level !== "+" && level !== topicLevel) return false;
  }
  return filterLevels.length === topicLevels.length;
};

/**
 * The n-th level of a topic, 1-based as in AWS IoT's `topic(n)`; `undefined` when there is no such
 * level, which the SQL evaluator treats as AWS's Undefined.
 */
export const topicSegment = (topic: string, n: number): string | undefined => {
  if (!Number.isInteger(n) || n < 1) return undefined;
  return topic.split("/")[n - 1];
};

/** Rejects filters an MQTT broker would refuse, so a bad in-process subscription fails where it is made. */
export const assertValidTopicFilter = (filter: string): void => {
  const problem = topicFilterProblem(filter);
  if (problem !== undefined) throw new Error(`invalid MQTT topic filter '${filter}': ${problem}`);
};
