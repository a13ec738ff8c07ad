import assert from "node:assert/strict";
import { anomalyRunStream, TRAP_STREAMS } from "../../bench/anomaly-run-stream";
import { averagePrecision } from "../../src/metrics/average-precision";
import { createDetector, DETECTOR_NAMES, DetectorName } from "../../src/anomaly/detector-catalogue";
import { HalfSpaceTrees } from "../../src/anomaly/half-space-trees";
import { OnlineZScore } from "../../src/anomaly/online-z-score";
import { rocAuc } from "../../src/metrics/roc-auc";
import { SeededRandom } from "../../src/stats/seeded-random";
import { StreamingEcod } from "../../src/anomaly/streaming-ecod";

function prequentialScores(name: DetectorName, rows: number[][]): number[] {
  const detector = createDetector(name);
  return rows.map((x) => {
    const s = detector.score(x);
    detector.learn(x);
    return s;
  });
}

describe("ROC AUC and average precision", () => {
  it("match their definitions on hand-checked cases", () => {
    assert.equal(rocAuc([0.1, 0.9, 0.4], [0, 1, 0]), 1);
    assert.equal(rocAuc([0.9, 0.1, 0.4], [0, 1, 0]), 0);
    assert.equal(rocAuc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1]), 0.5);
    assert.equal(rocAuc([0.1, 0.4, 0.4, 0.8], [0, 1, 0, 1]), 0.875); // one tie among four pairs
    assert.equal(averagePrecision([0.1, 0.9, 0.4, 0.8], [0, 1, 0, 1]), 1);
    assert.equal(averagePrecision([0.9, 0.8, 0.7], [0, 1, 1]), (1 / 2 + 2 / 3) / 2);
  });
});

describe("streaming detectors", () => {
  const scattered = anomalyRunStream("scattered", 4000, (i) => i > 500 && i % 97 === 0);

  for (const name of DETECTOR_NAMES) {
    it(`${name}: scores in [0, 1], scoring does not learn, and scattered outliers rank high`, () => {
      const detector = createDetector(name);
      for (const x of scattered.rows.slice(0, 600)) detector.learn(x);
      const probe = scattered.rows[700];
      assert.equal(detector.score(probe), detector.score(probe), "a score is a pure function of the state");
      const scores = prequentialScores(name, scattered.rows);
      assert.ok(scores.every((s) => s >= 0 && s <= 1));
      const auc = rocAuc(scores, scattered.labels);
      assert.ok(auc > (name === "half-space-trees" ? 0.8 : 0.95), `${name} ROC AUC ${auc}`);
    });
  }

  for (const { name, make } of TRAP_STREAMS) {
    it(`default does not learn a long run of one attack as normal, and beats HST and the z-score: ${name}`, () => {
      // The KDD99-http trap: anomalies in contiguous runs, which a detector that learns them calls normal.
      const trap = make();
      const auc = (detector: DetectorName) => rocAuc(prequentialScores(detector, trap.rows), trap.labels);
      const [ensemble, hst, z] = [auc("default"), auc("half-space-trees"), auc("z-score")];
      assert.ok(ensemble > hst + 0.05 && ensemble > z, `default ${ensemble}, HST ${hst}, z-score ${z}`);
    });
  }

  it("Half-Space Trees fall into the trap", () => {
    const trap = TRAP_STREAMS[0].make();
    const hst = rocAuc(prequentialScores("half-space-trees", trap.rows), trap.labels);
    assert.ok(hst < 0.8, `HST ${hst}`);
  });

  it("Half-Space Trees follow River: no score during the first window, then mass profiles", () => {
    const hst = new HalfSpaceTrees({ windowSize: 50, seed: 1 });
    const random = new SeededRandom("hst");
    for (let i = 0; i < 49; i++) {
      const x = [random.next(), random.next()];
      assert.equal(hst.score(x), 0);
      hst.learn(x);
    }
    hst.learn([0.5, 0.5]);
    assert.ok(hst.score([0.5, 0.5]) > 0);
    assert.ok(hst.score([0.5, 0.5]) < hst.score([5, 5]), "a point outside the learned region scores higher");
  });

  it("explains a score feature by feature, and survives JSON", () => {
    const ecod = new StreamingEcod();
    const z = new OnlineZScore();
    for (const x of scattered.rows.slice(0, 500)) {
      ecod.learn(x);
      z.learn(x);
    }
    const outlier = [...scattered.rows[0]];
    outlier[3] = 30;
    for (const outlyingness of [ecod.featureOutlyingness(outlier), z.featureOutlyingness(outlier)]) {
      const top = outlyingness.indexOf(Math.max(...outlyingness));
      assert.equal(top, 3, "the feature that was pushed out is the most outlying");
    }
    const ecodCopy = StreamingEcod.fromJSON(JSON.parse(JSON.stringify(ecod.toJSON())));
    const zCopy = OnlineZScore.fromJSON(JSON.parse(JSON.stringify(z.toJSON())));
    assert.equal(ecodCopy.score(outlier), ecod.score(outlier));
    assert.equal(zCopy.score(outlier), z.score(outlier));
  });
});
