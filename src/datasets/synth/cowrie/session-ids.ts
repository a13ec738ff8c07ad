/**
 * Cowrie-like session ids that never repeat, from a keyed permutation of a counter.
 */
import type { SeededRandom } from "../../../stats/seeded-random";
import { lowbias32 } from "./lowbias32";

/**
 * Session ids: 12 hex digits like Cowrie's, but never repeated. A counter goes through a
 * keyed 4-round Feistel permutation of 48 bits, which is a bijection, so ids look random and
 * stay unique without remembering the ones handed out.
 */
export class SessionIds {
  private counter = 0;
  private readonly keys: number[];

  constructor(random: SeededRandom) {
    this.keys = [random.nextUint32(), random.nextUint32(), random.nextUint32(), random.nextUint32()];
  }

  next(): string {
    let left = Math.floor(this.counter / 0x1000000) & 0xffffff;
    let right = this.counter & 0xffffff;
    this.counter += 1;
    for (const key of this.keys) {
      const mixed = lowbias32(right ^ key) & 0xffffff;
      [left, right] = [right, left ^ mixed];
    }
    return left.toString(16).padStart(6, "0") + right.toString(16).padStart(6, "0");
  }
}
