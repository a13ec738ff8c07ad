/**
 * Where some named features sit in a vector's layout, worked out once per layout. Window
 * features sends the same layout with every event (Node-RED clones it into a new array on each
 * message, so layouts are compared by their names).
 *
 *     const places = new FeaturePlaces(["failed_logins_1m"]);
 *     places.of(names);  // [3], or [-1] where the layout lacks the feature
 */
export class FeaturePlaces {
  private layout: { names: readonly string[]; places: number[] } | undefined;

  constructor(readonly features: readonly string[]) {}

  of(names: readonly string[]): number[] {
    const known = this.layout;
    if (known && (known.names === names || (known.names.length === names.length && known.names.every((name, j) => name === names[j])))) return known.places;
    const places = this.features.map((feature) => names.indexOf(feature));
    this.layout = { names, places };
    return places;
  }
}
