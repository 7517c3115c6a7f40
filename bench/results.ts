import { writeFileSync } from "node:fs";

/** What a row must show to meet its target: a ratio at least, or at most, some factor. */
export interface Target {
  readonly kind: "at-least" | "at-most";
  readonly ratio: number;
}

export const atLeast = (ratio: number): Target => ({ kind: "at-least", ratio });
export const atMost = (ratio: number): Target => ({ kind: "at-most", ratio });

/** One figure measured side by side with its baseline or limit, in the same run. */
export interface BenchRow {
  readonly figure: string;
  readonly unit: string;
  readonly value: number;
  /** What the value is compared with: a baseline, the machine's limit, or a fixed budget. */
  readonly against: string;
  readonly reference: number;
  /** value / reference. */
  readonly ratio: number;
  /** The target on the ratio, or null for a row shown for context only. */
  readonly target: string | null;
  readonly met: boolean | null;
  /** The bench stage that measured it, where it is re-measured on its own (BENCH_UPDATE). */
  readonly stage?: string;
}

const describeTarget = (target: Target): string => `${target.kind === "at-least" ? ">=" : "<="} ${target.ratio}x`;

/** A row from a measurement and its reference; refuses figures that cannot be compared. */
export const compare = (row: {
  figure: string;
  unit: string;
  value: number;
  against: string;
  reference: number;
  target?: Target;
}): BenchRow => {
  if (!Number.isFinite(row.value) || row.value < 0) throw new Error(`${row.figure}: measured value ${row.value} is not a figure`);
  if (!Number.isFinite(row.reference) || row.reference <= 0)
    throw new Error(`${row.figure}: reference (${row.against}) ${row.reference} is not a positive figure`);
  const ratio = row.value / row.reference;
  const target = row.target;
  return {
    figure: row.figure,
    unit: row.unit,
    value: row.value,
    against: row.against,
    reference: row.reference,
    ratio,
    target: target ? describeTarget(target) : null,
    met: target ? (target.kind === "at-least" ? ratio >= target.ratio : ratio <= target.ratio) : null,
  };
};

const figure = (value: number): string => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));

/** The rows as a markdown table (measured, against, ratio, target, met). */
export const markdownTable = (rows: readonly BenchRow[]): string =>
  [
    "| figure | measured | against | ratio | target | met |",
    "|---|---:|---|---:|---|---|",
    ...rows.map(
      (row) =>
        `| ${row.figure} | ${figure(row.value)} ${row.unit} | ${row.against}: ${figure(row.reference)} ${row.unit} | ${row.ratio.toFixed(2)}x | ${row.target ?? "(context)"} | ${row.met === null ? "" : row.met ? "yes" : "**no**"} |`,
    ),
  ].join("\n");

/** Writes `results.md` (with the run's conditions) and `results.json` (the rows) into `dir`. */
export const writeResults = (dir: string, rows: readonly BenchRow[], conditions: string): { markdown: string } => {
  const markdown = `${markdownTable(rows)}\n\n${conditions}\n`;
  writeFileSync(`${dir}/results.md`, markdown);
  writeFileSync(`${dir}/results.json`, `${JSON.stringify(rows, null, 2)}\n`);
  return { markdown };
};

/**
 * The results after re-measuring some stages on their own (`BENCH_ONLY=fleet BENCH_UPDATE=1`): the
 * previous rows of those stages are replaced by the new ones, every other row is kept as it was.
 */
export const mergeRows = (previous: readonly BenchRow[], fresh: readonly BenchRow[], stages: readonly string[]): BenchRow[] => [
  ...previous.filter((row) => row.stage === undefined || !stages.includes(row.stage)),
  ...fresh,
];

/** What results.md says after its table: the conditions of the runs its rows come from. */
export const conditionsOf = (markdown: string): string =>
  markdown
    .split("\n")
    .filter((line) => !line.startsWith("|"))
    .join("\n")
    .trim();
