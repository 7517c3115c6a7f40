import { randomUUID } from "node:crypto";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { LambdaFunctionURLResult } from "aws-lambda";
import { iotDataClientProvider } from "../adapters/iot-data-client-provider";
import { createIotDataProbeShadow } from "../adapters/iot-data-probe-shadow";
import { checkDataPlaneHealth } from "../domain/health/data-plane-health";
import { optionalEnv, requireEnv } from "./environment";
import { instrumented, logger, metrics, traced } from "./observability";

// Composition root: configuration and clients are built once per cold start.
const region = requireEnv("AWS_REGION");
const endpoints = { awsEndpointUrl: optionalEnv("AWS_ENDPOINT_URL"), iotDataEndpoint: optionalEnv("IOT_DATA_ENDPOINT") };
const probe = createIotDataProbeShadow(iotDataClientProvider(endpoints, traced));

/**
 * The region's health, behind a Lambda function URL (payload format 2.0) that Route 53 health checks
 * call: 200 when a probe round-trips through this region's IoT data plane, 503 with what failed
 * otherwise. The body is JSON either way, and never cached. Any request path or method gets the same
 * answer: Route 53 sends GET (or HEAD, which Lambda answers without a body).
 */
export const handler = instrumented("health-check", async (): Promise<LambdaFunctionURLResult> => {
  const report = await checkDataPlaneHealth(probe, region, randomUUID(), Date.now);
  metrics.addMetric(report.healthy ? "HealthCheckPassed" : "HealthCheckFailed", MetricUnit.Count, 1);
  if (!report.healthy) logger.warn("health check failed", { failure: report.failure, steps: report.steps });
  return {
    statusCode: report.healthy ? 200 : 503,
    headers: { "content-type": "application/json", "cache-control": "no-store" },
    body: JSON.stringify(report),
  };
});
