import { createPrivateKey, X509Certificate } from "node:crypto";
import {
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreateKeysAndCertificateCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  DeleteCertificateCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteThingCommand,
  DescribeCertificateCommand,
  DescribeEndpointCommand,
  DetachPolicyCommand,
  DetachThingPrincipalCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  type IoTClient,
  ListAttachedPoliciesCommand,
  ListCertificatesCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  ListPrincipalThingsCommand,
  ListTargetsForPolicyCommand,
  ListThingPrincipalsCommand,
  ListTopicRulesCommand,
  RegisterCertificateCommand,
  RegisterCertificateWithoutCACommand,
  SetDefaultPolicyVersionCommand,
  UpdateCertificateCommand,
} from "@aws-sdk/client-iot";
import { certificateIdOf } from "../../src/iot/certificates";
import { createSelfSignedCertificate } from "../../src/iot/x509-certificates";
import { errorName, type IotTestEndpoint, startIotTestEndpoint } from "./iot-test-endpoint";

let local: IotTestEndpoint;
let iot: IoTClient;

beforeAll(async () => {
  local = await startIotTestEndpoint();
  iot = local.client("us-east-2");
});
afterAll(async () => {
  await local.close();
});

const document = (action: string): string =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: "*" }] });

describe("policies", () => {
  it("creates a policy and manages its versions", async () => {
    const created = await iot.send(new CreatePolicyCommand({ policyName: "p-connect", policyDocument: document("iot:Connect") }));
    expect(created).toMatchObject({
      policyName: "p-connect",
      policyArn: "arn:aws:iot:us-east-2:000000000000:policy/p-connect",
      policyVersionId: "1",
    });
    expect(await errorName(iot.send(new CreatePolicyCommand({ policyName: "p-connect", policyDocument: document("iot:Connect") })))).toBe(
      "ResourceAlreadyExistsException",
    );
    const v2 = await iot.send(
      new CreatePolicyVersionCommand({ policyName: "p-connect", policyDocument: document("iot:Publish"), setAsDefault: true }),
    );
    expect(v2).toMatchObject({ policyVersionId: "2", isDefaultVersion: true });
    await iot.send(new CreatePolicyVersionCommand({ policyName: "p-connect", policyDocument: document("iot:Receive") }));
    const policy = await iot.send(new GetPolicyCommand({ policyName: "p-connect" }));
    expect(policy).toMatchObject({ defaultVersionId: "2", policyDocument: document("iot:Publish") });
    expect(policy.creationDate).toBeInstanceOf(Date);
    expect((await iot.send(new GetPolicyVersionCommand({ policyName: "p-connect", policyVersionId: "3" }))).isDefaultVersion).toBe(false);
    await iot.send(new CreatePolicyVersionCommand({ policyName: "p-connect", policyDocument: document("iot:Subscribe") }));
    await iot.send(new CreatePolicyVersionCommand({ policyName: "p-connect", policyDocument: document("iot:GetThingShadow") }));
    expect(await errorName(iot.send(new CreatePolicyVersionCommand({ policyName: "p-connect", policyDocument: document("iot:*") })))).toBe(
      "VersionsLimitExceededException",
    );
    const versions = await iot.send(new ListPolicyVersionsCommand({ policyName: "p-connect" }));
    expect(versions.policyVersions?.map((version) => [version.versionId, version.isDefaultVersion])).toEqual([
      ["5", false],
      ["4", false],
      ["3", false],
      ["2", true],
      ["1", false],
    ]);
    await iot.send(new SetDefaultPolicyVersionCommand({ policyName: "p-connect", policyVersionId: "1" }));
    expect(await errorName(iot.send(new DeletePolicyVersionCommand({ policyName: "p-connect", policyVersionId: "1" })))).toBe(
      "DeleteConflictException",
    );
    expect(await errorName(iot.send(new DeletePolicyCommand({ policyName: "p-connect" })))).toBe("DeleteConflictException");
    for (const policyVersionId of ["2", "3", "4", "5"])
      await iot.send(new DeletePolicyVersionCommand({ policyName: "p-connect", policyVersionId }));
    expect(await errorName(iot.send(new GetPolicyVersionCommand({ policyName: "p-connect", policyVersionId: "5" })))).toBe(
      "ResourceNotFoundException",
    );
    await iot.send(new DeletePolicyCommand({ policyName: "p-connect" }));
    expect(await errorName(iot.send(new GetPolicyCommand({ policyName: "p-connect" })))).toBe("ResourceNotFoundException");
  });

  it("refuses malformed documents", async () => {
    expect(await errorName(iot.send(new CreatePolicyCommand({ policyName: "bad", policyDocument: "{not json" })))).toBe(
      "MalformedPolicyException",
    );
    expect(
      await errorName(
        iot.send(
          new CreatePolicyCommand({
            policyName: "bad",
            policyDocument: JSON.stringify({ Statement: [{ Effect: "Maybe", Action: "*", Resource: "*" }] }),
          }),
        ),
      ),
    ).toBe("MalformedPolicyException");
    const both = { Effect: "Allow", Action: "iot:Connect", NotAction: "iot:Publish", Resource: "*" };
    expect(
      await errorName(iot.send(new CreatePolicyCommand({ policyName: "bad", policyDocument: JSON.stringify({ Statement: [both] }) }))),
    ).toBe("MalformedPolicyException");
    const inverted = { Effect: "Deny", NotAction: "iot:Connect", NotResource: ["arn:aws:iot:us-east-2:000000000000:topic/public/*"] };
    await iot.send(new CreatePolicyCommand({ policyName: "inverted", policyDocument: JSON.stringify({ Statement: [inverted] }) }));
    await iot.send(new DeletePolicyCommand({ policyName: "inverted" }));
  });

  it("lists policies in pages", async () => {
    const eu = local.client("eu-north-1");
    for (const name of ["a", "b", "c"])
      await eu.send(new CreatePolicyCommand({ policyName: `list-${name}`, policyDocument: document("iot:Connect") }));
    const first = await eu.send(new ListPoliciesCommand({ pageSize: 2 }));
    expect(first.policies?.map((policy) => policy.policyName)).toEqual(["list-a", "list-b"]);
    const second = await eu.send(new ListPoliciesCommand({ pageSize: 2, marker: first.nextMarker }));
    expect(second.policies?.map((policy) => policy.policyName)).toEqual(["list-c"]);
    expect(second.nextMarker).toBeUndefined();
  });
});

describe("certificates, attachments and principals", () => {
  it("creates keys and a certificate that parses and matches its id", async () => {
    const created = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    const certificate = new X509Certificate(created.certificatePem ?? "");
    expect(created.certificateId).toMatch(/^[0-9a-f]{64}$/);
    expect(created.certificateArn).toBe(`arn:aws:iot:us-east-2:000000000000:cert/${created.certificateId}`);
    expect(certificate.checkPrivateKey(createPrivateKey(created.keyPair?.PrivateKey ?? ""))).toBe(true);
    const described = await iot.send(new DescribeCertificateCommand({ certificateId: created.certificateId }));
    expect(described.certificateDescription).toMatchObject({
      status: "ACTIVE",
      certificatePem: created.certificatePem,
      ownedBy: "000000000000",
    });
    expect(described.certificateDescription?.validity?.notAfter?.getUTCFullYear()).toBe(2049);

    const other = local.client("us-west-1");
    const registered = await other.send(
      new RegisterCertificateWithoutCACommand({ certificatePem: created.certificatePem, status: "ACTIVE" }),
    );
    expect(registered.certificateId).toBe(created.certificateId);
    expect(await errorName(other.send(new RegisterCertificateCommand({ certificatePem: created.certificatePem })))).toBe(
      "ResourceAlreadyExistsException",
    );
    expect(await errorName(other.send(new RegisterCertificateWithoutCACommand({ certificatePem: "not a pem" })))).toBe(
      "CertificateValidationException",
    );
    const listed = await other.send(new ListCertificatesCommand({}));
    expect(listed.certificates).toEqual([
      expect.objectContaining({
        certificateId: created.certificateId,
        status: "ACTIVE",
        certificateMode: "SNI_ONLY",
        certificateArn: registered.certificateArn,
      }),
    ]);
  });

  it("attaches policies and principals and guards deletes", async () => {
    const cert = await iot.send(new CreateKeysAndCertificateCommand({ setAsActive: true }));
    const certArn = cert.certificateArn ?? "";
    await iot.send(new CreatePolicyCommand({ policyName: "device", policyDocument: document("iot:Connect") }));
    await iot.send(new CreateThingGroupCommand({ thingGroupName: "sec-root" }));
    await iot.send(new CreateThingGroupCommand({ thingGroupName: "sec-leaf", parentGroupName: "sec-root" }));
    const rootArn = "arn:aws:iot:us-east-2:000000000000:thinggroup/sec-root";
    const leafArn = "arn:aws:iot:us-east-2:000000000000:thinggroup/sec-leaf";
    await iot.send(new AttachPolicyCommand({ policyName: "device", target: certArn }));
    await iot.send(new AttachPolicyCommand({ policyName: "device", target: rootArn }));
    expect(
      await errorName(iot.send(new AttachPolicyCommand({ policyName: "device", target: "arn:aws:iot:us-east-2:000000000000:cert/abc" }))),
    ).toBe("ResourceNotFoundException");
    expect((await iot.send(new ListAttachedPoliciesCommand({ target: certArn }))).policies?.map((policy) => policy.policyName)).toEqual([
      "device",
    ]);
    expect((await iot.send(new ListAttachedPoliciesCommand({ target: leafArn }))).policies).toEqual([]);
    expect(
      (await iot.send(new ListAttachedPoliciesCommand({ target: leafArn, recursive: true }))).policies?.map((policy) => policy.policyName),
    ).toEqual(["device"]);
    expect((await iot.send(new ListTargetsForPolicyCommand({ policyName: "device" }))).targets?.sort()).toEqual([certArn, rootArn].sort());
    expect(await errorName(iot.send(new DeletePolicyCommand({ policyName: "device" })))).toBe("DeleteConflictException");

    await iot.send(new CreateThingCommand({ thingName: "door" }));
    await iot.send(new AttachThingPrincipalCommand({ thingName: "door", principal: certArn }));
    expect((await iot.send(new ListThingPrincipalsCommand({ thingName: "door" }))).principals).toEqual([certArn]);
    expect((await iot.send(new ListPrincipalThingsCommand({ principal: certArn }))).things).toEqual(["door"]);
    expect(await errorName(iot.send(new AttachThingPrincipalCommand({ thingName: "ghost", principal: certArn })))).toBe(
      "ResourceNotFoundException",
    );
    expect(await errorName(iot.send(new DeleteThingCommand({ thingName: "door" })))).toBe("InvalidRequestException");

    const certificateId = cert.certificateId ?? "";
    expect(await errorName(iot.send(new DeleteCertificateCommand({ certificateId })))).toBe("CertificateStateException");
    await iot.send(new UpdateCertificateCommand({ certificateId, newStatus: "INACTIVE" }));
    expect(await errorName(iot.send(new DeleteCertificateCommand({ certificateId })))).toBe("DeleteConflictException");
    await iot.send(new DetachThingPrincipalCommand({ thingName: "door", principal: certArn }));
    expect(await errorName(iot.send(new DeleteCertificateCommand({ certificateId })))).toBe("DeleteConflictException");
    await iot.send(new DetachPolicyCommand({ policyName: "device", target: certArn }));
    await iot.send(new DeleteCertificateCommand({ certificateId }));
    expect(await errorName(iot.send(new DescribeCertificateCommand({ certificateId })))).toBe("ResourceNotFoundException");
    await iot.send(new DeleteThingCommand({ thingName: "door" }));
    await iot.send(new DetachPolicyCommand({ policyName: "device", target: rootArn }));
    await iot.send(new DeletePolicyCommand({ policyName: "device" }));
  });

  it("issues CreateKeysAndCertificate certificates from its CA, and registers a certificate only with the CA that signed it", async () => {
    const source = local.client("me-south-1");
    const issued = await source.send(new CreateKeysAndCertificateCommand({}));
    const ca = new X509Certificate(local.certificateAuthority.certificatePem);
    expect(new X509Certificate(issued.certificatePem ?? "").checkIssued(ca)).toBe(true);
    const selfSigned = await createSelfSignedCertificate(new Date());
    const target = local.client("af-south-1");
    expect(
      await errorName(
        target.send(new RegisterCertificateCommand({ certificatePem: issued.certificatePem, caCertificatePem: selfSigned.certificatePem })),
      ),
    ).toBe("CertificateValidationException");
    const registered = await target.send(
      new RegisterCertificateCommand({
        certificatePem: issued.certificatePem,
        caCertificatePem: local.certificateAuthority.certificatePem,
        setAsActive: true,
      }),
    );
    const described = await target.send(new DescribeCertificateCommand({ certificateId: registered.certificateId }));
    expect(described.certificateDescription).toMatchObject({
      status: "ACTIVE",
      caCertificateId: certificateIdOf(ca),
      certificateMode: "DEFAULT",
    });
  });

  it("keeps revoked certificates revoked and validates statuses", async () => {
    const cert = await iot.send(new CreateKeysAndCertificateCommand({}));
    const certificateId = cert.certificateId ?? "";
    expect((await iot.send(new DescribeCertificateCommand({ certificateId }))).certificateDescription?.status).toBe("INACTIVE");
    expect(await errorName(iot.send(new UpdateCertificateCommand({ certificateId, newStatus: "BOGUS" as "ACTIVE" })))).toBe(
      "InvalidRequestException",
    );
    await iot.send(new UpdateCertificateCommand({ certificateId, newStatus: "REVOKED" }));
    expect(await errorName(iot.send(new UpdateCertificateCommand({ certificateId, newStatus: "ACTIVE" })))).toBe(
      "CertificateStateException",
    );
  });
});

describe("endpoint and unsupported operations", () => {
  it("describes the endpoint for the region", async () => {
    expect((await iot.send(new DescribeEndpointCommand({ endpointType: "iot:Data-ATS" }))).endpointAddress).toBe("iot.us-east-2.local");
    expect(await errorName(iot.send(new DescribeEndpointCommand({ endpointType: "iot:Nope" })))).toBe("InvalidRequestException");
  });

  it("answers NotImplementedException for operations it does not emulate", async () => {
    expect(await errorName(iot.send(new ListTopicRulesCommand({})))).toBe("NotImplementedException");
  });
});
