import { join } from "node:path";
import { killStartedCommands, runCommand, TSX } from "../support/command-process";

afterAll(killStartedCommands);

const INVOKE = join(__dirname, "..", "..", "src", "invoke.ts");
const USAGE = "usage: npm run invoke -- <FunctionLogicalId> events/<file>.json [--region us-east-1]";

const invoke = async (args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; output: string }> => {
  const command = runCommand(TSX, [INVOKE, ...args], env);
  const code = await command.exited;
  return { code, output: command.output() };
};

test.each([
  [["MessageApiFunction", "events/message-api-query.json", "--bogus"], "error: Unknown option '--bogus'"],
  [["MessageApiFunction", "events/no-such-event.json"], "error: event file events/no-such-event.json not found"],
  [["MessageApiFunction", "template.yaml"], "error: event file template.yaml is not JSON: "],
  [["MessageApiFunction"], "error: a function's logical id and an event file are both needed"],
])(
  "%j: one line saying what is wrong, then the usage; exit code 2, nothing started",
  async (args, message) => {
    const { code, output } = await invoke(args, { LOCAL_AWS_PORT: "1" });
    expect(code).toBe(2);
    const lines = output.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]?.startsWith(message)).toBe(true);
    expect(lines[1]).toBe(USAGE);
  },
  30_000,
);

test("against `npm run local:endpoint`: one line saying nothing is deployed there and to run npm start", async () => {
  const endpoint = runCommand(TSX, [join(__dirname, "..", "..", "src", "serve-endpoint.ts")], {
    LOCAL_AWS_PORT: "0",
    LOCAL_MQTT_PORT: "0",
    LOCAL_MQTTS_PORT: "0",
  });
  try {
    const port = (await endpoint.waitFor(/ready in \d+ ms: http:\/\/127\.0\.0\.1:(\d+)/))[1] as string;
    await endpoint.waitFor(/try: aws/);
    const { code, output } = await invoke(["MessageApiFunction", "events/message-api-query.json"], { LOCAL_AWS_PORT: port });
    expect(code).toBe(1);
    expect(output).toMatch(
      /^error: invoke failed \(HTTP 404\) ResourceNotFoundException: Function not found: MessageApiFunction in us-east-1: nothing is deployed on this endpoint .*run `npm start`/m,
    );
    expect(output).not.toMatch(/^\s+at /m);
  } finally {
    endpoint.child.kill("SIGTERM");
    await endpoint.exited;
  }
}, 90_000);
