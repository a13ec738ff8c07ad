/**
 * Shannon entropy, in bits, of the destination ports one source IP reached in the last W
 * seconds: 0 when every connection went to one port, log2(n) when n ports were hit evenly.
 *
 * Lakhina, Crovella & Diot ("Mining anomalies using traffic feature distributions",
 * SIGCOMM 2005) showed that the entropy of destination ports separates scans and tunnels from
 * service traffic better than volume does: a brute-forcer hammers port 22 (entropy 0), a
 * direct-tcpip port scan spreads over many ports (high entropy).
 *
 * Memory is a ring of the most recent `capacity` port observations (second, port), so a scan
 * of 65,536 ports costs the same as a scan of `capacity`. While a window holds at most
 * `capacity` observations the entropy is exact; beyond, it is the entropy of the window's most
 * recent `capacity` observations, which saturates at log2(capacity) bits (7 at the default
 * 128) - far above the 0 to 2 bits of ordinary traffic.
 *
 * ```ts
 * const ports = new DstPortEntropy();
 * ports.add(22, 100);
 * ports.add(23, 101);
 * assert.equal(ports.entropy(100), 1);  // two ports, evenly
 * assert.equal(ports.entropy(101), 0);  // only port 23 since second 101
 * ```
 */

/**
 * Shared scratch space: the nodes run on one thread and `entropy` does not re-enter. A typed
 * array sorts numerically without a comparator call per comparison, in the same order.
 */
let portsInWindow = new Float64Array(128);

export class DstPortEntropy {
  /** Flat ring of [second, port] pairs, grown on demand up to `capacity` pairs. */
  private observations: number[] = [];
  private next = 0;
  /** Observations added so far, and the entropy last worked out: of how many ports, after how many additions. */
  private added = 0;
  private last: { added: number; ports: number; entropy: number } | undefined;

  constructor(private readonly capacity = 128) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, not ${capacity}`);
  }

  add(port: number, second: number): void {
    this.added += 1;
    const o = this.observations;
    if (o.length < this.capacity * 2) {
      // Copied at the exact size rather than pushed: push reserves room for 8 more pairs,
      // and most IPs reach a port or two in their lifetime.
      this.observations = o.concat(second, port);
      return;
    }
    o[this.next] = second;
    o[this.next + 1] = port;
    this.next = (this.next + 2) % o.length;
  }

  /** Entropy in bits of the ports observed at or after `sinceSecond`; 0 when there are none. */
  entropy(sinceSecond: number): number {
    const o = this.observations;
    if (portsInWindow.length < o.length / 2) portsInWindow = new Float64Array(o.length / 2);
    let n = 0;
    for (let i = 0; i < o.length; i += 2) if (o[i] >= sinceSecond) portsInWindow[n++] = o[i + 1];
    if (n < 2) return 0;
    // With nothing added since, a window keeps all or some of the ports any other window kept
    // (the later it starts, the fewer): as many is the same ports. Each event asks for every
    // window, and most sources' events add no port.
    const last = this.last;
    if (last !== undefined && last.added === this.added && last.ports === n) return last.entropy;
    const ports = portsInWindow.subarray(0, n).sort();
    // H = log2(n) - (1/n) * sum(c * log2(c)) over each port's count c, summed over sorted runs.
    let sum = 0;
    let run = 1;
    for (let i = 1; i <= n; i++) {
      if (i < n && ports[i] === ports[i - 1]) {
        run += 1;
      } else {
        sum += run * Math.log2(run);
        run = 1;
      }
    }
    const entropy = Math.max(0, Math.log2(n) - sum / n);
    this.last = { added: this.added, ports: n, entropy };
    return entropy;
  }
}
