/**
 * The detectors a user can pick by name, in the editor and on the command line. `default` is
 * the rank ensemble of streaming ECOD, the online z-score and ECOD's most outlying feature: it
 * keeps the whole history, so it does not learn long anomalous runs as normal as readily as
 * windowed detectors do (the KDD99 http trap). `knn` adds the kNN distance in a reservoir
 * sample of the stream as a second view, which finds what no single feature shows, at several
 * times the cost per event on window features' vectors; `npm run bench` compares every
 * detector on the ODDS streams and the traps.
 *
 * ```ts
 * const detector = createDetector("default");
 * for (let i = 0; i < 100; i++) detector.learn([i % 10, i % 3]);
 * const saved = JSON.parse(JSON.stringify(detector));
 * assert.equal(restoreDetector("default", saved).score([9, 2]), detector.score([9, 2]));
 * ```
 */
import type { AnomalyDetector } from "./anomaly-detector";
import { HalfSpaceTrees } from "./half-space-trees";
import { MostOutlyingFeature } from "./most-outlying-feature";
import { OnlineZScore } from "./online-z-score";
import { RankEnsemble } from "./rank-ensemble";
import { ReservoirKnn, ReservoirKnnState } from "./reservoir-knn";
import { StreamingEcod } from "./streaming-ecod";
import { StreamingIsolationForest } from "./streaming-isolation-forest";

export const DETECTOR_NAMES = ["default", "knn", "ecod", "z-score", "half-space-trees", "isolation-forest"] as const;
export type DetectorName = (typeof DETECTOR_NAMES)[number];

/** The `knn` ensemble's members by view: ECOD, z-score and most outlying feature read one feature at a time; the kNN all at once. */
const KNN_VIEWS = { views: [0, 0, 0, 1] };

export function isDetectorName(name: string): name is DetectorName {
  return (DETECTOR_NAMES as readonly string[]).includes(name);
}

/** A detector of kind `name` from its `toJSON()`; the Isolation Forest retrains from its saved window. */
export function restoreDetector(name: DetectorName, state: unknown): AnomalyDetector {
  switch (name) {
    case "default": {
      // A model saved before the third view existed restores with it, its ranks warming up anew.
      const members = (state as { members: unknown[] }).members;
      const ecod = StreamingEcod.fromJSON(members[0] as never);
      return RankEnsemble.fromJSON(state, [ecod, OnlineZScore.fromJSON(members[1] as never), new MostOutlyingFeature(ecod)]);
    }
    case "knn": {
      const members = (state as { members: unknown[] }).members;
      const ecod = StreamingEcod.fromJSON(members[0] as never);
      const knn = ReservoirKnn.fromJSON(members[3] as ReservoirKnnState);
      return RankEnsemble.fromJSON(state, [ecod, OnlineZScore.fromJSON(members[1] as never), new MostOutlyingFeature(ecod), knn], KNN_VIEWS);
    }
    case "ecod":
      return StreamingEcod.fromJSON(state as never);
    case "z-score":
      return OnlineZScore.fromJSON(state as never);
    case "half-space-trees":
      return HalfSpaceTrees.fromJSON(state);
    case "isolation-forest":
      return StreamingIsolationForest.fromJSON(state);
  }
}

export function createDetector(name: DetectorName, seed: number | string = 42): AnomalyDetector {
  switch (name) {
    case "default": {
      const ecod = new StreamingEcod();
      return new RankEnsemble([ecod, new OnlineZScore(), new MostOutlyingFeature(ecod)]);
    }
    case "knn": {
      const ecod = new StreamingEcod();
      return new RankEnsemble([ecod, new OnlineZScore(), new MostOutlyingFeature(ecod), new ReservoirKnn()], KNN_VIEWS);
    }
    case "ecod":
      return new StreamingEcod();
    case "z-score":
      return new OnlineZScore();
    case "half-space-trees":
      return new HalfSpaceTrees({ seed });
    case "isolation-forest":
      return new StreamingIsolationForest({ seed });
  }
}
