/**
 * `honeyflow drill`'s core: labelled attacks drilled into a user's own real Cowrie log, the way
 * detection engineers test rules on their own traffic. One read surveys the log (its style,
 * its addresses, its traffic), the log generator's attack scripts play the episodes in that
 * style, and a second read writes the real lines with the episodes' lines slotted in by time.
 *
 *     const { log } = await drillAttacks({ files: ["cowrie.json"], out: createWriteStream("drill.json"),
 *       seed: "1", episodes: 24, intensity: "mixed" });
 *     log.labels;  // [{ type: "brute-force", src_ips: [...], start, end, first_line, last_line }, ...]
 */
import type { Writable } from "node:stream";
import type { ReplayProgress } from "../../ingest/log-replay";
import { scriptDrillEpisodes, type DrilledEpisode, type DrillPlanOptions } from "./drill-episodes";
import { writeDrilledLog, type DrilledLog } from "./drilled-log-writer";
import { surveyRealLog, type RealLogSurvey } from "./real-log-survey";

export interface AttackDrillOptions extends DrillPlanOptions {
  /** The real log: files, rotated and gzipped ones too, or directories of them. */
  files: string[];
  /** Where the drilled log goes; a function is called only once the episodes are scripted, so a log that cannot be drilled leaves that file as it was. */
  out: Writable | (() => Writable);
  /** Each read's progress: the survey first, then the write. */
  onProgress?: (stage: "survey" | "write", progress: ReplayProgress) => void;
}

export interface AttackDrill {
  readonly survey: RealLogSurvey;
  readonly episodes: readonly DrilledEpisode[];
  readonly log: DrilledLog;
}

export async function drillAttacks(options: AttackDrillOptions): Promise<AttackDrill> {
  const { files, out, onProgress } = options;
  const survey = await surveyRealLog(files, onProgress && ((p) => onProgress("survey", p)));
  const episodes = scriptDrillEpisodes(survey, options);
  const log = await writeDrilledLog(files, episodes, typeof out === "function" ? out() : out, onProgress && ((p) => onProgress("write", p)));
  return { survey, episodes, log };
}
