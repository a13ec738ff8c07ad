/**
 * One source's sessions still open (connected, not yet closed), to tell guessing over parallel
 * connections from connections made one after another. A cracking tool runs several login tasks
 * at once (hydra's, medusa's and ncrack's parallel connections), so its failed logins come while
 * its other sessions are open; a worm such as Mirai logs in over one connection at a time, so a
 * Mirai bot's 80 failed logins a minute come with none open beside them.
 *
 * A session silent for longer than Cowrie's interactive timeout (180 s) without a close is
 * forgotten: Cowrie would have closed it, so its close was lost (a sensor restart). At most
 * MAX_OPEN sessions are held; a flood of connections is counted as that many.
 *
 *     const open = new OpenSessions();
 *     open.observe("s1", "cowrie.session.connect", 100);
 *     open.observe("s2", "cowrie.session.connect", 101);
 *     open.othersOpen("s2", 102);  // 1: s1 is open beside s2
 */
const IDLE_SECONDS = 180;
const MAX_OPEN = 64;

export class OpenSessions {
  /** Each open session's latest second, least recently seen first. */
  private readonly latest = new Map<string, number>();

  /** Counts `session` open at `second` after `eventid`, or closed if that was its close. */
  observe(session: string, eventid: string, second: number): void {
    if (eventid === "cowrie.session.closed") {
      this.latest.delete(session);
      return;
    }
    if (eventid !== "cowrie.session.connect" && !this.latest.has(session)) return;
    this.latest.delete(session);
    this.latest.set(session, second);
    if (this.latest.size > MAX_OPEN) this.latest.delete(this.latest.keys().next().value as string);
  }

  /** Sessions other than `session` open at `second`. */
  othersOpen(session: string, second: number): number {
    for (const [key, last] of this.latest) {
      if (second - last <= IDLE_SECONDS) break;
      this.latest.delete(key);
    }
    return this.latest.size - (this.latest.has(session) ? 1 : 0);
  }

  get size(): number {
    return this.latest.size;
  }
}
