import { createCipheriv, randomBytes } from "node:crypto";

/**
 * Produces the opaque ciphertext a SecureString shows when read without decryption. AWS returns the
 * base64 of a KMS blob there, never the plaintext; encrypting for real (AES-256-GCM under a key that
 * lives only in this process) keeps clients honest: code that forgets `WithDecryption` sees garbage,
 * exactly as it would against AWS.
 */
export interface SecureStringCipher {
  encrypt(plaintext: string, keyId: string): string;
}

/** One process-local data key; ciphertexts are never decrypted (the store keeps the plaintext). */
export const createSecureStringCipher = (): SecureStringCipher => {
  const dataKey = randomBytes(32);
  return {
    encrypt: (plaintext, keyId) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", dataKey, iv);
      cipher.setAAD(Buffer.from(keyId));
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      // 0x01 0x02 0x02 0x00 is how KMS ciphertext blobs begin ("AQICAH..." in base64).
      return Buffer.concat([Buffer.from([1, 2, 2, 0]), iv, cipher.getAuthTag(), body]).toString("base64");
    },
  };
};
