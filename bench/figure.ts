/**
 * One measured figure, printed as a JSON line (for machines) and a table row (for people).
 * A ratio is always against a baseline measured in the same run, so it holds on a noisy machine.
 */
export interface Figure {
  bench: string;
  name: string;
  value: number;
  unit: string;
  /** The same-run baseline this figure is compared with, and value / baseline. */
  baseline?: { name: string; value: number };
  ratio?: number;
}

export function printFigures(figures: Figure[]): void {
  for (const f of figures) console.log(JSON.stringify(f));
  console.log("");
  const rows = figures.map((f) => [
    f.bench,
    f.name,
    `${formatNumber(f.value)} ${f.unit}`,
    f.ratio === undefined ? "" : `${f.ratio.toFixed(f.ratio > 0.9 && f.ratio < 1.1 ? 4 : 2)}x ${f.baseline?.name ?? ""}`,
  ]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length), ["bench", "figure", "value", "vs baseline"][i].length));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ");
  console.log(line(["bench", "figure", "value", "vs baseline"]));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));
}

function formatNumber(n: number): string {
  if (n >= 100 || Number.isInteger(n)) return Math.round(n).toLocaleString("en-US");
  return n < 1 ? n.toFixed(4) : n.toFixed(2); // ROC AUCs differ in the third decimal
}
