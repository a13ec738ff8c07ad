/**
 * How one real Cowrie log writes its events, learned from the log itself, so that attacks
 * drilled into it carry its sensor's name, protocol and address and its Cowrie version's
 * fields: `uuid` on every event (since late 2025) or none; `protocol` on every event, on
 * `session.connect` only, or nowhere (1.x, where Twisted's `system` prefix tells it);
 * `src_port/dst_ip/dst_port` on connect only (2.x) or on every connection event (3.x), or named
 * `dest_ip/dest_port` as T-Pot's Logstash ships them; its
 * session ids' length; a session's duration as a float (old), a string (2.x SSH) or
 * integer `duration_ms` (3.0.4+); an SSH client's handshake as `client.version` and `client.kex`
 * (2.x, with hassh) or as one `client.version` holding the key exchange offer (1.x), its version
 * bare or quoted; Twisted's `system` prefix and `isError` on every event (1.x); each event's field
 * order; and its timestamps' style and field (`timestamp`, or a shipper's `@timestamp`).
 *
 *     const reader = new CowrieLogStyleReader();
 *     for (const event of events) reader.observe(event);
 *     reader.style().protocol;  // "telnet"
 */
import { isIPv4 } from "node:net";
import { protocolFromSystem } from "../../ingest/cowrie-system-protocol";
import { eventTimestamp } from "../../ingest/log-replay";
import { TimestampStyleReader, type TimestampStyle } from "./timestamp-style";

export type DurationStyle = "float-seconds" | "text-seconds" | "milliseconds";

/**
 * How an SSH client's banner and key exchange offer are written: `client.version` at the banner and
 * `client.kex` (with hassh) at KEXINIT, since hassh came (2019); or one `client.version` at KEXINIT
 * holding the offer (kexAlgs, keyAlgs, encCS, macCS, compCS), as 1.x's ssh_KEXINIT logged it, so a
 * client that never sent KEXINIT left no trace.
 */
export type SshHandshakeStyle = "version-and-kex" | "version-at-kexinit";

/**
 * Twisted's `system` log prefix as a 1.x log writes it for one eventid: a factory's name as it is
 * (`cowrie.ssh.factory.CowrieSSHFactory` on a connect), or a connection's, which ends with the
 * connection's number and source (`SSHService 'ssh-userauth' on HoneyPotSSHTransport,19,1.2.3.4`).
 */
export interface SystemPrefix {
  readonly text: string;
  readonly perConnection: boolean;
  /** Whether Twisted named an IPv4 source as the IPv6-mapped `::ffff:1.2.3.4` (a sensor listening on `::`). */
  readonly mappedIpv4?: boolean;
}

export interface CowrieLogStyle {
  /** The `sensor` most events name. */
  readonly sensor: string | undefined;
  /** The instance `uuid` most events carry; undefined when most carry none. */
  readonly uuid: string | undefined;
  /** `protocol` of its connections ("ssh", "telnet"), written or told by `system`; undefined when neither says. */
  readonly protocol: string | undefined;
  /** Whether its connects write `protocol` (Cowrie 2.0 and later). */
  readonly protocolWritten: boolean;
  readonly protocolOnEveryEvent: boolean;
  readonly connectionOnEveryEvent: boolean;
  /** Hex digits in its session ids: 8 before 2017, 12 since (the transport's `uuid4().hex[:n]`). */
  readonly sessionIdLength: number;
  /** The address and port connections reach, as `session.connect` names them. */
  readonly dstIp: string;
  readonly dstPort: number;
  /** Whether it names them `dest_ip` and `dest_port`, as T-Pot's Logstash ships Cowrie's events. */
  readonly destNames: boolean;
  /**
   * Whether it writes an IPv4 source IPv6-mapped, `::ffff:198.51.0.209`, as Cowrie does on a sensor
   * listening on "::" (Twisted's peer address of an IPv6 socket).
   */
  readonly mappedIpv4Sources: boolean;
  /** How `session.closed` and `log.closed` write a duration. */
  readonly durations: Readonly<Record<string, DurationStyle>>;
  readonly sshHandshake: SshHandshakeStyle;
  /** Each eventid's `system` prefix, when the log writes one on most events (1.x, whose jsonlog kept Twisted's keys). */
  readonly systemPrefixes: ReadonlyMap<string, SystemPrefix> | undefined;
  /** The transport a connection's events are logged under (`HoneyPotSSHTransport`), for an eventid the log never wrote. */
  readonly connectionSystem: string | undefined;
  /** The highest connection number in the log's `system` prefixes: drilled connections count on from it. */
  readonly lastConnectionNumber: number;
  /** Whether most events carry Twisted's `isError` (1.x). */
  readonly isErrorWritten: boolean;
  /** Whether `client.version` writes the banner as Python's repr() of it, `'SSH-2.0-Go'`. */
  readonly quotedVersions: boolean;
  /** Whether messages round durations to whole seconds ("after 30 seconds", Cowrie 2.0). */
  readonly wholeSecondsInMessages: boolean;
  /** Each eventid's field order, from its first event in the log. */
  readonly fieldOrders: ReadonlyMap<string, readonly string[]>;
  readonly timestamps: TimestampStyle;
  /** Where its events hold their time: Cowrie's `timestamp`, or Logstash's `@timestamp` when a shipper removed it. */
  readonly timestampField: "timestamp" | "@timestamp";
}

const CONNECT = "cowrie.session.connect";
export const DURATION_EVENTS = ["cowrie.session.closed", "cowrie.log.closed"] as const;
/**
 * A session id as Cowrie makes them, the start of a random uuid's hex digits: 8 or more, so that
 * ids to drill never run out (4 digits give 65,536, all of which a log can hold).
 */
const HEX_ID = /^[0-9a-f]{8,32}$/;
/** A connection's `system` prefix: what it is logged under, then its number and source address. */
const CONNECTION_SYSTEM = /^(.*),(\d{1,15}),([^,]+)$/s;
/**
 * Longer than any prefix Twisted wrote for Cowrie (`SSHChannel session (0) on SSHService
 * 'ssh-connection' on HoneyPotSSHTransport,19,` and an IPv6 address): a longer one is not learnt,
 * since each drilled event of its eventid would carry a copy.
 */
const MAX_SYSTEM_LENGTH = 256;
/** An IPv4 or IPv6 address as Twisted writes a peer's host. */
const ADDRESS = /^[0-9a-f:.]+$/i;
/** An IPv4 address as an IPv6 socket names it. */
const MAPPED_IPV4 = /^::ffff:\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/i;
/** Python's repr() of a banner: `'SSH-2.0-Go'`. */
const QUOTED = /^'.*'$/s;
/** Events that carry their own connection fields (a forwarded connection's), not the session's. */
const OWN_ADDRESS_EVENTS = /^cowrie\.direct-tcpip\./;

/** Learns a log's style from its events, read in order. */
export class CowrieLogStyleReader {
  private readonly sensors = new Tally();
  private readonly uuids = new Tally();
  private readonly protocols = new Tally();
  private readonly systemProtocols = new Tally();
  private readonly dstIps = new Tally();
  private readonly dstPorts = new Tally();
  private readonly sessionIdLengths = new Tally();
  private events = 0;
  private withoutUuid = 0;
  private others = 0;
  private othersWithProtocol = 0;
  private othersWithConnection = 0;
  private withShippedTimeOnly = 0;
  private withDstNames = 0;
  private mappedSources = 0;
  private ipv4Sources = 0;
  private withDestNames = 0;
  private readonly durations = new Map<string, DurationStyle>();
  private withSystem = 0;
  private withIsError = 0;
  private readonly systemPrefixes = new Map<string, SystemPrefix>();
  private readonly transports = new Tally();
  private lastConnectionNumber = 0;
  private kexEvents = 0;
  private versions = 0;
  private versionsWithOffer = 0;
  private quotedVersions = 0;
  private closedMessages = 0;
  private wholeSecondMessages = 0;
  private readonly fieldOrders = new Map<string, string[]>();
  private readonly timestamps = new TimestampStyleReader();

  observe(event: Record<string, unknown>): void {
    const eventid = typeof event.eventid === "string" ? event.eventid : "";
    this.events += 1;
    if (typeof event.sensor === "string") this.sensors.add(event.sensor);
    if (typeof event.uuid === "string") this.uuids.add(event.uuid);
    else this.withoutUuid += 1;
    const timestamp = eventTimestamp(event);
    if (timestamp !== undefined) this.timestamps.observe(timestamp);
    if (typeof event.timestamp !== "string" && typeof event["@timestamp"] === "string") this.withShippedTimeOnly += 1;
    if (!this.fieldOrders.has(eventid)) this.fieldOrders.set(eventid, Object.keys(event));
    const told = protocolFromSystem(event.system);
    if (told !== undefined) this.systemProtocols.add(told);
    if (typeof event.src_ip === "string") {
      if (MAPPED_IPV4.test(event.src_ip)) this.mappedSources += 1;
      else if (isIPv4(event.src_ip)) this.ipv4Sources += 1;
    }
    const shipped = !("dst_port" in event) && "dest_port" in event;
    if (shipped) this.withDestNames += 1;
    else if ("dst_port" in event) this.withDstNames += 1;
    if (eventid === CONNECT) {
      if (typeof event.protocol === "string") this.protocols.add(event.protocol);
      const [dstIp, dstPort] = shipped ? [event.dest_ip, event.dest_port] : [event.dst_ip, event.dst_port];
      if (typeof dstIp === "string") this.dstIps.add(dstIp);
      if (typeof dstPort === "number") this.dstPorts.add(String(dstPort));
      if (typeof event.session === "string" && HEX_ID.test(event.session)) this.sessionIdLengths.add(String(event.session.length));
    } else if (!OWN_ADDRESS_EVENTS.test(eventid)) {
      this.others += 1;
      if ("protocol" in event) this.othersWithProtocol += 1;
      if ("dst_port" in event || "dest_port" in event) this.othersWithConnection += 1;
    }
    this.observeHandshake(eventid, event);
    this.observeSystem(eventid, event);
    this.observeDuration(eventid, event);
  }

  style(): CowrieLogStyle {
    const sessionDuration = this.durations.get(DURATION_EVENTS[0]) ?? "text-seconds";
    const durations: Record<string, DurationStyle> = {};
    for (const eventid of DURATION_EVENTS) durations[eventid] = this.durations.get(eventid) ?? sessionDuration;
    return {
      sensor: this.sensors.commonest(),
      uuid: this.withoutUuid * 2 < this.events ? this.uuids.commonest() : undefined,
      protocol: this.protocols.commonest() ?? this.systemProtocols.commonest(),
      protocolWritten: this.protocols.commonest() !== undefined,
      protocolOnEveryEvent: this.othersWithProtocol * 2 > this.others,
      connectionOnEveryEvent: this.othersWithConnection * 2 > this.others,
      sessionIdLength: Number(this.sessionIdLengths.commonest() ?? 12),
      dstIp: this.dstIps.commonest() ?? "10.0.0.1",
      dstPort: Number(this.dstPorts.commonest() ?? 22),
      destNames: this.withDestNames > this.withDstNames,
      mappedIpv4Sources: this.mappedSources > this.ipv4Sources,
      durations,
      // A log of 1.x writes no client.kex, and its client.version carries the offer.
      sshHandshake: this.kexEvents === 0 && this.versionsWithOffer * 2 > this.versions ? "version-at-kexinit" : "version-and-kex",
      quotedVersions: this.quotedVersions * 2 > this.versions,
      systemPrefixes: this.withSystem * 2 > this.events ? this.systemPrefixes : undefined,
      connectionSystem: this.transports.commonest(),
      lastConnectionNumber: this.lastConnectionNumber,
      isErrorWritten: this.withIsError * 2 > this.events,
      wholeSecondsInMessages: this.wholeSecondMessages * 2 > this.closedMessages,
      fieldOrders: this.fieldOrders,
      timestamps: this.timestamps.style(),
      timestampField: this.withShippedTimeOnly * 2 > this.events ? "@timestamp" : "timestamp",
    };
  }

  private observeHandshake(eventid: string, event: Record<string, unknown>): void {
    if (eventid === "cowrie.client.kex") this.kexEvents += 1;
    if (eventid !== "cowrie.client.version") return;
    this.versions += 1;
    if (Array.isArray(event.kexAlgs)) this.versionsWithOffer += 1;
    if (typeof event.version === "string" && QUOTED.test(event.version)) this.quotedVersions += 1;
  }

  private observeSystem(eventid: string, event: Record<string, unknown>): void {
    if ("isError" in event) this.withIsError += 1;
    if (typeof event.system !== "string") return;
    this.withSystem += 1;
    if (event.system.length > MAX_SYSTEM_LENGTH) return;
    const connection = CONNECTION_SYSTEM.exec(event.system);
    // Ends in a number and an address: this connection's, whatever address it names, never to be copied.
    const perConnection = connection !== null && ADDRESS.test(connection[3]);
    if (perConnection) {
      this.lastConnectionNumber = Math.max(this.lastConnectionNumber, Number(connection[2]));
      // `SSHService 'ssh-userauth' on HoneyPotSSHTransport`: the transport is the last named.
      const on = connection[1].lastIndexOf(" on ");
      this.transports.add(on < 0 ? connection[1] : connection[1].slice(on + " on ".length));
    }
    if (this.systemPrefixes.has(eventid)) return;
    this.systemPrefixes.set(eventid, perConnection ? { text: connection[1], perConnection, mappedIpv4: connection[3].startsWith("::ffff:") } : { text: event.system, perConnection });
  }

  private observeDuration(eventid: string, event: Record<string, unknown>): void {
    if (!(DURATION_EVENTS as readonly string[]).includes(eventid)) return;
    if (!this.durations.has(eventid)) {
      if (typeof event.duration_ms === "number") this.durations.set(eventid, "milliseconds");
      else if (typeof event.duration === "number") this.durations.set(eventid, "float-seconds");
      else if (typeof event.duration === "string") this.durations.set(eventid, "text-seconds");
    }
    const seconds = typeof event.message === "string" ? / after ([\d.]+) seconds/.exec(event.message) : null;
    if (!seconds) return;
    this.closedMessages += 1;
    if (!seconds[1].includes(".")) this.wholeSecondMessages += 1;
  }
}

/** Counts of values, for the commonest one. */
class Tally {
  private readonly counts = new Map<string, number>();

  add(value: string): void {
    this.counts.set(value, (this.counts.get(value) ?? 0) + 1);
  }

  commonest(): string | undefined {
    let best: string | undefined;
    let bestCount = 0;
    for (const [value, count] of this.counts) {
      if (count > bestCount) [best, bestCount] = [value, count];
    }
    return best;
  }
}
