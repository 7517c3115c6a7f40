import { AwsError } from "../endpoint/aws-error";

export type ParameterType = "String" | "StringList" | "SecureString";

/** One version of a parameter; every PutParameter appends one, so history is simply this list. */
export interface ParameterVersion {
  readonly name: string;
  readonly type: ParameterType;
  readonly value: string;
  /** What a reader without `WithDecryption` sees (SecureString only). */
  readonly ciphertext?: string;
  readonly keyId?: string;
  readonly description?: string;
  readonly allowedPattern?: string;
  readonly tier: string;
  readonly dataType: string;
  readonly version: number;
  readonly lastModifiedDate: number;
  readonly lastModifiedUser: string;
}

export interface PutParameterInput {
  readonly name: string;
  readonly value: string;
  readonly type?: ParameterType;
  readonly keyId?: string;
  readonly description?: string;
  readonly allowedPattern?: string;
  readonly tier?: string;
  readonly dataType?: string;
  readonly overwrite: boolean;
}

/** Services fill these in: when it happened, who did it, and how a SecureString looks encrypted. */
export interface PutContext {
  readonly now: number;
  readonly user: string;
  readonly encrypt: (plaintext: string, keyId: string) => string;
}

const PARAMETER_TYPES: readonly string[] = ["String", "StringList", "SecureString"];
const TIERS: readonly string[] = ["Standard", "Advanced", "Intelligent-Tiering"];
const NAME_PATTERN = /^[a-zA-Z0-9_.\-/]+$/;
const DEFAULT_KEY_ID = "alias/aws/ssm";

/** Narrows a request's `Type` to the three parameter types SSM knows. */
export const isParameterType = (value: unknown): value is ParameterType => typeof value === "string" && PARAMETER_TYPES.includes(value);

/** Rejects names AWS rejects, so a name that works locally also works in a real account. */
export const assertValidName = (name: unknown): string => {
  if (typeof name !== "string" || name.length === 0 || name.length > 2048) {
    throw new AwsError("ValidationException", "Parameter name must be between 1 and 2048 characters.");
  }
  if (!NAME_PATTERN.test(name)) {
    throw new AwsError(
      "ValidationException",
      'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol "/". Valid example: /get/parameters2-/by1./path0_.',
    );
  }
  if (name.includes("/") && !name.startsWith("/")) {
    throw new AwsError("ValidationException", "Parameter name must be a fully qualified name.");
  }
  if (/^\/?(aws|ssm)/i.test(name)) {
    throw new AwsError("ValidationException", `No access to reserved parameter name: ${name}.`);
  }
  return name;
};

/**
 * The parameters of one region. Versions are kept in full because GetParameterHistory and
 * `name:version` selectors read old values; a delete drops the whole history, as AWS does.
 */
export class ParameterStore {
  private readonly byName = new Map<string, ParameterVersion[]>();

  /** Appends a version (or creates version 1), enforcing the same rules as AWS PutParameter. */
  put(input: PutParameterInput, context: PutContext): ParameterVersion {
    assertValidName(input.name);
    const history = this.byName.get(input.name);
    const current = history?.[history.length - 1];
    if (current && !input.overwrite) {
      throw new AwsError(
        "ParameterAlreadyExists",
        "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.",
      );
    }
    const type = input.type ?? current?.type;
    if (!type) throw new AwsError("ValidationException", "A parameter type is required when you create a parameter.");
    if (input.keyId !== undefined && type !== "SecureString") {
      throw new AwsError("ValidationException", "KeyId is required for SecureString type parameter only.");
    }
    if (input.value.length === 0)
      throw new AwsError(
        "ValidationException",
        "1 validation error detected: Value '' at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1",
      );
    const tier = input.tier ?? current?.tier ?? "Standard";
    if (!TIERS.includes(tier))
      throw new AwsError(
        "ValidationException",
        `1 validation error detected: Value '${tier}' at 'tier' failed to satisfy constraint: Member must satisfy enum value set: [Standard, Advanced, Intelligent-Tiering]`,
      );
    const effectiveTier = tier === "Intelligent-Tiering" ? (input.value.length > 4096 ? "Advanced" : "Standard") : tier;
    if (effectiveTier === "Standard" && input.value.length > 4096) {
      throw new AwsError(
        "ValidationException",
        "Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier.",
      );
    }
    const allowedPattern = input.allowedPattern ?? current?.allowedPattern;
    if (allowedPattern !== undefined && !new RegExp(allowedPattern).test(input.value)) {
      throw new AwsError(
        "ParameterPatternMismatchException",
        `Parameter value, cannot be validated against allowedPattern: ${allowedPattern}`,
      );
    }
    const keyId =
      type === "SecureString"
        ? (input.keyId ?? (current?.type === "SecureString" ? current.keyId : undefined) ?? DEFAULT_KEY_ID)
        : undefined;
    const version: ParameterVersion = {
      name: input.name,
      type,
      value: input.value,
      ...(keyId !== undefined ? { keyId, ciphertext: context.encrypt(input.value, keyId) } : {}),
      ...((input.description ?? current?.description) ? { description: input.description ?? current?.description } : {}),
      ...(allowedPattern !== undefined ? { allowedPattern } : {}),
      tier: effectiveTier,
      dataType: input.dataType ?? current?.dataType ?? "text",
      version: (current?.version ?? 0) + 1,
      lastModifiedDate: context.now,
      lastModifiedUser: context.user,
    };
    if (history) history.push(version);
    else this.byName.set(input.name, [version]);
    return version;
  }

  /** The latest version, or the one a `name:version` selector names; undefined when absent. */
  find(name: string, versionSelector?: number): ParameterVersion | undefined {
    const history = this.byName.get(name);
    if (!history) return undefined;
    if (versionSelector === undefined) return history[history.length - 1];
    return history.find((entry) => entry.version === versionSelector);
  }

  /** Every version, oldest first, for GetParameterHistory. */
  history(name: string): readonly ParameterVersion[] | undefined {
    return this.byName.get(name);
  }

  /** Drops the parameter with its history; false when there was nothing to delete. */
  delete(name: string): boolean {
    return this.byName.delete(name);
  }

  /** Latest versions sorted by name, so paging over them is stable between calls. */
  latest(): ParameterVersion[] {
    return [...this.byName.values()]
      .map((history) => history[history.length - 1] as ParameterVersion)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}
