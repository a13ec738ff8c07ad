/**
 * Reference data beside the project (`../shared/data`, see its README): real Cowrie logs and
 * benchmark streams. `npm test` must pass on a fresh machine without it, so a test that reads it
 * skips with a visible reason when it is absent; CI always has it (`CI` set), and there a missing
 * file fails the suite instead of passing as green.
 *
 *     before(function () { log = requireReferenceData(this, "cowrie/telnet-home-2020-05.json"); });
 */
import * as fs from "node:fs";
import * as path from "node:path";

export const referenceDataDirectory = path.resolve(__dirname, "..", "..", "..", "shared", "data");

/** The absolute path of `relative` under ../shared/data; skips the suite (fails it in CI) when absent. */
export function requireReferenceData(context: Mocha.Context, relative: string): string {
  const file = path.join(referenceDataDirectory, relative);
  if (fs.existsSync(file)) return file;
  const reason = `${file} is absent (reference data, see ../shared/data/README.md)`;
  if (process.env.CI) throw new Error(`${reason}; CI forbids skipping`);
  console.warn(`      skipped: ${reason}`);
  context.skip();
}
