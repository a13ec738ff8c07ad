/**
 * One source IP's recent activity as per-second tallies, summed over sliding windows of
 * event time: logins (and those guessed beside another open session), sessions, commands, rare
 * usernames and programs (and those typed at a person's pace, and the typed ones the shell did
 * not know), transfers, tunnels, closed-session durations, and the first and last event time of
 * each second for the mean inter-arrival.
 *
 * The windows are sliced into one-second panes (Li, Maier, Tufte, Papadimos & Tucker, "No
 * pane, no gain: efficient evaluation of sliding-window aggregates over data streams",
 * SIGMOD Record 2005): a window's sums are the sums of its panes, and only seconds that saw an
 * event are stored. So memory grows with the number of busy seconds, not with events: a burst
 * of 100,000 login attempts within five minutes keeps at most 300 panes.
 *
 * Window arithmetic, in whole seconds of epoch time (UTC): the window of W seconds ending at
 * second `now` holds the events whose second s satisfies now - W < s <= now. An event exactly
 * W seconds before the current one is therefore out; one W - 1 seconds before is in.
 *
 * ```ts
 * const timeline = new SourceIpTimeline();
 * timeline.record({ eventid: "cowrie.login.failed" }, 1000, 1_000_000.5);
 * timeline.record({ eventid: "cowrie.login.failed" }, 1029, 1_029_000);
 * assert.deepEqual(timeline.tallies(1030, [30, 60]).map((t) => t.failedLogins), [1, 2]);
 * ```
 */
import { CanonicalEvent, LONGEST_DURATION_MS } from "../domain/canonical-event";

/** Sums over one window. `firstMs`/`lastMs` are NaN when the window is empty. */
export interface ActivityTally {
  events: number;
  failedLogins: number;
  successfulLogins: number;
  /** `cowrie.session.connect`: one per TCP connection. */
  sessions: number;
  commands: number;
  downloads: number;
  uploads: number;
  tunnelRequests: number;
  /** Login attempts with a username the sensor had rarely seen before (see SensorVocabulary). */
  rareUsernames: number;
  /** Commands that run a program the sensor had rarely seen before. */
  rareCommands: number;
  /** Failed logins made while another of the source's sessions was open: guessing over parallel connections. */
  parallelFailedLogins: number;
  /** Rare commands typed at a person's pace (seconds after the session's previous event). */
  typedRareCommands: number;
  /**
   * Lines typed at a person's pace that ran a program the sensor has seldom run and that the
   * honeypot's shell did not know (a `cowrie.command.failed` after the line).
   */
  typedUnknownCommands: number;
  /** Commands that ran what their session had fetched (DownloadThenRun). */
  downloadExecs: number;
  /** `cowrie.session.closed` events that carried a duration. */
  closedSessions: number;
  /** Total duration of those sessions, in seconds. */
  closedSessionSeconds: number;
  firstMs: number;
  lastMs: number;
}

// Pane layout in the flat array: the second, then the counters in ActivityTally's order.
const SECOND = 0;
const EVENTS = 1;
const FAILED = 2;
const SUCCESSFUL = 3;
const SESSIONS = 4;
const COMMANDS = 5;
const DOWNLOADS = 6;
const UPLOADS = 7;
const TUNNELS = 8;
const RARE_USERNAMES = 9;
const RARE_COMMANDS = 10;
const DOWNLOAD_EXECS = 11;
const PARALLEL_FAILED = 12;
const TYPED_RARE_COMMANDS = 13;
const TYPED_UNKNOWN_COMMANDS = 14;
const CLOSED = 15;
const CLOSED_SECONDS = 16;
const FIRST_MS = 17;
const LAST_MS = 18;
const STRIDE = 19;
/** Panes a source holds before new ones are appended in place rather than copied at the exact size. */
const GROW_IN_PLACE_PANES = 8;

/** The counter an eventid adds to, besides EVENTS. */
const COUNTER_OF_EVENTID: Readonly<Record<string, number>> = {
  "cowrie.login.failed": FAILED,
  "cowrie.login.success": SUCCESSFUL,
  "cowrie.session.connect": SESSIONS,
  // command.failed follows the command.input of the same line: counting both would count it twice.
  "cowrie.command.input": COMMANDS,
  // A failed download is still an attempt to fetch a payload, which is what matters here.
  "cowrie.session.file_download": DOWNLOADS,
  "cowrie.session.file_download.failed": DOWNLOADS,
  "cowrie.session.file_upload": UPLOADS,
  "cowrie.direct-tcpip.request": TUNNELS,
};

/** What the timeline needs of an event; the rarity flags come from the sensor's vocabularies. */
export type RecordedEvent = Pick<CanonicalEvent, "eventid" | "duration_ms"> & {
  rareUsername?: boolean;
  rareCommand?: boolean;
  downloadExec?: boolean;
  /** A failed login while another of the source's sessions was open. */
  parallelLogin?: boolean;
  /** A command typed at a person's pace. */
  typed?: boolean;
  /** The shell did not know a line typed at a person's pace that ran a seldom-run program (counted on its `command.failed`). */
  typedUnknown?: boolean;
};

export class SourceIpTimeline {
  /** Panes in ascending order of their second, STRIDE numbers each. */
  private panes: number[] = [];

  /** Panes held; at most the longest window in seconds plus the lateness tolerance. */
  get busySeconds(): number {
    return this.panes.length / STRIDE;
  }

  /** Adds an event that happened at `timeMs` (epoch ms) within epoch second `second`. */
  record(event: RecordedEvent, second: number, timeMs: number): void {
    const at = this.paneFor(second);
    const p = this.panes;
    p[at + EVENTS] += 1;
    const counter = COUNTER_OF_EVENTID[event.eventid];
    if (counter !== undefined) p[at + counter] += 1;
    if (event.rareUsername) p[at + RARE_USERNAMES] += 1;
    if (event.rareCommand) p[at + RARE_COMMANDS] += 1;
    if (event.downloadExec) p[at + DOWNLOAD_EXECS] += 1;
    if (event.parallelLogin && event.eventid === "cowrie.login.failed") p[at + PARALLEL_FAILED] += 1;
    if (event.typed && event.rareCommand) p[at + TYPED_RARE_COMMANDS] += 1;
    if (event.typedUnknown) p[at + TYPED_UNKNOWN_COMMANDS] += 1;
    // Clean drops a duration past LONGEST_DURATION_MS; an event posted to window features may still carry one.
    const duration = event.duration_ms;
    if (event.eventid === "cowrie.session.closed" && typeof duration === "number" && duration >= 0 && duration <= LONGEST_DURATION_MS) {
      p[at + CLOSED] += 1;
      p[at + CLOSED_SECONDS] += duration / 1000;
    }
    if (timeMs < p[at + FIRST_MS]) p[at + FIRST_MS] = timeMs;
    if (timeMs > p[at + LAST_MS]) p[at + LAST_MS] = timeMs;
  }

  /**
   * Tallies of the windows ending at second `now`, one per entry of `windowSeconds` (which
   * must ascend), in one backward pass over the panes. Written over `into` when given: a caller
   * that asks on every event and reads the tallies at once keeps one set (see emptyTally) rather
   * than garbage per event.
   */
  tallies(now: number, windowSeconds: readonly number[], into: ActivityTally[] = windowSeconds.map(emptyTally)): ActivityTally[] {
    const p = this.panes;
    const sums = SUMS.fill(0);
    sums[FIRST_MS] = NaN;
    sums[LAST_MS] = NaN;
    let at = p.length - STRIDE;
    while (at >= 0 && p[at + SECOND] > now) at -= STRIDE;
    for (let w = 0; w < windowSeconds.length; w++) {
      for (; at >= 0 && p[at + SECOND] > now - windowSeconds[w]; at -= STRIDE) {
        for (let field = EVENTS; field <= CLOSED_SECONDS; field++) sums[field] += p[at + field];
        // Panes are in time order, so the window's first event is in its oldest pane.
        sums[FIRST_MS] = p[at + FIRST_MS];
        if (Number.isNaN(sums[LAST_MS])) sums[LAST_MS] = p[at + LAST_MS];
      }
      writeTally(sums, into[w]);
    }
    return into;
  }

  /** Drops the panes of seconds before `second`. */
  forgetBefore(second: number): void {
    let drop = 0;
    while (drop < this.panes.length && this.panes[drop + SECOND] < second) drop += STRIDE;
    if (drop > 0) this.panes.splice(0, drop);
  }

  /** Offset of the pane of `second`, created in order if it does not exist yet. */
  private paneFor(second: number): number {
    const p = this.panes;
    let at = p.length;
    // Events arrive nearly in time order: search from the newest pane back.
    while (at > 0 && p[at - STRIDE + SECOND] > second) at -= STRIDE;
    if (at > 0 && p[at - STRIDE + SECOND] === second) return at - STRIDE;
    // Growing an array reserves half as much again plus 16 slots, which most IPs, busy for a
    // second or two, never use: build the panes at their exact size instead. A source busy for
    // longer grows its panes in place: copying them for each new second would copy the whole
    // five minutes on every event of a source that sends one a second.
    const pane = [second, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Infinity, -Infinity];
    if (at === p.length && p.length >= GROW_IN_PLACE_PANES * STRIDE) p.push(...pane);
    else this.panes = p.length === 0 ? pane : p.slice(0, at).concat(pane, p.slice(at));
    return at;
  }
}

/** The sums of the window being walked: one set serves every timeline, each walk starts it over. */
const SUMS = new Float64Array(STRIDE);

/** A tally of no events, to be written over by `tallies`. */
export function emptyTally(): ActivityTally {
  return {
    events: 0, failedLogins: 0, successfulLogins: 0, sessions: 0, commands: 0, downloads: 0, uploads: 0, tunnelRequests: 0,
    rareUsernames: 0, rareCommands: 0, downloadExecs: 0, parallelFailedLogins: 0, typedRareCommands: 0, typedUnknownCommands: 0,
    closedSessions: 0, closedSessionSeconds: 0, firstMs: NaN, lastMs: NaN,
  };
}

function writeTally(sums: Float64Array, tally: ActivityTally): void {
  tally.events = sums[EVENTS];
  tally.failedLogins = sums[FAILED];
  tally.successfulLogins = sums[SUCCESSFUL];
  tally.sessions = sums[SESSIONS];
  tally.commands = sums[COMMANDS];
  tally.downloads = sums[DOWNLOADS];
  tally.uploads = sums[UPLOADS];
  tally.tunnelRequests = sums[TUNNELS];
  tally.rareUsernames = sums[RARE_USERNAMES];
  tally.rareCommands = sums[RARE_COMMANDS];
  tally.downloadExecs = sums[DOWNLOAD_EXECS];
  tally.parallelFailedLogins = sums[PARALLEL_FAILED];
  tally.typedRareCommands = sums[TYPED_RARE_COMMANDS];
  tally.typedUnknownCommands = sums[TYPED_UNKNOWN_COMMANDS];
  tally.closedSessions = sums[CLOSED];
  tally.closedSessionSeconds = sums[CLOSED_SECONDS];
  tally.firstMs = sums[FIRST_MS];
  tally.lastMs = sums[LAST_MS];
}
