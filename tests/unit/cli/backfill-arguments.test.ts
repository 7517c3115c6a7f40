import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseBackfillArguments } from "../../../src/cli/backfill-arguments";

describe("parseBackfillArguments", () => {
  it("reads the flags, with defaults for the rest", () => {
    expect(parseBackfillArguments(["--region", "eu-west-1", "--page-size", "25"], undefined)._unsafeUnwrap()).toEqual({
      region: "eu-west-1",
      table: "IoTFleetRegistryReplica",
      checkpointFile: ".backfill-eu-west-1.json",
      endpointUrl: undefined,
      pageSize: 25,
      tombstoneTtlDays: 30,
      shadows: false,
    });
  });

  it("lists shadows too with --shadows", () => {
    expect(parseBackfillArguments(["--region", "eu-west-1", "--shadows"], undefined)._unsafeUnwrap().shadows).toBe(true);
  });

  it("takes the region from AWS_REGION when no flag names one", () => {
    expect(parseBackfillArguments([], "us-west-2")._unsafeUnwrap().region).toBe("us-west-2");
  });

  it.each([
    [["--region", "us-east-1", "--page-size", "abc"], '--page-size must be a whole number from 1 to 250, got "abc"'],
    [["--region", "us-east-1", "--page-size", "0"], '--page-size must be a whole number from 1 to 250, got "0"'],
    [["--region", "us-east-1", "--page-size", "2.5"], '--page-size must be a whole number from 1 to 250, got "2.5"'],
    [["--region", "us-east-1", "--page-size", "251"], '--page-size must be a whole number from 1 to 250, got "251"'],
    [["--region", "us-east-1", "--tombstone-ttl-days=-1"], '--tombstone-ttl-days must be a whole number from 1 to 3650, got "-1"'],
    [[], "--region (or AWS_REGION) is required"],
  ])("refuses %j: %s", (argv, message) => {
    expect(parseBackfillArguments(argv, undefined)._unsafeUnwrapErr()).toBe(message);
  });

  it("names an unknown flag, and a flag without its value", () => {
    const unknown = parseBackfillArguments(["--region", "us-east-1", "--pagesize", "5"], undefined);
    expect(unknown._unsafeUnwrapErr()).toMatch(/^Unknown option '--pagesize'/);
    expect(parseBackfillArguments(["--region", "us-east-1", "--page-size"], undefined)._unsafeUnwrapErr()).toMatch(/--page-size/);
  });
});

describe("parseBackfillArguments: the bad-input corpus (tests/bad-input/backfill-arguments.json)", () => {
  const { cases } = JSON.parse(readFileSync(join(__dirname, "..", "..", "bad-input", "backfill-arguments.json"), "utf8")) as {
    cases: { name: string; argv: string[]; reason: string }[];
  };

  it.each(cases)("$name: refused, saying why", ({ argv, reason }) => {
    expect(parseBackfillArguments(argv, undefined)._unsafeUnwrapErr()).toMatch(new RegExp(reason));
  });
});
