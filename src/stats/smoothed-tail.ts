/**
 * The share of n earlier observations at or beyond a value, when `atOrBeyond` of them are,
 * smoothed as (k + 1) / (n + 2) (Laplace's rule of succession): a value beyond everything seen
 * so far is rare, not impossible, so its −log stays finite and grows with the evidence n.
 * Streaming ECOD's per-feature tails, the rank ensemble's member tails and the adaptive
 * threshold's p-values all use it.
 *
 * ```ts
 * assert.equal(smoothedTail(0, 998), 0.001);    // beyond all of 998 earlier values
 * assert.equal(smoothedTail(998, 998), 0.999);  // every earlier value lies at or beyond it
 * ```
 */
export function smoothedTail(atOrBeyond: number, n: number): number {
  return (atOrBeyond + 1) / (n + 2);
}
