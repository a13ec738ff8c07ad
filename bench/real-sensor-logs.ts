/**
 * The real sensors in a folder such as ../shared/data/cowrie, as `honeyflow drill` reads them: a
 * log file (`.json` or `.jsonl`, gzipped too), or a directory holding one sensor's rotated files.
 * Labels left beside a drilled log (`X.json.labels.json`) and notes are no sensors.
 *
 *     realSensorLogs("../shared/data/cowrie");  // [{ name: "sensor-aws-2026-03", file: ".../sensor-aws-2026-03.json" }, ...]
 */
import * as fs from "node:fs";
import * as path from "node:path";

const LOG_FILE = /\.jsonl?(\.gz)?$/i;
const LABELS = /\.labels\.json$/i;

export interface RealSensorLog {
  /** The file's or directory's name without its log extensions: what the bench calls the sensor. */
  name: string;
  file: string;
}

export function realSensorLogs(dir: string): RealSensorLog[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() || (entry.isFile() && LOG_FILE.test(entry.name) && !LABELS.test(entry.name)))
    .map((entry) => ({ name: entry.isDirectory() ? entry.name : entry.name.replace(LOG_FILE, ""), file: path.join(dir, entry.name) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
