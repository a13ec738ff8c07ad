import assert from "node:assert/strict";
import { SeededRandom } from "../../src/stats/seeded-random";
import { SustainedEvidence } from "../../src/scoring/sustained-evidence";

describe("SustainedEvidence", () => {
  it("adds −ln p − allowance per key, never below 0, and fires only on an event that adds to a sum at the threshold", () => {
    const evidence = new SustainedEvidence({ allowance: 3, threshold: 6 });
    // −ln(e^-6) − 3 = 3 per event: the second reaches 6.
    assert.equal(evidence.observe("a", Math.exp(-6)), false);
    assert.ok(Math.abs(evidence.evidence("a") - 3) < 1e-9);
    assert.equal(evidence.observe("b", Math.exp(-6)), false, "keys add up apart");
    assert.equal(evidence.observe("a", Math.exp(-6)), true);
    // An ordinary event right after does not add, so it is not anomalous, and the sum drains.
    assert.equal(evidence.observe("a", 0.5), false);
    assert.ok(Math.abs(evidence.evidence("a") - (6 - Math.log(0.5) - 3)) < 1e-9);
    for (let i = 0; i < 5; i++) evidence.observe("a", 0.5);
    assert.equal(evidence.evidence("a"), 0);
  });

  it("floors p, so that one event beyond everything seen never fires alone", () => {
    const evidence = new SustainedEvidence({ allowance: 5, threshold: 6, minP: 1e-4 });
    assert.equal(evidence.observe("a", 0), false);
    assert.ok(Math.abs(evidence.evidence("a") - (-Math.log(1e-4) - 5)) < 1e-9);
    assert.equal(evidence.observe("a", 0), true);
  });

  it("caps the sum at twice the threshold, so it drains within a few events once a long burst ends", () => {
    const evidence = new SustainedEvidence({ allowance: 3, threshold: 6 });
    for (let i = 0; i < 1000; i++) evidence.observe("a", 1e-4);
    assert.equal(evidence.evidence("a"), 12);
    let ordinary = 0;
    while (evidence.evidence("a") >= 6) {
      evidence.observe("a", 0.5);
      ordinary += 1;
    }
    assert.ok(ordinary <= 3, `${ordinary} ordinary events to drop below the threshold`);
  });

  it("stays quiet on uniform p-values: what nothing going on looks like", () => {
    const evidence = new SustainedEvidence({ allowance: 5, threshold: 6 });
    const random = new SeededRandom("uniform");
    let fired = 0;
    for (let i = 0; i < 200_000; i++) if (evidence.observe(`src${i % 50}`, random.next())) fired += 1;
    // Two events in a row below e^-8 from one key: about 200,000 × (e^-8)² ≈ 0.02 expected.
    assert.equal(fired, 0);
  });

  it("tracks at most maxKeys keys, forgetting the least recently seen", () => {
    const evidence = new SustainedEvidence({ allowance: 1, threshold: 100, maxKeys: 2 });
    evidence.observe("a", 0.01);
    evidence.observe("b", 0.01);
    evidence.observe("c", 0.01);
    assert.equal(evidence.trackedKeys, 2);
    assert.equal(evidence.evidence("a"), 0);
    assert.ok(evidence.evidence("c") > 0);
  });

  it("survives JSON with the same sums, in the same recency order", () => {
    const evidence = new SustainedEvidence({ allowance: 1, threshold: 100, maxKeys: 2 });
    evidence.observe("a", 0.01);
    evidence.observe("b", 0.02);
    const copy = SustainedEvidence.fromJSON(JSON.parse(JSON.stringify(evidence.toJSON())));
    assert.deepEqual(copy.toJSON(), evidence.toJSON());
    copy.observe("c", 0.01);
    assert.equal(copy.evidence("a"), 0, "a was the least recently seen");
  });
});
