/**
 * Why an event is anomalous: its most outlying features, each with its value and the range
 * that is usual for it, and the attack type those features point to.
 */
import type { AnomalyDetector } from "../anomaly/anomaly-detector";
import { attackTypeOf } from "./attack-type-of";
import type { AttackType } from "../domain/attack-types";

export interface FeatureContribution {
  name: string;
  value: number;
  /** Usual range learned so far (e.g. 5th-95th percentile), when the detector knows one. */
  usual?: [number, number];
  /** How unusual the value is on its own (detector units: −log tail probability, or |z|). */
  outlyingness: number;
}

export interface AnomalyExplanation {
  top_features: FeatureContribution[];
  attack_type: AttackType;
}

/** `among`, if given, limits the explanation to those feature indexes (e.g. the sensor-wide ones). */
export function explainAnomaly(
  detector: AnomalyDetector, x: readonly number[], names: readonly string[], topK = 3, among?: readonly number[],
): AnomalyExplanation {
  const outlyingness = detector.featureOutlyingness(x) ?? [];
  const ranked = outlyingness
    .map((value, j) => ({ j, value }))
    .filter(({ j, value }) => value > 0 && (!among || among.includes(j)))
    .sort((a, b) => b.value - a.value)
    .slice(0, topK);
  const top_features = ranked.map(({ j, value }) => {
    const usual = detector.usualRange(j);
    return { name: names[j] ?? `f${j}`, value: x[j], outlyingness: value, ...(usual ? { usual } : {}) };
  });
  return { top_features, attack_type: attackTypeOf(top_features.map((f) => f.name)) };
}
