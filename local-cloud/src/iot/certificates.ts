import { createHash, X509Certificate } from "node:crypto";
import { AwsError } from "../endpoint/aws-error";
import { LOCAL_ACCOUNT_ID } from "../endpoint/service";
import { iotArn } from "./iot-arns";
import {
  alreadyExists,
  deleteConflict,
  epochSeconds,
  type IotCall,
  type IotContext,
  type IotRoute,
  invalidRequest,
  label,
  notFound,
  optionalString,
  queryBoolean,
  queryInteger,
  requiredString,
} from "./iot-call";
import type { CertificateRecord, CertificateStatus } from "./iot-records";
import { MARKER_PAGE, pageByKey } from "./paging";

const STATUSES: readonly CertificateStatus[] = [
  "ACTIVE",
  "INACTIVE",
  "REVOKED",
  "PENDING_TRANSFER",
  "REGISTER_INACTIVE",
  "PENDING_ACTIVATION",
];

const certificateState = (message: string): AwsError => new AwsError("CertificateStateException", message, 406);

const readStatus = (value: unknown, field: string): CertificateStatus | undefined => {
  const status = optionalString(value, field);
  if (status === undefined) return undefined;
  if (!(STATUSES as readonly string[]).includes(status)) throw invalidRequest(`${field} ${status} is not a certificate status`);
  return status as CertificateStatus;
};

const parseCertificate = (pem: string, field: string): X509Certificate => {
  try {
    return new X509Certificate(pem);
  } catch {
    throw new AwsError("CertificateValidationException", `${field} is not a valid X.509 certificate`, 400);
  }
};

/** AWS names a certificate by the lowercase hex SHA-256 of its DER encoding. */
export const certificateIdOf = (certificate: X509Certificate): string => createHash("sha256").update(certificate.raw).digest("hex");

/** Looks a certificate up by id or answers ResourceNotFoundException. */
export const requireCertificate = (ctx: IotContext, certificateId: string): CertificateRecord => {
  const certificate = ctx.state.certificates.get(certificateId);
  if (!certificate) throw notFound(`Certificate ${certificateId} does not exist`);
  return certificate;
};

const storeCertificate = (
  ctx: IotContext,
  pem: string,
  parsed: X509Certificate,
  status: CertificateStatus,
  mode: CertificateRecord["certificateMode"],
  caCertificateId: string | undefined,
): CertificateRecord => {
  const certificateId = certificateIdOf(parsed);
  if (ctx.state.certificates.has(certificateId)) throw alreadyExists(`Certificate ${certificateId} is already registered`);
  const now = ctx.clock();
  const record: CertificateRecord = {
    certificateId,
    certificateArn: iotArn(ctx.region, "cert", certificateId),
    certificatePem: pem,
    caCertificateId,
    certificateMode: mode,
    status,
    creationDate: now,
    lastModifiedDate: now,
    customerVersion: 1,
    generationId: ctx.newId(),
    notBefore: Date.parse(parsed.validFrom),
    notAfter: Date.parse(parsed.validTo),
  };
  ctx.state.certificates.set(certificateId, record);
  return record;
};

const registerCertificateWithoutCA = ({ ctx, body }: IotCall): Record<string, unknown> => {
  const pem = requiredString(body.certificatePem, "certificatePem");
  const record = storeCertificate(
    ctx,
    pem,
    parseCertificate(pem, "certificatePem"),
    readStatus(body.status, "status") ?? "INACTIVE",
    "SNI_ONLY",
    undefined,
  );
  return { certificateArn: record.certificateArn, certificateId: record.certificateId };
};

/**
 * Registers a device certificate. When a CA certificate is given, the device certificate must be
 * signed by it (CertificateValidationException otherwise). The local cloud does not model CA
 * registration, so a CA does not have to be registered first.
 */
const registerCertificate = ({ ctx, body, query }: IotCall): Record<string, unknown> => {
  const pem = requiredString(body.certificatePem, "certificatePem");
  const parsed = parseCertificate(pem, "certificatePem");
  const caPem = optionalString(body.caCertificatePem, "caCertificatePem");
  const ca = caPem === undefined ? undefined : parseCertificate(caPem, "caCertificatePem");
  if (ca && !parsed.verify(ca.publicKey))
    throw new AwsError("CertificateValidationException", "certificate is not signed by the given CA certificate", 400);
  const status = readStatus(body.status, "status") ?? (queryBoolean(query, "setAsActive") === true ? "ACTIVE" : "INACTIVE");
  const record = storeCertificate(ctx, pem, parsed, status, "DEFAULT", ca ? certificateIdOf(ca) : undefined);
  return { certificateArn: record.certificateArn, certificateId: record.certificateId };
};

/** Like AWS, a fresh key pair and a certificate issued by the service's CA (the local cloud's CA, which the brokers' TLS certificate also chains to). */
const createKeysAndCertificate = async ({ ctx, query }: IotCall): Promise<Record<string, unknown>> => {
  const authority = await ctx.certificateAuthority();
  const generated = await authority.issueDeviceCertificate(new Date(ctx.clock()));
  const status = queryBoolean(query, "setAsActive") === true ? "ACTIVE" : "INACTIVE";
  const record = storeCertificate(
    ctx,
    generated.certificatePem,
    parseCertificate(generated.certificatePem, "certificatePem"),
    status,
    "DEFAULT",
    undefined,
  );
  return {
    certificateArn: record.certificateArn,
    certificateId: record.certificateId,
    certificatePem: record.certificatePem,
    keyPair: { PublicKey: generated.publicKeyPem, PrivateKey: generated.privateKeyPem },
  };
};

const describeCertificate = (call: IotCall): Record<string, unknown> => {
  const certificate = requireCertificate(call.ctx, label(call, "certificateId"));
  return {
    certificateDescription: {
      certificateArn: certificate.certificateArn,
      certificateId: certificate.certificateId,
      ...(certificate.caCertificateId !== undefined ? { caCertificateId: certificate.caCertificateId } : {}),
      status: certificate.status,
      certificatePem: certificate.certificatePem,
      ownedBy: LOCAL_ACCOUNT_ID,
      creationDate: epochSeconds(certificate.creationDate),
      lastModifiedDate: epochSeconds(certificate.lastModifiedDate),
      customerVersion: certificate.customerVersion,
      generationId: certificate.generationId,
      validity: { notBefore: epochSeconds(certificate.notBefore), notAfter: epochSeconds(certificate.notAfter) },
      certificateMode: certificate.certificateMode,
    },
  };
};

const updateCertificate = (call: IotCall): Record<string, unknown> => {
  const { ctx } = call;
  const certificate = requireCertificate(ctx, label(call, "certificateId"));
  const newStatus = readStatus(call.query.get("newStatus") ?? undefined, "newStatus");
  if (newStatus === undefined) throw invalidRequest("newStatus is required");
  if (certificate.status === "REVOKED" && newStatus !== "REVOKED")
    throw certificateState(`Certificate ${certificate.certificateId} is revoked`);
  certificate.status = newStatus;
  certificate.lastModifiedDate = ctx.clock();
  certificate.customerVersion += 1;
  certificate.generationId = ctx.newId();
  return {};
};

/**
 * Deletes a certificate that is not ACTIVE and not attached to a thing. Attached policies block the
 * delete unless `forceDelete`, which detaches them, as in AWS.
 */
const deleteCertificate = (call: IotCall): Record<string, unknown> => {
  const { ctx } = call;
  const certificate = requireCertificate(ctx, label(call, "certificateId"));
  if (certificate.status === "ACTIVE") throw certificateState(`Certificate ${certificate.certificateId} is ACTIVE; deactivate it first`);
  const thingName = [...ctx.state.thingPrincipals].find(([, principals]) => principals.has(certificate.certificateArn))?.[0];
  if (thingName !== undefined) throw deleteConflict(`Certificate ${certificate.certificateId} is attached to thing ${thingName}`);
  const attached = [...ctx.state.policyTargets.values()].filter((targets) => targets.has(certificate.certificateArn));
  if (attached.length > 0 && queryBoolean(call.query, "forceDelete") !== true) {
    throw deleteConflict(`Certificate ${certificate.certificateId} has policies attached`);
  }
  for (const targets of attached) targets.delete(certificate.certificateArn);
  ctx.state.certificates.delete(certificate.certificateId);
  return {};
};

const listCertificates = ({ ctx, query }: IotCall): Record<string, unknown> => {
  const page = pageByKey([...ctx.state.certificates.values()], (certificate) => certificate.certificateId, {
    maxResults: queryInteger(query, "pageSize"),
    nextToken: query.get("marker"),
    ...MARKER_PAGE,
  });
  return {
    certificates: page.items.map((certificate) => ({
      certificateArn: certificate.certificateArn,
      certificateId: certificate.certificateId,
      status: certificate.status,
      certificateMode: certificate.certificateMode,
      creationDate: epochSeconds(certificate.creationDate),
    })),
    ...(page.nextToken ? { nextMarker: page.nextToken } : {}),
  };
};

/** Device certificates: registered from PEM or generated with a fresh key pair. */
export const certificateRoutes: readonly IotRoute[] = [
  { method: "POST", path: "/certificate/register-no-ca", operation: "RegisterCertificateWithoutCA", handler: registerCertificateWithoutCA },
  { method: "POST", path: "/certificate/register", operation: "RegisterCertificate", handler: registerCertificate },
  { method: "POST", path: "/keys-and-certificate", operation: "CreateKeysAndCertificate", handler: createKeysAndCertificate },
  { method: "GET", path: "/certificates/{certificateId}", operation: "DescribeCertificate", handler: describeCertificate },
  { method: "PUT", path: "/certificates/{certificateId}", operation: "UpdateCertificate", handler: updateCertificate },
  { method: "DELETE", path: "/certificates/{certificateId}", operation: "DeleteCertificate", handler: deleteCertificate },
  { method: "GET", path: "/certificates", operation: "ListCertificates", handler: listCertificates },
];
