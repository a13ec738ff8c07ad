/**
 * Remembers each open session's connection (source port, honeypot address and port, protocol)
 * so that the events after `session.connect` can carry it too.
 *
 * Why: Cowrie 2.x writes src_port, dst_ip and dst_port on `cowrie.session.connect` only; from
 * 3.x they are on every connection event. Filling them in here gives later stages the same
 * event shape from both. Old (1.x) logs have no `protocol` at all, so it is remembered too
 * when the connect event had one.
 *
 * Memory is bounded: a session is forgotten on `session.closed`, and when more than
 * `capacity` sessions are open the least recently active one is dropped (a scan storm opens
 * sessions that never close). An entry is a key string, the connection object and a Map slot,
 * so the `clean` node's default of 20,000 open sessions stays within a few MB.
 *
 * ```ts
 * const table = new SessionConnectionTable(20_000);
 * const connection = { src_port: 51234, dst_ip: "10.0.0.2", dst_port: 22, protocol: "ssh" };
 * table.remember("sensor-1", "a1b2c3d4e5f6", connection);
 * assert.deepEqual(table.lookup("sensor-1", "a1b2c3d4e5f6"), connection);
 * table.forget("sensor-1", "a1b2c3d4e5f6");           // on session.closed
 * assert.equal(table.lookup("sensor-1", "a1b2c3d4e5f6"), undefined);
 * ```
 */
import { LruMap } from "../collections/lru-map";
import { compactKey } from "./compact-key";

export interface SessionConnection {
  src_port?: number;
  dst_ip?: string;
  dst_port?: number;
  protocol?: string;
}

export class SessionConnectionTable {
  private readonly sessions: LruMap<string, SessionConnection>;

  constructor(capacity: number) {
    this.sessions = new LruMap(capacity);
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Open sessions dropped to stay within capacity; their later events are not filled in. */
  get evicted(): number {
    return this.sessions.evicted;
  }

  remember(sensor: string, session: string, connection: SessionConnection): void {
    this.sessions.set(key(sensor, session), connection);
  }

  lookup(sensor: string, session: string): SessionConnection | undefined {
    return this.sessions.get(key(sensor, session));
  }

  forget(sensor: string, session: string): void {
    this.sessions.delete(key(sensor, session));
  }
}

// Session ids are 12 random hex digits per sensor; the sensor name keeps two sensors feeding
// one flow apart.
function key(sensor: string, session: string): string {
  return compactKey(`${sensor}\u0000${session}`);
}
