/**
 * The fixed rules a SOC writes by hand, as the baseline the learned detection must beat on real
 * sensors, and for users who want exactly these:
 * - brute force: `failedLogins` failed logins from one source within a minute (default 20);
 * - port scan / tunnel: `tunnelPorts` distinct ports from one source within a minute (default 10);
 * - traffic spike: more events in the last minute than `spikeFactor` times the median minute of
 *   the sensor's day so far (UTC, minutes with traffic; default 10);
 * - malware drop: a download and then chmod or a shell run in one session;
 * - credential stuffing: one credential pair (or command, client version, HASSH) from
 *   `campaignSources` new sources within five minutes (default 5).
 * Each fires at its threshold exactly, with no baseline and no budget.
 *
 *     const rules = new RulesDetection({ failedLogins: 30 });
 *     rules.observe(vector, names, { src_ip, sensor, time_ms });  // a TypedFinding, or undefined
 */
import type { AttackType } from "../domain/attack-types";
import { LruMap } from "../collections/lru-map";
import { EmpiricalDistribution } from "../stats/empirical-distribution";
import { FeaturePlaces } from "./feature-places";
import type { TypedFinding, WatchedEvent } from "./typed-watch";

export interface RulesDetectionOptions {
  failedLogins?: number;
  tunnelPorts?: number;
  spikeFactor?: number;
  campaignSources?: number;
}

export const RULE_DEFAULTS: Readonly<Required<RulesDetectionOptions>> = { failedLogins: 20, tunnelPorts: 10, spikeFactor: 10, campaignSources: 5 };

/**
 * Rules about what the event's own source did that no background bot does by the dozen in a spike's
 * minute. Brute force is left to the excess: a telnet sensor's spikes are Mirai bots guessing, each a
 * brute force by the rule, and named so they would each be an alert of their own beside the wave.
 */
const ABOUT_THE_SOURCE: ReadonlySet<AttackType> = new Set<AttackType>(["malware-drop", "port-scan/tunnel"]);

const FEATURES = ["failed_logins_1m", "unique_ports_1m", "events_per_min", "download_execs_5m", "campaign_sources_5m"] as const;
const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
// Sensors whose day the rules keep; a T-Pot with more gives up the least recently seen.
const MAX_SENSORS = 1_000;

/** One sensor's minutes of today: closed minutes' event counts, and the minute still open. */
interface SensorDay {
  day: number;
  minutes: EmpiricalDistribution;
  minute: number;
  events: number;
}

export class RulesDetection {
  readonly options: Readonly<Required<RulesDetectionOptions>>;
  private readonly days = new LruMap<string, SensorDay>(MAX_SENSORS);
  private readonly places = new FeaturePlaces(FEATURES);

  constructor(options: RulesDetectionOptions = {}) {
    this.options = { ...RULE_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
    for (const [name, value] of Object.entries(this.options)) {
      if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`the rule's ${name} must be a number above 0, not ${value}`);
    }
  }

  /** The rule passed furthest by this event, if any; `learn` false judges it without counting it into the day. */
  observe(vector: readonly number[], names: readonly string[], event: WatchedEvent, learn = true): TypedFinding | undefined {
    const [failed, ports, perMinute, downloadExecs, campaign] = this.places.of(names).map((j) => (j < 0 ? 0 : vector[j]));
    const median = learn ? this.countMinute(event) : this.medianOf(event.sensor);
    const { failedLogins, tunnelPorts, spikeFactor, campaignSources } = this.options;
    const findings: TypedFinding[] = [];
    const fire = (type: AttackType, feature: string, value: number, threshold: number) =>
      findings.push({ type, feature, value, threshold, excess: value / Math.max(threshold, 1e-9) });
    if (downloadExecs >= 1) fire("malware-drop", "download_execs_5m", downloadExecs, 1);
    if (failed >= failedLogins) fire("brute-force", "failed_logins_1m", failed, failedLogins);
    if (ports >= tunnelPorts) fire("port-scan/tunnel", "unique_ports_1m", ports, tunnelPorts);
    if (campaign >= campaignSources) fire("credential-stuffing", "campaign_sources_5m", campaign, campaignSources);
    if (median !== undefined && perMinute > spikeFactor * median) fire("traffic-spike", "events_per_min", perMinute, spikeFactor * median);
    // A malware drop or a tunnel comes first: every event of a spike's minute passes the spike rule,
    // so a flood of cheap connects from fresh addresses would otherwise name them a spike, and fold
    // them into the wave.
    return findings.sort((a, b) => Number(ABOUT_THE_SOURCE.has(b.type)) - Number(ABOUT_THE_SOURCE.has(a.type)) || b.excess - a.excess)[0];
  }

  /** Counts the event into its sensor's minute; the median of the day's closed minutes with traffic, if any. */
  private countMinute(event: WatchedEvent): number | undefined {
    const day = Math.floor(event.time_ms / MS_PER_DAY);
    const minute = Math.floor(event.time_ms / MS_PER_MINUTE);
    let today = this.days.get(event.sensor);
    if (!today || day > today.day) {
      today = { day, minutes: new EmpiricalDistribution(), minute, events: 0 };
      this.days.set(event.sensor, today);
    }
    if (minute > today.minute) {
      if (today.events > 0) today.minutes.add(today.events);
      today.minute = minute;
      today.events = 0;
    }
    today.events += 1;
    return this.medianOf(event.sensor);
  }

  private medianOf(sensor: string): number | undefined {
    const today = this.days.peek(sensor);
    return today && today.minutes.count > 0 ? today.minutes.quantile(0.5) : undefined;
  }

}
