/**
 * How often the sensor has seen each word of one kind (usernames tried, programs run), so a
 * feature can count the rare ones: a credential-stuffing botnet tries leaked names that no
 * wordlist sprayer uses, and a person at the shell runs tools that bots never do.
 *
 * Memory is bounded: the `capacity` most recently seen words are kept with their counts, and
 * words longer than `maxWordLength` are cut (attackers send megabytes as a "username"). A word
 * forgotten for lack of room counts as new when it returns, which is what a rare word is.
 *
 * ```ts
 * const seen = new SensorVocabulary(10_000);
 * assert.equal(seen.observe("root"), 0);  // never seen before
 * assert.equal(seen.observe("root"), 1);
 * assert.equal(seen.count("root"), 2);    // looked up, not counted
 * ```
 */
import { LruMap } from "../collections/lru-map";
import { heldCopy } from "./held-text";

export class SensorVocabulary {
  private counts: LruMap<string, number>;
  /** Words observed so far, repeats included. */
  sightings = 0;

  constructor(
    readonly capacity = 50_000,
    private readonly maxWordLength = 128,
  ) {
    this.counts = new LruMap(capacity);
  }

  get size(): number {
    return this.counts.size;
  }

  /** Counts one sighting of `word` and returns how many times it was seen before. */
  observe(word: string): number {
    const key = this.keyOf(word);
    const before = this.counts.get(key) ?? 0;
    // A new word is kept as a copy of its own: cut from attacker text (its head, the program a
    // command line runs), it would keep the whole text alive for as long as it is remembered.
    this.counts.set(before === 0 ? heldCopy(key) : key, before + 1);
    this.sightings += 1;
    return before;
  }

  /** How many times `word` was seen, without counting a sighting (nor keeping it from being forgotten). */
  count(word: string): number {
    return this.counts.peek(this.keyOf(word)) ?? 0;
  }

  clear(): void {
    this.counts = new LruMap(this.capacity);
    this.sightings = 0;
  }

  private keyOf(word: string): string {
    return word.length > this.maxWordLength ? word.slice(0, this.maxWordLength) : word;
  }
}

/** Words of a shell command line that name a program: the first of each `;`, `|`, `&` or newline-separated part. */
export function programsOf(commandLine: string, maxParts = 16): string[] {
  // Only the head of a pasted megabyte is looked at: a few parts are enough to say what it runs.
  const head = commandLine.length > 4096 ? commandLine.slice(0, 4096) : commandLine;
  const programs: string[] = [];
  for (const part of head.split(/[;|&\n]+/)) {
    const program = part.trim().split(/\s+/, 1)[0];
    if (program) programs.push(program);
    if (programs.length === maxParts) break;
  }
  return programs;
}
