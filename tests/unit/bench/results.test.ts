import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { atLeast, atMost, compare, conditionsOf, markdownTable, mergeRows, writeResults } from "../../../bench/results";
import { percentile, sideBySide } from "../../../bench/stats";

describe("bench results", () => {
  const rows = [
    compare({ figure: "capture throughput", unit: "events/s", value: 300, against: "baseline", reference: 100, target: atLeast(3) }),
    compare({ figure: "API latency: p50", unit: "ms", value: 9, against: "no-op", reference: 3, target: atMost(2) }),
    compare({ figure: "bundle size", unit: "KiB", value: 700, against: "SDK only", reference: 500 }),
  ];

  it("compares each figure with its reference as a ratio and says whether the target is met", () => {
    expect(rows.map(({ ratio, target, met }) => ({ ratio, target, met }))).toEqual([
      { ratio: 3, target: ">= 3x", met: true },
      { ratio: 3, target: "<= 2x", met: false },
      { ratio: 1.4, target: null, met: null },
    ]);
  });

  it("refuses a reference that cannot be divided by and a value that is not a figure", () => {
    expect(() => compare({ figure: "x", unit: "ms", value: 1, against: "baseline", reference: 0 })).toThrow(
      "x: reference (baseline) 0 is not a positive figure",
    );
    expect(() => compare({ figure: "y", unit: "ms", value: Number.NaN, against: "baseline", reference: 1 })).toThrow(
      "y: measured value NaN is not a figure",
    );
  });

  it("writes the same rows as a markdown table and as JSON objects", () => {
    const dir = mkdtempSync(join(tmpdir(), "bench-results-"));
    try {
      writeResults(dir, rows, "Measured on a test.");
      const markdown = readFileSync(join(dir, "results.md"), "utf8");
      expect(markdown).toContain(markdownTable(rows));
      expect(markdown.split("\n").filter((line) => line.startsWith("| "))).toHaveLength(rows.length + 1);
      expect(markdown).toContain("| capture throughput | 300 events/s | baseline: 100 events/s | 3.00x | >= 3x | yes |");
      expect(markdown).toContain("| API latency: p50 | 9.00 ms | no-op: 3.00 ms | 3.00x | <= 2x | **no** |");
      expect(markdown).toContain("Measured on a test.");
      const json = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as Record<string, unknown>[];
      expect(json).toEqual(rows);
      for (const row of json)
        expect(Object.keys(row).sort()).toEqual(["against", "figure", "met", "ratio", "reference", "target", "unit", "value"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("bench statistics", () => {
  it("takes nearest-rank percentiles", () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile([], 50)).toBe(0);
  });

  it("gives every contender every slice of the work, rotating who goes first", async () => {
    const seen: string[] = [];
    const totals = await sideBySide([1, 2, 3, 4, 5, 6], 3, {
      a: async (part) => {
        seen.push(`a${part.join("")}`);
      },
      b: async (part) => {
        seen.push(`b${part.join("")}`);
      },
    });
    expect(seen).toEqual(["a12", "b12", "b34", "a34", "a56", "b56"]);
    expect(Object.keys(totals)).toEqual(["a", "b"]);
  });
});

describe("re-measuring one stage (BENCH_ONLY=fleet BENCH_UPDATE=1)", () => {
  const row = (figure: string, stage?: string) => ({
    ...compare({ figure, unit: "ms", value: 1, against: "x", reference: 1 }),
    ...(stage ? { stage } : {}),
  });

  it("replaces that stage's rows and keeps every other row", () => {
    const merged = mergeRows([row("capture"), row("old fleet", "fleet"), row("dr")], [row("new fleet", "fleet")], ["fleet"]);
    expect(merged.map((r) => r.figure)).toEqual(["capture", "dr", "new fleet"]);
  });

  it("keeps the conditions results.md gave its earlier rows", () => {
    expect(conditionsOf("| a | b |\n|---|---|\n| 1 | 2 |\n\nMeasured 2026-11-23 on 2 cores.\n")).toBe("Measured 2026-11-23 on 2 cores.");
  });
});
