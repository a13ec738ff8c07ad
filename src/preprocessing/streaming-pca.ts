/**
 * The `pca` stage: running standardisation (RunningStandardizer) followed by incremental PCA
 * (Ccipca, Weng, Zhang & Hwang 2003), scored prequentially - each vector is projected with the
 * model as it stood before that vector, then learned - so the reconstruction error is an honest
 * out-of-sample anomaly score and never flatters a vector by having seen it.
 *
 * The number of components is either fixed or the smallest that explains a share of the
 * variance. In the second case it is chosen once, when warm-up ends, and then held: the online
 * detector downstream learns over a fixed-length vector and would start over on every change.
 *
 * ```ts
 * const pca = new StreamingPca({ components: 1, warmUp: 50, log1p: false });
 * for (let t = 0; t < 200; t++) pca.update([t % 7, 2 * (t % 7), 3]);
 * const usual = pca.update([3, 6, 3]);
 * assert.ok(usual.warm && usual.vector.length === 1 && usual.reconstruction_error < 1e-9);
 * assert.ok(pca.update([6, 0, 3]).reconstruction_error > 4);  // breaks the learned 1:2 relation
 * ```
 */
import { Ccipca, type CcipcaState } from "./ccipca";
import { RunningStandardizer, type RunningStandardizerState } from "./running-standardizer";

export interface StreamingPcaSettings {
  /** Fixed k; with a variance target, the most components it may choose. */
  components: number;
  /** When set (0 < target <= 1), the smallest k whose components explain this share of the variance. */
  varianceTarget: number | null;
  /** CCIPCA's amnesic parameter l. */
  amnesia: number;
  /** sign(x)·ln(1 + |x|) before standardising. */
  log1p: boolean;
  /** Vectors learned before outputs are marked warm. */
  warmUp: number;
}

export interface PcaOutput {
  /** The k projections of the standardised vector. */
  vector: number[];
  /** Squared distance between the standardised vector and its reconstruction from k components. */
  reconstruction_error: number;
  /** Each of the k components' share of the total standardised variance. */
  explained_variance: number[];
  /** False while the model is still warming up: the other fields are not yet trustworthy. */
  warm: boolean;
}

/** Why a vector cannot be used, in terms a flow author can act on. */
export type PcaInputProblem =
  | { reason: "empty" }
  | { reason: "not-a-number"; index: number; value: string }
  | { reason: "too-large"; index: number; value: string }
  | { reason: "names-length"; names: number; features: number }
  | { reason: "dimension"; expected: number; got: number }
  | { reason: "names"; index: number; expected: string; got: string };

export interface StreamingPcaState {
  version: 1;
  settings: StreamingPcaSettings;
  names: string[] | null;
  chosenComponents: number | null;
  standardizer: RunningStandardizerState;
  pca: CcipcaState | null;
}

/**
 * Standardised values beyond ±5 are clipped before CCIPCA learns from them. One update moves a
 * component by (1 + l)/n · |u|², so a single first-ever value of a rare feature (z in the
 * thousands, see RunningStandardizer's epsilon) would otherwise swing the leading component onto
 * that feature. Projections and the reconstruction error use the unclipped values, so the outlier
 * still scores high. For Gaussian data |z| > 5 has probability 6e-7: clean data is untouched.
 */
const LEARNING_CLIP = 5;
/**
 * The largest magnitude a feature may have. Without log1p the standardiser squares each value's
 * deviation: one near Number.MAX_VALUE makes the feature's variance Infinity for good, and from
 * then on the feature standardises to 0 and drops out of every projection. Counts and rates stay
 * far below this bound.
 */
const LARGEST_VALUE = 1e100;

const DEFAULTS: StreamingPcaSettings = { components: 3, varianceTarget: null, amnesia: 2, log1p: true, warmUp: 100 };

export class StreamingPca {
  readonly settings: StreamingPcaSettings;
  private standardizer: RunningStandardizer;
  private pca: Ccipca | null = null;
  private names: string[] | null = null;
  private chosenComponents: number | null = null;

  constructor(settings: Partial<StreamingPcaSettings> = {}) {
    this.settings = { ...DEFAULTS, ...settings };
    const { components, varianceTarget, amnesia, warmUp } = this.settings;
    if (!Number.isInteger(components) || components < 1) throw new RangeError(`components must be a positive integer, got ${components}`);
    if (varianceTarget !== null && !(varianceTarget > 0 && varianceTarget <= 1)) {
      throw new RangeError(`varianceTarget must be in (0, 1], got ${varianceTarget}`);
    }
    if (!(amnesia >= 0)) throw new RangeError(`amnesia must be >= 0, got ${amnesia}`);
    if (!Number.isInteger(warmUp) || warmUp < 0) throw new RangeError(`warmUp must be a non-negative integer, got ${warmUp}`);
    this.standardizer = new RunningStandardizer({ log1p: this.settings.log1p });
  }

  /** How many vectors the model has learned. */
  get seen(): number {
    return this.standardizer.count;
  }

  /** The learned vector length; 0 before the first vector. */
  get dimension(): number {
    return this.pca?.dimension ?? 0;
  }

  /** True once the warm-up is over and every component has been initialised. */
  get warm(): boolean {
    // CCIPCA starts at the third vector (see update) and initialises one component per vector.
    return this.pca !== null && this.seen >= Math.max(this.settings.warmUp, this.pca.components + 2);
  }

  /** What is wrong with `vector` (and its feature `names`, if given) for this model, if anything. */
  problemWith(vector: readonly unknown[], names?: readonly string[]): PcaInputProblem | undefined {
    if (vector.length === 0) return { reason: "empty" };
    // Plain loops: this runs on every vector, and the callbacks of findIndex cost more than the checks.
    for (let j = 0; j < vector.length; j++) {
      const x = vector[j];
      if (typeof x !== "number" || !Number.isFinite(x)) return { reason: "not-a-number", index: j, value: String(x) };
      if (Math.abs(x) > LARGEST_VALUE) return { reason: "too-large", index: j, value: String(x) };
    }
    if (names && names.length !== vector.length) return { reason: "names-length", names: names.length, features: vector.length };
    if (this.pca && vector.length !== this.pca.dimension) return { reason: "dimension", expected: this.pca.dimension, got: vector.length };
    const known = this.names;
    if (names && known) {
      for (let j = 0; j < names.length; j++) {
        if (names[j] !== known[j]) return { reason: "names", index: j, expected: known[j], got: names[j] };
      }
    }
    return undefined;
  }

  /** Scores `vector` with the model as it is, then learns from it. Throws on a vector `problemWith` rejects. */
  update(vector: readonly number[], names?: readonly string[]): PcaOutput {
    const problem = this.problemWith(vector, names);
    if (problem) throw new RangeError(`unusable vector: ${JSON.stringify(problem)}`);
    this.pca ??= new Ccipca(vector.length, { components: this.settings.components, amnesia: this.settings.amnesia });
    if (names && !this.names) this.names = [...names];

    const warm = this.warm;
    const learnedBefore = this.standardizer.count;
    const z = this.standardizer.transformThenLearn(vector);
    const k = this.componentsToUse(warm);
    const { scores, residual } = this.pca.project(z, k);
    const output: PcaOutput = {
      vector: scores,
      reconstruction_error: residual,
      explained_variance: this.pca.explainedVarianceRatio().slice(0, k),
      warm,
    };

    // A vector standardised with fewer than two before it carries no direction (no variance
    // yet): CCIPCA would take it as a component and, along a feature that never varies again,
    // could never turn away from it, since updates only add u·(u·v) and u·v stays 0 there.
    if (learnedBefore >= 2) this.pca.learn(z.map((value) => Math.max(-LEARNING_CLIP, Math.min(LEARNING_CLIP, value))));
    return output;
  }

  /** Forgets everything learned, keeping the settings. */
  reset(): void {
    this.standardizer = new RunningStandardizer({ log1p: this.settings.log1p });
    this.pca = null;
    this.names = null;
    this.chosenComponents = null;
  }

  toJSON(): StreamingPcaState {
    return {
      version: 1,
      settings: { ...this.settings },
      names: this.names && [...this.names],
      chosenComponents: this.chosenComponents,
      standardizer: this.standardizer.toJSON(),
      pca: this.pca?.toJSON() ?? null,
    };
  }

  /**
   * The model saved in `state`, or undefined when it was built with other `settings` (a
   * model trained with another k or without log1p cannot continue as this one) or is not a
   * saved model at all.
   */
  static fromJSON(state: unknown, settings: Partial<StreamingPcaSettings> = {}): StreamingPca | undefined {
    const model = new StreamingPca(settings);
    const saved = state as Partial<StreamingPcaState> | null;
    const sameSettings = (Object.keys(DEFAULTS) as Array<keyof StreamingPcaSettings>)
      .every((key) => saved?.settings?.[key] === model.settings[key]);
    if (saved?.version !== 1 || !saved.standardizer || !sameSettings) return undefined;
    try {
      model.standardizer = RunningStandardizer.fromJSON(saved.standardizer);
      model.pca = saved.pca ? Ccipca.fromJSON(saved.pca) : null;
    } catch {
      return undefined;
    }
    if (model.pca && model.pca.dimension !== model.standardizer.dimension && model.standardizer.count > 0) return undefined;
    if (!allFinite(saved.standardizer) || (saved.pca && !allFinite(saved.pca))) return undefined;
    const names = saved.names ?? null;
    const dimension = model.pca?.dimension ?? model.standardizer.dimension;
    if (names !== null && !(Array.isArray(names) && names.length === dimension && names.every((name) => typeof name === "string"))) return undefined;
    model.names = names;
    const chosen = saved.chosenComponents ?? null;
    // A count of components outside 1..components would make every projection throw.
    if (chosen !== null && !(Number.isInteger(chosen) && chosen >= 1 && chosen <= model.settings.components)) return undefined;
    model.chosenComponents = chosen;
    return model;
  }

  private componentsToUse(warm: boolean): number {
    const pca = this.pca as Ccipca;
    if (this.settings.varianceTarget === null) return pca.components;
    if (this.chosenComponents !== null) return this.chosenComponents;
    let k = 0;
    let explained = 0;
    for (const share of pca.explainedVarianceRatio()) {
      k += 1;
      explained += share;
      if (explained >= this.settings.varianceTarget) break;
    }
    if (warm) this.chosenComponents = k;
    return k;
  }
}

/**
 * Whether every number in a saved part of the model is finite: JSON writes NaN and Infinity as
 * null, and a hand-edited file may hold anything, and either would make every later output NaN.
 */
function allFinite(value: unknown): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(allFinite);
  if (typeof value === "object" && value !== null) return Object.values(value).every(allFinite);
  return typeof value === "boolean";
}
