/**
 * Numbers from a node's edit dialog, which arrive as strings and may be empty or nonsense:
 * the node then runs with the documented default rather than NaN.
 */
export function positiveNumber(value: string | number | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

export function nonNegativeNumber(value: string | number | undefined, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}
