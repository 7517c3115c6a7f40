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
