/**
 * Precision, recall and F1 of binary decisions against labels (1 = anomaly).
 *
 * ```ts
 * assert.deepEqual(precisionRecallF1([true, true, false], [1, 0, 1]), { precision: 0.5, recall: 0.5, f1: 0.5 });
 * ```
 */
export function precisionRecallF1(flags: readonly boolean[], labels: readonly number[]): { precision: number; recall: number; f1: number } {
  let truePositives = 0;
  let flagged = 0;
  let positives = 0;
  for (let i = 0; i < flags.length; i++) {
    if (flags[i]) flagged++;
    if (labels[i]) positives++;
    if (flags[i] && labels[i]) truePositives++;
  }
  const precision = flagged === 0 ? 0 : truePositives / flagged;
  const recall = positives === 0 ? 0 : truePositives / positives;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}
