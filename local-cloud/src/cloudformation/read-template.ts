import { readFileSync } from "node:fs";
import { type CollectionTag, parse, type ScalarTag } from "yaml";

/**
 * Reads a CloudFormation/SAM template written in YAML, turning the short-form intrinsic tags
 * (`!Ref`, `!Sub`, `!GetAtt a.b`, ...) into their long form (`{ "Fn::Sub": ... }`), so that the build
 * and the local cloud read the template exactly as CloudFormation would.
 */
export interface CloudFormationTemplate {
  readonly Parameters?: Record<string, { Type: string; Default?: unknown; [key: string]: unknown }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Globals?: Record<string, Record<string, unknown>>;
  readonly Resources: Record<string, TemplateResource>;
  readonly Outputs?: Record<string, unknown>;
}

export interface TemplateResource {
  readonly Type: string;
  readonly Condition?: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
  readonly [key: string]: unknown;
}

const INTRINSICS = [
  "Base64",
  "Cidr",
  "FindInMap",
  "GetAZs",
  "ImportValue",
  "Join",
  "Select",
  "Split",
  "Sub",
  "Transform",
  "If",
  "Not",
  "Equals",
  "And",
  "Or",
  "Length",
  "ToJsonString",
];

const longForm = (tag: string): string => (tag === "Ref" || tag === "Condition" ? tag : `Fn::${tag}`);

const tagsFor = (name: string): (ScalarTag | CollectionTag)[] => [
  { tag: `!${name}`, resolve: (value: string) => ({ [longForm(name)]: value }) } as ScalarTag,
  {
    tag: `!${name}`,
    collection: "seq",
    resolve: (seq: { toJSON(): unknown }) => ({ [longForm(name)]: seq.toJSON() }),
  } as unknown as CollectionTag,
  {
    tag: `!${name}`,
    collection: "map",
    resolve: (map: { toJSON(): unknown }) => ({ [longForm(name)]: map.toJSON() }),
  } as unknown as CollectionTag,
];

const CUSTOM_TAGS = [
  ...["Ref", "Condition", ...INTRINSICS].flatMap(tagsFor),
  // `!GetAtt Resource.Attribute` is the one short form whose scalar splits into a list.
  {
    tag: "!GetAtt",
    resolve: (value: string) => ({ "Fn::GetAtt": [value.slice(0, value.indexOf(".")), value.slice(value.indexOf(".") + 1)] }),
  } as ScalarTag,
  {
    tag: "!GetAtt",
    collection: "seq",
    resolve: (seq: { toJSON(): unknown }) => ({ "Fn::GetAtt": seq.toJSON() }),
  } as unknown as CollectionTag,
];

export const parseTemplate = (text: string): CloudFormationTemplate => {
  const template = parse(text, { customTags: CUSTOM_TAGS }) as CloudFormationTemplate;
  if (!template || typeof template !== "object" || !template.Resources)
    throw new Error("not a CloudFormation template: no Resources section");
  return template;
};

export const readTemplate = (path: string): CloudFormationTemplate => parseTemplate(readFileSync(path, "utf8"));
