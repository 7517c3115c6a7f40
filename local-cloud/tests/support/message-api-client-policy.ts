import { join } from "node:path";
import { readTemplate } from "../../src/cloudformation/read-template";
import { resolveTemplate } from "../../src/cloudformation/resolve-template";
import { applySamGlobals } from "../../src/cloudformation/sam-globals";
import { LOCAL_ACCOUNT_ID } from "../../src/endpoint/service";

/** template.yaml's MessageApiClientPolicy document as CloudFormation resolves it in `region` (what the local deployer creates). */
export const messageApiClientPolicyDocument = (region: string): string => {
  const template = applySamGlobals(readTemplate(join(__dirname, "../../../template.yaml")));
  const resolved = resolveTemplate(template, {
    region,
    accountId: LOCAL_ACCOUNT_ID,
    stackName: "stack",
    parameters: { CreateGlobalTable: "true" },
    physicalIds: (logicalId) => `stack-${logicalId}`,
    attributes: (logicalId, attribute) => `arn:aws:local:${region}:${LOCAL_ACCOUNT_ID}:${logicalId}/${attribute}`,
  });
  const policy = resolved.resources.find((resource) => resource.logicalId === "MessageApiClientPolicy");
  if (!policy) throw new Error("template.yaml has no MessageApiClientPolicy");
  return JSON.stringify(policy.properties["PolicyDocument"]);
};
