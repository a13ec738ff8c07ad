/**
 * At most one warning per interval, with a count of what was held back.
 *
 * A honeypot can produce thousands of malformed lines a second (an attacker piping binary
 * into a shell); logging each would flood Node-RED's log and slow the flow down.
 *
 *     const throttle = new WarningThrottle(10_000, (text) => node.warn(text));
 *     throttle.warn("malformed JSON at line 7");  // logged
 *     throttle.warn("malformed JSON at line 8");  // counted; reported with the next one logged
 */
export class WarningThrottle {
  private lastLoggedAt = -Infinity;
  private suppressed = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly log: (text: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  warn(text: string): void {
    const now = this.now();
    if (now - this.lastLoggedAt < this.intervalMs) {
      this.suppressed += 1;
      return;
    }
    const held = this.suppressed > 0 ? ` (${this.suppressed} similar warnings suppressed)` : "";
    this.log(`${text}${held}`);
    this.lastLoggedAt = now;
    this.suppressed = 0;
  }
}
