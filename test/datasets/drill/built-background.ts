/**
 * Small real-looking Cowrie logs for drill tests that must pass without ../shared/data, in two
 * Cowrie versions' styles: a 2.0 telnet sensor under a +0200 clock (no uuid, protocol on connect
 * only, float durations, whole seconds in messages) and a 3.x SSH sensor under UTC (uuid,
 * connection fields on every event, `duration_ms`).
 */
import { SeededRandom } from "../../../src/stats/seeded-random";

export type BackgroundStyle = "telnet-2.0" | "ssh-3.x";

const START_MS = Date.UTC(2025, 5, 1, 22, 0, 0);

/** `sessions` sessions of a few failed logins, a few minutes apart, as JSON lines. */
export function builtBackground(style: BackgroundStyle, sessions: number, seed = "background"): string {
  const random = new SeededRandom(seed);
  const lines: string[] = [];
  let clockMs = START_MS;
  for (let s = 0; s < sessions; s++) {
    clockMs += random.integer(30_000, 400_000);
    const session = random.hex(12);
    const srcIp = `198.51.${random.integer(0, 3)}.${random.integer(1, 254)}`;
    const srcPort = random.integer(1024, 65535);
    const connectMs = clockMs;
    const write = (eventid: string, fields: Record<string, unknown>, message: string) => {
      lines.push(JSON.stringify(eventIn(style, { eventid, fields, message, clockMs, srcIp, srcPort, session })));
    };
    write("cowrie.session.connect", {}, `New connection: ${srcIp}:${srcPort} (${DST_IP[style]}:${DST_PORT[style]}) [session: ${session}]`);
    for (let i = random.integer(1, 4); i > 0; i--) {
      clockMs += random.integer(200, 3000);
      const [username, password] = [random.pick(["root", "admin", "support"]), random.pick(["1234", "admin", "xc3511"])];
      write("cowrie.login.failed", { username, password }, `login attempt [${username}/${password}] failed`);
    }
    clockMs += random.integer(100, 2000);
    const seconds = (clockMs - connectMs) / 1000;
    const duration = style === "ssh-3.x" ? { duration_ms: clockMs - connectMs } : { duration: seconds + 0.000123 };
    write("cowrie.session.closed", duration, `Connection lost after ${style === "ssh-3.x" ? seconds.toFixed(1) : Math.floor(seconds)} seconds`);
  }
  return lines.map((line) => `${line}\n`).join("");
}

const DST_IP: Record<BackgroundStyle, string> = { "telnet-2.0": "192.168.1.12", "ssh-3.x": "10.0.0.5" };
const DST_PORT: Record<BackgroundStyle, number> = { "telnet-2.0": 2223, "ssh-3.x": 22 };
const UUID = "5f1c3a2e-5e1b-11f0-9a3b-0242ac120002";

interface EventParts {
  eventid: string;
  fields: Record<string, unknown>;
  message: string;
  clockMs: number;
  srcIp: string;
  srcPort: number;
  session: string;
}

function eventIn(style: BackgroundStyle, p: EventParts): Record<string, unknown> {
  const connection = { src_ip: p.srcIp, src_port: p.srcPort, dst_ip: DST_IP[style], dst_port: DST_PORT[style], session: p.session };
  if (style === "telnet-2.0") {
    const timestamp = timestampAt(p.clockMs, 120, "+0200");
    if (p.eventid === "cowrie.session.connect") {
      return { eventid: p.eventid, ...connection, protocol: "telnet", message: p.message, sensor: "home-telnet", timestamp };
    }
    return { eventid: p.eventid, ...p.fields, message: p.message, sensor: "home-telnet", timestamp, src_ip: p.srcIp, session: p.session };
  }
  const timestamp = timestampAt(p.clockMs, 0, "Z");
  if (p.eventid === "cowrie.session.connect") {
    return { eventid: p.eventid, ...connection, protocol: "ssh", message: p.message, sensor: "edge-ssh", uuid: UUID, timestamp };
  }
  return { eventid: p.eventid, ...p.fields, message: p.message, sensor: "edge-ssh", uuid: UUID, timestamp, ...connection, protocol: "ssh" };
}

function timestampAt(epochMs: number, offsetMinutes: number, zone: string): string {
  return `${new Date(epochMs + offsetMinutes * 60_000).toISOString().slice(0, 23)}412${zone}`;
}
