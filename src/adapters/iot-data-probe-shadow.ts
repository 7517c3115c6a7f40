import { GetThingShadowCommand, UpdateThingShadowCommand } from "@aws-sdk/client-iot-data-plane";
import { ResultAsync } from "neverthrow";
import { PROBE_SHADOW_NAME, PROBE_THING_NAME, type ProbeShadow } from "../domain/health/data-plane-health";
import { classifyAwsError } from "./aws-error-classification";
import type { IotDataClientProvider } from "./iot-data-client-provider";

const decode = (payload: Uint8Array | undefined): Record<string, unknown> =>
  payload && payload.length > 0 ? (JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>) : {};

/** The health check's probe shadow (a named shadow of a reserved thing name) through the IoT data plane. */
export const createIotDataProbeShadow = (clientFor: IotDataClientProvider): ProbeShadow => {
  const toDomainError = classifyAwsError("AWS IoT data plane (probe shadow)");
  const target = { thingName: PROBE_THING_NAME, shadowName: PROBE_SHADOW_NAME };
  return {
    write: (nonce) =>
      ResultAsync.fromPromise(
        clientFor().then((client) =>
          client.send(
            new UpdateThingShadowCommand({
              ...target,
              payload: new TextEncoder().encode(JSON.stringify({ state: { reported: { probe: nonce } } })),
            }),
          ),
        ),
        toDomainError,
      ).map((answer) => Number(decode(answer.payload)["version"] ?? 0)),
    read: () =>
      ResultAsync.fromPromise(
        clientFor().then((client) => client.send(new GetThingShadowCommand(target))),
        toDomainError,
      ).map((answer) => {
        const document = decode(answer.payload);
        const state = (document["state"] ?? {}) as { reported?: { probe?: unknown } };
        const probe = state.reported?.probe;
        return { nonce: typeof probe === "string" ? probe : undefined, version: Number(document["version"] ?? 0) };
      }),
  };
};
