import type { Desired } from "../../../../src/domain/recovery/desired-state";
import { desiredOf } from "../../../../src/domain/recovery/desired-state";
import type { LiveStates } from "../../../../src/domain/recovery/live-state";
import { dependenciesOf, planFor } from "../../../../src/domain/recovery/plan";
import { shadowPatch } from "../../../../src/domain/recovery/plan-shadow";
import { rewritePolicyDocument } from "../../../../src/domain/recovery/policy-document";
import type { EntityStates, EntityType } from "../../../../src/domain/registry/entity-kinds";
import type { ReplicaRecord } from "../../../../src/domain/registry/replica-record";

const context = { primaryRegion: "us-east-1", secondaryRegion: "us-west-2" };
const desired = <K extends EntityType>(entityType: K, entityName: string, state: EntityStates[K] | null): Desired<K> => ({
  ref: { entityType, entityName },
  state,
});
const plan = <K extends EntityType>(want: Desired<K>, live: LiveStates[K]) => planFor(want, live, context)._unsafeUnwrap();
const calls = <K extends EntityType>(want: Desired<K>, live: LiveStates[K]) => plan(want, live).operations;

const thing = (thingTypeName: string | null, attributes: Record<string, string>) =>
  desired("thing", "lamp", { thingName: "lamp", thingId: null, thingTypeName, attributes, version: 0 });
const CERT_ARN = "arn:aws:iot:us-west-2:000000000000:cert/c1";

describe("the applier's plans", () => {
  it("creates a missing thing with its type and attributes, and does nothing when it already matches", () => {
    expect(calls(thing("bulb", { a: "1" }), null)).toEqual([
      { call: "CreateThing", thingName: "lamp", thingTypeName: "bulb", attributes: { a: "1" } },
    ]);
    expect(calls(thing("bulb", { a: "1" }), { thingTypeName: "bulb", attributes: { a: "1" }, principals: [] })).toEqual([]);
  });

  it("updates a thing by merge: changed and new attributes, removed ones as empty values, the type removed", () => {
    expect(calls(thing(null, { a: "2", c: "3" }), { thingTypeName: "bulb", attributes: { a: "1", b: "x" }, principals: [] })).toEqual([
      { call: "UpdateThing", thingName: "lamp", thingType: { remove: true }, attributes: { b: "", a: "2", c: "3" } },
    ]);
  });

  it("detaches a deleted thing's principals before deleting it", () => {
    expect(calls(desired("thing", "lamp", null), { thingTypeName: null, attributes: {}, principals: [CERT_ARN] })).toEqual([
      { call: "DetachThingPrincipal", thingName: "lamp", principal: CERT_ARN },
      { call: "DeleteThing", thingName: "lamp" },
    ]);
  });

  it("deprecates a deleted thing type before deleting it, and undeprecates one the primary undeprecated", () => {
    expect(calls(desired("thingType", "bulb", null), { isDeprecated: false, description: null, things: [] })).toEqual([
      { call: "DeprecateThingType", thingTypeName: "bulb", undo: false },
      { call: "DeleteThingType", thingTypeName: "bulb" },
    ]);
    const type = {
      thingTypeName: "bulb",
      thingTypeId: null,
      isDeprecated: false,
      deprecationDate: null,
      searchableAttributes: [],
      description: null,
    };
    expect(calls(desired("thingType", "bulb", type), { isDeprecated: true, description: null, things: [] })).toEqual([
      { call: "DeprecateThingType", thingTypeName: "bulb", undo: true },
    ]);
  });

  it("refuses, with the reason, to move a thing group AWS cannot move", () => {
    const group = {
      thingGroupName: "floor",
      thingGroupId: null,
      version: 0,
      parentGroupName: "site",
      parentGroupId: null,
      description: null,
      rootToParentGroupNames: [],
      attributes: {},
    };
    const refused = planFor(
      desired("thingGroup", "floor", group),
      { parentGroupName: "other", description: null, attributes: {}, children: [] },
      context,
    );
    expect(refused._unsafeUnwrapErr().message).toContain("AWS IoT cannot move a group");
  });

  it("registers a certificate from its PEM with its status, and only updates the status afterwards", () => {
    const certificate = { certificateId: "c1", certificatePem: "PEM", status: "REVOKED" };
    expect(calls(desired("certificate", "c1", certificate), null)).toEqual([
      { call: "RegisterCertificateWithoutCA", certificatePem: "PEM", status: "INACTIVE" },
      { call: "UpdateCertificate", certificateId: "c1", newStatus: "REVOKED" },
    ]);
    expect(
      calls(desired("certificate", "c1", certificate), { certificateArn: CERT_ARN, status: "REVOKED", things: [], policies: [] }),
    ).toEqual([]);
  });

  it("deletes a certificate in a safe order: detached from policies and things, made INACTIVE, then deleted", () => {
    expect(
      calls(desired("certificate", "c1", null), { certificateArn: CERT_ARN, status: "ACTIVE", things: ["lamp"], policies: ["p"] }),
    ).toEqual([
      { call: "DetachPolicy", policyName: "p", target: CERT_ARN },
      { call: "DetachThingPrincipal", thingName: "lamp", principal: CERT_ARN },
      { call: "UpdateCertificate", certificateId: "c1", newStatus: "INACTIVE" },
      { call: "DeleteCertificate", certificateId: "c1" },
    ]);
  });

  it("rewrites ARNs naming the primary region, and gives a changed policy a new default version, deleting the oldest at five", () => {
    const document = JSON.stringify({ Statement: [{ Resource: "arn:aws:iot:us-east-1:123456789012:topic/a" }] });
    const rewritten = rewritePolicyDocument(document, "us-east-1", "us-west-2");
    expect(rewritten).toContain("arn:aws:iot:us-west-2:123456789012:topic/a");
    const policy = desired("policy", "p", { policyName: "p", policyDocument: document, defaultVersionId: "9" });
    expect(calls(policy, null)).toEqual([{ call: "CreatePolicy", policyName: "p", policyDocument: rewritten }]);
    const versions = [5, 1, 4, 2, 3].map((id) => ({ versionId: String(id), isDefault: id === 5, createdAt: id }));
    expect(calls(policy, { defaultDocument: "{}", versions, targets: [] })).toEqual([
      { call: "DeletePolicyVersion", policyName: "p", policyVersionId: "1" },
      { call: "CreatePolicyVersion", policyName: "p", policyDocument: rewritten },
    ]);
    expect(calls(policy, { defaultDocument: ` ${rewritten} `, versions, targets: [] })).toEqual([]);
  });

  it("waits for a certificate an attachment needs rather than guessing its ARN", () => {
    const attachment = desired("thingPrincipal", "lamp#c1", { thingName: "lamp", certificateId: "c1" });
    expect(plan(attachment, { certificateArn: null, attached: false })).toEqual({ operations: [], waitingFor: "certificate c1" });
    expect(calls(attachment, { certificateArn: CERT_ARN, attached: false })).toEqual([
      { call: "AttachThingPrincipal", thingName: "lamp", principal: CERT_ARN },
    ]);
  });

  it("patches a shadow with nulls for what the primary no longer has, nested objects included", () => {
    expect(shadowPatch({ a: 1, b: { c: 1, d: 2 }, e: 1 }, { a: 1, b: { c: 1 }, f: [1] })).toEqual({ e: null, b: { d: null }, f: [1] });
    expect(shadowPatch({ a: { b: 1 } }, { a: { b: 1 } })).toEqual({});
  });

  it("names what must exist first: a thing's type, a group's parent, both ends of a relation", () => {
    expect(dependenciesOf(thing("bulb", {}))).toEqual([{ entityType: "thingType", entityName: "bulb" }]);
    expect(dependenciesOf(desired("policyPrincipal", "p#c1", { policyName: "p", certificateId: "c1" }))).toEqual([
      { entityType: "policy", entityName: "p" },
      { entityType: "certificate", entityName: "c1" },
    ]);
    expect(dependenciesOf(desired("thing", "lamp", null))).toEqual([]);
  });

  it("reads a record's fields back into the state, and names the field of a record that does not describe its kind", () => {
    const record = (fields: Record<string, unknown>): ReplicaRecord => ({
      entityType: "policy",
      entityName: "p",
      sourceRegion: "us-east-1",
      status: "ACTIVE",
      stamp: { origin: 0, rank: 0, timestamp: 1, eventId: "e" },
      capturedAt: 1,
      fields,
    });
    const ref = { entityType: "policy" as const, entityName: "p" };
    expect(desiredOf(ref, record({ PolicyName: "p", PolicyDocument: "{}", DefaultVersionId: "1" }))._unsafeUnwrap().state).toEqual({
      policyName: "p",
      policyDocument: "{}",
      defaultVersionId: "1",
    });
    expect(desiredOf(ref, record({ PolicyName: "p", PolicyDocument: "not json" }))._unsafeUnwrapErr().message).toBe(
      "policy#p: PolicyDocument: is not a JSON policy document",
    );
    expect(desiredOf(ref, undefined)._unsafeUnwrap().state).toBeNull();
  });
});
