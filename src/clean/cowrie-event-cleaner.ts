/**
 * One Cowrie event, from any version 2016-2026, to the CanonicalEvent every later stage reads,
 * or the machine-readable reason it cannot be one.
 *
 * What differs between versions, and how it comes out the same:
 * - time: `timestamp` as `...Z` (sensor under UTC) or with an offset `+0200`, Logstash's
 *   `@timestamp` when a shipper removed `timestamp`, or only an epoch (`epoch`, or Cowrie's
 *   internal `time`) -> `time_ms` and ISO-8601 UTC `time`;
 * - connection fields: only on `session.connect` in 2.x, on every connection event in 3.x ->
 *   filled in from a bounded session table (SessionConnectionTable) when missing;
 * - `session.closed` duration: float seconds (1.x), a string of seconds (2.x SSH), integer
 *   `duration_ms` (3.0.4+) -> `duration_ms`;
 * - `protocol`: written since 2.0; older logs get it from the session's connect event or the
 *   Twisted `system` prefix (`HoneyPotSSHTransport`, `CowrieTelnetTransport`);
 * - the client's SSH banner: bare (2.x) or as Python's repr() of it (`'SSH-2.0-Go'`) -> bare;
 * - HASSH: on `client.kex` since 2019; 1.x's `client.version` carries the offer instead -> `hassh`;
 * - a line typed into a command's standard input: `session.input` (2.x), `session.file_download`
 *   or `command.input` with a `realm` (1.x) -> `session.input`.
 *
 * Validation uses the platform's parsers (net.isIP via canonicalIpAddress). An event without a
 * usable eventid, time (within EVENT_TIME_RANGE_MS, so that no later stage meets a time a Date
 * cannot hold) or source address is rejected: nothing downstream can place it. A bad secondary
 * field (a tunnel port of 99999, which SSH's 32-bit port field lets an attacker ask for; a
 * `dst_ip` the sensor's owner redacted to `x.x.x.x`; a duration that is not a number) only
 * costs that field: the event is still evidence, so it is kept without the field, and
 * `quality.invalidFields` names it for the data-quality metrics. Duplicates (a line read twice
 * after a crash, overlapping replays) are dropped within a window of the most recent events.
 *
 * `uuid` is not an event id: Cowrie writes one uuid per sensor instance on every event (a
 * real 2026 log has a single uuid on all 5,058 events), so it only scopes the duplicate key.
 *
 *     const cleaner = new CowrieEventCleaner({ futureToleranceMs: 86_400_000 });
 *     cleaner.clean({ eventid: "cowrie.login.failed", timestamp: "2026-03-18T12:27:00.112233+0200", src_ip: "203.0.113.7", ... });
 *     // { kind: "clean", event: { time: "2026-03-18T10:27:00.112Z", category: "auth", ... }, quality: {...} }
 */
import { CanonicalEvent, EVENT_TIME_RANGE_MS, LONGEST_DURATION_MS } from "../domain/canonical-event";
import { canonicalIpAddress } from "./canonical-ip-address";
import { cowrieEventSchema, CowrieEventSchema, TextField, ValueField } from "./cowrie-event-schema";
import { cowrieEventOf, parseCowrieLine } from "../ingest/cowrie-line";
import { T_POT_FIELD_NAMES } from "../ingest/shipped-cowrie-event";
import { cowrieTimestampToEpochMs, epochMsToIsoString } from "../ingest/cowrie-timestamp";
import { protocolFromSystem } from "../ingest/cowrie-system-protocol";
import { hasshOfOffer } from "./hassh";
import { isInternalIp } from "./internal-ip";
import { LruMap } from "../collections/lru-map";
import { compactKey } from "./compact-key";
import { SessionConnection, SessionConnectionTable } from "./session-connection-table";

export type CleanRejectReason = (typeof CowrieEventCleaner.rejectReasons)[number];

/** The ways an event can already be in canonical form, or not (see `EventQuality.checks`). */
export type ConsistencyCheck = "timestamp" | "duration" | "port" | "ip";

export interface EventQuality {
  /** Fields its eventid should carry (cowrieEventSchema) and how many the sensor wrote. */
  expectedFields: number;
  writtenFields: number;
  /** For each check that applies to the event: true when the sensor already wrote canonical form. */
  checks: Partial<Record<ConsistencyCheck, boolean>>;
  /** Fields the sensor wrote but that could not be read, each with why; the event carries them as not written. */
  invalidFields?: Partial<Record<ValueField, string>>;
}

export type CleanOutcome =
  | { kind: "clean"; event: CanonicalEvent; quality: EventQuality }
  | { kind: "duplicate"; eventid: string }
  | { kind: "rejected"; reason: CleanRejectReason; detail: string };

export interface CowrieEventCleanerOptions {
  /** How far ahead of the processing time an event may be (clock skew) before it is rejected. Default 1 day. */
  futureToleranceMs?: number;
  /** An event without any timestamp: reject it, or stamp it with the time it was received. */
  missingTimestamp?: "reject" | "receive-time";
  /** Open sessions remembered for filling in connection fields. Default 20,000. */
  sessionCapacity?: number;
  /** Most recent events remembered for dropping duplicates. Default 10,000. */
  duplicateWindow?: number;
  now?: () => number;
}

type Fields = Record<string, unknown>;
type Rejection = { reason: CleanRejectReason; detail: string };
// Thrown from deep inside validation and caught in `clean`. Not an Error: a reject storm
// (a fuzzing attacker) should not pay for a stack trace per event.
class Rejected {
  constructor(readonly rejection: Rejection) {}
}

const PORT_FIELDS = ["src_port", "dst_port"] as const;
/**
 * Logstash's time of an event, which its date filter sets from Cowrie's `timestamp` (to the
 * millisecond); pipelines that then remove `timestamp` (`remove_field`) leave only this one.
 */
const SHIPPED_TIMESTAMP = "@timestamp";
const DECIMAL = /^\d+(\.\d+)?$/;
const SOURCE_OF: Partial<Record<TextField, string>> = { key_fingerprint: "fingerprint", client_version: "version" };
const STANDARD_INPUT = "cowrie.session.input";
/**
 * Python's repr() of a str or bytes: in single quotes, with `\\` and `\'` escaped, or in double
 * quotes when it holds a `'` and no `"` (then nothing of the two is escaped). Other escapes (`\x..`)
 * are not guessed at.
 */
const PYTHON_REPR = /^b?(?:'((?:[^'\\]|\\['\\])*)'|"([^"\\']*'[^"\\]*)")$/;

/** The longest protocol name the session table holds for the session's later events. */
const MAX_REMEMBERED_PROTOCOL = 32;

export class CowrieEventCleaner {
  static readonly rejectReasons = [
    "malformed-json", "not-an-object", "missing-eventid", "missing-timestamp", "bad-timestamp",
    "future-timestamp", "missing-src_ip", "bad-src_ip",
  ] as const;

  readonly counts = { clean: 0, rejected: 0, duplicates: 0 };
  readonly sessions: SessionConnectionTable;
  private readonly recent: LruMap<string, true>;
  private readonly futureToleranceMs: number;
  private readonly stampMissingTime: boolean;
  private readonly now: () => number;

  constructor(options: CowrieEventCleanerOptions = {}) {
    this.futureToleranceMs = options.futureToleranceMs ?? 86_400_000;
    this.stampMissingTime = options.missingTimestamp === "receive-time";
    this.sessions = new SessionConnectionTable(options.sessionCapacity ?? 20_000);
    this.recent = new LruMap(options.duplicateWindow ?? 10_000);
    this.now = options.now ?? Date.now;
  }

  /** An event object, or a JSON string (or Buffer) of one. */
  clean(payload: unknown): CleanOutcome {
    try {
      return this.cleanEvent(toEventObject(payload));
    } catch (err) {
      if (!(err instanceof Rejected)) throw err;
      this.counts.rejected += 1;
      return { kind: "rejected", ...err.rejection };
    }
  }

  private cleanEvent(raw: Fields): CleanOutcome {
    const loggedAs = typeof raw.eventid === "string" ? raw.eventid.trim() : "";
    if (loggedAs === "") throw reject("missing-eventid", raw.eventid === undefined ? "no eventid" : `eventid ${describe(raw.eventid)} is not a name`);
    const eventid = isStandardInput(loggedAs, raw) ? STANDARD_INPUT : loggedAs;
    const schema = cowrieEventSchema(eventid);
    const checks: EventQuality["checks"] = {};
    const time = this.eventTime(raw, checks);
    const src = sourceAddress(raw.src_ip);
    const invalid: Partial<Record<ValueField, string>> = {};
    const connection = connectionFields(raw, schema, checks, invalid);
    checks.ip = src.canonical && connection.canonicalIp;
    const duration = eventid === "cowrie.session.closed" ? durationMs(raw, checks, invalid) : undefined;

    const text = textFields(raw, schema);
    const sensor = text.sensor ?? "unknown";
    const session = text.session ?? "unknown";
    // The source is part of the key: events without session or uuid (a log a script wrote) from
    // two sources at one time are two events. So is what the event says, for a log whose times
    // stop at the millisecond or the second (see `saying`).
    // Only a uuid that is text (or a number) scopes the key: join would make text of an object
    // through its toString, and a line's own {"toString": 1} makes that throw.
    const uuid = typeof raw.uuid === "string" || typeof raw.uuid === "number" ? raw.uuid : "";
    if (time.fromSensor && this.seenBefore([uuid, sensor, session, eventid, time.ms, src.ip, saying(raw, text)].join("\u0000"))) {
      this.counts.duplicates += 1;
      return { kind: "duplicate", eventid };
    }

    const ownProtocol = text.protocol ?? protocolFromSystem(raw.system);
    // "unknown" is the session of every event that wrote none (or a blank one), whatever its source: no session to fill from.
    const filled = text.session === undefined || text.session === "" ? connection.fields : this.fillFromSession(eventid, schema, sensor, session, connection.fields, ownProtocol);
    const event: CanonicalEvent = {
      time_ms: time.ms,
      time: epochMsToIsoString(Math.floor(time.ms)),
      eventid,
      category: schema.category,
      sensor,
      session,
      src_ip: src.ip,
      is_internal_ip: isInternalIp(src.ip),
      protocol: ownProtocol ?? filled.protocol ?? "unknown",
    };
    if (typeof raw.uuid === "string") event.uuid = raw.uuid;
    if (filled.src_port !== undefined) event.src_port = filled.src_port;
    if (filled.dst_ip !== undefined) event.dst_ip = filled.dst_ip;
    if (filled.dst_port !== undefined) event.dst_port = filled.dst_port;
    // A public-key login carries a fingerprint instead of a password: that is its credential.
    const credential = text.password ?? text.key_fingerprint;
    let written = 0;
    for (const field of schema.text) {
      const value = field === "password" ? credential : text[field];
      if (value !== undefined) written += 1;
      if (field === "sensor" || field === "session" || field === "protocol") continue;
      if (field === "password" && text.password === undefined && text.key_fingerprint !== undefined) continue;
      event[field] = text[field] ?? "unknown";
    }
    if (text.key_fingerprint !== undefined) event.key_fingerprint = text.key_fingerprint;
    // 1.x wrote no client.kex: its client.version carries the offer the HASSH is made of.
    if (eventid === "cowrie.client.version") {
      const hassh = hasshOfOffer(raw);
      if (hassh !== undefined) event.hassh = hassh;
    }
    if (duration !== undefined) event.duration_ms = duration;
    for (const field of schema.values) {
      if ((field === "duration_ms" ? duration : connection.fields[field]) !== undefined) written += 1;
    }

    this.counts.clean += 1;
    const quality: EventQuality = { expectedFields: schema.text.length + schema.values.length, writtenFields: written, checks };
    if (Object.keys(invalid).length > 0) quality.invalidFields = invalid;
    return { kind: "clean", event, quality };
  }

  /** Whether the event key is among the `duplicateWindow` most recent ones; remembers it either way. */
  private seenBefore(key: string): boolean {
    return this.recent.set(compactKey(key), true);
  }

  /** Milliseconds since the epoch; `fromSensor` is false for a receive-time stamp. */
  private eventTime(raw: Fields, checks: EventQuality["checks"]): { ms: number; fromSensor: boolean } {
    const now = this.now();
    let ms: number | undefined;
    const [field, timestamp] = written(raw.timestamp) ? ["timestamp", raw.timestamp] : [SHIPPED_TIMESTAMP, raw[SHIPPED_TIMESTAMP]];
    if (written(timestamp)) {
      ms = typeof timestamp === "string" ? cowrieTimestampToEpochMs(timestamp.trim()) : undefined;
      if (ms === undefined) throw reject("bad-timestamp", `${field} ${describe(timestamp)} is not an ISO-8601 time`);
      // Only an offset takes a time written within years 0000-9999 out of them.
      if (!(ms >= EVENT_TIME_RANGE_MS.from && ms < EVENT_TIME_RANGE_MS.before)) {
        throw reject("bad-timestamp", `${field} ${describe(timestamp)} is outside the years 0000 to 9999 in UTC`);
      }
      checks.timestamp = field === "timestamp" && (timestamp as string).endsWith("Z");
    } else if (raw.epoch !== undefined || typeof raw.time === "number") {
      const epoch = raw.epoch !== undefined ? raw.epoch : raw.time;
      const seconds = typeof epoch === "number" ? epoch : typeof epoch === "string" && DECIMAL.test(epoch.trim()) ? Number(epoch) : NaN;
      if (!Number.isFinite(seconds) || seconds <= 0) throw reject("bad-timestamp", `epoch ${describe(epoch)} is not a positive number of seconds`);
      // 1e11 s is the year 5138: a value that large is already in milliseconds.
      ms = seconds > 1e11 ? seconds : seconds * 1000;
      checks.timestamp = false;
      if (!(ms >= EVENT_TIME_RANGE_MS.from && ms < EVENT_TIME_RANGE_MS.before)) {
        throw reject("bad-timestamp", `epoch ${describe(epoch)} is past the year 9999, in seconds or in milliseconds`);
      }
    } else if (this.stampMissingTime) {
      checks.timestamp = false;
      return { ms: now, fromSensor: false };
    } else {
      throw reject("missing-timestamp", "no timestamp, @timestamp, epoch or time field");
    }
    if (ms > now + this.futureToleranceMs) {
      const ahead = ((ms - now) / 3_600_000).toFixed(1);
      throw reject("future-timestamp", `event time ${epochMsToIsoString(Math.floor(ms))} is ${ahead} h ahead of the processing time (tolerance ${this.futureToleranceMs / 3_600_000} h)`);
    }
    return { ms, fromSensor: true };
  }

  /**
   * Cowrie 2.x writes the connection fields on `session.connect` only: remember them there and
   * fill them into the session's later events. Tunnel (direct-tcpip) events keep exactly what
   * Cowrie wrote, because their ports and address describe the tunnel, not the connection.
   */
  private fillFromSession(eventid: string, schema: CowrieEventSchema, sensor: string, session: string,
    fields: SessionConnection, protocol: string | undefined): SessionConnection {
    if (eventid === "cowrie.session.connect") {
      // Cowrie writes "ssh" or "telnet"; a forged megabyte is not worth holding for the session's life.
      this.sessions.remember(sensor, session, { ...fields, protocol: protocol !== undefined && protocol.length <= MAX_REMEMBERED_PROTOCOL ? protocol : undefined });
      return fields;
    }
    const known = this.sessions.lookup(sensor, session);
    if (eventid === "cowrie.session.closed") this.sessions.forget(sensor, session);
    if (!known) return fields;
    if (schema.category === "tunnel") return { ...fields, protocol: known.protocol };
    return {
      src_port: fields.src_port ?? known.src_port,
      dst_ip: fields.dst_ip ?? known.dst_ip,
      dst_port: fields.dst_port ?? known.dst_port,
      protocol: known.protocol,
    };
  }
}

function toEventObject(payload: unknown): Fields {
  if (Buffer.isBuffer(payload)) payload = payload.toString("utf8");
  if (typeof payload === "string") {
    const parsed = parseCowrieLine(payload.trim());
    if ("reason" in parsed) throw reject(parsed.reason === "malformed-json" ? "malformed-json" : "not-an-object", parsed.detail);
    return parsed.event;
  }
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
    throw reject("not-an-object", `payload is ${describe(payload)}, not an event object`);
  }
  return cowrieEventOf(payload as Fields);
}

function sourceAddress(value: unknown): { ip: string; canonical: boolean } {
  if (value === undefined || value === null || value === "") throw reject("missing-src_ip", "no src_ip");
  const ip = typeof value === "string" ? canonicalIpAddress(value) : undefined;
  if (ip === undefined) throw reject("bad-src_ip", `src_ip ${describe(value)} is not an IPv4 or IPv6 address`);
  return { ip, canonical: ip === value };
}

/** The connection fields the event wrote and could be read; the others are named in `invalid`. */
function connectionFields(raw: Fields, schema: CowrieEventSchema, checks: EventQuality["checks"], invalid: Partial<Record<ValueField, string>>) {
  const fields: SessionConnection = {};
  for (const field of PORT_FIELDS) {
    const value = connectionField(raw, field);
    if (value === undefined || value === null || value === "") continue;
    const port = typeof value === "number" ? value : typeof value === "string" && /^\d{1,5}$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      invalid[field] = `${field} ${describe(value)} is not an integer 0..65535`;
      continue;
    }
    fields[field] = port;
    checks.port = (checks.port ?? true) && typeof value === "number";
  }
  let canonicalIp = true;
  const dst = connectionField(raw, "dst_ip");
  if (dst !== undefined && dst !== null && dst !== "") {
    const ip = typeof dst === "string" ? canonicalIpAddress(dst) : undefined;
    // A tunnel's destination is whatever host the attacker asked for: often a name (google.com).
    if (ip === undefined && !(schema.category === "tunnel" && typeof dst === "string")) {
      invalid.dst_ip = `dst_ip ${describe(dst)} is not an IPv4 or IPv6 address`;
    } else {
      fields.dst_ip = ip ?? (dst as string);
      canonicalIp = fields.dst_ip === dst;
    }
  }
  return { fields, canonicalIp };
}

/** The field as Cowrie wrote it or, when it is not there, as T-Pot's Logstash renamed it. */
function connectionField(raw: Fields, field: (typeof PORT_FIELDS)[number] | "dst_ip"): unknown {
  const value = raw[field];
  return value === undefined && field !== "src_port" ? raw[T_POT_FIELD_NAMES[field]] : value;
}

function durationMs(raw: Fields, checks: EventQuality["checks"], invalid: Partial<Record<ValueField, string>>): number | undefined {
  const [field, value] = raw.duration_ms !== undefined && raw.duration_ms !== null ? ["duration_ms", raw.duration_ms] : ["duration", raw.duration];
  if (value === undefined || value === null) return undefined;
  const n = typeof value === "number" ? value : typeof value === "string" && DECIMAL.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < 0) {
    invalid.duration_ms = `${field} ${describe(value)} is not a non-negative number`;
    return undefined;
  }
  const ms = Math.round(field === "duration_ms" ? n : n * 1000);
  if (!(ms <= LONGEST_DURATION_MS)) {
    invalid.duration_ms = `${field} ${describe(value)} is longer than the years 0000 to 9999`;
    return undefined;
  }
  checks.duration = field === "duration_ms" && Number.isInteger(value);
  return ms;
}

function textFields(raw: Fields, schema: CowrieEventSchema): Partial<Record<TextField, string>> {
  const text: Partial<Record<TextField, string>> = {};
  const wanted: TextField[] = [...schema.text];
  if (schema.category === "auth") wanted.push("key_fingerprint");
  for (const field of wanted) {
    const value = raw[SOURCE_OF[field] ?? field];
    if (typeof value === "string") text[field] = field === "client_version" ? unquotedBanner(value) : value;
    else if (typeof value === "number" || typeof value === "boolean") text[field] = String(value);
    else if (field === "input" && value !== null && typeof value === "object") {
      const fromMessage = inputFromMessage(raw);
      if (fromMessage !== undefined) text.input = fromMessage;
    }
  }
  return text;
}

/**
 * How Cowrie writes a command's message around its input (cowrie/shell/honeypot.py, 1.x to 3.x:
 * `format="CMD: %(input)s"` and the others). Filebeat adds an `input` object of its own
 * (`{"type": "log"}`), which in Cowrie's documented Filebeat and Logstash pipeline stays in place of the
 * command's (cowrie/cowrie#1392): the message still holds the command.
 */
const INPUT_MESSAGE_PREFIX: Record<string, string> = {
  "cowrie.command.input": "CMD: ",
  "cowrie.command.failed": "Command not found: ",
  "cowrie.command.success": "Command found: ",
};

function inputFromMessage(raw: Fields): string | undefined {
  const prefix = typeof raw.eventid === "string" && Object.prototype.hasOwnProperty.call(INPUT_MESSAGE_PREFIX, raw.eventid) ? INPUT_MESSAGE_PREFIX[raw.eventid] : undefined;
  const message = raw.message;
  return prefix !== undefined && typeof message === "string" && message.startsWith(prefix) ? message.slice(prefix.length) : undefined;
}

/**
 * The SSH banner as the client sent it. Cowrie has written it as Python's repr() of the string at
 * times: `'SSH-2.0-libssh2_1.4.3'` under Python 2, `b'SSH-2.0-Go'` of the bytes under Python 3
 * (`version=repr(self.otherVersionString)` in cowrie/ssh/transport.py, 2019); 2.x writes it bare.
 * One client is then one version whichever Cowrie logged it, for the campaigns counted across sources.
 */
function unquotedBanner(version: string): string {
  const quoted = PYTHON_REPR.exec(version);
  if (!quoted) return version;
  return quoted[2] ?? quoted[1].replace(/\\(['\\])/g, "$1");
}

/**
 * A line typed into a running command's standard input (`INPUT (cat): sh`), which 2.x logs as
 * `session.input` with its `realm`. Earlier versions logged the same line, with the same realm and
 * input, as `session.file_download` (cat, grep, tail, head in cowrie/commands/base.py, 2016; no url,
 * no shasum: nothing was fetched) or as `command.input` (grep, tail, head, 2017): neither a download
 * nor a shell command.
 */
function isStandardInput(eventid: string, raw: Fields): boolean {
  if (typeof raw.realm !== "string" || typeof raw.input !== "string") return false;
  if (eventid === "cowrie.command.input") return true;
  return eventid === "cowrie.session.file_download" && raw.url === undefined && raw.shasum === undefined;
}

/**
 * What an event says beyond its eventid: its message and its own text fields. Cowrie's times have
 * microseconds, but a log exported from Elasticsearch (`@timestamp`), a SIEM or a script that
 * rewrote the times keeps milliseconds or seconds, where a bot's commands or a brute force's
 * passwords in one session share a time: they are still different events. A line read twice
 * says the same.
 */
function saying(raw: Fields, text: Partial<Record<TextField, string>>): string {
  const parts = [typeof raw.message === "string" ? raw.message : ""];
  for (const field of Object.keys(text) as TextField[]) {
    if (field !== "sensor" && field !== "session" && field !== "protocol") parts.push(text[field] as string);
  }
  return parts.join("\u0000");
}

function written(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}

function reject(reason: CleanRejectReason, detail: string): Rejected {
  return new Rejected({ reason, detail });
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  // JSON.stringify writes Infinity (`1e400` in the log) and NaN as null.
  const text = typeof value === "number" ? String(value) : JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
