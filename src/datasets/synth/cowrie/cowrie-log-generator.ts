/**
 * A synthetic Cowrie 2.x JSON log with labelled attack episodes, reproducible from a seed.
 *
 * Detectors need ground truth that real honeypot logs do not carry, at volumes the real
 * reference log (sensor-aws-2026-03: 5,058 events, 922 sessions, 137 source IPs over 9 days)
 * does not reach. This generator imitates that sensor and marks where attacks were injected.
 *
 * Background traffic. Visits - one source IP running one bot (a Go credential sprayer, a
 * banner scanner, a scripted client) for one or more sessions a few seconds apart - arrive as
 * a Poisson process, so traffic is bursty the way a real sensor's is. Each session follows one
 * of the event sequences seen on the reference sensor (connect, version, kex, one failed login,
 * closed; or a login, `uname`, tty log, closed; ...), with its field order, messages,
 * client versions and hassh fingerprints, credentials and commands. Now and then attackers'
 * text holds quotes, commas, `#`, `<script>`, Slack `<!channel>`, newlines and control
 * characters, as on a real sensor; `JSON.stringify` keeps every line valid JSON.
 *
 * Attack episodes. Six kinds (ATTACK_TYPES) are injected after a warm-up of 20% of the lines,
 * one at a time, in slots spread evenly over the rest of the log: with at least 5,000 lines
 * every kind appears at least once, and once more per further 50,000 lines; below 5,000 lines
 * only as many as fit (none below about 700). An episode that could not finish before the
 * last line - a high `rate` makes episodes span many background lines - is left out.
 * Episodes use source IPs that background traffic never uses, so every line of an episode
 * carries one of its label's `src_ips`.
 *
 * Regime changes, when asked for (`regimeChangesAt`, `regimeEveryMs`). From each planted time on,
 * visits come from the next of bot-profiles' POPULATIONS: another botnet, with its own clients,
 * session mix and rate, replaces the one before, whose addresses stop coming back. `regimes`
 * says when each change was planted and the first line its new population wrote. Without any,
 * the log is the same bytes as before the option existed.
 *
 * Events of concurrent sessions are merged by time through a min-heap, so lines are in
 * timestamp order and only sessions in flight are held in memory. The log stops after exactly
 * `events` lines; sessions still open at that point are cut off as a live log would be.
 *
 *     const generator = new CowrieLogGenerator({ events: 20000, seed: "42" });
 *     for (const { line, lineNumber, episode } of generator) {
 *       // line: one JSON object; episode: index into generator.labels, or undefined
 *     }
 *     generator.labels;  // [{ type: "brute-force", src_ips: [...], first_line: 5113, ... }, ...]
 */
import { SeededRandom } from "../../../stats/seeded-random";
import { ATTACK_TYPES, type AttackEpisodeLabel, type AttackType } from "../../../domain/attack-types";
import { EVENT_TIME_RANGE_MS } from "../../../domain/canonical-event";
import { epochMsToCowrieTimestamp } from "../../../ingest/cowrie-timestamp";
import { EPISODE_SCRIPTS } from "./attack-episodes";
import { scriptVisit } from "./background-sessions";
import { GO_SPRAYERS, POPULATIONS, type BotPopulation } from "./bot-profiles";
import { inventSensor } from "./sensor-identity";
import { SessionIds } from "./session-ids";
import { MICROS_PER_SECOND, ScriptWriter, seconds, type ScriptedEvent } from "./session-script";
import { SourceAddresses } from "./source-addresses";

export interface GeneratedLine {
  /** One Cowrie event as JSON, without the newline. */
  line: string;
  /** 1-based. */
  lineNumber: number;
  /** Index into `labels` of the episode this line belongs to; undefined for background. */
  episode?: number;
}

export interface CowrieLogGeneratorOptions {
  /** Exact number of lines to produce. */
  events: number;
  seed: string | number;
  /** Epoch milliseconds of the log's beginning; default 2026-03-18T00:00:00Z. */
  startMs?: number;
  /** Mean background events per second; default the reference sensor's. */
  rate?: number;
  /**
   * At most this many attack episodes; default as many as the log's length calls for. 0 writes
   * background alone, for `honeyflow drill` to put attacks into where it is told.
   */
  maxEpisodes?: number;
  /** Epoch milliseconds at which a new botnet's traffic replaces the old one's. */
  regimeChangesAt?: readonly number[];
  /** A regime change this often after `startMs`, until the log ends (beside `regimeChangesAt`). */
  regimeEveryMs?: number;
}

/** One planted regime change, as written to `FILE.regimes.json`. */
export interface RegimeChangeLabel {
  /** The planted time, as Cowrie writes timestamps: visits from then on come from `to`. */
  at: string;
  /** Names of the bot populations (bot-profiles' POPULATIONS) before and after. */
  from: string;
  to: string;
  /** The first line the new population wrote (1-based). */
  first_line: number;
}

// The reference sensor: 5,058 events from 922 sessions in 221.6 hours.
const REFERENCE_EVENTS_PER_SECOND = 5058 / 797_843;
const REFERENCE_EVENTS_PER_SESSION = 5058 / 922;

const WARM_UP_FRACTION = 0.2;
const EPISODE_AREA_FRACTION = 0.72;
const FULL_EPISODE_SET_MIN_EVENTS = 5000;
const EVENTS_PER_EPISODE_ROUND = 50_000;
/** Below this many lines per slot an episode is not worth injecting. */
const MIN_EPISODE_SLOT = 500;
/** Share of a slot an episode's own events may fill; the rest is background around it. */
const EPISODE_BUDGET_FRACTION = 0.45;
interface EpisodeInFlight {
  readonly type: AttackType;
  readonly srcIps: string[];
  /** Events still waiting in the queue. */
  remaining: number;
  /** Index in `labels`, assigned when the first line is written. */
  labelIndex: number;
}

interface PendingEvent {
  readonly timeUs: number;
  /** Tie-break so that events at the same microsecond keep the order they were scripted in. */
  readonly order: number;
  readonly event: Record<string, unknown>;
  readonly episode: EpisodeInFlight | undefined;
  /** On the first event of a regime's first visit: the changes it opens, their first_line still to fill. */
  readonly regimes?: RegimeChangeLabel[];
}

/** A binary min-heap of scripted events by time: the sessions in flight, merged. */
class PendingEvents {
  private readonly heap: PendingEvent[] = [];

  get size(): number {
    return this.heap.length;
  }

  peekTimeUs(): number {
    return this.heap[0].timeUs;
  }

  push(item: PendingEvent): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(item, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = item;
  }

  pop(): PendingEvent {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop() as PendingEvent;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= heap.length) break;
        const right = left + 1;
        const child = right < heap.length && earlier(heap[right], heap[left]) ? right : left;
        if (!earlier(heap[child], last)) break;
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}

function earlier(a: PendingEvent, b: PendingEvent): boolean {
  return a.timeUs < b.timeUs || (a.timeUs === b.timeUs && a.order < b.order);
}

interface PlannedEpisode {
  readonly type: AttackType;
  /** The episode starts once this many lines are written (and the previous one is over). */
  readonly afterLine: number;
  readonly budget: number;
}

/**
 * Slots spread evenly after the warm-up: a full set of the six types for 5,000 lines and one
 * more per 50,000; for shorter logs only as many slots of MIN_EPISODE_SLOT lines as fit.
 */
function planEpisodes(random: SeededRandom, events: number, maxEpisodes: number): PlannedEpisode[] {
  const area = events * EPISODE_AREA_FRACTION;
  const count =
    events >= FULL_EPISODE_SET_MIN_EVENTS
      ? ATTACK_TYPES.length * Math.max(1, Math.floor(events / EVENTS_PER_EPISODE_ROUND))
      : Math.min(ATTACK_TYPES.length, Math.floor(area / MIN_EPISODE_SLOT));
  const types: AttackType[] = [];
  while (types.length < count) types.push(...random.shuffled(ATTACK_TYPES));
  const slot = area / Math.max(1, count);
  return types.slice(0, count).map((type, i) => ({
    type,
    afterLine: Math.ceil(events * WARM_UP_FRACTION + i * slot + random.uniform(0, 0.25 * slot)),
    budget: Math.floor(slot * EPISODE_BUDGET_FRACTION),
  })).slice(0, maxEpisodes); // after the draws: fewer episodes leave the background as it was
}

export class CowrieLogGenerator implements IterableIterator<GeneratedLine> {
  static readonly DEFAULT_START_MS = Date.UTC(2026, 2, 18);
  static readonly DEFAULT_RATE = REFERENCE_EVENTS_PER_SECOND;

  readonly events: number;
  private readonly rate: number;
  private readonly random: SeededRandom;
  private readonly sources: SourceAddresses;
  private readonly writer: ScriptWriter;
  private readonly queue = new PendingEvents();
  private readonly plan: PlannedEpisode[];
  private readonly episodeLabels: AttackEpisodeLabel[] = [];
  private nextPlanned = 0;
  private current: EpisodeInFlight | undefined;
  private nextVisitUs: number;
  private readonly regimeChanges: RegimeChangePlan;
  private population: BotPopulation = GO_SPRAYERS;
  private readonly regimeLabels: RegimeChangeLabel[] = [];
  private clockUs: number;
  private written = 0;
  private order = 0;

  constructor(options: CowrieLogGeneratorOptions) {
    const { events, seed } = options;
    const startMs = options.startMs ?? CowrieLogGenerator.DEFAULT_START_MS;
    const rate = options.rate ?? CowrieLogGenerator.DEFAULT_RATE;
    if (!Number.isSafeInteger(events) || events < 0) throw new RangeError(`events must be a whole number >= 0, not ${events}`);
    if (!Number.isFinite(rate) || rate <= 0) throw new RangeError(`rate must be a positive number of events per second, not ${rate}`);
    if (!Number.isFinite(startMs)) throw new RangeError(`startMs must be a finite epoch time, not ${startMs}`);
    const maxEpisodes = options.maxEpisodes ?? Infinity;
    if (!(maxEpisodes >= 0) || !(Number.isSafeInteger(maxEpisodes) || maxEpisodes === Infinity)) {
      throw new RangeError(`maxEpisodes must be a whole number >= 0, not ${maxEpisodes}`);
    }
    this.regimeChanges = new RegimeChangePlan(startMs, options.regimeChangesAt ?? [], options.regimeEveryMs);
    this.events = events;
    this.rate = rate;
    this.random = new SeededRandom(seed);
    const sensor = inventSensor(this.random);
    this.sources = new SourceAddresses(this.random);
    this.writer = new ScriptWriter(this.random, sensor, this.sources, new SessionIds(this.random));
    this.plan = planEpisodes(this.random, events, maxEpisodes);
    this.clockUs = Math.round(startMs * 1000);
    this.nextVisitUs = this.clockUs;
  }

  /** Episodes written so far; complete once the iteration is done. */
  get labels(): readonly AttackEpisodeLabel[] {
    return this.episodeLabels;
  }

  /** Regime changes whose new population has written a line so far; complete once the iteration is done. */
  get regimes(): readonly RegimeChangeLabel[] {
    return this.regimeLabels;
  }

  get linesWritten(): number {
    return this.written;
  }

  [Symbol.iterator](): this {
    return this;
  }

  next(): IteratorResult<GeneratedLine, undefined> {
    if (this.written >= this.events) return { done: true, value: undefined };
    this.startDueEpisode();
    // A visit's first event is its connect at nextVisitUs, so every event up to then is queued.
    while (this.queue.size === 0 || this.nextVisitUs <= this.queue.peekTimeUs()) this.startVisit();
    const pending = this.queue.pop();
    // A Cowrie timestamp has four digits of year: a later event would be written as +010000-...,
    // a line every reader (clean among them) rejects.
    if (pending.timeUs / 1000 >= EVENT_TIME_RANGE_MS.before) {
      throw new RangeError(`line ${this.written + 1} would fall past 9999-12-31, the last day a Cowrie timestamp can say: give an earlier --start, fewer events or a higher rate`);
    }
    this.written += 1;
    this.clockUs = pending.timeUs;
    const line = JSON.stringify(pending.event);
    const episode = pending.episode && this.recordEpisodeLine(pending.episode, pending.event.timestamp as string);
    for (const regime of pending.regimes ?? []) this.regimeLabels.push({ ...regime, first_line: this.written });
    return { done: false, value: { line, lineNumber: this.written, episode } };
  }

  private startVisit(): void {
    const regimes = this.enterDueRegimes();
    scriptVisit(this.writer, this.sources.visitor(this.population.bots), this.nextVisitUs);
    const scripted = this.writer.take();
    scripted.forEach((item, i) => this.enqueue(item, undefined, i === 0 ? regimes : undefined));
    // The pause after a visit is exponential with the mean time its events take at the rate:
    // visits form a Poisson-like process and the long-run background rate is the rate.
    const rate = this.rate * this.population.rateFactor;
    const nextVisitUs = this.nextVisitUs + Math.max(1, seconds(this.random.exponential(scripted.length / rate)));
    // The new population's first visit comes at the planted time, not after the old one's pause.
    this.nextVisitUs = Math.min(nextVisitUs, Math.max(this.nextVisitUs + 1, Math.round(this.regimeChanges.upcoming() * 1000)));
  }

  /** The changes planted up to the next visit's start: each hands the sensor to the next population. */
  private enterDueRegimes(): RegimeChangeLabel[] | undefined {
    let entered: RegimeChangeLabel[] | undefined;
    for (let at = this.regimeChanges.due(this.nextVisitUs / 1000); at !== undefined; at = this.regimeChanges.due(this.nextVisitUs / 1000)) {
      const from = this.population;
      this.population = POPULATIONS[(POPULATIONS.indexOf(from) + 1) % POPULATIONS.length];
      this.sources.forgetVisitors();
      (entered ??= []).push({ at: epochMsToCowrieTimestamp(at), from: from.name, to: this.population.name, first_line: 0 });
    }
    return entered;
  }

  private startDueEpisode(): void {
    const planned = this.plan[this.nextPlanned];
    if (!planned || this.written < planned.afterLine) return;
    if (this.current && this.current.remaining > 0) return;
    this.nextPlanned += 1;
    const startUs = this.clockUs + seconds(this.random.uniform(1, 30));
    const srcIps = EPISODE_SCRIPTS[planned.type](this.writer, {
      startUs,
      budget: planned.budget,
      backgroundSessionsPerSecond: this.rate / REFERENCE_EVENTS_PER_SESSION,
    });
    const scripted = this.writer.take();
    const endUs = scripted.reduce((latest, item) => Math.max(latest, item.timeUs), startUs);
    const backgroundMeanwhile = (this.rate * (endUs - this.clockUs)) / MICROS_PER_SECOND;
    // An episode cut off by the end of the log would be labelled by its first half only; the
    // margin covers background bursts well beyond their mean.
    if (this.written + scripted.length + 1.5 * backgroundMeanwhile + 20 > this.events) return;
    this.current = { type: planned.type, srcIps, remaining: scripted.length, labelIndex: -1 };
    for (const item of scripted) this.enqueue(item, this.current);
  }

  private enqueue(item: ScriptedEvent, episode: EpisodeInFlight | undefined, regimes?: RegimeChangeLabel[]): void {
    this.queue.push({ timeUs: item.timeUs, order: this.order++, event: item.event, episode, ...(regimes ? { regimes } : {}) });
  }

  private recordEpisodeLine(episode: EpisodeInFlight, timestamp: string): number {
    episode.remaining -= 1;
    if (episode.labelIndex < 0) {
      episode.labelIndex = this.episodeLabels.length;
      this.episodeLabels.push({
        type: episode.type,
        src_ips: episode.srcIps,
        start: timestamp,
        end: timestamp,
        first_line: this.written,
        last_line: this.written,
      });
    } else {
      const label = this.episodeLabels[episode.labelIndex];
      label.end = timestamp;
      label.last_line = this.written;
    }
    return episode.labelIndex;
  }
}

/** When regime changes are planted: the times given, and one every `everyMs` after the start. */
class RegimeChangePlan {
  private readonly times: number[];
  private next = 0;
  private nextEvery: number;

  constructor(startMs: number, times: readonly number[], private readonly everyMs: number | undefined) {
    if (!times.every(Number.isFinite)) throw new RangeError(`regimeChangesAt must hold finite epoch times, not ${times.join(", ")}`);
    if (everyMs !== undefined && !(everyMs > 0 && Number.isFinite(everyMs))) throw new RangeError(`regimeEveryMs must be a positive number of milliseconds, not ${everyMs}`);
    this.times = [...times].sort((a, b) => a - b);
    this.nextEvery = everyMs === undefined ? Infinity : startMs + everyMs;
  }

  /** The earliest planted time not yet taken; Infinity when there is none. */
  upcoming(): number {
    return Math.min(this.times[this.next] ?? Infinity, this.nextEvery);
  }

  /** The earliest planted time at or before `nowMs` not yet taken, taken now; undefined when none is due. */
  due(nowMs: number): number | undefined {
    const planned = this.upcoming();
    if (!(planned <= nowMs)) return undefined;
    if (planned === this.nextEvery) this.nextEvery += this.everyMs as number;
    if (planned === this.times[this.next]) this.next += 1;
    return planned;
  }
}
