/**
 * Small real-looking Cowrie logs for drill tests that must pass without ../shared/data, in the
 * styles of four Cowrie versions: a 2.0 telnet sensor under a +0200 clock (no uuid, protocol on
 * connect only, float durations, whole seconds in messages), a 3.x SSH sensor under UTC (uuid,
 * connection fields on every event, `duration_ms`), and 1.x (2017-2018) telnet and SSH sensors
 * under UTC: no `protocol` at all, Twisted's `system` log prefix and `isError` on every event
 * (cowrie/output/jsonlog.py removed only `log_*` keys), and on SSH a `client.version` carrying the
 * client's key exchange offer, there being no `client.kex` before hassh (2019).
 */
import { SeededRandom } from "../../../src/stats/seeded-random";

export type BackgroundStyle = "telnet-2.0" | "ssh-3.x" | "telnet-1.x" | "ssh-1.x";

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
      lines.push(JSON.stringify(eventIn(style, { eventid, fields, message, clockMs, srcIp, srcPort, session, sessionNumber: s })));
    };
    write("cowrie.session.connect", {}, `New connection: ${srcIp}:${srcPort} (${DST_IP[style]}:${DST_PORT[style]}) [session: ${session}]`);
    if (style === "ssh-1.x") write("cowrie.client.version", OLD_CLIENT, `Remote SSH version: ${OLD_CLIENT.version}`);
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

const DST_IP: Record<BackgroundStyle, string> = { "telnet-2.0": "192.168.1.12", "ssh-3.x": "10.0.0.5", "telnet-1.x": "10.1.0.4", "ssh-1.x": "10.1.0.5" };
const DST_PORT: Record<BackgroundStyle, number> = { "telnet-2.0": 2223, "ssh-3.x": 22, "telnet-1.x": 2223, "ssh-1.x": 2222 };
const UUID = "5f1c3a2e-5e1b-11f0-9a3b-0242ac120002";
/** Python 2's repr() of the version string, as 1.x wrote it, and the offer from the client's KEXINIT. */
const OLD_CLIENT = {
  version: "'SSH-2.0-libssh2_1.4.3'",
  kexAlgs: ["diffie-hellman-group14-sha1", "diffie-hellman-group-exchange-sha1", "diffie-hellman-group1-sha1"],
  keyAlgs: ["ssh-rsa", "ssh-dss"],
  encCS: ["aes128-ctr", "aes192-ctr", "aes256-ctr", "aes256-cbc", "3des-cbc"],
  macCS: ["hmac-sha1", "hmac-sha1-96", "hmac-md5"],
  compCS: ["none"],
};

interface EventParts {
  eventid: string;
  fields: Record<string, unknown>;
  message: string;
  clockMs: number;
  srcIp: string;
  srcPort: number;
  session: string;
  /** Twisted's count of connections since the sensor started, in 1.x's `system` prefix. */
  sessionNumber: number;
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
  if (style === "telnet-1.x" || style === "ssh-1.x") return oldEventIn(style, p, connection);
  const timestamp = timestampAt(p.clockMs, 0, "Z");
  if (p.eventid === "cowrie.session.connect") {
    return { eventid: p.eventid, ...connection, protocol: "ssh", message: p.message, sensor: "edge-ssh", uuid: UUID, timestamp };
  }
  return { eventid: p.eventid, ...p.fields, message: p.message, sensor: "edge-ssh", uuid: UUID, timestamp, ...connection, protocol: "ssh" };
}

/** Keys in no order that a reader could lean on: Python 2's dicts kept none. */
function oldEventIn(style: "telnet-1.x" | "ssh-1.x", p: EventParts, connection: Record<string, unknown>): Record<string, unknown> {
  const timestamp = timestampAt(p.clockMs, 0, "Z");
  const transport = style === "telnet-1.x" ? `CowrieTelnetTransport,${p.sessionNumber},${p.srcIp}` : `HoneyPotSSHTransport,${p.sessionNumber},${p.srcIp}`;
  if (p.eventid === "cowrie.session.connect") {
    const factory = style === "telnet-1.x" ? "cowrie.telnet.transport.HoneyPotTelnetFactory" : "cowrie.ssh.factory.CowrieSSHFactory";
    return { eventid: p.eventid, dst_port: connection.dst_port, timestamp, session: p.session, message: p.message, src_port: p.srcPort, system: factory, isError: 0, src_ip: p.srcIp, dst_ip: connection.dst_ip, sensor: "old-sensor" };
  }
  const system = style === "ssh-1.x" && p.eventid.startsWith("cowrie.login.") ? `SSHService 'ssh-userauth' on ${transport}` : transport;
  return { eventid: p.eventid, ...p.fields, timestamp, session: p.session, message: p.message, system, isError: 0, src_ip: p.srcIp, sensor: "old-sensor" };
}

function timestampAt(epochMs: number, offsetMinutes: number, zone: string): string {
  return `${new Date(epochMs + offsetMinutes * 60_000).toISOString().slice(0, 23)}412${zone}`;
}
