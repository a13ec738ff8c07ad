/**
 * The rows of a numeric CSV as `honeyflow eval` and `honeyflow score-csv` read them: a header,
 * then rows of as many comma-separated cells, each a finite number; blank lines are skipped.
 * The first cell or row that breaks this ends the run, named by its row and column: a NaN
 * would reach the detector, which never gets past it, an empty cell read as 0 would be a value
 * nobody measured, and a row with a cell missing would shift every column after it.
 *
 * ```ts
 * const header = csvHeader("a, b,label\r");
 * assert.deepEqual(header, ["a", "b", "label"]);
 * assert.deepEqual(numericCells("1,2.5,0\r", header, 1), [1, 2.5, 0]);
 * assert.throws(() => numericCells("1,,0", header, 2), /^CsvCellError: row 2, column 'b': not a number: ''$/);
 * assert.throws(() => numericCells("1,2", header, 3), /^CsvCellError: row 3 has 2 cells, the header 3$/);
 * ```
 */

export class CsvCellError extends Error {
  override name = "CsvCellError";
}

export function csvHeader(line: string): string[] {
  return line.split(",").map((cell) => cell.trim());
}

/** The numbers of data row `row` (1 for the first after the header), or a CsvCellError. */
export function numericCells(line: string, columns: readonly string[], row: number): number[] {
  const cells = line.split(",");
  if (cells.length !== columns.length) throw new CsvCellError(`row ${row} has ${cells.length} cells, the header ${columns.length}`);
  const values = new Array<number>(cells.length);
  for (let c = 0; c < cells.length; c++) {
    const cell = cells[c].trim();
    values[c] = cell === "" ? NaN : Number(cell);
    if (!Number.isFinite(values[c])) throw new CsvCellError(`row ${row}, column '${columns[c]}': not a number: '${cell}'`);
  }
  return values;
}
