/**
 * Attack-typed detection against the sensor's own baselines: a TypedWatch per attack type (two
 * for brute force and for unusual behaviour), each on a feature that type moves, sharing the
 * sensor's alert budget (background alerts per sensor per day). The strongest finding of an event
 * wins and names its type, so every alert says why in the analyst's words ("failed_logins_1m=150,
 * above 9") and what it is.
 *
 * The watches and their floors and priors: the floor is what no baseline can lower (a SOC
 * would not call 5 failed logins a minute a brute force on any sensor), the prior is the
 * threshold of a sensor without history, about what a SOC rule would use.
 *
 *     const typed = new TypedDetection({ alertsPerDay: 2 });
 *     typed.observe(vector, names, { src_ip, sensor, time_ms });  // a TypedFinding, or undefined
 */
import { FeaturePlaces } from "./feature-places";
import type { TypedFinding, TypedWatchSpec, WatchedEvent } from "./typed-watch";
import { TypedWatch } from "./typed-watch";
import type { UnitPeakBaselineState } from "./unit-peak-baseline";

const CONNECT = "cowrie.session.connect";

export const TYPED_WATCHES: readonly TypedWatchSpec[] = [
  { type: "brute-force", feature: "failed_logins_1m", unit: "source", floor: 8, prior: 15 },
  // Where worms fail as many logins a minute as a cracking tool every day (Mirai on a telnet
  // sensor), the tool still stands out by guessing over several connections at once.
  { type: "brute-force", feature: "parallel_failed_logins_1m", unit: "source", floor: 8, prior: 15 },
  { type: "credential-stuffing", feature: "campaign_sources_1m", unit: "sensor-minute", floor: 5, prior: 8 },
  { type: "port-scan/tunnel", feature: "unique_ports_1m", unit: "source", floor: 5, prior: 8 },
  // Three new sources in a minute make a wave only where one a minute is the most the sensor
  // sees; the sensor's own baseline says whether it does. That baseline learns from the minutes
  // with traffic, of which a quiet sensor has a few dozen a day, so the prior stands for its first
  // day: a wave there is a few times what it has seen, and a busier new sensor is judged beside
  // twice its own typical minute so far (TypedWatch).
  { type: "traffic-spike", feature: "new_ips_per_min", unit: "sensor-minute", floor: 3, prior: 8 },
  { type: "malware-drop", feature: "download_execs_5m", unit: "source", floor: 1, prior: 1, adaptive: false },
  // A person at a shell, not a bot's script: rare programs typed seconds apart. Scripts send line
  // after line at once, however rare what they run; what no watch describes is the model's.
  { type: "unusual-behaviour", feature: "typed_rare_commands_5m", unit: "source", floor: 3, prior: 4 },
  // A person looking for tools the box lacks: seldom-run programs typed that the honeypot's shell
  // did not know. Cowrie emulates what attackers commonly run, so this needs no long history of the
  // sensor: a young one counts every program rare, those of the people surveying it by hand too,
  // but its shell runs theirs. One unknown line is a typo; two are a search, from the sensor's
  // first hour (the prior): a first person met with a higher one is learned as the sensor's margin,
  // and every later one has to type more.
  { type: "unusual-behaviour", feature: "typed_unknown_commands_5m", unit: "source", floor: 2, prior: 2 },
];

/**
 * A wave of new sources is a campaign when the event's own credential pair, command, client
 * version or HASSH is behind at least this share of the minute's new sources: a campaign's first
 * sources are a wave before its shared password adds up to the campaign watch's floor.
 */
const CAMPAIGN_SHARE_OF_WAVE = 0.5;

export interface TypedDetectionOptions {
  /** Background alerts a sensor may raise a day, shared evenly among the watches; default 2. */
  alertsPerDay?: number;
  watches?: readonly TypedWatchSpec[];
}

export type TypedDetectionState = Record<string, Record<string, UnitPeakBaselineState>>;

export class TypedDetection {
  readonly alertsPerDay: number;
  private readonly watches: TypedWatch[];
  private readonly places: FeaturePlaces;
  /** Per watch, whether it found nothing in the event being observed. */
  private readonly silent: boolean[];

  constructor(options: TypedDetectionOptions = {}) {
    this.alertsPerDay = options.alertsPerDay ?? 2;
    if (!(this.alertsPerDay > 0)) throw new RangeError(`the alert budget must be above 0 alerts a day, not ${this.alertsPerDay}`);
    this.watches = (options.watches ?? TYPED_WATCHES).map((spec) => new TypedWatch(spec));
    this.places = new FeaturePlaces(this.watches.map((watch) => watch.spec.feature));
    this.silent = this.watches.map(() => false);
  }

  /**
   * The strongest finding among the watches for this event's features; every watch learns the
   * event. A finding about the event's own source (its failed logins, its download and run) comes
   * before one about the whole sensor's minute (a campaign, a spike): a malware drop in the middle
   * of a credential-stuffing campaign is a malware drop, not one more source of the campaign.
   */
  observe(vector: readonly number[], names: readonly string[], event: WatchedEvent, learn = true): TypedFinding | undefined {
    const places = this.places.of(names);
    const share = this.alertsPerDay / this.watches.length;
    let strongest: TypedFinding | undefined;
    let strongestIsSources = false;
    const silent = this.silent;
    for (let w = 0; w < this.watches.length; w++) {
      silent[w] = false;
      if (places[w] < 0) continue;
      const finding = this.watches[w].observe(vector[places[w]], event, share, learn);
      silent[w] = !finding;
      const aboutSource = this.watches[w].spec.unit === "source";
      // A wave is named once its newest source has said something: on a bare connect nothing
      // tells yet whether the new sources share a password, a client or a command.
      if (!finding || (!aboutSource && event.eventid === CONNECT)) continue;
      if (!strongest || (aboutSource && !strongestIsSources) || (aboutSource === strongestIsSources && finding.excess > strongest.excess)) {
        strongest = finding;
        strongestIsSources = aboutSource;
      }
    }
    // What one watch alerted on is no other watch's normal either (no learning from attacks).
    if (strongest && learn) for (let w = 0; w < this.watches.length; w++) if (silent[w]) this.watches[w].joinIncident(event);
    if (strongest?.type === "traffic-spike" && this.isCampaign(strongest, vector, places, event)) strongest = { ...strongest, type: "credential-stuffing" };
    return strongest;
  }

  /** Whether any watch finds its feature in this layout. */
  watchesAny(names: readonly string[]): boolean {
    return this.places.of(names).some((place) => place >= 0);
  }

  /** The attack types some watch follows in this layout (a layout without a watch's feature leaves its type to the model). */
  watchedTypes(names: readonly string[]): Set<string> {
    const places = this.places.of(names);
    return new Set(this.watches.filter((_, w) => places[w] >= 0).map((watch) => watch.spec.type));
  }

  /**
   * Whether the event's own campaign count is behind CAMPAIGN_SHARE_OF_WAVE of the wave `spike`
   * found, counted by what the wave's operator chose: its credentials or its command. A client
   * version or HASSH is shared by every copy of a tool (libssh, Go's SSH client), so a wave of
   * scanners shares one as surely as a campaign does; its count names a campaign only through the
   * campaign watch, where it has to pass what the sensor's own scanners share.
   */
  private isCampaign(spike: TypedFinding, vector: readonly number[], places: readonly number[], event: WatchedEvent): boolean {
    const eventid = event.eventid;
    if (eventid !== undefined && !eventid.startsWith("cowrie.login.") && eventid !== "cowrie.command.input") return false;
    const w = this.watches.findIndex((watch) => watch.spec.type === "credential-stuffing");
    return w >= 0 && places[w] >= 0 && vector[places[w]] >= CAMPAIGN_SHARE_OF_WAVE * spike.value;
  }

  toJSON(): TypedDetectionState {
    return Object.fromEntries(this.watches.map((watch) => [`${watch.spec.type}:${watch.spec.feature}`, watch.toJSON()]));
  }

  restore(state: TypedDetectionState): void {
    for (const watch of this.watches) {
      const saved = state[`${watch.spec.type}:${watch.spec.feature}`];
      if (saved) watch.restore(saved);
    }
  }

}
