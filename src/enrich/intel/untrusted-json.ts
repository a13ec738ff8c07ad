/**
 * Readers for JSON that a remote service sent: a threat-intel answer may be truncated, of an older
 * or newer shape, or hostile (whoever controls a DNS answer, a proxy or the service itself can put
 * megabytes or markup in any field). Each reader answers the type asked for or null, never throws,
 * and cuts text to a length no honest verdict needs; what the text then holds is for each sink to
 * escape (Slack, line protocol, HTML), as for any attacker text.
 *
 * ```ts
 * const body: unknown = JSON.parse('{"data": {"isp": "DigitalOcean, LLC", "totalReports": 312}}');
 * const data = field(body, "data");
 * assert.equal(boundedText(field(data, "isp"), 120), "DigitalOcean, LLC");
 * assert.equal(count(field(data, "totalReports")), 312);
 * assert.equal(count(field(data, "isp")), null);                         // the type asked for, or null
 * assert.equal(boundedText(field(field(body, "missing"), "isp")), null);  // never a throw
 * ```
 */
import { heldCopy } from "../../features/held-text";

/** Longest text kept from a verdict field: a name, an ISP, a classification. */
export const MAX_VERDICT_TEXT = 120;

export function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * A string, cut to `max` characters (without leaving half a surrogate pair), or null. The cut is
 * a copy: verdicts are cached for a day, and a cut alone would keep the whole answer alive.
 */
export function boundedText(value: unknown, max = MAX_VERDICT_TEXT): string | null {
  if (typeof value !== "string" || value === "") return null;
  if (value.length <= max) return value;
  return heldCopy(value.slice(0, max).replace(/[\ud800-\udbff]$/, ""));
}

/** A non-negative whole number (a count, a score), or null. */
export function count(value: unknown): number | null {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

/** A finite number, or null. */
export function finite(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

export function flag(value: unknown): boolean | null {
  return typeof value === "boolean" ? value : null;
}

/** One of `allowed`, or null. */
export function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | null {
  return typeof value === "string" && (allowed as readonly string[]).includes(value) ? (value as T) : null;
}

/** Up to `maxItems` texts from an array, each cut to `max`. */
export function textList(value: unknown, maxItems: number, max = MAX_VERDICT_TEXT): string[] {
  if (!Array.isArray(value)) return [];
  const texts: string[] = [];
  for (const item of value.slice(0, maxItems * 4)) {
    const text = boundedText(item, max);
    if (text !== null) texts.push(text);
    if (texts.length === maxItems) break;
  }
  return texts;
}
