import { applySyncChange } from "../../src/domain/sync/apply-sync-change";
import { decideForward } from "../../src/domain/sync/forward-decision";
import { reassertLocalChange } from "../../src/domain/sync/reassert-local-change";
import { parseStreamChange } from "../../src/domain/sync/stream-change";
import type { SyncMessage } from "../../src/domain/sync/sync-message";
import { InMemorySyncSide, type SimulatedClock } from "./in-memory-sync-side";

/** One step of a two-way history: an application write on a side, a forwarder step, or a delivery. */
export type SyncStep =
  | {
      readonly op: "put" | "update" | "delete";
      readonly side: 0 | 1;
      readonly key: number;
      readonly value: number;
      readonly advanceMs: number;
    }
  | { readonly op: "forward"; readonly side: 0 | 1 }
  | { readonly op: "deliver"; readonly side: 0 | 1; readonly pick: number; readonly keepCopy: boolean };

/**
 * Two sides (`a` and `b`), each with its stack: a forwarder that reads its side's stream in order
 * (deciding, re-asserting local changes on its own side) and a writer that applies the other side's
 * queue to its table, here in any order and with duplicates (stronger than FIFO's per-item order).
 */
export class TwoWaySync {
  readonly clock: SimulatedClock = { now: 1_700_000_000_000 };
  readonly sides: readonly [InMemorySyncSide, InMemorySyncSide] = [
    new InMemorySyncSide("a", this.clock),
    new InMemorySyncSide("b", this.clock),
  ];
  private readonly read = [0, 0];
  readonly queues: [SyncMessage[], SyncMessage[]] = [[], []];
  forwarded = 0;
  localWrites = 0;

  async step(step: SyncStep): Promise<void> {
    if (step.op === "forward") return this.forward(step.side);
    if (step.op === "deliver") return this.deliver(step.side, step.pick, step.keepCopy);
    this.clock.now += step.advanceMs;
    const side = this.sides[step.side];
    const before = side.stream.length;
    if (step.op === "put") side.localPut(`k${step.key}`, step.value);
    else if (step.op === "update") side.localUpdate(`k${step.key}`, step.value);
    else side.localDelete(`k${step.key}`);
    this.localWrites += side.stream.length - before;
  }

  /** The forwarder of `index` handles its side's next stream record, if any. */
  async forward(index: 0 | 1): Promise<void> {
    const side = this.sides[index];
    const record = side.stream[this.read[index] ?? 0];
    if (record === undefined) return;
    this.read[index] = (this.read[index] ?? 0) + 1;
    const change = parseStreamChange(record)._unsafeUnwrap();
    const tombstone = (await side.tombstoneStore.newest(change.key))._unsafeUnwrap();
    const lastIssued = (await side.issuedStamps.last(change.key))._unsafeUnwrap();
    const options = {
      origin: side.name,
      twoWay: true,
      timeToLiveDeletions: "replicate" as const,
      projection: { include: [], exclude: [] },
    };
    const decision = decideForward(change, options, {
      ...(tombstone ? { tombstone } : {}),
      ...(lastIssued ? { lastIssued } : {}),
    })._unsafeUnwrap();
    if (decision.kind === "skip") return;
    if (decision.issued) (await side.issuedStamps.remember(change.key, decision.issued))._unsafeUnwrap();
    if (decision.reassert)
      (
        await reassertLocalChange(
          { table: side.ownTable, tombstones: side.tombstoneStore },
          decision.reassert.change,
          decision.reassert.imageStamp,
        )
      )._unsafeUnwrap();
    this.queues[index].push(decision.message);
    this.forwarded += 1;
  }

  /** The writer of `index`'s queue applies one pending message (any of them) to the other side. */
  async deliver(index: 0 | 1, pick: number, keepCopy: boolean): Promise<void> {
    const queue = this.queues[index];
    if (queue.length === 0) return;
    const at = pick % queue.length;
    const message = queue[at] as SyncMessage;
    const other = this.sides[index === 0 ? 1 : 0];
    const applied = await applySyncChange(message, { target: other.table, tombstones: other.tombstoneStore, twoWay: true });
    // A transient refusal (an unstamped local change there) leaves the message on the queue, as SQS would.
    if (applied.isErr() && applied.error.kind !== "DependencyUnavailable") throw new Error(applied.error.message);
    if (applied.isOk() && !keepCopy) queue.splice(at, 1);
  }

  /** Runs every forwarder and writer until nothing is left to do (a loop would never end: bounded by `limit`). */
  async drain(limit = 10_000): Promise<void> {
    for (let round = 0; round < limit; round += 1) {
      const pending =
        this.queues[0].length +
        this.queues[1].length +
        (this.sides[0].stream.length - (this.read[0] ?? 0)) +
        (this.sides[1].stream.length - (this.read[1] ?? 0));
      if (pending === 0) return;
      await this.forward(0);
      await this.forward(1);
      await this.deliver(0, 0, false);
      await this.deliver(1, 0, false);
    }
    throw new Error(`the sync did not settle in ${limit} rounds: a loop`);
  }
}
