/**
 * Maps `items` through `work` with at most `limit` calls in flight, results in the input's order.
 * A batch of any size then holds only `limit` SDK requests (their buffers, sockets and middleware
 * state) at a time: a capture batch of 1,000 events would otherwise open 1,000 requests at once.
 */
export const mapConcurrently = async <T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> => {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`mapConcurrently: limit must be a positive integer, got ${limit}`);
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
};
