/**
 * Certificates and policies this process knows exist in the secondary (a certificate with its ARN,
 * which never changes while it exists): one DescribeCertificate or GetPolicy, or the call that made
 * it, answers every later "does it exist" of the same one, instead of one call per attachment and per
 * dependency check — their APIs' quotas are 10 per second, and a fleet shares a few policies among
 * all its devices. Entries last `ttlMs`; any sign that one is gone (its delete, a
 * ResourceNotFoundException of a call naming it) forgets it at once, so a stale entry costs at most
 * one failed, retried call. Keys are entity keys (`certificate#<id>`, `policy#<name>`).
 */
export interface KnownEntities {
  valueOf(key: string): string | undefined;
  remember(key: string, value: string): void;
  forget(key: string): void;
}

export const certificateKey = (certificateId: string): string => `certificate#${certificateId}`;
export const policyKey = (policyName: string): string => `policy#${policyName}`;

/** The certificate id of a certificate ARN (`arn:aws:iot:us-west-2:123456789012:cert/<id>`), or undefined. */
export const certificateIdOf = (arn: string): string | undefined => /:cert\/([0-9a-f]+)$/.exec(arn)?.[1];

export const knownEntities = (ttlMs = 15 * 60_000, maxEntries = 100_000, now: () => number = Date.now): KnownEntities => {
  const known = new Map<string, { readonly value: string; readonly until: number }>();
  return {
    valueOf: (key) => {
      const entry = known.get(key);
      if (entry === undefined) return undefined;
      if (entry.until < now()) {
        known.delete(key);
        return undefined;
      }
      return entry.value;
    },
    remember: (key, value) => {
      known.delete(key);
      known.set(key, { value, until: now() + ttlMs });
      // Oldest first: a Map iterates in insertion order.
      if (known.size > maxEntries) known.delete(known.keys().next().value as string);
    },
    forget: (key) => {
      known.delete(key);
    },
  };
};
