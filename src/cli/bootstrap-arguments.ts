import { err, type Result } from "neverthrow";
import { DEFAULT_STACK, DEFAULT_TABLE, endpointUrl, parseFlags, region, tableName } from "./operator-arguments";

export const BOOTSTRAP_USAGE = `usage: npm run bootstrap -- --primary <region> --secondary <region> [--secondary <region>]...
       [--shadows] [--no-snapshot] [--restart] [--no-wait] [--checkpoint <file>] [--quota-share 0.8] [--quota-overrides API=tps,...]
       [--stack ${DEFAULT_STACK}] [--table ${DEFAULT_TABLE}] [--endpoint-url http://127.0.0.1:4566]`;

export interface BootstrapArguments {
  readonly primary: string;
  readonly secondaries: readonly string[];
  /** Also snapshot every thing's shadows (2 + N data-plane calls per thing). */
  readonly shadows: boolean;
  /** Skip the snapshot of the primary (it is already in the table, e.g. from an earlier bootstrap). */
  readonly snapshot: boolean;
  /** Start the apply phase over even where a bootstrap is under way (otherwise it is resumed). */
  readonly restart: boolean;
  /** Follow the progress until every secondary is done (the default), or return once started. */
  readonly wait: boolean;
  readonly checkpointFile: string;
  /** The share of the primary's read quotas the snapshot uses. */
  readonly quotaShare: number;
  /** The primary's raised quotas, as the template's IotApiQuotaOverrides parameter takes them. */
  readonly quotaOverrides: string;
  readonly stack: string;
  readonly table: string;
  readonly endpointUrl: string | undefined;
}

const OPTIONS = {
  primary: { type: "string" },
  secondary: { type: "string", multiple: true },
  shadows: { type: "boolean", default: false },
  "no-snapshot": { type: "boolean", default: false },
  restart: { type: "boolean", default: false },
  "no-wait": { type: "boolean", default: false },
  checkpoint: { type: "string" },
  "quota-share": { type: "string", default: "0.8" },
  "quota-overrides": { type: "string", default: "" },
  stack: { type: "string", default: DEFAULT_STACK },
  table: { type: "string", default: DEFAULT_TABLE },
  "endpoint-url": { type: "string" },
} as const;

/** The bootstrap command's arguments, each checked before anything runs; a message names the flag at fault. */
export const parseBootstrapArguments = (argv: readonly string[]): Result<BootstrapArguments, string> =>
  parseFlags(argv, OPTIONS).andThen((values) =>
    region("primary", values.primary).andThen((primary) => {
      const secondaries = values.secondary ?? [];
      if (secondaries.length === 0) return err("--secondary is required (the region to bootstrap; repeat it for several)");
      const bad = secondaries.map((value) => region("secondary", value)).find((checked) => checked.isErr());
      if (bad?.isErr()) return err(bad.error);
      if (secondaries.includes(primary)) return err(`--secondary ${primary} is the primary: the primary is never bootstrapped`);
      const quotaShare = Number(values["quota-share"]);
      if (!Number.isFinite(quotaShare) || quotaShare <= 0 || quotaShare > 1)
        return err(`--quota-share must be a number above 0 and at most 1, got ${JSON.stringify(values["quota-share"])}`);
      return tableName(values.table).andThen((table) =>
        endpointUrl(values["endpoint-url"]).map(
          (endpoint): BootstrapArguments => ({
            primary,
            secondaries: [...new Set(secondaries)],
            shadows: values.shadows,
            snapshot: !values["no-snapshot"],
            restart: values.restart,
            wait: !values["no-wait"],
            checkpointFile: values.checkpoint ?? `.bootstrap-${primary}.checkpoint.json`,
            quotaShare,
            quotaOverrides: values["quota-overrides"],
            stack: values.stack,
            table,
            endpointUrl: endpoint,
          }),
        ),
      );
    }),
  );
