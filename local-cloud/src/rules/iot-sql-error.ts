/**
 * A rule's SQL could not be read. The local cloud reports it the way AWS IoT reports a
 * `SqlParseException` from CreateTopicRule, so the message always names the 1-based position in the
 * statement and what was expected there: a template author can fix the SQL without guessing.
 */
export class IotSqlError extends Error {
  /** 1-based character position in the SQL text where the problem was found. */
  readonly position: number;

  constructor(message: string, position: number) {
    super(message);
    this.name = "IotSqlError";
    this.position = position;
  }
}
