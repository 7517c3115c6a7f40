import { errAsync, okAsync, type ResultAsync } from "neverthrow";
import { type EntityRef, namesOf } from "../../src/domain/recovery/entity-ref";
import type { IotOperation } from "../../src/domain/recovery/iot-operations";
import type { LiveStates } from "../../src/domain/recovery/live-state";
import type { SecondaryRegistry } from "../../src/domain/recovery/recovery-ports";
import type { EntityType } from "../../src/domain/registry/entity-kinds";
import { type DependencyError, DependencyRejected, DependencyUnavailable } from "../../src/domain/shared/errors";

type Json = Record<string, unknown>;
type Attributes = Record<string, string>;

/** In the model a certificate's PEM is `PEM:{id}`: the id is derived from the PEM, as AWS derives it from the certificate. */
export const modelPem = (certificateId: string): string => `PEM:${certificateId}`;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** AWS IoT's shadow merge: objects merge recursively, null deletes, anything else replaces. */
const mergeShadow = (current: Json, patch: Json): Json => {
  const next: Json = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else if (isObject(value) && isObject(next[key])) next[key] = mergeShadow(next[key] as Json, value);
    else next[key] = value;
  }
  return next;
};

const mergeAttributes = (current: Attributes, changes: Readonly<Attributes>): Attributes => {
  const next = { ...current };
  for (const [name, value] of Object.entries(changes)) {
    if (value === "") delete next[name];
    else next[name] = value;
  }
  return next;
};

class Refused extends Error {}
class NotFound extends Error {}

/**
 * An in-memory model of one region's IoT registry and shadows with the rules AWS enforces that a
 * plan's order must respect (a thing with principals, a type still used or not deprecated, a group
 * with children, an active or attached certificate, a policy with targets or versions, at most five
 * policy versions): a refused call is a DependencyRejected, a missing entity a DependencyUnavailable.
 */
export class ModelIotRegistry implements SecondaryRegistry {
  readonly things = new Map<string, { type: string | null; attributes: Attributes; principals: Set<string> }>();
  readonly types = new Map<string, { deprecated: boolean; description: string | null }>();
  readonly groups = new Map<string, { parent: string | null; description: string | null; attributes: Attributes }>();
  readonly members = new Set<string>();
  readonly shadows = new Map<string, { desired: Json; reported: Json }>();
  readonly certificates = new Map<string, { status: string }>();
  readonly policies = new Map<
    string,
    { versions: { id: string; document: string; createdAt: number }[]; defaultId: string; nextId: number }
  >();
  readonly policyTargets = new Map<string, Set<string>>();
  calls = 0;
  private clock = 0;

  constructor(readonly region: string) {}

  certificateArn(certificateId: string): string {
    return `arn:aws:iot:${this.region}:000000000000:cert/${certificateId}`;
  }

  private certificateIdOf(arn: string): string {
    const id = arn.slice(arn.lastIndexOf("/") + 1);
    if (!this.certificates.has(id) || arn !== this.certificateArn(id)) throw new NotFound(`certificate ${arn}`);
    return id;
  }

  private need<T>(value: T | undefined, what: string): T {
    if (value === undefined) throw new NotFound(what);
    return value;
  }

  /** Like the IoT reader, lists what only a delete needs only `forDeletion` (so a plan that needs them without asking fails here). */
  read<K extends EntityType>(
    ref: EntityRef & { readonly entityType: K },
    forDeletion = false,
  ): ResultAsync<LiveStates[K], DependencyError> {
    const live = this.live(ref) as Record<string, unknown> | null;
    if (live === null || forDeletion) return okAsync(live as LiveStates[K]);
    const without = { ...live };
    for (const list of ["principals", "things", "children", "policies", "targets"]) if (list in without) without[list] = [];
    return okAsync(without as LiveStates[K]);
  }

  private live(ref: EntityRef): LiveStates[EntityType] {
    const [first, second] = namesOf(ref);
    switch (ref.entityType) {
      case "thing": {
        const thing = this.things.get(first);
        return thing ? { thingTypeName: thing.type, attributes: { ...thing.attributes }, principals: [...thing.principals] } : null;
      }
      case "thingType": {
        const type = this.types.get(first);
        const things = [...this.things].filter(([, thing]) => thing.type === first).map(([name]) => name);
        return type ? { isDeprecated: type.deprecated, description: type.description, things } : null;
      }
      case "thingGroup": {
        const group = this.groups.get(first);
        const children = [...this.groups].filter(([, child]) => child.parent === first).map(([name]) => name);
        return group
          ? { parentGroupName: group.parent, description: group.description, attributes: { ...group.attributes }, children }
          : null;
      }
      case "thingGroupMembership":
        return { member: this.members.has(`${first}#${second}`) };
      case "thingGroupHierarchy":
        return null;
      case "thingTypeAssociation": {
        const thing = this.things.get(first);
        return thing ? { thingTypeName: thing.type } : null;
      }
      case "shadow": {
        const shadow = this.shadows.get(`${first}#${second ?? ""}`);
        return shadow ? { desired: { ...shadow.desired }, reported: { ...shadow.reported } } : null;
      }
      case "certificate": {
        const certificate = this.certificates.get(first);
        if (!certificate) return null;
        const arn = this.certificateArn(first);
        return {
          certificateArn: arn,
          status: certificate.status,
          things: [...this.things].filter(([, thing]) => thing.principals.has(arn)).map(([name]) => name),
          policies: [...this.policyTargets].filter(([, targets]) => targets.has(arn)).map(([name]) => name),
        };
      }
      case "policy": {
        const policy = this.policies.get(first);
        if (!policy) return null;
        return {
          defaultDocument: policy.versions.find((version) => version.id === policy.defaultId)?.document ?? "",
          versions: policy.versions.map((version) => ({
            versionId: version.id,
            isDefault: version.id === policy.defaultId,
            createdAt: version.createdAt,
          })),
          targets: [...(this.policyTargets.get(first) ?? [])],
        };
      }
      case "policyPrincipal": {
        const arn = this.certificates.has(second ?? "") ? this.certificateArn(second ?? "") : null;
        return { certificateArn: arn, attached: arn !== null && (this.policyTargets.get(first)?.has(arn) ?? false) };
      }
      case "thingPrincipal": {
        const arn = this.certificates.has(second ?? "") ? this.certificateArn(second ?? "") : null;
        return { certificateArn: arn, attached: arn !== null && (this.things.get(first)?.principals.has(arn) ?? false) };
      }
    }
  }

  /** The model keeps no memory of what exists beyond its state: every dependency is read. */
  knownToExist(): boolean {
    return false;
  }

  execute(operation: IotOperation): ResultAsync<void, DependencyError> {
    this.calls += 1;
    try {
      this.apply(operation);
      return okAsync(undefined);
    } catch (error) {
      const message = `${operation.call}: ${(error as Error).message}`;
      return errAsync(error instanceof Refused ? new DependencyRejected("model", message) : new DependencyUnavailable("model", message));
    }
  }

  private apply(operation: IotOperation): void {
    switch (operation.call) {
      case "CreateThing": {
        if (this.things.has(operation.thingName)) throw new Error(`thing ${operation.thingName} exists`);
        if (operation.thingTypeName !== null && this.need(this.types.get(operation.thingTypeName), "type").deprecated)
          throw new Refused("deprecated type");
        this.things.set(operation.thingName, {
          type: operation.thingTypeName,
          attributes: { ...operation.attributes },
          principals: new Set(),
        });
        return;
      }
      case "UpdateThing": {
        const thing = this.need(this.things.get(operation.thingName), "thing");
        if (operation.thingType && "set" in operation.thingType) {
          if (this.need(this.types.get(operation.thingType.set), "type").deprecated) throw new Refused("deprecated type");
          thing.type = operation.thingType.set;
        }
        if (operation.thingType && "remove" in operation.thingType) thing.type = null;
        if (operation.attributes) thing.attributes = mergeAttributes(thing.attributes, operation.attributes);
        return;
      }
      case "DeleteThing": {
        if (this.need(this.things.get(operation.thingName), "thing").principals.size > 0) throw new Refused("principals attached");
        this.things.delete(operation.thingName);
        for (const member of [...this.members]) if (member.endsWith(`#${operation.thingName}`)) this.members.delete(member);
        return;
      }
      case "CreateThingType":
        if (this.types.has(operation.thingTypeName)) throw new Error("type exists");
        this.types.set(operation.thingTypeName, { deprecated: false, description: operation.description });
        return;
      case "UpdateThingType":
        this.need(this.types.get(operation.thingTypeName), "type").description = operation.description;
        return;
      case "DeprecateThingType":
        this.need(this.types.get(operation.thingTypeName), "type").deprecated = !operation.undo;
        return;
      case "DeleteThingType": {
        if (!this.need(this.types.get(operation.thingTypeName), "type").deprecated) throw new Refused("not deprecated");
        if ([...this.things.values()].some((thing) => thing.type === operation.thingTypeName)) throw new Refused("type in use");
        this.types.delete(operation.thingTypeName);
        return;
      }
      case "CreateThingGroup":
        if (this.groups.has(operation.thingGroupName)) throw new Error("group exists");
        if (operation.parentGroupName !== null) this.need(this.groups.get(operation.parentGroupName), "parent");
        this.groups.set(operation.thingGroupName, {
          parent: operation.parentGroupName,
          description: operation.description,
          attributes: { ...operation.attributes },
        });
        return;
      case "UpdateThingGroup": {
        const group = this.need(this.groups.get(operation.thingGroupName), "group");
        group.description = operation.description;
        group.attributes = mergeAttributes(group.attributes, operation.attributes);
        return;
      }
      case "DeleteThingGroup": {
        this.need(this.groups.get(operation.thingGroupName), "group");
        if ([...this.groups.values()].some((group) => group.parent === operation.thingGroupName)) throw new Refused("has children");
        this.groups.delete(operation.thingGroupName);
        for (const member of [...this.members]) if (member.startsWith(`${operation.thingGroupName}#`)) this.members.delete(member);
        return;
      }
      case "AddThingToThingGroup":
        this.need(this.groups.get(operation.thingGroupName), "group");
        this.need(this.things.get(operation.thingName), "thing");
        this.members.add(`${operation.thingGroupName}#${operation.thingName}`);
        return;
      case "RemoveThingFromThingGroup":
        this.members.delete(`${operation.thingGroupName}#${operation.thingName}`);
        return;
      case "RegisterCertificateWithoutCA": {
        const id = operation.certificatePem.replace(/^PEM:/, "");
        if (this.certificates.has(id)) throw new Error("certificate exists");
        this.certificates.set(id, { status: operation.status });
        return;
      }
      case "UpdateCertificate":
        this.need(this.certificates.get(operation.certificateId), "certificate").status = operation.newStatus;
        return;
      case "DeleteCertificate": {
        const certificate = this.need(this.certificates.get(operation.certificateId), "certificate");
        const arn = this.certificateArn(operation.certificateId);
        if (certificate.status === "ACTIVE") throw new Refused("certificate is ACTIVE");
        if ([...this.things.values()].some((thing) => thing.principals.has(arn))) throw new Refused("attached to a thing");
        if ([...this.policyTargets.values()].some((targets) => targets.has(arn))) throw new Refused("policies attached");
        this.certificates.delete(operation.certificateId);
        return;
      }
      case "CreatePolicy":
        if (this.policies.has(operation.policyName)) throw new Error("policy exists");
        this.policies.set(operation.policyName, {
          versions: [{ id: "1", document: operation.policyDocument, createdAt: this.tick() }],
          defaultId: "1",
          nextId: 2,
        });
        return;
      case "CreatePolicyVersion": {
        const policy = this.need(this.policies.get(operation.policyName), "policy");
        if (policy.versions.length >= 5) throw new Refused("five versions");
        const id = String(policy.nextId);
        policy.nextId += 1;
        policy.versions.push({ id, document: operation.policyDocument, createdAt: this.tick() });
        policy.defaultId = id;
        return;
      }
      case "DeletePolicyVersion": {
        const policy = this.need(this.policies.get(operation.policyName), "policy");
        if (policy.defaultId === operation.policyVersionId) throw new Refused("default version");
        policy.versions = policy.versions.filter((version) => version.id !== operation.policyVersionId);
        return;
      }
      case "DeletePolicy": {
        const policy = this.need(this.policies.get(operation.policyName), "policy");
        if ((this.policyTargets.get(operation.policyName)?.size ?? 0) > 0) throw new Refused("attached");
        if (policy.versions.length > 1) throw new Refused("has versions");
        this.policies.delete(operation.policyName);
        return;
      }
      case "AttachPolicy":
        this.need(this.policies.get(operation.policyName), "policy");
        this.certificateIdOf(operation.target);
        this.policyTargets.set(operation.policyName, new Set([...(this.policyTargets.get(operation.policyName) ?? []), operation.target]));
        return;
      case "DetachPolicy":
        this.policyTargets.get(operation.policyName)?.delete(operation.target);
        return;
      case "AttachThingPrincipal":
        this.certificateIdOf(operation.principal);
        this.need(this.things.get(operation.thingName), "thing").principals.add(operation.principal);
        return;
      case "DetachThingPrincipal":
        this.things.get(operation.thingName)?.principals.delete(operation.principal);
        return;
      case "UpdateThingShadow": {
        this.need(this.things.get(operation.thingName), "thing");
        const key = `${operation.thingName}#${operation.shadowName ?? ""}`;
        const current = this.shadows.get(key) ?? { desired: {}, reported: {} };
        this.shadows.set(key, {
          desired: operation.state.desired === null ? {} : mergeShadow(current.desired, operation.state.desired ?? {}),
          reported: operation.state.reported === null ? {} : mergeShadow(current.reported, operation.state.reported ?? {}),
        });
        return;
      }
      case "DeleteThingShadow":
        this.shadows.delete(`${operation.thingName}#${operation.shadowName ?? ""}`);
        return;
    }
  }

  private tick(): number {
    this.clock += 1;
    return this.clock;
  }
}
