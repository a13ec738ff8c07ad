/**
 * Per-source-IP and sensor-wide sliding-window features of Cowrie events, in event time, in
 * bounded memory: the numeric vector that pca and the online detector consume.
 *
 * Event time, not wall-clock time, so that replaying last month's log gives the very features
 * the live run gave. The stream's clock is its watermark: the latest event time seen that no
 * later event disputed. Every event's features describe the windows ending at the watermark's
 * second, with the event itself counted in:
 * - An event up to `latenessToleranceSeconds` older than the watermark (another sensor's
 *   clock, a buffered MQTT bridge) is counted in the second it happened. Exactly the
 *   tolerance late is still in time.
 * - An event later than that is counted as if it happened at the watermark, and counted in
 *   `lateBeyondTolerance`: it did happen, and dropping it could hide an attack that a sensor
 *   delivered late.
 * - An event more than the tolerance ahead of the watermark is a leap, and a leap needs
 *   agreement: the clock follows it at once, but the next event decides. If that one is also
 *   more than the tolerance past the clock before the leap, and no more than the tolerance
 *   before the leap itself, time did move on (a sensor back after a quiet day, the first event
 *   after a night with none) and the leap stands. If not,
 *   one event carried a wrong time (a sensor whose clock stepped, an attacker's stamp inside
 *   clean's future tolerance), and the clock, the sensor-wide traffic and the campaign counts
 *   of its key (which other sensors' sources share) go back to what they were before it,
 *   counted in `unconfirmedLeaps`; only the leaping source's own windows keep it. Without this, a single event stamped a day ahead made every later event late by a day:
 *   all counted in one second, the windows blind (issue 16).
 *   Agreement of the next event, rather than per-sensor clocks, because a wrong stamp and a
 *   real gap look the same until the next event, one sensor's clock can step as well as two
 *   sensors' differ, and on an in-order log the next event always agrees, so valid logs give
 *   the features they gave before. Idle sources are evicted by the clock as it stood before a
 *   leap until the leap is backed, so that a leap a day ahead does not make every source idle.
 * Windows are whole seconds of epoch time (see SourceIpTimeline): the 30 s window ending at
 * second `now` holds seconds now - 29 ... now, so an event exactly 30 s older is out.
 *
 * Per-IP state lives in TrackedSourceIps (LRU + idle TTL); counts in one-second panes
 * (SourceIpTimeline); distinct usernames, passwords and ports in sliding-window KMV sketches
 * (SlidingDistinctCount, exact up to 64 per window); port entropy over the latest 128
 * observations (DstPortEntropy); sensor-wide traffic in TrafficPerMinute; a fetch then a run in
 * one session in DownloadThenRun; the new sources behind one credential pair, command, client
 * version or HASSH in CampaignSources.
 *
 *     const windows = new WindowFeatures({ windowSeconds: [30, 60, 300] });
 *     const { vector, names } = windows.update(event);   // event: a CanonicalEvent from clean
 *     names[0];   // "events_30s"
 */
import { type CanonicalEvent, IMPLAUSIBLE_CLOCK_JUMP_MS } from "../domain/canonical-event";
import { epochMsToIsoString } from "../ingest/cowrie-timestamp";
import { CampaignSources, campaignKeysOf } from "./campaign-sources";
import { DownloadThenRun } from "./download-then-run";
import { DstPortEntropy } from "./dst-port-entropy";
import { heldCopy } from "./held-text";
import { OpenSessions } from "./open-sessions";
import { ProgramsRun } from "./programs-run";
import { programsOf, SensorVocabulary } from "./sensor-vocabulary";
import { SlidingDistinctCount } from "../sketch/sliding-distinct-count";
import { ActivityTally, emptyTally, SourceIpTimeline } from "./source-ip-timeline";
import { TrackedSourceIp, TrackedSourceIps } from "./tracked-source-ips";
import { TrafficPerMinute } from "./traffic-per-minute";

export interface WindowFeaturesOptions {
  /** Window lengths in whole seconds, each a different positive integer; default 30 s, 1 min, 5 min. */
  windowSeconds?: readonly number[];
  /** Most source IPs whose state is kept (LRU beyond); default 100,000. */
  maxTrackedIps?: number;
  /** An IP with no event for this long in event time is forgotten; default 1 h, at least the longest window. */
  idleTtlSeconds?: number;
  /** How late an event may be and still count in its own second; default 5 s. */
  latenessToleranceSeconds?: number;
  /**
   * Usernames tried (or programs run) on the sensor before a new one counts as rare; default
   * 1,000. On a new sensor every word is new, which says nothing about the source.
   */
  vocabularyWarmUp?: number;
}

/** What an event needs for its features: who and when; the rest is read when present. */
export type WindowedEvent = Pick<CanonicalEvent, "src_ip" | "time_ms"> & Partial<CanonicalEvent>;

export interface FeatureRecord {
  src_ip: string;
  /** The sensor that logged the event, when it said ("" otherwise), for the alerts downstream. */
  sensor: string;
  /** The event's own time, ISO-8601 UTC. */
  time: string;
  /** The event's Cowrie eventid, when it had one: typed detection names a wave after a connect, not on it. */
  eventid?: string;
  /**
   * What the source's last malware drop ran (DownloadThenRun's name: the file's SHA-256, or the
   * fetch without its addresses), once it has dropped something: the alert stage makes one alert
   * of the sources that drop the same thing.
   */
  dropped_payload?: string;
  features: Record<string, number>;
  /** The features' values in the order of `names`. */
  vector: number[];
  names: readonly string[];
}

export interface WindowFeaturesStats {
  trackedIps: number;
  events: number;
  /** Events older than the watermark, within the tolerance or not. */
  outOfOrder: number;
  /** Events later than the tolerance, counted at the watermark. */
  lateBeyondTolerance: number;
  /** Events more than the tolerance ahead of the watermark that the next event did not back: the clock went back. */
  unconfirmedLeaps: number;
  evictedIdle: number;
  evictedLeastRecentlyUsed: number;
}

/** What the sensor-wide state says of one event, for its source's timeline. */
interface EventMarks {
  rareUsername: boolean;
  rareCommand: boolean;
  /** The line runs a program the sensor has not made its own (see ProgramsRun), however few it has seen. */
  unfamiliarCommand: boolean;
  /** What the event ran that its session had fetched (DownloadThenRun), if it did. */
  dropped: string | undefined;
}

/** One source IP's state: a few hundred bytes for an IP seen once (see bench/window-features-memory.ts). */
class SourceIpState implements TrackedSourceIp<SourceIpState> {
  readonly timeline = new SourceIpTimeline();
  usernames?: SlidingDistinctCount;
  passwords?: SlidingDistinctCount;
  ports?: SlidingDistinctCount;
  portEntropy?: DstPortEntropy;
  sessions?: OpenSessions;
  /** The session of the source's latest command line, while that line was typed at a person's pace and ran an unfamiliar program. */
  typedUnfamiliarLineSession?: string;
  /** The source has typed, at a person's pace, a program the sensor had seldom run: from then on it teaches the vocabulary nothing (see marksOf). */
  suspect = false;
  /** What the source's last malware drop ran (DownloadThenRun's name). */
  droppedPayload?: string;
  older?: SourceIpState;
  newer?: SourceIpState;

  readonly firstSecond: number;

  constructor(
    readonly ip: string,
    public lastSecond: number,
  ) {
    this.firstSecond = lastSecond;
  }

  /** Adds `event`, counted at `second`, and forgets what no window ending at or after `horizon` needs. */
  record(event: WindowedEvent, marks: EventMarks, second: number, timeMs: number, horizon: number): void {
    if (second > this.lastSecond) this.lastSecond = second;
    this.timeline.forgetBefore(horizon);
    const eventid = event.eventid ?? "";
    let parallelLogin = false;
    let typed = false;
    if (typeof event.session === "string" && (this.sessions || eventid === "cowrie.session.connect")) {
      // A session's pauses by its own sensor's clock: counted late, at the watermark, a sensor's
      // events behind another's clock would all seem to come at once, none typed by a person.
      const sessionMs = event.time_ms;
      const silentMs = (this.sessions ??= new OpenSessions()).observe(event.session, eventid, sessionMs);
      parallelLogin = eventid === "cowrie.login.failed" && this.sessions.othersOpen(event.session, sessionMs) > 0;
      typed = eventid === "cowrie.command.input" && silentMs !== undefined && silentMs >= TYPING_PAUSE_MS;
    }
    const typedUnfamiliar = typed && marks.unfamiliarCommand;
    if (typedUnfamiliar) this.suspect = true;
    // Cowrie logs a line it cannot run as command.failed right after its command.input: the pause
    // that says a person typed it is the one before the input. A line counts once, however many
    // of its parts failed.
    let typedUnknown = false;
    if (eventid === "cowrie.command.input") this.typedUnfamiliarLineSession = typedUnfamiliar ? event.session : undefined;
    else if (eventid === "cowrie.command.failed" && this.typedUnfamiliarLineSession !== undefined && event.session === this.typedUnfamiliarLineSession) {
      typedUnknown = true;
      this.typedUnfamiliarLineSession = undefined;
    }
    const { rareUsername, rareCommand, dropped } = marks;
    if (dropped !== undefined) this.droppedPayload = dropped;
    this.timeline.record({ eventid, duration_ms: event.duration_ms, rareUsername, rareCommand, downloadExec: dropped !== undefined, parallelLogin, typed, typedUnknown }, second, timeMs);
    if (typeof event.username === "string") (this.usernames ??= new SlidingDistinctCount()).add(event.username, second);
    if (typeof event.password === "string") (this.passwords ??= new SlidingDistinctCount()).add(event.password, second);
    // Cowrie 3.x repeats dst_port on every event of a connection; the connect (the honeypot
    // port attacked) and each tunnel request (the port asked for) count once each.
    const port = event.dst_port;
    if ((event.eventid === "cowrie.session.connect" || event.eventid === "cowrie.direct-tcpip.request") && Number.isInteger(port)) {
      (this.ports ??= new SlidingDistinctCount()).add(String(port), second);
      (this.portEntropy ??= new DstPortEntropy()).add(port as number, second);
    }
    this.usernames?.forgetBefore(horizon);
    this.passwords?.forgetBefore(horizon);
    this.ports?.forgetBefore(horizon);
  }
}

/** A leap of the clock not yet backed by a later event, and what to restore if it is not. */
interface Leap {
  fromMs: number;
  /** The leaping event's own time. */
  toMs: number;
  traffic: TrafficPerMinute;
  source: SourceIpState;
  /** The source's last-seen second before the leap; undefined when the leap brought it. */
  sourceLastSecond: number | undefined;
  /** The source's state that the leap's clock found idle, forgotten for the leap and put back if it is not backed. */
  idleSource: SourceIpState | undefined;
  /** The counts of the event's campaign keys before it, which sources of other sensors share. */
  campaigns: ReturnType<CampaignSources["snapshot"]>;
}

/** What a per-window feature is computed from. */
interface WindowView {
  tally: ActivityTally;
  ip: SourceIpState;
  /** The window's first second. */
  since: number;
  seconds: number;
}

/** Per-window features in output order; each appears once per window, e.g. failed_logins_30s. */
const PER_WINDOW = [
  "events", "failed_logins", "parallel_failed_logins", "successful_logins", "success_rate", "failed_success_ratio",
  "unique_usernames", "unique_passwords", "rare_usernames", "unique_ports", "dst_port_entropy", "sessions", "commands",
  "rare_commands", "typed_rare_commands", "typed_unknown_commands", "download_execs", "downloads", "uploads", "tunnel_requests", "mean_interarrival",
  "session_duration",
] as const;
/** Each per-window feature's place in PER_WINDOW. */
const PLACE = Object.freeze(Object.fromEntries(PER_WINDOW.map((name, f) => [name, f]))) as Readonly<Record<(typeof PER_WINDOW)[number], number>>;

/**
 * Writes one window's per-window features into `vector`, each at `at + stride` times its place.
 * Written out rather than as a function per feature: one call site reaching twenty-two functions
 * on every window of every event was a visible part of the stage's time (bench `stages`).
 */
function writePerWindow(w: WindowView, vector: number[], at: number, stride: number): void {
  const { tally: t, ip, since } = w;
  vector[at + PLACE.events * stride] = t.events;
  vector[at + PLACE.failed_logins * stride] = t.failedLogins;
  vector[at + PLACE.parallel_failed_logins * stride] = t.parallelFailedLogins;
  vector[at + PLACE.successful_logins * stride] = t.successfulLogins;
  const logins = t.failedLogins + t.successfulLogins;
  vector[at + PLACE.success_rate * stride] = logins === 0 ? 0 : t.successfulLogins / logins;
  // Plus one in the denominator keeps it finite: it equals the failures while nothing succeeded.
  vector[at + PLACE.failed_success_ratio * stride] = t.failedLogins / (t.successfulLogins + 1);
  vector[at + PLACE.unique_usernames * stride] = ip.usernames?.count(since) ?? 0;
  vector[at + PLACE.unique_passwords * stride] = ip.passwords?.count(since) ?? 0;
  vector[at + PLACE.rare_usernames * stride] = t.rareUsernames;
  vector[at + PLACE.unique_ports * stride] = ip.ports?.count(since) ?? 0;
  vector[at + PLACE.dst_port_entropy * stride] = ip.portEntropy?.entropy(since) ?? 0;
  vector[at + PLACE.sessions * stride] = t.sessions;
  vector[at + PLACE.commands * stride] = t.commands;
  vector[at + PLACE.rare_commands * stride] = t.rareCommands;
  vector[at + PLACE.typed_rare_commands * stride] = t.typedRareCommands;
  vector[at + PLACE.typed_unknown_commands * stride] = t.typedUnknownCommands;
  vector[at + PLACE.download_execs * stride] = t.downloadExecs;
  vector[at + PLACE.downloads * stride] = t.downloads;
  vector[at + PLACE.uploads * stride] = t.uploads;
  vector[at + PLACE.tunnel_requests * stride] = t.tunnelRequests;
  // One event has no inter-arrival: it reads as the slowest possible, the window's length.
  vector[at + PLACE.mean_interarrival * stride] = t.events < 2 ? w.seconds : (t.lastMs - t.firstMs) / (t.events - 1) / 1000;
  vector[at + PLACE.session_duration * stride] = t.closedSessions === 0 ? 0 : t.closedSessionSeconds / t.closedSessions;
}

/** Features of the sensor's traffic as a whole, the same for every source at a given moment. */
export const SENSOR_WIDE_FEATURES: readonly string[] = ["events_per_min", "new_ips_per_min", "distinct_ips_per_min"];
/** Distinct new sources behind the event's credential pair, command, client version or HASSH (CampaignSources), over 1 and 5 min. */
const CAMPAIGN_FEATURES = ["campaign_sources_1m", "campaign_sources_5m"];
const CAMPAIGN_SECONDS = 300;
/** A source seen first within this long counts as new to a campaign: botnets bring fresh addresses. */
const NEW_SOURCE_SECONDS = 3600;
/**
 * A command entered this long or longer after its session's previous event was typed by a
 * person: reading the output and typing the next line takes seconds, while a bot's script sends
 * each line as soon as the prompt is back (well under a second on both real sensors).
 */
const TYPING_PAUSE_MS = 1500;
/**
 * A program the sensor has run fewer times than this is rare (runs by sources not suspect, see
 * marksOf), and so is one that fewer sources than FAMILIAR_PROGRAM_SOURCES ran, however often.
 */
const RARE_PROGRAM_SIGHTINGS = 3;
const FAMILIAR_PROGRAM_SOURCES = 2;
/** Session ids are told apart by this many characters at most. */
const MAX_SESSION_LENGTH = 64;
const CALENDAR = ["hour_sin", "hour_cos", "weekday_sin", "weekday_cos"];
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 24 * MS_PER_HOUR;

export class WindowFeatures {
  /** Feature names in vector order: per-window features (each over every window), sensor-wide, calendar, is_internal_ip. */
  readonly names: readonly string[];
  private readonly windowSeconds: readonly number[];
  private readonly maxTrackedIps: number;
  private readonly idleTtlSeconds: number;
  private readonly toleranceMs: number;
  private readonly featuresTemplate: Record<string, number>;
  /** The tallies of the event's source over each window, written over for every event. */
  private readonly windowTallies: ActivityTally[];
  private ips!: TrackedSourceIps<SourceIpState>;
  private traffic!: TrafficPerMinute;
  /** Usernames tried and programs run on the whole sensor, for rare_usernames and rare_commands. */
  private usernamesTried!: SensorVocabulary;
  private programsRun!: ProgramsRun;
  private campaigns!: CampaignSources;
  private downloads!: DownloadThenRun;
  private lastDropped: string | undefined;
  private readonly vocabularyWarmUp: number;
  private watermarkMs = -Infinity;
  private leap: Leap | undefined;
  /** An event's time further behind the watermark than a sensor is plausibly down: the clock was wrong if the next event's is too. */
  private stepBackMs: number | undefined;
  private counts = { events: 0, outOfOrder: 0, lateBeyondTolerance: 0, unconfirmedLeaps: 0 };

  constructor(options: WindowFeaturesOptions = {}) {
    const windows = options.windowSeconds ?? [30, 60, 300];
    if (windows.length === 0 || windows.some((w) => !Number.isInteger(w) || w < 1) || new Set(windows).size !== windows.length) {
      throw new RangeError(`windows must be different whole numbers of seconds, not [${windows.join(", ")}]`);
    }
    this.windowSeconds = [...windows].sort((a, b) => a - b);
    const longest = this.windowSeconds[this.windowSeconds.length - 1];
    this.maxTrackedIps = options.maxTrackedIps ?? 100_000;
    this.idleTtlSeconds = options.idleTtlSeconds ?? 3600;
    if (!(this.idleTtlSeconds >= longest)) {
      throw new RangeError(`the idle TTL (${this.idleTtlSeconds} s) must be at least the longest window (${longest} s)`);
    }
    const tolerance = options.latenessToleranceSeconds ?? 5;
    if (!(tolerance >= 0)) throw new RangeError(`the lateness tolerance must be 0 s or more, not ${tolerance}`);
    this.toleranceMs = tolerance * 1000;
    this.vocabularyWarmUp = options.vocabularyWarmUp ?? 100;
    const perWindow = PER_WINDOW.flatMap((name) => this.windowSeconds.map((w) => `${name}_${windowLabel(w)}`));
    this.names = Object.freeze([...perWindow, ...SENSOR_WIDE_FEATURES, ...CAMPAIGN_FEATURES, ...CALENDAR, "is_internal_ip"]);
    // Copying an object that already has every name (as a double) is twice as fast as adding
    // every key one by one, which turns the object into a slow dictionary.
    this.featuresTemplate = Object.fromEntries(this.names.map((name) => [name, NaN]));
    this.windowTallies = this.windowSeconds.map(emptyTally);
    this.reset();
  }

  /** Forgets every IP, the traffic counts and the watermark. */
  reset(): void {
    this.usernamesTried = new SensorVocabulary();
    this.programsRun = new ProgramsRun(RARE_PROGRAM_SIGHTINGS, FAMILIAR_PROGRAM_SOURCES);
    this.forgetWindows();
    this.counts = { events: 0, outOfOrder: 0, lateBeyondTolerance: 0, unconfirmedLeaps: 0 };
  }

  /** Forgets every IP, the traffic counts and the watermark, but not the sensor's vocabulary. */
  private forgetWindows(): void {
    this.traffic = new TrafficPerMinute();
    this.campaigns = new CampaignSources(CAMPAIGN_SECONDS);
    this.downloads = new DownloadThenRun();
    this.lastDropped = undefined;
    this.ips = new TrackedSourceIps<SourceIpState>(this.maxTrackedIps, this.idleTtlSeconds, (state) =>
      this.traffic.forgetIp(state.lastSecond),
    );
    this.watermarkMs = -Infinity;
    this.leap = undefined;
    this.stepBackMs = undefined;
  }

  /** What the source of the event updated last has dropped (FeatureRecord's dropped_payload), if anything. */
  get droppedPayload(): string | undefined {
    return this.lastDropped;
  }

  get stats(): WindowFeaturesStats {
    return {
      trackedIps: this.ips.size,
      ...this.counts,
      evictedIdle: this.ips.evictedIdle,
      evictedLeastRecentlyUsed: this.ips.evictedLeastRecentlyUsed,
    };
  }

  /** Counts `event` in and returns the features of its source IP and of the sensor as of the watermark. */
  update(event: WindowedEvent): FeatureRecord {
    const vector = this.updateVector(event);
    const features = { ...this.featuresTemplate };
    for (let i = 0; i < vector.length; i++) features[this.names[i]] = vector[i];
    const time = typeof event.time === "string" ? event.time : epochMsToIsoString(event.time_ms);
    const record: FeatureRecord = { src_ip: event.src_ip, sensor: typeof event.sensor === "string" ? event.sensor : "", time, features, vector, names: this.names };
    if (typeof event.eventid === "string") record.eventid = event.eventid;
    if (this.lastDropped !== undefined) record.dropped_payload = this.lastDropped;
    return record;
  }

  /**
   * `update` without the record around the vector: for a caller that reads only the vector (in
   * the order of `names`), such as the headless pipeline: the `features` object is more
   * than half of the stage's time (about 3 µs per event).
   */
  updateVector(event: WindowedEvent): number[] {
    // Cowrie's session ids are a dozen hex digits; a forged or posted event's can be a megabyte,
    // which the open sessions and the fetches awaiting their run would hold while they remember it.
    if (typeof event.session === "string" && event.session.length > MAX_SESSION_LENGTH) event = { ...event, session: heldCopy(event.session, MAX_SESSION_LENGTH) };
    const { src_ip: ip, time_ms: timeMs } = event;
    this.counts.events += 1;
    if (this.leap) this.settleLeap(timeMs);
    this.settleStepBack(timeMs);
    const leapsFromMs = timeMs > this.watermarkMs + this.toleranceMs && this.watermarkMs > -Infinity ? this.watermarkMs : undefined;
    if (timeMs > this.watermarkMs) this.watermarkMs = timeMs;
    const lateness = this.watermarkMs - timeMs;
    if (lateness > 0) this.counts.outOfOrder += 1;
    const beyondTolerance = lateness > this.toleranceMs;
    if (beyondTolerance) this.counts.lateBeyondTolerance += 1;
    const countedAtMs = beyondTolerance ? this.watermarkMs : timeMs;
    const second = Math.floor(countedAtMs / 1000);
    const now = Math.floor(this.watermarkMs / 1000);
    // The clock other sources are judged by: before a leap, until it is backed.
    const settled = leapsFromMs === undefined ? now : Math.floor(leapsFromMs / 1000);

    this.ips.evictIdle(settled);
    // Before the look-up, whose eviction of the source as idle a leap not backed takes back too.
    const traffic = leapsFromMs === undefined ? undefined : this.traffic.snapshot();
    const tracked = traffic && this.ips.peek(ip);
    const known = this.ips.get(ip, now);
    const state = known ?? new SourceIpState(ip, second);
    const campaignKeys = campaignKeysOf(event);
    if (traffic) {
      this.leap = {
        fromMs: leapsFromMs as number, toMs: timeMs, traffic, source: state, sourceLastSecond: known?.lastSecond, idleSource: known ? undefined : tracked,
        campaigns: this.campaigns.snapshot(campaignKeys),
      };
    }
    this.ips.use(state);
    this.traffic.countEvent(second, known?.lastSecond);
    state.record(event, this.marksOf(event, state.suspect), second, countedAtMs, settled - this.windowSeconds[this.windowSeconds.length - 1] + 1);
    const isNew = second - state.firstSecond < NEW_SOURCE_SECONDS;
    const campaign = this.campaigns.observe(campaignKeys, ip, second, isNew);
    this.lastDropped = state.droppedPayload;

    return this.vectorOf(state, now, timeMs, campaign, event.is_internal_ip === true);
  }

  /**
   * A watermark the stream has left behind for good: two events in a row further behind it than a
   * sensor is plausibly down (IMPLAUSIBLE_CLOCK_JUMP_MS), and near each other, say it was the
   * clock that was wrong - a log whose first event is stamped a year ahead - and no later event
   * would ever be in time again: every one counted in the watermark's second. The windows then
   * start again from the event at `timeMs`; what they held is further off than any of them
   * reaches. One such event alone is late, as any other.
   */
  private settleStepBack(timeMs: number): void {
    if (!(this.watermarkMs - timeMs > IMPLAUSIBLE_CLOCK_JUMP_MS)) {
      this.stepBackMs = undefined;
    } else if (this.stepBackMs !== undefined && Math.abs(timeMs - this.stepBackMs) <= IMPLAUSIBLE_CLOCK_JUMP_MS) {
      this.forgetWindows();
    } else {
      this.stepBackMs = timeMs;
    }
  }

  /**
   * Keeps the pending leap if the event at `timeMs` backs it (it too is past the tolerance of
   * the clock before the leap, and not more than the tolerance before the leap itself: on a
   * quiet sensor the next event after a stray stamp a year ahead comes more than the tolerance
   * after the one before anyway), or takes it back: the clock, the sensor-wide traffic and the
   * campaign counts of its key as they were, and the leaping source last seen when it was before (never, if the leap brought
   * it: the next look-up forgets it). A source the leap's clock found idle gets its state back:
   * one source that two sensors see in turn, one with its clock an idle TTL or more ahead,
   * otherwise lost its windows on every event the other sensor logged.
   */
  private settleLeap(timeMs: number): void {
    const leap = this.leap as Leap;
    this.leap = undefined;
    if (timeMs > leap.fromMs + this.toleranceMs && timeMs >= leap.toMs - this.toleranceMs) return;
    this.watermarkMs = leap.fromMs;
    if (leap.idleSource) {
      this.ips.forget(leap.source);
      this.ips.use(leap.idleSource);
    } else {
      leap.source.lastSecond = leap.sourceLastSecond ?? -Infinity;
    }
    // After forgetting the leap's source, which takes it out of the traffic.
    this.traffic.restore(leap.traffic);
    this.campaigns.restore(leap.campaigns);
    this.counts.unconfirmedLeaps += 1;
  }

  /**
   * Counts the event's username or programs into the sensor's vocabularies, and says whether
   * one was rare, once the sensor knows `vocabularyWarmUp` words of its kind (a new sensor's
   * first words say nothing): a username never tried before, a program run fewer than
   * RARE_PROGRAM_SIGHTINGS times before: a second person at a shell runs some of the tools the
   * first one did, which bots never run, and counting only never-seen programs missed that second
   * session on drilled real logs (bench:detection). And by FAMILIAR_PROGRAM_SOURCES sources at
   * least: one bot naming a person's tools three times would make them familiar (see ProgramsRun).
   * A program not yet familiar is also unfamiliar before the warm-up: not evidence alone, but with
   * the shell's not knowing it.
   *
   * What a `suspect` source runs is judged but not learned: one that has typed, at a person's
   * pace, a program the sensor had seldom run. The tools a person types are what the
   * unusual-behaviour watches alert on, and learned, the people who alerted would make the next
   * person's tools familiar (a second attack like the first is still an attack). The detector's
   * verdict comes after this stage, and waiting for it would loop the one-way flow back, so the
   * source's own lines are the evidence, from the first it typed with an unfamiliar program: that
   * one is learned, since one odd line is a habit or a typo, and more are a person exploring (as
   * the typed-unknown watch reads lines the shell lacked). A source forgotten (idle, or pushed
   * out) starts unsuspected.
   */
  private marksOf(event: WindowedEvent, suspect: boolean): EventMarks {
    const rarity = { rareUsername: false, rareCommand: false, unfamiliarCommand: false, dropped: this.downloads.observe(event) };
    if (typeof event.username === "string" && event.eventid?.startsWith("cowrie.login.")) {
      const warm = this.isWarm(this.usernamesTried);
      rarity.rareUsername = this.usernamesTried.observe(event.username) < 1 && warm;
    }
    if (event.eventid === "cowrie.command.input" && typeof event.input === "string") {
      // Every program is counted, so each part of a command line becomes familiar on its own.
      for (const program of programsOf(event.input)) {
        const warm = this.isWarm(this.programsRun);
        const familiar = suspect ? this.programsRun.isFamiliar(program) : this.programsRun.observe(program, event.src_ip);
        if (familiar) continue;
        rarity.unfamiliarCommand = true;
        if (warm) rarity.rareCommand = true;
      }
    }
    return rarity;
  }

  private isWarm(vocabulary: { sightings: number }): boolean {
    return vocabulary.sightings >= this.vocabularyWarmUp;
  }

  private vectorOf(state: SourceIpState, now: number, timeMs: number, campaign: { window: number; recent: number }, internal: boolean): number[] {
    const windows = this.windowSeconds;
    const tallies = state.timeline.tallies(now, windows, this.windowTallies);
    const vector = new Array<number>(this.names.length);
    const view: WindowView = { tally: tallies[0], ip: state, since: 0, seconds: 0 };
    for (let w = 0; w < windows.length; w++) {
      view.tally = tallies[w];
      view.since = now - windows[w] + 1;
      view.seconds = windows[w];
      writePerWindow(view, vector, w, windows.length);
    }
    let at = PER_WINDOW.length * windows.length;
    const minute = this.traffic.lastMinute(now);
    vector[at++] = minute.events;
    vector[at++] = minute.newIps;
    vector[at++] = minute.distinctIps;
    vector[at++] = campaign.recent;
    vector[at++] = campaign.window;
    // Hour and weekday on the unit circle, so 23:59 sits next to 00:00 and Sunday next to Monday.
    const hour = (((timeMs % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY) / MS_PER_HOUR;
    const weekday = (((Math.floor(timeMs / MS_PER_DAY) + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday; Monday = 0
    vector[at++] = Math.sin((2 * Math.PI * hour) / 24);
    vector[at++] = Math.cos((2 * Math.PI * hour) / 24);
    vector[at++] = Math.sin((2 * Math.PI * weekday) / 7);
    vector[at++] = Math.cos((2 * Math.PI * weekday) / 7);
    vector[at] = internal ? 1 : 0;
    return vector;
  }
}

/** 30 -> "30s", 60 -> "1m", 300 -> "5m", 3600 -> "1h", 90 -> "90s". */
function windowLabel(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
