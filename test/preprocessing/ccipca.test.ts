import assert from "node:assert/strict";
import { Ccipca } from "../../src/preprocessing/ccipca";
import { SeededRandom } from "../../src/stats/seeded-random";

const DIMENSION = 10;

/**
 * Zero-mean Gaussian data in 10 dimensions with two dominant directions: x = 4·s1·e1 + 2·s2·e2
 * + 0.5·noise, s and noise standard normal (Box-Muller). The covariance's eigenvalues are
 * 16.25 (e1), 4.25 (e2) and 0.25 (eight times), its trace 22.5.
 */
function lowRankGaussian(seed: string) {
  const random = new SeededRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
  const basis: number[][] = [];
  while (basis.length < 3) {
    const v = Array.from({ length: DIMENSION }, gaussian);
    for (const b of basis) {
      const along = dot(v, b);
      for (let j = 0; j < DIMENSION; j++) v[j] -= along * b[j];
    }
    basis.push(v.map((x) => x / Math.sqrt(dot(v, v))));
  }
  const [e1, e2, e3] = basis;
  const sample = (first = e1, second = e2) => {
    const s1 = 4 * gaussian();
    const s2 = 2 * gaussian();
    return Array.from({ length: DIMENSION }, (_, j) => s1 * first[j] + s2 * second[j] + 0.5 * gaussian());
  };
  return { e1, e2, e3, sample };
}

function dot(a: readonly number[], b: readonly number[]): number {
  return a.reduce((sum, x, j) => sum + x * b[j], 0);
}

describe("Ccipca", () => {
  it("converges to the true principal directions and orders the eigenvalue estimates", () => {
    const { e1, e2, sample } = lowRankGaussian("directions");
    const pca = new Ccipca(DIMENSION, { components: 3 });
    for (let n = 0; n < 3000; n++) pca.learn(sample());
    const [v1, v2] = pca.directions();
    // Measured: |cos| 0.9996 for both; eigenvalues 15.2, 4.16, 0.256 against 16.25, 4.25, 0.25
    // (the amnesic average weights recent samples more, so it wanders more than a plain mean).
    assert.ok(Math.abs(dot(v1, e1)) > 0.95, `first component |cos| ${Math.abs(dot(v1, e1))}`);
    assert.ok(Math.abs(dot(v2, e2)) > 0.95, `second component |cos| ${Math.abs(dot(v2, e2))}`);
    const [l1, l2, l3] = pca.eigenvalues();
    assert.ok(l1 > l2 && l2 > l3, `eigenvalues in order: ${pca.eigenvalues().join(", ")}`);
    assert.ok(Math.abs(l1 - 16.25) < 0.2 * 16.25, `first eigenvalue ${l1}`);
    assert.ok(Math.abs(l2 - 4.25) < 0.2 * 4.25, `second eigenvalue ${l2}`);
    assert.ok(l3 < 0.5, `third eigenvalue ${l3}, noise is 0.25`);
    assert.ok(Math.abs(pca.totalVariance - 22.5) < 0.1 * 22.5, `total variance ${pca.totalVariance}`);
    const [r1, r2] = pca.explainedVarianceRatio();
    assert.ok(Math.abs(r1 + r2 - 20.5 / 22.5) < 0.05, `two components explain ${r1 + r2}`);
  });

  it("keeps its components orthonormal", () => {
    const { sample } = lowRankGaussian("orthogonal");
    const pca = new Ccipca(DIMENSION, { components: 4 });
    for (let n = 0; n < 2000; n++) pca.learn(sample());
    const directions = pca.directions();
    for (let i = 0; i < directions.length; i++) {
      assert.ok(Math.abs(dot(directions[i], directions[i]) - 1) < 1e-9);
      for (let j = i + 1; j < directions.length; j++) {
        assert.ok(Math.abs(dot(directions[i], directions[j])) < 0.1, `components ${i} and ${j}: cos ${dot(directions[i], directions[j])}`);
      }
    }
  });

  it("reconstructs points of the learned subspace closely and leaves an off-subspace outlier unexplained", () => {
    const { e1, e2, e3, sample } = lowRankGaussian("reconstruction");
    const pca = new Ccipca(DIMENSION, { components: 2 });
    for (let n = 0; n < 3000; n++) pca.learn(sample());
    const inside = e1.map((x, j) => 3 * x - 2 * e2[j]);
    const outlier = e3.map((x) => 3 * x);
    const near = pca.project(inside);
    const far = pca.project(outlier);
    // |inside|^2 = 13 and |outlier|^2 = 9; measured residuals 0.0019 and 8.99996.
    assert.ok(near.residual < 0.05, `in-subspace residual ${near.residual}`);
    assert.ok(far.residual > 8.5, `outlier residual ${far.residual}`);
    assert.ok(Math.abs(Math.abs(near.scores[0]) - 3) < 0.1 && Math.abs(Math.abs(near.scores[1]) - 2) < 0.1, `scores ${near.scores}`);
  });

  it("follows a change of the dominant direction thanks to the amnesic parameter", () => {
    const cosineAfterChange = (amnesia: number) => {
      const { e2, e3, sample } = lowRankGaussian("change");
      const pca = new Ccipca(DIMENSION, { components: 3, amnesia });
      for (let n = 0; n < 5000; n++) pca.learn(sample());
      for (let n = 0; n < 3000; n++) pca.learn(sample(e3, e2));
      return Math.abs(dot(pca.directions()[0], e3));
    };
    // Measured: 0.9999 with l = 2; a plain average (l = 0) still points elsewhere (0.003).
    assert.ok(cosineAfterChange(2) > 0.95, `l = 2: |cos| ${cosineAfterChange(2)}`);
    assert.ok(cosineAfterChange(0) < 0.5, `l = 0: |cos| ${cosineAfterChange(0)}`);
  });

  it("reports as eigenvalues the lengths of the vectors it holds, through a change that reorders its components", () => {
    const { e2, e3, sample } = lowRankGaussian("lengths");
    const pca = new Ccipca(DIMENSION, { components: 3 });
    const lengthsOfVectors = () => pca.toJSON().vectors.map((v) => Math.sqrt(dot(v, v)));
    let reorders = 0;
    let previous = pca.toJSON().vectors;
    for (let n = 0; n < 4000; n++) {
      pca.learn(n < 1000 ? sample() : sample(e3, e2));
      const vectors = pca.toJSON().vectors;
      // A reorder moves a vector to another place: the new first one is nearly the old second.
      if (n > 10 && Math.abs(dot(vectors[0], previous[1])) > Math.abs(dot(vectors[0], previous[0]))) reorders += 1;
      previous = vectors;
      if (n % 97 === 0 || n > 990) assert.deepEqual(pca.eigenvalues(), lengthsOfVectors(), `after ${n + 1} samples`);
    }
    assert.ok(reorders > 0, "the change of direction reordered the components");
  });

  it("continues identically after a JSON round trip", () => {
    const { sample } = lowRankGaussian("round-trip");
    const original = new Ccipca(DIMENSION, { components: 3, amnesia: 3 });
    for (let n = 0; n < 500; n++) original.learn(sample());
    const restored = Ccipca.fromJSON(JSON.parse(JSON.stringify(original)));
    for (let n = 0; n < 200; n++) {
      const x = sample();
      assert.deepEqual(restored.project(x), original.project(x));
      original.learn(x);
      restored.learn(x);
    }
    assert.deepEqual(restored.toJSON(), original.toJSON());
    assert.equal(restored.amnesia, 3);
  });

  it("stays finite on zero samples and waits for a non-zero one to start a component", () => {
    const pca = new Ccipca(3, { components: 2 });
    for (let n = 0; n < 5; n++) pca.learn([0, 0, 0]);
    assert.deepEqual(pca.eigenvalues(), [0, 0]);
    assert.deepEqual(pca.project([1, 2, 2]), { scores: [0, 0], residual: 9 });
    pca.learn([0, 3, 0]);
    assert.deepEqual(pca.directions()[0], [0, 1, 0]);
    assert.ok(pca.explainedVarianceRatio().every(Number.isFinite));
  });

  it("rejects a sample of the wrong length and impossible settings", () => {
    const pca = new Ccipca(3, { components: 5 });
    assert.equal(pca.components, 3, "no more components than dimensions");
    assert.throws(() => pca.learn([1, 2]), /expected 3 features, got 2/);
    assert.throws(() => new Ccipca(0, { components: 1 }), RangeError);
    assert.throws(() => new Ccipca(3, { components: 0 }), RangeError);
    assert.throws(() => new Ccipca(3, { components: 1, amnesia: -1 }), RangeError);
  });
});
