/**
 * The Cowrie event inside what a log shipper wrote around it, or the object itself.
 *
 * A SOC's copy of a sensor's log often comes out of its shipping chain rather than from
 * cowrie.json itself: an elasticdump (or Elasticsearch search hit) line holds the event as
 * Logstash indexed it under `_source`; Filebeat without JSON decoding (its file or Kafka output)
 * holds the log's line as text in `message`. Neither wrapper has an `eventid` of its own, so an
 * object that has one is an event whatever its message says.
 *
 * ```ts
 * shippedCowrieEvent({ _index: "logstash-2026.03.18", _id: "Xy12", _source: { eventid: "cowrie.login.failed" } });
 * // { eventid: "cowrie.login.failed" }
 * shippedCowrieEvent({ "@timestamp": "...", message: '{"eventid":"cowrie.login.failed"}', log: { offset: 0 } });
 * // { eventid: "cowrie.login.failed" }
 * ```
 */

type Fields = Record<string, unknown>;

export function shippedCowrieEvent(value: Fields, parseLine: (text: string) => Fields | undefined): Fields {
  if (value.eventid !== undefined) return value;
  const source = value._source;
  if (isEvent(source)) return source;
  const message = value.message;
  // Only text that opens an object is worth parsing: a shipper's own message is a sentence.
  if (typeof message === "string" && message.trimStart().startsWith("{")) {
    const inner = parseLine(message);
    if (isEvent(inner)) return inner;
  }
  return value;
}

function isEvent(value: unknown): value is Fields {
  return value !== null && typeof value === "object" && !Array.isArray(value) && (value as Fields).eventid !== undefined;
}
