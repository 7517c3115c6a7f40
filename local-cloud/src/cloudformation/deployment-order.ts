import { intrinsicName, subPlaceholders } from "./intrinsic-functions";
import type { CloudFormationTemplate, TemplateResource } from "./read-template";

/**
 * The resources a resource needs to exist before it: those it names with `Ref`, `Fn::GetAtt`,
 * `Fn::Sub` placeholders or `DependsOn`. Names that are not resources of the template (parameters,
 * pseudo parameters, Fn::Sub variables) are not dependencies.
 */
export const resourceDependencies = (template: CloudFormationTemplate, logicalId: string): string[] => {
  const resource = template.Resources[logicalId];
  if (resource === undefined) throw new Error(`no resource named ${logicalId}`);
  const found = new Set<string>();
  const add = (name: string): void => {
    if (name in template.Resources && name !== logicalId) found.add(name);
  };
  const visit = (value: unknown): void => {
    const name = intrinsicName(value);
    if (name !== undefined) {
      const args = (value as Record<string, unknown>)[name];
      if (name === "Ref" && typeof args === "string") add(args);
      else if (name === "Fn::GetAtt") {
        if (typeof args === "string") add(args.split(".")[0] as string);
        else if (Array.isArray(args) && typeof args[0] === "string") add(args[0]);
      } else if (name === "Fn::Sub") {
        const [text, variables] = Array.isArray(args) ? args : [args, undefined];
        const local = new Set(variables !== null && typeof variables === "object" ? Object.keys(variables) : []);
        if (typeof text === "string") {
          for (const placeholder of subPlaceholders(text)) {
            if (!local.has(placeholder)) add(placeholder.split(".")[0] as string);
          }
        }
        visit(variables);
        return;
      }
      visit(args);
      return;
    }
    if (Array.isArray(value)) for (const item of value) visit(item);
    else if (value !== null && typeof value === "object") for (const item of Object.values(value)) visit(item);
  };
  const { DependsOn: dependsOn, ...rest } = resource as TemplateResource & { DependsOn?: unknown };
  visit(rest);
  const explicit = typeof dependsOn === "string" ? [dependsOn] : Array.isArray(dependsOn) ? dependsOn : [];
  for (const name of explicit) {
    if (typeof name !== "string" || !(name in template.Resources)) {
      throw new Error(`Resources.${logicalId}.DependsOn: ${JSON.stringify(name)} is not a resource of the template`);
    }
    add(name);
  }
  return [...found];
};

/**
 * Orders all resources so that each comes after every resource it references, as CloudFormation
 * creates them; ties keep template order so that the local cloud starts up the same way every run.
 * A dependency cycle is an error naming the resources in it (CloudFormation rejects it too).
 */
export const deploymentOrder = (template: CloudFormationTemplate): string[] => {
  const names = Object.keys(template.Resources);
  const dependencies = new Map(names.map((name) => [name, new Set(resourceDependencies(template, name))]));
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < names.length) {
    const next = names.find(
      (name) => !placed.has(name) && [...(dependencies.get(name) ?? [])].every((dependency) => placed.has(dependency)),
    );
    if (next === undefined) {
      const stuck = names.filter((name) => !placed.has(name));
      const cycle = stuck.map((name) => `${name} -> ${[...(dependencies.get(name) ?? [])].filter((d) => !placed.has(d)).join(", ")}`);
      throw new Error(`circular dependency between resources: ${cycle.join("; ")}`);
    }
    ordered.push(next);
    placed.add(next);
  }
  return ordered;
};
