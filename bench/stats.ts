/** Nearest-rank percentile of samples (p in 0..100); 0 for no samples. */
export const percentile = (samples: readonly number[], p: number): number => {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
};

export const median = (samples: readonly number[]): number => percentile(samples, 50);

/** Runs `work` and returns its result with the wall-clock milliseconds it took. */
export const timed = async <T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> => {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
};

/** A positive integer from the environment, or the default; anything else is refused with its name. */
export const countFromEnv = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return value;
};

/**
 * Runs every contender over the same work, side by side: the work is cut into `slices` parts and each
 * part is run by every contender in turn (the order rotating from part to part), so a noisy moment of
 * a shared machine falls on all of them alike. Returns each contender's total milliseconds.
 */
export const sideBySide = async <T, K extends string>(
  work: readonly T[],
  slices: number,
  contenders: Record<K, (part: readonly T[]) => Promise<void>>,
): Promise<Record<K, number>> => {
  const names = Object.keys(contenders) as K[];
  const totals = Object.fromEntries(names.map((name) => [name, 0])) as Record<K, number>;
  const size = Math.ceil(work.length / slices);
  for (let part = 0; part * size < work.length; part += 1) {
    const slice = work.slice(part * size, (part + 1) * size);
    for (let turn = 0; turn < names.length; turn += 1) {
      const name = names[(part + turn) % names.length] as K;
      const { ms } = await timed(() => contenders[name](slice));
      totals[name] += ms;
    }
  }
  return totals;
};
