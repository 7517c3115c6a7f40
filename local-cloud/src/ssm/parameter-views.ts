import { regionalArn } from "../endpoint/partitions";
import type { ParameterVersion } from "./parameter-store";

/** awsJson timestamps are epoch seconds (fractional), which is what the SDK deserializer expects. */
const epochSeconds = (ms: number): number => ms / 1000;

/** The parameter's ARN; hierarchical names already start with the slash the ARN needs. */
export const parameterArn = (region: string, name: string): string =>
  regionalArn(region, "ssm", `parameter${name.startsWith("/") ? name : `/${name}`}`);

/** The value a reader gets: plaintext, unless it is a SecureString read without decryption. */
const visibleValue = (parameter: ParameterVersion, withDecryption: boolean): string =>
  parameter.type === "SecureString" && !withDecryption ? (parameter.ciphertext ?? "") : parameter.value;

/** `Parameter` of GetParameter(s)/GetParametersByPath; `Selector` only when the caller used one. */
export const toParameter = (
  region: string,
  parameter: ParameterVersion,
  withDecryption: boolean,
  selector?: string,
): Record<string, unknown> => ({
  Name: parameter.name,
  Type: parameter.type,
  Value: visibleValue(parameter, withDecryption),
  Version: parameter.version,
  ...(selector !== undefined ? { Selector: selector } : {}),
  LastModifiedDate: epochSeconds(parameter.lastModifiedDate),
  ARN: parameterArn(region, parameter.name),
  DataType: parameter.dataType,
});

/** `ParameterMetadata` of DescribeParameters: everything but the value. */
export const toMetadata = (region: string, parameter: ParameterVersion): Record<string, unknown> => ({
  Name: parameter.name,
  ARN: parameterArn(region, parameter.name),
  Type: parameter.type,
  ...(parameter.keyId !== undefined ? { KeyId: parameter.keyId } : {}),
  LastModifiedDate: epochSeconds(parameter.lastModifiedDate),
  LastModifiedUser: parameter.lastModifiedUser,
  ...(parameter.description !== undefined ? { Description: parameter.description } : {}),
  ...(parameter.allowedPattern !== undefined ? { AllowedPattern: parameter.allowedPattern } : {}),
  Version: parameter.version,
  Tier: parameter.tier,
  Policies: [],
  DataType: parameter.dataType,
});

/** `ParameterHistory` entry of GetParameterHistory: one per version, value included. */
export const toHistoryEntry = (parameter: ParameterVersion, withDecryption: boolean): Record<string, unknown> => ({
  Name: parameter.name,
  Type: parameter.type,
  ...(parameter.keyId !== undefined ? { KeyId: parameter.keyId } : {}),
  LastModifiedDate: epochSeconds(parameter.lastModifiedDate),
  LastModifiedUser: parameter.lastModifiedUser,
  ...(parameter.description !== undefined ? { Description: parameter.description } : {}),
  Value: visibleValue(parameter, withDecryption),
  ...(parameter.allowedPattern !== undefined ? { AllowedPattern: parameter.allowedPattern } : {}),
  Version: parameter.version,
  Labels: [],
  Tier: parameter.tier,
  Policies: [],
  DataType: parameter.dataType,
});
