import { AwsError } from "../endpoint/aws-error";
import type { ParameterVersion } from "./parameter-store";

/** `ParameterStringFilter` as the SSM API sends it. */
export interface ParameterStringFilter {
  readonly Key?: string;
  readonly Option?: string;
  readonly Values?: readonly string[];
}

/** The legacy `ParametersFilter` of DescribeParameters (Name, Type, KeyId; values match exactly). */
export interface LegacyParametersFilter {
  readonly Key?: string;
  readonly Values?: readonly string[];
}

type Predicate = (parameter: ParameterVersion) => boolean;

/**
 * Whether a parameter lives under a hierarchy path. Names without a leading slash sit at the root,
 * so only `/` finds them; OneLevel means direct children only.
 */
export const isUnderPath = (name: string, path: string, recursive: boolean): boolean => {
  const prefix = path.endsWith("/") ? path : `${path}/`;
  if (prefix === "/" && !name.startsWith("/")) return true;
  if (!name.startsWith(prefix)) return false;
  return recursive || !name.slice(prefix.length).includes("/");
};

/** Validates a hierarchy path the way GetParametersByPath does. */
export const assertValidPath = (path: unknown): string => {
  if (typeof path !== "string" || !path.startsWith("/") || !/^[a-zA-Z0-9_.\-/]+$/.test(path)) {
    throw new AwsError(
      "ValidationException",
      'The parameter doesn\'t meet the parameter name requirements. The parameter name must begin with a forward slash "/".',
    );
  }
  return path;
};

const valuesOf = (filter: ParameterStringFilter): readonly string[] => {
  if (!filter.Values || filter.Values.length === 0) {
    throw new AwsError("InvalidFilterValue", `The filter value for ${filter.Key ?? ""} must not be empty.`);
  }
  return filter.Values;
};

const assertOption = (filter: ParameterStringFilter, allowed: readonly string[]): string => {
  const option = filter.Option ?? allowed[0] ?? "Equals";
  if (!allowed.includes(option))
    throw new AwsError(
      "InvalidFilterOption",
      `The filter option '${option}' is not valid for key ${filter.Key ?? ""}. Valid options: ${allowed.join(", ")}.`,
    );
  return option;
};

const stringFilter = (filter: ParameterStringFilter, allowedKeys: readonly string[]): Predicate => {
  const key = filter.Key ?? "";
  if (!allowedKeys.includes(key))
    throw new AwsError(
      "InvalidFilterKey",
      `The filter key '${key}' is not supported by the local cloud for this operation. Supported keys: ${allowedKeys.join(", ")}.`,
    );
  const values = valuesOf(filter);
  switch (key) {
    case "Name": {
      const option = assertOption(filter, ["Equals", "BeginsWith", "Contains"]);
      const normalize = (name: string): string => (name.startsWith("/") ? name : `/${name}`);
      if (option === "Equals") return (p) => values.some((v) => normalize(v) === normalize(p.name));
      if (option === "BeginsWith") return (p) => values.some((v) => normalize(p.name).startsWith(normalize(v)));
      return (p) => values.some((v) => p.name.includes(v));
    }
    case "Path": {
      const option = assertOption(filter, ["OneLevel", "Recursive"]);
      return (p) => values.some((v) => isUnderPath(p.name, assertValidPath(v), option === "Recursive"));
    }
    case "Type":
      assertOption(filter, ["Equals"]);
      return (p) => values.includes(p.type);
    case "KeyId":
      assertOption(filter, ["Equals"]);
      return (p) => p.keyId !== undefined && values.includes(p.keyId);
    case "Tier":
      assertOption(filter, ["Equals"]);
      return (p) => values.includes(p.tier);
    case "DataType":
      assertOption(filter, ["Equals"]);
      return (p) => values.includes(p.dataType);
    default:
      throw new AwsError("InvalidFilterKey", `The filter key '${key}' is not valid.`);
  }
};

/** Builds one predicate from ParameterFilters (all must match), for the keys the operation allows. */
export const matchesAll = (filters: readonly ParameterStringFilter[] | undefined, allowedKeys: readonly string[]): Predicate => {
  const predicates = (filters ?? []).map((filter) => stringFilter(filter, allowedKeys));
  return (parameter) => predicates.every((predicate) => predicate(parameter));
};

/** DescribeParameters' legacy `Filters`; AWS refuses to combine them with ParameterFilters. */
export const matchesLegacy = (filters: readonly LegacyParametersFilter[] | undefined): Predicate => {
  const predicates = (filters ?? []).map((filter): Predicate => {
    const values = filter.Values ?? [];
    switch (filter.Key) {
      case "Name":
        return (p) => values.includes(p.name);
      case "Type":
        return (p) => values.includes(p.type);
      case "KeyId":
        return (p) => p.keyId !== undefined && values.includes(p.keyId);
      default:
        throw new AwsError("InvalidFilterKey", `The filter key '${filter.Key ?? ""}' is not valid.`);
    }
  });
  return (parameter) => predicates.every((predicate) => predicate(parameter));
};
