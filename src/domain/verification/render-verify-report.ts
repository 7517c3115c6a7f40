import type { Drift, VerifyReport } from "./compare-regions";

const value = (text: unknown): string => (text === undefined ? "(absent)" : JSON.stringify(text));

const driftLines = (drift: Drift, report: VerifyReport): string[] => {
  const key = `${drift.entityType}#${drift.entityName}`;
  switch (drift.drift) {
    case "missing":
      return [`  missing in ${report.secondaryRegion}: ${key}`];
    case "extra":
      return [`  extra in ${report.secondaryRegion}: ${key}${drift.deletedInPrimary ? ` (deleted in ${report.primaryRegion})` : ""}`];
    case "differs":
      return [
        `  differs: ${key}`,
        ...drift.fields.map(
          (field) =>
            `      ${field.field}: ${value(field.primary)} in ${report.primaryRegion}, ${value(field.secondary)} in ${report.secondaryRegion}`,
        ),
      ];
  }
};

/**
 * The operator's view of a comparison: a table of counts per kind, every drifted entity with its
 * differing fields, and one last line that says whether the secondary matches.
 */
export const renderVerifyReport = (report: VerifyReport, source: string): string[] => {
  const header = ["kind", report.primaryRegion, report.secondaryRegion, "missing", "extra", "differs"];
  const rows = report.kinds.map((kind) =>
    [kind.entityType, kind.primary, kind.secondary, kind.missing, kind.extra, kind.differs].map(String),
  );
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] as string).length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] as number) : cell.padStart(widths[column] as number)))
      .join("  ");
  const drifted = report.drifts.length;
  return [
    `verify ${report.primaryRegion} -> ${report.secondaryRegion} (${source})`,
    line(header),
    ...rows.map(line),
    ...(drifted > 0 ? ["drift:", ...report.drifts.flatMap((drift) => driftLines(drift, report))] : []),
    drifted > 0
      ? `DRIFT: ${drifted} of ${report.compared} entities differ between ${report.primaryRegion} and ${report.secondaryRegion}`
      : `IN SYNC: ${report.compared} entities match between ${report.primaryRegion} and ${report.secondaryRegion}`,
  ];
};
