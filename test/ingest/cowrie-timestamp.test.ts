import assert from "node:assert/strict";
import { epochMsToIsoString } from "../../src/ingest/cowrie-timestamp";
import { SeededRandom } from "../../src/stats/seeded-random";

describe("epochMsToIsoString", () => {
  const iso = (ms: number) => new Date(ms).toISOString();

  it("writes what Date#toISOString writes, for times in and out of order, fractions and times before 1970 (property)", () => {
    const random = new SeededRandom("iso");
    let ms = Date.UTC(2026, 2, 18);
    for (let i = 0; i < 20_000; i++) {
      // Mostly runs within one second, with jumps back and forth between seconds and years.
      const step = random.next();
      ms = step < 0.8 ? ms + random.uniform(0, 40) : step < 0.9 ? ms - random.uniform(0, 5000) : random.uniform(-4e12, 4e12);
      assert.equal(epochMsToIsoString(ms), iso(ms), `at ${ms}`);
      assert.equal(epochMsToIsoString(Math.floor(ms)), iso(Math.floor(ms)), `at ${Math.floor(ms)}`);
    }
  });

  it("gets the edges of a second, of the epoch and of the Date range right", () => {
    for (const ms of [0, -0, -0.5, 0.5, -1, -999, -1000, -1001, 999, 1000, 1001, 999.9999, 1773829619999.9998, 8.64e15, -8.64e15, -8.64e15 + 1, 2.5e14]) {
      assert.equal(epochMsToIsoString(ms), iso(ms), `at ${ms}`);
    }
  });

  it("throws the RangeError Date throws for a time that is not one", () => {
    for (const ms of [NaN, Infinity, -Infinity, 8.64e15 + 1, -8.64e15 - 1]) {
      assert.throws(() => iso(ms), RangeError);
      assert.throws(() => epochMsToIsoString(ms), RangeError, `at ${ms}`);
    }
  });
});
