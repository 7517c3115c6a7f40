import {
  DescribeCertificateCommand,
  GetPolicyCommand,
  type IoTClient,
  ListCertificatesCommand,
  ListPoliciesCommand,
  ListTargetsForPolicyCommand,
  ListThingPrincipalsCommand,
} from "@aws-sdk/client-iot";
import { err, ok, type Result } from "neverthrow";
import type { SnapshotItem } from "../domain/registry/replica-record";
import { certificateIdOfPrincipal, checkCertificateId, checkPolicyName } from "../domain/registry/sweep-names";
import { InvalidEvent } from "../domain/shared/errors";
import { awsErrorName } from "./aws-error-classification";

type Listed = Result<SnapshotItem, InvalidEvent>;

/** One page of a top-level listing and the marker of the page after it (undefined after the last). */
export interface ListingPage {
  readonly items: readonly Listed[];
  readonly next: string | undefined;
}

/** What a describe call answers when the entity was deleted between the listing and the describe. */
const gone = (thrown: unknown): boolean => awsErrorName(thrown) === "ResourceNotFoundException";

/** Runs a describe call; an entity deleted since it was listed yields nothing (the listing is a snapshot), anything else throws. */
const unlessGone = async <T>(call: Promise<T>): Promise<T | undefined> => {
  try {
    return await call;
  } catch (thrown) {
    if (gone(thrown)) return undefined;
    throw thrown;
  }
};

const missing = (field: string, listing: string): InvalidEvent => new InvalidEvent(`is missing from an item of ${listing}`, field);

/**
 * Lists what AWS IoT publishes no events for: certificates (with PEM and status), policies (with the
 * default version's document) and their attachments to certificates, and the certificates attached to
 * a thing. Only certificate principals are kept: the other principals IoT allows (Amazon Cognito
 * identities, thing groups as policy targets) have no record kind in the replica.
 */
export const createIotSecurityListing = (client: IoTClient, pageSize: number) => {
  const describeCertificate = async (certificateId: string): Promise<Listed[]> => {
    const described = await unlessGone(client.send(new DescribeCertificateCommand({ certificateId })));
    if (!described) return [];
    const { certificatePem, status } = described.certificateDescription ?? {};
    if (!certificatePem) return [err(missing("certificatePem", `DescribeCertificate ${certificateId}`))];
    if (!status) return [err(missing("status", `DescribeCertificate ${certificateId}`))];
    return [ok({ entityType: "certificate", state: { certificateId, certificatePem, status } })];
  };

  /** ListCertificates, then DescribeCertificate for each one (the listing has no PEM). */
  const certificates = async (marker?: string): Promise<ListingPage> => {
    const page = await client.send(new ListCertificatesCommand({ pageSize, marker }));
    const items: Listed[] = [];
    for (const certificate of page.certificates ?? []) {
      if (!certificate.certificateId) {
        items.push(err(missing("certificateId", "ListCertificates")));
        continue;
      }
      const id = checkCertificateId(certificate.certificateId, "certificateId");
      items.push(...(id.isOk() ? await describeCertificate(id.value) : [err(id.error)]));
    }
    return { items, next: page.nextMarker };
  };

  /** Every certificate a policy is attached to (ListTargetsForPolicy, all its pages). */
  const targetsOf = async (policyName: string): Promise<Listed[]> => {
    const attachments: Listed[] = [];
    let marker: string | undefined;
    do {
      const page = await client.send(new ListTargetsForPolicyCommand({ policyName, pageSize, marker }));
      for (const target of page.targets ?? []) {
        const certificateId = certificateIdOfPrincipal(target, `targets of ${policyName}`);
        if (certificateId.isErr()) attachments.push(err(certificateId.error));
        else if (certificateId.value !== undefined)
          attachments.push(ok({ entityType: "policyPrincipal", state: { policyName, certificateId: certificateId.value } }));
      }
      marker = page.nextMarker;
    } while (marker);
    return attachments;
  };

  const describePolicy = async (policyName: string): Promise<Listed[]> => {
    const policy = await unlessGone(client.send(new GetPolicyCommand({ policyName })));
    if (!policy) return [];
    if (!policy.policyDocument) return [err(missing("policyDocument", `GetPolicy ${policyName}`))];
    const state = { policyName, policyDocument: policy.policyDocument, defaultVersionId: policy.defaultVersionId ?? null };
    return [ok({ entityType: "policy", state }), ...(await targetsOf(policyName))];
  };

  /** ListPolicies, then GetPolicy (default version's document) and ListTargetsForPolicy for each one. */
  const policies = async (marker?: string): Promise<ListingPage> => {
    const page = await client.send(new ListPoliciesCommand({ pageSize, marker }));
    const items: Listed[] = [];
    for (const policy of page.policies ?? []) {
      const name = policy.policyName ? checkPolicyName(policy.policyName, "policyName") : err(missing("policyName", "ListPolicies"));
      items.push(...(name.isOk() ? await describePolicy(name.value) : [err(name.error)]));
    }
    return { items, next: page.nextMarker };
  };

  /** The certificates attached to a thing (ListThingPrincipals, all its pages). */
  const thingPrincipals = async (thingName: string): Promise<Listed[]> => {
    const attachments: Listed[] = [];
    let nextToken: string | undefined;
    do {
      const page = await unlessGone(client.send(new ListThingPrincipalsCommand({ thingName, maxResults: pageSize, nextToken })));
      for (const principal of page?.principals ?? []) {
        const certificateId = certificateIdOfPrincipal(principal, `principals of ${thingName}`);
        if (certificateId.isErr()) attachments.push(err(certificateId.error));
        else if (certificateId.value !== undefined)
          attachments.push(ok({ entityType: "thingPrincipal", state: { thingName, certificateId: certificateId.value } }));
      }
      nextToken = page?.nextToken;
    } while (nextToken);
    return attachments;
  };

  return { certificates, policies, thingPrincipals };
};
