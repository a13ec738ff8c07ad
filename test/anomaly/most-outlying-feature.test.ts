import assert from "node:assert/strict";
import { createDetector, restoreDetector } from "../../src/anomaly/detector-catalogue";
import { MostOutlyingFeature } from "../../src/anomaly/most-outlying-feature";
import { OnlineZScore } from "../../src/anomaly/online-z-score";
import { RankEnsemble } from "../../src/anomaly/rank-ensemble";
import { SeededRandom } from "../../src/stats/seeded-random";
import { StreamingEcod } from "../../src/anomaly/streaming-ecod";

/** Many ordinary features and one rare count, as window features look: mostly 0, now and then 1. */
function ordinaryRows(count: number, width = 40): number[][] {
  const random = new SeededRandom("ordinary");
  return Array.from({ length: count }, () => [...Array.from({ length: width }, () => random.exponential(1)), random.chance(0.01) ? 1 : 0]);
}

describe("MostOutlyingFeature", () => {
  const rows = ordinaryRows(3000);
  const ecod = new StreamingEcod();
  for (const x of rows) ecod.learn(x);
  const view = new MostOutlyingFeature(ecod);

  it("scores by the one most outlying feature, which ECOD's mean over all of them dilutes", () => {
    const typical = rows[5].slice(0, -1);
    const rareCountNeverSeen = [...typical, 3];
    const everythingSlightlyHigh = [...typical.map(() => 1.6), 0];
    assert.equal(view.score(rareCountNeverSeen), 1 - Math.exp(-Math.max(...ecod.featureOutlyingness(rareCountNeverSeen)) / 10));
    assert.ok(view.score(rareCountNeverSeen) > view.score(everythingSlightlyHigh), "one feature beyond all seen outranks many a little high");
    assert.ok(ecod.score(rareCountNeverSeen) < ecod.score(everythingSlightlyHigh), "while the mean ranks them the other way");
  });

  it("reads the ECOD it is given and learns nothing itself", () => {
    const before = JSON.stringify(ecod.toJSON());
    view.learn();
    assert.equal(JSON.stringify(ecod.toJSON()), before);
    assert.deepEqual(view.featureOutlyingness(rows[7]), ecod.featureOutlyingness(rows[7]));
    assert.deepEqual(view.usualRange(0), ecod.usualRange(0));
  });

  it("sees what ECOD has learned since it last scored the same row", () => {
    const fresh = new StreamingEcod();
    const probe = [5, 5];
    for (let i = 0; i < 50; i++) fresh.learn([i % 3, i % 3]);
    const outlying = new MostOutlyingFeature(fresh);
    const before = outlying.score(probe);
    for (let i = 0; i < 50; i++) fresh.learn([5 + (i % 4), 5 + (i % 4)]);
    assert.ok(outlying.score(probe) < before, "a value that became common is no longer far out");
  });
});

describe("the default detector", () => {
  it("restores a model saved with two members, the third view warming up anew", () => {
    const ecod = new StreamingEcod();
    const saved = new RankEnsemble([ecod, new OnlineZScore()]);
    const rows = ordinaryRows(500, 5);
    for (const x of rows) saved.learn(x);
    const restored = restoreDetector("default", JSON.parse(JSON.stringify(saved.toJSON())));
    const probe = [...rows[3].slice(0, -1), 1];
    const score = restored.score(probe);
    assert.ok(score >= 0 && score <= 1);
    assert.deepEqual(restored.featureOutlyingness(probe), ecod.featureOutlyingness(probe));
    restored.learn(probe);
  });

  it("round-trips through JSON with all its members, the kNN's reservoir too", () => {
    const detector = createDetector("default");
    const rows = ordinaryRows(800, 6);
    for (const x of rows) detector.learn(x);
    const copy = restoreDetector("default", JSON.parse(JSON.stringify(detector.toJSON())));
    for (const probe of [rows[1], [...rows[2].slice(0, -1), 4]]) assert.equal(copy.score(probe), detector.score(probe));
  });
});
