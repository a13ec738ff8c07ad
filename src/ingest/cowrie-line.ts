/**
 * One line of cowrie.json to an event object, or the reason it is not one.
 *
 * Validation of the event's fields belongs to `clean`; here a line only has to be a JSON
 * object, so that hostile or truncated lines are separated from events as early as possible.
 *
 * ```ts
 * const parsed = parseCowrieLine('{"eventid":"cowrie.login.failed"}');
 * assert.deepEqual(parsed, { event: { eventid: "cowrie.login.failed" } });
 * const malformed = parseCowrieLine('{"eventid":');
 * assert.equal("reason" in malformed && malformed.reason, "malformed-json");
 * ```
 */

import { shippedCowrieEvent } from "./shipped-cowrie-event";

export type CowrieEvent = Record<string, unknown>;

export type RejectReason = "malformed-json" | "not-an-object" | "line-too-long" | "nested-too-deep";

/**
 * Deeper than any Cowrie event (its deepest fields, such as client.kex's algorithm lists, are
 * two levels down). JSON.parse takes any depth, but structuredClone, JSON.stringify and deep
 * comparison recurse: Node-RED cloning a message 100,000 levels deep for a second wire overflows
 * the stack and loses the event on that wire.
 */
export const MAX_NESTING = 32;

/** The line limit of `cowrie in` and `honeyflow`, for a line a shipper carries inside its own. */
const MAX_INNER_LINE_CHARS = 1024 * 1024;

export type ParsedLine =
  | { event: CowrieEvent }
  | { reason: RejectReason; detail: string };

/**
 * U+FEFF, the byte order mark a file saved by an editor or PowerShell (`Out-File -Encoding utf8`
 * before PowerShell 6) starts with. Cowrie never writes one, and JSON.parse refuses it before the
 * object: a copied log's first event would be a malformed-json reject.
 */
const BYTE_ORDER_MARK = 0xfeff;

export function parseCowrieLine(line: string): ParsedLine {
  const text = line.charCodeAt(0) === BYTE_ORDER_MARK ? line.slice(1) : line;
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
  const deep = fewBrackets(text) ? false : tooDeep(value);
  if (deep) return { reason: "nested-too-deep", detail: `nested deeper than ${MAX_NESTING} levels` };
  return { event: cowrieEventOf(value as CowrieEvent) };
}

/** The event itself, or the Cowrie event a shipper wrapped it in (see shippedCowrieEvent). */
export function cowrieEventOf(value: CowrieEvent): CowrieEvent {
  return shippedCowrieEvent(value, innerEvent);
}

/** A shipper's copy of a line, held as text in its own: read as a line, not unwrapped again. */
function innerEvent(text: string): CowrieEvent | undefined {
  if (text.length > MAX_INNER_LINE_CHARS) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
    return fewBrackets(text) || !tooDeep(value) ? (value as CowrieEvent) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the text opens at most MAX_NESTING objects and arrays, so that nothing in it can be
 * nested deeper: a Cowrie line opens one or a few, found by the string search alone, where the
 * walk over the parsed value allocates for every object it visits.
 */
function fewBrackets(text: string): boolean {
  let opened = 0;
  for (const bracket of ["{", "["]) {
    for (let at = text.indexOf(bracket); at >= 0; at = text.indexOf(bracket, at + 1)) {
      if (++opened > MAX_NESTING) return false;
    }
  }
  return true;
}

/** Whether `value` holds objects or arrays more than MAX_NESTING levels down; without recursion, so any depth is safe to ask about. */
export function tooDeep(value: object): boolean {
  const pending: Array<[object, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop() as [object, number];
    if (depth > MAX_NESTING) return true;
    for (const child of Object.values(node)) {
      if (child !== null && typeof child === "object") pending.push([child as object, depth + 1]);
    }
  }
  return false;
}
