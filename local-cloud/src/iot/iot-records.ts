/**
 * What the local IoT control plane remembers about each registry entity. Times are epoch
 * milliseconds from the injected clock; responses convert them to the epoch seconds AWS sends.
 */
export type Attributes = Record<string, string>;

export interface ThingRecord {
  readonly thingName: string;
  readonly thingId: string;
  thingTypeName: string | undefined;
  attributes: Attributes;
  version: number;
  readonly billingGroupName: string | undefined;
}

export interface ThingTypeRecord {
  readonly thingTypeName: string;
  readonly thingTypeId: string;
  description: string | undefined;
  readonly searchableAttributes: readonly string[];
  propagatingAttributes: readonly unknown[];
  deprecated: boolean;
  deprecationDate: number | undefined;
  readonly creationDate: number;
}

export interface ThingGroupRecord {
  readonly thingGroupName: string;
  readonly thingGroupId: string;
  readonly parentGroupName: string | undefined;
  description: string | undefined;
  attributes: Attributes;
  version: number;
  readonly creationDate: number;
}

export interface PolicyVersionRecord {
  readonly versionId: string;
  readonly document: string;
  readonly createDate: number;
}

export interface PolicyRecord {
  readonly policyName: string;
  readonly versions: Map<string, PolicyVersionRecord>;
  defaultVersionId: string;
  nextVersionNumber: number;
  readonly creationDate: number;
  lastModifiedDate: number;
  generationId: string;
}

export type CertificateStatus = "ACTIVE" | "INACTIVE" | "REVOKED" | "PENDING_TRANSFER" | "REGISTER_INACTIVE" | "PENDING_ACTIVATION";

export interface CertificateRecord {
  readonly certificateId: string;
  readonly certificateArn: string;
  readonly certificatePem: string;
  readonly caCertificateId: string | undefined;
  readonly certificateMode: "DEFAULT" | "SNI_ONLY";
  status: CertificateStatus;
  readonly creationDate: number;
  lastModifiedDate: number;
  customerVersion: number;
  generationId: string;
  readonly notBefore: number;
  readonly notAfter: number;
}
