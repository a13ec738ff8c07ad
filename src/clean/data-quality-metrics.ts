/**
 * Data-quality metrics of the `clean` stage over one reporting interval, as InfluxDB points.
 *
 * The dimensions are the classic ones (Wang & Strong, "Beyond accuracy: what data quality
 * means to data consumers", JMIS 12(4), 1996; Batini et al., ACM Computing Surveys 41(3),
 * 2009), made precise for a Cowrie stream:
 * - completeness: of the fields each eventid should carry (cowrieEventSchema), the share the
 *   sensor wrote; overall and per eventid, over clean events;
 * - validity: the share of events (duplicates excluded) that passed validation whole: an
 *   event kept without a field it wrote wrong (`partial`) is clean but not valid, and
 *   `honeyflow_clean_invalid_fields` names the field;
 * - consistency: the share of clean events the sensor already wrote in canonical form
 *   (timestamp in UTC `Z`, `duration_ms` as an integer, ports as JSON integers, IP addresses
 *   in canonical text), overall and per check;
 * - timeliness: processing time minus event time, p50 and p95 in milliseconds;
 * - volume: events per second received, rejects per reason.
 *
 * `report()` closes the interval and starts the next; the caller owns the timer. The clock
 * is injected so that tests can drive intervals deterministically.
 *
 *     const quality = new DataQualityMetrics({ tags: { node: "clean" } });
 *     quality.observe(cleaner.clean(event));
 *     setInterval(() => send(quality.report()), 10_000);
 */
import { CleanOutcome, CleanRejectReason, ConsistencyCheck, CowrieEventCleaner } from "./cowrie-event-cleaner";
import { ValueField } from "./cowrie-event-schema";
import { ReservoirSample } from "../stats/reservoir-sample";

/** The point shape node-red-contrib-influxdb's batch node takes; `timestamp` in epoch ms. */
export interface InfluxPoint {
  measurement: string;
  tags: Record<string, string>;
  fields: Record<string, number>;
  timestamp: number;
}

export interface DataQualityMetricsOptions {
  /** Tags added to every point, e.g. the node's name. */
  tags?: Record<string, string>;
  /** Lag values kept per interval for the percentiles (ReservoirSample). Default 2,048. */
  lagSamples?: number;
  now?: () => number;
}

/**
 * Distinct eventids reported per interval; the rest are summed under "(more)". Cowrie has
 * about 50, but events can come from any mqtt/http input, and each eventid is an InfluxDB
 * series.
 */
const MAX_EVENTIDS = 100;
/**
 * The longest eventid with a series of its own (Cowrie's are under forty characters): a forged
 * one can be a megabyte, held until the report (for good with the node's metrics off) and
 * written as a tag no InfluxDB takes.
 */
const MAX_EVENTID_LENGTH = 64;

/** Each has a point every interval, zero or not, as each reject reason has. */
const CHECKED_FIELDS: readonly ValueField[] = ["src_port", "dst_ip", "dst_port", "duration_ms"];

interface Share {
  part: number;
  whole: number;
}

export class DataQualityMetrics {
  private readonly tags: Record<string, string>;
  private readonly now: () => number;
  private readonly lags: ReservoirSample;
  private intervalStart: number;
  private clean = 0;
  private duplicates = 0;
  private canonical = 0;
  private partial = 0;
  private invalidFields = new Map<ValueField, number>();
  private rejects = new Map<CleanRejectReason, number>();
  private fields: Share = { part: 0, whole: 0 };
  private fieldsByEventid = new Map<string, Share & { events: number }>();
  private consistencyByCheck = new Map<ConsistencyCheck, Share>();

  constructor(options: DataQualityMetricsOptions = {}) {
    this.tags = options.tags ?? {};
    this.now = options.now ?? Date.now;
    this.lags = new ReservoirSample(options.lagSamples ?? 2048);
    this.intervalStart = this.now();
  }

  observe(outcome: CleanOutcome): void {
    if (outcome.kind === "rejected") {
      this.rejects.set(outcome.reason, (this.rejects.get(outcome.reason) ?? 0) + 1);
      return;
    }
    if (outcome.kind === "duplicate") {
      this.duplicates += 1;
      return;
    }
    const { event, quality } = outcome;
    this.clean += 1;
    this.lags.add(this.now() - event.time_ms);
    this.fields.part += quality.writtenFields;
    this.fields.whole += quality.expectedFields;
    if (quality.invalidFields) {
      this.partial += 1;
      for (const field of Object.keys(quality.invalidFields) as ValueField[]) this.invalidFields.set(field, (this.invalidFields.get(field) ?? 0) + 1);
    }
    const ownSeries = event.eventid.length <= MAX_EVENTID_LENGTH && (this.fieldsByEventid.has(event.eventid) || this.fieldsByEventid.size < MAX_EVENTIDS);
    const eventid = ownSeries ? event.eventid : "(more)";
    const perEventid = this.fieldsByEventid.get(eventid) ?? { part: 0, whole: 0, events: 0 };
    perEventid.part += quality.writtenFields;
    perEventid.whole += quality.expectedFields;
    perEventid.events += 1;
    this.fieldsByEventid.set(eventid, perEventid);
    const checks = Object.entries(quality.checks) as Array<[ConsistencyCheck, boolean]>;
    for (const [check, consistent] of checks) {
      const share = this.consistencyByCheck.get(check) ?? { part: 0, whole: 0 };
      share.part += consistent ? 1 : 0;
      share.whole += 1;
      this.consistencyByCheck.set(check, share);
    }
    if (checks.every(([, consistent]) => consistent)) this.canonical += 1;
  }

  /** The interval's points, then a fresh interval. Shares are absent when nothing was measured. */
  report(): InfluxPoint[] {
    const now = this.now();
    const seconds = Math.max(now - this.intervalStart, 1) / 1000;
    const rejected = [...this.rejects.values()].reduce((sum, n) => sum + n, 0);
    const events = this.clean + rejected + this.duplicates;
    const point = (measurement: string, fields: Record<string, number | undefined>, tags: Record<string, string> = {}): InfluxPoint => ({
      measurement,
      tags: { ...this.tags, ...tags },
      fields: Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, number] => entry[1] !== undefined)),
      timestamp: now,
    });

    const points = [point("honeyflow_clean", {
      events,
      clean: this.clean,
      rejected,
      duplicates: this.duplicates,
      partial: this.partial,
      events_per_second: events / seconds,
      validity: share({ part: this.clean - this.partial, whole: this.clean + rejected }),
      completeness: share(this.fields),
      consistency: share({ part: this.canonical, whole: this.clean }),
      lag_p50_ms: this.lags.quantile(0.5),
      lag_p95_ms: this.lags.quantile(0.95),
      interval_s: seconds,
    })];
    for (const [eventid, fields] of [...this.fieldsByEventid].sort(([a], [b]) => a.localeCompare(b))) {
      points.push(point("honeyflow_clean_completeness", { completeness: share(fields), events: fields.events }, { eventid }));
    }
    for (const [check, consistent] of this.consistencyByCheck) {
      points.push(point("honeyflow_clean_consistency", { consistency: share(consistent), events: consistent.whole }, { check }));
    }
    for (const reason of CowrieEventCleaner.rejectReasons) {
      points.push(point("honeyflow_clean_rejects", { count: this.rejects.get(reason) ?? 0 }, { reason }));
    }
    for (const field of CHECKED_FIELDS) {
      points.push(point("honeyflow_clean_invalid_fields", { count: this.invalidFields.get(field) ?? 0 }, { field }));
    }

    this.intervalStart = now;
    this.clean = 0;
    this.duplicates = 0;
    this.canonical = 0;
    this.partial = 0;
    this.invalidFields = new Map();
    this.rejects = new Map();
    this.fields = { part: 0, whole: 0 };
    this.fieldsByEventid = new Map();
    this.consistencyByCheck = new Map();
    this.lags.clear();
    return points;
  }
}

function share({ part, whole }: Share): number | undefined {
  return whole === 0 ? undefined : part / whole;
}
