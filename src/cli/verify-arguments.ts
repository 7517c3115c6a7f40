import { err, type Result } from "neverthrow";
import { DEFAULT_TABLE, endpointUrl, parseFlags, region, tableName } from "./operator-arguments";

export const VERIFY_USAGE = `usage: npm run verify -- --primary <region> --secondary <region> [--live] [--json]
       [--table ${DEFAULT_TABLE}] [--endpoint-url http://127.0.0.1:4566]`;

export interface VerifyArguments {
  readonly primary: string;
  readonly secondary: string;
  /** Compare both regions' registries and shadows as they are now, rather than their records in the table. */
  readonly live: boolean;
  readonly json: boolean;
  readonly table: string;
  readonly endpointUrl: string | undefined;
}

const VERIFY_OPTIONS = {
  primary: { type: "string" },
  secondary: { type: "string" },
  live: { type: "boolean", default: false },
  json: { type: "boolean", default: false },
  table: { type: "string", default: DEFAULT_TABLE },
  "endpoint-url": { type: "string" },
} as const;

export const parseVerifyArguments = (argv: readonly string[]): Result<VerifyArguments, string> =>
  parseFlags(argv, VERIFY_OPTIONS).andThen((values) =>
    region("primary", values.primary).andThen((primary) =>
      region("secondary", values.secondary).andThen((secondary) => {
        if (primary === secondary) return err(`--primary and --secondary must differ, both are ${primary}`);
        return tableName(values.table).andThen((table) =>
          endpointUrl(values["endpoint-url"]).map((endpoint) => ({
            primary,
            secondary,
            live: values.live,
            json: values.json,
            table,
            endpointUrl: endpoint,
          })),
        );
      }),
    ),
  );
