import { strict as assert } from "assert";
import { OnlineZScore } from "../../src/anomaly/online-z-score";
import { RankEnsemble } from "../../src/anomaly/rank-ensemble";
import { SeededRandom } from "../../src/stats/seeded-random";

/** A z-score that cannot score an event whose first value is not a number, as a member may fail on input it never expected. */
class ZScoreFailingOnNaN extends OnlineZScore {
  override score(x: readonly number[]): number {
    if (Number.isNaN(x[0])) throw new Error("not a number");
    return super.score(x);
  }
}

describe("RankEnsemble", () => {
  it("learns the members' scores of the event it learns, though another event it was asked to score in between failed", () => {
    const random = new SeededRandom("rank ensemble");
    const events = Array.from({ length: 300 }, () => [random.integer(0, 5), random.integer(0, 5)]);
    const ensembles = [0, 1].map(() => new RankEnsemble([new OnlineZScore(), new ZScoreFailingOnNaN()]));
    const [plain, interrupted] = ensembles;
    for (const x of events) {
      plain.score(x);
      plain.learn(x);
      interrupted.score(x);
      // An event the first member scores and the second cannot: nothing of it may be learned.
      assert.throws(() => interrupted.score([NaN, 1e6]));
      interrupted.learn(x);
    }
    assert.deepEqual(interrupted.toJSON(), plain.toJSON());
  });

  it("refuses to restore a suspect count that is no count: text or NaN would keep it from learning any suspect again", () => {
    const ensemble = new RankEnsemble([new OnlineZScore()]);
    for (let i = 0; i < 50; i++) ensemble.learn([i % 7]);
    const saved = JSON.parse(JSON.stringify(ensemble)) as Record<string, unknown>;
    for (const suspects of ["x", null, -1, 1.5]) {
      assert.throws(() => RankEnsemble.fromJSON({ ...saved, suspects }, [new OnlineZScore()]), RangeError, String(suspects));
    }
    assert.ok(RankEnsemble.fromJSON(saved, [new OnlineZScore()]));
  });
});
