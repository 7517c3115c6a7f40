import { regionalArn } from "../endpoint/partitions";

/** The kinds of IoT resource the local control plane names with an ARN. */
export type IotResourceKind = "thing" | "thinggroup" | "thingtype" | "policy" | "cert";

/**
 * Builds the ARN AWS IoT gives a resource, so clients that store or compare ARNs (policy targets,
 * principals, replica records) see exactly the shape the real service returns.
 */
export const iotArn = (region: string, kind: IotResourceKind, name: string): string => regionalArn(region, "iot", `${kind}/${name}`);

const ARN = /^arn:aws[a-z-]*:iot:([^:]*):([^:]*):([a-z]+)\/(.+)$/;

/** Splits an IoT ARN into resource kind and name; undefined for anything that is not one. */
export const parseIotArn = (arn: string): { readonly kind: string; readonly name: string } | undefined => {
  const match = ARN.exec(arn);
  return match ? { kind: match[3] as string, name: match[4] as string } : undefined;
};
