import { readFileSync } from "node:fs";
import { parseTomlSubset, type TomlTable, type TomlValue } from "./toml-subset";

/**
 * One `samconfig.toml` config-env as `sam deploy --config-env <name>` would see it: the local cloud
 * deploys the template once per config-env that names a region, with that env's parameter
 * overrides, so that a local run has exactly the regions and roles of the real deployment.
 */
export interface SamConfigEnv {
  readonly name: string;
  readonly region: string | undefined;
  readonly stackName: string | undefined;
  readonly parameterOverrides: Readonly<Record<string, string>>;
}

/** A config-env that can be deployed: it names its region and stack. */
export interface RegionConfigEnv extends SamConfigEnv {
  readonly region: string;
  readonly stackName: string;
}

const isTable = (value: TomlValue | undefined): value is TomlTable => typeof value === "object" && value !== null && !Array.isArray(value);

const optionalString = (value: TomlValue | undefined, where: string): string | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new Error(`samconfig ${where} must be a string`);
  return value;
};

/**
 * Splits `Key=Value Key2="quoted value, with commas"` the way the SAM CLI does: pairs are separated
 * by whitespace outside quotes, a value may be wrapped in double or single quotes (removed), and
 * `ParameterKey=K,ParameterValue=V` is accepted too. A token that is not `Key=Value` is an error,
 * because a silently dropped override would deploy the wrong configuration.
 */
export const parseParameterOverrides = (text: string, where = "parameter_overrides"): Record<string, string> => {
  const result: Record<string, string> = {};
  const tokens: string[] = [];
  let token = "";
  let quote: string | undefined;
  for (const char of text) {
    if (quote !== undefined) {
      token += char;
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") {
      token += char;
      quote = char;
    } else if (/\s/.test(char)) {
      if (token) tokens.push(token);
      token = "";
    } else {
      token += char;
    }
  }
  if (quote !== undefined) throw new Error(`samconfig ${where}: unterminated ${quote} quote in "${text}"`);
  if (token) tokens.push(token);

  const unquote = (value: string): string =>
    value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0] ? value.slice(1, -1) : value;

  for (const pair of tokens) {
    const longForm = /^ParameterKey=([^,]+),ParameterValue=(.*)$/.exec(pair);
    const [key, value] = longForm
      ? [longForm[1] as string, longForm[2] as string]
      : [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)];
    if (!pair.includes("=") || !/^[A-Za-z0-9]+$/.test(key)) {
      throw new Error(`samconfig ${where}: "${pair}" is not Key=Value`);
    }
    result[key] = unquote(value);
  }
  return result;
};

const overridesOf = (value: TomlValue | undefined, where: string): Record<string, string> => {
  if (value === undefined) return {};
  if (typeof value === "string") return parseParameterOverrides(value, where);
  if (Array.isArray(value)) {
    return Object.assign(
      {},
      ...value.map((item) => {
        if (typeof item !== "string") throw new Error(`samconfig ${where} entries must be strings`);
        return parseParameterOverrides(item, where);
      }),
    ) as Record<string, string>;
  }
  throw new Error(`samconfig ${where} must be a string or a list of strings`);
};

/**
 * Reads the config-envs from parsed samconfig text. Like the SAM CLI, an env's
 * `[<env>.global.parameters]` apply to every command and `[<env>.deploy.parameters]` win over them;
 * the `default` env is not inherited by the others.
 */
export const parseSamConfig = (text: string): SamConfigEnv[] => {
  const document = parseTomlSubset(text);
  return Object.entries(document).flatMap(([name, env]): SamConfigEnv[] => {
    if (!isTable(env)) return [];
    const section = (command: string): TomlTable => {
      const commandTable = env[command];
      const parameters = isTable(commandTable) ? commandTable.parameters : undefined;
      return isTable(parameters) ? parameters : {};
    };
    const parameters = { ...section("global"), ...section("deploy") };
    const where = (key: string): string => `[${name}] ${key}`;
    return [
      {
        name,
        region: optionalString(parameters.region, where("region")),
        stackName: optionalString(parameters.stack_name, where("stack_name")),
        parameterOverrides: overridesOf(parameters.parameter_overrides, where("parameter_overrides")),
      },
    ];
  });
};

/** Reads `samconfig.toml` from disk; see {@link parseSamConfig}. */
export const readSamConfig = (path: string): SamConfigEnv[] => parseSamConfig(readFileSync(path, "utf8"));

/**
 * The config-envs that deploy into a region, in file order: the local cloud starts one local region
 * per entry. An env with a region but no stack name cannot be deployed, so it is an error here
 * rather than a stack with an invented name.
 */
export const regionConfigs = (samconfig: readonly SamConfigEnv[]): RegionConfigEnv[] =>
  samconfig.flatMap((env) => {
    if (env.region === undefined) return [];
    if (env.stackName === undefined) throw new Error(`samconfig [${env.name}] has a region but no stack_name`);
    return [{ ...env, region: env.region, stackName: env.stackName }];
  });
