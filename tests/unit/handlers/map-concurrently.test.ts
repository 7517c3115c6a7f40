import { mapConcurrently } from "../../../src/handlers/map-concurrently";

describe("mapConcurrently", () => {
  it("keeps the input order and never has more than `limit` calls in flight", async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapConcurrently(
      Array.from({ length: 100 }, (_, i) => i),
      7,
      async (n) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        // Later items finish first, so completion order differs from input order.
        for (let tick = 0; tick < 100 - n; tick += 1) await Promise.resolve();
        inFlight -= 1;
        return n * 2;
      },
    );
    expect(results).toEqual(Array.from({ length: 100 }, (_, i) => i * 2));
    expect(most).toBe(7);
  });

  it("returns nothing for no items and refuses a limit that is not a positive integer", async () => {
    await expect(mapConcurrently([], 3, async () => 1)).resolves.toEqual([]);
    await expect(mapConcurrently([1], 0, async () => 1)).rejects.toThrow("limit must be a positive integer, got 0");
  });

  it("rejects with the first failure", async () => {
    await expect(
      mapConcurrently([1, 2, 3], 2, async (n) => {
        if (n === 2) throw new Error("two failed");
        return n;
      }),
    ).rejects.toThrow("two failed");
  });
});
