/**
 * Sensor-wide traffic over the last minute of event time: events, source IPs seen for the
 * first time, and distinct source IPs.
 *
 * A ring of 60 one-second slots (panes, as in SourceIpTimeline), each tagged with its second
 * so that a slot left over from a minute ago reads as empty. The minute ending at second `now`
 * holds seconds s with now - 60 < s <= now, the same arithmetic as the per-IP windows.
 *
 * Distinct IPs are counted without a set: every tracked IP sits in the slot of the second it
 * was last seen, moving forward when it is seen again, so the distinct IPs of the last minute
 * are the IPs whose last-seen second is in it. This is exact for every tracked IP and costs
 * one counter per second. IPs the caller stops tracking (evicted) are taken out with `forgetIp`.
 *
 * ```ts
 * const traffic = new TrafficPerMinute();
 * traffic.countEvent(1000, undefined);   // an IP seen for the first time
 * traffic.countEvent(1030, 1000);        // the same IP again
 * assert.deepEqual(traffic.lastMinute(1030), { events: 2, newIps: 1, distinctIps: 1 });
 * assert.deepEqual(traffic.lastMinute(1060), { events: 1, newIps: 0, distinctIps: 1 });
 * ```
 */

const SECONDS = 60;

export interface MinuteTraffic {
  events: number;
  newIps: number;
  distinctIps: number;
}

export class TrafficPerMinute {
  private readonly second = new Float64Array(SECONDS).fill(NaN);
  private readonly events = new Float64Array(SECONDS);
  private readonly newIps = new Float64Array(SECONDS);
  private readonly lastSeenIps = new Float64Array(SECONDS);
  private latest = -Infinity;

  /**
   * One event at `second` from an IP last seen at `previousSecond`, or seen for the first time
   * when that is undefined. A late event does not move its IP's last-seen second back.
   */
  countEvent(second: number, previousSecond: number | undefined): void {
    if (second > this.latest) this.latest = second;
    const movesForward = previousSecond === undefined || second > previousSecond;
    if (previousSecond !== undefined && movesForward) this.forgetIp(previousSecond);
    // A second a minute older than the latest has no slot any more: its slot holds a later one.
    if (second <= this.latest - SECONDS) return;
    const slot = this.slotFor(second);
    this.events[slot] += 1;
    if (previousSecond === undefined) this.newIps[slot] += 1;
    if (movesForward) this.lastSeenIps[slot] += 1;
  }

  /**
   * Takes out an IP last seen at `lastSecond` that is no longer tracked. A slot already reused
   * for a later second is left alone; one outside the minute is not summed, so either is harmless.
   */
  forgetIp(lastSecond: number): void {
    const slot = modulo(lastSecond);
    if (this.second[slot] === lastSecond) this.lastSeenIps[slot] -= 1;
  }

  /**
   * A copy of the counts, for taking back what follows (`restore`): window features counts an
   * event far ahead of its clock at once, and takes it back if the next event does not back it.
   * Sixty slots of four numbers: cheap next to a leap, which is rare.
   */
  snapshot(): TrafficPerMinute {
    const copy = new TrafficPerMinute();
    copy.restore(this);
    return copy;
  }

  /** The counts as they were in `snapshot`. */
  restore(snapshot: TrafficPerMinute): void {
    this.second.set(snapshot.second);
    this.events.set(snapshot.events);
    this.newIps.set(snapshot.newIps);
    this.lastSeenIps.set(snapshot.lastSeenIps);
    this.latest = snapshot.latest;
  }

  /** The minute ending at second `now`, normally the latest second counted. */
  lastMinute(now: number): MinuteTraffic {
    const minute = { events: 0, newIps: 0, distinctIps: 0 };
    for (let slot = 0; slot < SECONDS; slot++) {
      const s = this.second[slot];
      if (!(s > now - SECONDS && s <= now)) continue;
      minute.events += this.events[slot];
      minute.newIps += this.newIps[slot];
      minute.distinctIps += this.lastSeenIps[slot];
    }
    return minute;
  }

  private slotFor(second: number): number {
    const slot = modulo(second);
    if (this.second[slot] !== second) {
      this.second[slot] = second;
      this.events[slot] = 0;
      this.newIps[slot] = 0;
      this.lastSeenIps[slot] = 0;
    }
    return slot;
  }
}

function modulo(second: number): number {
  return ((second % SECONDS) + SECONDS) % SECONDS;
}
