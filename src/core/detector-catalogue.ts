/**
 * The detectors a user can pick by name, in the editor and on the command line. `default` is
 * the rank ensemble of streaming ECOD and the online z-score: on Statlog Shuttle in stream
 * order it beats Half-Space Trees, the z-score and the Isolation Forest alone, and keeping the
 * whole history it does not learn long anomalous runs as normal (the KDD99 http trap).
 */
import type { AnomalyDetector } from "./anomaly-detector";
import { HalfSpaceTrees } from "./half-space-trees";
import { OnlineZScore } from "./online-z-score";
import { RankEnsemble } from "./rank-ensemble";
import { StreamingEcod } from "./streaming-ecod";
import { StreamingIsolationForest } from "./streaming-isolation-forest";

export const DETECTOR_NAMES = ["default", "ecod", "z-score", "half-space-trees", "isolation-forest"] as const;
export type DetectorName = (typeof DETECTOR_NAMES)[number];

export function isDetectorName(name: string): name is DetectorName {
  return (DETECTOR_NAMES as readonly string[]).includes(name);
}

/** A detector of kind `name` from its `toJSON()`; the Isolation Forest retrains from its saved window. */
export function restoreDetector(name: DetectorName, state: unknown): AnomalyDetector {
  switch (name) {
    case "default": {
      const members = (state as { members: unknown[] }).members;
      return RankEnsemble.fromJSON(state, [StreamingEcod.fromJSON(members[0] as never), OnlineZScore.fromJSON(members[1] as never)]);
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
    case "default":
      return new RankEnsemble([new StreamingEcod(), new OnlineZScore()]);
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
