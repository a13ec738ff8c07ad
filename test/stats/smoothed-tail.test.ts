import assert from "node:assert/strict";
import { smoothedTail } from "../../src/stats/smoothed-tail";

describe("smoothedTail", () => {
  it("is Laplace's rule of succession: (k + 1) / (n + 2)", () => {
    assert.equal(smoothedTail(0, 998), 0.001);
    assert.equal(smoothedTail(0, 0), 0.5, "with nothing seen, even odds");
    assert.equal(smoothedTail(10, 10), 11 / 12);
  });

  it("never reaches 0 or 1, so its −log stays finite and grows with the evidence", () => {
    assert.ok(-Math.log(smoothedTail(0, 100)) < -Math.log(smoothedTail(0, 10_000)));
    assert.ok(smoothedTail(1e6, 1e6) < 1);
  });
});
