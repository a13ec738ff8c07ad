/**
 * Candid covariance-free incremental principal component analysis (CCIPCA).
 *
 * Weng, Zhang & Hwang, "Candid Covariance-Free Incremental Principal Component Analysis",
 * IEEE TPAMI 25(8), 2003. Each component i keeps one vector v_i whose direction estimates the
 * i-th eigenvector of the covariance matrix and whose length estimates its eigenvalue; no
 * covariance matrix is ever formed, so an update costs O(k·d) time and the model O(k·d) memory.
 * For a zero-mean sample u (u_1 = u):
 *
 *     v_i(n) = (n - 1 - l)/n · v_i(n-1) + (1 + l)/n · u_i (u_i · v_i(n-1)) / |v_i(n-1)|
 *     u_{i+1} = u_i - (u_i · e_i) e_i,   with e_i = v_i(n) / |v_i(n)|
 *
 * The amnesic parameter l (the paper suggests 2 to 4) gives recent samples more weight than a
 * plain average would, so the estimate keeps up with a slowly changing stream. Deflating u
 * before the next component makes the components orthogonal without any Gram-Schmidt step.
 * Components are kept sorted by eigenvalue (see orderByEigenvalue).
 *
 * ```ts
 * const pca = new Ccipca(3, { components: 1 });
 * for (let t = 0; t < 500; t++) { const s = Math.sin(t); pca.learn([s, s, 0.01 * Math.cos(t)]); }
 * const [x, y, z] = pca.directions()[0].map(Math.abs);  // the sign of a direction is arbitrary
 * assert.ok(Math.abs(x - Math.SQRT1_2) < 0.01 && Math.abs(y - Math.SQRT1_2) < 0.01 && z < 0.01);
 * assert.ok(pca.project([1, 1, 0]).residual < 1e-6);    // the point lies on the first component
 * ```
 */

export interface CcipcaOptions {
  /** How many leading components to estimate, at most the dimension. */
  components: number;
  /** The amnesic parameter l (default 2). 0 gives the plain running average. */
  amnesia?: number;
}

export interface CcipcaState {
  dimension: number;
  amnesia: number;
  seen: number;
  totalVariance: number;
  /** The unnormalised v_i: direction is the eigenvector, length the eigenvalue estimate. */
  vectors: number[][];
  /** How many samples each component has learned from since it was initialised. */
  updates: number[];
}

export interface CcipcaProjection {
  /** The coordinates of the sample along each requested component. */
  scores: number[];
  /** Squared distance between the sample and its reconstruction from those components. */
  residual: number;
}

export class Ccipca {
  readonly dimension: number;
  readonly amnesia: number;
  private n = 0;
  private trace = 0;
  private vectors: Float64Array[];
  /**
   * |v_i|² of each vector as it stands, kept beside it: a learn step and a projection each
   * need every length several times (deflation, the ordering, the explained variance), and
   * recomputing the same dot product came to half of CCIPCA's time.
   */
  private squaredLengths: number[];
  private updates: number[];
  /** The working copy of the sample that learn and project deflate in place. */
  private readonly residual: Float64Array;

  constructor(dimension: number, options: CcipcaOptions) {
    if (!Number.isInteger(dimension) || dimension < 1) throw new RangeError(`dimension must be a positive integer, got ${dimension}`);
    if (!Number.isInteger(options.components) || options.components < 1) {
      throw new RangeError(`components must be a positive integer, got ${options.components}`);
    }
    this.dimension = dimension;
    this.amnesia = options.amnesia ?? 2;
    if (!(this.amnesia >= 0)) throw new RangeError(`amnesia must be >= 0, got ${this.amnesia}`);
    const k = Math.min(options.components, dimension);
    this.vectors = Array.from({ length: k }, () => new Float64Array(dimension));
    this.squaredLengths = new Array<number>(k).fill(0);
    this.updates = new Array<number>(k).fill(0);
    this.residual = new Float64Array(dimension);
  }

  /** How many components are estimated. */
  get components(): number {
    return this.vectors.length;
  }

  /** How many samples have been learned. */
  get seen(): number {
    return this.n;
  }

  /** Learns from one zero-mean sample (standardise first: CCIPCA does not centre). */
  learn(sample: readonly number[]): void {
    this.checkLength(sample);
    const u = this.residual;
    u.set(sample);
    this.n += 1;
    const l = this.amnesiaAt(this.n);
    this.trace = ((this.n - 1 - l) / this.n) * this.trace + ((1 + l) / this.n) * dot(u, u);
    for (let i = 0; i < this.vectors.length; i++) {
      const v = this.vectors[i];
      const length = Math.sqrt(this.squaredLengths[i]);
      if (length === 0) {
        // The paper initialises v_i with the i-th sample's residual; a component whose residual
        // was all zeros so far stays empty and takes the next non-zero one, never divides by 0.
        v.set(u);
        this.updates[i] = dot(u, u) > 0 ? 1 : 0;
      } else {
        const updates = ++this.updates[i];
        const vl = this.amnesiaAt(updates);
        const vKeep = (updates - 1 - vl) / updates;
        const along = (((1 + vl) / updates) * dot(u, v)) / length;
        for (let j = 0; j < v.length; j++) v[j] = vKeep * v[j] + along * u[j];
      }
      this.squaredLengths[i] = dot(v, v);
      deflate(u, v, this.squaredLengths[i]);
    }
    this.orderByEigenvalue();
  }

  /** Coordinates of `sample` on the first `k` components, and what those leave unexplained. */
  project(sample: readonly number[], k = this.vectors.length): CcipcaProjection {
    this.checkLength(sample);
    const u = this.residual;
    u.set(sample);
    const count = Math.min(k, this.vectors.length);
    const scores = new Array<number>(count);
    for (let i = 0; i < count; i++) scores[i] = deflate(u, this.vectors[i], this.squaredLengths[i]);
    return { scores, residual: dot(u, u) };
  }

  /** The estimated eigenvalues, |v_i|, in component order. */
  eigenvalues(): number[] {
    return this.squaredLengths.map((squared) => Math.sqrt(squared));
  }

  /** The estimated eigenvectors as unit vectors (all zeros for a component not yet initialised). */
  directions(): number[][] {
    return this.vectors.map((v) => {
      const length = Math.sqrt(dot(v, v));
      return Array.from(v, (x) => (length > 0 ? x / length : 0));
    });
  }

  /** The running total variance, E|u|^2, averaged with the same amnesic weights as the components. */
  get totalVariance(): number {
    return this.trace;
  }

  /** Each component's share of the total variance. */
  explainedVarianceRatio(): number[] {
    return this.eigenvalues().map((lambda) => (this.trace > 0 ? lambda / this.trace : 0));
  }

  toJSON(): CcipcaState {
    return {
      dimension: this.dimension,
      amnesia: this.amnesia,
      seen: this.n,
      totalVariance: this.trace,
      vectors: this.vectors.map((v) => Array.from(v)),
      updates: [...this.updates],
    };
  }

  static fromJSON(state: CcipcaState): Ccipca {
    const pca = new Ccipca(state.dimension, { components: state.vectors.length, amnesia: state.amnesia });
    if (pca.components !== state.vectors.length || state.updates.length !== state.vectors.length
      || state.vectors.some((v) => v.length !== state.dimension)) {
      throw new RangeError("inconsistent CCIPCA state");
    }
    pca.n = state.seen;
    pca.trace = state.totalVariance;
    pca.vectors = state.vectors.map((v) => Float64Array.from(v));
    pca.squaredLengths = pca.vectors.map((v) => dot(v, v));
    pca.updates = [...state.updates];
    return pca;
  }

  /**
   * The amnesic parameter in force at the n-th update, for the weights (n - 1 - l)/n and
   * (1 + l)/n of the old estimate and the new sample. The paper's formula assumes n > l + 1;
   * earlier the first weight would be negative and flip the estimate, so l grows in from 0
   * (a plain average) until it can take its value.
   */
  private amnesiaAt(n: number): number {
    return Math.min(this.amnesia, Math.max(0, n - 2));
  }

  /**
   * Keeps the components in decreasing order of eigenvalue, a step the paper does not need for
   * a stationary stream. When the dominant direction changes, the new one grows in a later
   * component while the old one decays, and left alone they would stay out of order for
   * thousands of samples; the first k components must be the k largest for the projections,
   * the explained variance and a variance target to mean anything.
   */
  private orderByEigenvalue(): void {
    const lengths = this.squaredLengths;
    for (let i = 1; i < this.vectors.length; i++) {
      for (let j = i; j > 0 && lengths[j] > lengths[j - 1]; j--) {
        [lengths[j], lengths[j - 1]] = [lengths[j - 1], lengths[j]];
        [this.vectors[j], this.vectors[j - 1]] = [this.vectors[j - 1], this.vectors[j]];
        [this.updates[j], this.updates[j - 1]] = [this.updates[j - 1], this.updates[j]];
      }
    }
  }

  private checkLength(sample: readonly number[]): void {
    if (sample.length !== this.dimension) throw new RangeError(`expected ${this.dimension} features, got ${sample.length}`);
  }
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let j = 0; j < a.length; j++) sum += a[j] * b[j];
  return sum;
}

/** Removes from `u`, in place, its component along `v` (of squared length `squaredLength`), and returns that component's length. */
function deflate(u: Float64Array, v: Float64Array, squaredLength: number): number {
  const length = Math.sqrt(squaredLength);
  if (length === 0) return 0;
  const score = dot(u, v) / length;
  for (let j = 0; j < u.length; j++) u[j] -= (score * v[j]) / length;
  return score;
}
