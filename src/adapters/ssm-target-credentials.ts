import { GetParametersCommand, type SSMClient } from "@aws-sdk/client-ssm";

export interface TargetCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly expiration: Date;
}

export interface TargetCredentialParameters {
  /** SSM SecureString parameter holding the access key id (the public sample's `target_ak`). */
  readonly accessKeyId: string;
  /** SSM SecureString parameter holding the secret access key (the public sample's `target_sk`). */
  readonly secretAccessKey: string;
}

/** A refusal to produce credentials, classified by classifyAwsError as refused access (retried, alarmed). */
const credentialsError = (message: string): Error => Object.assign(new Error(message), { name: "CredentialsProviderError" });

/**
 * The target partition's credentials, read from two SSM SecureString parameters (decrypted) and kept
 * for `ttlMs`, so that a rotated key is picked up within that time without a redeploy. Used as the
 * target client's `credentials`: the SDK calls it before each request once the expiration is near
 * (its window is 5 minutes, so a TTL at or under it is honoured exactly). The values are never
 * logged or put in an error message: errors name the parameters only.
 */
export const ssmTargetCredentials = (
  client: SSMClient,
  parameters: TargetCredentialParameters,
  ttlMs: number,
  now: () => number = Date.now,
): (() => Promise<TargetCredentials>) => {
  let cached: TargetCredentials | undefined;
  let pending: Promise<TargetCredentials> | undefined;
  const fetch = async (): Promise<TargetCredentials> => {
    const names = [parameters.accessKeyId, parameters.secretAccessKey];
    const output = await client.send(new GetParametersCommand({ Names: names, WithDecryption: true }));
    if ((output.InvalidParameters ?? []).length > 0)
      throw credentialsError(`SSM parameters not found: ${(output.InvalidParameters ?? []).join(", ")}`);
    const value = (name: string): string => {
      const found = output.Parameters?.find((parameter) => parameter.Name === name)?.Value;
      if (found === undefined || found.trim() === "") throw credentialsError(`SSM parameter ${name} has no value`);
      return found.trim();
    };
    return {
      accessKeyId: value(parameters.accessKeyId),
      secretAccessKey: value(parameters.secretAccessKey),
      expiration: new Date(now() + ttlMs),
    };
  };
  return async () => {
    if (cached !== undefined && cached.expiration.getTime() > now()) return cached;
    pending ??= fetch().finally(() => {
      pending = undefined;
    });
    cached = await pending;
    return cached;
  };
};
