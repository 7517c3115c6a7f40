import { err, ok, type Result } from "neverthrow";
import { DEFAULT_STACK, DEFAULT_TABLE, endpointUrl, parseFlags, region, tableName } from "./operator-arguments";

export const FAILOVER_USAGE = `usage: npm run failover -- --to <region> [--execute] [--force] [--samconfig samconfig.toml]
       [--health-url <url>] [--stack ${DEFAULT_STACK}] [--table ${DEFAULT_TABLE}] [--endpoint-url http://127.0.0.1:4566]`;

export interface FailoverArguments {
  readonly to: string;
  /** Write samconfig.toml and redeploy; without it, the command only shows what it would do. */
  readonly execute: boolean;
  /** Execute even when a check before failed (the secondary is what is left). */
  readonly force: boolean;
  readonly samconfig: string;
  readonly healthUrl: string | undefined;
  readonly stack: string;
  readonly table: string;
  readonly endpointUrl: string | undefined;
}

const FAILOVER_OPTIONS = {
  to: { type: "string" },
  execute: { type: "boolean", default: false },
  force: { type: "boolean", default: false },
  samconfig: { type: "string", default: "samconfig.toml" },
  "health-url": { type: "string" },
  stack: { type: "string", default: DEFAULT_STACK },
  table: { type: "string", default: DEFAULT_TABLE },
  "endpoint-url": { type: "string" },
} as const;

export const parseFailoverArguments = (argv: readonly string[]): Result<FailoverArguments, string> =>
  parseFlags(argv, FAILOVER_OPTIONS).andThen((values) =>
    region("to", values.to).andThen((to) => {
      const healthUrl = values["health-url"];
      if (healthUrl !== undefined && !URL.canParse(healthUrl)) return err(`--health-url must be a URL, got ${JSON.stringify(healthUrl)}`);
      if (values.samconfig.trim() === "") return err("--samconfig must be a file path");
      return tableName(values.table).andThen((table) =>
        endpointUrl(values["endpoint-url"]).andThen((endpoint) =>
          ok({
            to,
            execute: values.execute,
            force: values.force,
            samconfig: values.samconfig,
            healthUrl,
            stack: values.stack,
            table,
            endpointUrl: endpoint,
          }),
        ),
      );
    }),
  );
