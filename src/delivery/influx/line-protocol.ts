/**
 * InfluxDB 1.x line protocol: one point per line, the encoder behind `influx write`.
 *
 * ```ts
 * const line = encodeLine({ measurement: "auth", tags: { src_ip: "203.0.113.7" },
 *   fields: { failed: { type: "integer", value: 12 }, user: { type: "string", value: 'a "b"' } },
 *   timestampMs: 1717171717123 });
 * assert.equal(line, 'auth,src_ip=203.0.113.7 failed=12i,user="a \\"b\\"" 1717171717123');  // precision ms
 * ```
 *
 * Escaping follows the 1.x line protocol reference: commas and spaces in a measurement; commas,
 * spaces and `=` in tag keys, tag values and field keys; `"` and `\` in string field values.
 * A newline inside a string field is sent as it is: 1.6 reads it back unchanged.
 *
 * Attacker text (usernames, commands) reaches tag values, so whatever 1.x cannot store exactly is
 * mapped, and this mapping is the contract `test/delivery/influx/line-protocol.test.ts` checks against a real
 * influxd. In a measurement, tag key, tag value or field key:
 * - a newline becomes the two characters `\n`: the 1.x parser ends the line at a raw newline;
 * - a backslash right before a comma, space or `=` (or a `"`, in a measurement or field key), or
 *   at the end, becomes `⧵` (U+29F5): 1.x reads such a backslash as escaping what follows it and
 *   removes it, and has no escape for a backslash there (tags are unescaped by models/points.go
 *   for `\,` `\ ` `\=`, measurements and field keys by pkg/escape, which adds `\"`).
 * Lines travel as UTF-8, so a lone UTF-16 surrogate anywhere arrives as U+FFFD.
 * Tags with an empty value are left out (1.x refuses them; to InfluxQL a missing tag is empty).
 *
 * Refused with a reason (`PointRejected`), because 1.x would refuse, drop or misread them: NaN and
 * infinite numbers (no literal exists), integers beyond ±2^53 (a JS number cannot hold them exactly),
 * timestamps outside 1677-2262 (int64 nanoseconds), an empty measurement or key, a measurement
 * starting with `#` (a comment line), a measurement or field key starting with a tab or NUL (the
 * parser strips them), a tag or field key named `time`, keys that collide after the mapping, a point
 * without fields, and a series key over 65,535 bytes.
 */

export type FieldType = "float" | "integer" | "boolean" | "string";

export type TypedValue =
  | { type: "float" | "integer"; value: number }
  | { type: "boolean"; value: boolean }
  | { type: "string"; value: string };

export interface TypedPoint {
  measurement: string;
  tags: Record<string, string>;
  fields: Record<string, TypedValue>;
  /** Milliseconds since the epoch; lines are written with precision ms. */
  timestampMs: number;
}

/** A point InfluxDB 1.x cannot take as it is; `message` says why. */
export class PointRejected extends Error {
  override readonly name = "PointRejected";
}

/** models.MaxKeyLength: measurement, tags and a field key together. */
const MAX_SERIES_KEY_BYTES = 65_535;
/** The int64 nanosecond range of 1.x timestamps (models.MinNanoTime/MaxNanoTime), in ms. */
const MAX_TIMESTAMP_MS = 9_223_372_036_854;
/** Backslashes 1.x would read as an escape, in tag keys and values... */
const TAG_ESCAPE_LOOKALIKE = /\\(?=[,= ]|$)/g;
/** ... and in measurements and field keys. */
const NAME_ESCAPE_LOOKALIKE = /\\(?=[,"= ]|$)/g;

export function encodeLine(point: TypedPoint): string {
  const measurement = encodeMeasurement(point.measurement);
  const tags = Object.entries(point.tags)
    .filter(([, value]) => value !== "")
    .map(([key, value]) => [encodeKey(key, "tag key"), encodeName(value, TAG_ESCAPE_LOOKALIKE).replace(/[,= ]/g, "\\$&")])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)); // 1.x sorts unsorted tags itself; sorted is cheaper
  rejectDuplicates(tags.map(([key]) => key), "tag key");
  const seriesKey = measurement + tags.map(([key, value]) => `,${key}=${value}`).join("");

  const fields = Object.entries(point.fields).map(([key, value]) => [encodeKey(key, "field key"), encodeValue(key, value)]);
  if (fields.length === 0) throw new PointRejected("a point needs at least one field");
  rejectDuplicates(fields.map(([key]) => key), "field key");
  const longestFieldKey = Math.max(...fields.map(([key]) => Buffer.byteLength(key)));
  // 1.x stores each field as its own series "<key>#!~#<field key>".
  if (Buffer.byteLength(seriesKey) + 4 + longestFieldKey > MAX_SERIES_KEY_BYTES) {
    throw new PointRejected(`the series key (measurement, tags and field key) is over ${MAX_SERIES_KEY_BYTES} bytes`);
  }

  return `${seriesKey} ${fields.map(([key, value]) => `${key}=${value}`).join(",")} ${encodeTimestamp(point.timestampMs)}`;
}

/** The text 1.x stores for a name or tag value: newlines and backslashes that look like escapes mapped. */
function encodeName(text: string, escapeLookalike: RegExp): string {
  return text.replace(/\n/g, "\\n").replace(escapeLookalike, "\u29F5");
}

function encodeMeasurement(measurement: string): string {
  if (measurement === "") throw new PointRejected("the measurement is empty");
  if (/^[#\t\0]/.test(measurement)) {
    throw new PointRejected("the measurement starts with '#', a tab or NUL, which InfluxDB 1.x reads as a comment or strips");
  }
  return encodeName(measurement, NAME_ESCAPE_LOOKALIKE).replace(/[, ]/g, "\\$&");
}

function encodeKey(key: string, what: "tag key" | "field key"): string {
  if (key === "") throw new PointRejected(`a ${what} is empty`);
  if (key === "time") throw new PointRejected(`'time' cannot be a ${what} in InfluxDB 1.x`);
  if (what === "field key" && /^[\t\0]/.test(key)) {
    throw new PointRejected(`the field key ${JSON.stringify(key)} starts with a tab or NUL, which InfluxDB 1.x strips`);
  }
  return encodeName(key, what === "tag key" ? TAG_ESCAPE_LOOKALIKE : NAME_ESCAPE_LOOKALIKE).replace(/[,= ]/g, "\\$&");
}

function rejectDuplicates(keys: string[], what: string): void {
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key)) throw new PointRejected(`two ${what}s are both written as ${JSON.stringify(key)}`);
    seen.add(key);
  }
}

function encodeValue(key: string, field: TypedValue): string {
  switch (field.type) {
    case "string":
      return `"${field.value.replace(/["\\]/g, "\\$&")}"`;
    case "boolean":
      return field.value ? "true" : "false";
    case "float":
      if (!Number.isFinite(field.value)) throw new PointRejected(`field ${JSON.stringify(key)} is ${field.value}, which InfluxDB cannot store`);
      return String(field.value);
    case "integer": {
      const value = Math.round(field.value);
      if (!Number.isSafeInteger(value)) throw new PointRejected(`integer field ${JSON.stringify(key)} is ${field.value}: it must be finite and within ±2^53`);
      return `${value === 0 ? 0 : value}i`; // never "-0i"
    }
  }
}

function encodeTimestamp(ms: number): string {
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_TIMESTAMP_MS) {
    throw new PointRejected(`the timestamp ${ms} is outside InfluxDB's range (years 1677 to 2262)`);
  }
  const rounded = Math.round(ms);
  return String(rounded === 0 ? 0 : rounded);
}
