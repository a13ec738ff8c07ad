import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { realSensorLogs } from "../../bench/real-sensor-logs";

describe("realSensorLogs: the real sensors bench:detection drills", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-real-sensors-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("takes a log file, gzipped or not, and a directory of a sensor's rotated files, each as one sensor named without its extensions", () => {
    fs.writeFileSync(path.join(dir, "aws-2026.json"), "{}\n");
    fs.writeFileSync(path.join(dir, "ssh-2017.json.gz"), zlib.gzipSync("{}\n"));
    fs.writeFileSync(path.join(dir, "lines.jsonl"), "{}\n");
    fs.mkdirSync(path.join(dir, "ssh-2018"));
    fs.writeFileSync(path.join(dir, "ssh-2018", "cowrie.json.2018-01-01"), "{}\n");
    fs.writeFileSync(path.join(dir, "README.md"), "# notes\n");
    fs.writeFileSync(path.join(dir, "aws-2026.json.labels.json"), "[]\n");
    assert.deepEqual(realSensorLogs(dir).map(({ name, file }) => [name, path.basename(file)]), [
      ["aws-2026", "aws-2026.json"], ["lines", "lines.jsonl"], ["ssh-2017", "ssh-2017.json.gz"], ["ssh-2018", "ssh-2018"],
    ]);
  });

  it("finds none where the folder is absent", () => {
    assert.deepEqual(realSensorLogs(path.join(dir, "absent")), []);
  });
});
