import { err, errAsync, ok, okAsync, type Result } from "neverthrow";
import type { RegistrySnapshotReader, ReplicaStore, SnapshotPage } from "../../../../src/domain/registry/registry-ports";
import { type ReplicaRecord, type SnapshotItem, snapshotToRecord, toReplicaRecord } from "../../../../src/domain/registry/replica-record";
import { isGoneAfterPass, planTombstones, sweepTombstone, sweptKinds } from "../../../../src/domain/registry/sweep-plan";
import type { ActiveRecordSource, SweepCheckpoint, SweepCheckpointStore } from "../../../../src/domain/registry/sweep-ports";
import { sweepRegistry } from "../../../../src/domain/registry/sweep-registry";
import { DependencyUnavailable, type DomainError, InvalidEvent } from "../../../../src/domain/shared/errors";
import { InMemoryReplica } from "../../../support/in-memory-replica";

const REGION = "us-east-1";
const context = (now: number) => ({ sourceRegion: REGION, now, tombstoneTtlSeconds: 86_400 });
const CERT_A = "a".repeat(64);
const CERT_B = "b".repeat(64);

const certificate = (certificateId: string): SnapshotItem => ({
  entityType: "certificate",
  state: { certificateId, certificatePem: "-----BEGIN CERTIFICATE-----", status: "ACTIVE" },
});
const attachment = (policyName: string, certificateId: string): SnapshotItem => ({
  entityType: "policyPrincipal",
  state: { policyName, certificateId },
});
const snapshot = (item: SnapshotItem, at: number): ReplicaRecord => snapshotToRecord(item, at, context(at))._unsafeUnwrap();

describe("the tombstone decision (sweep-plan)", () => {
  const pass = { passStartedAt: 1_000, rejectedKeys: new Set<string>() };

  it("tombstones an ACTIVE snapshot record stamped before the pass", () => {
    expect(isGoneAfterPass(snapshot(certificate(CERT_A), 500), pass)).toBe(true);
  });

  it("keeps what the pass listed (stamped with its start) and what a later backfill listed", () => {
    expect(isGoneAfterPass(snapshot(certificate(CERT_A), 1_000), pass)).toBe(false);
    expect(isGoneAfterPass(snapshot(certificate(CERT_A), 1_500), pass)).toBe(false);
  });

  it("keeps a record a live event wrote: a snapshot tombstone could never replace it (ordering rule 1)", () => {
    const live = toReplicaRecord(
      {
        entityType: "thing",
        eventId: "e-1",
        timestamp: 10,
        operation: "CREATED",
        state: { thingName: "bulb", thingId: "id-1", thingTypeName: null, attributes: {}, version: 1 },
      },
      context(10),
    )._unsafeUnwrap();
    expect(isGoneAfterPass(live, pass)).toBe(false);
  });

  it("keeps a record the pass listed but could not store, and a tombstone already written", () => {
    const record = snapshot(certificate(CERT_A), 500);
    expect(isGoneAfterPass(record, { ...pass, rejectedKeys: new Set([`certificate#${CERT_A}`]) })).toBe(false);
    expect(isGoneAfterPass(sweepTombstone(record, 700, context(700)), pass)).toBe(false);
  });

  it("stamps the tombstone below the pass's own listing and above every earlier snapshot", () => {
    const replica = new InMemoryReplica();
    replica.apply(snapshot(certificate(CERT_A), 500));
    const tombstone = sweepTombstone(snapshot(certificate(CERT_A), 500), 1_000, context(2_000));
    expect(tombstone).toMatchObject({ status: "DELETED", fields: {}, expiresAt: 2 + 86_400 });
    expect(replica.apply(tombstone)).toBe("applied");
    const relisted = new InMemoryReplica();
    relisted.apply(snapshot(certificate(CERT_A), 1_000));
    expect(relisted.apply(tombstone)).toBe("stale");
  });

  it("plans tombstones only among this region's records", () => {
    const other = { ...snapshot(certificate(CERT_B), 500), sourceRegion: "eu-west-1" };
    const planned = planTombstones([snapshot(certificate(CERT_A), 500), other], pass, context(2_000));
    expect(planned.map((record) => record.entityName)).toEqual([CERT_A]);
  });

  it("sweeps shadows only when it lists them", () => {
    expect(sweptKinds(false)).not.toContain("shadow");
    expect(sweptKinds(true)).toContain("shadow");
  });
});

/** A listing of fixed pages (token = page index); `calls` counts the pages read. */
const listing = (pages: readonly SnapshotPage["items"][]) => {
  const calls: number[] = [];
  const reader: RegistrySnapshotReader = {
    readPage: (token) => {
      const index = token === undefined ? 0 : Number(token);
      const items = pages[index];
      if (items === undefined) return errAsync(new InvalidEvent(`${JSON.stringify(token)} is not a resume token`, "resumeToken"));
      calls.push(index);
      return okAsync({ items, resumeToken: index + 1 < pages.length ? String(index + 1) : undefined });
    },
  };
  return { reader, calls };
};

/** The replica table and the checkpoint item, as the DynamoDB adapters keep them. */
const world = (failOn?: string) => {
  const replica = new InMemoryReplica();
  const store: ReplicaStore = {
    putIfNewer: (record) =>
      record.entityName === failOn
        ? errAsync(new DependencyUnavailable("table", "throttled"))
        : okAsync(replica.apply(record) === "applied" ? "stored" : "stale"),
  };
  const records: ActiveRecordSource = {
    activeRecords: (entityType, region) =>
      okAsync(
        [...replica.records.values()].filter((r) => r.entityType === entityType && r.sourceRegion === region && r.status === "ACTIVE"),
      ),
  };
  let saved: SweepCheckpoint | undefined;
  const lease = { holder: undefined as string | undefined, until: 0 };
  const checkpoints: SweepCheckpointStore = {
    claim: (holder, now, until) => {
      if (lease.holder !== undefined && lease.holder !== holder && lease.until >= now) return okAsync(false);
      Object.assign(lease, { holder, until });
      return okAsync(true);
    },
    release: (holder) => {
      if (lease.holder === holder) lease.holder = undefined;
      return okAsync(undefined);
    },
    load: () => okAsync(saved),
    save: (checkpoint) => {
      saved = checkpoint;
      return okAsync(undefined);
    },
    clear: () => {
      saved = undefined;
      return okAsync(undefined);
    },
  };
  return { replica, store, records, checkpoints, lease, checkpoint: () => saved };
};

/** One run of the sweep at `now`, which must find the lease free. */
const sweep = (w: ReturnType<typeof world>, reader: RegistrySnapshotReader, now: number, hasTimeLeft: () => boolean = () => true) =>
  sweepRegistry({
    reader,
    store: w.store,
    records: w.records,
    checkpoints: w.checkpoints,
    context: context(now),
    kinds: sweptKinds(false),
    hasTimeLeft,
    holder: `run-${now}`,
    leaseUntil: now + 120_000,
  }).map((run) => {
    if (!run.ran) throw new Error("the sweep found its lease held");
    return run;
  });

const statusOf = (w: ReturnType<typeof world>, key: string) => w.replica.byEntity(REGION).get(key)?.status;

describe("sweepRegistry", () => {
  it("lists into the replica, and the next complete pass tombstones what is gone", async () => {
    const w = world();
    const first = await sweep(
      w,
      listing([[ok(certificate(CERT_A)), ok(certificate(CERT_B))], [ok(attachment("p", CERT_A))]]).reader,
      1_000,
    );
    expect(first._unsafeUnwrap()).toMatchObject({ complete: true, pages: 2, listed: { stored: 3 }, tombstones: { stored: 0 } });
    expect(w.checkpoint()).toBeUndefined();

    const second = await sweep(w, listing([[ok(certificate(CERT_A))], []]).reader, 2_000);
    expect(second._unsafeUnwrap()).toMatchObject({ complete: true, listed: { stored: 1 }, tombstones: { stored: 2 } });
    expect(statusOf(w, `certificate#${CERT_A}`)).toBe("ACTIVE");
    expect(statusOf(w, `certificate#${CERT_B}`)).toBe("DELETED");
    expect(statusOf(w, `policyPrincipal#p#${CERT_A}`)).toBe("DELETED");
  });

  it("stops when the time is up and the next invocation resumes the same pass where it stopped", async () => {
    const w = world();
    const pages = [[ok(certificate(CERT_A))], [ok(certificate(CERT_B))], [ok(attachment("p", CERT_B))]];
    const first = listing(pages);
    const stopped = await sweep(w, first.reader, 1_000, () => false);
    expect(stopped._unsafeUnwrap()).toMatchObject({ complete: false, resumed: false, pages: 1 });
    expect(w.checkpoint()).toEqual({ passStartedAt: 1_000, resumeToken: "1", listed: false, rejectedKeys: [] });

    const next = listing(pages);
    const resumed = await sweep(w, next.reader, 9_000);
    expect(resumed._unsafeUnwrap()).toMatchObject({ complete: true, resumed: true, passStartedAt: 1_000, pages: 2 });
    expect(next.calls).toEqual([1, 2]);
    expect(w.replica.byEntity(REGION).get(`certificate#${CERT_B}`)?.stamp.timestamp).toBe(1_000);
  });

  it("reports an invalid item, goes on, and never takes a listed-but-rejected entity for deleted", async () => {
    const w = world();
    await sweep(w, listing([[ok(certificate(CERT_A))]]).reader, 1_000);
    const tooBig: SnapshotItem = {
      entityType: "certificate",
      state: { certificateId: CERT_A, certificatePem: "x".repeat(400 * 1024), status: "ACTIVE" },
    };
    const missing: Result<SnapshotItem, InvalidEvent> = err(
      new InvalidEvent("is missing from an item of ListCertificates", "certificateId"),
    );
    const pages = [[ok(tooBig), missing, ok(certificate(CERT_B))]];
    const report = (await sweep(w, listing(pages).reader, 2_000))._unsafeUnwrap();
    expect(report.rejected).toEqual([
      expect.stringMatching(new RegExp(`^certificate#${CERT_A}: InvalidEvent: attributes: record would be`)),
      "InvalidEvent: certificateId: is missing from an item of ListCertificates",
    ]);
    expect(statusOf(w, `certificate#${CERT_A}`)).toBe("ACTIVE");
    expect(statusOf(w, `certificate#${CERT_B}`)).toBe("ACTIVE");
  });

  it("keeps the checkpoint after a failed page, and a resume token it did not issue starts the pass over", async () => {
    const w = world(CERT_B);
    const failed = await sweep(w, listing([[ok(certificate(CERT_A))], [ok(certificate(CERT_B))]]).reader, 1_000);
    expect((failed._unsafeUnwrapErr() as DomainError).kind).toBe("DependencyUnavailable");
    expect(w.checkpoint()).toMatchObject({ passStartedAt: 1_000, resumeToken: "1", listed: false });

    await w.checkpoints.save({ passStartedAt: 1_000, resumeToken: "not-a-token", listed: false, rejectedKeys: [] });
    const foreign = await sweep(w, listing([[ok(certificate(CERT_A))]]).reader, 2_000);
    expect(foreign._unsafeUnwrapErr()).toMatchObject({ kind: "InvalidEvent", field: "resumeToken" });
    expect(w.checkpoint()).toBeUndefined();
  });

  it("does nothing while another run holds the lease, takes over a lapsed one, and gives it back after a failure", async () => {
    const w = world(CERT_B);
    Object.assign(w.lease, { holder: "long-run", until: 5_000 });
    const options = {
      reader: listing([[ok(certificate(CERT_B))]]).reader,
      store: w.store,
      records: w.records,
      checkpoints: w.checkpoints,
      kinds: sweptKinds(false),
      hasTimeLeft: () => true,
      leaseUntil: 130_000,
    };
    const busy = await sweepRegistry({ ...options, context: context(4_000), holder: "tick" });
    expect(busy._unsafeUnwrap()).toEqual({ ran: false });
    expect(w.checkpoint()).toBeUndefined();

    const failed = await sweepRegistry({ ...options, context: context(6_000), holder: "next-tick" });
    expect(failed._unsafeUnwrapErr()).toMatchObject({ kind: "DependencyUnavailable" });
    expect(w.checkpoint()).toMatchObject({ passStartedAt: 6_000 });
    expect(w.lease.holder).toBeUndefined();
  });
});
