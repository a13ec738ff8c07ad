/**
 * A change of regime in a sensor's traffic: the bots that visit it are not the ones that visited
 * it an hour ago. A two-window change detector on the traffic mix (Kifer, Ben-David & Gehrke,
 * "Detecting Change in Data Streams", VLDB 2004: a reference window, a recent window, a distance
 * between their distributions, and a new reference once a change is reported), with the bound
 * set by permutation, as Dasu et al. bootstrap theirs ("An Information-Theoretic Approach to
 * Detecting Changes in Multi-Dimensional Data Streams", Interface 2006).
 *
 * What it watches is not a score but what the sources do. Events are summarised in blocks of
 * event time: a block is at least one minute and holds at least `blockSources` sources (on a
 * quiet sensor a block spans many minutes). In each block every source counts once per value
 * it showed in each facet: the eventids it sent (event), the client version it announced
 * (client), its key exchange's HASSH (hassh) and its protocol. Counting sources rather than
 * events keeps one brute-forcer's thousand failed logins from outweighing a botnet.
 *
 * A block closes when the first event of a later minute comes. The recent window is the latest
 * `recentMinutes` and at least `recentBlocks` blocks, the reference the `referenceBlocks` blocks
 * before it. Each window's profile is, for every facet, the median over its blocks of each
 * value's share: an attack that fills fewer than half of the recent window's blocks (a traffic
 * spike of a few minutes, a credential-stuffing run) leaves the profile as it was, so attacks
 * stay alerts and do not become regime changes; a new population fills every block. The
 * distance is the largest total variation distance between the two profiles over the facets
 * (0: the same mix, 1: nothing in common). A change is reported when it is at least `minChange`
 * and larger than the distance of every one of `permutations` shuffles of the blocks between the
 * two windows (p <= 1 / (permutations + 1)); the shuffles are only drawn once `minChange` is
 * passed, which a stationary stream rarely does. After a change the monitor forgets its blocks,
 * so one change is reported once and the next is measured against the new regime, and no change
 * is reported within `minGapMinutes` of the last.
 *
 * ```ts
 * const monitor = new RegimeDrift();
 * const start = Date.UTC(2026, 2, 18);
 * const changes = [];
 * for (let minute = 0; minute < 120; minute++) {
 *   for (let s = 0; s < 20; s++) {
 *     // 20 sources a minute: Go clients until minute 60, then libssh ones.
 *     const client_version = minute < 60 ? "SSH-2.0-Go" : "SSH-2.0-libssh_0.9.6";
 *     const change = monitor.observe({ time_ms: start + minute * 60_000 + s, src_ip: `192.0.2.${s}`, eventid: "cowrie.client.version", client_version });
 *     if (change) changes.push(change);
 *   }
 * }
 * assert.equal(changes.length, 1);
 * assert.equal(changes[0].summary, "client SSH-2.0-Go 1.00 -> 0.00, SSH-2.0-libssh_0.9.6 0.00 -> 1.00");
 * assert.equal(new Date(changes[0].since).toISOString(), "2026-03-18T01:00:00.000Z");
 * ```
 */
import type { CanonicalEvent } from "../domain/canonical-event";
import { SeededRandom } from "../stats/seeded-random";

export const REGIME_FACETS = ["event", "client", "hassh", "protocol"] as const;
export type RegimeFacet = (typeof REGIME_FACETS)[number];

/** What the monitor reads of a cleaned event. */
export type RegimeEvent = Pick<CanonicalEvent, "time_ms" | "src_ip" | "eventid"> & Partial<Pick<CanonicalEvent, "protocol" | "client_version" | "hassh">>;

export interface RegimeDriftOptions {
  /** A block holds at least this many sources (and spans at least a minute). */
  blockSources: number;
  /** The recent window spans at least this many minutes... */
  recentMinutes: number;
  /** ...and at least this many blocks. */
  recentBlocks: number;
  /** The reference window: the blocks before the recent window, at most this many... */
  referenceBlocks: number;
  /** ...and no comparison before it has this many. */
  minReferenceBlocks: number;
  /** The least distance between the windows' mixes reported, 0 to 1. */
  minChange: number;
  /** Shuffles of the blocks the distance must beat. */
  permutations: number;
  /** No change is reported within this many minutes of the last. */
  minGapMinutes: number;
}

/** One value whose share moved, in the window before and in the recent window. */
export interface ShareChange {
  facet: RegimeFacet;
  value: string;
  before: number;
  after: number;
}

export interface RegimeChange {
  /** Event time (epoch ms) of the last event of the recent window. */
  time: number;
  /** Event time where the new regime's blocks begin: about when the change happened. */
  since: number;
  /** The largest total variation distance between the windows' mixes, over the facets. */
  distance: number;
  facet: RegimeFacet;
  /** The values whose shares moved most, largest move first. */
  changes: ShareChange[];
  /** Medians over the windows' blocks. */
  events_per_minute: { before: number; after: number };
  /** One line for a person: the moves, and the event rate when it moved by half or more. */
  summary: string;
}

type Shares = Record<string, number>;

/** A closed block: its span and counts, and per facet the share of its sources showing each value. */
interface Block {
  start: number;
  end: number;
  minutes: number;
  events: number;
  mix: Partial<Record<RegimeFacet, Shares>>;
}

/** The block still filling: each source's values per facet, in REGIME_FACETS' order. */
interface OpenBlock {
  firstMinute: number;
  lastMinute: number;
  start: number;
  end: number;
  events: number;
  sources: Map<string, string[][]>;
}

/** Everything a RegimeDrift needs to continue where it stopped; plain JSON. */
export interface RegimeDriftState {
  options: RegimeDriftOptions;
  events: number;
  closedBlocks: number;
  lastChange: number | null;
  window: Block[];
  open: (Omit<OpenBlock, "sources"> & { sources: [string, string[][]][] }) | null;
}

const MINUTE_MS = 60_000;
/** Attacker text (client versions) is cut here: a value is a label, not a payload. */
const MAX_VALUE_CHARS = 80;
/** Bounds on one block, against a scan storm of a million addresses or a client naming itself anew every second. */
const MAX_SOURCES_PER_BLOCK = 5000;
const MAX_VALUES_PER_SOURCE = 8;
const MAX_VALUES_PER_FACET = 32;
const OTHER_VALUES = "(other)";
/** A move of a share smaller than this is not worth naming. */
const LEAST_NAMED_MOVE = 0.05;
const MOST_NAMED_MOVES = 6;
const SUMMARY_MOVES = 4;

export class RegimeDrift {
  static readonly defaults: Readonly<RegimeDriftOptions> = {
    blockSources: 10, recentMinutes: 20, recentBlocks: 8, referenceBlocks: 40, minReferenceBlocks: 20,
    minChange: 0.5, permutations: 99, minGapMinutes: 30,
  };

  readonly options: RegimeDriftOptions;
  private observed = 0;
  private closedBlocks = 0;
  private lastChange: number | null = null;
  /** The closed blocks still of use: the reference window's and the recent window's, oldest first. */
  private window: Block[] = [];
  private open: OpenBlock | null = null;

  constructor(options: Partial<RegimeDriftOptions> = {}) {
    this.options = { ...RegimeDrift.defaults, ...options };
    const o = this.options;
    const wholeAtLeast = (name: keyof RegimeDriftOptions, least: number) => {
      if (!Number.isInteger(o[name]) || o[name] < least) throw new RangeError(`regime drift ${name} must be a whole number >= ${least}, got ${o[name]}`);
    };
    wholeAtLeast("blockSources", 1);
    wholeAtLeast("recentBlocks", 2);
    wholeAtLeast("minReferenceBlocks", 2);
    wholeAtLeast("referenceBlocks", o.minReferenceBlocks);
    wholeAtLeast("permutations", 1);
    if (!(o.recentMinutes >= 1) || !Number.isFinite(o.recentMinutes)) throw new RangeError(`regime drift recentMinutes must be >= 1, got ${o.recentMinutes}`);
    if (!(o.minChange > 0 && o.minChange <= 1)) throw new RangeError(`regime drift minChange must be in (0, 1], got ${o.minChange}`);
    if (!(o.minGapMinutes >= 0) || !Number.isFinite(o.minGapMinutes)) throw new RangeError(`regime drift minGapMinutes must be >= 0, got ${o.minGapMinutes}`);
  }

  /** A monitor continued from its `toJSON()`. Throws TypeError when `state` is not one. */
  static fromJSON(state: RegimeDriftState): RegimeDrift {
    const monitor = new RegimeDrift(state.options);
    const blockValid = (b: Block) => [b.start, b.end, b.minutes, b.events].every(Number.isFinite) && typeof b.mix === "object" && b.mix !== null;
    const open = state.open;
    if (![state.events, state.closedBlocks].every(Number.isInteger) || !(state.lastChange === null || Number.isFinite(state.lastChange))
      || !Array.isArray(state.window) || !state.window.every(blockValid)
      || !(open === null || (typeof open === "object" && Array.isArray(open.sources) && [open.firstMinute, open.lastMinute, open.start, open.end, open.events].every(Number.isFinite)))) {
      throw new TypeError("not a saved regime drift state");
    }
    monitor.observed = state.events;
    monitor.closedBlocks = state.closedBlocks;
    monitor.lastChange = state.lastChange;
    monitor.window = structuredClone(state.window);
    monitor.open = open && { ...open, sources: new Map(structuredClone(open.sources)) };
    return monitor;
  }

  /** Events observed so far. */
  get events(): number {
    return this.observed;
  }

  /** Blocks closed so far. */
  get blocks(): number {
    return this.closedBlocks;
  }

  /** Reads one event; returns the change it completed, if any (once per change). */
  observe(event: RegimeEvent): RegimeChange | undefined {
    this.observed += 1;
    const minute = Math.floor(event.time_ms / MINUTE_MS);
    let change: RegimeChange | undefined;
    if (this.open && minute > this.open.lastMinute && this.open.sources.size >= this.options.blockSources) {
      change = this.close(this.open);
      this.open = null;
    }
    this.open ??= { firstMinute: minute, lastMinute: minute, start: event.time_ms, end: event.time_ms, events: 0, sources: new Map() };
    addEvent(this.open, event, minute);
    return change;
  }

  toJSON(): RegimeDriftState {
    return {
      options: { ...this.options },
      events: this.observed,
      closedBlocks: this.closedBlocks,
      lastChange: this.lastChange,
      window: structuredClone(this.window),
      open: this.open && { ...this.open, sources: structuredClone([...this.open.sources]) },
    };
  }

  /** Closes the open block and compares the windows; a change makes the monitor forget its blocks. */
  private close(open: OpenBlock): RegimeChange | undefined {
    this.closedBlocks += 1;
    const last = summarise(open);
    this.window.push(last);
    const { recentMinutes, recentBlocks, referenceBlocks, minReferenceBlocks, minGapMinutes } = this.options;
    const lastMinute = Math.floor(last.end / MINUTE_MS);
    let split = this.window.length - 1;
    const recentShort = () => lastMinute - Math.floor(this.window[split].start / MINUTE_MS) + 1 < recentMinutes || this.window.length - split < recentBlocks;
    while (split > 0 && recentShort()) split -= 1;
    // Blocks before the reference window are of no further use.
    const drop = Math.max(0, split - referenceBlocks);
    this.window.splice(0, drop);
    split -= drop;
    if (split < minReferenceBlocks) return undefined;
    if (this.lastChange !== null && last.end - this.lastChange < minGapMinutes * MINUTE_MS) return undefined;
    const reference = this.window.slice(0, split);
    const recent = this.window.slice(split);
    const columns = columnsOf(this.window, Math.min(split, recent.length));
    const compared = compare(columns, range(0, split), range(split, this.window.length));
    if (!compared || compared.distance < this.options.minChange || !this.beatsShuffles(columns, compared.distance, recent.length)) return undefined;
    const change = describeChange(reference, recent, compared);
    this.lastChange = change.time;
    this.window = [];
    return change;
  }

  /** Whether no shuffle of the blocks between the two windows puts them as far apart. */
  private beatsShuffles(columns: FacetColumns[], distance: number, recentCount: number): boolean {
    // Seeded by the block count, so that a monitor restored from its state draws the same shuffles.
    const random = new SeededRandom(`regime-drift-${this.closedBlocks}`);
    const pool = range(0, this.window.length);
    for (let k = 0; k < this.options.permutations; k++) {
      for (let i = pool.length - 1; i > 0; i--) {
        const j = random.integer(0, i);
        [pool[i], pool[j]] = [pool[j], pool[i]];
      }
      const shuffled = compare(columns, pool.slice(recentCount), pool.slice(0, recentCount));
      if (shuffled && shuffled.distance >= distance) return false;
    }
    return true;
  }
}

function addEvent(block: OpenBlock, event: RegimeEvent, minute: number): void {
  block.lastMinute = Math.max(block.lastMinute, minute);
  block.start = Math.min(block.start, event.time_ms);
  block.end = Math.max(block.end, event.time_ms);
  block.events += 1;
  let facets = block.sources.get(event.src_ip);
  if (!facets) {
    if (block.sources.size >= MAX_SOURCES_PER_BLOCK) return;
    facets = REGIME_FACETS.map(() => []);
    block.sources.set(event.src_ip, facets);
  }
  note(facets[0], event.eventid);
  note(facets[1], event.client_version);
  note(facets[2], event.hassh);
  note(facets[3], event.protocol);
}

function note(values: string[], value: unknown): void {
  if (typeof value !== "string" || values.length >= MAX_VALUES_PER_SOURCE) return;
  const label = value.length > MAX_VALUE_CHARS ? value.slice(0, MAX_VALUE_CHARS) : value;
  if (!values.includes(label)) values.push(label);
}

/** Per facet, the share of the block's sources showing each value (the rarest lumped together past MAX_VALUES_PER_FACET). */
function summarise(open: OpenBlock): Block {
  const counts = REGIME_FACETS.map(() => new Map<string, number>());
  for (const facets of open.sources.values()) {
    facets.forEach((values, f) => {
      for (const value of values) counts[f].set(value, (counts[f].get(value) ?? 0) + 1);
    });
  }
  const mix: Block["mix"] = {};
  for (const [f, facetCounts] of counts.entries()) {
    if (facetCounts.size === 0) continue;
    const facet = REGIME_FACETS[f];
    const ranked = [...facetCounts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const total = ranked.reduce((sum, [, n]) => sum + n, 0);
    const shares: Shares = {};
    for (const [i, [value, n]] of ranked.entries()) {
      const key = i < MAX_VALUES_PER_FACET - 1 || ranked.length <= MAX_VALUES_PER_FACET ? value : OTHER_VALUES;
      shares[key] = (shares[key] ?? 0) + n / total;
    }
    mix[facet] = shares;
  }
  const minutes = open.lastMinute - open.firstMinute + 1;
  return { start: open.start, end: open.end, minutes, events: open.events, mix };
}

interface Comparison {
  distance: number;
  facet: RegimeFacet;
  before: Partial<Record<RegimeFacet, Shares>>;
  after: Partial<Record<RegimeFacet, Shares>>;
}

/** Blocks as columns, for one facet: each value's share in every block, and which blocks saw the facet at all. */
interface FacetColumns {
  facet: RegimeFacet;
  values: string[];
  shares: Float64Array[];
  seen: Uint8Array;
}

/**
 * The columns of `blocks` for every facet, with only the values that can have a median share
 * above 0 in a group of `smallestGroup` blocks or more (a facet counts in a group where at least
 * half its blocks saw it, and a median is above 0 where at least half of those show the value):
 * the rest would add zeros, and the shuffles recompute the medians 99 times.
 */
function columnsOf(blocks: readonly Block[], smallestGroup: number): FacetColumns[] {
  const least = Math.ceil(Math.ceil(smallestGroup / 2) / 2);
  return REGIME_FACETS.map((facet) => {
    const present = new Map<string, number>();
    const seen = new Uint8Array(blocks.length);
    blocks.forEach((block, b) => {
      const shares = block.mix[facet];
      if (!shares) return;
      seen[b] = 1;
      for (const value of Object.keys(shares)) present.set(value, (present.get(value) ?? 0) + 1);
    });
    const values = [...present].filter(([, n]) => n >= least).map(([value]) => value);
    const shares = values.map((value) => Float64Array.from(blocks, (block) => block.mix[facet]?.[value] ?? 0));
    return { facet, values, shares, seen };
  });
}

/**
 * The two groups' profiles (blocks by index into the columns) and the largest distance between
 * them over the facets. A facet counts only where at least half of each group's blocks saw it:
 * a HASSH seen in two blocks says nothing about the mix. Undefined when no facet counts.
 */
function compare(columns: readonly FacetColumns[], reference: readonly number[], recent: readonly number[]): Comparison | undefined {
  let best: Comparison | undefined;
  const before: Comparison["before"] = {};
  const after: Comparison["after"] = {};
  for (const facetColumns of columns) {
    const old = medianProfile(facetColumns, reference);
    const now = medianProfile(facetColumns, recent);
    if (!old || !now) continue;
    before[facetColumns.facet] = old;
    after[facetColumns.facet] = now;
    const distance = totalVariation(old, now);
    if (!best || distance > best.distance) best = { distance, facet: facetColumns.facet, before, after };
  }
  return best;
}

/** Each value's median share over the group's blocks that saw the facet, renormalised to sum to 1. */
function medianProfile({ values, shares, seen }: FacetColumns, group: readonly number[]): Shares | undefined {
  const members = group.filter((b) => seen[b] === 1);
  if (members.length === 0 || members.length * 2 < group.length) return undefined;
  const scratch = new Float64Array(members.length);
  const profile: Shares = {};
  let total = 0;
  values.forEach((value, v) => {
    members.forEach((b, i) => (scratch[i] = shares[v][b]));
    const median = medianOf(scratch);
    if (median > 0) {
      profile[value] = median;
      total += median;
    }
  });
  if (total === 0) return undefined;
  for (const value of Object.keys(profile)) profile[value] /= total;
  return profile;
}

/** The profile of `blocks` alone, for one facet. */
function profileOf(blocks: readonly Block[], facet: RegimeFacet): Shares | undefined {
  const columns = columnsOf(blocks, blocks.length)[REGIME_FACETS.indexOf(facet)];
  return medianProfile(columns, range(0, blocks.length));
}

function medianOf(values: Float64Array): number {
  values.sort();
  const mid = values.length >> 1;
  return values.length % 2 === 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

function totalVariation(a: Shares, b: Shares): number {
  let sum = 0;
  for (const value of new Set([...Object.keys(a), ...Object.keys(b)])) sum += Math.abs((a[value] ?? 0) - (b[value] ?? 0));
  return sum / 2;
}

/**
 * What changed: the shares before (the reference's profile) and after (the profile of the recent
 * blocks since the new regime began, which the recent window as a whole still mixes with the old
 * one when a change is caught early).
 */
function describeChange(reference: readonly Block[], recent: readonly Block[], compared: Comparison): RegimeChange {
  const first = regimeStart(recent, compared);
  const since = recent.slice(first);
  const moves: ShareChange[] = [];
  for (const facet of REGIME_FACETS) {
    const old = compared.before[facet];
    const now = profileOf(since, facet) ?? compared.after[facet];
    if (!old || !now) continue;
    for (const value of new Set([...Object.keys(old), ...Object.keys(now)])) {
      const move = { facet, value, before: round(old[value] ?? 0), after: round(now[value] ?? 0) };
      if (Math.abs(move.after - move.before) >= LEAST_NAMED_MOVE) moves.push(move);
    }
  }
  moves.sort((a, b) => Math.abs(b.after - b.before) - Math.abs(a.after - a.before) || (a.value < b.value ? -1 : 1));
  const changes = moves.slice(0, MOST_NAMED_MOVES);
  const eventsPerMinute = (blocks: readonly Block[]) => round(medianOf(Float64Array.from(blocks, (b) => b.events / b.minutes)), 1);
  const events_per_minute = { before: eventsPerMinute(reference), after: eventsPerMinute(since) };
  return {
    time: recent[recent.length - 1].end,
    since: since[0].start,
    distance: round(compared.distance, 3),
    facet: compared.facet,
    changes,
    events_per_minute,
    summary: summaryOf(changes, events_per_minute),
  };
}

/** Where the recent window's last run of blocks nearer the new profile than the old one begins (at least the last block). */
function regimeStart(recent: readonly Block[], { facet, before, after }: Comparison): number {
  let first = recent.length - 1;
  while (first > 0) {
    const shares = recent[first - 1].mix[facet];
    if (shares && totalVariation(shares, after[facet] as Shares) > totalVariation(shares, before[facet] as Shares)) break;
    first -= 1;
  }
  return first;
}

function summaryOf(changes: readonly ShareChange[], rate: { before: number; after: number }): string {
  const byFacet = new Map<RegimeFacet, string[]>();
  for (const c of changes.slice(0, SUMMARY_MOVES)) {
    byFacet.set(c.facet, [...(byFacet.get(c.facet) ?? []), `${c.value} ${c.before.toFixed(2)} -> ${c.after.toFixed(2)}`]);
  }
  const parts = [...byFacet].map(([facet, moves]) => `${facet} ${moves.join(", ")}`);
  if (rate.after >= 1.5 * rate.before || rate.after * 1.5 <= rate.before) parts.push(`${rate.before} -> ${rate.after} events/min`);
  return parts.join("; ");
}

function round(x: number, digits = 3): number {
  const scale = 10 ** digits;
  return Math.round(x * scale) / scale;
}

/**
 * A change as the drift node sends it and `honeyflow score` writes it: the fields of ADWIN's
 * and Page-Hinkley's events (the largest move's shares as old_mean and new_mean, the distance
 * as value, the event time), then what changed.
 */
export function regimeDriftEvent(change: RegimeChange, position: number) {
  const top = change.changes[0] as ShareChange | undefined;
  return {
    detector: "regime" as const,
    position,
    old_mean: top?.before ?? 0,
    new_mean: top?.after ?? 0,
    value: change.distance,
    time: change.time,
    since: change.since,
    summary: change.summary,
    facet: change.facet,
    changes: change.changes,
    events_per_minute: change.events_per_minute,
  };
}
