import { err, ok, type Result } from "neverthrow";

/** One config-env of samconfig.toml as the failover sees it: the region it deploys and the PrimaryRegion it sets. */
export interface ConfigEnvRole {
  readonly configEnv: string;
  readonly region: string | undefined;
  readonly primaryRegion: string | undefined;
}

export interface LineChange {
  /** 1-based line number in the file. */
  readonly line: number;
  readonly before: string;
  readonly after: string;
}

export interface PrimarySwap {
  readonly text: string;
  readonly previousPrimary: string;
  readonly changes: readonly LineChange[];
}

const SECTION = /^\s*\[([A-Za-z0-9_.-]+)\.deploy\.parameters\]\s*$/;
const ANY_SECTION = /^\s*\[/;
const REGION_LINE = /^\s*region\s*=\s*"([^"]*)"/;
const OVERRIDES_LINE = /^\s*parameter_overrides\s*=/;
/** `PrimaryRegion=us-east-1`, also quoted as `PrimaryRegion=\"us-east-1\"` inside the TOML string. */
const PRIMARY = /(PrimaryRegion=)(\\?"?)([a-z0-9-]*)\2/;

/** Each `[{env}.deploy.parameters]` section: its region and the PrimaryRegion its parameter_overrides set. */
export const configEnvRoles = (samconfig: string): ConfigEnvRole[] => {
  const roles: { configEnv: string; region: string | undefined; primaryRegion: string | undefined }[] = [];
  let current: (typeof roles)[number] | undefined;
  for (const line of samconfig.split("\n")) {
    const section = SECTION.exec(line);
    if (section) {
      current = { configEnv: section[1] as string, region: undefined, primaryRegion: undefined };
      roles.push(current);
      continue;
    }
    if (ANY_SECTION.test(line)) current = undefined;
    if (!current) continue;
    const region = REGION_LINE.exec(line);
    if (region) current.region = region[1];
    if (OVERRIDES_LINE.test(line)) current.primaryRegion = PRIMARY.exec(line)?.[3];
  }
  return roles;
};

/**
 * samconfig.toml with PrimaryRegion set to `target` in every config-env's parameter_overrides and
 * nothing else touched (comments, order and every other parameter stay as they are), with the lines it
 * changed. Refused, with the reason, when the file does not configure disaster recovery the same way in
 * every config-env, or when `target` is not a region one of them deploys, or is already the primary.
 */
export const swapPrimaryRegion = (samconfig: string, target: string): Result<PrimarySwap, string> => {
  const roles = configEnvRoles(samconfig).filter((role) => role.region !== undefined);
  if (roles.length === 0) return err("samconfig.toml has no [<env>.deploy.parameters] section with a region");
  const without = roles.filter((role) => role.primaryRegion === undefined || role.primaryRegion === "");
  if (without.length > 0)
    return err(
      `PrimaryRegion is not set in the parameter_overrides of ${without.map((role) => role.configEnv).join(", ")}: disaster recovery is not configured there`,
    );
  const primaries = [...new Set(roles.map((role) => role.primaryRegion))];
  if (primaries.length > 1) return err(`the config-envs disagree on PrimaryRegion (${primaries.join(", ")}): fix samconfig.toml first`);
  const previousPrimary = primaries[0] as string;
  if (previousPrimary === target) return err(`${target} is already the primary region`);
  if (!roles.some((role) => role.region === target))
    return err(`${target} is not a region of any config-env (regions: ${roles.map((role) => role.region).join(", ")})`);

  const changes: LineChange[] = [];
  let inDeploy = false;
  const lines = samconfig.split("\n").map((line, index) => {
    if (SECTION.test(line)) inDeploy = true;
    else if (ANY_SECTION.test(line)) inDeploy = false;
    if (!inDeploy || !OVERRIDES_LINE.test(line)) return line;
    const after = line.replace(PRIMARY, (_match, name: string, quote: string) => `${name}${quote}${target}${quote}`);
    if (after !== line) changes.push({ line: index + 1, before: line, after });
    return after;
  });
  return ok({ text: lines.join("\n"), previousPrimary, changes });
};

/**
 * The order to redeploy in after the swap: the new primary first (its applier must stop converging
 * toward the failed region before anything else), then the other secondaries (they now follow the new
 * primary), the old primary last (it may be down; once back, it converges to the new primary as a
 * secondary). Config-env names, as `sam deploy --config-env` takes them.
 */
export const redeployOrder = (roles: readonly ConfigEnvRole[], newPrimary: string, oldPrimary: string): string[] => {
  const deployable = roles.filter((role) => role.region !== undefined);
  const of = (predicate: (role: ConfigEnvRole) => boolean) => deployable.filter(predicate).map((role) => role.configEnv);
  return [
    ...of((role) => role.region === newPrimary),
    ...of((role) => role.region !== newPrimary && role.region !== oldPrimary),
    ...of((role) => role.region === oldPrimary),
  ];
};
