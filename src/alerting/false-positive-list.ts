/**
 * Analyst feedback: patterns marked as false positives, which stop alerting for a while.
 *
 * A pattern is an attack type, from one source IP (the company's own vulnerability scanner
 * "brute-forcing" the honeypot every night) or from any source when the analyst says the
 * whole kind is noise on this sensor. Marks expire, in event time, so a forgotten mark cannot
 * hide a real attack forever; the list is bounded, the oldest mark giving way first.
 *
 * ```ts
 * const marks = new FalsePositiveList();
 * const now = Date.now();
 * marks.mark({ type: "brute-force", src_ip: "10.0.0.9" }, now);
 * assert.equal(marks.covers({ attack_type: "brute-force", src_ip: "10.0.0.9", time_ms: now + 1000 }), true);
 * ```
 */
import type { AttackType } from "../domain/attack-types";

export interface FalsePositiveMark {
  type: AttackType;
  /** Omitted: the type is noise from every source. */
  src_ip?: string;
}

export interface FalsePositiveListOptions {
  /** How long a mark holds, in ms of event time; default one week. */
  ttlMs?: number;
  /** Most marks kept; default 10,000. */
  capacity?: number;
}

const ANY_SOURCE = "";

export class FalsePositiveList {
  private readonly ttlMs: number;
  private readonly capacity: number;
  /** Key "type \0 src_ip" -> the event time the mark expires; in insertion order, oldest first. */
  private expiries = new Map<string, number>();

  constructor(options: FalsePositiveListOptions = {}) {
    this.ttlMs = options.ttlMs ?? 7 * 24 * 3_600_000;
    this.capacity = options.capacity ?? 10_000;
  }

  get size(): number {
    return this.expiries.size;
  }

  /** Marks a pattern as a false positive from `nowMs` on. */
  mark(pattern: FalsePositiveMark, nowMs: number): void {
    const key = keyOf(pattern.type, pattern.src_ip ?? ANY_SOURCE);
    this.expiries.delete(key);
    this.expiries.set(key, nowMs + this.ttlMs);
    if (this.expiries.size > this.capacity) this.expiries.delete(this.expiries.keys().next().value as string);
  }

  /** True when the anomaly matches a mark that has not expired at its time. */
  covers(anomaly: { attack_type: AttackType; src_ip: string; time_ms: number }): boolean {
    return this.holds(keyOf(anomaly.attack_type, anomaly.src_ip), anomaly.time_ms) || this.holds(keyOf(anomaly.attack_type, ANY_SOURCE), anomaly.time_ms);
  }

  clear(): void {
    this.expiries.clear();
  }

  private holds(key: string, timeMs: number): boolean {
    const expiry = this.expiries.get(key);
    if (expiry === undefined) return false;
    if (timeMs < expiry) return true;
    this.expiries.delete(key);
    return false;
  }
}

function keyOf(type: string, srcIp: string): string {
  return `${type}\u0000${srcIp}`;
}
