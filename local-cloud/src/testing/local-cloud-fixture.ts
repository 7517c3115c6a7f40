import { type LocalCloud, type LocalCloudOptions, startLocalCloud } from "../local-cloud";
import { findProjectRoot } from "../project-root";

/**
 * The whole local cloud (template.yaml deployed into every samconfig region) for one test file, on free
 * ports; activity lines are kept for assertions and printed only when a test fails to explain itself.
 * `options` may start it with faults (`LOCAL_FAULTS`'s rules), a restartable DynamoDB Local, or
 * template parameters over samconfig.toml's (e.g. `{ LogLevel: "WARN" }`, or per region), a walkthrough's
 * pre-existing resources, a sink for the functions' output, or rate() schedules that fire `scheduleSpeedup` times as often.
 */
export const useLocalCloud = (
  options: Pick<
    LocalCloudOptions,
    | "faults"
    | "restartableDynamoDb"
    | "parameterOverrides"
    | "regionParameterOverrides"
    | "walkthrough"
    | "functionOutput"
    | "scheduleSpeedup"
  > = {},
) => {
  let cloud: LocalCloud | undefined;
  const activity: string[] = [];
  beforeAll(async () => {
    cloud = await startLocalCloud({
      projectRoot: findProjectRoot(),
      port: 0,
      mqttBasePort: 0,
      log: (line) => activity.push(line),
      ...options,
    });
  }, 120_000);
  afterAll(async () => {
    await cloud?.close();
  }, 60_000);
  return {
    cloud: (): LocalCloud => {
      if (!cloud) throw new Error("the local cloud is not started yet (use it inside a test or hook)");
      return cloud;
    },
    activity,
  };
};

/** Polls until `probe` returns a value that satisfies `done`; fails with the last value after `timeoutMs`. */
export const eventually = async <T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await probe();
  }
  return last;
};
