/**
 * Lets a stopping node wait, for a limited time, until a delivery queue has emptied: alerts
 * still queued when Node-RED stops get a last chance to go out, and the rest are counted.
 *
 *     await drained.wait(queue.length === 0, 2000);  // in close()
 *     if (queue.length === 0) drained.notify();       // wherever the queue may have emptied
 */
export class DrainSignal {
  private readonly waiters = new Set<() => void>();

  /** Resolves at once when `empty`, else on the next `notify()` or after `timeoutMs`. */
  wait(empty: boolean, timeoutMs: number): Promise<void> {
    if (empty) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.waiters.add(done);
    });
  }

  /** Wakes every waiter: the queue is empty, or closed. */
  notify(): void {
    for (const done of [...this.waiters]) done();
  }
}
