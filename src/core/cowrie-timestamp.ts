/**
 * Cowrie timestamps to epoch milliseconds and back.
 *
 * Cowrie writes `YYYY-MM-DDTHH:MM:SS.ffffffZ` when the sensor runs under UTC and ends the
 * string with an offset such as `+0200` otherwise (Twisted's `datetime.isoformat()` without
 * a colon). `Date.parse` rejects the colon-less offset and is lenient in ways we do not want,
 * so the format is matched explicitly.
 *
 *     cowrieTimestampToEpochMs("2026-03-18T10:26:59.715732Z")      // 1773829619715.732
 *     cowrieTimestampToEpochMs("2026-03-18T12:26:59.715732+0200")  // the same instant
 */

const COWRIE_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?$/;

/** Epoch milliseconds (fractional, keeping microseconds), or undefined when it does not parse. */
export function cowrieTimestampToEpochMs(timestamp: string): number | undefined {
  const m = COWRIE_TIMESTAMP.exec(timestamp);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return undefined;
  }
  const wholeMs = Date.UTC(Number(y), month - 1, day, hour, minute, second);
  const fractionMs = fraction ? Number(`0.${fraction}`) * 1000 : 0;
  let offsetMs = 0;
  if (zone && zone !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    offsetMs = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  // Date.UTC rolls 31 February into March; reject dates that do not exist.
  if (new Date(wholeMs).getUTCDate() !== day) return undefined;
  return wholeMs + fractionMs - offsetMs;
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
