import type { DeliveryPoint, FaultInjector } from "./fault-injector";

/**
 * Delivers something the way an at-least-once, unordered channel would under the active faults:
 * once or twice, each copy held back 0..reorderMs. Copies without delay are delivered before this
 * resolves (so with no faults nothing changes: the caller still waits for the delivery); delayed
 * copies are delivered later in the background, and a failure then is reported to `onLateError`,
 * since nobody is waiting for it any more.
 */
export const deliverWithFaults = async (
  faults: FaultInjector | undefined,
  point: DeliveryPoint,
  deliver: () => Promise<void>,
  onLateError: (error: unknown) => void,
): Promise<void> => {
  if (!faults) return deliver();
  const copies = faults.shouldDuplicate(point) ? 2 : 1;
  const now: Promise<void>[] = [];
  for (let copy = 0; copy < copies; copy += 1) {
    const delay = faults.delayMs(point);
    if (delay === 0) now.push(deliver());
    else setTimeout(() => deliver().catch(onLateError), delay).unref();
  }
  await Promise.all(now);
};
