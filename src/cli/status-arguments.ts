import { err, ok, type Result } from "neverthrow";
import { DEFAULT_STACK, DEFAULT_TABLE, endpointUrl, parseFlags, region, tableName, wholeNumber } from "./operator-arguments";

export const STATUS_USAGE = `usage: npm run status -- --primary <region> --secondary <region> [--last 1000] [--json]
       [--stack ${DEFAULT_STACK}] [--dlq-url <queue url>]... [--table ${DEFAULT_TABLE}] [--endpoint-url http://127.0.0.1:4566]`;

export interface StatusArguments {
  readonly primary: string;
  readonly secondary: string;
  /** How many of the most recent primary changes the lag percentiles cover. */
  readonly last: number;
  readonly json: boolean;
  readonly stack: string;
  readonly dlqUrls: readonly string[];
  readonly table: string;
  readonly endpointUrl: string | undefined;
}

const STATUS_OPTIONS = {
  primary: { type: "string" },
  secondary: { type: "string" },
  last: { type: "string", default: "1000" },
  json: { type: "boolean", default: false },
  stack: { type: "string", default: DEFAULT_STACK },
  "dlq-url": { type: "string", multiple: true },
  table: { type: "string", default: DEFAULT_TABLE },
  "endpoint-url": { type: "string" },
} as const;

const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

export const parseStatusArguments = (argv: readonly string[]): Result<StatusArguments, string> =>
  parseFlags(argv, STATUS_OPTIONS).andThen((values) =>
    region("primary", values.primary).andThen((primary) =>
      region("secondary", values.secondary).andThen((secondary) => {
        if (primary === secondary) return err(`--primary and --secondary must differ, both are ${primary}`);
        if (!STACK_NAME.test(values.stack)) return err(`--stack must be a CloudFormation stack name, got ${JSON.stringify(values.stack)}`);
        const dlqUrls = values["dlq-url"] ?? [];
        const badUrl = dlqUrls.find((url) => !URL.canParse(url));
        if (badUrl !== undefined) return err(`--dlq-url must be a queue URL, got ${JSON.stringify(badUrl)}`);
        return wholeNumber("last", values.last, 1, 1_000_000).andThen((last) =>
          tableName(values.table).andThen((table) =>
            endpointUrl(values["endpoint-url"]).andThen((endpoint) =>
              ok({
                primary,
                secondary,
                last,
                json: values.json,
                stack: values.stack,
                dlqUrls,
                table,
                endpointUrl: endpoint,
              }),
            ),
          ),
        );
      }),
    ),
  );
