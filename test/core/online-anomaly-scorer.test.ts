import assert from "node:assert/strict";
import { OnlineAnomalyScorer } from "../../src/core/online-anomaly-scorer";
import { SeededRandom } from "../../src/core/seeded-random";

describe("OnlineAnomalyScorer", () => {
  const names = ["failed_logins_30s", "hour_sin", "commands_30s"];
  /** Ordinary traffic, then one event far out on both the failed logins and the hour. */
  function explainOutlier(scorer: OnlineAnomalyScorer): string[] {
    const random = new SeededRandom("scorer");
    for (let i = 0; i < 2000; i++) scorer.process([random.integer(0, 3), 0.1 + random.next() / 100, random.integer(0, 2)], names.slice());
    const detection = scorer.process([40, 5, 1], names.slice());
    assert.equal(detection.anomaly, true);
    return (detection.explanation?.top_features ?? []).map((f) => f.name);
  }

  it("does not score the hour and weekday by default, and does when told to score everything", () => {
    const threshold = { warmUp: 200, quantile: 0.99 };
    assert.deepEqual(explainOutlier(new OnlineAnomalyScorer({ detector: "default", threshold })), ["failed_logins_30s"]);
    assert.ok(explainOutlier(new OnlineAnomalyScorer({ detector: "default", threshold, ignoreFeatures: "" })).includes("hour_sin"));
  });

  it("survives JSON with the same scores", () => {
    const scorer = new OnlineAnomalyScorer({ detector: "default", threshold: { warmUp: 10 } });
    const random = new SeededRandom("json");
    for (let i = 0; i < 300; i++) scorer.process([random.integer(0, 5), random.next(), random.integer(0, 2)], names);
    const copy = OnlineAnomalyScorer.fromJSON(JSON.parse(JSON.stringify(scorer.toJSON())));
    assert.deepEqual(copy.process([40, 0.5, 1], names), scorer.process([40, 0.5, 1], names));
  });
});
