import { join } from "node:path";
import { type EsbuildProperties, findProjectRoot, readTemplate, type TemplateResource } from "local-cloud";
import { actionsOf } from "../../support/sdk-calls";

/**
 * Least privilege, derived from the code: each function's IAM actions are exactly the SDK commands its
 * bundle sends (no more, no fewer), on resources of this stack, encrypted at rest, with no secret in an
 * environment variable. A new adapter call without its permission, or a permission nothing uses any
 * more, fails here rather than in production.
 */
const root = findProjectRoot();
const template = readTemplate(join(root, "template.yaml"));
const resources = Object.entries(template.Resources);
const functions = resources.filter(([, resource]) => resource.Type === "AWS::Serverless::Function");

/**
 * Actions AWS authorises only on `Resource: "*"`, each with the reason (the Service Authorization
 * Reference lists no resource type for them).
 */
const ACTIONS_WITHOUT_RESOURCE_TYPES: Readonly<Record<string, string>> = {
  "iot:DescribeEndpoint": "names the account's endpoint; IAM has no resource ARN for it",
  "iot:ListThings": "lists the registry (the sweep; the DR applier: the things of a deleted type); IAM has no resource ARN for it",
  "iot:ListThingTypes": "lists the registry; IAM has no resource ARN for it",
  "iot:ListThingGroups": "lists the registry (the sweep; the DR applier: the children of a deleted group); IAM has no resource ARN for it",
  "iot:ListCertificates": "lists the registry; IAM has no resource ARN for it",
  "iot:ListPolicies": "lists the registry; IAM has no resource ARN for it",
};

/**
 * Every resource of one IoT type (`thing/*`, `cert/*`, ...): the registry sweep reads each of them, and
 * the DR applier keeps a secondary's whole registry a copy of the primary's.
 */
const WHOLE_IOT_RESOURCE_TYPE = /^(thing|thinggroup|thingtype|cert|policy)\/\*$/;

interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every statement of a function's `Policies`; only inline documents, so the comparison sees all it grants. */
const statementsOf = (logicalId: string, resource: TemplateResource): Statement[] =>
  asList((resource.Properties?.["Policies"] ?? []) as unknown[]).flatMap((policy) => {
    const statements = (policy as { Statement?: unknown }).Statement;
    if (!statements)
      throw new Error(`${logicalId}: policy ${JSON.stringify(policy)} is not an inline document; its actions cannot be checked`);
    return asList(statements as Statement | Statement[]);
  });

const grantedActions = (logicalId: string, resource: TemplateResource): string[] =>
  [...new Set(statementsOf(logicalId, resource).flatMap((statement) => asList(statement.Action)))].sort();

const entryPointOf = (resource: TemplateResource): string => {
  const properties = resource.Metadata?.["BuildProperties"] as EsbuildProperties | undefined;
  const [entryPoint] = properties?.EntryPoints ?? [];
  if (!entryPoint) throw new Error(`no esbuild EntryPoints in ${JSON.stringify(resource.Metadata)}`);
  return entryPoint;
};

/** Why a statement's resource is not scoped to this stack, or undefined when it is. */
const unscopedResource = (statement: Statement): string | undefined => {
  for (const target of asList(statement.Resource)) {
    if (target === "*") {
      const unexplained = asList(statement.Action).filter((action) => !(action in ACTIONS_WITHOUT_RESOURCE_TYPES));
      if (unexplained.length > 0) return `"*" for ${unexplained.join(", ")}, which IAM can scope to resources`;
      continue;
    }
    const getAtt = (target as { "Fn::GetAtt"?: [string, string] })["Fn::GetAtt"];
    if (getAtt) {
      if (!template.Resources[getAtt[0]]) return `${getAtt[0]} is not a resource of this template`;
      continue;
    }
    const sub = (target as { "Fn::Sub"?: string })["Fn::Sub"];
    if (typeof sub !== "string") return `${JSON.stringify(target)} is neither a !GetAtt of this stack nor an ARN built with !Sub`;
    if (!sub.startsWith("arn:${AWS::Partition}:") || !sub.includes(":${AWS::Region}:${AWS::AccountId}:"))
      return `${sub} is not scoped to this partition, region and account`;
    const path = sub.slice(sub.lastIndexOf(":") + 1);
    if (path.includes("*") && !/^topic\/[^*]+\/\*$/.test(path) && !WHOLE_IOT_RESOURCE_TYPE.test(path))
      return `${sub} uses a wildcard beyond a topic prefix or a whole IoT resource type`;
  }
  return undefined;
};

describe.each(functions.map(([logicalId, resource]) => ({ logicalId, resource })))("$logicalId", ({ logicalId, resource }) => {
  it("is granted exactly the actions its code sends", async () => {
    const sent = await actionsOf(root, entryPointOf(resource));
    expect(sent.length).toBeGreaterThan(0);
    expect({ function: logicalId, granted: grantedActions(logicalId, resource) }).toEqual({ function: logicalId, granted: sent });
  });

  it("is granted only Allow statements on resources of this stack", () => {
    for (const statement of statementsOf(logicalId, resource)) {
      expect(statement.Effect).toBe("Allow");
      expect({ statement, problem: unscopedResource(statement) }).toEqual({ statement, problem: undefined });
    }
  });

  it("keeps no secret in its environment", () => {
    const variables = {
      ...(template.Globals?.["Function"]?.["Environment"] as { Variables?: Record<string, unknown> } | undefined)?.Variables,
      ...(resource.Properties?.["Environment"] as { Variables?: Record<string, unknown> } | undefined)?.Variables,
    };
    const secretLooking = Object.keys(variables).filter((name) => /SECRET|PASSWORD|ACCESS_KEY|PRIVATE|CREDENTIAL/i.test(name));
    expect(secretLooking).toEqual([]);
  });
});

test("every queue and table is encrypted at rest", () => {
  const unencrypted = resources
    .filter(([, resource]) => {
      const properties = resource.Properties ?? {};
      if (resource.Type === "AWS::SQS::Queue") return properties["SqsManagedSseEnabled"] !== true && !properties["KmsMasterKeyId"];
      if (resource.Type === "AWS::DynamoDB::Table" || resource.Type === "AWS::DynamoDB::GlobalTable")
        return (properties["SSESpecification"] as { SSEEnabled?: boolean } | undefined)?.SSEEnabled !== true;
      return false;
    })
    .map(([logicalId]) => logicalId);
  expect(unencrypted).toEqual([]);
});

test("the derivation sees every command the functions' adapters construct", async () => {
  const all = (await Promise.all(functions.map(([, resource]) => actionsOf(root, entryPointOf(resource))))).flat();
  expect(all).toEqual(expect.arrayContaining(["dynamodb:PutItem", "dynamodb:BatchWriteItem", "sqs:SendMessage", "iot:Publish"]));
});
