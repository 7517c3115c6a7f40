import type { ResolvedResource } from "./resolve-template";

/** A function's `FunctionUrlConfig`: the HTTP endpoint Lambda gives it (SAM generates `{LogicalId}Url`, an `AWS::Lambda::Url`). */
export interface FunctionUrlConfig {
  /** NONE: anyone may call it (what Route 53 health checks need); AWS_IAM: only SigV4-signed requests. */
  readonly authType: "NONE" | "AWS_IAM";
  /** BUFFERED (the default) or RESPONSE_STREAM; the local cloud answers both buffered. */
  readonly invokeMode: "BUFFERED" | "RESPONSE_STREAM";
}

const AUTH_TYPES = ["NONE", "AWS_IAM"] as const;
const INVOKE_MODES = ["BUFFERED", "RESPONSE_STREAM"] as const;

/**
 * Reads a resolved `AWS::Serverless::Function`'s `FunctionUrlConfig` as SAM validates it: AuthType is
 * required and one of NONE or AWS_IAM, InvokeMode optional. Undefined when the function has no URL.
 */
export const functionUrlConfigOf = (fn: ResolvedResource): FunctionUrlConfig | undefined => {
  const raw = fn.properties.FunctionUrlConfig;
  if (raw === undefined) return undefined;
  const path = `${fn.logicalId}.FunctionUrlConfig`;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new Error(`${path}: must be a map`);
  const { AuthType: authType, InvokeMode: invokeMode = "BUFFERED" } = raw as Record<string, unknown>;
  if (!(AUTH_TYPES as readonly unknown[]).includes(authType))
    throw new Error(`${path}.AuthType: must be NONE or AWS_IAM, got ${JSON.stringify(authType)}`);
  if (!(INVOKE_MODES as readonly unknown[]).includes(invokeMode))
    throw new Error(`${path}.InvokeMode: must be BUFFERED or RESPONSE_STREAM, got ${JSON.stringify(invokeMode)}`);
  return { authType: authType as FunctionUrlConfig["authType"], invokeMode: invokeMode as FunctionUrlConfig["invokeMode"] };
};
