import { generateKeyPair, randomBytes, sign } from "node:crypto";
import { promisify } from "node:util";
import {
  derBitString,
  derExplicit,
  derNull,
  derObjectIdentifier,
  derSequence,
  derSet,
  derSmallInteger,
  derTime,
  derUnsignedInteger,
  derUtf8String,
  toPem,
} from "./der-encoder";

const generateRsaKeyPair = promisify(generateKeyPair);

const SHA256_WITH_RSA = "1.2.840.113549.1.1.11";
const COMMON_NAME = "2.5.4.3";
const ORGANIZATION = "2.5.4.10";
/** AWS IoT issued certificates are valid until the end of 2049. */
const NOT_AFTER = new Date(Date.UTC(2049, 11, 31, 23, 59, 59));

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

/**
 * What CreateKeysAndCertificate hands a device: a fresh RSA 2048 key pair and an X.509 v3
 * certificate for it (sha256WithRSAEncryption, valid from `notBefore` to the end of 2049, like AWS
 * IoT issued certificates). Self-signed, since the local cloud has no Amazon CA; devices only need a
 * certificate that parses and matches their key.
 */
export const createSelfSignedCertificate = async (notBefore: Date): Promise<GeneratedCertificate> => {
  const { publicKey, privateKey } = await generateRsaKeyPair("rsa", { modulusLength: 2048 });
  const algorithm = derSequence(derObjectIdentifier(SHA256_WITH_RSA), derNull());
  const subject = distinguishedName("Amazon Web Services", "AWS IoT Certificate");
  const tbsCertificate = derSequence(
    derExplicit(0, derSmallInteger(2)),
    derUnsignedInteger(Buffer.concat([Buffer.from([0x01]), randomBytes(15)])),
    algorithm,
    subject,
    derSequence(derTime(notBefore), derTime(NOT_AFTER)),
    subject,
    publicKey.export({ type: "spki", format: "der" }),
  );
  const signature = sign("sha256", tbsCertificate, privateKey);
  const certificate = derSequence(tbsCertificate, algorithm, derBitString(signature));
  return {
    certificatePem: toPem("CERTIFICATE", certificate),
    publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    privateKeyPem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
  };
};
