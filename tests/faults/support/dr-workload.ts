import {
  AddThingToThingGroupCommand,
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreateKeysAndCertificateCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  CreateThingTypeCommand,
  DeleteCertificateCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteThingCommand,
  DeleteThingGroupCommand,
  DeprecateThingTypeCommand,
  DetachPolicyCommand,
  DetachThingPrincipalCommand,
  type IoTClient,
  ListPolicyVersionsCommand,
  RemoveThingFromThingGroupCommand,
  UpdateCertificateCommand,
  UpdateThingCommand,
  UpdateThingGroupCommand,
} from "@aws-sdk/client-iot";
import { DeleteThingShadowCommand, type IoTDataPlaneClient, UpdateThingShadowCommand } from "@aws-sdk/client-iot-data-plane";
import { seededRandom } from "local-cloud/testing";

interface Certificate {
  readonly id: string;
  readonly arn: string;
  active: boolean;
}

/**
 * Random valid operations on one region's registry, certificates, policies, attachments and shadows,
 * drawn from a seeded generator over small name pools (so names are deleted and re-created): each
 * operation is chosen among those the tracked state allows, as a fleet's operator would make them
 * (a certificate is detached and deactivated before it is deleted, a policy detached first, a thing's
 * principals detached before it is deleted). Type deletes are left out: AWS allows them only 5 minutes
 * after deprecating. Returns the count of each operation made.
 */
export const runDrWorkload = async (
  iot: IoTClient,
  data: IoTDataPlaneClient,
  seed: number,
  operations: number,
): Promise<Record<string, number>> => {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const things = new Map<string, { groups: Set<string>; certificates: Set<string> }>();
  const groups = new Set<string>();
  const types = new Set<string>();
  const certificates = new Map<string, Certificate>();
  const policies = new Map<string, Set<string>>(); // policy -> certificate ids it is attached to
  const shadows = new Set<string>(); // thing/shadowName ("" for classic)
  const counts: Record<string, number> = {};
  const value = () => String(Math.floor(random() * 1000));
  const document = (version: string) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "iot:Publish", Resource: `arn:aws:iot:us-east-1:000000000000:topic/v${version}` }],
    });
  const json = (body: unknown) => new TextEncoder().encode(JSON.stringify(body));
  const detachCertificateFromAll = async (certificate: Certificate) => {
    for (const [name, thing] of things)
      if (thing.certificates.delete(certificate.id))
        await iot.send(new DetachThingPrincipalCommand({ thingName: name, principal: certificate.arn }));
    for (const [name, targets] of policies)
      if (targets.delete(certificate.id)) await iot.send(new DetachPolicyCommand({ policyName: name, target: certificate.arn }));
  };

  const moves: [string, () => boolean, () => Promise<void>][] = [
    [
      "createType",
      () => types.size < 3,
      async () => {
        const name = pick(["DrType0", "DrType1", "DrType2"].filter((type) => !types.has(type)));
        await iot.send(new CreateThingTypeCommand({ thingTypeName: name, thingTypeProperties: { thingTypeDescription: value() } }));
        types.add(name);
      },
    ],
    [
      "deprecateType",
      () => types.size > 0,
      async () => {
        await iot.send(new DeprecateThingTypeCommand({ thingTypeName: pick([...types]), undoDeprecate: random() < 0.5 }));
      },
    ],
    [
      "createGroup",
      () => groups.size < 6,
      async () => {
        const name = pick(Array.from({ length: 6 }, (_, index) => `DrGroup${index}`).filter((group) => !groups.has(group)));
        await iot.send(
          new CreateThingGroupCommand({ thingGroupName: name, thingGroupProperties: { attributePayload: { attributes: { v: value() } } } }),
        );
        groups.add(name);
      },
    ],
    [
      "updateGroup",
      () => groups.size > 0,
      async () => {
        await iot.send(
          new UpdateThingGroupCommand({ thingGroupName: pick([...groups]), thingGroupProperties: { thingGroupDescription: value() } }),
        );
      },
    ],
    [
      "deleteGroup",
      () => groups.size > 0,
      async () => {
        const name = pick([...groups]);
        await iot.send(new DeleteThingGroupCommand({ thingGroupName: name }));
        groups.delete(name);
        for (const thing of things.values()) thing.groups.delete(name);
      },
    ],
    [
      "createThing",
      () => things.size < 30,
      async () => {
        const name = pick(Array.from({ length: 30 }, (_, index) => `DrThing${index}`).filter((thing) => !things.has(thing)));
        const type = random() < 0.5 && types.size > 0 ? pick([...types]) : undefined;
        try {
          await iot.send(
            new CreateThingCommand({
              thingName: name,
              ...(type ? { thingTypeName: type } : {}),
              attributePayload: { attributes: { v: value() } },
            }),
          );
        } catch (error) {
          // A deprecated type takes no new things: the thing is created without it.
          if ((error as Error).name !== "InvalidRequestException") throw error;
          await iot.send(new CreateThingCommand({ thingName: name, attributePayload: { attributes: { v: value() } } }));
        }
        things.set(name, { groups: new Set(), certificates: new Set() });
      },
    ],
    [
      "updateThing",
      () => things.size > 0,
      async () => {
        const name = pick([...things.keys()]);
        await iot.send(
          new UpdateThingCommand({
            thingName: name,
            attributePayload: { attributes: { v: value(), ...(random() < 0.5 ? { w: value() } : {}) } },
          }),
        );
      },
    ],
    [
      "deleteThing",
      () => things.size > 0,
      async () => {
        const name = pick([...things.keys()]);
        const thing = things.get(name);
        for (const id of thing?.certificates ?? [])
          await iot.send(new DetachThingPrincipalCommand({ thingName: name, principal: certificates.get(id)?.arn }));
        await iot.send(new DeleteThingCommand({ thingName: name }));
        things.delete(name);
        for (const key of [...shadows]) if (key.startsWith(`${name}/`)) shadows.delete(key);
      },
    ],
    [
      "addToGroup",
      () => things.size > 0 && groups.size > 0,
      async () => {
        const [thingName, thingGroupName] = [pick([...things.keys()]), pick([...groups])];
        await iot.send(new AddThingToThingGroupCommand({ thingName, thingGroupName }));
        things.get(thingName)?.groups.add(thingGroupName);
      },
    ],
    [
      "removeFromGroup",
      () => [...things.values()].some((thing) => thing.groups.size > 0),
      async () => {
        const [thingName, thing] = pick([...things].filter(([, entry]) => entry.groups.size > 0));
        const thingGroupName = pick([...thing.groups]);
        await iot.send(new RemoveThingFromThingGroupCommand({ thingName, thingGroupName }));
        thing.groups.delete(thingGroupName);
      },
    ],
    [
      "createCertificate",
      () => certificates.size < 20,
      async () => {
        const created = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
        certificates.set(created.certificateId as string, {
          id: created.certificateId as string,
          arn: created.certificateArn as string,
          active: true,
        });
      },
    ],
    [
      "toggleCertificate",
      () => certificates.size > 0,
      async () => {
        const certificate = pick([...certificates.values()]);
        certificate.active = !certificate.active;
        await iot.send(
          new UpdateCertificateCommand({ certificateId: certificate.id, newStatus: certificate.active ? "ACTIVE" : "INACTIVE" }),
        );
      },
    ],
    [
      "deleteCertificate",
      () => certificates.size > 0,
      async () => {
        const certificate = pick([...certificates.values()]);
        await detachCertificateFromAll(certificate);
        await iot.send(new UpdateCertificateCommand({ certificateId: certificate.id, newStatus: "INACTIVE" }));
        await iot.send(new DeleteCertificateCommand({ certificateId: certificate.id }));
        certificates.delete(certificate.id);
      },
    ],
    [
      "createPolicy",
      () => policies.size < 4,
      async () => {
        const name = pick(["DrPolicy0", "DrPolicy1", "DrPolicy2", "DrPolicy3"].filter((policy) => !policies.has(policy)));
        await iot.send(new CreatePolicyCommand({ policyName: name, policyDocument: document(value()) }));
        policies.set(name, new Set());
      },
    ],
    [
      "updatePolicy",
      () => policies.size > 0,
      async () => {
        const policyName = pick([...policies.keys()]);
        const versions = (await iot.send(new ListPolicyVersionsCommand({ policyName }))).policyVersions ?? [];
        const oldest = versions.filter((version) => !version.isDefaultVersion).sort((a, b) => Number(a.versionId) - Number(b.versionId))[0];
        if (versions.length >= 5 && oldest)
          await iot.send(new DeletePolicyVersionCommand({ policyName, policyVersionId: oldest.versionId }));
        await iot.send(new CreatePolicyVersionCommand({ policyName, policyDocument: document(value()), setAsDefault: true }));
      },
    ],
    [
      "deletePolicy",
      () => policies.size > 0,
      async () => {
        const policyName = pick([...policies.keys()]);
        for (const id of policies.get(policyName) ?? [])
          await iot.send(new DetachPolicyCommand({ policyName, target: certificates.get(id)?.arn }));
        for (const version of (await iot.send(new ListPolicyVersionsCommand({ policyName }))).policyVersions ?? [])
          if (!version.isDefaultVersion) await iot.send(new DeletePolicyVersionCommand({ policyName, policyVersionId: version.versionId }));
        await iot.send(new DeletePolicyCommand({ policyName }));
        policies.delete(policyName);
      },
    ],
    [
      "attachPolicy",
      () => policies.size > 0 && certificates.size > 0,
      async () => {
        const [policyName, certificate] = [pick([...policies.keys()]), pick([...certificates.values()])];
        await iot.send(new AttachPolicyCommand({ policyName, target: certificate.arn }));
        policies.get(policyName)?.add(certificate.id);
      },
    ],
    [
      "detachPolicy",
      () => [...policies.values()].some((targets) => targets.size > 0),
      async () => {
        const [policyName, targets] = pick([...policies].filter(([, ids]) => ids.size > 0));
        const id = pick([...targets]);
        await iot.send(new DetachPolicyCommand({ policyName, target: certificates.get(id)?.arn }));
        targets.delete(id);
      },
    ],
    [
      "attachThingPrincipal",
      () => things.size > 0 && certificates.size > 0,
      async () => {
        const [thingName, certificate] = [pick([...things.keys()]), pick([...certificates.values()])];
        await iot.send(new AttachThingPrincipalCommand({ thingName, principal: certificate.arn }));
        things.get(thingName)?.certificates.add(certificate.id);
      },
    ],
    [
      "detachThingPrincipal",
      () => [...things.values()].some((thing) => thing.certificates.size > 0),
      async () => {
        const [thingName, thing] = pick([...things].filter(([, entry]) => entry.certificates.size > 0));
        const id = pick([...thing.certificates]);
        await iot.send(new DetachThingPrincipalCommand({ thingName, principal: certificates.get(id)?.arn }));
        thing.certificates.delete(id);
      },
    ],
    [
      "updateShadow",
      () => things.size > 0,
      async () => {
        const thingName = pick([...things.keys()]);
        const shadowName = pick(["", "", "config"]);
        const state = random() < 0.5 ? { reported: { v: value() } } : { desired: { v: value(), w: random() < 0.3 ? null : value() } };
        await data.send(new UpdateThingShadowCommand({ thingName, ...(shadowName ? { shadowName } : {}), payload: json({ state }) }));
        shadows.add(`${thingName}/${shadowName}`);
      },
    ],
    [
      "deleteShadow",
      () => shadows.size > 0,
      async () => {
        const key = pick([...shadows]);
        const [thingName, shadowName] = key.split("/") as [string, string];
        await data.send(new DeleteThingShadowCommand({ thingName, ...(shadowName ? { shadowName } : {}) }));
        shadows.delete(key);
      },
    ],
  ];
  for (let made = 0; made < operations; made++) {
    const [name, , run] = pick(moves.filter(([, allowed]) => allowed()));
    await run();
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
};
