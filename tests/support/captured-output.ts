/**
 * Everything a function's worker writes to stdout and stderr while `run` runs (Lambda would send it
 * to CloudWatch Logs), as parsed JSON lines (`{ text }` for a line that is not JSON); the worker's
 * output reaches the parent asynchronously, hence the short wait before the spies are removed.
 */
export const captured = async (run: () => Promise<unknown>): Promise<Record<string, unknown>[]> => {
  const chunks: string[] = [];
  const spies = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, "write").mockImplementation((chunk: string | Uint8Array) => chunks.push(String(chunk)) > 0),
  );
  try {
    await run();
    await new Promise((resolve) => setTimeout(resolve, 500));
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return chunks
    .join("")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        return { text: line };
      }
    });
};
