/** How the scale model prints its numbers: deterministic, three significant digits, units people read. */

const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** 0, 0.0123, 4.56, 78.9, 1,234, 5,678,901 (three significant digits below 1,000). */
export const num = (value: number): string => {
  if (value === 0) return "0";
  if (Math.abs(value) < 0.001) return "< 0.001";
  if (Math.abs(value) >= 1000) return grouped.format(value);
  return String(Number(value.toPrecision(3)));
};

export const dollars = (value: number): string => (value >= 100 ? `$${grouped.format(value)}` : `$${value.toFixed(2)}`);

export const percent = (fraction: number): string => `${num(fraction * 100)} %`;

/** 45 s, 12 min, 3.4 h, 7.2 d. */
export const duration = (seconds: number): string => {
  if (seconds < 120) return `${num(seconds)} s`;
  if (seconds < 2 * 3600) return `${num(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${num(seconds / 3600)} h`;
  return `${num(seconds / 86_400)} d`;
};

/** 10k, 1M, 10M, 2,500. */
export const things = (count: number): string => {
  if (count >= 1e6 && count % 1e6 === 0) return `${count / 1e6}M`;
  if (count >= 1e3 && count % 1e3 === 0) return `${count / 1e3}k`;
  return grouped.format(count);
};

/** A Markdown table; the first column is left-aligned, the others right-aligned. */
export const table = (header: readonly string[], rows: readonly (readonly string[])[]): string =>
  [
    `| ${header.join(" | ")} |`,
    `|${header.map((_, index) => (index === 0 ? "---" : "---:")).join("|")}|`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ].join("\n");
