/**
 * The longest step in time between a log's consecutive events, either way, and the lines either
 * side of it. drill and eval warn when it is longer than a sensor is plausibly down
 * (IMPLAUSIBLE_CLOCK_JUMP_MS): a sensor clock that restarted at 1970, or logs months apart.
 *
 * ```ts
 * const steps = new WidestTimeStep();
 * steps.see(1, 86_400_000);
 * steps.see(2, 0);
 * steps.see(3, 500);
 * assert.deepEqual(steps.widest, { ms: 86_400_000, from: { line: 1, timeMs: 86_400_000 }, to: { line: 2, timeMs: 0 } });
 * ```
 */

export interface LoggedTime {
  readonly line: number;
  readonly timeMs: number;
}

export class WidestTimeStep {
  /** The widest step seen so far; 0 ms between lines 0 before two events. */
  widest: { ms: number; from: LoggedTime; to: LoggedTime } = { ms: 0, from: { line: 0, timeMs: 0 }, to: { line: 0, timeMs: 0 } };
  private previous: LoggedTime | undefined;

  /** Takes the next event's line and time. */
  see(line: number, timeMs: number): void {
    const current = { line, timeMs };
    const previous = this.previous;
    this.previous = current;
    if (previous === undefined) return;
    const ms = Math.abs(timeMs - previous.timeMs);
    if (ms > this.widest.ms) this.widest = { ms, from: previous, to: current };
  }
}
