import type { IoTClient } from "@aws-sdk/client-iot";
import { createIotRegistrySnapshotReader } from "../../../src/adapters/iot-registry-snapshot-reader";
import type { SnapshotPage } from "../../../src/domain/registry/registry-ports";
import { describeError } from "../../../src/domain/shared/errors";

/** An IoT client that answers each list command with a canned response (or throws), by command name. */
const iot = (responses: Record<string, unknown>): IoTClient =>
  ({
    send: async (command: object) => {
      const response = responses[command.constructor.name];
      if (response instanceof Error) throw response;
      return response ?? {};
    },
  }) as unknown as IoTClient;

const token = (cursor: object): string => Buffer.from(JSON.stringify(cursor)).toString("base64url");

describe("IoT registry snapshot reader", () => {
  it("lists a thing without its name as an InvalidEvent in its place, never as a record named ''", async () => {
    const things = [{ version: 3 }, { thingName: "bulb-1", version: 1 }];
    const reader = createIotRegistrySnapshotReader(iot({ ListThingsCommand: { things } }));
    const page = (await reader.readPage(token({ phase: "things" })))._unsafeUnwrap();
    expect(page.items.map((item) => item.match((listed) => listed.entityType, describeError))).toEqual([
      "InvalidEvent: thingName: is missing from an item of ListThings",
      "thing",
    ]);
    expect(page.resumeToken).toBe(token({ phase: "thingGroups" }));
  });

  it("does the same for a nameless thing type and thing group", async () => {
    const responses = { ListThingTypesCommand: { thingTypes: [{}] }, ListThingGroupsCommand: { thingGroups: [{ groupArn: "arn" }] } };
    const reader = createIotRegistrySnapshotReader(iot(responses));
    const types = (await reader.readPage(undefined))._unsafeUnwrap().items;
    const groups = (await reader.readPage(token({ phase: "thingGroups" })))._unsafeUnwrap().items;
    expect([...types, ...groups].map((item) => item._unsafeUnwrapErr().message)).toEqual([
      "thingTypeName: is missing from an item of ListThingTypes",
      "groupName: is missing from an item of ListThingGroups",
    ]);
  });

  it.each([
    ["not base64 JSON", "%%%"],
    ["an unknown phase", token({ phase: "shadows" })],
    ["a non-string page token", token({ phase: "things", nextToken: 7 })],
  ])("refuses a resume token that is %s, for good, naming it", async (_what, bad) => {
    const error = (await createIotRegistrySnapshotReader(iot({})).readPage(bad))._unsafeUnwrapErr();
    expect(error.kind).toBe("InvalidEvent");
    expect(describeError(error)).toBe(`InvalidEvent: resumeToken: ${JSON.stringify(bad)} is not a resume token of this backfill`);
  });

  it("maps the registry's errors through the one classifier: access refused is transient", async () => {
    const denied = Object.assign(new Error("not authorized to perform iot:ListThings"), { name: "AccessDeniedException" });
    const reader = createIotRegistrySnapshotReader(iot({ ListThingsCommand: denied }));
    const error = (await reader.readPage(token({ phase: "things" })))._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: "DependencyAccessDenied", dependency: "AWS IoT registry" });
  });
});

describe("IoT registry snapshot reader: certificates, policies and principals", () => {
  const CERT = "c".repeat(64);
  const certArn = (id: string) => `arn:aws:iot:us-east-1:123456789012:cert/${id}`;
  const notFound = Object.assign(new Error("gone"), { name: "ResourceNotFoundException" });
  const listed = (items: SnapshotPage["items"]) =>
    items.map((item) =>
      item.match<unknown>(
        (value) => value,
        (error) => `invalid: ${error.message}`,
      ),
    );

  it("lists certificates with the PEM and status DescribeCertificate gives, and names what is wrong with the others", async () => {
    const reader = createIotRegistrySnapshotReader(
      iot({
        ListCertificatesCommand: { certificates: [{ certificateId: CERT }, {}, { certificateId: "not-hex" }] },
        DescribeCertificateCommand: { certificateDescription: { certificateId: CERT, certificatePem: "PEM", status: "INACTIVE" } },
      }),
    );
    const page = (await reader.readPage(token({ phase: "certificates" })))._unsafeUnwrap();
    expect(listed(page.items)).toEqual([
      { entityType: "certificate", state: { certificateId: CERT, certificatePem: "PEM", status: "INACTIVE" } },
      "invalid: certificateId: is missing from an item of ListCertificates",
      'invalid: certificateId: must be a certificate id (64 hex digits), got "not-hex"',
    ]);
    expect(page.resumeToken).toBe(token({ phase: "policies" }));
  });

  it("leaves out a certificate deleted between the listing and its description (the next pass tombstones it)", async () => {
    const reader = createIotRegistrySnapshotReader(
      iot({ ListCertificatesCommand: { certificates: [{ certificateId: CERT }] }, DescribeCertificateCommand: notFound }),
    );
    expect((await reader.readPage(token({ phase: "certificates" })))._unsafeUnwrap().items).toEqual([]);
  });

  it("lists policies with the default version and their certificate targets only; the last page ends the listing", async () => {
    const reader = createIotRegistrySnapshotReader(
      iot({
        ListPoliciesCommand: { policies: [{ policyName: "DevicePolicy" }] },
        GetPolicyCommand: { policyName: "DevicePolicy", policyDocument: "{}", defaultVersionId: "3" },
        ListTargetsForPolicyCommand: {
          targets: [
            certArn(CERT),
            "arn:aws:iot:us-east-1:123456789012:thinggroup/Sensors",
            "us-east-1:1f5a9b2c-0000-4000-8000-000000000000",
            certArn("short"),
          ],
        },
      }),
    );
    const page = (await reader.readPage(token({ phase: "policies" })))._unsafeUnwrap();
    expect(listed(page.items)).toEqual([
      { entityType: "policy", state: { policyName: "DevicePolicy", policyDocument: "{}", defaultVersionId: "3" } },
      { entityType: "policyPrincipal", state: { policyName: "DevicePolicy", certificateId: CERT } },
      'invalid: targets of DevicePolicy: must be a certificate id (64 hex digits), got "short"',
    ]);
    expect(page.resumeToken).toBeUndefined();
  });

  it("lists each thing's certificate principals with the thing", async () => {
    const reader = createIotRegistrySnapshotReader(
      iot({
        ListThingsCommand: { things: [{ thingName: "bulb-1", version: 1 }] },
        ListThingPrincipalsCommand: { principals: [certArn(CERT), "us-east-1:1f5a9b2c-0000-4000-8000-000000000000"] },
      }),
    );
    const page = (await reader.readPage(token({ phase: "things" })))._unsafeUnwrap();
    expect(listed(page.items).slice(1)).toEqual([{ entityType: "thingPrincipal", state: { thingName: "bulb-1", certificateId: CERT } }]);
  });
});
