import { err, errAsync, ok, okAsync, type Result } from "neverthrow";
import { type BackfillProgress, backfillRegistry } from "../../../../src/domain/registry/backfill-registry";
import type { RegistrySnapshotReader, ReplicaStore, SnapshotPage } from "../../../../src/domain/registry/registry-ports";
import type { SnapshotItem } from "../../../../src/domain/registry/replica-record";
import { DependencyRejected, DependencyUnavailable, type DomainError, InvalidEvent } from "../../../../src/domain/shared/errors";
import { InMemoryReplica } from "../../../support/in-memory-replica";

const context = { sourceRegion: "us-east-1", now: 1_000_000, tombstoneTtlSeconds: 86_400 };
const thing = (thingName: string): Result<SnapshotItem, InvalidEvent> =>
  ok({ entityType: "thing", state: { thingName, thingId: null, thingTypeName: null, attributes: {}, version: 1 } });

/** A registry listing as pages; a page may instead fail. */
const reader = (pages: readonly (SnapshotPage | DomainError)[]): RegistrySnapshotReader => ({
  readPage: (token) => {
    const index = token === undefined ? 0 : Number(token);
    const page = pages[index];
    if (page === undefined) return errAsync(new InvalidEvent(`${JSON.stringify(token)} is not a resume token`, "resumeToken"));
    return "kind" in page ? errAsync(page) : okAsync(page);
  },
});
const page = (items: SnapshotPage["items"], next?: number): SnapshotPage => ({
  items,
  resumeToken: next === undefined ? undefined : String(next),
});

/** The replica as the conditional write keeps it; names in `refuse` fail with the given error. */
type Refusals = Record<string, DependencyUnavailable | DependencyRejected>;
const store = (refuse: Refusals = {}) => {
  const replica = new InMemoryReplica();
  const port: ReplicaStore = {
    putIfNewer: (record) => {
      const refused = refuse[record.entityName];
      if (refused) return errAsync(refused);
      return okAsync(replica.apply(record) === "applied" ? "stored" : "stale");
    },
  };
  return { port, replica };
};

const run = (pages: readonly (SnapshotPage | DomainError)[], options: { refuse?: Refusals; resumeToken?: string } = {}) => {
  const progress: BackfillProgress[] = [];
  const { port } = store(options.refuse);
  const result = backfillRegistry({
    reader: reader(pages),
    store: port,
    context,
    snapshotStartedAt: 500,
    ...(options.resumeToken !== undefined ? { resumeToken: options.resumeToken } : {}),
    onPage: (p) => ok(void progress.push(p)),
  });
  return { result, progress };
};

describe("backfillRegistry", () => {
  it("reports each page's own counts and the running totals, and ends without a resume token", async () => {
    const { result, progress } = run([page([thing("a"), thing("b")], 1), page([thing("c"), thing("a")])]);
    expect((await result)._unsafeUnwrap()).toMatchObject({ pages: 2, total: { stored: 3, stale: 1, rejected: 0 }, resumeToken: undefined });
    expect(progress.map((p) => [p.lastPage, p.total, p.resumeToken])).toEqual([
      [{ stored: 2, stale: 0, rejected: 0 }, { stored: 2, stale: 0, rejected: 0 }, "1"],
      [{ stored: 1, stale: 1, rejected: 0 }, { stored: 3, stale: 1, rejected: 0 }, undefined],
    ]);
  });

  it("rejects, with the reason and the record's key, what can never be stored, and goes on", async () => {
    const nameless = err(new InvalidEvent("is missing from an item of ListThings", "thingName"));
    const refuse = { big: new DependencyRejected("table", "ValidationException: too large") };
    const { result } = run([page([nameless, thing("big"), thing("ok")])], { refuse });
    const done = (await result)._unsafeUnwrap();
    expect(done.total).toEqual({ stored: 1, stale: 0, rejected: 2 });
    expect(done.rejected).toEqual([
      "InvalidEvent: thingName: is missing from an item of ListThings",
      "thing#big: DependencyRejected: ValidationException: too large",
    ]);
  });

  it("stops at a transient failure after the last fully written page, so that the run can resume there", async () => {
    const { result, progress } = run([page([thing("a")], 1), page([thing("b")], 2), page([thing("c")])], {
      refuse: { b: new DependencyUnavailable("table", "ThrottlingException: slow down") },
    });
    expect((await result)._unsafeUnwrapErr().kind).toBe("DependencyUnavailable");
    expect(progress.map((p) => p.resumeToken)).toEqual(["1"]);
  });

  it("stops for good at a resume token the reader never issued, naming the token", async () => {
    const { result, progress } = run([page([thing("a")])], { resumeToken: "not-a-token" });
    const error = (await result)._unsafeUnwrapErr();
    expect(error).toMatchObject({ kind: "InvalidEvent", field: "resumeToken" });
    expect(error.message).toContain('"not-a-token"');
    expect(progress).toEqual([]);
  });

  it("stops when the checkpoint cannot be saved, instead of going on with progress it could not resume", async () => {
    const saved: string[] = [];
    const result = await backfillRegistry({
      reader: reader([page([thing("a")], 1), page([thing("b")])]),
      store: store().port,
      context,
      snapshotStartedAt: 500,
      onPage: (p) => (p.pages === 1 ? err(new DependencyUnavailable("checkpoint file x", "ENOSPC")) : ok(void saved.push("x"))),
    });
    expect(result._unsafeUnwrapErr()).toMatchObject({ kind: "DependencyUnavailable", dependency: "checkpoint file x" });
    expect(saved).toEqual([]);
  });
});
