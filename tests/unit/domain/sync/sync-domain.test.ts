import fc from "fast-check";
import { decideForward } from "../../../../src/domain/sync/forward-decision";
import { parseStreamChange } from "../../../../src/domain/sync/stream-change";
import { canonicalKey, itemFingerprint, projectAttributes } from "../../../../src/domain/sync/sync-item";
import { deduplicationId, messageGroupId, parseSyncMessage, serializeSyncMessage } from "../../../../src/domain/sync/sync-message";
import { compareStamps, decodeStamp, encodeStamp, type SyncStamp, stampOfBackfill } from "../../../../src/domain/sync/sync-stamp";

const stampArbitrary: fc.Arbitrary<SyncStamp> = fc.record({
  time: fc.nat({ max: 4_102_444_800_000 }),
  origin: fc.stringMatching(/^[a-z0-9-]{1,12}$/),
  sequence: fc.bigInt({ min: 0n, max: 10n ** 40n - 1n }).map(String),
});

const streamRecord = (overrides: Record<string, unknown> = {}, dynamodb: Record<string, unknown> = {}) => ({
  eventID: "c81e728d9d4c2f636f067f89cc14862c",
  eventName: "INSERT",
  dynamodb: {
    Keys: { Artist: { S: "No One You Know" }, SongTitle: { S: "Call Me Today" } },
    NewImage: { Artist: { S: "No One You Know" }, SongTitle: { S: "Call Me Today" }, Year: { N: "2020" }, Secret: { S: "x" } },
    SequenceNumber: "111",
    ApproximateCreationDateTime: 1_700_000_000,
    ...dynamodb,
  },
  ...overrides,
});

const oneWay = {
  origin: "us-east-1",
  twoWay: false,
  timeToLiveDeletions: "replicate" as const,
  projection: { include: [], exclude: ["Secret"] },
};

describe("sync stamps", () => {
  it("the encoded string sorts exactly as the rule: time, then origin name, then sequence compared as numbers", () => {
    fc.assert(
      fc.property(stampArbitrary, stampArbitrary, (a, b) => {
        const byRule =
          a.time !== b.time
            ? Math.sign(a.time - b.time)
            : a.origin !== b.origin
              ? a.origin < b.origin
                ? -1
                : 1
              : Math.sign(Number(BigInt(a.sequence) - BigInt(b.sequence)));
        expect(compareStamps(a, b)).toBe(byRule);
        expect(decodeStamp(encodeStamp(a))._unsafeUnwrap()).toEqual(a);
      }),
    );
  });

  it("a backfill's stamp is older than any change made after its scan started, whatever the stream's coarseness within the margin", () => {
    const backfill = stampOfBackfill("us-east-1", 1_700_000_030_000, 60_000);
    expect(compareStamps(backfill, { time: 1_700_000_000_000, origin: "a", sequence: "1" })).toBeLessThan(0);
  });

  it("rejects a stamp that is not time#origin#sequence, naming the attribute", () => {
    expect(decodeStamp("yesterday")._unsafeUnwrapErr().message).toMatch(/^SyncStamp: "yesterday" is not a sync stamp/);
  });
});

describe("stream changes and the forward decision", () => {
  it("forwards a NEW_IMAGE put with its projected image, stamped by the stream time and sequence number", () => {
    const decision = decideForward(parseStreamChange(streamRecord())._unsafeUnwrap(), oneWay)._unsafeUnwrap();
    expect(decision).toEqual({
      kind: "forward",
      message: {
        eventId: "c81e728d9d4c2f636f067f89cc14862c",
        kind: "put",
        key: { Artist: { S: "No One You Know" }, SongTitle: { S: "Call Me Today" } },
        image: { Artist: { S: "No One You Know" }, SongTitle: { S: "Call Me Today" }, Year: { N: "2020" } },
        stamp: { time: 1_700_000_000_000, origin: "us-east-1", sequence: "111" },
      },
    });
  });

  it("KEYS_ONLY: a put without an image travels as a claim check", () => {
    const change = parseStreamChange(streamRecord({ eventName: "MODIFY" }, { NewImage: undefined }))._unsafeUnwrap();
    const decision = decideForward(change, oneWay)._unsafeUnwrap();
    expect(decision.kind === "forward" && serializeSyncMessage(decision.message, 262_144).claimCheck).toBe(true);
  });

  it("an item too big for one SQS message travels as a claim check; the body round-trips", () => {
    const big = { ...streamRecord().dynamodb.NewImage, Lyrics: { S: "la".repeat(200_000) } };
    const decision = decideForward(parseStreamChange(streamRecord({}, { NewImage: big }))._unsafeUnwrap(), oneWay)._unsafeUnwrap();
    if (decision.kind !== "forward") throw new Error("expected a forward");
    const { body, claimCheck } = serializeSyncMessage(decision.message, 262_144);
    expect(claimCheck).toBe(true);
    const { image: _image, ...withoutImage } = decision.message;
    expect(parseSyncMessage(body)._unsafeUnwrap()).toEqual(withoutImage);
  });

  it("a TTL deletion (user identity dynamodb.amazonaws.com) is skipped or replicated as configured", () => {
    const record = streamRecord(
      { eventName: "REMOVE", userIdentity: { type: "Service", principalId: "dynamodb.amazonaws.com" } },
      { NewImage: undefined },
    );
    const change = parseStreamChange(record)._unsafeUnwrap();
    expect(decideForward(change, { ...oneWay, timeToLiveDeletions: "skip" })._unsafeUnwrap().kind).toBe("skip");
    expect(decideForward(change, oneWay)._unsafeUnwrap()).toMatchObject({ kind: "forward", message: { kind: "delete" } });
  });

  it("two-way: skips the sync's own writes (a new SyncStamp, a SyncDeleted removal) and needs both images", () => {
    const twoWay = { ...oneWay, twoWay: true };
    const stamped = {
      ...streamRecord().dynamodb.NewImage,
      SyncStamp: { S: encodeStamp({ time: 1, origin: "cn-northwest-1", sequence: "5" }) },
    };
    expect(decideForward(parseStreamChange(streamRecord({}, { NewImage: stamped }))._unsafeUnwrap(), twoWay)._unsafeUnwrap().kind).toBe(
      "skip",
    );
    const removal = streamRecord({ eventName: "REMOVE" }, { NewImage: undefined, OldImage: { ...stamped, SyncDeleted: { BOOL: true } } });
    expect(decideForward(parseStreamChange(removal)._unsafeUnwrap(), twoWay)._unsafeUnwrap().kind).toBe("skip");
    const keysOnly = streamRecord({ eventName: "REMOVE" }, { NewImage: undefined });
    expect(decideForward(parseStreamChange(keysOnly)._unsafeUnwrap(), twoWay)._unsafeUnwrapErr().message).toMatch(/NEW_AND_OLD_IMAGES/);
  });

  it("names what is wrong with a malformed stream record in one line", () => {
    expect(parseStreamChange(streamRecord({ eventName: "TRUNCATE" }))._unsafeUnwrapErr().message).toBe(
      'eventName: "TRUNCATE" is not INSERT, MODIFY or REMOVE',
    );
    expect(parseStreamChange(streamRecord({}, { Keys: {} }))._unsafeUnwrapErr().message).toBe("dynamodb.Keys: is missing");
    expect(parseSyncMessage("not json")._unsafeUnwrapErr().message).toMatch(/^body is not JSON/);
  });
});

describe("items, groups and fingerprints", () => {
  it("one MessageGroupId per key whatever the attribute order; the eventID is the deduplication id", () => {
    const key = { Artist: { S: "A" }, SongTitle: { S: "B" } };
    expect(messageGroupId(key)).toBe(messageGroupId({ SongTitle: { S: "B" }, Artist: { S: "A" } }));
    expect(messageGroupId(key)).toMatch(/^item-[0-9a-f]{16}$/);
    expect(canonicalKey(key)).toBe('{"Artist":{"S":"A"},"SongTitle":{"S":"B"}}');
    expect(deduplicationId("c81e728d9d4c2f636f067f89cc14862c")).toBe("c81e728d9d4c2f636f067f89cc14862c");
  });

  it("the fingerprint ignores the sync's metadata and the order of sets", () => {
    const item = { pk: { S: "a" }, tags: { SS: ["x", "y"] } };
    expect(itemFingerprint(item)).toBe(
      itemFingerprint({ tags: { SS: ["y", "x"] }, pk: { S: "a" }, SyncStamp: { S: "s" }, SyncOrigin: { S: "o" } }),
    );
    expect(itemFingerprint(item)).not.toBe(itemFingerprint({ ...item, tags: { SS: ["x"] } }));
  });

  it("include lists keep the key attributes; the sync's metadata never travels", () => {
    const key = { pk: { S: "a" } };
    const item = { ...key, a: { N: "1" }, b: { N: "2" }, SyncStamp: { S: "s" } };
    expect(projectAttributes(item, key, { include: ["a"], exclude: [] })).toEqual({ pk: { S: "a" }, a: { N: "1" } });
    expect(projectAttributes(item, key, { include: [], exclude: ["a"] })).toEqual({ pk: { S: "a" }, b: { N: "2" } });
  });
});
