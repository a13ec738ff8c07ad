/**
 * One Cowrie session written event by event (SessionScript), and the writer that collects
 * the events of the sessions one visit or one episode plays out (ScriptWriter).
 */
import { createHash } from "node:crypto";
import { epochMsToCowrieTimestamp } from "../../../ingest/cowrie-timestamp";
import type { SeededRandom } from "../../../stats/seeded-random";
import type { ClientFingerprint } from "./client-fingerprints";
import type { SensorIdentity } from "./sensor-identity";
import type { SessionIds } from "./session-ids";
import type { SourceAddresses } from "./source-addresses";
import { UNKNOWN_TO_COWRIE } from "./vocabulary";

export const MICROS_PER_SECOND = 1_000_000;

/** ttylog digests remembered for Cowrie's `duplicate` flag; bounded so a long run stays small. */
const REMEMBERED_TTYLOGS = 4096;

export interface ScriptedEvent {
  readonly timeUs: number;
  readonly event: Record<string, unknown>;
}

/** Collects the events that the sessions of one visit or one episode play out. */
export class ScriptWriter {
  events: ScriptedEvent[] = [];
  private readonly ttylogs = new Set<string>();

  constructor(
    readonly random: SeededRandom,
    readonly sensor: SensorIdentity,
    readonly sources: SourceAddresses,
    private readonly sessionIds: SessionIds,
  ) {}

  open(srcIp: string, startUs: number): SessionScript {
    return new SessionScript(this, this.sessionIds.next(), srcIp, startUs);
  }

  take(): ScriptedEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }

  /** Cowrie's `duplicate` flag on log.closed: whether an identical tty log was stored before. */
  seenTtylog(digest: string): boolean {
    if (this.ttylogs.has(digest)) return true;
    if (this.ttylogs.size < REMEMBERED_TTYLOGS) this.ttylogs.add(digest);
    return false;
  }
}

/**
 * One SSH session, event by event, with Cowrie 2.x's field order and messages: the event's own
 * fields, then message, sensor, uuid, timestamp, src_ip, session, protocol (session.connect
 * lists its addresses first and the timestamp last).
 */
export class SessionScript {
  private clockUs: number;
  private readonly connectUs: number;
  private ttyStartUs = 0;
  private readonly ttyInput: string[] = [];

  constructor(
    private readonly writer: ScriptWriter,
    readonly id: string,
    readonly srcIp: string,
    startUs: number,
  ) {
    this.clockUs = startUs;
    this.connectUs = startUs;
  }

  get nowUs(): number {
    return this.clockUs;
  }

  wait(seconds: number): this {
    this.clockUs += Math.max(1, Math.round(seconds * MICROS_PER_SECOND));
    return this;
  }

  connect(): this {
    const { privateIp } = this.writer.sensor;
    const srcPort = this.writer.random.integer(1024, 65535);
    return this.emit(
      "cowrie.session.connect",
      { src_ip: this.srcIp, src_port: srcPort, dst_ip: privateIp, dst_port: 2222, session: this.id, protocol: "ssh" },
      `New connection: ${this.srcIp}:${srcPort} (${privateIp}:2222) [session: ${this.id}]`,
    );
  }

  clientVersion(version: string): this {
    return this.emit("cowrie.client.version", { version }, `Remote SSH version: ${version}`);
  }

  clientKex(client: ClientFingerprint): this {
    return this.emit("cowrie.client.kex", client.kexFields, `SSH client hassh fingerprint: ${client.hassh}`);
  }

  /** Banner exchange and key exchange, milliseconds apart as a client library does them. */
  handshake(client: ClientFingerprint): this {
    const r = this.writer.random;
    return this.wait(r.uniform(0.0005, 0.003)).clientVersion(client.version).wait(r.uniform(0.05, 0.35)).clientKex(client);
  }

  loginFailed(username: string, password: string): this {
    return this.emit("cowrie.login.failed", { username, password }, `login attempt [${username}/${password}] failed`);
  }

  loginSucceeded(username: string, password: string): this {
    return this.emit("cowrie.login.success", { username, password }, `login attempt [${username}/${password}] succeeded`);
  }

  publicKeyRejected(username: string): this {
    const r = this.writer.random;
    const fingerprint = r.hex(32).replace(/(..)(?!$)/g, "$1:");
    const key = `ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ${randomBase64(r, 340)}`;
    const type = "ssh-rsa";
    this.emit(
      "cowrie.client.fingerprint",
      { username, fingerprint, key, type },
      `public key attempt for user ${username} of type ${type} with fingerprint ${fingerprint}`,
    );
    return this.wait(r.uniform(0.0002, 0.002)).emit(
      "cowrie.login.failed",
      { username, fingerprint, key, type },
      `public key login attempt for [${username}] failed`,
    );
  }

  terminal(): this {
    const r = this.writer.random;
    const [width, height] = r.pick([[80, 24], [190, 53], [120, 40], [237, 63]]);
    this.emit("cowrie.client.size", { width, height }, `Terminal Size: ${width} ${height}`);
    const value = r.pick(["en_US.UTF-8", "es_ES.UTF-8", "C.UTF-8", "zh_CN.UTF-8", "ru_RU.UTF-8"]);
    return this.wait(r.uniform(0.0005, 0.002)).emit("cowrie.client.var", { name: "LANG", value }, `request_env: LANG=${value}`);
  }

  /** Start of the shell or exec channel, and of its tty log. */
  sessionParams(): this {
    this.ttyStartUs = this.clockUs;
    // Cowrie 2.x really writes an empty list as this event's message.
    return this.emit("cowrie.session.params", { arch: "linux-x64-lsb" }, []);
  }

  command(input: string): this {
    this.ttyInput.push(input);
    this.emit("cowrie.command.input", { input }, `CMD: ${input}`);
    const program = input.trimStart().split(/[\s;|&]/, 1)[0];
    if (!UNKNOWN_TO_COWRIE.has(program)) return this;
    const failed = input.includes(" ") ? input : `${input} `;
    return this.wait(0.0007).emit("cowrie.command.failed", { input: failed }, `Command not found: ${failed}`);
  }

  fileDownload(url: string, shasum: string): this {
    const outfile = `var/lib/cowrie/downloads/${shasum}`;
    return this.emit(
      "cowrie.session.file_download",
      { url, outfile, shasum },
      `Downloaded URL (${url}) with SHA-256 ${shasum} to ${outfile}`,
    );
  }

  fileUpload(filename: string, shasum: string): this {
    const outfile = `var/lib/cowrie/downloads/${shasum}`;
    return this.emit("cowrie.session.file_upload", { filename, outfile, shasum }, `SFTP Uploaded file "${filename}" to ${outfile}`);
  }

  /**
   * A port-forwarding request. Cowrie's message names the client's claimed origin
   * (127.0.0.1) while the src_ip field carries the session's address.
   */
  directTcpipRequest(dstIp: string, dstPort: number): this {
    const srcPort = this.writer.random.integer(30000, 65000);
    return this.emit(
      "cowrie.direct-tcpip.request",
      { dst_ip: dstIp, dst_port: dstPort, src_ip: this.srcIp, src_port: srcPort },
      `direct-tcp connection request to ${dstIp}:${dstPort} from 127.0.0.1:${srcPort}`,
    );
  }

  directTcpipJa4(dstIp: string, dstPort: number): this {
    const r = this.writer.random;
    const ja4 = `t13d${r.integer(10, 19)}${r.integer(10, 19)}h2_${r.hex(12)}_${r.hex(12)}`;
    return this.emit(
      "cowrie.direct-tcpip.ja4",
      { dst_ip: dstIp, dst_port: dstPort, ja4 },
      `JA4 fingerprint for forwarded TLS to ${dstIp}:${dstPort}: ${ja4}`,
    );
  }

  ttyClosed(): this {
    const text = this.ttyInput.join("\n");
    const shasum = createHash("sha256").update(text).digest("hex");
    const ttylog = `var/lib/cowrie/tty/${shasum}`;
    // The same commands leave the same tty log, as Cowrie's duplicate detection expects.
    const size = Buffer.byteLength(text) * 2 + 23;
    const duration = formatSeconds(this.clockUs - this.ttyStartUs);
    return this.emit(
      "cowrie.log.closed",
      { ttylog, size, shasum, duplicate: this.writer.seenTtylog(shasum), duration },
      `Closing TTY Log: ${ttylog} after ${duration} seconds`,
    );
  }

  closed(): this {
    // Cowrie 2.x writes the SSH session's duration as a string with one decimal.
    const duration = formatSeconds(this.clockUs - this.connectUs);
    return this.emit("cowrie.session.closed", { duration }, `Connection lost after ${duration} seconds`);
  }

  private emit(eventid: string, fields: Readonly<Record<string, unknown>>, message: unknown): this {
    const { name, uuid } = this.writer.sensor;
    this.writer.events.push({
      timeUs: this.clockUs,
      event: {
        eventid,
        ...fields,
        message,
        sensor: name,
        uuid,
        timestamp: epochMsToCowrieTimestamp(this.clockUs / 1000),
        src_ip: this.srcIp,
        session: this.id,
        protocol: "ssh",
      },
    });
    return this;
  }
}

function formatSeconds(micros: number): string {
  return (micros / MICROS_PER_SECOND).toFixed(1);
}

export function seconds(value: number): number {
  return Math.round(value * MICROS_PER_SECOND);
}

const BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

export function randomBase64(random: SeededRandom, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += BASE64_ALPHABET[random.nextUint32() & 63];
  return out;
}
