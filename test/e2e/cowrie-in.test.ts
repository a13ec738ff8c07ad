import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { startNodeRed, waitFor, type FlowNode, type NodeRedRuntime } from "../support/node-red-runtime";
import { RotatingLogWriter, tallySequences } from "../support/rotating-log-writer";

const tab = "cowrie-in-e2e";

/**
 * A function node that appends `expression` (evaluated on msg) to `file` synchronously: a line
 * is on disk the moment the message is delivered, so what is collected is exactly what
 * `cowrie in` emitted, whatever happens to asynchronous writers when the runtime stops.
 */
function syncCollector(id: string, file: string, expression: string, x: number, y: number): FlowNode {
  return {
    id, type: "function", z: tab, name: `collect ${path.basename(file)}`,
    func: `fs.appendFileSync(${JSON.stringify(file)}, JSON.stringify(${expression}) + "\\n");\nreturn null;`,
    outputs: 0, noerr: 0, initialize: "", finalize: "", libs: [{ var: "fs", module: "fs" }], x, y, wires: [],
  };
}

function countLines(file: string): number {
  if (!fs.existsSync(file)) return 0;
  const data = fs.readFileSync(file);
  let count = 0;
  for (let at = data.indexOf(10); at !== -1; at = data.indexOf(10, at + 1)) count++;
  return count;
}

const readLines = (file: string) => fs.readFileSync(file, "utf8").split("\n").filter(Boolean);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("cowrie in, end to end in a Node-RED runtime", function () {
  this.timeout(300_000);
  let runtime: NodeRedRuntime;
  let logDir: string;
  let out: { events: string; rejects: string; fuzzEvents: string; fuzzRejects: string; fuzzStatus: string };

  before(async function () {
    runtime = await startNodeRed({ settings: { functionExternalModules: true } });
    logDir = path.join(runtime.userDir, "cowrie-log");
    fs.mkdirSync(logDir);
    const collected = (name: string) => path.join(runtime.userDir, name);
    out = {
      events: collected("events.jsonl"), rejects: collected("rejects.jsonl"),
      fuzzEvents: collected("fuzz-events.jsonl"), fuzzRejects: collected("fuzz-rejects.jsonl"),
      fuzzStatus: collected("fuzz-status.jsonl"),
    };
    const tail = (id: string, file: string, wires: string[][], y: number): FlowNode => ({
      id, type: "honeyflow-cowrie-in", z: tab, name: "", mode: "tail", path: path.join(logDir, file), startAt: "beginning",
      resume: true, speed: "1", autoStart: true, maxLineBytes: "1048576", pollSeconds: "0.2", x: 150, y, wires,
    });
    await runtime.deploy([
      { id: tab, type: "tab", label: "cowrie in end to end" },
      tail("live", "cowrie.json", [["collect-events"], ["collect-rejects"]], 60),
      syncCollector("collect-events", out.events, "msg.payload", 400, 40),
      syncCollector("collect-rejects", out.rejects, "{reason: msg.reason, source: msg.source}", 400, 80),
      tail("fuzz", "fuzz.json", [["collect-fuzz-events"], ["collect-fuzz-rejects"]], 160),
      syncCollector("collect-fuzz-events", out.fuzzEvents, "msg.payload", 400, 140),
      syncCollector("collect-fuzz-rejects", out.fuzzRejects, "{reason: msg.reason, bytes: msg.bytes}", 400, 180),
      { id: "fuzz-status", type: "status", z: tab, name: "", scope: ["fuzz"], x: 150, y: 240, wires: [["collect-fuzz-status"]] },
      syncCollector("collect-fuzz-status", out.fuzzStatus, "msg.status", 400, 240),
    ]);
  });

  afterEach(function () {
    if (this.currentTest?.state === "failed") console.log(runtime.logTail(60));
  });

  after(async function () {
    await runtime?.dispose();
  });

  it("reads 100k+ lines through 12 rotations of both kinds and a restart: each event once", async function () {
    const writer = new RotatingLogWriter(path.join(logDir, "cowrie.json"));
    const rotations = 12;
    const perFile = 8_000;
    const batch = 400;
    let renames = 0;
    let truncations = 0;
    for (let file = 0; file <= rotations; file++) {
      const firstLineOfFile = writer.written;
      for (let written = 0; written < perFile; written += batch) {
        // The last batch before a rotation ends in half a line: its rest goes to the next file.
        writer.append(batch, written + batch >= perFile && file < rotations);
        await sleep(2);
      }
      if (file === rotations) break;
      // The tail reaches each file before the next rotation, as it does live, where rotation is daily.
      await waitFor(() => countLines(out.events) > firstLineOfFile, 30_000, `the tail reaching file ${file}`);
      if (file === 6) {
        // Node-RED goes down mid-stream; the sensor keeps writing and rotates meanwhile.
        await runtime.stop();
        writer.append(1_500, true);
        writer.renameRotation();
        renames++;
        const firstLineAfterDowntime = writer.written;
        writer.append(1_500);
        await runtime.start();
        await waitFor(() => countLines(out.events) > firstLineAfterDowntime, 30_000, "the tail reaching the file begun while it was down");
      }
      if (file % 2 === 0) {
        writer.renameRotation();
        renames++;
      } else {
        writer.copyTruncate();
        truncations++;
      }
    }
    writer.flush();
    await waitFor(() => countLines(out.events) >= writer.written, Number(process.env.HONEYFLOW_E2E_WAIT_MS ?? 120_000),
      `all ${writer.written} events (have ${countLines(out.events)})`);
    await sleep(500); // anything emitted twice would arrive now
    assert.ok(writer.written >= 100_000, `wrote ${writer.written} lines`);
    assert.ok(renames >= 5 && truncations >= 5, `${renames} renames, ${truncations} copytruncates`);
    const tally = tallySequences(readLines(out.events));
    assert.equal(tally.duplicates.length, 0, `duplicates: ${tally.duplicates.slice(0, 10).join(", ")}`);
    assert.equal(tally.distinct, writer.written);
    assert.equal(countLines(out.rejects), 0, fs.existsSync(out.rejects) ? readLines(out.rejects).slice(0, 3).join("\n") : "");
  });

  it("accounts for 10,000 fuzzed malformed lines and keeps running", async function () {
    let seed = 20261124;
    const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    const valid = new RotatingLogWriter("unused", 40).line(0).trimEnd();
    const mutations: Array<() => string> = [
      () => valid.slice(0, 1 + Math.floor(random() * (valid.length - 2))), // torn line
      () => Array.from({ length: 1 + Math.floor(random() * 300) }, () => String.fromCharCode(1 + Math.floor(random() * 254))).join("").replace(/\n/g, "?"),
      () => `[${valid}]`,
      () => String(Math.floor(random() * 1e9)),
      () => valid.replace('"seq":', '"seq":,'),
      () => `${valid.slice(0, -1)},"x":"\u0000\u001b[31m<script>alert(1)</script>`,
    ];
    const lines: string[] = [];
    while (lines.length < 9_997) {
      const line = mutations[Math.floor(random() * mutations.length)]();
      let isEvent = false;
      try {
        const parsed: unknown = JSON.parse(line);
        isEvent = parsed !== null && typeof parsed === "object" && !Array.isArray(parsed);
      } catch {
        isEvent = false;
      }
      if (!isEvent && line.trim() !== "") lines.push(line);
    }
    const huge = `{"eventid":"cowrie.command.input","input":"${"A".repeat(2 * 1024 * 1024)}"}`;
    const fuzzFile = path.join(logDir, "fuzz.json");
    for (let i = 0; i < lines.length; i += 1000) fs.appendFileSync(fuzzFile, lines.slice(i, i + 1000).join("\n") + "\n");
    fs.appendFileSync(fuzzFile, `${huge}\n${huge}\n${huge}\n`);
    fs.appendFileSync(fuzzFile, `${valid}\n`);

    await waitFor(() => countLines(out.fuzzRejects) >= 10_000 && countLines(out.fuzzEvents) >= 1, 60_000,
      `10,000 rejects and the valid line (have ${countLines(out.fuzzRejects)} rejects)`);
    const rejects = readLines(out.fuzzRejects).map((l) => JSON.parse(l) as { reason: string; bytes: number });
    assert.equal(rejects.length, 10_000);
    assert.equal(rejects.filter((r) => r.reason === "line-too-long").length, 3);
    assert.ok(rejects.every((r) => ["malformed-json", "not-an-object", "line-too-long"].includes(r.reason)));
    assert.deepEqual(readLines(out.fuzzEvents).map((l) => (JSON.parse(l) as { seq: number }).seq), [0]);
    await waitFor(() => readLines(out.fuzzStatus).some((l) => /1 events · 10,000 rejected/.test(l)), 10_000,
      "the status to show the counts from the real message catalog");
  });
});
