import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { connect } from "node:net";
import { join } from "node:path";

const isListening = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });

let child: ChildProcessWithoutNullStreams | undefined;
afterAll(() => child?.kill("SIGKILL"));

test("Ctrl-C runs the graceful close (DynamoDB Local's own signal hook steps aside), then nothing is left listening", async () => {
  const tsx = join(__dirname, "..", "..", "..", "node_modules", ".bin", "tsx");
  const script = spawn(tsx, [join(__dirname, "..", "support", "graceful-close-script.ts")], { stdio: "pipe" });
  child = script;
  let output = "";
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
  };
  script.stdout.on("data", collect);
  script.stderr.on("data", collect);
  const port = await new Promise<number>((resolve, reject) => {
    script.stdout.on("data", () => {
      const ready = /ready (\d+)/.exec(output);
      if (ready) resolve(Number(ready[1]));
    });
    script.once("exit", () => reject(new Error(`exited before ready: ${output}`)));
  });
  expect(await isListening(port)).toBe(true);

  const exitCode = new Promise<number | null>((resolve) => script.once("exit", (code) => resolve(code)));
  script.kill("SIGINT");
  expect(await exitCode).toBe(0);
  expect(output).toContain("SIGINT: stopping the local cloud...");
  expect(output).toContain("closed gracefully");
  expect(await isListening(port)).toBe(false);
}, 60_000);
