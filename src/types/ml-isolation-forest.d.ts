// ml-isolation-forest 0.1 ships no type declarations; this is the part of its API we use.
declare module "ml-isolation-forest" {
  export class IsolationForest {
    constructor(options?: { nEstimators?: number });
    train(trainingSet: number[][]): void;
    /** Scores in (0, 1]: 2^(−mean path length / c(n)); higher is more anomalous. */
    predict(data: number[][]): number[];
  }
}
