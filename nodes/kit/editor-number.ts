/**
 * Numbers from a node's edit dialog, which arrive as strings and may be empty or nonsense.
 * Where a setting has a documented default, nonsense means that default rather than NaN;
 * where the core validates the setting itself (drift's detectors), a blank means "the core's
 * default" and anything else is passed on for the core to accept or refuse with a reason.
 */
type EditorValue = string | number | undefined;

export function positiveNumber(value: EditorValue, fallback: number): number {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/**
 * A whole number of things (a table's capacity, a count): a fraction is rounded down, and what
 * rounds to less than 1 (0.5, which the collections would refuse by throwing) means `fallback`.
 */
export function positiveCount(value: EditorValue, fallback: number): number {
  const n = Math.floor(Number(value));
  return Number.isFinite(n) && n >= 1 ? n : fallback;
}

export function nonNegativeNumber(value: EditorValue, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

/** A number strictly between 0 and 1 (a quantile, a probability), else `fallback`. */
export function fraction(value: EditorValue, fallback: number): number {
  const n = Number(value);
  return n > 0 && n < 1 ? n : fallback;
}

/** Undefined when left blank, for the core's default; otherwise Number(value), NaN included, for the core to refuse. */
export function optionalNumber(value: EditorValue): number | undefined {
  return value === undefined || String(value).trim() === "" ? undefined : Number(value);
}

/**
 * The longest delay setTimeout and setInterval honour: 2^31 - 1 ms, about 24.8 days. Node fires
 * a longer one after 1 ms (TimeoutOverflowWarning), so an interval typed with extra zeros would
 * run a thousand times a second.
 */
export const LONGEST_TIMER_MS = 2 ** 31 - 1;

/**
 * A duration in `unitMs` (seconds by default) as milliseconds for a timer, from 1 ms to
 * LONGEST_TIMER_MS; else `fallback` units. Node fires a timer of less than 1 ms after 1 ms, so
 * "1e-9" s would run an interval a thousand times a second: it is nonsense, and means the default.
 */
export function timerMs(value: EditorValue, fallback: number, unitMs = 1000): number {
  const ms = positiveNumber(value, fallback) * unitMs;
  return Math.min(ms >= 1 ? ms : fallback * unitMs, LONGEST_TIMER_MS);
}
