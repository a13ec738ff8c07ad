/**
 * A sensor's own baseline for one telling statistic (failed logins per minute, new sources per
 * minute, ...), kept as the distribution of its peaks per unit - a source's burst, a minute of
 * the sensor's traffic - and read as the threshold that an alert budget allows.
 *
 * Peaks per unit, not values per event: an alert is raised per unit (one per source and type,
 * one per sensor for a spike), so "at most B background alerts a day" means "at most B units a
 * day above the threshold", and the threshold is the (1 - B / units-per-day) quantile of past
 * units' peaks. A unit closes when it has been idle for `idleMs` of event time (or is pushed
 * out of the bounded table); only then does its peak enter the distribution, and not when the
 * unit alerted: what alerted is not learned as normal, so a second attack like the first is
 * still an attack (the poisoning the issue tracker saw on real sensors). Unless alerts are
 * common: when the units that alerted (left out, or learned as the sensor's margin; a burst of
 * them closer together than a unit's idle time counting once) pass
 * `alertedAllowance` times what the budget allows, what alerts is this sensor's normal (a busy
 * sensor met with a quiet sensor's prior), and the left-out peaks are learned after all, each at
 * most RELEASE_RISE times the highest peak learned before. Left out without such a bound, the top
 * of a busy sensor's traffic would be cut off the baseline and its threshold would sink into it.
 *
 *     const failedLogins = new UnitPeakBaseline({ idleMs: 30 * 60_000 });
 *     failedLogins.observe("203.0.113.7", 3, timeMs);
 *     failedLogins.threshold(0.5);  // peak per source that half a background alert a day allows; undefined while cold
 */
import { LruMap } from "../collections/lru-map";
import { IMPLAUSIBLE_CLOCK_JUMP_MS } from "../domain/canonical-event";
import { EmpiricalDistribution, type EmpiricalDistributionState } from "../stats/empirical-distribution";

export interface UnitPeakBaselineOptions {
  /** A unit with no observation for this long (event time) is closed and its peak learned. */
  idleMs: number;
  /** Open units held at once; the least recently seen beyond it closes early. Default 100,000. */
  maxOpenUnits?: number;
  /** Closed units before the baseline is trusted; default 20. */
  minUnits?: number;
  /** How many times the budget's alerts may stay out of the baseline; default 10. */
  alertedAllowance?: number;
  /** While cold, keep the closed units' peaks too, for coldUnitMedian; default false. */
  keepColdPeaks?: boolean;
}

export interface UnitPeakBaselineState {
  peaks: EmpiricalDistributionState;
  /** Where the clock's latest run of plausible steps began (the first event, unless the clock leapt since). */
  firstMs: number | null;
  lastMs: number | null;
  /** Event time seen before the clock's last leap; absent in states saved before leaps were told apart. */
  earlierSpanMs?: number;
  leftOut: number[];
  alerts: number;
  /** When the last alert counted against the allowance was (event time); absent in states saved before it was kept. */
  lastCountedAlertMs?: number | null;
  /** While cold, how many events had each value (a value that is no number saved as null). */
  cold?: { values: Array<number | null>; counts: number[] };
  /** While cold, the peaks of the units closed so far, when kept (keepColdPeaks). */
  coldPeaks?: number[];
}

interface OpenUnit {
  peak: number;
  lastMs: number;
  /**
   * Alerted itself ("alert"), or part of an incident that alerted in another unit ("incident"), or
   * alerted just past the threshold, learned as the sensor's own margin ("margin"), or, while the
   * baseline was cold, went far past what the sensor had shown without alerting ("suspect": left
   * out like an incident's unit, unless it alerts after all).
   */
  alerted: false | "alert" | "incident" | "margin" | "suspect";
  /** While the baseline is cold, how many of the unit's events had each value. */
  cold?: ValueCounts;
}

/**
 * How many events had each value, the values in ascending order (one that is not a number last):
 * the sensor's and each open unit's while the baseline is cold. Sorted as they come, so that a
 * quantile is one walk and the unit's own values are taken off in step with it.
 */
class ValueCounts {
  readonly values: number[] = [];
  readonly counts: number[] = [];
  total = 0;
  /** Where the last value was counted: a watched statistic repeats its value for event after event. */
  private last = 0;

  add(value: number): void {
    const values = this.values;
    const at = this.last < values.length && sameValue(values[this.last], value) ? this.last : this.placeOf(value);
    if (at < values.length && sameValue(values[at], value)) this.counts[at] += 1;
    else {
      values.splice(at, 0, value);
      this.counts.splice(at, 0, 1);
    }
    this.last = at;
    this.total += 1;
  }

  /** The saved counts, or empty ones if they are not counts of ascending values. */
  static fromJSON(state: { values: Array<number | null>; counts: number[] } | undefined): ValueCounts {
    const counts = new ValueCounts();
    if (!state || !Array.isArray(state.values) || !Array.isArray(state.counts) || state.values.length !== state.counts.length) return counts;
    const values = state.values.map((value) => (typeof value === "number" ? value : NaN));
    const ascending = values.every((value, i) => i === 0 || values[i - 1] < value || (Number.isNaN(value) && i === values.length - 1));
    // Counts a double holds exactly, in sum too: past 2^53 adding one changes nothing, and the
    // other units' values would seem never to change (see coldTypical).
    if (!ascending || !state.counts.every((count) => Number.isSafeInteger(count) && count > 0)) return counts;
    const total = state.counts.reduce((sum, count) => sum + count, 0);
    if (!Number.isSafeInteger(total)) return counts;
    // One at a time: spread into push, a saved state's many values overflow the call stack.
    for (let i = 0; i < values.length; i++) {
      counts.values.push(values[i]);
      counts.counts.push(state.counts[i]);
    }
    counts.total = total;
    return counts;
  }

  /** Where `value` is or would go, by binary search. */
  private placeOf(value: number): number {
    const values = this.values;
    let lo = 0;
    let hi = values.length;
    if (Number.isNaN(value)) lo = hi > 0 && Number.isNaN(values[hi - 1]) ? hi - 1 : hi;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (values[mid] < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Equal, or both not a number. */
function sameValue(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

const MS_PER_DAY = 86_400_000;
/**
 * Alerted units that may stay out however young the sensor or small the budget: a handful of
 * attacks in a sensor's first hours are attacks, not yet its normal.
 */
const MIN_LEFT_OUT_ALERTS = 5;
/**
 * How many times the highest peak learned before the left-out peaks may be learned as, when alerts
 * pass the allowance. Alerts spaced further apart than a unit's idle time each count, and a few
 * addresses of one actor pass the allowance in an afternoon: learned in full, their peaks set the
 * threshold that every later attack below them had to pass. A busy
 * sensor's own traffic rises past a quiet prior by less, or climbs there over more than one release
 * (and through the margins learned on the way), each time a rise at most this steep.
 */
const RELEASE_RISE = 8;
// Below a few hours, units per day extrapolated from the span says more about the hour than the day.
const MIN_SPAN_MS = 6 * 3_600_000;
/** The top share of peaks whose mean excess sets an extrapolated tail, and the quantiles that average it. */
const TAIL_SHARE = 0.1;
const TAIL_STEPS = 20;
/** Closed units' peaks kept while cold, the latest: a sensor that stays cold for weeks keeps no more. */
const MAX_COLD_PEAKS = 10_000;

export class UnitPeakBaseline {
  private peaks = new EmpiricalDistribution();
  private readonly open: LruMap<string, OpenUnit>;
  /** The clock: the latest event time; and where its current run of plausible steps began. */
  private firstMs: number | null = null;
  private lastMs: number | null = null;
  /** Event time seen in the clock's runs before its last leap. */
  private earlierSpanMs = 0;
  /** An event's time too far from the clock to move it unless the next event's is as far too. */
  private leapMs: number | undefined;
  private readonly minUnits: number;
  private readonly alertedAllowance: number;
  /** Peaks of alerted units kept out of the baseline, and how many of them alerted themselves. */
  private leftOut: number[] = [];
  private alerts = 0;
  /** When the last alert counted against the allowance was: a burst of alerts counts once. */
  private lastCountedAlertMs: number | undefined;
  /** The budget last asked about, which bounds how many units may stay left out. */
  private budget = Infinity;
  private cached: { budget: number; units: number; minute: number; threshold: number } | undefined;
  /** The exponential tail last fitted to the learned peaks (see peakPassedBy), and how many there were. */
  private tail: { units: number; start: number; meanExcess: number } | undefined;
  /**
   * While the baseline is cold, how many events had each value: what the sensor's traffic is like
   * before enough units have closed. Read without the judged unit's own events (see coldTypical).
   */
  private cold: ValueCounts | undefined = new ValueCounts();
  /** The last cold typical worked out, for a unit whose own values are `own`, with `others` values of other units. */
  private lastTypical: { own: ValueCounts | undefined; others: number; answer: number } | undefined;
  /** While cold, the peaks of the closed units (learned or left out), if kept (see coldUnitMedian). */
  private coldPeaks: number[] | undefined;
  /** Bumped when a unit opens, closes or raises its peak: the units' median moves only then. */
  private unitsChanged = 0;
  private lastMedian: { unit: string; changed: number; answer: number } | undefined;

  constructor(readonly options: UnitPeakBaselineOptions) {
    this.open = new LruMap(options.maxOpenUnits ?? 100_000);
    this.minUnits = options.minUnits ?? 20;
    this.alertedAllowance = options.alertedAllowance ?? 10;
    if (options.keepColdPeaks) this.coldPeaks = [];
  }

  /** Closed units learned so far. */
  get units(): number {
    return this.peaks.count;
  }

  get isWarm(): boolean {
    return this.peaks.count >= this.minUnits;
  }

  /** Records `value` for `unit` at `timeMs`, closing the units that have been idle too long. */
  observe(unit: string, value: number, timeMs: number): void {
    const nowMs = this.advanceClock(timeMs);
    this.closeIdle(nowMs);
    // A stray stamp ahead of the clock does not hold its unit open past the clock's idle time.
    const lastMs = Math.min(timeMs, nowMs);
    let known = this.open.get(unit);
    if (known) {
      if (value > known.peak) {
        known.peak = value;
        this.unitsChanged += 1;
      }
      known.lastMs = Math.max(known.lastMs, lastMs);
    } else {
      if (this.open.size >= this.open.capacity) this.closeOldest();
      known = { peak: value, lastMs, alerted: false };
      this.open.set(unit, known);
      this.unitsChanged += 1;
    }
    if (this.isWarm) {
      this.cold = undefined;
      this.coldPeaks = undefined;
    }
    if (this.cold) {
      this.cold.add(value);
      (known.cold ??= new ValueCounts()).add(value);
    }
  }

  /**
   * Keeps `unit`'s peak out of the baseline: it alerted, or (`incident`) it belongs to an incident
   * that alerted in another unit, such as the minutes either side of a traffic spike's alert.
   * Only units that alerted themselves count against the allowance of `alertedAllowance`.
   */
  markAlerted(unit: string, incident = false): void {
    const known = this.open.get(unit);
    if (known && known.alerted !== "alert") known.alerted = incident ? "incident" : "alert";
  }

  /**
   * Learns `unit`'s peak although it alerted, as the sensor's own margin, but counts its alert:
   * alerts of either kind past the allowance mean the left-out peaks are the sensor's normal.
   */
  markMargin(unit: string): void {
    const known = this.open.get(unit);
    if (known && (known.alerted === false || known.alerted === "suspect")) known.alerted = "margin";
  }

  /** Keeps `unit`'s peak out of the baseline without an alert, unless it alerts or is marked otherwise later. */
  markSuspect(unit: string): void {
    const known = this.open.get(unit);
    if (known && known.alerted === false) known.alerted = "suspect";
  }

  /**
   * The peak a unit may reach while the sensor raises no more than `alertsPerDay` background
   * alerts a day on this statistic; undefined until `minUnits` units have closed.
   */
  threshold(alertsPerDay: number): number | undefined {
    this.budget = alertsPerDay;
    if (!this.isWarm || this.firstMs === null || this.lastMs === null) return undefined;
    // Asked on every event; the answer moves only when a unit closes or the span grows by a minute.
    const minute = Math.floor(this.daysSeen() * 1440);
    const known = this.cached;
    if (!known || known.budget !== alertsPerDay || known.units !== this.peaks.count + this.leftOut.length || known.minute !== minute) {
      this.cached = { budget: alertsPerDay, units: this.peaks.count + this.leftOut.length, minute, threshold: this.peakPassedBy(alertsPerDay / this.unitsPerDay()) };
    }
    return (this.cached as { threshold: number }).threshold;
  }

  /**
   * The 90th percentile (nearest rank) of the values the sensor's other units had while the
   * baseline was cold: a busy sensor's steady traffic, which a new unit like it should not pass.
   * Not the judged unit's own: a quiet sensor's first attack writes more events than the sensor
   * has so far and would set its own threshold. The unit's own values only while it is the first;
   * NaN before any value, and once warm (no longer kept up).
   */
  coldTypical(unit: string): number {
    const cold = this.cold;
    if (!cold) return NaN;
    const own = this.open.peek(unit)?.cold;
    const others = cold.total - (own?.total ?? 0);
    // Every value counts into the sensor's values too, so as long as their number less the unit's
    // own stays the same, only the unit's own came in since: the other units' values, and the
    // answer, are as they were. A minute of the sensor's traffic is judged event after event.
    const last = this.lastTypical;
    if (last !== undefined && last.own === own && last.others === others && others > 0) return last.answer;
    const excluded = others > 0 ? own : undefined;
    const target = 0.9 * (others > 0 ? others : cold.total);
    // The other units' events up to a value never fall as the value rises: the answer is the
    // lowest value from which on they reach the target. Walked down from the top, where the 90th
    // percentile lies, taking off the unit's own values in step (they are among the sensor's).
    const { values, counts } = cold;
    let upTo = excluded ? others : cold.total;
    let ownAt = excluded ? excluded.values.length - 1 : -1;
    let answer = NaN;
    for (let i = values.length - 1; i >= 0 && upTo >= target && upTo > 0; i--) {
      answer = values[i];
      let ownCount = 0;
      if (excluded && ownAt >= 0 && sameValue(excluded.values[ownAt], values[i])) ownCount = excluded.counts[ownAt--];
      upTo -= counts[i] - ownCount;
    }
    this.lastTypical = { own, others, answer };
    return answer;
  }

  /**
   * The median (nearest rank) of the peaks of the sensor's other units, closed (learned or left
   * out) and open, while the baseline is cold: what the sensor's units are like, each counting once
   * however many events it had. A wave of a few units among a quiet sensor's many does not move
   * it, where it moves a quantile over events (coldTypical) when it writes more events than the
   * sensor has so far. The unit's own peak only while it is the first; NaN unless the baseline
   * keeps cold peaks (keepColdPeaks), and once warm.
   */
  coldUnitMedian(unit: string): number {
    const closed = this.coldPeaks;
    if (!closed) return NaN;
    const last = this.lastMedian;
    if (last !== undefined && last.unit === unit && last.changed === this.unitsChanged) return last.answer;
    const peaks = [...closed];
    for (const [key, open] of this.open.inRecencyOrder()) if (key !== unit) peaks.push(open.peak);
    const own = this.open.peek(unit);
    if (peaks.length === 0 && own) peaks.push(own.peak);
    peaks.sort((a, b) => a - b);
    const answer = peaks.length === 0 ? NaN : peaks[Math.ceil(0.5 * peaks.length) - 1];
    this.lastMedian = { unit, changed: this.unitsChanged, answer };
    return answer;
  }

  toJSON(): UnitPeakBaselineState {
    const state: UnitPeakBaselineState = {
      peaks: this.peaks.toJSON(), firstMs: this.firstMs, lastMs: this.lastMs, earlierSpanMs: this.earlierSpanMs, leftOut: [...this.leftOut], alerts: this.alerts,
      lastCountedAlertMs: this.lastCountedAlertMs ?? null,
    };
    if (this.cold) state.cold = { values: this.cold.values.map((value) => (Number.isNaN(value) ? null : value)), counts: [...this.cold.counts] };
    if (this.coldPeaks) state.coldPeaks = [...this.coldPeaks];
    return state;
  }

  /**
   * Continues from `state`; units open when it was saved are forgotten, not learned. A cold
   * baseline keeps the values its units had: without them the first unit after a restart would be
   * judged by its own values, as if it were the sensor's first, and a brute force could set its
   * own threshold.
   */
  static fromJSON(options: UnitPeakBaselineOptions, state: UnitPeakBaselineState): UnitPeakBaseline {
    const baseline = new UnitPeakBaseline(options);
    baseline.peaks = EmpiricalDistribution.fromJSON(state.peaks);
    baseline.firstMs = state.firstMs;
    baseline.lastMs = state.lastMs;
    if (Number.isFinite(state.earlierSpanMs) && (state.earlierSpanMs as number) >= 0) baseline.earlierSpanMs = state.earlierSpanMs as number;
    baseline.leftOut = Array.isArray(state.leftOut) ? state.leftOut.filter(Number.isFinite) : [];
    baseline.alerts = Number.isInteger(state.alerts) ? state.alerts : baseline.leftOut.length;
    // Without it, the alerts of a burst on either side of the restart would count twice.
    if (Number.isFinite(state.lastCountedAlertMs)) baseline.lastCountedAlertMs = state.lastCountedAlertMs as number;
    baseline.cold = baseline.isWarm ? undefined : ValueCounts.fromJSON(state.cold);
    // A state saved before the peaks were kept restores none: the median is then the open units'
    // (TypedWatch takes it only where it is below the events' percentile, as before).
    if (options.keepColdPeaks && !baseline.isWarm) {
      baseline.coldPeaks = (Array.isArray(state.coldPeaks) ? state.coldPeaks : []).filter(Number.isFinite).slice(-MAX_COLD_PEAKS);
    }
    return baseline;
  }

  /**
   * The clock after an event at `timeMs`: the latest event time, but a step from it longer than a
   * sensor is plausibly down, either way, is a stray stamp - a sensor that booted at 1970 before
   * NTP set its clock, one event a year ahead - and moves nothing unless the next event's time
   * steps as far, near the first's: then the clock did move (to a sensor's clock set right, or back
   * after months), it follows, the units still open from the other side close, and the leap counts
   * as no time seen. Taken as time, one event stamped 1970 ahead of a log spread its units over
   * 56 years, so that every unit passed the budget's share; one a year ahead closed every unit at
   * the next event.
   */
  private advanceClock(timeMs: number): number {
    const lastMs = this.lastMs;
    if (lastMs === null || this.firstMs === null) {
      this.firstMs = this.lastMs = timeMs;
      return timeMs;
    }
    if (Math.abs(timeMs - lastMs) <= IMPLAUSIBLE_CLOCK_JUMP_MS) {
      this.leapMs = undefined;
      if (timeMs > lastMs) this.lastMs = timeMs;
      return Math.max(timeMs, lastMs);
    }
    const leapMs = this.leapMs;
    if (leapMs === undefined || Math.abs(timeMs - leapMs) > IMPLAUSIBLE_CLOCK_JUMP_MS) {
      this.leapMs = timeMs;
      return lastMs;
    }
    this.leapMs = undefined;
    this.earlierSpanMs += lastMs - this.firstMs;
    this.firstMs = Math.min(leapMs, timeMs);
    this.lastMs = Math.max(leapMs, timeMs);
    const nowMs = this.lastMs;
    for (const [key, unit] of [...this.open.inRecencyOrder()]) if (Math.abs(nowMs - unit.lastMs) > IMPLAUSIBLE_CLOCK_JUMP_MS) this.closeUnit(key, unit);
    return nowMs;
  }

  private closeIdle(nowMs: number): void {
    for (let oldest = this.open.leastRecentlyUsed(); oldest && nowMs - oldest.value.lastMs > this.options.idleMs; oldest = this.open.leastRecentlyUsed()) {
      this.closeOldest();
    }
  }

  private closeOldest(): void {
    const oldest = this.open.leastRecentlyUsed();
    if (oldest) this.closeUnit(oldest.key, oldest.value);
  }

  private closeUnit(key: string, unit: OpenUnit): void {
    this.open.delete(key);
    this.unitsChanged += 1;
    if (this.coldPeaks) {
      this.coldPeaks.push(unit.peak);
      if (this.coldPeaks.length > MAX_COLD_PEAKS) this.coldPeaks.shift();
    }
    if (unit.alerted === false || unit.alerted === "margin") this.peaks.add(unit.peak);
    else this.leftOut.push(unit.peak);
    if (unit.alerted === false || unit.alerted === "incident" || unit.alerted === "suspect") return;
    // Alerts closer together than a unit's idle time are one burst, counted once: a few addresses
    // alerting within minutes are one actor, and would otherwise buy, cheaply, the learning of their
    // own peaks as this sensor's normal (the threshold every later attack below them has to pass).
    if (this.lastCountedAlertMs !== undefined && Math.abs(unit.lastMs - this.lastCountedAlertMs) < this.options.idleMs) return;
    this.lastCountedAlertMs = unit.lastMs;
    this.alerts += 1;
    // The budget allows `budget` alerts a day: a few times that many, over the days seen, may stay out.
    if (this.alerts > Math.max(this.alertedAllowance * this.budget * this.daysSeen(), MIN_LEFT_OUT_ALERTS)) {
      const highest = Math.max(this.peaks.count > 0 ? this.peaks.quantile(1) : 0, 1);
      for (const peak of this.leftOut) this.peaks.add(Math.min(peak, RELEASE_RISE * highest));
      this.leftOut = [];
      this.alerts = 0;
    }
  }

  /**
   * The peak that a share `share` of units pass. Where the closed units are too few to show it
   * (fewer than one of them would pass it) their highest peak is no answer: among n units a new
   * highest comes about once in n however rare the peak truly is, and each would alert, so a busy
   * sensor's first day alerted at every new record. There the tail above the 90th percentile is
   * read as exponential, the peaks-over-threshold view of extreme values (Pickands, "Statistical
   * inference using extreme order statistics", Annals of Statistics 1975; Siffer et al., "Anomaly
   * Detection in Streams with Extreme Value Theory", KDD 2017, fit a generalized Pareto there), and
   * the peak that `share` passes is read off it - never below the highest seen.
   */
  private peakPassedBy(share: number): number {
    const empirical = this.peaks.quantile(Math.min(1, Math.max(0, 1 - share)));
    if (!(share > 0) || this.peaks.count * share >= 1) return empirical;
    // The tail moves only when a unit is learned; the share, with every minute of the span.
    if (this.tail?.units !== this.peaks.count) {
      const start = this.peaks.quantile(1 - TAIL_SHARE);
      let excess = 0;
      for (let step = 0; step < TAIL_STEPS; step++) excess += this.peaks.quantile(1 - TAIL_SHARE + (TAIL_SHARE * (step + 0.5)) / TAIL_STEPS) - start;
      this.tail = { units: this.peaks.count, start, meanExcess: excess / TAIL_STEPS };
    }
    // P(peak > start + x) = TAIL_SHARE · exp(-x / mean excess), solved for `share`.
    return Math.max(empirical, this.tail.start + this.tail.meanExcess * Math.log(TAIL_SHARE / share));
  }

  /** Closed units (learned or left out) per day of event time seen. */
  private unitsPerDay(): number {
    return (this.peaks.count + this.leftOut.length) / this.daysSeen();
  }

  private daysSeen(): number {
    return Math.max(this.earlierSpanMs + ((this.lastMs ?? 0) - (this.firstMs ?? 0)), MIN_SPAN_MS) / MS_PER_DAY;
  }
}
