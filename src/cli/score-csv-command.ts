/**
 * `honeyflow score-csv --input FILE.csv [--label COLUMN] [--detector NAME] --out SCORES`:
 * scores a numeric CSV row by row, in order, one pass - each row scored before it is learned,
 * so row i's score never depends on later rows - and writes one score per line.
 */
import * as fs from "node:fs";
import * as readline from "node:readline";
import { parseArgs } from "node:util";
import { createDetector, DETECTOR_NAMES, isDetectorName } from "../anomaly/detector-catalogue";
import { CsvCellError, csvHeader, numericCells } from "./numeric-csv";
import { refuseOutputOverInput } from "./output-over-input";
import { writeOutput } from "./output-write";
import { UsageError } from "./usage-error";

export const USAGE = `usage: honeyflow score-csv --input FILE.csv --out SCORES [--label COLUMN] [--detector NAME]

  --input FILE.csv   numeric CSV with a header row
  --out SCORES       one score in [0, 1] per data row, in row order ("-" for stdout)
  --label COLUMN     a column to ignore for learning (e.g. the ground truth)
  --detector NAME    ${DETECTOR_NAMES.join(" | ")} (default: default)
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      input: { type: "string" },
      out: { type: "string" },
      label: { type: "string" },
      detector: { type: "string", default: "default" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const detectorName = values.detector ?? "default";
  if (!values.input || !values.out || !isDetectorName(detectorName)) {
    throw new UsageError(!values.input ? "--input is required" : !values.out ? "--out is required" : `unknown detector '${detectorName}'`);
  }
  if (!fs.existsSync(values.input)) {
    process.stderr.write(`honeyflow score-csv: no such file: ${values.input}\n`);
    return 2;
  }
  const toStdout = values.out === "-";
  if (!toStdout) refuseOutputOverInput([values.input], [["--out", values.out]]);

  const detector = createDetector(detectorName);
  const lines = readline.createInterface({ input: fs.createReadStream(values.input), crlfDelay: Infinity });
  const outName = toStdout ? "stdout" : values.out;
  // Opened once the header has named its columns: a --label typo must not wipe earlier scores.
  let out: number | undefined = toStdout ? 1 : undefined;
  const opened = () => (out ??= fs.openSync(values.out as string, "w"));
  let header: string[] | undefined;
  let labelColumn = -1;
  let row = 0;
  let pending: string[] = [];
  for await (const line of lines) {
    if (line.trim() === "") continue;
    if (!header) {
      header = csvHeader(line);
      labelColumn = values.label ? header.indexOf(values.label) : -1;
      if (values.label && labelColumn === -1) {
        process.stderr.write(`honeyflow score-csv: no column '${values.label}' in the header\n`);
        return 2;
      }
      opened();
      continue;
    }
    row += 1;
    let cells: number[];
    try {
      cells = numericCells(line, header, row);
    } catch (err) {
      if (!(err instanceof CsvCellError)) throw err;
      process.stderr.write(`honeyflow score-csv: ${values.input}: ${err.message}\n`);
      return 1;
    }
    const x = labelColumn === -1 ? cells : cells.filter((_, c) => c !== labelColumn);
    pending.push(String(detector.score(x)));
    detector.learn(x);
    if (pending.length >= 4096) {
      writeOutput(opened(), outName, `${pending.join("\n")}\n`);
      pending = [];
    }
  }
  if (pending.length > 0) writeOutput(opened(), outName, `${pending.join("\n")}\n`);
  // An empty CSV scores to an empty file.
  if (!toStdout) fs.closeSync(opened());
  process.stderr.write(`scored ${row} rows with the ${detectorName} detector\n`);
  return 0;
}
