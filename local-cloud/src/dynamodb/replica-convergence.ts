import { type ItemImage, imageFingerprint, keyFingerprint } from "./item-fingerprint";
import type { ChangeRecord } from "./stream-reader";

/** When the replicator received a change: later poll cycle wins, then region name, then read order. */
interface ReceiveStamp {
  readonly cycle: number;
  readonly region: string;
  readonly order: number;
}

const isLater = (a: ReceiveStamp, b: ReceiveStamp): boolean =>
  a.cycle !== b.cycle ? a.cycle > b.cycle : a.region !== b.region ? a.region > b.region : a.order > b.order;

interface KeyState {
  readonly keys: ItemImage;
  winner?: { readonly image: ItemImage | undefined; readonly fingerprint: string; readonly stamp: ReceiveStamp };
  /** What each region holds as far as its stream and our own writes tell. */
  readonly observed: Map<string, string>;
  /** Fingerprints the replicator wrote to a region whose stream records have not come back yet. */
  readonly pending: Map<string, string[]>;
}

/** A write that brings one region's copy of one item to the winning image. */
export interface ReplicaWrite {
  readonly region: string;
  readonly keyFingerprint: string;
  readonly keys: ItemImage;
  /** The winning image; undefined means delete. */
  readonly image: ItemImage | undefined;
}

/**
 * Last-writer-wins convergence for one global table, state-based rather than event-replaying:
 * every genuine change competes to be the key's winner, and each region that does not hold the
 * winner gets it written. Changes the replicator caused itself come back through the target's
 * stream; they match a pending fingerprint, are recognised as echoes and never compete, which is
 * what stops loops without adding any `aws:rep:*` attribute to items.
 */
export class ReplicaConvergence {
  private readonly keys = new Map<string, KeyState>();
  private readonly dirty = new Set<string>();
  private order = 0;

  /** Takes one change read from `region`'s stream during poll cycle `cycle`. */
  observe(region: string, change: ChangeRecord, cycle: number): void {
    const keyId = keyFingerprint(change.keys);
    const state = this.stateOf(keyId, change.keys);
    const fingerprint = imageFingerprint(change.newImage);
    state.observed.set(region, fingerprint);
    this.dirty.add(keyId);
    const pending = state.pending.get(region);
    const echoAt = pending?.indexOf(fingerprint) ?? -1;
    if (pending && echoAt >= 0) {
      pending.splice(echoAt, 1);
      if (pending.length === 0) state.pending.delete(region);
      return;
    }
    this.order += 1;
    const stamp = { cycle, region, order: this.order };
    if (!state.winner || isLater(stamp, state.winner.stamp)) state.winner = { image: change.newImage, fingerprint, stamp };
  }

  /**
   * The writes that bring every region to each changed key's winner. A region is skipped when, after
   * its stream was drained, it holds the winner already.
   */
  plan(regions: readonly string[]): ReplicaWrite[] {
    const writes: ReplicaWrite[] = [];
    for (const keyId of this.dirty) {
      const state = this.keys.get(keyId);
      const winner = state?.winner;
      if (!state || !winner) continue;
      for (const region of regions) {
        if (state.observed.get(region) === winner.fingerprint) continue;
        writes.push({ region, keyFingerprint: keyId, keys: state.keys, image: winner.image });
      }
    }
    this.dirty.clear();
    return writes;
  }

  /**
   * Notes a write the replicator made. `changed` is false when the region already held that image:
   * DynamoDB emits no stream record for such a write, so no echo is awaited.
   */
  recordWrite(region: string, keys: ItemImage, image: ItemImage | undefined, changed: boolean): void {
    const keyId = keyFingerprint(keys);
    const state = this.stateOf(keyId, keys);
    const fingerprint = imageFingerprint(image);
    state.observed.set(region, fingerprint);
    if (!changed) return;
    const pending = state.pending.get(region);
    if (pending) pending.push(fingerprint);
    else state.pending.set(region, [fingerprint]);
  }

  /** Asks for the key to be planned again (after a write to it failed). */
  retry(keyId: string): void {
    this.dirty.add(keyId);
  }

  /** Drops what is known about a region that left the global table. */
  forgetRegion(region: string): void {
    for (const state of this.keys.values()) {
      state.observed.delete(region);
      state.pending.delete(region);
    }
  }

  /** Number of replicator writes whose stream records have not been seen yet. */
  pendingEchoes(): number {
    let count = 0;
    for (const state of this.keys.values()) for (const pending of state.pending.values()) count += pending.length;
    return count;
  }

  private stateOf(keyId: string, keys: ItemImage): KeyState {
    let state = this.keys.get(keyId);
    if (!state) {
      state = { keys, observed: new Map(), pending: new Map() };
      this.keys.set(keyId, state);
    }
    return state;
  }
}
