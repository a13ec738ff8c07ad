/**
 * One line of cowrie.json to an event object, or the reason it is not one.
 *
 * Validation of the event's fields belongs to `clean`; here a line only has to be a JSON
 * object, so that hostile or truncated lines are separated from events as early as possible.
 *
 *     parseCowrieLine('{"eventid":"cowrie.login.failed"}')  // { event: {...} }
 *     parseCowrieLine('{"eventid":')                          // { reason: "malformed-json", ... }
 */

export type CowrieEvent = Record<string, unknown>;

export type RejectReason = "malformed-json" | "not-an-object" | "line-too-long";

export type ParsedLine =
  | { event: CowrieEvent }
  | { reason: RejectReason; detail: string };

export function parseCowrieLine(text: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { reason: "malformed-json", detail: (err as Error).message };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    const kind = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
    return { reason: "not-an-object", detail: `a JSON ${kind}, not an event object` };
  }
  return { event: value as CowrieEvent };
}
