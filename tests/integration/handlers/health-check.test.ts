import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GetThingShadowCommand } from "@aws-sdk/client-iot-data-plane";
import { useLocalAws, useTemplateFunction } from "local-cloud/testing";
import { healthCheckEnvironment } from "../../support/function-environments";

const NO_FAULTS = { seed: 1, duplicate: 0, reorderMs: 0, throttle: [], crash: 0, unavailable: [] };
const aws = useLocalAws(["us-east-1"]);
const health = useTemplateFunction("HealthCheckFunction");
const request = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "events", "health-check-request.json"), "utf8")) as unknown;

interface Answer {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const check = async (): Promise<{ status: number; report: Record<string, unknown> & { steps: { step: string; ok: boolean }[] } }> => {
  const fn = health.deploy("us-east-1", aws.local().url, healthCheckEnvironment());
  const outcome = await fn.invoke(request);
  if (!outcome.ok) throw new Error(`${outcome.error.name}: ${outcome.error.message}`);
  const answer = outcome.result as Answer;
  expect(answer.headers).toEqual({ "content-type": "application/json", "cache-control": "no-store" });
  return { status: answer.statusCode, report: JSON.parse(answer.body) };
};

afterEach(() => aws.local().faults.apply(NO_FAULTS, Date.now()));

describe("the health check (a function URL behind Route 53)", () => {
  it("answers 200 when its probe round-trips through the region's IoT data plane", async () => {
    const { status, report } = await check();
    expect(status).toBe(200);
    expect(report).toMatchObject({ healthy: true, region: "us-east-1" });
    expect(report.steps.map(({ step, ok }) => ({ step, ok }))).toEqual([
      { step: "write", ok: true },
      { step: "read", ok: true },
    ]);
    // The probe is a named shadow of the reserved thing, written through the data plane.
    const shadow = await aws
      .iotData("us-east-1")
      .send(new GetThingShadowCommand({ thingName: "iot-fleet-replicator-health-probe", shadowName: "probe" }));
    expect(JSON.parse(new TextDecoder().decode(shadow.payload))).toMatchObject({ state: { reported: { probe: expect.any(String) } } });
  });

  it("answers 503 naming the step that failed when the data plane refuses it", async () => {
    aws
      .local()
      .faults.apply({ ...NO_FAULTS, throttle: [{ service: "iotdata", region: "us-east-1", operation: "*", probability: 1 }] }, Date.now());
    const { status, report } = await check();
    expect(status).toBe(503);
    expect(report).toMatchObject({ healthy: false, region: "us-east-1" });
    expect(String(report["failure"])).toMatch(/^probe shadow write failed: DependencyUnavailable: .*Throttl/);
    expect(report.steps.map(({ step, ok }) => ({ step, ok }))).toEqual([{ step: "write", ok: false }]);
  });
});
