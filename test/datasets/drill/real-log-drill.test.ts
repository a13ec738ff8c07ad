import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { drillAttacks } from "../../../src/datasets/drill/attack-drill";
import { ATTACK_TYPES } from "../../../src/domain/attack-types";
import { requireReferenceData } from "../../support/reference-data";
import { expectDrilledLog } from "./drilled-log-expectations";

// The real sensors of ../shared/data: an SSH one of 2026 (uuid, string durations) and a telnet
// one of 2020 (no uuid, float durations, protocol on connect only).
const REAL_LOGS = ["cowrie/sensor-aws-2026-03.json", "cowrie/telnet-home-2020-05.json"];

describe("drillAttacks on real sensors' logs", function () {
  this.timeout(60_000);
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-drill-real-"));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const relative of REAL_LOGS) {
    it(`${path.basename(relative)}: keeps every real line, labels every episode's lines, writes them in the log's style, the same for the same seed`, async function () {
      const real = requireReferenceData(this, relative);
      const drill = async (name: string) => {
        const file = path.join(dir, name);
        const { log } = await drillAttacks({ files: [real], out: fs.createWriteStream(file), seed: "11", episodes: 24, intensity: "mixed" });
        return { text: fs.readFileSync(file, "utf8"), labels: log.labels };
      };
      const first = await drill("a.json");
      assert.equal(first.labels.length, 24);
      for (const type of ATTACK_TYPES) assert.equal(first.labels.filter((l) => l.type === type).length, 4, type);
      expectDrilledLog(fs.readFileSync(real, "utf8"), first.text, first.labels);
      const again = await drill("b.json");
      assert.ok(again.text === first.text, "the same bytes for the same seed");
      assert.deepEqual(again.labels, first.labels);
    });
  }
});
