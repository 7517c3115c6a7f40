import { AwsError, notImplemented } from "../endpoint/aws-error";
import { globalArn } from "../endpoint/partitions";
import type { LocalRequest, LocalResponse, LocalService } from "../endpoint/service";
import {
  assertValidPath,
  isUnderPath,
  type LegacyParametersFilter,
  matchesAll,
  matchesLegacy,
  type ParameterStringFilter,
} from "./parameter-filters";
import { maxResultsWithin, pageOf } from "./parameter-paging";
import { isParameterType, ParameterStore, type ParameterVersion } from "./parameter-store";
import { toHistoryEntry, toMetadata, toParameter } from "./parameter-views";
import { createSecureStringCipher } from "./secure-string-cipher";

export interface SsmServiceOptions {
  /** Milliseconds since the epoch; LastModifiedDate comes from here. */
  readonly clock?: () => number;
}

type Input = Record<string, unknown>;
type Operation = (input: Input, request: LocalRequest) => Record<string, unknown>;

const TARGET_PREFIX = "AmazonSSM.";

const optionalString = (input: Input, field: string): string | undefined => {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new AwsError("SerializationException", `${field} must be a string`);
  return value;
};

const requiredString = (input: Input, field: string): string => {
  const value = optionalString(input, field);
  if (value === undefined)
    throw new AwsError(
      "ValidationException",
      `1 validation error detected: Value null at '${field.charAt(0).toLowerCase()}${field.slice(1)}' failed to satisfy constraint: Member must not be null`,
    );
  return value;
};

const namesList = (input: Input): string[] => {
  const names = input.Names;
  if (!Array.isArray(names) || names.length < 1 || names.length > 10 || !names.every((n) => typeof n === "string")) {
    throw new AwsError(
      "ValidationException",
      "1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length less than or equal to 10 and greater than or equal to 1",
    );
  }
  return names as string[];
};

/** Splits `name:version` / `name:label` and accepts parameter ARNs, as GetParameter does. */
const parseReference = (reference: string): { name: string; selector?: string; version?: number; label?: string } => {
  const withoutArn = reference.startsWith("arn:") ? reference.replace(/^arn:[^:]+:ssm:[^:]*:[^:]*:parameter/, "") : reference;
  const separator = withoutArn.lastIndexOf(":");
  if (separator < 0) return { name: withoutArn };
  const name = withoutArn.slice(0, separator);
  const selector = withoutArn.slice(separator);
  const tail = selector.slice(1);
  return /^\d+$/.test(tail) ? { name, selector, version: Number(tail) } : { name, selector, label: tail };
};

/**
 * SSM Parameter Store over awsJson1_1, kept in memory per region. The handlers read their
 * configuration and cross-partition credentials from here, so the semantics that code depends on
 * (versions, overwrite, SecureString encryption, hierarchies and paging) behave as in AWS.
 */
export const createSsmService = (options: SsmServiceOptions = {}): LocalService => {
  const clock = options.clock ?? Date.now;
  const cipher = createSecureStringCipher();
  const regions = new Map<string, ParameterStore>();
  const storeFor = (region: string): ParameterStore => {
    let store = regions.get(region);
    if (!store) {
      store = new ParameterStore();
      regions.set(region, store);
    }
    return store;
  };
  const userOf = (request: LocalRequest): string => globalArn(request.region, "iam", `user/${request.accessKeyId}`);

  const resolve = (store: ParameterStore, reference: string): { parameter: ParameterVersion; selector?: string } | undefined => {
    const { name, selector, version, label } = parseReference(reference);
    const latest = store.find(name);
    if (!latest || label !== undefined) return undefined;
    if (version === undefined) return { parameter: latest };
    const parameter = store.find(name, version);
    if (!parameter)
      throw new AwsError(
        "ParameterVersionNotFound",
        `Systems Manager could not find version ${version} of ${name}. Verify the version and try again.`,
      );
    return { parameter, ...(selector !== undefined ? { selector } : {}) };
  };

  const operations: Record<string, Operation> = {
    PutParameter: (input, request) => {
      const type = input.Type;
      if (type !== undefined && !isParameterType(type)) {
        throw new AwsError(
          "ValidationException",
          `1 validation error detected: Value '${String(type)}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]`,
        );
      }
      const dataType = optionalString(input, "DataType");
      const saved = storeFor(request.region).put(
        {
          name: requiredString(input, "Name"),
          value: requiredString(input, "Value"),
          ...(type !== undefined ? { type } : {}),
          ...(input.KeyId !== undefined ? { keyId: requiredString(input, "KeyId") } : {}),
          ...(input.Description !== undefined ? { description: requiredString(input, "Description") } : {}),
          ...(input.AllowedPattern !== undefined ? { allowedPattern: requiredString(input, "AllowedPattern") } : {}),
          ...(input.Tier !== undefined ? { tier: requiredString(input, "Tier") } : {}),
          ...(dataType !== undefined ? { dataType } : {}),
          overwrite: input.Overwrite === true,
        },
        { now: clock(), user: userOf(request), encrypt: cipher.encrypt },
      );
      return { Version: saved.version, Tier: saved.tier };
    },

    GetParameter: (input, request) => {
      const reference = requiredString(input, "Name");
      const found = resolve(storeFor(request.region), reference);
      if (!found) throw new AwsError("ParameterNotFound", `Parameter ${reference} not found.`);
      return { Parameter: toParameter(request.region, found.parameter, input.WithDecryption === true, found.selector) };
    },

    GetParameters: (input, request) => {
      const store = storeFor(request.region);
      const parameters: Record<string, unknown>[] = [];
      const invalid: string[] = [];
      for (const reference of namesList(input)) {
        let found: ReturnType<typeof resolve>;
        try {
          found = resolve(store, reference);
        } catch (error) {
          if (error instanceof AwsError && error.code === "ParameterVersionNotFound") found = undefined;
          else throw error;
        }
        if (found) parameters.push(toParameter(request.region, found.parameter, input.WithDecryption === true, found.selector));
        else invalid.push(reference);
      }
      return { Parameters: parameters, InvalidParameters: invalid };
    },

    GetParametersByPath: (input, request) => {
      const path = assertValidPath(requiredString(input, "Path"));
      const recursive = input.Recursive === true;
      const filter = matchesAll(input.ParameterFilters as ParameterStringFilter[] | undefined, ["Type", "KeyId"]);
      const matching = storeFor(request.region)
        .latest()
        .filter((p) => isUnderPath(p.name, path, recursive) && filter(p));
      const page = pageOf(matching, maxResultsWithin(input.MaxResults, 10), optionalString(input, "NextToken"));
      return {
        Parameters: page.items.map((p) => toParameter(request.region, p, input.WithDecryption === true)),
        ...(page.nextToken !== undefined ? { NextToken: page.nextToken } : {}),
      };
    },

    DeleteParameter: (input, request) => {
      const name = requiredString(input, "Name");
      if (!storeFor(request.region).delete(name)) throw new AwsError("ParameterNotFound", `Parameter ${name} not found.`);
      return {};
    },

    DeleteParameters: (input, request) => {
      const store = storeFor(request.region);
      const deleted: string[] = [];
      const invalid: string[] = [];
      for (const name of namesList(input)) (store.delete(name) ? deleted : invalid).push(name);
      return { DeletedParameters: deleted, InvalidParameters: invalid };
    },

    DescribeParameters: (input, request) => {
      const legacy = input.Filters as LegacyParametersFilter[] | undefined;
      const modern = input.ParameterFilters as ParameterStringFilter[] | undefined;
      if (legacy?.length && modern?.length)
        throw new AwsError("ValidationException", "You can use either Filters or ParameterFilters in a single request.");
      const filter = legacy?.length ? matchesLegacy(legacy) : matchesAll(modern, ["Name", "Path", "Type", "KeyId", "Tier", "DataType"]);
      const matching = storeFor(request.region).latest().filter(filter);
      const page = pageOf(matching, maxResultsWithin(input.MaxResults, 50), optionalString(input, "NextToken"));
      return {
        Parameters: page.items.map((p) => toMetadata(request.region, p)),
        ...(page.nextToken !== undefined ? { NextToken: page.nextToken } : {}),
      };
    },

    GetParameterHistory: (input, request) => {
      const name = parseReference(requiredString(input, "Name")).name;
      const history = storeFor(request.region).history(name);
      if (!history) throw new AwsError("ParameterNotFound", `Parameter ${name} not found.`);
      const page = pageOf(history, maxResultsWithin(input.MaxResults, 50), optionalString(input, "NextToken"));
      return {
        Parameters: page.items.map((p) => toHistoryEntry(p, input.WithDecryption === true)),
        ...(page.nextToken !== undefined ? { NextToken: page.nextToken } : {}),
      };
    },
  };

  return {
    name: "ssm",
    handle: async (request: LocalRequest): Promise<LocalResponse> => {
      const target = String(request.headers["x-amz-target"] ?? "");
      if (!target.startsWith(TARGET_PREFIX)) throw new AwsError("UnknownOperationException", `missing or unknown X-Amz-Target '${target}'`);
      const operationName = target.slice(TARGET_PREFIX.length);
      const operation = operations[operationName];
      if (!operation) throw notImplemented("ssm", operationName);
      let input: Input;
      try {
        const parsed: unknown = request.body.length ? JSON.parse(request.body.toString("utf8")) : {};
        input = typeof parsed === "object" && parsed !== null ? (parsed as Input) : {};
      } catch {
        throw new AwsError("SerializationException", "request body is not valid JSON");
      }
      return {
        status: 200,
        headers: { "content-type": "application/x-amz-json-1.1" },
        body: JSON.stringify(operation(input, request)),
      };
    },
  };
};
