/**
 * A key for a bounded table of recent things (clean's duplicate window, its open sessions) made
 * of text that a forged line can make a megabyte long: as it is when short, as Cowrie writes it,
 * else its SHA-1, so that the table's bound on entries bounds its memory too.
 *
 *     compactKey(`${sensor}\u0000${session}`);  // "sensor-1\u0000a1b2c3d4e5f6", or "sha1:..." for a forged megabyte
 */
import { createHash } from "node:crypto";

const MAX_KEY_CHARS = 512;

export function compactKey(text: string): string {
  return text.length <= MAX_KEY_CHARS ? text : `sha1:${createHash("sha1").update(text).digest("hex")}`;
}
