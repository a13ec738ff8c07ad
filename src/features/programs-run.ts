/**
 * The programs run on a sensor, and which of them are its own: run `familiarRuns` times, by at
 * least `familiarSources` sources. One source alone never makes a program familiar: counted by runs
 * only, one bot session that named a person's tools three times (`nmap -h; socat -h; ...`, at a
 * script's pace, which no watch reads as typed) made them the sensor's own, and the people at a
 * shell after it were no longer seen running rare programs.
 *
 * Memory is bounded as SensorVocabulary's: the `capacity` most recently run programs, names cut to
 * `maxWordLength`, and per program at most `familiarSources` sources kept. A program forgotten for
 * lack of room is rare again when it returns.
 *
 * ```ts
 * const programs = new ProgramsRun(3, 2);
 * programs.observe("nmap", "192.0.2.1");     // false: never run before
 * programs.observe("nmap", "192.0.2.1");
 * programs.observe("nmap", "192.0.2.1");     // false: run twice, by one source
 * programs.observe("nmap", "198.51.100.2");  // false: run three times, by one source
 * programs.isFamiliar("nmap");               // true: four runs, two sources; looked up, not counted
 * ```
 */
import { LruMap } from "../collections/lru-map";
import { heldCopy } from "./held-text";

interface ProgramRuns {
  runs: number;
  /** The distinct sources that ran it, up to `familiarSources`. */
  by: string[];
}

export class ProgramsRun {
  private programs: LruMap<string, ProgramRuns>;
  /** Programs observed so far, repeats included: how much of the sensor's shell traffic has been seen. */
  sightings = 0;

  constructor(
    readonly familiarRuns: number,
    readonly familiarSources: number,
    readonly capacity = 50_000,
    private readonly maxWordLength = 128,
  ) {
    this.programs = new LruMap(capacity);
  }

  get size(): number {
    return this.programs.size;
  }

  /** Counts `program` run by `source`, and says whether it was the sensor's own before this run. */
  observe(program: string, source: string): boolean {
    const key = this.keyOf(program);
    const by = this.keyOf(source);
    const known = this.programs.get(key);
    this.sightings += 1;
    if (!known) {
      // Kept as copies of their own: cut from attacker text, a program would keep its whole line alive.
      this.programs.set(heldCopy(key), { runs: 1, by: [heldCopy(by)] });
      return false;
    }
    const familiar = this.familiar(known);
    known.runs += 1;
    if (known.by.length < this.familiarSources && !known.by.includes(by)) known.by.push(heldCopy(by));
    return familiar;
  }

  /** Whether `program` is the sensor's own, without counting a run (nor keeping it from being forgotten). */
  isFamiliar(program: string): boolean {
    const known = this.programs.peek(this.keyOf(program));
    return known !== undefined && this.familiar(known);
  }

  private familiar(known: ProgramRuns): boolean {
    return known.runs >= this.familiarRuns && known.by.length >= this.familiarSources;
  }

  private keyOf(word: string): string {
    return word.length > this.maxWordLength ? word.slice(0, this.maxWordLength) : word;
  }
}
