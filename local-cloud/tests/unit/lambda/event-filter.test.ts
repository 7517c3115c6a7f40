import { passesFilters } from "../../../src/lambda/event-filter";

const record = (newImage: Record<string, unknown>) => ({ eventName: "MODIFY", dynamodb: { NewImage: newImage } });

describe("Lambda event filtering (FilterCriteria)", () => {
  const primaryWithoutBulkLoad = [
    {
      eventName: ["INSERT", "MODIFY"],
      dynamodb: { NewImage: { AWSRegion: { S: ["us-east-1"] }, BulkLoadId: { S: [{ exists: false }] } } },
    },
  ];

  it("matches `exists: false` under an object the record does not have, as AWS does for a missing attribute", () => {
    expect(passesFilters(primaryWithoutBulkLoad, record({ AWSRegion: { S: "us-east-1" } }))).toBe(true);
  });

  it("refuses the record that has the attribute, and one that fails another field", () => {
    expect(passesFilters(primaryWithoutBulkLoad, record({ AWSRegion: { S: "us-east-1" }, BulkLoadId: { S: "bootstrap" } }))).toBe(false);
    expect(passesFilters(primaryWithoutBulkLoad, record({ AWSRegion: { S: "eu-west-1" } }))).toBe(false);
  });

  it("still needs an object to be there for any other matcher under it", () => {
    expect(passesFilters([{ dynamodb: { NewImage: { AWSRegion: { S: ["us-east-1"] } } } }], { dynamodb: {} })).toBe(false);
    expect(passesFilters([{ dynamodb: { NewImage: { Tag: { S: [{ exists: true }] } } } }], record({}))).toBe(false);
  });
});
