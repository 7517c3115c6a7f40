import fc from "fast-check";
import { type SyncStep, TwoWaySync } from "../../../support/two-way-sync-simulation";

const side = fc.constantFrom(0 as const, 1 as const);
const stepArbitrary: fc.Arbitrary<SyncStep> = fc.oneof(
  fc.record({
    op: fc.constantFrom("put" as const, "update" as const, "delete" as const),
    side,
    key: fc.nat({ max: 2 }),
    value: fc.nat({ max: 1000 }),
    // Many writes share a stream minute (DynamoDB Local's resolution), some are minutes apart.
    advanceMs: fc.oneof(fc.constant(0), fc.nat({ max: 5_000 }), fc.nat({ max: 180_000 })),
  }),
  fc.record({ op: fc.constant("forward" as const), side }),
  fc.record({ op: fc.constant("deliver" as const), side, pick: fc.nat(), keepCopy: fc.boolean() }),
);

describe("two-way sync (reference model: both stacks, the domain's forwarder and writer)", () => {
  it("any interleaving of both sides' writes, forwards and deliveries (reordered, duplicated) converges to the same data on both sides, with no loop", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArbitrary, { maxLength: 60 }), async (steps) => {
        const sync = new TwoWaySync();
        for (const step of steps) await sync.step(step);
        await sync.drain();
        expect(sync.sides[0].data()).toEqual(sync.sides[1].data());
        // Every local write is forwarded exactly once and nothing the sync wrote ever is: no loop.
        expect(sync.forwarded).toBe(sync.localWrites);
      }),
      { numRuns: 400 },
    );
  });

  it("concurrent conflicting puts of one item in the same stream minute: the origin name breaks the tie on both sides", async () => {
    const sync = new TwoWaySync();
    await sync.step({ op: "put", side: 0, key: 0, value: 1, advanceMs: 0 });
    await sync.step({ op: "put", side: 1, key: 0, value: 2, advanceMs: 0 });
    await sync.drain();
    const expected = new Map([['{"pk":{"S":"k0"}}', { pk: { S: "k0" }, value: { N: "2" } }]]);
    expect(sync.sides[0].data()).toEqual(expected);
    expect(sync.sides[1].data()).toEqual(expected);
    expect(sync.forwarded).toBe(2);
  });

  it("a delete on one side and a later put of the same item on the other side: the put wins everywhere", async () => {
    const sync = new TwoWaySync();
    await sync.step({ op: "put", side: 0, key: 1, value: 1, advanceMs: 0 });
    await sync.drain();
    await sync.step({ op: "delete", side: 0, key: 1, value: 0, advanceMs: 120_000 });
    await sync.step({ op: "put", side: 1, key: 1, value: 7, advanceMs: 120_000 });
    await sync.drain();
    expect(sync.sides[0].data()).toEqual(sync.sides[1].data());
    expect([...sync.sides[0].data().values()]).toEqual([{ pk: { S: "k1" }, value: { N: "7" } }]);
  });
});
