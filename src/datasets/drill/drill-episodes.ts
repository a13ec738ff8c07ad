/**
 * The attack episodes drilled into a real log: which types (rounds of the six ATTACK_TYPES in
 * a seeded order), at which intensity, when (spread over the log's time span, or from a start
 * at a fixed cadence, never overlapping), played out by the log generator's own attack scripts
 * and written in the log's style, from addresses and session ids the log never uses.
 *
 *     const episodes = scriptDrillEpisodes(survey, { seed: "1", episodes: 24, intensity: "mixed" });
 *     episodes[0];  // { type: "malware-drop", intensity: "low", srcIps: [...], lines: [...] }
 */
import { ATTACK_TYPES, type AttackType } from "../../domain/attack-types";
import { SeededRandom } from "../../stats/seeded-random";
import { EPISODE_SCRIPTS } from "../synth/cowrie/attack-episodes";
import { SessionIds } from "../synth/cowrie/session-ids";
import { ScriptWriter } from "../synth/cowrie/session-script";
import { SourceAddresses } from "../synth/cowrie/source-addresses";
import { episodeSize, intensityOfEpisode, type DrillIntensity, type EpisodeIntensity } from "./drill-intensity";
import { restyleEpisode, type RestyledLine } from "./episode-restyle";
import type { RealLogSurvey } from "./real-log-survey";

export interface DrillPlanOptions {
  seed: string;
  episodes: number;
  intensity: DrillIntensity;
  /** Epoch ms of the first episode; default: spread over the log's time span. */
  startMs?: number;
  /** Milliseconds between episode starts; default: the span shared out evenly. */
  everyMs?: number;
  /** The types drilled, in shuffled rounds; default all of ATTACK_TYPES. */
  types?: readonly AttackType[];
  /** Quiet milliseconds kept between one episode's end and the next one's start; default DEFAULT_GAP_MS. */
  gapMs?: number;
  /** Drilled lines that may be held in memory until written; default MAX_DRILLED_LINES. */
  maxLines?: number;
}

export interface DrilledEpisode {
  readonly type: AttackType;
  readonly intensity: EpisodeIntensity;
  readonly srcIps: readonly string[];
  /** In time order, in the real log's style. */
  readonly lines: readonly RestyledLine[];
}

/**
 * Quiet time kept between one episode's end and the next one's start: the longest feature
 * window is 5 minutes and an alert counts for an episode up to 60 s after its end, so episodes
 * this far apart are never mistaken for one another. A demo that wants an attack a minute or
 * two asks for less.
 */
export const DEFAULT_GAP_MS = 10 * 60_000;
/**
 * The episodes' lines are all held in memory until the merged log is written: with enough of
 * them Node's default heap runs out and the drill dies in a V8 crash (10,000 high spikes, or a
 * few on a sensor busy enough that one spike is millions of lines). Stopping at a million says
 * so first.
 */
export const MAX_DRILLED_LINES = 1_000_000;
/** A Cowrie timestamp has four digits of year; a later time is written as text no reader takes for one. */
const LAST_COWRIE_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
/** The attack scripts' bound on their own events; a drill sets sizes instead. */
const UNBOUNDED_BUDGET = Number.MAX_SAFE_INTEGER;

export function scriptDrillEpisodes(survey: RealLogSurvey, options: DrillPlanOptions): DrilledEpisode[] {
  const random = new SeededRandom(options.seed);
  const drilled = options.types ?? ATTACK_TYPES;
  if (drilled.length === 0) throw new RangeError("no attack types to drill");
  const types: AttackType[] = [];
  while (types.length < options.episodes) types.push(...random.shuffled(drilled));
  const starts = plannedStartsMs(survey, options, random);
  const sources = new SourceAddresses(random, survey.takenAddresses);
  const writer = new ScriptWriter(random, drilledSensor(survey), sources, new SessionIds(random));
  const sessionIdFor = sessionIdsAvoiding(survey.takenSessions, new SessionIds(random), survey.style.sessionIdLength);
  const connectionNumberFor = connectionNumbersAfter(survey.style.lastConnectionNumber);
  const episodes: DrilledEpisode[] = [];
  const gapMs = options.gapMs ?? DEFAULT_GAP_MS;
  const maxLines = options.maxLines ?? MAX_DRILLED_LINES;
  let heldLines = 0;
  let freeFromMs = -Infinity;
  for (let i = 0; i < options.episodes; i++) {
    const type = types[i];
    const intensity = intensityOfEpisode(options.intensity, i, drilled.length);
    const startUs = Math.round(Math.max(starts[i], freeFromMs) * 1000);
    const afterLastDay = () => new RangeError(`episode ${i + 1} would fall after 9999-12-31, the last day a Cowrie timestamp can say: give an earlier --start or a shorter --every`);
    if (!(startUs / 1000 <= LAST_COWRIE_MS)) throw afterLastDay();
    const srcIps = EPISODE_SCRIPTS[type](writer, {
      startUs,
      budget: UNBOUNDED_BUDGET,
      backgroundSessionsPerSecond: survey.sessionsPerSecond,
      size: episodeSize(type, intensity, survey),
    });
    const lines = restyleEpisode(writer.take(), survey.style, sessionIdFor, connectionNumberFor);
    if (lines[lines.length - 1].timeUs / 1000 > LAST_COWRIE_MS) throw afterLastDay();
    episodes.push({ type, intensity, srcIps, lines });
    heldLines += lines.length;
    if (heldLines > maxLines) {
      throw new RangeError(`by episode ${i + 1} of ${options.episodes} the episodes come to ${heldLines} lines, more than the ${maxLines} a drill holds in memory: drill fewer episodes, or at a lower intensity`);
    }
    freeFromMs = lines[lines.length - 1].timeUs / 1000 + gapMs;
  }
  return episodes;
}

/** Where each episode would start if none ran long. */
function plannedStartsMs(survey: RealLogSurvey, options: DrillPlanOptions, random: SeededRandom): number[] {
  const { episodes, startMs, everyMs } = options;
  const beginMs = startMs ?? survey.firstMs;
  const slotMs = everyMs ?? (survey.lastMs - beginMs) / episodes;
  if (!(slotMs > 0)) {
    throw new RangeError(startMs === undefined ? "the log spans no time (its first and last events are at one instant): give --every" : "the log ends before --start: give --every too");
  }
  // Without a cadence, episodes land anywhere in the middle half of their slot, so that they
  // meet the sensor at different hours; with one, exactly on it.
  const spread = startMs === undefined && everyMs === undefined;
  const first = startMs === undefined ? 0.5 : 0;
  return Array.from({ length: episodes }, (_, i) => beginMs + (i + first + (spread ? random.uniform(-0.25, 0.25) : 0)) * slotMs);
}

/** The sensor the attack scripts address; the restyle writes the log's own fields over it. */
function drilledSensor(survey: RealLogSurvey) {
  const { sensor, dstIp, uuid } = survey.style;
  return { name: sensor ?? "", privateIp: dstIp, publicIp: dstIp, uuid: uuid ?? "" };
}

/**
 * Scripted session ids, as long as the log's own (cut from the 12 hex digits scripted, or made
 * longer from a spare), kept unless the real log (or an earlier replacement) has them.
 */
function sessionIdsAvoiding(taken: ReadonlySet<string>, spare: SessionIds, length: number): (scripted: string) => string {
  const chosen = new Map<string, string>();
  const written = new Set<string>();
  const sized = (id: string) => {
    while (id.length < length) id += spare.next();
    return id.slice(0, length);
  };
  return (scripted) => {
    let id = chosen.get(scripted);
    if (id === undefined) {
      id = sized(scripted);
      while (taken.has(id) || written.has(id)) id = sized(spare.next());
      chosen.set(scripted, id);
      written.add(id);
    }
    return id;
  };
}

/** Drilled connections' numbers for Twisted's `system` prefix: one each, counting on after the log's last. */
function connectionNumbersAfter(last: number): (scripted: string) => number {
  const numbers = new Map<string, number>();
  return (scripted) => {
    let number = numbers.get(scripted);
    if (number === undefined) numbers.set(scripted, (number = last + 1 + numbers.size));
    return number;
  };
}
