/**
 * MQTT 3.1.1 topic filter matching (section 4.7): `+` matches one level, a trailing `#` matches the
 * parent level and everything below it, and a filter starting with a wildcard never matches a topic
 * starting with `$` (so `#` does not see `$aws/...`, exactly as AWS IoT and aedes behave).
 */
export const matchesTopicFilter = (filter: string, topic: string): boolean => {
  if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) return false;
  const filterLevels = filter.split("/");
  const topicLevels = topic.split("/");
  for (let i = 0; i < filterLevels.length; i++) {
    const level = filterLevels[i];
    if (level === "#") return i === filterLevels.length - 1;
    if (i >= topicLevels.length) return false;
    if (level !== "+" && level !== topicLevels[i]) return false;
  }
  return filterLevels.length === topicLevels.length;
};

/** Rejects filters an MQTT broker would refuse, so a bad in-process subscription fails where it is made. */
export const assertValidTopicFilter = (filter: string): void => {
  const levels = filter.split("/");
  const valid =
    filter.length > 0 &&
    levels.every((level, i) => (level.includes("#") ? level === "#" && i === levels.length - 1 : !level.includes("+") || level === "+"));
  if (!valid) throw new Error(`invalid MQTT topic filter '${filter}'`);
};
