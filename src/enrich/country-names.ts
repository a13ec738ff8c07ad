/**
 * English country names for ISO 3166-1 alpha-2 codes, from the ICU data Node ships
 * (`Intl.DisplayNames`): no table of our own to fall out of date, and no network.
 *
 * ```ts
 * assert.equal(countryName("NL"), "Netherlands");
 * assert.equal(countryName("ZZ"), null);  // not a country ICU knows
 * ```
 */
const names = new Map<string, string | null>();
let displayNames: Intl.DisplayNames | undefined;

export function countryName(code: string): string | null {
  let name = names.get(code);
  if (name === undefined) {
    displayNames ??= new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });
    try {
      name = /^[A-Z]{2}$/.test(code) ? (displayNames.of(code) ?? null) : null;
    } catch {
      name = null;
    }
    // ICU names "ZZ" (unknown region) and the like; a code with no name of its own is not a country.
    if (name === "Unknown Region") name = null;
    if (names.size < 1024) names.set(code, name);
  }
  return name;
}
