/**
 * Counts as every node's status writes them, with thousands separators ("13,716 events",
 * "18,835 spooled"). Node-RED substitutes a number into a message as JavaScript prints it
 * (13716), so nodes side by side in the editor read alike only if each formats its counts.
 *
 *     RED._("clean.status.counts", statusCounts({ clean, rejected, duplicates }))
 */
export function countText(n: number): string {
  return n.toLocaleString("en-US");
}

/** `values` with every number written by countText; text and other values as they are. */
export function statusCounts(values: Record<string, string | number>): Record<string, string> {
  const written: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) written[key] = typeof value === "number" ? countText(value) : value;
  return written;
}
