/**
 * V8's garbage collector, for tests that measure what a structure keeps alive: heap in use after
 * a collection, before and after. The flag takes effect for contexts made after it is set.
 *
 *     const kept = heapKeptBy(() => { for (const text of texts) vocabulary.observe(text); });
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

export function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

/** Bytes of heap still in use, after a collection, that `run` added. */
export function heapKeptBy(run: () => void): number {
  collectGarbage();
  const before = process.memoryUsage().heapUsed;
  run();
  collectGarbage();
  return process.memoryUsage().heapUsed - before;
}
