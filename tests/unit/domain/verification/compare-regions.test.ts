import { compareRegions, type RegionEntity } from "../../../../src/domain/verification/compare-regions";
import { rewriteRegionArns } from "../../../../src/domain/verification/normalize-fields";
import { renderVerifyReport } from "../../../../src/domain/verification/render-verify-report";

const thing = (name: string, fields: Record<string, unknown>, status: "ACTIVE" | "DELETED" = "ACTIVE"): RegionEntity => ({
  entityType: "thing",
  entityName: name,
  status,
  fields: status === "DELETED" ? {} : { ThingName: name, ...fields },
});

const policy = (document: string): RegionEntity => ({
  entityType: "policy",
  entityName: "DevicePolicy",
  status: "ACTIVE",
  fields: { PolicyName: "DevicePolicy", PolicyDocument: document, DefaultVersionId: "1" },
});

describe("compareRegions", () => {
  it("finds nothing when the secondary holds the same entities, whatever ids, versions and empty maps it has", () => {
    const report = compareRegions(
      "us-east-1",
      "us-west-2",
      [thing("a", { ThingId: "id-east", Version: 3, Attributes: { color: "red" }, ThingTypeName: null })],
      [thing("a", { ThingId: "id-west", Version: 1, Attributes: { color: "red" } })],
    );
    expect(report.drifts).toEqual([]);
    expect(report.compared).toBe(1);
    expect(report.kinds.find((kind) => kind.entityType === "thing")).toEqual({
      entityType: "thing",
      primary: 1,
      secondary: 1,
      missing: 0,
      extra: 0,
      differs: 0,
    });
  });

  it("treats a description cleared to an empty string as absent (AWS IoT cannot remove one)", () => {
    const group = (fields: Record<string, unknown>): RegionEntity => ({
      entityType: "thingGroup",
      entityName: "Kitchen",
      status: "ACTIVE",
      fields: { ThingGroupName: "Kitchen", ...fields },
    });
    expect(compareRegions("us-east-1", "us-west-2", [group({})], [group({ Description: "" })]).drifts).toEqual([]);
    expect(compareRegions("us-east-1", "us-west-2", [group({})], [group({ Description: "old" })]).drifts).toHaveLength(1);
  });

  it("reports missing, extra (deleted in the primary or never there) and field-level differences", () => {
    const report = compareRegions(
      "us-east-1",
      "us-west-2",
      [thing("missing", {}), thing("gone", {}, "DELETED"), thing("changed", { Attributes: { color: "red", size: "L" } })],
      [thing("gone", {}), thing("stray", {}), thing("changed", { Attributes: { color: "blue", size: "L" } })],
    );
    expect(report.drifts).toEqual([
      {
        entityType: "thing",
        entityName: "changed",
        drift: "differs",
        fields: [{ field: "Attributes.color", primary: "red", secondary: "blue" }],
      },
      { entityType: "thing", entityName: "gone", drift: "extra", deletedInPrimary: true },
      { entityType: "thing", entityName: "missing", drift: "missing" },
      { entityType: "thing", entityName: "stray", drift: "extra", deletedInPrimary: false },
    ]);
  });

  it("treats an entity deleted in both regions, or deleted in one and absent in the other, as in sync", () => {
    const report = compareRegions(
      "us-east-1",
      "us-west-2",
      [thing("x", {}, "DELETED"), thing("y", {}, "DELETED")],
      [thing("x", {}, "DELETED")],
    );
    expect([report.drifts, report.compared]).toEqual([[], 0]);
  });

  it("compares policy documents with the primary's ARNs rewritten to the secondary's region, whitespace and key order aside", () => {
    const east = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "iot:Connect", Resource: "arn:aws:iot:us-east-1:123456789012:client/*" }],
    });
    const west =
      '{"Statement":[{"Resource":"arn:aws:iot:us-west-2:123456789012:client/*","Action":"iot:Connect","Effect":"Allow"}],  "Version":"2012-10-17"}';
    expect(compareRegions("us-east-1", "us-west-2", [policy(east)], [policy(west)]).drifts).toEqual([]);
    const stale = compareRegions("us-east-1", "us-west-2", [policy(east)], [policy(east)]);
    expect(stale.drifts).toHaveLength(1);
    expect(stale.drifts[0]).toMatchObject({ drift: "differs", fields: [{ field: "PolicyDocument.Statement" }] });
  });

  it("rewrites only ARNs of the primary region, in any partition", () => {
    expect(rewriteRegionArns("arn:aws:iot:us-east-1:1:topic/us-east-1/x arn:aws-cn:iot:us-east-1:1:y", "us-east-1", "eu-west-1")).toBe(
      "arn:aws:iot:eu-west-1:1:topic/us-east-1/x arn:aws-cn:iot:eu-west-1:1:y",
    );
  });
});

describe("renderVerifyReport", () => {
  it("prints counts per kind, every drift with its fields, and one verdict line", () => {
    const report = compareRegions(
      "us-east-1",
      "us-west-2",
      [thing("changed", { Attributes: { color: "red" } }), thing("missing", {})],
      [thing("changed", { Attributes: {} })],
    );
    const lines = renderVerifyReport(report, "replica table T");
    expect(lines[0]).toBe("verify us-east-1 -> us-west-2 (replica table T)");
    expect(lines[1]).toMatch(/^kind\s+us-east-1\s+us-west-2\s+missing\s+extra\s+differs$/);
    expect(lines).toContain("  missing in us-west-2: thing#missing");
    expect(lines).toContain("  differs: thing#changed");
    expect(lines).toContain('      Attributes: {"color":"red"} in us-east-1, (absent) in us-west-2');
    expect(lines.at(-1)).toBe("DRIFT: 2 of 2 entities differ between us-east-1 and us-west-2");
    expect(renderVerifyReport(compareRegions("a-b-1", "a-b-2", [], []), "x").at(-1)).toBe(
      "IN SYNC: 0 entities match between a-b-1 and a-b-2",
    );
  });
});
