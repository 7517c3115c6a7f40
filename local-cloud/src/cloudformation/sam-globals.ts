import { intrinsicName } from "./intrinsic-functions";
import type { CloudFormationTemplate, TemplateResource } from "./read-template";

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && intrinsicName(value) === undefined;

/**
 * Merges one global value with a resource's own value by the SAM translator's rules: maps merge
 * key by key (recursively, the resource's entries win), lists concatenate (globals first), and any
 * other value, including an intrinsic function such as `!Ref`, is replaced by the resource's
 * value. This is why `Globals.Function.Environment.Variables` and a function's own variables both
 * reach the function.
 */
export const mergeSamGlobal = (globalValue: unknown, localValue: unknown): unknown => {
  if (localValue === undefined) return globalValue;
  if (isMap(globalValue) && isMap(localValue)) {
    const merged: Record<string, unknown> = { ...globalValue };
    for (const [key, value] of Object.entries(localValue)) merged[key] = mergeSamGlobal(globalValue[key], value);
    return merged;
  }
  if (Array.isArray(globalValue) && Array.isArray(localValue)) return [...globalValue, ...localValue];
  return localValue;
};

/**
 * Applies the template's `Globals.Function` section to every `AWS::Serverless::Function`, as the
 * SAM transform does before CloudFormation sees the template, so that the local cloud runs each
 * function with the same runtime, timeout, memory and environment as the deployed one. Returns a
 * new template without the Globals section; the input is not changed. Other Globals sections
 * (Api, HttpApi, SimpleTable, ...) are not applied: the local cloud has no such resources.
 */
export const applySamGlobals = (template: CloudFormationTemplate): CloudFormationTemplate => {
  const { Globals: globals, ...rest } = template;
  const functionGlobals = globals?.Function ?? {};
  const resources = Object.fromEntries(
    Object.entries(template.Resources).map(([logicalId, resource]): [string, TemplateResource] => {
      if (resource.Type !== "AWS::Serverless::Function") return [logicalId, resource];
      const properties = mergeSamGlobal(functionGlobals, resource.Properties ?? {}) as Record<string, unknown>;
      return [logicalId, { ...resource, Properties: properties }];
    }),
  );
  return { ...rest, Resources: resources };
};
