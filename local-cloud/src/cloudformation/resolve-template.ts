import { partitionOf, urlSuffixOf } from "../endpoint/partitions";
import { deploymentOrder } from "./deployment-order";
import { evaluate, evaluateCondition, type IntrinsicContext, NO_VALUE } from "./intrinsic-functions";
import type { CloudFormationTemplate, TemplateResource } from "./read-template";
import { resolveParameters } from "./template-parameters";

/** What a deployment into one region supplies: the values CloudFormation would know there. */
export interface ResolveOptions {
  readonly region: string;
  readonly accountId: string;
  readonly stackName: string;
  /** Parameter overrides (samconfig `parameter_overrides`); the rest come from Defaults. */
  readonly parameters: Readonly<Record<string, string>>;
  /** The physical id (`Ref` value) of a resource; undefined is an error when it is referenced. */
  readonly physicalIds: (logicalId: string, resource: TemplateResource) => string | undefined;
  /** An attribute (`Fn::GetAtt`) of a resource; undefined is an error when it is referenced. */
  readonly attributes: (logicalId: string, attribute: string) => unknown;
}

/** One resource of the stack with every intrinsic function evaluated. */
export interface ResolvedResource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
}

/** The stack a region gets: its condition values and its resources in creation order. */
export interface ResolvedTemplate {
  readonly conditions: Readonly<Record<string, boolean>>;
  readonly resources: readonly ResolvedResource[];
}

const record = (value: unknown, path: string): Record<string, unknown> => {
  if (value === undefined || value === NO_VALUE) return {};
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new Error(`${path} must be a map`);
};

/**
 * Computes what CloudFormation would deploy from `template` with `options`: the parameters
 * (Defaults, type conversion, constraints), every condition, and each resource whose Condition
 * holds, with its Properties and Metadata fully evaluated (`AWS::NoValue` entries removed), in
 * dependency order. This is how the local cloud "deploys" the template into one local region
 * exactly as `sam deploy --config-env <env>` would into the real one.
 *
 * Referencing a resource that is not created in this region (its Condition is false) is an error,
 * as is any unknown name, so that a template mistake shows up locally first.
 */
export const resolveTemplate = (template: CloudFormationTemplate, options: ResolveOptions): ResolvedTemplate => {
  const parameters = resolveParameters(template, options.parameters);
  const declaredConditions = template.Conditions ?? {};
  const mappings = record((template as { Mappings?: unknown }).Mappings, "Mappings");
  const conditions: Record<string, boolean> = {};
  const evaluating = new Set<string>();

  const resourceNamed = (logicalId: string, use: string): TemplateResource => {
    const resource = template.Resources[logicalId];
    if (resource === undefined) throw new Error(`${use}: ${logicalId} is not a parameter or resource of the template`);
    if (resource.Condition !== undefined && !condition(resource.Condition)) {
      throw new Error(`${use}: resource ${logicalId} is not created (its condition ${resource.Condition} is false)`);
    }
    return resource;
  };

  const context: IntrinsicContext = {
    parameters,
    pseudoParameters: {
      "AWS::Region": options.region,
      "AWS::AccountId": options.accountId,
      "AWS::StackName": options.stackName,
      "AWS::StackId": `arn:${partitionOf(options.region)}:cloudformation:${options.region}:${options.accountId}:stack/${options.stackName}/local`,
      "AWS::Partition": partitionOf(options.region),
      "AWS::URLSuffix": urlSuffixOf(options.region),
    },
    mappings,
    condition: (name) => condition(name),
    resourceRef: (logicalId) => {
      const resource = resourceNamed(logicalId, `Ref ${logicalId}`);
      const id = options.physicalIds(logicalId, resource);
      if (id === undefined) throw new Error(`Ref ${logicalId}: no physical id for this ${resource.Type}`);
      return id;
    },
    attribute: (logicalId, attribute) => {
      resourceNamed(logicalId, `Fn::GetAtt ${logicalId}.${attribute}`);
      const value = options.attributes(logicalId, attribute);
      if (value === undefined) throw new Error(`Fn::GetAtt ${logicalId}.${attribute}: no such attribute`);
      return value;
    },
  };

  function condition(name: string): boolean {
    const known = conditions[name];
    if (known !== undefined) return known;
    if (!(name in declaredConditions)) throw new Error(`no condition named ${name} in the template's Conditions`);
    if (evaluating.has(name)) throw new Error(`condition ${name} depends on itself`);
    evaluating.add(name);
    const value = evaluateCondition(declaredConditions[name], context, `Conditions.${name}`);
    evaluating.delete(name);
    conditions[name] = value;
    return value;
  }

  const conditionValues = Object.fromEntries(Object.keys(declaredConditions).map((name) => [name, condition(name)]));

  const resources = deploymentOrder(template).flatMap((logicalId): ResolvedResource[] => {
    const resource = template.Resources[logicalId] as TemplateResource;
    if (typeof resource.Type !== "string") throw new Error(`Resources.${logicalId} has no Type`);
    if (resource.Condition !== undefined && !condition(resource.Condition)) return [];
    const path = `Resources.${logicalId}`;
    return [
      {
        logicalId,
        type: resource.Type,
        properties: record(evaluate(resource.Properties ?? {}, context, `${path}.Properties`), `${path}.Properties`),
        metadata: record(evaluate(resource.Metadata ?? {}, context, `${path}.Metadata`), `${path}.Metadata`),
      },
    ];
  });

  return { conditions: conditionValues, resources };
};
