/**
 * From anomalies to alerts a SOC can live with: one alert per (source IP, attack type) when it
 * starts, the rest of the burst aggregated into it during a cooldown ("203.0.113.7: 540
 * anomalous events in 30 s"), an update when the cooldown ends. A sensor's wave of new sources,
 * a traffic spike or a credential-stuffing campaign, comes from many addresses at once: it is one
 * alert per sensor, naming the first source, named after its first seconds, when its sources have
 * said what they share (see WAVE_NAMING_MS), and over after two quiet minutes (the next wave is
 * news, not part of the last one's update) or when a wave far larger than it comes (WAVE_GROWTH).
 * Malware drops of one payload are one alert however many bots drop it, naming the first, until a
 * day passes without it (a worm or a loader spreads for days, one new bot at a time; SPEC: one
 * command from many new sources is a campaign, one alert). A severity comes from the attack type and the score, and a global rate limit holds:
 * what it holds back is told a minute later, one message per attack type (see heldBackSummaries).
 * Time is event time, so a back-test alerts exactly as the live pipeline would have.
 *
 *     const policy = new AlertPolicy({ cooldownMs: 300_000 });
 *     const alerts = policy.observe(anomaly);  // [] while the burst is being aggregated
 */
import { createHash } from "node:crypto";
import type { FeatureContribution } from "../scoring/anomaly-explanation";
import type { AttackType } from "../domain/attack-types";
import type { SourceGeo } from "../domain/source-geo";
import type { IntelVerdicts } from "../enrich/intel/intel-verdicts";
import { SEVERITIES, type Severity } from "../domain/severities";

/**
 * 2: an alert carries `src_geo` when `enrich` saw its source before the alert stage.
 * 3: a malware drop's alert carries `dropped_payload`, and is one per payload (see the header).
 * 4: an alert carries `intel`, the threat-intel verdicts on its source, once `enrich` has them; a
 *    verdict that arrives after the alert is sent in an update (see learnIntel).
 * 5: a message that tells of the alerts the rate limit held back carries `held_back`, how many
 *    (see heldBackSummaries).
 */
export const ALERT_SCHEMA_VERSION = 5;

export interface Anomaly {
  time_ms: number;
  src_ip: string;
  sensor: string;
  score: number;
  attack_type: AttackType;
  top_features: FeatureContribution[];
  /** 1-based input line of the event, when reading a file. */
  line?: number;
  /** Where the source is, when `enrich` ran before the alert stage. */
  src_geo?: SourceGeo;
  /** What threat-intel services said of the source, when `enrich` had it cached. */
  intel?: IntelVerdicts;
  /** A malware drop's payload by name (window features' dropped_payload): its bots are one incident. */
  dropped_payload?: string;
  /** The detection that called it (`default`, `rules`, ...), where known. */
  detector?: string;
}

export interface Alert {
  schema: number;
  /** Stable for one (source, type, first seen): an update of an alert keeps its id. */
  id: string;
  time: string;
  src_ip: string;
  type: AttackType;
  severity: Severity;
  score: number;
  count: number;
  first_seen: string;
  last_seen: string;
  top_features: FeatureContribution[];
  sensor: string;
  summary: string;
  line?: number;
  /** The first anomaly's source geography: an incident keeps the source it names. */
  src_geo?: SourceGeo;
  /** The threat-intel verdicts on the source it names, per service, the latest of each. */
  intel?: IntelVerdicts;
  /** What a malware drop ran, by name: the file's SHA-256 (`sha256:...`) or the fetch as typed, its addresses left out. */
  dropped_payload?: string;
  /**
   * Set on a message that stands for alerts the rate limit held back: how many (`count` too). It is
   * named by the first of them (its source, sensor and features) and as severe as the worst.
   */
  held_back?: number;
}

export interface AlertPolicyOptions {
  cooldownMs?: number;
  maxAlertsPerMinute?: number;
  /** Severity before the score is considered, per attack type. */
  baseSeverity?: Partial<Record<AttackType, Severity>>;
  /** A score at or above this raises the severity one level. */
  escalateScore?: number;
  /** Incidents held open at once; default 10,000. */
  maxOpenIncidents?: number;
  /**
   * The clock the rate limit counts minutes by; default the events' own time, as a back-test has no
   * other. A live flow gives the wall clock: events' times can jump back and forth (sensors whose
   * clocks disagree, a forged log), and a minute of them then never fills.
   */
  rateClock?: () => number;
}

interface OpenIncident {
  alert: Alert;
  /** Quiet time after which the incident is over: the cooldown, or less for a sensor's spike or campaign. */
  quietMs: number;
  firstSeenMs: number;
  lastSeenMs: number;
  reportedCount: number;
  /** When the alert or its latest update went out. */
  reportedMs: number;
  /** A dropped payload's bots, up to MAX_COUNTED_SOURCES. */
  sources?: Set<string>;
  /** A wave met as a traffic spike, not sent until then unless it shows itself a campaign first. */
  heldUntilMs?: number;
  /** Per feature that led one of a wave's anomalies (new sources a minute, ...), how high it has been. */
  wavePeaks?: Map<string, WavePeak>;
  /**
   * The message of alerts held back that the rate limit counted its alert or an update into: held back
   * again before it is sent (its retry at its end, in a later minute), it is not counted again; sent
   * before that message is told, it is taken out of it.
   */
  heldBack?: HeldBack;
}

/**
 * A sensor-wide incident is the minutes its traffic lasts: typed detection counts two minutes
 * either side of a spike's or campaign's alert as its ramp and tail (src/typed-detection/typed-watch.ts).
 * Held open for a whole cooldown, a marginal spike or campaign swallowed a far larger one that
 * came three minutes later, and its analyst heard of it only at the update, minutes after it began.
 */
const SENSOR_WIDE_QUIET_MS = 120_000;
/**
 * How long a wave met as a traffic spike waits for its sources to show a shared credential pair
 * or command before it is sent as a spike. The spike watch sees new sources the moment they
 * connect; the campaign they belong to shows only at their first guesses, a second or two later
 * (after an SSH client's version and key exchange), and a wave named on its first event was named
 * on that race. The first seconds of a wave are its only ones in question: the spike watch and the
 * campaign watch both run on, and a later campaign still renames the incident in an update.
 */
const WAVE_NAMING_MS = 5_000;
/**
 * How high a feature that leads a wave's anomalies has been: in minutes before the last
 * WAVE_RAMP_MINUTES (settled), and in each of those (recent, by minute).
 */
interface WavePeak {
  settled: number;
  recent: Map<number, number>;
}
/**
 * A wave's ramp, its first minutes and any later growth, is part of it (typed detection counts two
 * minutes either side of a spike's alert too): a wave that leads with this many times what its
 * incident had settled at before is another wave. A few fresh addresses a minute from one actor
 * keep a sensor's wave from ever being quiet for two minutes, and a botnet's spike behind them was
 * heard of only in the update when they stopped.
 */
const WAVE_RAMP_MINUTES = 2;
const WAVE_GROWTH = 2;
/** How many times further past the usual than its kind's alerts in a full minute an alert must be to pass the rate limit. */
const STANDS_OUT = 2;
/** A payload's campaign is over once a day passes without a drop of it. */
const DROPPED_PAYLOAD_QUIET_MS = 24 * 3_600_000;
/** The sources an incident counts by name; a summary says "from 1000+ sources" beyond. */
const MAX_COUNTED_SOURCES = 1000;
/** The rate limit's window: alerts a minute. */
const RATE_WINDOW_MS = 60_000;

/** The alerts of one attack type that the rate limit held back since it last told of them. */
interface HeldBack {
  /** On the rate limit's clock, when the first was held back. */
  sinceMs: number;
  untilMs: number;
  /** On event time, when the latest was held back: a message told with no incident open is stamped then. */
  eventMs: number;
  /** Incidents held back, each once however often it was (its first alert, then at its end: see OpenIncident's heldBack). */
  alerts: number;
  first: Alert;
  severity: Severity;
  score: number;
  firstSeen: string;
  lastSeen: string;
  sources: Set<string>;
}

/** When an incident's quiet time ends, a millisecond early (see AlertPolicy's quietUntilMs). */
function quietEnd(incident: OpenIncident): number {
  return incident.lastSeenMs + incident.quietMs - 1;
}

/** The next time something is due for `incident`, a millisecond early: its held alert, or its end. */
function nextDue(incident: OpenIncident): number {
  return Math.min(quietEnd(incident), (incident.heldUntilMs ?? Infinity) - 1);
}

const DEFAULT_BASE_SEVERITY: Record<AttackType, Severity> = {
  "malware-drop": "high",
  "credential-stuffing": "high",
  "brute-force": "medium",
  "port-scan/tunnel": "medium",
  "traffic-spike": "medium",
  "unusual-behaviour": "low",
};

export class AlertPolicy {
  /** Alerts dropped by the rate limit. */
  suppressed = 0;
  private readonly open = new Map<string, OpenIncident>();
  /**
   * Per sensor, a time before which none of its open incidents' quiet time is over, a millisecond
   * short of the earliest end (against rounding): most events end no incident, and need not walk
   * them all to know it.
   */
  private readonly quietUntil = new Map<string, number>();
  /** Per attack type, the alerts the rate limit held back and has not told of yet. */
  private readonly heldBack = new Map<AttackType, HeldBack>();
  /** When the alerts of the rate limit's minute went out, of what type, and how far past the usual their lead feature was. */
  private readonly sent: Array<{ ms: number; type: AttackType; outlyingness: number }> = [];
  private readonly rateClock: (() => number) | undefined;
  private readonly cooldownMs: number;
  private readonly maxAlertsPerMinute: number;
  private readonly baseSeverity: Record<AttackType, Severity>;
  private readonly escalateScore: number;
  readonly maxOpenIncidents: number;

  constructor(options: AlertPolicyOptions = {}) {
    this.cooldownMs = options.cooldownMs ?? 300_000;
    this.maxAlertsPerMinute = options.maxAlertsPerMinute ?? 60;
    this.baseSeverity = { ...DEFAULT_BASE_SEVERITY, ...options.baseSeverity };
    this.escalateScore = options.escalateScore ?? 0.999;
    this.maxOpenIncidents = options.maxOpenIncidents ?? 10_000;
    this.rateClock = options.rateClock;
  }

  /** Incidents whose cooldown has not ended yet. */
  get openIncidents(): number {
    return this.open.size;
  }

  /**
   * Alerts to deliver now: a new incident's first alert, and updates of the sensor's incidents
   * whose quiet time ended by the anomaly's time. Each sensor's incidents keep to that sensor's
   * clock: a second sensor whose clock is half an hour ahead would otherwise end every incident
   * of the first with each of its events, and each next anomaly of the first would alert anew.
   */
  observe(anomaly: Anomaly): Alert[] {
    const due = [...this.heldBackSummaries(this.rateNow(anomaly.time_ms), anomaly.time_ms), ...this.expire(anomaly.time_ms, anomaly.sensor)];
    const key = incidentKey(anomaly);
    let incident = this.open.get(key);
    if (incident && outgrows(anomaly, incident)) {
      this.open.delete(key);
      due.push(...this.closing(incident, anomaly.time_ms));
      incident = undefined;
    }
    if (incident) {
      if (incident.wavePeaks) notePeak(incident.wavePeaks, anomaly);
      incident.lastSeenMs = anomaly.time_ms;
      if (incident.sources && incident.sources.size < MAX_COUNTED_SOURCES) incident.sources.add(anomaly.src_ip);
      this.quietAtLeastUntil(incident);
      const alert = incident.alert;
      alert.count += 1;
      if (anomaly.intel && anomaly.src_ip === alert.src_ip) alert.intel = { ...alert.intel, ...anomaly.intel };
      alert.last_seen = new Date(anomaly.time_ms).toISOString();
      // A wave met as a spike whose sources turn out to share credentials or a command is a campaign.
      const renamed = alert.type === "traffic-spike" && anomaly.attack_type === "credential-stuffing";
      if (renamed) {
        alert.type = anomaly.attack_type;
        alert.top_features = anomaly.top_features;
      }
      if (anomaly.score > alert.score) {
        alert.score = anomaly.score;
        // A wave named a campaign is explained by what its sources share, not by a later spike's new sources.
        if (anomaly.attack_type === alert.type) alert.top_features = anomaly.top_features;
      }
      // An alert the rate limit held back goes out saying how far its incident has gone since.
      const unsent = incident.reportedCount === 0 && incident.heldUntilMs === undefined;
      if (unsent && anomaly.attack_type === alert.type && leadOutlyingness(anomaly) > leadOutlyingness(alert)) alert.top_features = anomaly.top_features;
      alert.severity = this.severityOf(alert.type, alert.score);
      alert.summary = summarise(alert, incident.lastSeenMs - incident.firstSeenMs, incident.sources);
      // Sent now: a renamed wave (the held alert with its name, or the sent spike's update under its
      // new one); a campaign that lasts days, at most once a cooldown while it grows; an alert the
      // rate limit held back, as soon as the limit has room (a flood of cheap alerts would otherwise
      // keep a real attack behind it unheard of until its quiet time ended).
      const campaignUpdate = incident.sources !== undefined && anomaly.time_ms - incident.reportedMs >= this.cooldownMs;
      const heldBack = unsent && this.hasRoom(anomaly.time_ms, alert);
      if (renamed || campaignUpdate || heldBack) return [...due, ...this.send(incident, anomaly.time_ms)];
      return due;
    }
    const time = new Date(anomaly.time_ms).toISOString();
    const alert: Alert = {
      schema: ALERT_SCHEMA_VERSION,
      id: createHash("sha1").update(`${anomaly.sensor}|${anomaly.src_ip}|${anomaly.attack_type}|${anomaly.time_ms}`).digest("hex").slice(0, 20),
      time, src_ip: anomaly.src_ip, type: anomaly.attack_type, severity: this.severityOf(anomaly.attack_type, anomaly.score), score: anomaly.score,
      count: 1, first_seen: time, last_seen: time, top_features: anomaly.top_features, sensor: anomaly.sensor, summary: "",
      ...(anomaly.line !== undefined ? { line: anomaly.line } : {}),
      ...(anomaly.src_geo ? { src_geo: anomaly.src_geo } : {}),
      ...(anomaly.intel ? { intel: anomaly.intel } : {}),
      ...(isDroppedPayload(anomaly) ? { dropped_payload: anomaly.dropped_payload } : {}),
    };
    alert.summary = summarise(alert, 0);
    const quietMs = isSensorWide(anomaly.attack_type) ? Math.min(this.cooldownMs, SENSOR_WIDE_QUIET_MS)
      : isDroppedPayload(anomaly) ? Math.max(this.cooldownMs, DROPPED_PAYLOAD_QUIET_MS) : this.cooldownMs;
    const opened: OpenIncident = { alert, quietMs, firstSeenMs: anomaly.time_ms, lastSeenMs: anomaly.time_ms, reportedCount: 1, reportedMs: anomaly.time_ms };
    if (isDroppedPayload(anomaly)) opened.sources = new Set([anomaly.src_ip]);
    if (isSensorWide(anomaly.attack_type)) notePeak(opened.wavePeaks = new Map(), anomaly);
    // The `rules` detection names a wave by the rule that fired and alerts at once, as a SOC's rules do.
    if (anomaly.attack_type === "traffic-spike" && anomaly.detector !== "rules") opened.heldUntilMs = anomaly.time_ms + WAVE_NAMING_MS;
    // A flood from ever new addresses (an IPv6 /64 has 2^64 of them) opens an incident per
    // address within one cooldown: the oldest incident is closed early to make room, its update
    // sent now rather than never.
    if (this.open.size >= this.maxOpenIncidents) due.push(...this.closeOldest(anomaly.time_ms));
    this.open.set(key, opened);
    this.quietAtLeastUntil(opened);
    return opened.heldUntilMs !== undefined ? due : [...due, ...this.send(opened, anomaly.time_ms)];
  }

  /**
   * Verdicts on `srcIp` that came after its anomalies went by (a threat-intel service answers in
   * a second or so; the alert did not wait): each open incident that names the source takes them,
   * and one already sent goes out again as an update that carries them, stamped `nowMs(sensor)`,
   * on the incident's sensor's clock. A held wave's alert will carry them when it goes out.
   */
  learnIntel(srcIp: string, intel: IntelVerdicts, nowMs: (sensor: string) => number): Alert[] {
    const due: Alert[] = [];
    for (const incident of this.open.values()) {
      const alert = incident.alert;
      if (alert.src_ip !== srcIp) continue;
      alert.intel = { ...alert.intel, ...intel };
      if (incident.heldUntilMs === undefined) due.push(...this.send(incident, nowMs(alert.sensor)));
    }
    return due;
  }

  /**
   * Closes every open incident, as at the end of a log: the updates are stamped when the last
   * incident's quiet time would have ended, a time the log could have reached.
   */
  closeAll(): Alert[] {
    let latest = -Infinity;
    for (const incident of this.open.values()) latest = Math.max(latest, quietEnd(incident) + 1);
    const closing = latest === -Infinity ? [] : this.expire(latest);
    let eventMs = latest;
    if (latest === -Infinity) for (const held of this.heldBack.values()) eventMs = Math.max(eventMs, held.eventMs);
    return [...closing, ...this.heldBackSummaries(eventMs, eventMs, true)];
  }

  /**
   * Updates for every incident of `sensor` (of every sensor, when left out) whose quiet time has
   * ended by `nowMs`, a time on that sensor's clock (call on a timer, or at the end of a file), and
   * the alerts of waves held until then.
   */
  expire(nowMs: number, sensor?: string): Alert[] {
    const due: Alert[] = [];
    const counted = new Set<Alert>();
    // A held wave's alert, sent now or left for its next anomaly if the rate limit holds it back.
    const sent: Alert[] = [];
    // A held wave's hold runs on its sensor's clock; a clock set back (or a spike stamped ahead, the
    // clock following the events after it) would hold it until the clock caught up, the wave's
    // spikes all counted into it unsent. A clock further back than the hold sends it now.
    const wave = sensor === undefined ? undefined : this.open.get(waveKey(sensor));
    if (wave?.heldUntilMs !== undefined && nowMs < wave.firstSeenMs - WAVE_NAMING_MS) sent.push(...this.send(wave, nowMs));
    // What the rate limit held back is due a minute after the first, whether or not an incident ends now
    // (the alert node's timer calls this each second; a flood's incidents stay open for their cooldown).
    if (nowMs < this.quietUntilOf(sensor)) return [...sent, ...this.heldBackSummaries(this.rateNow(nowMs), nowMs)];
    const quietUntil = new Map<string, number>();
    for (const [key, incident] of this.open) {
      const of = incident.alert.sensor;
      if (sensor !== undefined && of !== sensor) continue;
      const held = incident.heldUntilMs !== undefined && nowMs >= incident.heldUntilMs;
      if (nowMs - incident.lastSeenMs < incident.quietMs) {
        if (held) sent.push(...this.send(incident, nowMs));
        quietUntil.set(of, Math.min(quietUntil.get(of) ?? Infinity, nextDue(incident)));
        continue;
      }
      this.open.delete(key);
      const words = this.lastWord(incident, nowMs);
      due.push(...words);
      if (incident.heldBack) for (const word of words) counted.add(word);
    }
    if (sensor === undefined) this.quietUntil.clear();
    else this.quietUntil.delete(sensor);
    for (const [of, until] of quietUntil) this.quietUntil.set(of, until);
    return [...sent, ...this.rateLimited(due, nowMs, counted), ...this.heldBackSummaries(this.rateNow(nowMs), nowMs)];
  }

  /** A time before which no incident of `sensor` (of any sensor, when left out) ends. */
  private quietUntilOf(sensor: string | undefined): number {
    if (sensor !== undefined) return this.quietUntil.get(sensor) ?? Infinity;
    let earliest = Infinity;
    for (const until of this.quietUntil.values()) earliest = Math.min(earliest, until);
    return earliest;
  }

  /**
   * Notes that `incident` (open) has its sensor's incidents open at least until its quiet time ends,
   * or its held alert is due. An incident closed early to make room leaves its sensor noted: a flood
   * naming a new sensor each event (sensor names are the log's text) filled this map without end,
   * so past twice as many sensors as incidents can be open it is made anew from the open ones.
   */
  private quietAtLeastUntil(incident: OpenIncident): void {
    const of = incident.alert.sensor;
    this.quietUntil.set(of, Math.min(this.quietUntil.get(of) ?? Infinity, nextDue(incident)));
    if (this.quietUntil.size <= 2 * this.maxOpenIncidents) return;
    this.quietUntil.clear();
    for (const open of this.open.values()) {
      const sensor = open.alert.sensor;
      this.quietUntil.set(sensor, Math.min(this.quietUntil.get(sensor) ?? Infinity, nextDue(open)));
    }
  }

  /** The incident's alert as it stands, sent at `nowMs` (a held wave's, as what it has shown itself to be by then). */
  private report(incident: OpenIncident, nowMs: number): Alert {
    incident.heldUntilMs = undefined;
    incident.reportedCount = incident.alert.count;
    incident.reportedMs = nowMs;
    return { ...incident.alert, time: new Date(nowMs).toISOString() };
  }

  /**
   * The incident's alert as it stands, through the rate limit; one held back stays unsent
   * (reported count 0), to go out at the incident's next anomaly or at its end.
   */
  private send(incident: OpenIncident, nowMs: number): Alert[] {
    const alert = this.report(incident, nowMs);
    const sent = this.rateLimited([alert], nowMs, incident.heldBack ? new Set([alert]) : undefined);
    if (sent.length === 0) {
      incident.reportedCount = 0;
      incident.heldBack ??= this.heldBack.get(alert.type);
    } else if (incident.heldBack) {
      // Sent after all: not held back any more (a message still to tell of it would say it is), and
      // an update held back later is news, to be counted.
      this.withdraw(incident.heldBack, alert.src_ip);
      delete incident.heldBack;
    }
    return sent;
  }

  /** Closes the incident opened first; its held alert, or its update when it aggregated anything since its alert. */
  private closeOldest(nowMs: number): Alert[] {
    const oldest = this.open.entries().next();
    if (oldest.done) return [];
    const [key, incident] = oldest.value;
    this.open.delete(key);
    return this.closing(incident, nowMs);
  }

  /** What an incident closed before its quiet time ended sends, through the rate limit. */
  private closing(incident: OpenIncident, nowMs: number): Alert[] {
    const words = this.lastWord(incident, nowMs);
    return this.rateLimited(words, nowMs, incident.heldBack ? new Set(words) : undefined);
  }

  /**
   * What an incident says as it closes: its held alert (a cooldown shorter than the hold, or an
   * incident closed early, ends a held wave before its alert is due), or its update when it
   * aggregated anything since it last spoke.
   */
  private lastWord(incident: OpenIncident, nowMs: number): Alert[] {
    if (incident.heldUntilMs !== undefined) return [this.report(incident, nowMs)];
    return incident.alert.count > incident.reportedCount ? [{ ...incident.alert, time: new Date(nowMs).toISOString() }] : [];
  }

  /** Whether the rate limit would let `alert` through now: an alert held back is tried again, and counted held back, only then. */
  private hasRoom(eventMs: number, alert: Alert): boolean {
    this.rateNow(eventMs);
    return this.admits(alert);
  }

  /**
   * Whether the minute has room for `alert`: under the limit, or the first of its type in the
   * minute, or STANDS_OUT times further past the usual than any of its type in the minute. A flood
   * of one kind from ever new addresses, each just past the threshold, fills the limit cheaply; a
   * malware drop behind a flood of brute forces, or a brute force far harder than the flood's, is
   * still news.
   */
  private admits(alert: Alert): boolean {
    if (this.sent.length < this.maxAlertsPerMinute) return true;
    let furthest = -Infinity;
    for (const sent of this.sent) if (sent.type === alert.type) furthest = Math.max(furthest, sent.outlyingness);
    // Each alert let through so raises the bar: a handful more a minute at most, however hostile.
    return furthest === -Infinity || leadOutlyingness(alert) >= STANDS_OUT * Math.max(furthest, 1);
  }

  /** The rate limit's clock (the wall clock when given one, else event time), its minute's older alerts forgotten. */
  private rateNow(eventMs: number): number {
    const nowMs = this.rateClock ? this.rateClock() : eventMs;
    // Event times need not come in order (sensors' clocks disagree). An alert stamped further
    // ahead than the minute is dropped from the window too: left at its front, it would keep every
    // alert behind it in the window until the clock caught up, and the limit shut for as long.
    while (this.sent.length > 0 && Math.abs(nowMs - this.sent[0].ms) >= RATE_WINDOW_MS) this.sent.shift();
    return nowMs;
  }

  /** `alerts` through the rate limit; those held back are counted into its next message, but for `counted` ones (their incident's already are). */
  private rateLimited(alerts: Alert[], eventMs: number, counted?: ReadonlySet<Alert>): Alert[] {
    if (alerts.length === 0) return alerts;
    const nowMs = this.rateNow(eventMs);
    const allowed: Alert[] = [];
    for (const alert of alerts) {
      if (!this.admits(alert)) {
        this.suppressed += 1;
        if (!counted?.has(alert)) this.holdBack(alert, nowMs, eventMs);
        continue;
      }
      this.sent.push({ ms: nowMs, type: alert.type, outlyingness: leadOutlyingness(alert) });
      allowed.push(alert);
    }
    return allowed;
  }

  /** Counts `alert`, held back by the rate limit at `nowMs` (`eventMs` on event time), into what the next summary of its type tells. */
  private holdBack(alert: Alert, nowMs: number, eventMs: number): void {
    const held = this.heldBack.get(alert.type);
    if (!held) {
      this.heldBack.set(alert.type, {
        sinceMs: nowMs, untilMs: nowMs, eventMs, alerts: 1, first: alert, severity: alert.severity, score: alert.score,
        firstSeen: alert.first_seen, lastSeen: alert.last_seen, sources: new Set([alert.src_ip]),
      });
      return;
    }
    held.alerts += 1;
    held.untilMs = Math.max(held.untilMs, nowMs);
    held.eventMs = eventMs;
    if (SEVERITIES.indexOf(alert.severity) > SEVERITIES.indexOf(held.severity)) held.severity = alert.severity;
    held.score = Math.max(held.score, alert.score);
    if (alert.first_seen < held.firstSeen) held.firstSeen = alert.first_seen;
    if (alert.last_seen > held.lastSeen) held.lastSeen = alert.last_seen;
    if (held.sources.size < MAX_COUNTED_SOURCES) held.sources.add(alert.src_ip);
  }

  /**
   * Takes one incident of `srcIp`, sent after all, out of `held` if its message is yet to be told;
   * with none left, there is none to tell. (Its source too: an incident is one source's, or a
   * wave's named by its first.)
   */
  private withdraw(held: HeldBack, srcIp: string): void {
    const type = held.first.type;
    if (this.heldBack.get(type) !== held) return;
    held.alerts -= 1;
    held.sources.delete(srcIp);
    if (held.alerts === 0) this.heldBack.delete(type);
  }

  /**
   * One message per attack type whose alerts the rate limit held back, once a minute has passed
   * since it held back the first (or, `all`, now: the end of a log, a node stopping). The limit
   * bounds what reaches the analyst in a minute, and a flood from ever fresh addresses, each its own
   * incident, would fill it minute after minute; what it held back was counted only in the node's
   * status, and an incident's update held back was heard of nowhere. These messages pass the limit:
   * at most one per attack type a minute. `nowMs` is on the rate limit's clock; a message is stamped
   * `eventMs`, on event time as every alert (a live flow replaying an old log counts the limit's
   * minutes by the wall clock).
   */
  private heldBackSummaries(nowMs: number, eventMs: number, all = false): Alert[] {
    const told: Alert[] = [];
    for (const [type, held] of this.heldBack) {
      if (!all && Math.abs(nowMs - held.sinceMs) < RATE_WINDOW_MS) continue;
      this.heldBack.delete(type);
      const first = held.first;
      const spanS = Math.max(1, Math.round((held.untilMs - held.sinceMs) / 1000));
      const sources = `${countOf(held.sources)} source${held.sources.size === 1 ? "" : "s"}`;
      const alerts = held.alerts === 1 ? "alert" : "alerts";
      told.push({
        ...first, id: createHash("sha1").update(`held back|${type}|${first.id}|${held.sinceMs}`).digest("hex").slice(0, 20),
        time: new Date(eventMs).toISOString(), severity: held.severity, score: held.score, count: held.alerts,
        first_seen: held.firstSeen, last_seen: held.lastSeen, held_back: held.alerts,
        summary: `rate limit: ${held.alerts} ${type} ${alerts} held back in ${spanS} s from ${sources}; the first: ${first.summary}`,
      });
    }
    return told;
  }

  private severityOf(type: AttackType, score: number): Severity {
    const base = SEVERITIES.indexOf(this.baseSeverity[type]);
    const level = score >= this.escalateScore ? base + 1 : base;
    return SEVERITIES[Math.min(level, SEVERITIES.length - 1)];
  }
}

/**
 * Incidents are per source and attack type, but a traffic spike and a credential-stuffing
 * campaign are the whole sensor's: hundreds of addresses at once, one incident (naming the first).
 * They are one wave too: a campaign's sources are new sources, and its first minute a spike.
 */
function incidentKey(anomaly: Anomaly): string {
  if (isSensorWide(anomaly.attack_type)) return waveKey(anomaly.sensor);
  if (isDroppedPayload(anomaly)) return `dropped\u0000${anomaly.sensor}\u0000${anomaly.dropped_payload}`;
  return `source\u0000${anomaly.src_ip}\u0000${anomaly.attack_type}`;
}

/** The key of a sensor's wave, its traffic spike and credential-stuffing campaign in one incident. */
function waveKey(sensor: string): string {
  return `sensor\u0000${sensor}\u0000wave`;
}

/** How far past the usual the feature that leads an alert or anomaly is (a typed finding's value over its threshold); 0 without one. */
function leadOutlyingness(of: { top_features: FeatureContribution[] }): number {
  const outlyingness = of.top_features[0]?.outlyingness;
  return typeof outlyingness === "number" && Number.isFinite(outlyingness) ? outlyingness : 0;
}

/** Whether `anomaly` leads with far more than its open wave has shown, past the wave's ramp: another wave. */
function outgrows(anomaly: Anomaly, incident: OpenIncident): boolean {
  const lead = anomaly.top_features[0];
  const peak = lead && incident.wavePeaks?.get(lead.name);
  if (!peak) return false;
  settle(peak, Math.floor(anomaly.time_ms / 60_000));
  return peak.settled > 0 && lead.value >= WAVE_GROWTH * peak.settled;
}

function notePeak(peaks: Map<string, WavePeak>, anomaly: Anomaly): void {
  const lead = anomaly.top_features[0];
  if (!lead || !Number.isFinite(lead.value)) return;
  let peak = peaks.get(lead.name);
  if (!peak) peaks.set(lead.name, (peak = { settled: -Infinity, recent: new Map() }));
  const minute = Math.floor(anomaly.time_ms / 60_000);
  settle(peak, minute);
  peak.recent.set(minute, Math.max(peak.recent.get(minute) ?? -Infinity, lead.value));
}

/** Folds the minutes before the last WAVE_RAMP_MINUTES into the settled height. */
function settle(peak: WavePeak, minute: number): void {
  for (const [at, value] of peak.recent) {
    if (at >= minute - WAVE_RAMP_MINUTES) continue;
    peak.settled = Math.max(peak.settled, value);
    peak.recent.delete(at);
  }
}

/** A malware drop that names its payload: one incident per payload, not per source. */
function isDroppedPayload(anomaly: Anomaly): anomaly is Anomaly & { dropped_payload: string } {
  return anomaly.attack_type === "malware-drop" && typeof anomaly.dropped_payload === "string";
}

/** Whether the policy raises one incident per sensor for this attack type, not one per source. */
export function isSensorWide(type: AttackType): boolean {
  return type === "traffic-spike" || type === "credential-stuffing";
}

/** "203.0.113.7: brute-force, 540 anomalous events in 30 s; failed_logins_30s=540 (usual 0-3)". */
function summarise(alert: Alert, spanMs: number, sources?: ReadonlySet<string>): string {
  const span = alert.count > 1 ? ` in ${Math.max(1, Math.round(spanMs / 1000))} s` : "";
  const from = sources && sources.size > 1 ? ` from ${countOf(sources)} sources` : "";
  const features = alert.top_features
    .map((f) => `${f.name}=${round(f.value)}${f.usual ? ` (usual ${round(f.usual[0])}-${round(f.usual[1])})` : ""}`)
    .join(", ");
  const events = alert.count === 1 ? "1 anomalous event" : `${alert.count} anomalous events`;
  return `${alert.src_ip}: ${alert.type}, ${events}${span}${from}${features ? `; ${features}` : ""}`;
}

/** How many sources, as counted by name: "1000+" past MAX_COUNTED_SOURCES. */
function countOf(sources: ReadonlySet<string>): string {
  return `${sources.size}${sources.size >= MAX_COUNTED_SOURCES ? "+" : ""}`;
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}
