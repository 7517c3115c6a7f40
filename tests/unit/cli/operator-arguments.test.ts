import { parseDrillArguments } from "../../../src/cli/drill-arguments";
import { parseFailoverArguments } from "../../../src/cli/failover-arguments";
import { parseStatusArguments } from "../../../src/cli/status-arguments";
import { parseVerifyArguments } from "../../../src/cli/verify-arguments";

describe("the DR operator commands' arguments", () => {
  it("take their defaults", () => {
    expect(parseVerifyArguments(["--primary", "us-east-1", "--secondary", "us-west-2"])._unsafeUnwrap()).toEqual({
      primary: "us-east-1",
      secondary: "us-west-2",
      live: false,
      json: false,
      table: "IoTFleetRegistryReplica",
      endpointUrl: undefined,
    });
    expect(
      parseStatusArguments([
        "--primary",
        "us-east-1",
        "--secondary",
        "eu-west-1",
        "--dlq-url",
        "http://q/1",
        "--dlq-url",
        "http://q/2",
      ])._unsafeUnwrap(),
    ).toMatchObject({
      last: 1000,
      stack: "iot-fleet-replicator",
      dlqUrls: ["http://q/1", "http://q/2"],
    });
    expect(parseFailoverArguments(["--to", "us-west-2"])._unsafeUnwrap()).toMatchObject({
      execute: false,
      force: false,
      samconfig: "samconfig.toml",
    });
    expect(parseDrillArguments(["--devices", "20"])._unsafeUnwrap()).toEqual({
      devices: 20,
      primary: "us-east-1",
      secondary: "us-west-2",
      timeoutSeconds: 420,
      endpointUrl: undefined,
      json: false,
      sweepNow: true,
      stack: "iot-fleet-replicator",
    });
    expect(parseDrillArguments(["--devices", "1", "--no-sweep-now"])._unsafeUnwrap().sweepNow).toBe(false);
  });

  it.each([
    [parseVerifyArguments, ["--primary", "us-east-1"], "--secondary is required"],
    [
      parseVerifyArguments,
      ["--primary", "US-EAST-1", "--secondary", "us-west-2"],
      '--primary must be an AWS region name such as us-east-1, got "US-EAST-1"',
    ],
    [
      parseVerifyArguments,
      ["--primary", "us-east-1", "--secondary", "us-west-2", "--table", "a"],
      expect.stringMatching(/^--table must be 3 to 255/),
    ],
    [
      parseVerifyArguments,
      ["--primary", "us-east-1", "--secondary", "us-west-2", "--endpoint-url", "not a url"],
      expect.stringMatching(/^--endpoint-url must be a URL/),
    ],
    [
      parseVerifyArguments,
      ["--primary", "us-east-1", "--secondary", "us-west-2", "--repair"],
      expect.stringContaining("Unknown option '--repair'"),
    ],
    [
      parseStatusArguments,
      ["--primary", "us-east-1", "--secondary", "us-west-2", "--last", "0"],
      '--last must be a whole number from 1 to 1000000, got "0"',
    ],
    [
      parseStatusArguments,
      ["--primary", "us-east-1", "--secondary", "us-west-2", "--dlq-url", "queue"],
      '--dlq-url must be a queue URL, got "queue"',
    ],
    [parseFailoverArguments, [], "--to is required"],
    [parseFailoverArguments, ["--to", "us-west-2", "--health-url", "x"], '--health-url must be a URL, got "x"'],
    [parseDrillArguments, [], "--devices is required"],
    [parseDrillArguments, ["--devices", "20", "--secondary", "us-east-1"], "--primary and --secondary must differ, both are us-east-1"],
  ] as const)("refuses %j with one line naming the flag", (parse, argv, message) => {
    expect((parse as (argv: readonly string[]) => { _unsafeUnwrapErr(): unknown })(argv)._unsafeUnwrapErr()).toEqual(message);
  });
});
