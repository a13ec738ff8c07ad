/**
 * `honeyflow drill`: labelled attacks drilled into your own real Cowrie log, in its format, so
 * that detection is measured on your sensor's traffic rather than on a generated background.
 *
 *     honeyflow drill --input /var/log/cowrie/cowrie.json --out drill.json --episodes 24 --intensity mixed
 *     honeyflow eval --input drill.json     # reads drill.json.labels.json
 *
 * Progress goes to stderr; the episodes drilled are listed on stdout.
 */
import { createWriteStream, promises as fs, rmSync, statSync } from "node:fs";
import { parseArgs } from "node:util";
import { drillAttacks } from "../datasets/drill/attack-drill";
import { DRILL_INTENSITIES, isDrillIntensity, type DrillIntensity } from "../datasets/drill/drill-intensity";
import { DEFAULT_GAP_MS } from "../datasets/drill/drill-episodes";
import { ATTACK_TYPES, isAttackType, type AttackType } from "../domain/attack-types";
import { IMPLAUSIBLE_CLOCK_JUMP_MS } from "../domain/canonical-event";
import { epochMsToIsoString } from "../ingest/cowrie-timestamp";
import { listLogFiles } from "../ingest/log-replay";
import { refuseOutputOverInput } from "./output-over-input";
import { parseDurationOption, parseTimeOption } from "./time-options";
import { UsageError } from "./usage-error";

const DEFAULT_SEED = "1";
const DEFAULT_EPISODES = 24;
/** Each episode's lines are held in memory until written; a hundred times a careful drill's is plenty. */
const MAX_EPISODES = 10_000;
const DEFAULT_INTENSITY: DrillIntensity = "mixed";

export const USAGE = `usage: honeyflow drill --input REAL.json... --out DRILL.json [--seed S] [--episodes N]
                       [--intensity ${DRILL_INTENSITIES.join("|")}] [--start TIME] [--every DURATION]
                       [--gap DURATION] [--types T,T...]

Injects labelled attack episodes (brute-force, credential-stuffing, port-scan/tunnel,
traffic-spike, malware-drop, unusual-behaviour, in turn) into a real Cowrie log, written as
that log writes its events (sensor, protocol, uuid or none, durations, connection fields,
timestamps) from source addresses the log never uses, and writes DRILL.json with the real
lines unchanged and in order and the episodes' lines in time order among them, and
DRILL.json.labels.json as [{type, src_ips, start, end, first_line, last_line}, ...] for
\`honeyflow eval --input DRILL.json\`. Blank lines of the real log are left out.

options:
  -i, --input FILE     the real log: files (rotated, gzipped) or directories; repeat the
                       option or list the files after it (required)
  -o, --out FILE       the drilled log to write (required); labels go to FILE.labels.json
  -s, --seed S         any text; the same seed and log give the same bytes (default ${DEFAULT_SEED})
  -n, --episodes N     episodes to drill (default ${DEFAULT_EPISODES}, at most ${MAX_EPISODES})
      --intensity I    low: just above what a hand-written SOC rule catches; high: blatant;
                       mid between; mixed cycles low, mid, high (default ${DEFAULT_INTENSITY})
      --start TIME     first episode's time, ISO 8601 (default: spread over the log's span)
      --every DURATION time between episode starts, e.g. 90m, 6h, 1d (default: the span
                       shared out evenly); an episode that runs long pushes the next ones on
      --types T,T...   drill only these types, comma-separated (default all six)
      --gap DURATION   quiet time kept after each episode's end (default ${DEFAULT_GAP_MS / 60_000}m: no
                       alert of one episode can be taken for the next one's)
  -h, --help           show this help
`;

interface DrillCommandOptions {
  files: string[];
  out: string;
  seed: string;
  episodes: number;
  intensity: DrillIntensity;
  startMs?: number;
  everyMs?: number;
  gapMs?: number;
  types?: AttackType[];
}

/**
 * Resolves to the exit code; a command line it cannot run, or a log that is not there, is
 * thrown (UsageError, LogNotFoundError) for `honeyflow` to answer as it does for every command.
 */
export async function run(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  if (options === "help") {
    process.stdout.write(USAGE);
    return 0;
  }
  const files = listLogFiles(options.files); // before the output is opened: a mistyped log is said, not drilled into an empty one
  // The log is read twice, surveyed then written: a pipe's second read would find it drained and
  // write the drilled lines with none of the real ones.
  const pipe = files.find((file) => !statSync(file).isFile());
  if (pipe !== undefined) throw new UsageError(`--input ${pipe} is not a file but a pipe or device: a drill reads its log twice, so save it to a file first`);
  refuseOutputOverInput(files, [["--out", options.out], ["--out", `${options.out}.labels.json`]]);
  try {
    await drill(options);
  } catch (err) {
    process.stderr.write(`\nhoneyflow drill: ${(err as Error).message}\n`);
    return 1;
  }
  return 0;
}

/** The options, or "help"; throws a UsageError on anything malformed. */
function parseOptions(argv: string[]): DrillCommandOptions | "help" {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      input: { type: "string", short: "i", multiple: true },
      out: { type: "string", short: "o" },
      seed: { type: "string", short: "s" },
      episodes: { type: "string", short: "n" },
      intensity: { type: "string" },
      start: { type: "string" },
      every: { type: "string" },
      gap: { type: "string" },
      types: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) return "help";
  const files = [...(values.input ?? []), ...positionals];
  if (files.length === 0) throw new UsageError("--input FILE is required");
  if (!values.out) throw new UsageError("--out FILE is required");
  const intensity = values.intensity ?? DEFAULT_INTENSITY;
  if (!isDrillIntensity(intensity)) throw new UsageError(`--intensity must be one of ${DRILL_INTENSITIES.join(", ")}, not '${intensity}'`);
  const episodes = values.episodes === undefined ? DEFAULT_EPISODES : /^\d+$/.test(values.episodes) ? Number(values.episodes) : NaN;
  if (!(Number.isSafeInteger(episodes) && episodes >= 1 && episodes <= MAX_EPISODES)) {
    throw new UsageError(`--episodes must be a whole number from 1 to ${MAX_EPISODES}, not '${values.episodes}'`);
  }
  return {
    files,
    out: values.out,
    seed: values.seed ?? DEFAULT_SEED,
    episodes,
    intensity,
    startMs: values.start === undefined ? undefined : parseTimeOption("--start", values.start),
    everyMs: values.every === undefined ? undefined : parseDurationOption("--every", values.every),
    gapMs: values.gap === undefined ? undefined : parseDurationOption("--gap", values.gap),
    types: values.types === undefined ? undefined : parseTypes(values.types),
  };
}

function parseTypes(text: string): AttackType[] {
  const types = text.split(",").map((type) => type.trim());
  const unknown = types.filter((type) => !isAttackType(type));
  if (types.length === 0 || unknown.length > 0) throw new UsageError(`--types takes a comma-separated list of ${ATTACK_TYPES.join(", ")}, not '${text}'`);
  return [...new Set(types as AttackType[])];
}

async function drill(options: DrillCommandOptions): Promise<void> {
  const began = Date.now();
  const labelsFile = `${options.out}.labels.json`;
  let rewriting = false;
  const interrupted = () => {
    process.stderr.write(`\nhoneyflow drill: interrupted${rewriting ? `: ${options.out} is incomplete and has no labels` : ` before ${options.out} was written`}\n`);
    process.exit(130);
  };
  process.once("SIGINT", interrupted);
  const { survey, episodes, log } = await drillAttacks({
    ...options,
    out: () => {
      // An earlier drill's labels beside a log this run leaves half-written (a full disk, Ctrl-C)
      // would be taken by honeyflow eval for its own.
      rmSync(labelsFile, { force: true });
      rewriting = true;
      return createWriteStream(options.out);
    },
    onProgress: (stage, p) => process.stderr.write(`\rdrill: ${stage === "survey" ? "reading" : "writing"} ${p.percent.toFixed(1)}% · ${p.records} lines`),
  }).finally(() => process.removeListener("SIGINT", interrupted));
  await fs.writeFile(labelsFile, `${JSON.stringify(log.labels, null, 2)}\n`);
  process.stderr.write("\n");
  // --start and --every may place episodes before the log's first event or after its last,
  // where no real traffic surrounds them: detection measured there is not the sensor's.
  const outside = episodes.filter((e) => e.lines[0].timeUs / 1000 < survey.firstMs || e.lines[0].timeUs / 1000 > survey.lastMs).length;
  if (outside > 0) {
    process.stderr.write(`honeyflow drill: warning: ${outside} of ${episodes.length} episodes start outside the log's time (${epochMsToIsoString(survey.firstMs)} to ${epochMsToIsoString(survey.lastMs)}), ` +
      "with none of its traffic around them\n");
  }
  const jump = survey.widestJump;
  if (jump.ms > IMPLAUSIBLE_CLOCK_JUMP_MS) {
    process.stderr.write(`honeyflow drill: warning: the log's time jumps ${(jump.ms / 86_400_000).toFixed(0)} days between lines ${jump.from.line} and ${jump.to.line} ` +
      "(a sensor clock reset, or logs months apart): the episodes are spread over the gap and sized by traffic averaged over it; drill the parts apart, or leave those lines out\n");
  }
  const listing = log.labels.map((label, i) =>
    `  ${label.start}  ${label.type.padEnd(20)} ${episodes[i].intensity.padEnd(5)} lines ${label.first_line}-${label.last_line}, ${label.src_ips.length} source${label.src_ips.length === 1 ? "" : "s"}`);
  const seconds = ((Date.now() - began) / 1000).toFixed(1);
  process.stdout.write(
    `sensor ${survey.style.sensor ?? "(unnamed)"}, ${survey.style.protocol ?? "ssh"}: ${survey.lines} real lines, ` +
      `${log.drilledLines} drilled lines in ${log.labels.length} episodes\n${listing.join("\n")}\n` +
      `wrote ${log.lines} lines to ${options.out} and the labels to ${labelsFile} in ${seconds} s\n`,
  );
}
