import {
  AddThingToThingGroupCommand,
  AttachPolicyCommand,
  AttachThingPrincipalCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateThingCommand,
  CreateThingGroupCommand,
  CreateThingTypeCommand,
  DeleteCertificateCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DeleteThingCommand,
  DeleteThingGroupCommand,
  DeleteThingTypeCommand,
  DeprecateThingTypeCommand,
  DetachPolicyCommand,
  DetachThingPrincipalCommand,
  type IoTClient,
  RegisterCertificateWithoutCACommand,
  RemoveThingFromThingGroupCommand,
  UpdateCertificateCommand,
  UpdateThingCommand,
  UpdateThingGroupCommand,
  UpdateThingTypeCommand,
} from "@aws-sdk/client-iot";
import { DeleteThingShadowCommand, UpdateThingShadowCommand } from "@aws-sdk/client-iot-data-plane";
import { ResultAsync } from "neverthrow";
import { WaitingForDependency } from "../domain/recovery/apply-entity";
import { DEFERRABLE_CALLS, type IotOperation } from "../domain/recovery/iot-operations";
import { type DependencyError, DependencyRejected } from "../domain/shared/errors";
import { awsErrorName, classifyAwsError } from "./aws-error-classification";
import type { IotDataClientProvider } from "./iot-data-client-provider";
import { certificateIdOf, certificateKey, type KnownEntities, policyKey } from "./iot-known-entities";

const shadowTarget = (operation: { readonly thingName: string; readonly shadowName: string | null }) => ({
  thingName: operation.thingName,
  ...(operation.shadowName ? { shadowName: operation.shadowName } : {}),
});

/** Sends one planned operation as its SDK command. */
const send = async (iot: IoTClient, dataClientFor: IotDataClientProvider, operation: IotOperation): Promise<unknown> => {
  switch (operation.call) {
    case "CreateThing":
      return iot.send(
        new CreateThingCommand({
          thingName: operation.thingName,
          ...(operation.thingTypeName ? { thingTypeName: operation.thingTypeName } : {}),
          attributePayload: { attributes: { ...operation.attributes } },
        }),
      );
    case "UpdateThing":
      return iot.send(
        new UpdateThingCommand({
          thingName: operation.thingName,
          ...(operation.thingType && "set" in operation.thingType ? { thingTypeName: operation.thingType.set } : {}),
          ...(operation.thingType && "remove" in operation.thingType ? { removeThingType: true } : {}),
          ...(operation.attributes ? { attributePayload: { attributes: { ...operation.attributes }, merge: true } } : {}),
        }),
      );
    case "DeleteThing":
      return iot.send(new DeleteThingCommand({ thingName: operation.thingName }));
    case "CreateThingType":
      return iot.send(
        new CreateThingTypeCommand({
          thingTypeName: operation.thingTypeName,
          thingTypeProperties: {
            ...(operation.description !== null ? { thingTypeDescription: operation.description } : {}),
            ...(operation.searchableAttributes.length > 0 ? { searchableAttributes: [...operation.searchableAttributes] } : {}),
          },
        }),
      );
    case "UpdateThingType":
      return iot.send(
        new UpdateThingTypeCommand({
          thingTypeName: operation.thingTypeName,
          thingTypeProperties: { thingTypeDescription: operation.description ?? "" },
        }),
      );
    case "DeprecateThingType":
      return iot.send(new DeprecateThingTypeCommand({ thingTypeName: operation.thingTypeName, undoDeprecate: operation.undo }));
    case "DeleteThingType":
      return iot.send(new DeleteThingTypeCommand({ thingTypeName: operation.thingTypeName }));
    case "CreateThingGroup":
      return iot.send(
        new CreateThingGroupCommand({
          thingGroupName: operation.thingGroupName,
          ...(operation.parentGroupName ? { parentGroupName: operation.parentGroupName } : {}),
          thingGroupProperties: {
            ...(operation.description !== null ? { thingGroupDescription: operation.description } : {}),
            attributePayload: { attributes: { ...operation.attributes } },
          },
        }),
      );
    case "UpdateThingGroup":
      return iot.send(
        new UpdateThingGroupCommand({
          thingGroupName: operation.thingGroupName,
          thingGroupProperties: {
            thingGroupDescription: operation.description ?? "",
            attributePayload: { attributes: { ...operation.attributes }, merge: true },
          },
        }),
      );
    case "DeleteThingGroup":
      return iot.send(new DeleteThingGroupCommand({ thingGroupName: operation.thingGroupName }));
    case "AddThingToThingGroup":
      return iot.send(new AddThingToThingGroupCommand({ thingGroupName: operation.thingGroupName, thingName: operation.thingName }));
    case "RemoveThingFromThingGroup":
      return iot.send(new RemoveThingFromThingGroupCommand({ thingGroupName: operation.thingGroupName, thingName: operation.thingName }));
    case "RegisterCertificateWithoutCA":
      return iot.send(new RegisterCertificateWithoutCACommand({ certificatePem: operation.certificatePem, status: operation.status }));
    case "UpdateCertificate":
      return iot.send(
        new UpdateCertificateCommand({
          certificateId: operation.certificateId,
          newStatus: operation.newStatus as "ACTIVE" | "INACTIVE" | "REVOKED",
        }),
      );
    case "DeleteCertificate":
      return iot.send(new DeleteCertificateCommand({ certificateId: operation.certificateId }));
    case "CreatePolicy":
      return iot.send(new CreatePolicyCommand({ policyName: operation.policyName, policyDocument: operation.policyDocument }));
    case "CreatePolicyVersion":
      return iot.send(
        new CreatePolicyVersionCommand({ policyName: operation.policyName, policyDocument: operation.policyDocument, setAsDefault: true }),
      );
    case "DeletePolicyVersion":
      return iot.send(new DeletePolicyVersionCommand({ policyName: operation.policyName, policyVersionId: operation.policyVersionId }));
    case "DeletePolicy":
      return iot.send(new DeletePolicyCommand({ policyName: operation.policyName }));
    case "AttachPolicy":
      return iot.send(new AttachPolicyCommand({ policyName: operation.policyName, target: operation.target }));
    case "DetachPolicy":
      return iot.send(new DetachPolicyCommand({ policyName: operation.policyName, target: operation.target }));
    case "AttachThingPrincipal":
      return iot.send(new AttachThingPrincipalCommand({ thingName: operation.thingName, principal: operation.principal }));
    case "DetachThingPrincipal":
      return iot.send(new DetachThingPrincipalCommand({ thingName: operation.thingName, principal: operation.principal }));
    case "UpdateThingShadow":
      return (await dataClientFor()).send(
        new UpdateThingShadowCommand({
          ...shadowTarget(operation),
          payload: new TextEncoder().encode(JSON.stringify({ state: operation.state })),
        }),
      );
    case "DeleteThingShadow":
      return (await dataClientFor()).send(new DeleteThingShadowCommand(shadowTarget(operation)));
  }
};

/** What a call tells of the certificates and policies that exist: the one it made, or the one it deleted. */
const learn = (known: KnownEntities, operation: IotOperation, answer: unknown): void => {
  if (operation.call === "RegisterCertificateWithoutCA") {
    const { certificateId, certificateArn } = (answer ?? {}) as { certificateId?: string; certificateArn?: string };
    if (certificateId && certificateArn) known.remember(certificateKey(certificateId), certificateArn);
  }
  if (operation.call === "DeleteCertificate") known.forget(certificateKey(operation.certificateId));
  if (operation.call === "CreatePolicy") known.remember(policyKey(operation.policyName), operation.policyName);
  if (operation.call === "DeletePolicy") known.forget(policyKey(operation.policyName));
};

/** A call naming a certificate or policy that AWS says is not there: whatever was known of it is forgotten. */
const forgetNamed = (known: KnownEntities, operation: IotOperation): void => {
  const certificateId =
    "certificateId" in operation
      ? operation.certificateId
      : "principal" in operation
        ? certificateIdOf(operation.principal)
        : "target" in operation
          ? certificateIdOf(operation.target)
          : undefined;
  if (certificateId !== undefined) known.forget(certificateKey(certificateId));
  if ("policyName" in operation) known.forget(policyKey(operation.policyName));
};

/** Calls that undo something: when AWS says it is already gone, the call has nothing left to do. */
const UNDOING = /^(Delete|Detach|Remove)/;

/** What AWS answers when a delete must wait for another change (see DEFERRABLE_CALLS). */
const REFUSALS = new Set(["InvalidRequestException", "DeleteConflictException", "CertificateStateException"]);

/**
 * Makes one planned call in the secondary region. A delete, detach or removal of something already
 * gone succeeds (the plan's goal holds); a deferrable delete that AWS refuses for now is a
 * DependencyRejected naming AWS's reason; everything else is classified as for every adapter.
 */
export const createIotRegistryWriter = (iot: IoTClient, dataClientFor: IotDataClientProvider, known: KnownEntities) => {
  const toDomainError = classifyAwsError("AWS IoT (secondary region)");
  return (operation: IotOperation): ResultAsync<void, DependencyError> =>
    ResultAsync.fromPromise(
      send(iot, dataClientFor, operation).then(
        (answer) => learn(known, operation, answer),
        (thrown: unknown) => {
          if (awsErrorName(thrown) === "ResourceNotFoundException") forgetNamed(known, operation);
          if (UNDOING.test(operation.call) && awsErrorName(thrown) === "ResourceNotFoundException") return undefined;
          throw thrown;
        },
      ),
      (thrown) => {
        const reason = `${awsErrorName(thrown)}: ${(thrown as Error).message}`;
        if (DEFERRABLE_CALLS.has(operation.call) && REFUSALS.has(awsErrorName(thrown))) {
          return new DependencyRejected("AWS IoT (secondary region)", reason, thrown);
        }
        // Adding to, attaching to or updating something not there: what it needs has not been applied yet.
        if (awsErrorName(thrown) === "ResourceNotFoundException") {
          return new WaitingForDependency("AWS IoT (secondary region)", `${operation.call}: ${reason}`, thrown);
        }
        return toDomainError(thrown);
      },
    );
};
