/**
 * Cowrie timestamps to epoch milliseconds and back, and epoch milliseconds to ISO-8601 UTC.
 *
 * Cowrie writes `YYYY-MM-DDTHH:MM:SS.ffffffZ` when the sensor runs under UTC and ends the
 * string with an offset such as `+0200` otherwise (Twisted's `datetime.isoformat()` without
 * a colon). `Date.parse` rejects the colon-less offset and is lenient in ways we do not want,
 * so the format is matched explicitly.
 *
 * ```ts
 * assert.equal(cowrieTimestampToEpochMs("2026-03-18T10:26:59.715732Z"), 1773829619715.732);
 * // the same instant, written with its offset
 * assert.equal(cowrieTimestampToEpochMs("2026-03-18T12:26:59.715732+0200"), 1773829619715.732);
 * ```
 */

/**
 * A Cowrie timestamp is its date and time to the second, always the first 19 characters
 * (`YYYY-MM-DDTHH:MM:SS`, or a space for the T), then an optional fraction and zone: matched in
 * two parts, so that the events of one second, which share the first, parse it once.
 */
const SECOND_CHARS = 19;
const DATE_AND_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})$/;
const FRACTION_AND_ZONE = /(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/y;

/** The Gregorian calendar repeats every 400 years, which are 146,097 days. */
const GREGORIAN_CYCLE_YEARS = 400;
const GREGORIAN_CYCLE_MS = 146_097 * 86_400_000;

/** The date and time last parsed, and its epoch milliseconds (undefined when it does not exist). */
let lastSecondText = "";
let lastSecondMs: number | undefined;

/** Epoch milliseconds (fractional, keeping microseconds), or undefined when it does not parse. */
export function cowrieTimestampToEpochMs(timestamp: string): number | undefined {
  FRACTION_AND_ZONE.lastIndex = SECOND_CHARS;
  const rest = FRACTION_AND_ZONE.exec(timestamp);
  if (!rest) return undefined;
  if (!(lastSecondText.length === SECOND_CHARS && timestamp.startsWith(lastSecondText))) {
    lastSecondText = timestamp.slice(0, SECOND_CHARS);
    lastSecondMs = secondToEpochMs(lastSecondText);
  }
  if (lastSecondMs === undefined) return undefined;
  const [, fraction, zone] = rest;
  const fractionMs = fraction ? Number(`0.${fraction}`) * 1000 : 0;
  let offsetMs = 0;
  if (zone && zone !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    offsetMs = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return lastSecondMs + fractionMs - offsetMs;
}

/** `YYYY-MM-DDTHH:MM:SS` in UTC to epoch milliseconds, or undefined when it is no such time. */
function secondToEpochMs(dateAndTime: string): number | undefined {
  const m = DATE_AND_TIME.exec(dateAndTime);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return undefined;
  }
  // Date.UTC reads years 0-99 as 1900-1999 (ECMA-262 MakeFullYear): compute such a year 400
  // years on, where the Gregorian calendar repeats itself, and step back.
  const year = Number(y);
  const shift = year < 100 ? GREGORIAN_CYCLE_YEARS : 0;
  const wholeMs = Date.UTC(year + shift, month - 1, day, hour, minute, second) - (shift > 0 ? GREGORIAN_CYCLE_MS : 0);
  // Date.UTC rolls 31 February into March; reject dates that do not exist.
  return new Date(wholeMs).getUTCDate() === day ? wholeMs : undefined;
}

/** The largest distance from the epoch that a Date can hold (ECMA-262, 21.4.1.1). */
const MAX_DATE_MS = 8.64e15;
let lastIsoSecond = NaN;
let lastIsoSecondText = "";

/**
 * `new Date(epochMs).toISOString()`, the same string (and the same RangeError for a time
 * that is not one), without a Date per call: the canonical event's `time` and every score line
 * take one, and building it cost 1.5 µs per event. Events come in runs within one second, so
 * the second's text is kept and only the milliseconds are written.
 */
export function epochMsToIsoString(epochMs: number): string {
  const ms = Math.trunc(epochMs); // as the Date constructor's TimeClip
  if (!(Math.abs(ms) <= MAX_DATE_MS)) return new Date(epochMs).toISOString(); // throws, as Date does
  const msOfSecond = ((ms % 1000) + 1000) % 1000;
  const second = ms - msOfSecond;
  if (second !== lastIsoSecond) {
    lastIsoSecondText = new Date(second).toISOString().slice(0, -4); // "2026-03-18T10:26:59."
    lastIsoSecond = second;
  }
  return `${lastIsoSecondText}${msOfSecond < 10 ? "00" : msOfSecond < 100 ? "0" : ""}${msOfSecond}Z`;
}

/** The UTC form Cowrie writes, with six fractional digits: `2026-03-18T10:26:59.715732Z`. */
export function epochMsToCowrieTimestamp(epochMs: number): string {
  let whole = Math.floor(epochMs);
  let micros = Math.round((epochMs - whole) * 1000);
  if (micros === 1000) {
    whole += 1;
    micros = 0;
  }
  const iso = new Date(whole).toISOString(); // 2026-03-18T10:26:59.715Z
  return `${iso.slice(0, 23)}${String(micros).padStart(3, "0")}Z`;
}
