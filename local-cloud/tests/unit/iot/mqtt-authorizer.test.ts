import { type AccessSnapshot, createRegionAuthorizer, emptyAccessSnapshot } from "../../../src/iot/mqtt-authorizer";
import { messageApiClientPolicyDocument } from "../../support/message-api-client-policy";

const REGION = "eu-west-1";
const ACCOUNT = "000000000000";
const CERT = "a".repeat(64);
const CERT_ARN = `arn:aws:iot:${REGION}:${ACCOUNT}:cert/${CERT}`;
const GROUP_ARN = `arn:aws:iot:${REGION}:${ACCOUNT}:thinggroup/lamps`;

/** One ACTIVE certificate with template.yaml's MessageApiClientPolicy, attached to thing `lamp-1`. */
const snapshot = (overrides: Partial<AccessSnapshot> = {}): AccessSnapshot => ({
  ...emptyAccessSnapshot(REGION, ACCOUNT),
  certificates: { [CERT]: { arn: CERT_ARN, status: "ACTIVE" } },
  policies: { MessageApiClientPolicy: messageApiClientPolicyDocument(REGION) },
  attachedPolicies: { [CERT_ARN]: ["MessageApiClientPolicy"] },
  things: { "lamp-1": { attributes: {}, principals: [CERT_ARN], thingGroupArns: [] } },
  ...overrides,
});

const lamp = { certificateId: CERT, clientId: "lamp-1" };

describe("MQTT authorizer with template.yaml's MessageApiClientPolicy", () => {
  const authorizer = createRegionAuthorizer(snapshot());

  it("lets a device connect with its thing name and ask about its own uuid only", () => {
    expect(authorizer.admit(CERT)).toEqual({ allowed: true });
    expect(authorizer.connect(lamp)).toEqual({ allowed: true });
    expect(authorizer.publish(lamp, "request/query/lamp-1", false)).toEqual({ allowed: true });
    expect(authorizer.publish(lamp, "request/get/lamp-1/0001-2-abc", false)).toEqual({ allowed: true });
    expect(authorizer.subscribe(lamp, "response/query/lamp-1-token1")).toEqual({ allowed: true });
    expect(authorizer.subscribe(lamp, "notification/lamp-1")).toEqual({ allowed: true });
    expect(authorizer.receive(lamp, "response/query/lamp-1-token1")).toEqual({ allowed: true });

    expect(authorizer.publish(lamp, "request/query/lamp-2", false)).toEqual({
      allowed: false,
      reason: `client 'lamp-1' (certificate ${CERT}) may not iot:Publish arn:aws:iot:${REGION}:${ACCOUNT}:topic/request/query/lamp-2: no statement of its policies (MessageApiClientPolicy) allows it`,
    });
    expect(authorizer.subscribe(lamp, "response/query/lamp-2-token1").allowed).toBe(false);
    expect(authorizer.subscribe(lamp, "response/#").allowed).toBe(false);
    expect(authorizer.receive(lamp, "response/query/lamp-2-token1").allowed).toBe(false);
    expect(authorizer.publish(lamp, "request/query/lamp-1", true)).toMatchObject({
      allowed: false,
      reason: expect.stringContaining("may not iot:RetainPublish"),
    });
  });

  it("refuses another client id, and thing variables when the certificate is not attached to the thing", () => {
    expect(authorizer.connect({ certificateId: CERT, clientId: "lamp-2" })).toEqual({
      allowed: false,
      reason: `client 'lamp-2' (certificate ${CERT}) may not iot:Connect arn:aws:iot:${REGION}:${ACCOUNT}:client/lamp-2: no statement of its policies (MessageApiClientPolicy) allows it; statement 0 of policy MessageApiClientPolicy has unresolved policy variables in arn:aws:iot:${REGION}:${ACCOUNT}:client/\${iot:Connection.Thing.ThingName}`,
    });
    const detached = createRegionAuthorizer(snapshot({ things: {} }));
    expect(detached.connect(lamp).allowed).toBe(false);
  });

  it("refuses certificates that are not registered or not ACTIVE, whatever the policies say", () => {
    expect(authorizer.admit("b".repeat(64))).toEqual({
      allowed: false,
      reason: `certificate ${"b".repeat(64)} is not registered in ${REGION}`,
    });
    const inactive = createRegionAuthorizer(snapshot({ certificates: { [CERT]: { arn: CERT_ARN, status: "INACTIVE" } } }));
    expect(inactive.admit(CERT)).toEqual({ allowed: false, reason: `certificate ${CERT} is INACTIVE in ${REGION}` });
    expect(inactive.publish(lamp, "request/query/lamp-1", false)).toEqual({
      allowed: false,
      reason: `certificate ${CERT} is INACTIVE in ${REGION}`,
    });
  });

  it("says when no policy is attached", () => {
    const bare = createRegionAuthorizer(snapshot({ attachedPolicies: {}, things: {} }));
    expect(bare.connect(lamp)).toEqual({
      allowed: false,
      reason: `client 'lamp-1' (certificate ${CERT}) may not iot:Connect arn:aws:iot:${REGION}:${ACCOUNT}:client/lamp-1: no policy is attached to its certificate`,
    });
  });
});

describe("MQTT authorizer: thing variables and thing group policies", () => {
  const document = (statements: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
  const arn = (resource: string) => `arn:aws:iot:${REGION}:${ACCOUNT}:${resource}`;
  const authorizer = createRegionAuthorizer(
    snapshot({
      policies: {
        connect: document([{ Effect: "Allow", Action: "iot:Connect", Resource: "*" }]),
        typed: document([
          {
            Effect: "Allow",
            Action: "iot:Publish",
            Resource: arn("topic/${iot:Connection.Thing.ThingTypeName}/${iot:Connection.Thing.Attributes[room]}"),
          },
          { Effect: "Allow", Action: "iot:Publish", Resource: arn("topic/attached/${iot:Connection.Thing.IsAttached}") },
        ]),
        group: document([{ Effect: "Deny", Action: "iot:Publish", Resource: arn("topic/lamp/kitchen") }]),
      },
      attachedPolicies: { [CERT_ARN]: ["connect", "typed"], [GROUP_ARN]: ["group"] },
      things: { "lamp-1": { thingTypeName: "lamp", attributes: { room: "hall" }, principals: [CERT_ARN], thingGroupArns: [GROUP_ARN] } },
    }),
  );

  it("resolves ThingTypeName, Attributes[...] and IsAttached for the thing named like the client id", () => {
    expect(authorizer.publish(lamp, "lamp/hall", false)).toEqual({ allowed: true });
    expect(authorizer.publish(lamp, "attached/true", false)).toEqual({ allowed: true });
    const stranger = { certificateId: CERT, clientId: "not-a-thing" };
    expect(authorizer.connect(stranger)).toEqual({ allowed: true });
    expect(authorizer.publish(stranger, "attached/false", false)).toEqual({ allowed: true });
    expect(authorizer.publish(stranger, "lamp/hall", false).allowed).toBe(false);
  });

  it("applies the policies of the thing's groups only when the client id names the thing", () => {
    const kitchen = createRegionAuthorizer(
      snapshot({
        policies: {
          all: document([{ Effect: "Allow", Action: "iot:*", Resource: "*" }]),
          group: document([{ Effect: "Deny", Action: "iot:Publish", Resource: arn("topic/lamp/kitchen") }]),
        },
        attachedPolicies: { [CERT_ARN]: ["all"], [GROUP_ARN]: ["group"] },
        things: { "lamp-1": { attributes: {}, principals: [CERT_ARN], thingGroupArns: [GROUP_ARN] } },
      }),
    );
    expect(kitchen.publish(lamp, "lamp/kitchen", false)).toMatchObject({
      allowed: false,
      reason: expect.stringContaining("explicitly denied by statement 0 of policy group"),
    });
    expect(kitchen.publish({ certificateId: CERT, clientId: "someone-else" }, "lamp/kitchen", false)).toEqual({ allowed: true });
  });
});
