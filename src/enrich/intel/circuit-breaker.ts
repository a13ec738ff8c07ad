/**
 * Stops calling a service that keeps failing (Nygard, "Release It!", 2007): after `failures`
 * failures in a row the circuit opens and no request is sent for `openMs`; then one trial request
 * goes out (half-open), and its outcome closes the circuit or opens it again. A service that is
 * down or a key that was revoked then costs one request a minute, not one per alert, and no
 * timeout is waited on per message.
 *
 * ```ts
 * let now = 0;
 * const breaker = new CircuitBreaker({ failures: 5, openMs: 60_000 }, () => now);
 * for (let i = 0; i < 5; i++) if (breaker.allows()) breaker.failed();  // call().then(succeeded, failed)
 * assert.equal(breaker.allows(), false);   // open: no request for a minute
 * now += 60_000;
 * assert.equal(breaker.allows(), true);    // half-open: one trial request
 * assert.equal(breaker.allows(), false);   // and only one
 * ```
 */

export interface CircuitBreakerOptions {
  failures?: number;
  openMs?: number;
}

export class CircuitBreaker {
  private consecutiveFailures = 0;
  private openUntil = 0;
  private trialInFlight = false;
  private readonly failuresToOpen: number;
  private readonly openMs: number;

  constructor(options: CircuitBreakerOptions = {}, private readonly now: () => number = Date.now) {
    this.failuresToOpen = options.failures ?? 5;
    this.openMs = options.openMs ?? 60_000;
  }

  get state(): "closed" | "open" | "half-open" {
    if (this.consecutiveFailures < this.failuresToOpen) return "closed";
    return this.now() < this.openUntil ? "open" : "half-open";
  }

  /** Whether a request may go out now; in half-open, only one at a time. */
  allows(): boolean {
    const state = this.state;
    if (state === "closed") return true;
    if (state === "open" || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  succeeded(): void {
    this.consecutiveFailures = 0;
    this.trialInFlight = false;
  }

  /** The request `allows` let out was not sent after all: the circuit stays as it was, and the next request may be the trial. */
  released(): void {
    this.trialInFlight = false;
  }

  failed(): void {
    this.consecutiveFailures += 1;
    this.trialInFlight = false;
    if (this.consecutiveFailures >= this.failuresToOpen) this.openUntil = this.now() + this.openMs;
  }
}
