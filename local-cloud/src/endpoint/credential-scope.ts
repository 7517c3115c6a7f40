/** What the SigV4 credential scope of a request says about where it is going. */
export interface CredentialScope {
  readonly accessKeyId: string;
  readonly region: string;
  readonly service: string;
}

const SCOPE = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;

/**
 * Reads access key, region and signing name from an `Authorization: AWS4-HMAC-SHA256 ...` header
 * (or from `X-Amz-Credential` of a presigned URL). Signatures are verified only for the fixed
 * partition key pairs, whose secrets the local cloud knows (`signature-check.ts`).
 */
export const parseCredentialScope = (authorization: string | undefined, query?: URLSearchParams): CredentialScope | undefined => {
  const presigned = query?.get("X-Amz-Credential");
  const source = authorization ?? (presigned ? `Credential=${presigned}` : undefined);
  const match = source ? SCOPE.exec(source) : null;
  if (!match) return undefined;
  const [, accessKeyId, region, service] = match as unknown as [string, string, string, string];
  return { accessKeyId, region, service };
};
