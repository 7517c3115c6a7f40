/**
 * The IoT calls an applier can make in the secondary region, as data: the plan of an entity is a list
 * of these, and the IoT adapter turns each into its one SDK command. Certificates and policy targets
 * are named by their ARN in the secondary (the live state gives it), never by the primary's.
 */
type Attributes = Readonly<Record<string, string>>;
type Json = Readonly<Record<string, unknown>>;

export type IotOperation =
  | { readonly call: "CreateThing"; readonly thingName: string; readonly thingTypeName: string | null; readonly attributes: Attributes }
  /** `attributes` are merged: an empty value removes that attribute (AWS's UpdateThing with merge). */
  | {
      readonly call: "UpdateThing";
      readonly thingName: string;
      readonly thingType?: { readonly set: string } | { readonly remove: true };
      readonly attributes?: Attributes;
    }
  | { readonly call: "DeleteThing"; readonly thingName: string }
  | {
      readonly call: "CreateThingType";
      readonly thingTypeName: string;
      readonly description: string | null;
      readonly searchableAttributes: readonly string[];
    }
  | { readonly call: "UpdateThingType"; readonly thingTypeName: string; readonly description: string | null }
  | { readonly call: "DeprecateThingType"; readonly thingTypeName: string; readonly undo: boolean }
  | { readonly call: "DeleteThingType"; readonly thingTypeName: string }
  | {
      readonly call: "CreateThingGroup";
      readonly thingGroupName: string;
      readonly parentGroupName: string | null;
      readonly description: string | null;
      readonly attributes: Attributes;
    }
  | {
      readonly call: "UpdateThingGroup";
      readonly thingGroupName: string;
      readonly description: string | null;
      /** Merged, as for UpdateThing: an empty value removes that attribute. */
      readonly attributes: Attributes;
    }
  | { readonly call: "DeleteThingGroup"; readonly thingGroupName: string }
  | { readonly call: "AddThingToThingGroup"; readonly thingGroupName: string; readonly thingName: string }
  | { readonly call: "RemoveThingFromThingGroup"; readonly thingGroupName: string; readonly thingName: string }
  | { readonly call: "RegisterCertificateWithoutCA"; readonly certificatePem: string; readonly status: "ACTIVE" | "INACTIVE" }
  | { readonly call: "UpdateCertificate"; readonly certificateId: string; readonly newStatus: string }
  | { readonly call: "DeleteCertificate"; readonly certificateId: string }
  | { readonly call: "CreatePolicy"; readonly policyName: string; readonly policyDocument: string }
  | { readonly call: "CreatePolicyVersion"; readonly policyName: string; readonly policyDocument: string }
  | { readonly call: "DeletePolicyVersion"; readonly policyName: string; readonly policyVersionId: string }
  | { readonly call: "DeletePolicy"; readonly policyName: string }
  | { readonly call: "AttachPolicy"; readonly policyName: string; readonly target: string }
  | { readonly call: "DetachPolicy"; readonly policyName: string; readonly target: string }
  | { readonly call: "AttachThingPrincipal"; readonly thingName: string; readonly principal: string }
  | { readonly call: "DetachThingPrincipal"; readonly thingName: string; readonly principal: string }
  /** A shadow update document's `state`: `null` values delete keys, as AWS IoT's merge does. */
  | {
      readonly call: "UpdateThingShadow";
      readonly thingName: string;
      readonly shadowName: string | null;
      readonly state: { readonly desired?: Json | null; readonly reported?: Json | null };
    }
  | { readonly call: "DeleteThingShadow"; readonly thingName: string; readonly shadowName: string | null };

/**
 * Calls that AWS refuses while another change is still under way (a thing type deprecated less than
 * five minutes ago, a group whose children are not deleted yet, a certificate still in use): such a
 * refusal defers the entity to the redrive instead of dead-lettering it for good.
 */
export const DEFERRABLE_CALLS: ReadonlySet<IotOperation["call"]> = new Set(["DeleteThingType", "DeleteThingGroup", "DeleteCertificate"]);
