import {
  DescribeCertificateCommand,
  DescribeThingCommand,
  DescribeThingGroupCommand,
  DescribeThingTypeCommand,
  GetPolicyCommand,
  type IoTClient,
  ListAttachedPoliciesCommand,
  ListPolicyVersionsCommand,
  ListPrincipalThingsCommand,
  ListTargetsForPolicyCommand,
  ListThingGroupsCommand,
  ListThingGroupsForThingCommand,
  ListThingPrincipalsCommand,
  ListThingsCommand,
} from "@aws-sdk/client-iot";
import { GetThingShadowCommand } from "@aws-sdk/client-iot-data-plane";
import { ResultAsync } from "neverthrow";
import { type EntityRef, namesOf } from "../domain/recovery/entity-ref";
import type { LiveStates } from "../domain/recovery/live-state";
import type { EntityType } from "../domain/registry/entity-kinds";
import type { DependencyError } from "../domain/shared/errors";
import { awsErrorName, classifyAwsError } from "./aws-error-classification";
import type { IotDataClientProvider } from "./iot-data-client-provider";
import { certificateKey, type KnownEntities, policyKey } from "./iot-known-entities";

type Attributes = Record<string, string>;

/** Undefined when the entity does not exist (AWS says ResourceNotFoundException); any other failure is thrown on. */
const orMissing = async <T>(call: Promise<T>): Promise<T | undefined> => {
  try {
    return await call;
  } catch (thrown) {
    if (awsErrorName(thrown) === "ResourceNotFoundException") return undefined;
    throw thrown;
  }
};

/** Every item of a paginated list (nextToken / marker), page by page. */
const allPages = async <P, T>(
  page: (token: string | undefined) => Promise<P>,
  items: (page: P) => readonly T[] | undefined,
  next: (page: P) => string | undefined,
): Promise<T[]> => {
  const all: T[] = [];
  let token: string | undefined;
  do {
    const current = await page(token);
    all.push(...(items(current) ?? []));
    token = next(current);
  } while (token);
  return all;
};

const attributesOf = (payload: Record<string, string> | undefined): Attributes => ({ ...(payload ?? {}) });

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Reads what the secondary region holds for one entity, with the Describe/List/Get calls its plan
 * needs (see LiveStates), through the real IoT control and data plane clients.
 */
export const createIotLiveStateReader = (iot: IoTClient, dataClientFor: IotDataClientProvider, known: KnownEntities) => {
  const thingPrincipals = (thingName: string) =>
    allPages(
      (nextToken) => iot.send(new ListThingPrincipalsCommand({ thingName, ...(nextToken ? { nextToken } : {}) })),
      (page) => page.principals,
      (page) => page.nextToken,
    );
  const attachedPolicies = (target: string) =>
    allPages(
      (marker) => iot.send(new ListAttachedPoliciesCommand({ target, ...(marker ? { marker } : {}) })),
      (page) => page.policies?.map((policy) => policy.policyName ?? ""),
      (page) => page.nextMarker,
    );
  /** What DescribeCertificate said, also kept in `known` for the attachments and dependency checks after it. */
  const describeCertificate = async (certificateId: string) => {
    const described = await orMissing(iot.send(new DescribeCertificateCommand({ certificateId })));
    const arn = described?.certificateDescription?.certificateArn;
    if (arn) known.remember(certificateKey(certificateId), arn);
    else known.forget(certificateKey(certificateId));
    return described;
  };
  const certificateArn = async (certificateId: string) =>
    known.valueOf(certificateKey(certificateId)) ??
    (await describeCertificate(certificateId))?.certificateDescription?.certificateArn ??
    null;

  type Reader<K extends EntityType> = (names: readonly [string, string | null], forDeletion: boolean) => Promise<LiveStates[K]>;
  /** The list only a delete needs, or none. */
  const ifDeleting = async <T>(forDeletion: boolean, list: () => Promise<T[]>): Promise<T[]> => (forDeletion ? list() : []);
  const readers: { readonly [K in EntityType]: Reader<K> } = {
    thing: async ([thingName], forDeletion) => {
      const thing = await orMissing(iot.send(new DescribeThingCommand({ thingName })));
      if (!thing) return null;
      return {
        thingTypeName: thing.thingTypeName ?? null,
        attributes: attributesOf(thing.attributes),
        principals: await ifDeleting(forDeletion, () => thingPrincipals(thingName)),
      };
    },
    thingType: async ([thingTypeName], forDeletion) => {
      const type = await orMissing(iot.send(new DescribeThingTypeCommand({ thingTypeName })));
      if (!type) return null;
      const things = await ifDeleting(forDeletion, () =>
        allPages(
          (nextToken) => iot.send(new ListThingsCommand({ thingTypeName, ...(nextToken ? { nextToken } : {}) })),
          (page) => page.things?.map((thing) => thing.thingName ?? ""),
          (page) => page.nextToken,
        ),
      );
      return {
        isDeprecated: type.thingTypeMetadata?.deprecated === true,
        description: type.thingTypeProperties?.thingTypeDescription ?? null,
        things,
      };
    },
    thingGroup: async ([thingGroupName], forDeletion) => {
      const group = await orMissing(iot.send(new DescribeThingGroupCommand({ thingGroupName })));
      if (!group) return null;
      return {
        parentGroupName: group.thingGroupMetadata?.parentGroupName ?? null,
        description: group.thingGroupProperties?.thingGroupDescription ?? null,
        attributes: attributesOf(group.thingGroupProperties?.attributePayload?.attributes),
        children: await ifDeleting(forDeletion, () =>
          allPages(
            (nextToken) => iot.send(new ListThingGroupsCommand({ parentGroup: thingGroupName, ...(nextToken ? { nextToken } : {}) })),
            (page) => page.thingGroups?.map((child) => child.groupName ?? ""),
            (page) => page.nextToken,
          ),
        ),
      };
    },
    thingGroupMembership: async ([thingGroupName, thingName]) => {
      const groups = await orMissing(
        allPages(
          (nextToken) => iot.send(new ListThingGroupsForThingCommand({ thingName: thingName ?? "", ...(nextToken ? { nextToken } : {}) })),
          (page) => page.thingGroups?.map((group) => group.groupName),
          (page) => page.nextToken,
        ),
      );
      return { member: groups?.includes(thingGroupName) ?? false };
    },
    thingGroupHierarchy: async () => null,
    thingTypeAssociation: async ([thingName]) => {
      const thing = await orMissing(iot.send(new DescribeThingCommand({ thingName })));
      return thing ? { thingTypeName: thing.thingTypeName ?? null } : null;
    },
    shadow: async ([thingName, shadowName]) => {
      const client = await dataClientFor();
      const shadow = await orMissing(client.send(new GetThingShadowCommand({ thingName, ...(shadowName ? { shadowName } : {}) })));
      if (!shadow?.payload) return null;
      const document: unknown = JSON.parse(new TextDecoder().decode(shadow.payload));
      const state = isObject(document) && isObject(document.state) ? document.state : {};
      return { desired: isObject(state.desired) ? state.desired : {}, reported: isObject(state.reported) ? state.reported : {} };
    },
    certificate: async ([certificateId], forDeletion) => {
      const described = await describeCertificate(certificateId);
      const arn = described?.certificateDescription?.certificateArn;
      if (!arn) return null;
      const things = await ifDeleting(forDeletion, () =>
        allPages(
          (nextToken) => iot.send(new ListPrincipalThingsCommand({ principal: arn, ...(nextToken ? { nextToken } : {}) })),
          (page) => page.things,
          (page) => page.nextToken,
        ),
      );
      return {
        certificateArn: arn,
        status: described.certificateDescription?.status ?? "INACTIVE",
        things,
        policies: await ifDeleting(forDeletion, () => attachedPolicies(arn)),
      };
    },
    policy: async ([policyName], forDeletion) => {
      const policy = await orMissing(iot.send(new GetPolicyCommand({ policyName })));
      if (!policy) {
        known.forget(policyKey(policyName));
        return null;
      }
      known.remember(policyKey(policyName), policyName);
      const { policyVersions } = await iot.send(new ListPolicyVersionsCommand({ policyName }));
      const targets = await ifDeleting(forDeletion, () =>
        allPages(
          (marker) => iot.send(new ListTargetsForPolicyCommand({ policyName, ...(marker ? { marker } : {}) })),
          (page) => page.targets,
          (page) => page.nextMarker,
        ),
      );
      return {
        defaultDocument: policy.policyDocument ?? "{}",
        versions: (policyVersions ?? []).map((version) => ({
          versionId: version.versionId ?? "",
          isDefault: version.isDefaultVersion === true,
          createdAt: version.createDate?.getTime() ?? 0,
        })),
        targets,
      };
    },
    policyPrincipal: async ([policyName, certificateId]) => {
      const arn = await certificateArn(certificateId ?? "");
      return { certificateArn: arn, attached: arn !== null && (await attachedPolicies(arn)).includes(policyName) };
    },
    thingPrincipal: async ([thingName, certificateId]) => {
      const arn = await certificateArn(certificateId ?? "");
      const principals = arn === null ? [] : ((await orMissing(thingPrincipals(thingName))) ?? []);
      return { certificateArn: arn, attached: arn !== null && principals.includes(arn) };
    },
  };

  const toDomainError = classifyAwsError("AWS IoT (secondary region)");
  return <K extends EntityType>(
    ref: EntityRef & { readonly entityType: K },
    forDeletion = false,
  ): ResultAsync<LiveStates[K], DependencyError> =>
    ResultAsync.fromPromise((readers[ref.entityType] as Reader<K>)(namesOf(ref), forDeletion), toDomainError);
};
