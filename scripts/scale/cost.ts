import type { ScaleInputs } from "./inputs";
import { readUnits, type SizeModel, writeUnits } from "./model";

/**
 * Monthly cost at list prices of the whole deployment (the primary and N - 1 secondaries) in steady
 * state, per component; and what the public sample's Step Functions apply would cost for the same
 * primary changes. Pure arithmetic over a SizeModel.
 */

export interface MonthlyCost {
  readonly components: readonly { readonly name: string; readonly dollars: number }[];
  readonly total: number;
}

const perMillion = (count: number, price: number): number => (count / 1e6) * price;

const billedCalls = (inputs: ScaleInputs, calls: Readonly<Record<string, number>>): number =>
  Object.entries(calls)
    .filter(([api]) => inputs.billedIotOperations.has(api))
    .reduce((sum, [, count]) => sum + count, 0);

export const monthlyCostOf = (inputs: ScaleInputs, model: SizeModel): MonthlyCost => {
  const { prices } = inputs;
  const month = inputs.monthSeconds;
  const regions = inputs.fleet.regions;
  const secondaries = regions - 1;
  const { capture, table, sweep, applier } = model;
  const sweepPasses = sweep.passesPerMonth * regions;
  const sweepSeconds = Math.min(sweep.passSeconds * sweep.passesPerMonth, month) * regions;
  const lambdaGbSeconds =
    (capture.gbSeconds * regions + applier.gbSeconds * secondaries) * month + (sweepSeconds * inputs.capture.memoryMb) / 1024;
  const lambdaRequests = (capture.invocations * regions + applier.invocations * secondaries) * month;
  // The sweep writes every listed record (a failed condition costs its units too); rewritten ones replicate.
  const sweepWriteUnits = sweep.recordsWrittenPerPass * writeUnits(inputs) * sweepPasses;
  const sweepReplicated = sweep.recordsRewrittenPerPass * writeUnits(inputs) * sweepPasses * secondaries;
  const components = [
    {
      name: "IoT rules engine (rules triggered + actions)",
      dollars:
        perMillion(capture.ruleTriggers * regions * month, prices.iotRuleTriggeredPerMillion) +
        perMillion(capture.ruleActions * regions * month, prices.iotRuleActionPerMillion),
    },
    { name: "IoT registry event messages", dollars: perMillion(capture.registryMessages * regions * month, prices.iotMessagePerMillion) },
    {
      name: "IoT registry and shadow operations (applier, sweep)",
      dollars: perMillion(
        (billedCalls(inputs, applier.liveCalls) + billedCalls(inputs, applier.reapplyCalls)) * secondaries * month +
          billedCalls(inputs, sweep.callsPerPass) * sweepPasses,
        prices.iotRegistryOrShadowOperationPerMillion,
      ),
    },
    { name: "SQS (capture queue)", dollars: perMillion(capture.sqsRequests * regions * month, prices.sqsStandardPerMillion) },
    {
      name: "Lambda (capture, applier, sweep; arm64)",
      dollars: lambdaGbSeconds * prices.lambdaArmGbSecond + perMillion(lambdaRequests, prices.lambdaRequestPerMillion),
    },
    {
      name: "DynamoDB writes (captures, sweep)",
      dollars: perMillion(table.writeUnits * month + sweepWriteUnits, prices.dynamoDbWriteRequestUnitPerMillion),
    },
    {
      name: "DynamoDB writes (API budget table, per paced call)",
      dollars: perMillion(applier.budgetTableWrites * secondaries * month, prices.dynamoDbWriteRequestUnitPerMillion),
    },
    {
      name: "DynamoDB replicated writes (global table)",
      dollars: perMillion(table.replicatedWriteUnits * month + sweepReplicated, prices.dynamoDbReplicatedWriteUnitPerMillion),
    },
    {
      name: "DynamoDB reads (applier GetItem)",
      dollars: perMillion(applier.readUnits * secondaries * month, prices.dynamoDbReadRequestUnitPerMillion),
    },
    { name: "DynamoDB storage (all replicas)", dollars: table.storageGbPerRegion * regions * prices.dynamoDbStorageGbMonth },
    {
      name: "CloudWatch Logs (logs + EMF)",
      dollars:
        (((capture.logBytes * regions + applier.changesApplied * inputs.capture.logBytesPerEvent * secondaries) * month) / 1024 ** 3) *
        prices.logsIngestionPerGb,
    },
  ];
  return { components, total: components.reduce((sum, component) => sum + component.dollars, 0) };
};

/** Our applier's cost per month for the live changes only (Lambda, GetItem, budget table), in all secondaries. */
export const liveApplyCostOf = (inputs: ScaleInputs, model: SizeModel): number => {
  const { prices, apply } = inputs;
  const changes = model.rates.total * inputs.monthSeconds * (inputs.fleet.regions - 1);
  const pacedCalls =
    [...Object.values(apply.iotCallsPerRegistryChange)].reduce((sum, calls) => sum + calls, 0) * model.rates.registry +
    [...Object.values(apply.iotCallsPerShadowChange)].reduce((sum, calls) => sum + calls, 0) * model.rates.shadow;
  const budgetWrites =
    pacedCalls * inputs.perBootstrappedDevice.budgetTableRequestsPerPacedCall * inputs.monthSeconds * (inputs.fleet.regions - 1);
  return (
    ((changes * apply.lambdaMsPerChange) / 1000) * (inputs.capture.memoryMb / 1024) * prices.lambdaArmGbSecond +
    perMillion(changes / apply.batchSize, prices.lambdaRequestPerMillion) +
    perMillion(changes * apply.getItemsPerChange * readUnits(inputs), prices.dynamoDbReadRequestUnitPerMillion) +
    perMillion(budgetWrites, prices.dynamoDbWriteRequestUnitPerMillion)
  );
};

/** The public sample's apply of the same live changes: one Standard execution and two x86 invocations per record, per secondary. */
export interface SampleApplyCost {
  readonly transitions: number;
  readonly stepFunctions: number;
  readonly lambda: number;
  readonly total: number;
}

export const sampleApplyCostOf = (inputs: ScaleInputs, model: SizeModel): SampleApplyCost => {
  const { prices, stepFunctionsSample: sample } = inputs;
  const records = model.rates.total * inputs.monthSeconds * (inputs.fleet.regions - 1);
  const transitions = records * sample.transitionsPerEvent;
  const invocations = records * sample.lambdaInvocationsPerEvent;
  const stepFunctions = (transitions / 1000) * prices.stepFunctionsStandardPerThousandTransitions;
  const lambda =
    ((invocations * sample.lambdaMsPerInvocation) / 1000) * (inputs.capture.memoryMb / 1024) * prices.lambdaX86GbSecond +
    perMillion(invocations, prices.lambdaRequestPerMillion);
  return { transitions, stepFunctions, lambda, total: stepFunctions + lambda };
};

/**
 * What bootstrapping one new secondary costs, once: the IoT operations of the snapshot (primary) and
 * of the applier (secondary), the snapshot's writes into the replica (replicated to the other
 * regions), the applier's GetItems, budget-table requests and function time. The new secondary's own
 * captures of what the applier creates are left out.
 */
export const bootstrapCostOf = (inputs: ScaleInputs, model: SizeModel): number => {
  const { prices } = inputs;
  const device = inputs.perBootstrappedDevice;
  const things = model.fleet.things;
  const records = things * inputs.fleet.recordsPerThing;
  const pacedCalls = Object.values(model.bootstrap.applyCalls).reduce((sum, calls) => sum + calls, 0);
  return (
    perMillion(
      billedCalls(inputs, model.bootstrap.applyCalls) + billedCalls(inputs, model.bootstrap.snapshotCalls),
      prices.iotRegistryOrShadowOperationPerMillion,
    ) +
    perMillion(records * writeUnits(inputs), prices.dynamoDbWriteRequestUnitPerMillion) +
    perMillion(records * writeUnits(inputs) * (inputs.fleet.regions - 1), prices.dynamoDbReplicatedWriteUnitPerMillion) +
    perMillion(things * device.getItems * readUnits(inputs), prices.dynamoDbReadRequestUnitPerMillion) +
    perMillion(pacedCalls * device.budgetTableRequestsPerPacedCall, prices.dynamoDbWriteRequestUnitPerMillion) +
    ((things * device.applierLambdaMs) / 1000) * (inputs.capture.memoryMb / 1024) * prices.lambdaArmGbSecond
  );
};
