/**
 * Average precision: the mean, over anomalies, of the precision among everything scored at
 * least as high as that anomaly (the area under the precision-recall curve as scikit-learn's
 * `average_precision_score` computes it, tied scores taken as one threshold).
 *
 * ```ts
 * assert.equal(averagePrecision([0.1, 0.9, 0.4, 0.8], [0, 1, 0, 1]), 1);  // both positives ranked first
 * ```
 */
export function averagePrecision(scores: readonly number[], labels: readonly number[]): number {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const positives = labels.reduce<number>((sum, l) => sum + (l ? 1 : 0), 0);
  if (positives === 0) return NaN;
  let truePositives = 0;
  let seen = 0;
  let sum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    let newPositives = 0;
    while (j < order.length && scores[order[j]] === scores[order[i]]) {
      if (labels[order[j]]) newPositives += 1;
      j++;
    }
    seen += j - i;
    truePositives += newPositives;
    sum += (newPositives / positives) * (truePositives / seen);
    i = j;
  }
  return sum;
}
