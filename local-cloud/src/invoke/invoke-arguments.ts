import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { StartupError } from "../startup-error";

export const INVOKE_USAGE = "usage: npm run invoke -- <FunctionLogicalId> events/<file>.json [--region us-east-1]";

/** A wrong command line: one line saying what is wrong; the command prints the usage after it. */
export class UsageError extends StartupError {}

export interface InvokeArguments {
  readonly functionId: string;
  readonly eventFile: string;
  readonly region: string;
  /** The event file's text, checked to be JSON. */
  readonly event: string;
}

const readEvent = (eventFile: string): string => {
  let text: string;
  try {
    text = readFileSync(resolve(eventFile), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      code === "ENOENT" ? `event file ${eventFile} not found` : `cannot read event file ${eventFile} (${code ?? String(error)})`,
    );
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw new UsageError(`event file ${eventFile} is not JSON: ${(error as Error).message}`);
  }
  return text;
};

/** `npm run invoke`'s command line, or a UsageError naming the unknown option, the missing argument, the missing file. */
export const parseInvokeArguments = (args: readonly string[]): InvokeArguments => {
  let parsed: ReturnType<typeof parseArgs<{ allowPositionals: true; options: { region: { type: "string"; default: string } } }>>;
  try {
    parsed = parseArgs({ args: [...args], allowPositionals: true, options: { region: { type: "string", default: "us-east-1" } } });
  } catch (error) {
    throw new UsageError((error as Error).message.split(/\.\s/)[0] ?? String(error));
  }
  const [functionId, eventFile, ...extra] = parsed.positionals;
  if (!functionId || !eventFile) throw new UsageError("a function's logical id and an event file are both needed");
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  return { functionId, eventFile, region: parsed.values.region, event: readEvent(eventFile) };
};
