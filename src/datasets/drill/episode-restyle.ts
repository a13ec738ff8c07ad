/**
 * Rewrites the events an attack script played out (Cowrie 2.x SSH, as the log generator writes
 * them) in the style of the real log they are drilled into: its sensor, uuid or none, protocol,
 * address and port, connection fields (and their names), SSH handshake, Twisted's keys (1.x), durations, field
 * order and timestamps. A telnet sensor gets no SSH handshake events; port-forwarding requests
 * stay, since they are what a tunnel scan is, although Cowrie's telnet server would never log them.
 *
 *     const lines = restyleEpisode(writer.take(), survey.style, freshSessionId);
 *     // [{ timeUs, line: '{"eventid":"cowrie.session.connect",...,"sensor":"telnet-honeypot",...}' }, ...]
 */
import { isIPv4 } from "node:net";
import { T_POT_FIELD_NAMES } from "../../ingest/shipped-cowrie-event";
import type { ScriptedEvent } from "../synth/cowrie/session-script";
import type { CowrieLogStyle, DurationStyle } from "./cowrie-log-style";
import { formatTimestamp } from "./timestamp-style";

export interface RestyledLine {
  readonly timeUs: number;
  /** The event as the real log would write it, without the newline. */
  readonly line: string;
  /** Its timestamp as written, for the episode's label. */
  readonly timestamp: string;
}

const SSH_ONLY_EVENTS = new Set(["cowrie.client.version", "cowrie.client.kex", "cowrie.client.size", "cowrie.client.var", "cowrie.client.fingerprint"]);
const OWN_ADDRESS_EVENTS = /^cowrie\.direct-tcpip\./;
const CONNECT = "cowrie.session.connect";

/**
 * The episode's events in time order (events at the same microsecond in the order they were
 * scripted), in the log's style. `sessionIdFor` maps a scripted session id to the one written,
 * so that it can steer clear of the real log's ids; `connectionNumberFor` gives it the connection
 * number Twisted's `system` prefix names, in a log that writes one.
 */
export function restyleEpisode(events: readonly ScriptedEvent[], style: CowrieLogStyle, sessionIdFor: (scripted: string) => string,
  connectionNumberFor: (scripted: string) => number): RestyledLine[] {
  const sessions = sessionClocks(events);
  const ordered = [...events].sort((a, b) => a.timeUs - b.timeUs);
  const lines: RestyledLine[] = [];
  for (const { timeUs, event: scripted } of ordered) {
    if (style.protocol === "telnet" && SSH_ONLY_EVENTS.has(scripted.eventid as string)) continue;
    const event = handshakeEvent(scripted, style, sessions);
    if (event === undefined) continue;
    const eventid = event.eventid as string;
    const scriptedSession = event.session as string;
    const clock = sessions.get(scriptedSession) as SessionClock;
    const timestamp = formatTimestamp(timeUs, style.timestamps);
    const restyled: Record<string, unknown> = { ...event, session: sessionIdFor(scriptedSession), [style.timestampField]: timestamp };
    if (style.timestampField !== "timestamp") delete restyled.timestamp;
    writeEnvelope(restyled, eventid, style, clock);
    writeTwistedKeys(restyled, eventid, style, connectionNumberFor(scriptedSession));
    writeDuration(restyled, eventid, style, timeUs - (eventid === "cowrie.log.closed" ? clock.ttyUs : clock.connectUs));
    if (style.destNames) renameDestination(restyled);
    const line = JSON.stringify(inFieldOrder(restyled, style.fieldOrders.get(eventid)));
    lines.push({ timeUs, line, timestamp });
  }
  return lines;
}

interface SessionClock {
  readonly connectUs: number;
  ttyUs: number;
  srcPort: number;
  /** The banner its client sent, for a log that writes it at KEXINIT. */
  version?: string;
}

/** When each session connected and opened its tty log, and its source port. */
function sessionClocks(events: readonly ScriptedEvent[]): Map<string, SessionClock> {
  const clocks = new Map<string, SessionClock>();
  for (const { timeUs, event } of events) {
    const session = event.session as string;
    let clock = clocks.get(session);
    if (!clock) clocks.set(session, (clock = { connectUs: timeUs, ttyUs: timeUs, srcPort: 0 }));
    if (event.eventid === CONNECT) clock.srcPort = event.src_port as number;
    if (event.eventid === "cowrie.client.version") clock.version = event.version as string;
    if (event.eventid === "cowrie.session.params") clock.ttyUs = timeUs;
  }
  return clocks;
}

/**
 * The scripted event as the log writes an SSH handshake, or undefined when it writes none. Before
 * hassh (2019) Cowrie logged the banner in ssh_KEXINIT (cowrie/ssh/transport.py, 1.x) as one
 * `client.version` with the client's offer and no hassh, so the scripted `client.kex` becomes that
 * event and the scripted `client.version` goes. A log that writes banners as Python's repr() of
 * them gets the quotes.
 */
function handshakeEvent(event: Readonly<Record<string, unknown>>, style: CowrieLogStyle, sessions: Map<string, SessionClock>): Readonly<Record<string, unknown>> | undefined {
  const eventid = event.eventid as string;
  if (eventid !== "cowrie.client.version" && eventid !== "cowrie.client.kex") return event;
  const atKexinit = style.sshHandshake === "version-at-kexinit";
  if (eventid === "cowrie.client.version" && atKexinit) return undefined;
  if (eventid === "cowrie.client.kex" && !atKexinit) return event;
  const banner = eventid === "cowrie.client.version" ? (event.version as string) : (sessions.get(event.session as string)?.version ?? "");
  const version = style.quotedVersions ? `'${banner}'` : banner;
  const written: Record<string, unknown> = { ...event, eventid: "cowrie.client.version", version, message: `Remote SSH version: ${version}` };
  if (atKexinit) for (const field of ["hassh", "hasshAlgorithms", "langCS"]) delete written[field];
  return written;
}

/** Sensor, uuid, protocol, the source (IPv6-mapped on a dual-stack sensor) and connection fields as the log writes them. */
function writeEnvelope(event: Record<string, unknown>, eventid: string, style: CowrieLogStyle, clock: SessionClock): void {
  if (style.sensor === undefined) delete event.sensor;
  else event.sensor = style.sensor;
  if (style.uuid === undefined) delete event.uuid;
  else event.uuid = style.uuid;
  if (style.mappedIpv4Sources && isIPv4(String(event.src_ip))) event.src_ip = `::ffff:${String(event.src_ip)}`;
  const isConnect = eventid === CONNECT;
  if (!style.protocolWritten || (!isConnect && !style.protocolOnEveryEvent)) delete event.protocol;
  else event.protocol = style.protocol;
  if (isConnect) {
    event.dst_ip = style.dstIp;
    event.dst_port = style.dstPort;
    event.message = `New connection: ${String(event.src_ip)}:${clock.srcPort} (${style.dstIp}:${style.dstPort}) [session: ${String(event.session)}]`;
  } else if (style.connectionOnEveryEvent && !OWN_ADDRESS_EVENTS.test(eventid)) {
    event.src_port = clock.srcPort;
    event.dst_ip = style.dstIp;
    event.dst_port = style.dstPort;
  }
}

/**
 * Twisted's `system` and `isError`, which 1.x's JSON output kept on every event
 * (cowrie/output/jsonlog.py removed only `log_*` keys): the log's own prefix for the eventid, or
 * for one it never wrote, its connections' transport, naming this connection.
 */
function writeTwistedKeys(event: Record<string, unknown>, eventid: string, style: CowrieLogStyle, connectionNumber: number): void {
  if (style.isErrorWritten) event.isError = 0;
  if (style.systemPrefixes === undefined) return;
  const prefix = style.systemPrefixes.get(eventid) ?? (style.connectionSystem === undefined ? undefined : { text: style.connectionSystem, perConnection: true });
  if (prefix === undefined) return;
  const host = prefix.mappedIpv4 === true && isIPv4(String(event.src_ip)) ? `::ffff:${String(event.src_ip)}` : String(event.src_ip);
  event.system = prefix.perConnection ? `${prefix.text},${connectionNumber},${host}` : prefix.text;
}

/** `dst_ip` and `dst_port` as T-Pot's Logstash ships them (T_POT_FIELD_NAMES). */
function renameDestination(event: Record<string, unknown>): void {
  for (const [cowrie, shipped] of Object.entries(T_POT_FIELD_NAMES)) {
    if (!(cowrie in event)) continue;
    event[shipped] = event[cowrie];
    delete event[cowrie];
  }
}

/** `session.closed` and `log.closed`: the duration field and the seconds in the message. */
function writeDuration(event: Record<string, unknown>, eventid: string, style: CowrieLogStyle, elapsedUs: number): void {
  const durationStyle: DurationStyle | undefined = style.durations[eventid];
  if (durationStyle === undefined || !("duration" in event)) return;
  const seconds = elapsedUs / 1_000_000;
  if (durationStyle === "milliseconds") {
    delete event.duration;
    event.duration_ms = Math.round(elapsedUs / 1000);
  } else {
    event.duration = durationStyle === "float-seconds" ? seconds : seconds.toFixed(1);
  }
  const said = style.wholeSecondsInMessages ? String(Math.floor(seconds)) : seconds.toFixed(1);
  if (typeof event.message === "string") event.message = event.message.replace(/ after [\d.]+ seconds$/, ` after ${said} seconds`);
}

/** The fields in the order the log writes this eventid's; fields it never writes keep theirs, after. */
function inFieldOrder(event: Record<string, unknown>, order: readonly string[] | undefined): Record<string, unknown> {
  if (!order) return event;
  const ordered: Record<string, unknown> = {};
  for (const key of order) if (key in event) ordered[key] = event[key];
  for (const key of Object.keys(event)) if (!(key in ordered)) ordered[key] = event[key];
  return ordered;
}
