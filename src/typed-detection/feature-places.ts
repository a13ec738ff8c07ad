/**
 * Where some named features sit in a vector's layout, worked out once per layout. Window
 * features sends the same layout with every event; Node-RED clones it into a new array on each
 * message, so layouts are compared by their names (`sameFeatureNames`), and the array last seen
 * is kept, so that the next look-up of the same message's array is a comparison of references.
 *
 * ```ts
 * const places = new FeaturePlaces(["failed_logins_1m", "downloads_5m"]);
 * assert.deepEqual(places.of(["events_30s", "failed_logins_30s", "failed_logins_1m"]), [2, -1]);  // -1: not in the layout
 * ```
 */
export class FeaturePlaces {
  private layout: { names: readonly string[]; places: number[] } | undefined;

  constructor(readonly features: readonly string[]) {}

  of(names: readonly string[]): number[] {
    const known = this.layout;
    if (known && sameFeatureNames(known.names, names)) {
      known.names = names;
      return known.places;
    }
    const places = this.features.map((feature) => names.indexOf(feature));
    this.layout = { names, places };
    return places;
  }
}

/** Whether two layouts name the same features in the same order: the same array, or equal ones. */
export function sameFeatureNames(a: readonly string[], b: readonly string[]): boolean {
  return a === b || (a.length === b.length && a.every((name, j) => name === b[j]));
}
