/**
 * `honeyflow generate`: a synthetic Cowrie log with labelled attack episodes, for back-tests
 * and benchmarks that need ground truth.
 *
 *     honeyflow generate --events 20000 --seed 42 --out cowrie.json
 *     # cowrie.json: 20,000 lines; cowrie.json.labels.json: the episodes injected into it
 *     honeyflow generate --episodes 0 --rate 3 --events 40000 --regime-every 60m --out demo.json
 *     # demo.json.regimes.json: when a new botnet's traffic replaced the old one's
 *
 * Lines are written in chunks through a stream that is allowed to drain, so a million-line
 * log takes seconds and little memory. Progress goes to stderr, once a second.
 */
import { once } from "node:events";
import { createWriteStream, promises as fs } from "node:fs";
import { finished } from "node:stream/promises";
import { parseArgs } from "node:util";
import { CowrieLogGenerator } from "../datasets/synth/cowrie/cowrie-log-generator";
import { epochMsToCowrieTimestamp } from "../ingest/cowrie-timestamp";
import { parseDurationOption, parseTimeOption } from "./time-options";

const DEFAULT_EVENTS = 20_000;
const DEFAULT_SEED = "1";
/** Characters gathered before a write: large enough that per-write overhead vanishes. */
const CHUNK_CHARS = 1 << 20;
const PROGRESS_INTERVAL_MS = 1000;

const USAGE = `usage: honeyflow generate --out FILE [--events N] [--seed S] [--start TIME] [--rate R] [--episodes N]
                          [--regime-change TIME]... [--regime-every DURATION]

Writes a synthetic Cowrie 2.x JSON log, one event per line, with attack episodes injected
into realistic background traffic, and the episodes to FILE.labels.json as
[{type, src_ips, start, end, first_line, last_line}, ...].

options:
  -o, --out FILE     the log to write (required); its labels go to FILE.labels.json
  -n, --events N     exact number of lines (default ${DEFAULT_EVENTS})
  -s, --seed S       any text; the same seed writes the same bytes (default ${DEFAULT_SEED})
      --start TIME   time of the first event, ISO 8601, UTC unless an offset is given
                     (default ${epochMsToCowrieTimestamp(CowrieLogGenerator.DEFAULT_START_MS)})
      --rate R       mean background events per second (default ${CowrieLogGenerator.DEFAULT_RATE.toFixed(4)}, the
                     reference sensor's; a busy sensor writing 20-200 MB a day
                     sees 0.4-4)
      --episodes N   at most N attack episodes (default: as many as the length calls
                     for, below); 0 writes background only, for honeyflow drill
      --regime-change TIME
                     from TIME on, a new botnet's traffic (other clients, another mix of
                     sessions and rate) replaces the old one's; TIME is ISO 8601 or a
                     duration after --start such as 40m; repeat for more changes
      --regime-every DURATION
                     a regime change this often, e.g. 60m. Planted changes go to
                     FILE.regimes.json as [{at, from, to, first_line}, ...]
  -h, --help         show this help

Episode types: brute-force, credential-stuffing, port-scan/tunnel, traffic-spike,
malware-drop, unusual-behaviour. They start after the first 20% of the lines and never
overlap; every type appears when N >= 5000, once more per further 50,000 lines, and
shorter logs get as many as fit (none below about 700 lines). An episode that would not
finish before line N at the chosen rate is left out.
`;

interface GenerateOptions {
  out: string;
  events: number;
  seed: string;
  startMs: number;
  rate: number;
  maxEpisodes?: number;
  regimeChangesAt: number[];
  regimeEveryMs?: number;
}

export async function run(argv: string[]): Promise<number> {
  let options: GenerateOptions | "help";
  try {
    options = parseOptions(argv);
  } catch (err) {
    process.stderr.write(`honeyflow generate: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options === "help") {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    await writeLog(options);
  } catch (err) {
    process.stderr.write(`honeyflow generate: ${(err as Error).message}\n`);
    return 1;
  }
  return 0;
}

/** The options, or "help"; throws with a message for the user on anything malformed. */
function parseOptions(argv: string[]): GenerateOptions | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: "string", short: "o" },
      events: { type: "string", short: "n" },
      seed: { type: "string", short: "s" },
      start: { type: "string" },
      rate: { type: "string" },
      episodes: { type: "string" },
      "regime-change": { type: "string", multiple: true },
      "regime-every": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: false,
    strict: true,
  });
  if (values.help) return "help";
  if (!values.out) throw new Error("--out FILE is required");
  const startMs = values.start === undefined ? CowrieLogGenerator.DEFAULT_START_MS : parseTimeOption("--start", values.start);
  return {
    out: values.out,
    events: values.events === undefined ? DEFAULT_EVENTS : parseCount("--events", values.events),
    seed: values.seed ?? DEFAULT_SEED,
    startMs,
    rate: values.rate === undefined ? CowrieLogGenerator.DEFAULT_RATE : parseRate(values.rate),
    maxEpisodes: values.episodes === undefined ? undefined : parseCount("--episodes", values.episodes),
    regimeChangesAt: (values["regime-change"] ?? []).map((text) => parseRegimeChange(text, startMs)),
    regimeEveryMs: values["regime-every"] === undefined ? undefined : parseDurationOption("--regime-every", values["regime-every"]),
  };
}

function parseCount(option: string, text: string): number {
  const count = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(count)) throw new Error(`${option} must be a whole number, not '${text}'`);
  return count;
}

function parseRate(text: string): number {
  const rate = text.trim() === "" ? NaN : Number(text);
  if (!Number.isFinite(rate) || rate <= 0) throw new Error(`--rate must be a positive number of events per second, not '${text}'`);
  return rate;
}

/** An ISO 8601 time, or a duration after the log's start. */
function parseRegimeChange(text: string, startMs: number): number {
  for (const parse of [() => parseTimeOption("--regime-change", text), () => startMs + parseDurationOption("--regime-change", text)]) {
    try {
      return parse();
    } catch {
      // not this form; try the other
    }
  }
  throw new Error(`--regime-change must be an ISO 8601 time or a duration after --start such as 40m, not '${text}'`);
}

async function writeLog(options: GenerateOptions): Promise<void> {
  const began = Date.now();
  const generator = new CowrieLogGenerator(options);
  const out = createWriteStream(options.out);
  // Watch for errors from the start: opening the file fails asynchronously.
  const done = finished(out);
  done.catch(() => undefined);
  let chunk = "";
  let bytes = 0;
  let nextReport = began + PROGRESS_INTERVAL_MS;
  try {
    for (const { line } of generator) {
      chunk += line + "\n";
      if (chunk.length < CHUNK_CHARS) continue;
      bytes += Buffer.byteLength(chunk);
      if (!out.write(chunk)) await Promise.race([once(out, "drain"), done]);
      chunk = "";
      if (Date.now() >= nextReport) {
        const percent = Math.floor((100 * generator.linesWritten) / options.events);
        process.stderr.write(`honeyflow generate: ${percent}% (${generator.linesWritten}/${options.events} lines)\n`);
        nextReport = Date.now() + PROGRESS_INTERVAL_MS;
      }
    }
  } catch (err) {
    // A log the generator could not finish (one that would run past year 9999) is not left
    // half-written to pass for one.
    out.destroy();
    await done.catch(() => undefined);
    await fs.rm(options.out, { force: true });
    throw err;
  }
  bytes += Buffer.byteLength(chunk);
  out.end(chunk);
  await done;
  const labelsFile = `${options.out}.labels.json`;
  await fs.writeFile(labelsFile, `${JSON.stringify(generator.labels, null, 2)}\n`);
  // Only when asked for: a log without regime changes comes with the files it always came with.
  const regimesFile = options.regimeChangesAt.length > 0 || options.regimeEveryMs !== undefined ? `${options.out}.regimes.json` : undefined;
  if (regimesFile) await fs.writeFile(regimesFile, `${JSON.stringify(generator.regimes, null, 2)}\n`);
  const seconds = ((Date.now() - began) / 1000).toFixed(1);
  process.stdout.write(
    `wrote ${generator.linesWritten} lines (${(bytes / 1e6).toFixed(1)} MB) to ${options.out} and ` +
      `${generator.labels.length} episodes to ${labelsFile}${regimesFile ? ` and ${generator.regimes.length} regime changes to ${regimesFile}` : ""} in ${seconds} s\n`,
  );
}
