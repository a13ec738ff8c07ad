import assert from "node:assert/strict";
import { LONGEST_TIMER_MS, timerMs } from "../../../nodes/kit/editor-number";

describe("editor numbers: timerMs", () => {
  it("turns seconds (or another unit) into milliseconds, nonsense into the default", () => {
    assert.equal(timerMs("2.5", 10), 2500);
    assert.equal(timerMs("250", 1000, 1), 250);
    for (const nonsense of ["", "x", "-1", "0", undefined, "Infinity", "1e-9", "0.0001"]) assert.equal(timerMs(nonsense, 10), 10_000, String(nonsense));
  });

  it("never asks a timer for more than it can wait, which it would take as 1 ms", () => {
    assert.equal(timerMs("3000000", 10), LONGEST_TIMER_MS);
    assert.equal(timerMs("1e300", 10), LONGEST_TIMER_MS);
    assert.equal(timerMs(String(LONGEST_TIMER_MS), 1000, 1), LONGEST_TIMER_MS);
  });
});
