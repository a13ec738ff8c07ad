/**
 * A first-in first-out queue that holds at most `capacity` items. When it is full a new item
 * pushes out the oldest, and the queue counts what it dropped. Alerts wait in one while their
 * sink (the MQTT broker, Slack) is away: memory stays bounded however long the outage lasts,
 * and the newest alerts - the ones an analyst can still act on - are the ones kept.
 *
 * ```ts
 * const queue = new BoundedQueue<string>(2);
 * queue.push("a"); queue.push("b"); queue.push("c");  // "a" is dropped
 * assert.equal(queue.shift(), "b");
 * assert.equal(queue.dropped, 1);
 * ```
 */
export class BoundedQueue<T> {
  /** Items pushed out because the queue was full. */
  dropped = 0;
  // A plain array: shift() is O(n), which at the capacities used here (about 1,000 alerts)
  // costs microseconds, far below one network round trip per alert.
  private readonly items: T[] = [];

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`a queue's capacity must be a whole number of 1 or more, not ${capacity}`);
  }

  get length(): number {
    return this.items.length;
  }

  /** Adds `item` at the back; when full, drops the oldest item first and returns it. */
  push(item: T): T | undefined {
    this.items.push(item);
    return this.trim();
  }

  /** Puts `item` back at the front (a retry keeps its turn); when full, the oldest - this one - is dropped. */
  unshift(item: T): T | undefined {
    this.items.unshift(item);
    return this.trim();
  }

  shift(): T | undefined {
    return this.items.shift();
  }

  /** Removes and returns every item, oldest first. */
  clear(): T[] {
    return this.items.splice(0);
  }

  private trim(): T | undefined {
    if (this.items.length <= this.capacity) return undefined;
    this.dropped += 1;
    return this.items.shift();
  }
}
