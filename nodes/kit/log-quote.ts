/**
 * Attacker text quoted for Node-RED's log: JSON-escaped and cut, so that a newline, a carriage
 * return or a terminal escape in a `src_ip` cannot start a forged log line or repaint the
 * operator's terminal, and megabytes of junk cannot fill the log.
 *
 *     logQuote("1.2.3.4\n[error] forged")  // "\"1.2.3.4\\n[error] forged\""
 */
// JSON.stringify leaves these as they are; a terminal or a log viewer acts on them (C1 controls,
// DEL, the Unicode line and paragraph separators, bidirectional overrides: CVE-2021-42574).
const UNSAFE_FOR_JSON = /[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function logQuote(text: string, maxChars = 64): string {
  const quoted = JSON.stringify(text.slice(0, maxChars)).replace(UNSAFE_FOR_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return text.length > maxChars ? `${quoted}... (${text.length} characters)` : quoted;
}
