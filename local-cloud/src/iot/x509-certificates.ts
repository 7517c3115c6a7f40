import { createHash, generateKeyPair, type KeyObject, randomBytes, sign } from "node:crypto";
import { isIPv4 } from "node:net";
import { promisify } from "node:util";
import {
  derBitString,
  derBoolean,
  derElement,
  derExplicit,
  derImplicitPrimitive,
  derNull,
  derObjectIdentifier,
  derOctetString,
  derSequence,
  derSet,
  derSmallInteger,
  derTime,
  derUnsignedInteger,
  derUtf8String,
  toPem,
} from "./der-encoder";

const generateKeyPairAsync = promisify(generateKeyPair);

const SHA256_WITH_RSA = "1.2.840.113549.1.1.11";
const COMMON_NAME = "2.5.4.3";
const ORGANIZATION = "2.5.4.10";
const SUBJECT_KEY_IDENTIFIER = "2.5.29.14";
const KEY_USAGE = "2.5.29.15";
const SUBJECT_ALT_NAME = "2.5.29.17";
const BASIC_CONSTRAINTS = "2.5.29.19";
const AUTHORITY_KEY_IDENTIFIER = "2.5.29.35";
const EXTENDED_KEY_USAGE = "2.5.29.37";
const SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
/** AWS IoT issued certificates are valid until the end of 2049. */
const NOT_AFTER = new Date(Date.UTC(2049, 11, 31, 23, 59, 59));
/** The CA and the brokers' certificate start a minute early, so a client whose clock is a little behind still accepts them. */
const CLOCK_SKEW_MS = 60_000;

export interface GeneratedCertificate {
  readonly certificatePem: string;
  readonly publicKeyPem: string;
  readonly privateKeyPem: string;
}

const distinguishedName = (organization: string, commonName: string): Buffer =>
  derSequence(
    derSet(derSequence(derObjectIdentifier(ORGANIZATION), derUtf8String(organization))),
    derSet(derSequence(derObjectIdentifier(COMMON_NAME), derUtf8String(commonName))),
  );

const extension = (oid: string, critical: boolean, value: Buffer): Buffer =>
  derSequence(derObjectIdentifier(oid), ...(critical ? [derBoolean(true)] : []), derOctetString(value));

const keyIdentifier = (publicKey: KeyObject): Buffer =>
  createHash("sha1")
    .update(publicKey.export({ type: "spki", format: "der" }))
    .digest();

interface CertificateFields {
  readonly subject: Buffer;
  readonly issuer: Buffer;
  readonly publicKey: KeyObject;
  /** The issuer's key: the CA's, or the subject's own for a self-signed certificate. */
  readonly issuerKey: { readonly privateKey: KeyObject; readonly publicKey: KeyObject };
  readonly notBefore: Date;
  readonly extensions: readonly Buffer[];
}

/** An X.509 v3 certificate (sha256WithRSAEncryption, so the issuer key is RSA), valid until the end of 2049, as PEM. */
const buildCertificate = (fields: CertificateFields): string => {
  const algorithm = derSequence(derObjectIdentifier(SHA256_WITH_RSA), derNull());
  const identifiers = [
    extension(SUBJECT_KEY_IDENTIFIER, false, derOctetString(keyIdentifier(fields.publicKey))),
    extension(AUTHORITY_KEY_IDENTIFIER, false, derSequence(derImplicitPrimitive(0, keyIdentifier(fields.issuerKey.publicKey)))),
  ];
  const tbsCertificate = derSequence(
    derExplicit(0, derSmallInteger(2)),
    derUnsignedInteger(Buffer.concat([Buffer.from([0x01]), randomBytes(15)])),
    algorithm,
    fields.issuer,
    derSequence(derTime(fields.notBefore), derTime(NOT_AFTER)),
    fields.subject,
    fields.publicKey.export({ type: "spki", format: "der" }),
    derExplicit(3, derSequence(...fields.extensions, ...identifiers)),
  );
  const signature = sign("sha256", tbsCertificate, fields.issuerKey.privateKey);
  return toPem("CERTIFICATE", derSequence(tbsCertificate, algorithm, derBitString(signature)));
};

const newRsaKeyPair = () => generateKeyPairAsync("rsa", { modulusLength: 2048 });

const DEVICE_SUBJECT = distinguishedName("Amazon Web Services", "AWS IoT Certificate");
const END_ENTITY = extension(BASIC_CONSTRAINTS, true, derSequence());

const deviceCertificate = (certificatePem: string, keys: { publicKey: KeyObject; privateKey: KeyObject }): GeneratedCertificate => ({
  certificatePem,
  publicKeyPem: keys.publicKey.export({ type: "spki", format: "pem" }).toString(),
  privateKeyPem: keys.privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
});

/**
 * A device certificate signed by its own key: what a device maker might bring to
 * RegisterCertificateWithoutCA. A fresh RSA 2048 key pair, valid from `notBefore` to the end of 2049.
 */
export const createSelfSignedCertificate = async (notBefore: Date): Promise<GeneratedCertificate> => {
  const keys = await newRsaKeyPair();
  const pem = buildCertificate({
    subject: DEVICE_SUBJECT,
    issuer: DEVICE_SUBJECT,
    publicKey: keys.publicKey,
    issuerKey: keys,
    notBefore,
    extensions: [END_ENTITY],
  });
  return deviceCertificate(pem, keys);
};

/** A subjectAltName entry: an IPv4 address as iPAddress, anything else as dNSName. */
const altName = (host: string): Buffer =>
  isIPv4(host) ? derImplicitPrimitive(7, Buffer.from(host.split(".").map(Number))) : derImplicitPrimitive(2, Buffer.from(host, "ascii"));

/**
 * The local cloud's one certificate authority, shared by every local region as Amazon's CAs are. It
 * issues the certificates CreateKeysAndCertificate hands out and the brokers' TLS server certificate,
 * so a device that trusts `certificatePem` can verify the broker it connects to.
 */
export interface LocalCertificateAuthority {
  readonly certificatePem: string;
  /** CreateKeysAndCertificate: a fresh RSA 2048 key pair and a certificate for it issued by this CA. */
  issueDeviceCertificate(notBefore: Date): Promise<GeneratedCertificate>;
  /** A TLS server certificate for `hosts` (DNS names or IPv4 addresses), with its private key (P-256). */
  issueServerCertificate(
    hosts: readonly string[],
    notBefore: Date,
  ): Promise<{ readonly certificatePem: string; readonly privateKeyPem: string }>;
}

export const createLocalCertificateAuthority = async (now: Date): Promise<LocalCertificateAuthority> => {
  const caKeys = await newRsaKeyPair();
  const caSubject = distinguishedName("IoT Fleet Replicator local cloud", "Local AWS IoT CA");
  const keyCertSignAndCrlSign = derElement(0x03, Buffer.from([0x01, 0x06]));
  const certificatePem = buildCertificate({
    subject: caSubject,
    issuer: caSubject,
    publicKey: caKeys.publicKey,
    issuerKey: caKeys,
    notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
    extensions: [extension(BASIC_CONSTRAINTS, true, derSequence(derBoolean(true))), extension(KEY_USAGE, true, keyCertSignAndCrlSign)],
  });
  return {
    certificatePem,
    issueDeviceCertificate: async (notBefore) => {
      const keys = await newRsaKeyPair();
      const pem = buildCertificate({
        subject: DEVICE_SUBJECT,
        issuer: caSubject,
        publicKey: keys.publicKey,
        issuerKey: caKeys,
        notBefore,
        extensions: [END_ENTITY],
      });
      return deviceCertificate(pem, keys);
    },
    issueServerCertificate: async (hosts, notBefore) => {
      const keys = await generateKeyPairAsync("ec", { namedCurve: "P-256" });
      const pem = buildCertificate({
        subject: distinguishedName("IoT Fleet Replicator local cloud", hosts[0] ?? "localhost"),
        issuer: caSubject,
        publicKey: keys.publicKey,
        issuerKey: caKeys,
        notBefore: new Date(notBefore.getTime() - CLOCK_SKEW_MS),
        extensions: [
          END_ENTITY,
          extension(SUBJECT_ALT_NAME, false, derSequence(...hosts.map(altName))),
          extension(EXTENDED_KEY_USAGE, false, derSequence(derObjectIdentifier(SERVER_AUTH))),
        ],
      });
      return { certificatePem: pem, privateKeyPem: keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString() };
    },
  };
};
