/**
 * The detector's settings as `score` and `eval` take them on the command line: which detector,
 * the adaptive threshold's quantile and its warm-up. One place for their names, defaults and
 * checks, so that a back-test and its evaluation are configured alike.
 */
import { AdaptiveThreshold } from "../scoring/adaptive-threshold";
import { DETECTION_NAMES, type DetectionName, isDetectionName } from "../scoring/online-anomaly-scorer";
import { UsageError } from "./usage-error";

/** Spread into a command's parseArgs options. */
export const DETECTOR_OPTIONS = {
  detector: { type: "string", default: "default" },
  quantile: { type: "string", default: String(AdaptiveThreshold.DEFAULTS.quantile) },
  "warm-up": { type: "string", default: String(AdaptiveThreshold.DEFAULTS.warmUp) },
  "alerts-per-day": { type: "string", default: "2" },
} as const;

export const DETECTOR_OPTIONS_USAGE = `  --detector NAME    ${DETECTION_NAMES.join(" | ")} (default: default;
                     rules: the fixed rules a SOC writes by hand, no model)
  --alerts-per-day B background alerts a sensor may raise a day from typed detection (default ${DETECTOR_OPTIONS["alerts-per-day"].default})
  --quantile Q       adaptive threshold quantile (default ${DETECTOR_OPTIONS.quantile.default})
  --warm-up N        events before anything is called anomalous (default ${DETECTOR_OPTIONS["warm-up"].default})
`;

export interface DetectorSettings {
  detector: DetectionName;
  quantile: number;
  warmUp: number;
  alertsPerDay: number;
}

/** The parsed options' detector settings; a UsageError names the one that is off. */
export function detectorSettings(values: { detector?: string; quantile?: string; "warm-up"?: string; "alerts-per-day"?: string }): DetectorSettings {
  const detector = values.detector ?? DETECTOR_OPTIONS.detector.default;
  const quantile = Number(values.quantile ?? DETECTOR_OPTIONS.quantile.default);
  const warmUp = Number(values["warm-up"] ?? DETECTOR_OPTIONS["warm-up"].default);
  const alertsPerDay = Number(values["alerts-per-day"] ?? DETECTOR_OPTIONS["alerts-per-day"].default);
  if (!isDetectionName(detector)) throw new UsageError(`unknown detector '${detector}'`);
  if (!(alertsPerDay > 0) || !Number.isFinite(alertsPerDay)) throw new UsageError(`--alerts-per-day must be a number above 0, not '${values["alerts-per-day"]}'`);
  if (!(quantile > 0 && quantile < 1)) throw new UsageError(`--quantile must lie strictly between 0 and 1, not '${values.quantile}'`);
  if (!(warmUp >= 0)) throw new UsageError(`--warm-up must be a number of events, not '${values["warm-up"]}'`);
  return { detector, quantile, warmUp, alertsPerDay };
}
