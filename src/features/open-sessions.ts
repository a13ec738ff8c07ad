/**
 * One source's sessions still open (connected, not yet closed), to tell guessing over parallel
 * connections from connections made one after another. A cracking tool runs several login tasks
 * at once (hydra's, medusa's and ncrack's parallel connections), so its failed logins come while
 * its other sessions are open; a worm such as Mirai logs in over one connection at a time, so a
 * Mirai bot's failed logins, however many a minute, come with none open beside them (the
 * telnet sensor's figures are in the README).
 *
 * It also says how long each session was silent before its latest event: a person at a shell
 * reads and types for seconds before each command, a script sends the next line as soon as the
 * prompt is back.
 *
 * A session silent for longer than Cowrie's interactive timeout (180 s) without a close is
 * forgotten: Cowrie would have closed it, so its close was lost (a sensor restart). At most
 * MAX_OPEN sessions are held; a flood of connections is counted as that many.
 *
 *     const open = new OpenSessions();
 *     open.observe("s1", "cowrie.session.connect", 100_000);
 *     open.observe("s2", "cowrie.session.connect", 101_000);
 *     open.othersOpen("s2", 102_000);                           // 1: s1 is open beside s2
 *     open.observe("s1", "cowrie.command.input", 104_500);      // 3,500: ms s1 was silent before
 */
const IDLE_MS = 180_000;
const MAX_OPEN = 64;

export class OpenSessions {
  /** Each open session's latest event time (epoch ms), least recently seen first. */
  private readonly latest = new Map<string, number>();
  /** The session last set in `latest`, at the end of its order, while it is still there. */
  private newest: string | undefined;

  /**
   * Counts `session` open at `timeMs` after `eventid`, or closed if that was its close; returns
   * how long the session had been silent before this event, undefined for its connect or a
   * session it never saw connect.
   */
  observe(session: string, eventid: string, timeMs: number): number | undefined {
    const before = this.latest.get(session);
    if (eventid === "cowrie.session.closed") {
      this.latest.delete(session);
      return before === undefined ? undefined : timeMs - before;
    }
    if (eventid !== "cowrie.session.connect" && before === undefined) return undefined;
    // Deleted and set again, a session moves to the end of the map's order; one already there
    // (the latest session seen, as for most events) only takes its new time.
    if (session !== this.newest) this.latest.delete(session);
    this.latest.set(session, Math.max(timeMs, before ?? -Infinity));
    this.newest = session;
    if (this.latest.size > MAX_OPEN) this.latest.delete(this.latest.keys().next().value as string);
    return before === undefined ? undefined : timeMs - before;
  }

  /** Sessions other than `session` open at `timeMs`. */
  othersOpen(session: string, timeMs: number): number {
    for (const [key, last] of this.latest) {
      if (timeMs - last <= IDLE_MS) break;
      this.latest.delete(key);
    }
    return this.latest.size - (this.latest.has(session) ? 1 : 0);
  }

  get size(): number {
    return this.latest.size;
  }
}
