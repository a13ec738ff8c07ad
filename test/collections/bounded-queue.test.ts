import assert from "node:assert/strict";
import { BoundedQueue } from "../../src/collections/bounded-queue";
import { SeededRandom } from "../../src/stats/seeded-random";

describe("BoundedQueue", () => {
  it("is first in, first out, and drops the oldest when full", () => {
    const queue = new BoundedQueue<number>(3);
    for (let i = 1; i <= 5; i++) queue.push(i);
    assert.equal(queue.length, 3);
    assert.equal(queue.dropped, 2);
    assert.deepEqual([queue.shift(), queue.shift(), queue.shift(), queue.shift()], [3, 4, 5, undefined]);
  });

  it("puts a retried item back at the front", () => {
    const queue = new BoundedQueue<string>(3);
    queue.push("b");
    queue.push("c");
    queue.unshift("a");
    assert.deepEqual(queue.clear(), ["a", "b", "c"]);
    assert.equal(queue.length, 0);
  });

  it("keeps the newest `capacity` items of any sequence of operations, in order (property)", () => {
    const random = new SeededRandom("bounded-queue");
    const queue = new BoundedQueue<number>(7);
    const model: number[] = [];
    let dropped = 0;
    for (let i = 0; i < 10_000; i++) {
      if (random.chance(0.6)) {
        queue.push(i);
        model.push(i);
      } else if (random.chance(0.5)) {
        queue.unshift(-i);
        model.unshift(-i);
      } else {
        assert.equal(queue.shift(), model.shift());
      }
      if (model.length > 7) {
        model.shift();
        dropped += 1;
      }
      assert.equal(queue.length, model.length);
    }
    assert.equal(queue.dropped, dropped);
    assert.deepEqual(queue.clear(), model);
  });

  it("refuses a capacity that could hold nothing", () => {
    assert.throws(() => new BoundedQueue(0), RangeError);
    assert.throws(() => new BoundedQueue(1.5), RangeError);
  });
});
