/**
 * Certificates this process knows exist in the secondary, with their ARN: a certificate's id and ARN
 * never change while it exists, so one DescribeCertificate (or the RegisterCertificateWithoutCA that
 * made it) answers every later "does it exist, and under which ARN" of the same certificate, instead
 * of one call per attachment and per dependency check (DescribeCertificate's quota is 10 per second).
 * Entries last `ttlMs`; any sign that a certificate is gone (its delete, a ResourceNotFoundException
 * of a call naming it) forgets it at once, so a stale entry costs at most one failed, retried call.
 */
export interface KnownCertificates {
  arnOf(certificateId: string): string | undefined;
  remember(certificateId: string, certificateArn: string): void;
  forget(certificateId: string): void;
}

/** The certificate id of a certificate ARN (`arn:aws:iot:us-west-2:123456789012:cert/<id>`), or undefined. */
export const certificateIdOf = (arn: string): string | undefined => /:cert\/([0-9a-f]+)$/.exec(arn)?.[1];

export const knownCertificates = (ttlMs = 15 * 60_000, maxEntries = 100_000, now: () => number = Date.now): KnownCertificates => {
  const known = new Map<string, { readonly arn: string; readonly until: number }>();
  return {
    arnOf: (certificateId) => {
      const entry = known.get(certificateId);
      if (entry === undefined) return undefined;
      if (entry.until < now()) {
        known.delete(certificateId);
        return undefined;
      }
      return entry.arn;
    },
    remember: (certificateId, certificateArn) => {
      known.delete(certificateId);
      known.set(certificateId, { arn: certificateArn, until: now() + ttlMs });
      // Oldest first: a Map iterates in insertion order.
      if (known.size > maxEntries) known.delete(known.keys().next().value as string);
    },
    forget: (certificateId) => {
      known.delete(certificateId);
    },
  };
};
