import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Writable } from "node:stream";
import { writeDrilledLog } from "../../../src/datasets/drill/drilled-log-writer";
import type { DrilledEpisode } from "../../../src/datasets/drill/drill-episodes";
import { epochMsToCowrieTimestamp } from "../../../src/ingest/cowrie-timestamp";

describe("writeDrilledLog", () => {
  it("waits for a slow output with one drain listener at a time, and writes every line", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-drilled-writer-"));
    try {
      const real = path.join(dir, "real.json");
      const startMs = Date.UTC(2026, 2, 18);
      fs.writeFileSync(real, Array.from({ length: 50 }, (_, i) => JSON.stringify({ eventid: "cowrie.session.connect", timestamp: epochMsToCowrieTimestamp(startMs + i * 1000) })).join("\n") + "\n");
      // Three MiB of an episode after the real log's end: written after its replay is over, several chunks in a row.
      const padding = "x".repeat(1000);
      const lines = Array.from({ length: 3000 }, (_, i) => {
        const timestamp = epochMsToCowrieTimestamp(startMs + 60_000 + i);
        return { timeUs: (startMs + 60_000 + i) * 1000, timestamp, line: JSON.stringify({ eventid: "cowrie.session.connect", src_ip: "198.51.100.7", timestamp, padding }) };
      });
      const episode: DrilledEpisode = { type: "traffic-spike", intensity: "high", srcIps: ["198.51.100.7"], lines };
      let written = "";
      let mostDrainListeners = 0;
      const slow: Writable = new Writable({
        highWaterMark: 1024,
        write(chunk: Buffer, _encoding, callback) {
          written += chunk.toString();
          mostDrainListeners = Math.max(mostDrainListeners, slow.listenerCount("drain"));
          setTimeout(callback, 5);
        },
      });
      const log = await writeDrilledLog([real], [episode], slow);
      assert.equal(log.lines, 3050);
      assert.equal(written.split("\n").length - 1, 3050);
      // finished() listens for the stream's end, not for drain; the writer adds at most one.
      assert.ok(mostDrainListeners <= 1, `${mostDrainListeners} drain listeners at once`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
