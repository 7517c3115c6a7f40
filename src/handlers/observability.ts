import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { Tracer } from "@aws-lambda-powertools/tracer";
import type { Context } from "aws-lambda";

/**
 * Powertools for every handler, built once per cold start and configured by the template's
 * environment: the service name from POWERTOOLS_SERVICE_NAME (one per function), the log level from
 * POWERTOOLS_LOG_LEVEL, the metrics namespace from POWERTOOLS_METRICS_NAMESPACE. The tracer enables
 * itself only inside Lambda (AWS_EXECUTION_ENV set, not `sam local`): on the local cloud it stays
 * off, so the missing X-Ray daemon costs nothing and logs nothing.
 */
export const logger = new Logger();
export const metrics = new Metrics();
export const tracer = new Tracer();

/** An SDK client whose calls appear as subsegments of the invocation's trace. */
export const traced = <C extends object>(client: C): C => tracer.captureAWSv3Client(client);

/**
 * Wraps a handler as Powertools' middleware would, for a plain function: every log line carries the
 * request id and the cold-start flag, the invocation runs in its own `## handler` subsegment annotated
 * with ColdStart and Service, and the metrics it stored are published (as EMF) when it ends, whether
 * it returned or threw.
 */
export const instrumented =
  <E, R>(name: string, handler: (event: E, context: Context) => Promise<R>) =>
  async (event: E, context: Context): Promise<R> => {
    logger.addContext(context);
    logger.logEventIfEnabled(event);
    metrics.captureColdStartMetric();
    const segment = tracer.isTracingEnabled() ? tracer.getSegment() : undefined;
    const subsegment = segment?.addNewSubsegment(`## ${name}`);
    if (subsegment) tracer.setSegment(subsegment);
    tracer.annotateColdStart();
    tracer.addServiceNameAnnotation();
    try {
      const result = await handler(event, context);
      tracer.addResponseAsMetadata(result, name);
      return result;
    } catch (error) {
      tracer.addErrorAsMetadata(error as Error);
      throw error;
    } finally {
      subsegment?.close();
      if (segment) tracer.setSegment(segment);
      // A handler that threw before counting anything (an event of the wrong shape) has nothing to publish.
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    }
  };
