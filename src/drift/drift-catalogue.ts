/**
 * The drift detectors a user can pick by name, in the drift node's editor and in code, with
 * their defaults: ADWIN (delta 0.002), Page-Hinkley (delta 0.005, threshold 50, alpha 0.9999)
 * and DDM (warning 2.0, drift 3.0, warm start 30), as SPEC's Detection section gives them.
 *
 * ```ts
 * const detector = createDriftDetector("page-hinkley", { threshold: 20 });
 * for (const x of [0.1, 0.2, 0.1]) detector.update(x);
 * const again = restoreDriftDetector("page-hinkley", JSON.parse(JSON.stringify(detector)));
 * assert.deepEqual(again.toJSON(), detector.toJSON());  // its options and where it was
 * ```
 */
import { Adwin, type AdwinOptions, type AdwinState } from "./adwin";
import { Ddm, type DdmOptions, type DdmState } from "./ddm";
import type { DriftDetector } from "./drift-detector";
import { PageHinkley, type PageHinkleyOptions, type PageHinkleyState } from "./page-hinkley";

export const DRIFT_DETECTOR_NAMES = ["adwin", "page-hinkley", "ddm"] as const;
export type DriftDetectorName = (typeof DRIFT_DETECTOR_NAMES)[number];
export type DriftDetectorOptions = Partial<AdwinOptions & PageHinkleyOptions & DdmOptions>;

export function isDriftDetectorName(name: unknown): name is DriftDetectorName {
  return (DRIFT_DETECTOR_NAMES as readonly unknown[]).includes(name);
}

/** A fresh detector of kind `name`; options it does not know are ignored, those left out take its defaults. Throws RangeError on a bad option. */
export function createDriftDetector(name: DriftDetectorName, options: DriftDetectorOptions = {}): DriftDetector {
  switch (name) {
    case "adwin":
      return new Adwin(pick(options, Object.keys(Adwin.defaults)));
    case "page-hinkley":
      return new PageHinkley(pick(options, Object.keys(PageHinkley.defaults)));
    case "ddm":
      return new Ddm(pick(options, Object.keys(Ddm.defaults)));
  }
}

/** A detector of kind `name` continued from its `toJSON()`. Throws TypeError when `state` is not one of its own. */
export function restoreDriftDetector(name: DriftDetectorName, state: unknown): DriftDetector {
  switch (name) {
    case "adwin":
      return Adwin.fromJSON(state as AdwinState);
    case "page-hinkley":
      return PageHinkley.fromJSON(state as PageHinkleyState);
    case "ddm":
      return Ddm.fromJSON(state as DdmState);
  }
}

function pick<T extends object>(options: T, names: string[]): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([key, value]) => names.includes(key) && value !== undefined)) as Partial<T>;
}
