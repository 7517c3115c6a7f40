/**
 * What may appear in the topic segments of the message API. The function publishes to
 * `response/{op}/{token}`, so a token holding `+`, `#`, `/` or `$` would let a caller make it publish
 * to a wildcard, another client's topic tree or a reserved `$aws/...` topic: every segment is checked
 * against an allow-list before it is used, at ingestion (so every stored key can be asked for) and in
 * every request.
 */

/** A response token: 1 to 64 letters, digits, `_` or `-` (API clients prefix it with their client id). */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** A uuid (a thing name in practice, whose alphabet is `[A-Za-z0-9:_-]`), also allowing `.`. */
export const UUID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

/** A message id: `<order>-<SentTimestamp>-<SQS message id>` and whatever order values are allowed. */
export const MESSAGE_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,256}$/;

/** An operation segment that is safe to echo in a response topic, even when it names no operation. */
export const OPERATION_SEGMENT_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

export const isUsableToken = (token: unknown): token is string => typeof token === "string" && TOKEN_PATTERN.test(token);
