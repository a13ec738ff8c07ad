/**
 * The Cowrie event inside what a log shipper wrote around it, or the object itself.
 *
 * A SOC's copy of a sensor's log often comes out of its shipping chain rather than from
 * cowrie.json itself: an elasticdump (or Elasticsearch search hit) line holds the event as
 * Logstash indexed it under `_source`; Filebeat's JSON decoding puts it under `json` unless told
 * to put its keys at the root, and a Logstash json filter under its `target`; Filebeat without JSON
 * decoding (its file or Kafka output) holds the log's line as text in `message`. A wrapper has no
 * `eventid` of its own, so an object that has one is an event whatever its message says; a wrapper
 * inside a wrapper (an elasticdump of Filebeat's lines) is opened too.
 *
 * ```ts
 * const parse = (text: string) => JSON.parse(text) as Record<string, unknown>;
 * const hit = { _index: "logstash-2026.03.18", _id: "Xy12", _source: { eventid: "cowrie.login.failed" } };
 * assert.deepEqual(shippedCowrieEvent(hit, parse), { eventid: "cowrie.login.failed" });
 * const filebeat = { "@timestamp": "2026-03-18T10:27:01.715Z", message: '{"eventid":"cowrie.login.failed"}', log: { offset: 0 } };
 * assert.deepEqual(shippedCowrieEvent(filebeat, parse), { eventid: "cowrie.login.failed" });
 * ```
 */

type Fields = Record<string, unknown>;

/**
 * Cowrie's field names as T-Pot's Logstash ships them (docker/elk/logstash/dist/logstash.conf,
 * since T-Pot 17.10): dst_ip and dst_port become dest_ip and dest_port on every event, a
 * tunnel's too, for one name across its honeypots. Clean reads them back; a drill writes them.
 */
export const T_POT_FIELD_NAMES: Readonly<Record<"dst_ip" | "dst_port", string>> = { dst_ip: "dest_ip", dst_port: "dest_port" };

/** Wrappers opened inside one another: an elasticdump line around Filebeat's is two. */
const MAX_WRAPPERS = 2;

export function shippedCowrieEvent(value: Fields, parseLine: (text: string) => Fields | undefined): Fields {
  return eventInside(value, parseLine, MAX_WRAPPERS) ?? value;
}

function eventInside(value: Fields, parseLine: (text: string) => Fields | undefined, wrappers: number): Fields | undefined {
  if (value.eventid !== undefined) return value;
  if (wrappers === 0) return undefined;
  const message = value.message;
  // Only text that opens an object is worth parsing: a shipper's own message is a sentence.
  if (typeof message === "string" && message.trimStart().startsWith("{")) {
    const line = parseLine(message);
    if (line !== undefined && isCowrieEvent(line)) return line;
  }
  for (const inner of Object.values(value)) {
    if (inner === null || typeof inner !== "object" || Array.isArray(inner)) continue;
    const event = isCowrieEvent(inner as Fields) ? (inner as Fields) : eventInside(inner as Fields, parseLine, wrappers - 1);
    if (event !== undefined) return event;
  }
  return undefined;
}

/** An object naming a Cowrie eventid, as every Cowrie event does, not any object with such a key. */
function isCowrieEvent(value: Fields): boolean {
  return typeof value.eventid === "string" && value.eventid.startsWith("cowrie.");
}
