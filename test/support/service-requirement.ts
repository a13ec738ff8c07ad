/**
 * Tests that talk to a real service (InfluxDB, Mosquitto, Chromium) run it from its Debian
 * binary. On a developer's machine without the binary they are skipped with a visible reason; in
 * CI (`HONEYFLOW_REQUIRE_SERVICES=1`, set by .ci/run) a missing binary fails the suite instead,
 * so a broken install never passes as green.
 *
 *     before(function () { requireExecutable(this, "influxd"); });
 */
import * as fs from "node:fs";
import * as path from "node:path";

export const servicesRequired = process.env.HONEYFLOW_REQUIRE_SERVICES === "1";

/** The absolute path of `name` on PATH (or `name` itself when it is a path), or undefined. */
export function findExecutable(name: string): string | undefined {
  if (name.includes("/")) return isExecutable(name) ? name : undefined;
  const directories = (process.env.PATH ?? "").split(path.delimiter).concat(["/usr/sbin", "/sbin"]);
  for (const directory of directories) {
    const candidate = path.join(directory, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Skips the suite (or fails it in CI) unless `name` is installed; returns its path. */
export function requireExecutable(context: Mocha.Context, name: string): string {
  const found = findExecutable(name);
  if (found) return found;
  const reason = `${name} is not installed (apt-get install ${debianPackageOf(name)})`;
  if (servicesRequired) throw new Error(`${reason}; HONEYFLOW_REQUIRE_SERVICES=1 forbids skipping`);
  console.warn(`      skipped: ${reason}`);
  context.skip();
}

function debianPackageOf(executable: string): string {
  return { influxd: "influxdb", influx: "influxdb-client", mosquitto: "mosquitto" }[executable] ?? executable;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
