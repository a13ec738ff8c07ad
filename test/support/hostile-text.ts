/**
 * Random attacker-style text for property tests of the sinks: what a Cowrie username, password or
 * command can hold. Biased towards what breaks encoders: separators, quotes, backslashes (also
 * before separators and at the end), newlines and other control characters, `#`, non-ASCII and
 * astral characters, lone surrogates, and now and then a very long string.
 *
 *     const random = new SeededRandom("seed");
 *     hostileText(random);              // e.g. 'ro\\,ot"\n#😀'
 *     hostileText(random, { maxLength: 8 });
 */
import { SeededRandom } from "../../src/stats/seeded-random";

const PIECES = [
  "\n", "\r", "\r\n", "\t", "\0", "\x01", "\x1b", "\x7f", "\u0085", "\u2028",
  ",", " ", "=", '"', "'", "\\", "\\\\", "\\,", "\\ ", "\\=", '\\"', "\\n", "#", "+", "/", "%", "$", "&", ";", ":", "{", "}",
  "<script>", "<!channel>", "é", "ß", "日本", "😀", "\uD800", "\uDC00", "\u200B",
  "a", "b", "root", "admin", "123",
];

export interface HostileTextOptions {
  /** Pieces per string (most strings); default 12. */
  maxPieces?: number;
  /** Chance of a very long string (1,000 to `longLength` pieces); default 0. */
  longChance?: number;
  longLength?: number;
}

export function hostileText(random: SeededRandom, options: HostileTextOptions = {}): string {
  const long = random.chance(options.longChance ?? 0);
  const pieces = long ? random.integer(1000, options.longLength ?? 20_000) : random.integer(1, options.maxPieces ?? 12);
  let text = "";
  for (let i = 0; i < pieces; i++) text += random.pick(PIECES);
  // A backslash at the very end is what 1.x line protocol handles worst; make it common.
  return random.chance(0.2) ? `${text}\\` : text;
}

/**
 * The text InfluxDB 1.x stores for a tag key or value, as line-protocol.ts documents it, written out
 * again independently: a newline as `\n`, a backslash that 1.x would read as an escape as `⧵`.
 */
export function storedTag(text: string): string {
  return wellFormed(text).replace(/\n/g, "\\n").replace(/\\(?=[,= ]|$)/g, "\u29F5");
}

/** The same for a measurement or field key, where 1.x also reads `\"` as an escape. */
export function storedName(text: string): string {
  return wellFormed(text).replace(/\n/g, "\\n").replace(/\\(?=[,"= ]|$)/g, "\u29F5");
}

/** What UTF-8 makes of any JS string (string fields are stored as it): lone surrogates become U+FFFD. */
export function wellFormed(text: string): string {
  return Buffer.from(text, "utf8").toString("utf8");
}
