/**
 * Area under the ROC curve: the probability that a random anomaly scores above a random normal
 * event, ties counting half (the Mann-Whitney U statistic, Hanley & McNeil 1982).
 *
 * ```ts
 * assert.equal(rocAuc([0.1, 0.9, 0.4], [0, 1, 0]), 1);
 * ```
 */
export function rocAuc(scores: readonly number[], labels: readonly number[]): number {
  const order = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let positiveRankSum = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j < order.length && scores[order[j]] === scores[order[i]]) j++;
    const midRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (labels[order[k]]) {
        positives += 1;
        positiveRankSum += midRank;
      }
    }
    i = j;
  }
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
