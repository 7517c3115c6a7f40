import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { SQSEvent } from "aws-lambda";

/** The sample events that `sam local invoke -e` uses, loaded for tests so that both stay in step. */
export const loadSqsEvent = (file: string): SQSEvent =>
  JSON.parse(readFileSync(join(__dirname, "..", "..", "events", file), "utf8")) as SQSEvent;

/** The registry event payloads inside a sample SQS event, one per message. */
export const registryPayloads = (file: string): Record<string, unknown>[] =>
  loadSqsEvent(file).Records.map((record) => JSON.parse(record.body) as Record<string, unknown>);
