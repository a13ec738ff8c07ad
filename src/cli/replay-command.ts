/**
 * `honeyflow replay --input FILE... [--speed X] [--out FILE]`: writes Cowrie logs at the pace
 * they were recorded (times X), to stdout or appended to a file, so that a tailing `cowrie in`
 * can be fed like a live sensor. With `--retime` each event's timestamp becomes the wall-clock
 * time it is written at, so that what reads the log (timeliness, "last seen", charts) sees a
 * sensor writing now; `--backlog` writes the log's first minutes at once, as the history a
 * sensor already has when Node-RED starts.
 *
 *     honeyflow replay --input demo.json --retime --backlog 15m --out .demo/cowrie.json
 */
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { epochMsToCowrieTimestamp } from "../ingest/cowrie-timestamp";
import { listLogFiles, LogReplay, timestampMsOf, withTimestamp } from "../ingest/log-replay";
import { refuseOutputOverInput } from "./output-over-input";
import { writeOutput } from "./output-write";
import { parseDurationOption } from "./time-options";
import { UsageError } from "./usage-error";

/**
 * The slowest replay: a thousandth of real time already stretches a day of log over almost
 * three years, and a slower one would only wait (at 1e-300, forever).
 */
const SLOWEST_SPEED = 0.001;

export const USAGE = `usage: honeyflow replay --input FILE|DIR [--input ...] [--speed X] [--out FILE]
                       [--retime] [--backlog DURATION]

  --input FILE|DIR   a Cowrie log, a rotated file (.gz too), or a directory of them; repeatable
  --speed X          multiple of real time, ${SLOWEST_SPEED} or more (default 1); 0 or "max" for as fast as possible
  --out FILE         append to FILE (created if missing) instead of writing to stdout
  --retime           rewrite each event's timestamp to the wall-clock time it is written at
                     (the backlog's to the times before now it would have had); needs a paced speed
  --backlog DURATION write the log's first DURATION (e.g. 15m) at once, then go on paced
  --max-line-bytes N lines longer than this are skipped and counted (default 1048576)
`;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      input: { type: "string", multiple: true },
      speed: { type: "string", default: "1" },
      out: { type: "string" },
      retime: { type: "boolean", default: false },
      backlog: { type: "string" },
      "max-line-bytes": { type: "string", default: "1048576" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const inputs = [...(values.input ?? []), ...positionals];
  const speed = values.speed === "max" ? 0 : Number(values.speed);
  const maxLineBytes = Number(values["max-line-bytes"]);
  if (inputs.length === 0) throw new UsageError("--input is required");
  if (!(speed === 0 || speed >= SLOWEST_SPEED) || values.speed?.trim() === "") {
    throw new UsageError(`--speed must be 0, "max" or at least ${SLOWEST_SPEED}, not '${values.speed}'`);
  }
  if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1) throw new UsageError(`--max-line-bytes must be a whole number of bytes, not '${values["max-line-bytes"]}'`);
  if (values.retime && speed === 0) throw new UsageError("--retime writes wall-clock times: it needs a paced --speed, not as fast as possible");
  const backlogMs = values.backlog === undefined ? 0 : parseDurationOption("--backlog", values.backlog);
  const files = listLogFiles(inputs); // before --out is opened: a missing log is said, not replayed as nothing
  refuseOutputOverInput(files, [["--out", values.out]], "would append the log to itself without end, until the disk is full");

  // Appending whole lines per write keeps a tailing reader from ever seeing a torn line it
  // would not also see from Cowrie.
  const out = values.out ? fs.openSync(values.out, "a") : 1;
  let pending: string[] = [];
  let skipped = 0;
  const flush = () => {
    if (pending.length > 0) writeOutput(out, values.out ?? "stdout", pending.join(""));
    pending = [];
  };
  const replay: LogReplay = new LogReplay({
    files: inputs,
    speed,
    maxLineBytes,
    backlogMs,
    onRecord: (record) => {
      if (record.kind === "oversize") {
        skipped += 1;
        return;
      }
      pending.push(`${values.retime ? retimed(record.text, replay) : record.text}\n`);
      // At a paced speed each line goes out on its own; flat out, lines are written in batches.
      if (speed > 0 || pending.length >= 512) flush();
    },
    onProgress: (p) => {
      if (values.out || !process.stdout.isTTY) {
        process.stderr.write(`\rreplay ${p.percent.toFixed(1)}% · ${p.records} lines · file ${p.fileIndex + 1}/${p.files}`);
      }
    },
  });
  const stop = () => replay.stop();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const result = await replay.run();
  flush();
  if (out !== 1) fs.closeSync(out);
  process.removeListener("SIGINT", stop);
  process.removeListener("SIGTERM", stop);
  process.stderr.write(`\nreplayed ${result.records - skipped} lines from ${result.files} file(s)` +
    (skipped > 0 ? `; skipped ${skipped} line(s) over ${maxLineBytes} bytes` : "") + "\n");
  return 0;
}

/** The line with its timestamp moved to the wall-clock time the replay writes it at; a line without one as it is. */
function retimed(line: string, replay: LogReplay): string {
  const eventMs = timestampMsOf(line);
  const wallMs = eventMs === undefined ? undefined : replay.wallTimeOf(eventMs);
  return wallMs === undefined ? line : withTimestamp(line, epochMsToCowrieTimestamp(wallMs));
}
