/**
 * What each Cowrie eventid is about (its category) and which canonical fields it carries.
 *
 * Sources: Cowrie's docs/OUTPUT.rst and the eventid list in src/cowrie/core/output.py, from
 * 1.x (2016) to 2.x and 3.x, checked against a real 2.x sensor log. `clean` uses the field
 * lists twice: to write "unknown" for a text field the sensor should have written but did not,
 * and to measure completeness (the share of these fields the sensor actually wrote).
 *
 * The fields every event carries (sensor, session, protocol) are listed here too. `protocol`
 * only exists since Cowrie 2.0, so older logs score lower on completeness: on purpose, the
 * field really is missing. Connection fields (src_port, dst_ip, dst_port) are expected on
 * `session.connect` only, because that is the one event that carries them in 2.x.
 *
 * ```ts
 * assert.deepEqual(cowrieEventSchema("cowrie.login.failed"),
 *   { category: "auth", text: ["sensor", "session", "protocol", "username", "password"], values: [] });
 * ```
 */
import { CanonicalEvent, EventCategory } from "../domain/canonical-event";

/** Canonical fields holding free text; "unknown" when expected but not written. */
export type TextField = "sensor" | "session" | "protocol" | "username" | "password" | "key_fingerprint" | "input"
  | "url" | "shasum" | "client_version" | "hassh";

/** Canonical fields holding numbers or addresses; absent when not written, never invented. */
export type ValueField = Extract<keyof CanonicalEvent, "src_port" | "dst_ip" | "dst_port" | "duration_ms">;

export interface CowrieEventSchema {
  category: EventCategory;
  text: readonly TextField[];
  values: readonly ValueField[];
}

const SHARED: readonly TextField[] = ["sensor", "session", "protocol"];

const FIELDS: Record<string, { text?: TextField[]; values?: ValueField[] }> = {
  "cowrie.session.connect": { values: ["src_port", "dst_ip", "dst_port"] },
  // A login carries a password or, for a public-key attempt, a key fingerprint: `clean`
  // counts either as the credential.
  "cowrie.login.success": { text: ["username", "password"] },
  "cowrie.login.failed": { text: ["username", "password"] },
  "cowrie.client.fingerprint": { text: ["username", "key_fingerprint"] },
  "cowrie.command.input": { text: ["input"] },
  "cowrie.command.failed": { text: ["input"] },
  "cowrie.command.success": { text: ["input"] },
  "cowrie.session.file_download": { text: ["url", "shasum"] },
  "cowrie.session.file_download.failed": { text: ["url"] },
  "cowrie.session.file_upload": { text: ["shasum"] },
  "cowrie.client.version": { text: ["client_version"] },
  "cowrie.client.kex": { text: ["hassh"] },
  "cowrie.direct-tcpip.request": { values: ["dst_ip", "dst_port"] },
  "cowrie.direct-tcpip.data": { values: ["dst_ip", "dst_port"] },
  "cowrie.session.closed": { values: ["duration_ms"] },
};

const CATEGORY_BY_PREFIX: Array<[string, EventCategory]> = [
  ["cowrie.session.connect", "connect"],
  ["cowrie.login.", "auth"],
  ["cowrie.command.", "command"],
  ["cowrie.session.file_", "file"],
  // telnet.* events describe what the client sent during option negotiation.
  ["cowrie.client.", "client"],
  ["cowrie.telnet.", "client"],
  ["cowrie.direct-tcpip.", "tunnel"],
  // The session's life cycle: parameters, TTY log, proxy backend plumbing, the close.
  ["cowrie.session.", "session"],
  ["cowrie.log.", "session"],
  ["cowrie.proxy.", "session"],
];

/**
 * Schemas already worked out, by eventid: `clean` asks for one on every event. Bounded in number
 * and in the length of an eventid kept, since a forged log can carry any text as its eventid (a
 * line of a megabyte would otherwise be held for the life of the process); Cowrie itself writes
 * a few dozen, none longer than forty characters.
 */
const KNOWN_SCHEMAS = new Map<string, CowrieEventSchema>();
const MAX_KNOWN_SCHEMAS = 256;
const MAX_KNOWN_EVENTID_LENGTH = 64;

/** The eventid's schema, shared between calls: read it, do not change it. */
export function cowrieEventSchema(eventid: string): CowrieEventSchema {
  let schema = KNOWN_SCHEMAS.get(eventid);
  if (schema === undefined) {
    schema = schemaOf(eventid);
    if (KNOWN_SCHEMAS.size < MAX_KNOWN_SCHEMAS && eventid.length <= MAX_KNOWN_EVENTID_LENGTH) KNOWN_SCHEMAS.set(eventid, schema);
  }
  return schema;
}

function schemaOf(eventid: string): CowrieEventSchema {
  const category = CATEGORY_BY_PREFIX.find(([prefix]) => eventid.startsWith(prefix))?.[1] ?? "other";
  const fields = Object.prototype.hasOwnProperty.call(FIELDS, eventid) ? FIELDS[eventid] : {};
  return Object.freeze({ category, text: Object.freeze([...SHARED, ...(fields.text ?? [])]), values: Object.freeze([...(fields.values ?? [])]) });
}
