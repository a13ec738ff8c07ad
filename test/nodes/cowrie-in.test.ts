import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import helper from "node-red-node-test-helper";
import cowrieInNode from "../../nodes/cowrie-in/cowrie-in";
import { RotatingLogWriter, tallySequences } from "../support/rotating-log-writer";
import { nodeRedRuntimeModule } from "../support/node-red-under-test";
import { freshUserDirEachTest } from "../support/node-red-user-dir";

helper.init(nodeRedRuntimeModule);

type Msg = Record<string, unknown> & { payload: unknown };
/** A node in the helper's runtime: it emits `input` and the helper's `call:<method>` spies. */
type RuntimeNode = NodeJS.EventEmitter & { receive(msg: object): void };
const nodeById = (id: string) => helper.getNode(id) as unknown as RuntimeNode;

/** Deploys `cowrie in` wired to two helper nodes and collects what each output sends. */
async function deploy(config: Record<string, unknown>) {
  const flow = [
    { id: "in", type: "honeyflow-cowrie-in", name: "cowrie", wires: [["events"], ["rejects"]], ...config },
    { id: "events", type: "helper" },
    { id: "rejects", type: "helper" },
  ];
  await helper.load(cowrieInNode, flow);
  const events: Msg[] = [];
  const rejects: Msg[] = [];
  nodeById("events").on("input", (msg: Msg) => events.push(msg));
  nodeById("rejects").on("input", (msg: Msg) => rejects.push(msg));
  return { node: nodeById("in"), events, rejects };
}

async function until(condition: () => boolean, what: string, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const event = (n: number) => ({ eventid: "cowrie.login.failed", src_ip: "203.0.113.7", session: "a1b2c3d4e5f6", n });

describe("cowrie in (honeyflow-cowrie-in)", function () {
  const userDir = freshUserDirEachTest("honeyflow-cowrie-in-");

  describe("input messages", () => {
    it("turns lines into events with the eventid as topic and keeps the message's other properties", async () => {
      const { node, events, rejects } = await deploy({ mode: "input" });
      node.receive({ payload: `${JSON.stringify(event(1))}\n${JSON.stringify(event(2))}\r\n`, ip: "10.0.0.5" });
      await until(() => events.length === 2, "two events");
      assert.deepEqual(events[0].payload, event(1));
      assert.equal(events[1].topic, "cowrie.login.failed");
      assert.equal(events[1].ip, "10.0.0.5");
      assert.equal(rejects.length, 0);
    });

    it("accepts a Buffer and an already parsed object the same way", async () => {
      const { node, events } = await deploy({ mode: "input" });
      node.receive({ payload: Buffer.from(JSON.stringify(event(1))) });
      node.receive({ payload: event(2) });
      await until(() => events.length === 2, "two events");
      assert.deepEqual(events.map((m) => m.payload), [event(1), event(2)]);
    });

    it("sends malformed lines, non-objects and oversize lines to the second output with a reason", async () => {
      const { node, events, rejects } = await deploy({ mode: "input", maxLineBytes: "100" });
      node.receive({ payload: '{"eventid": "cowrie.session.connect", "src_ip": "1.2.3.' });
      node.receive({ payload: "[1,2,3]" });
      node.receive({ payload: 42 });
      node.receive({ payload: JSON.stringify({ eventid: "x", input: "A".repeat(200) }) });
      node.receive({ payload: JSON.stringify(event(9)) });
      await until(() => rejects.length === 4 && events.length === 1, "four rejects and an event");
      assert.deepEqual(rejects.map((m) => m.reason), ["malformed-json", "not-an-object", "not-an-object", "line-too-long"]);
      assert.equal(rejects[0].payload, '{"eventid": "cowrie.session.connect", "src_ip": "1.2.3.');
      assert.match(String(rejects[3].detail), /exceeds the limit of 100/);
    });

    it("accounts for 10,000 fuzzed malformed lines and keeps working", async () => {
      const { node, events, rejects } = await deploy({ mode: "input" });
      let seed = 7;
      const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
      const valid = JSON.stringify(event(0));
      let expectedEvents = 0;
      for (let i = 0; i < 10000; i++) {
        // Truncate, corrupt or bit-flip a valid line; a few mutations stay valid JSON objects.
        const cut = valid.slice(0, Math.floor(random() * valid.length));
        const at = Math.floor(random() * valid.length);
        const mutated = [cut, valid.slice(0, at) + String.fromCharCode(Math.floor(random() * 128)) + valid.slice(at + 1),
          `\u0000${valid}`, `${valid}}`, "{}"][i % 5].replace(/\n/g, " ");
        try {
          const parsed: unknown = JSON.parse(mutated);
          if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) expectedEvents++;
        } catch {
          // malformed, as intended
        }
        node.receive({ payload: mutated });
      }
      node.receive({ payload: valid });
      await until(() => events.length + rejects.length >= 10001, "every line accounted for");
      assert.equal(events.length, expectedEvents + 1);
      assert.equal(events.length + rejects.length, 10001);
      assert.deepEqual(events[events.length - 1].payload, event(0), "the node still works after the fuzz");
    });

    it("refuses a mode it does not know (\"magic\") with an error naming it, rather than quietly wait for input", async () => {
      const { node, events } = await deploy({ mode: "magic" });
      const errors: unknown[] = [];
      node.on("call:error", (call: { args: unknown[] }) => errors.push(call.args[0]));
      node.receive({ payload: event(1) });
      await until(() => errors.some((e) => e instanceof Error), "the message refused");
      assert.ok(errors.every((e) => /cowrie-in\.error\.mode/.test(String(e))), String(errors));
      assert.equal(events.length, 0);
    });

    it("stays in the flow when a hand-edited flow gives the path as a number, a list or an object", async () => {
      for (const path of [5, ["cowrie.json"], { file: "cowrie.json" }]) {
        const { node, events } = await deploy({ mode: "input", path });
        assert.ok(helper.getNode("in"), `deployed with ${JSON.stringify(path)}`);
        node.receive({ payload: event(1) });
        await until(() => events.length === 1, "an event");
        await helper.unload();
      }
    });

    it("takes a line limit below one byte (0.5) as the default, rather than refuse every line as too long", async () => {
      const { node, events, rejects } = await deploy({ mode: "input", maxLineBytes: "0.5" });
      node.receive({ payload: JSON.stringify(event(1)) });
      await until(() => events.length + rejects.length === 1, "an answer");
      assert.equal(events.length, 1, String(rejects[0]?.reason));
    });

    it("reports an unknown control with done(err) and keeps working", async () => {
      const { node, events } = await deploy({ mode: "input" });
      const errors: unknown[] = [];
      node.on("call:error", (call: { args: unknown[] }) => errors.push(call.args[0]));
      node.receive({ control: "explode" });
      node.receive({ payload: event(1) });
      await until(() => errors.length === 1 && events.length === 1, "an error and an event");
      // The helper's RED._ returns message keys; the real catalog's text is checked end to end.
      assert.match(String(errors[0]), /cowrie-in\.error\.control/);
    });
  });

  describe("tail", () => {
    it("emits each line with its file, byte offset and line number, following a rotation", async () => {
      const file = path.join(userDir(), "cowrie.json");
      const writer = new RotatingLogWriter(file, 30);
      writer.append(3);
      const { events } = await deploy({ mode: "tail", path: file, startAt: "beginning", resume: true, pollSeconds: "0.05" });
      await until(() => events.length === 3, "three events");
      assert.deepEqual(events[1].source, { file, offset: writer.line(0).length, line: 2 });
      writer.append(2, true);
      writer.renameRotation();
      writer.append(2);
      await until(() => events.length === 7, "seven events");
      const tally = tallySequences(events.map((m) => JSON.stringify(m.payload)));
      assert.deepEqual(tally, { distinct: 7, duplicates: [] });
    });

    it("starts at the end when asked, and resumes from the saved position after a redeploy", async () => {
      const file = path.join(userDir(), "cowrie.json");
      const writer = new RotatingLogWriter(file, 30);
      writer.append(5);
      const config = { mode: "tail", path: file, startAt: "end", resume: true, pollSeconds: "0.05" };
      let run = await deploy(config);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(run.events.length, 0, "lines already there are not emitted when starting at the end");
      writer.append(4, true);
      await until(() => run.events.length === 3, "the new complete lines");
      const seen = run.events.map((m) => JSON.stringify(m.payload));
      await helper.unload();
      assert.ok(fs.existsSync(path.join(userDir(), "honeyflow", "cowrie-in", "in.json")), "position saved on close");
      writer.append(3);
      run = await deploy(config);
      await until(() => run.events.length >= 4, "the split line and the lines written while stopped");
      await new Promise((r) => setTimeout(r, 200)); // a line read twice would arrive by now
      const tally = tallySequences([...seen, ...run.events.map((m) => JSON.stringify(m.payload))]);
      assert.deepEqual(tally, { distinct: 7, duplicates: [] });
    });

    it("warns and goes on tailing when its position cannot be saved, rather than bring the runtime down", async () => {
      const file = path.join(userDir(), "cowrie.json");
      const writer = new RotatingLogWriter(file, 30);
      writer.append(2);
      // Where the positions are kept is not writable (here a file stands where their folder goes).
      fs.writeFileSync(path.join(userDir(), "honeyflow"), "");
      const { node, events } = await deploy({ mode: "tail", path: file, startAt: "beginning", resume: true, pollSeconds: "0.05" });
      const warnings: string[] = [];
      node.on("call:warn", (call: { args: unknown[] }) => warnings.push(String(call.args[0])));
      await until(() => events.length === 2, "the two lines");
      await until(() => warnings.some((w) => /cowrie-in\.warn\.positionNotSaved/.test(w)), "a warning that the position was not saved");
      writer.append(1);
      await until(() => events.length === 3, "a line written after the failed save");
    });

    it("says in its status and in the log why the log cannot be read, and tails it once it can", async () => {
      const file = path.join(userDir(), "cowrie.json");
      fs.mkdirSync(file); // a volume mounted wrong: a directory where the log should be
      const { node, events } = await deploy({ mode: "tail", path: file, startAt: "beginning", resume: true, pollSeconds: "0.05" });
      const warnings: string[] = [];
      node.on("call:warn", (call: { args: unknown[] }) => warnings.push(String(call.args[0])));
      const statuses: Array<{ text: string }> = [];
      node.on("call:status", (call: { args: Array<{ text: string }> }) => statuses.push(call.args[0]));
      await until(() => warnings.some((w) => /cowrie-in\.warn\.unreadable/.test(w)), "a warning in the log");
      await until(() => statuses.some((s) => s.text === "cowrie-in.status.error"), "a red status");
      fs.rmdirSync(file);
      new RotatingLogWriter(file).append(2);
      await until(() => events.length === 2, "the log's lines once it is a file");
    });

    it("tails, as the editor shows it, in a flow written without a mode", async () => {
      const file = path.join(userDir(), "cowrie.json");
      new RotatingLogWriter(file).append(2);
      const { events } = await deploy({ path: file, startAt: "beginning", resume: false, pollSeconds: "0.05" });
      await until(() => events.length === 2, "the file's two lines");
    });

    it("waits for a missing file and shows it in the status", async () => {
      const file = path.join(userDir(), "later", "cowrie.json");
      const { node, events } = await deploy({ mode: "tail", path: file, startAt: "end", resume: true, pollSeconds: "0.05" });
      const statuses: Array<{ fill: string; text: string }> = [];
      node.on("call:status", (call: { args: Array<{ fill: string; text: string }> }) => statuses.push(call.args[0]));
      await until(() => statuses.some((s) => s.text === "cowrie-in.status.tailing"), "a tailing status");
      fs.mkdirSync(path.dirname(file));
      new RotatingLogWriter(file).append(2);
      await until(() => events.length === 2, "the lines of the new file");
    });
    it("warns when a truncation's copy is gone before it was read, and shows the lines it knows it missed", async () => {
      const file = path.join(userDir(), "cowrie.json");
      const writer = new RotatingLogWriter(file, 30);
      writer.append(3, true);
      const { node, events, rejects } = await deploy({ mode: "tail", path: file, startAt: "beginning", resume: false, pollSeconds: "0.05" });
      const warnings: string[] = [];
      const statuses: Array<{ fill: string; text: string }> = [];
      node.on("call:warn", (call: { args: unknown[] }) => warnings.push(String(call.args[0])));
      node.on("call:status", (call: { args: Array<{ fill: string; text: string }> }) => statuses.push(call.args[0]));
      await until(() => events.length === 2, "the two complete lines");
      fs.rmSync(writer.copyTruncate()); // logrotate's copy removed before the tail could read it
      writer.append(2); // the rest of the third line, then two more
      await until(() => events.length === 4 && rejects.length === 1, "the lines of the emptied file");
      // The helper's RED._ returns message keys; the catalog's text is checked end to end.
      await until(() => warnings.some((w) => /cowrie-in\.warn\.rotationMissed/.test(w)), "a warning about the rotation");
      await until(() => statuses.some((s) => s.text === "cowrie-in.status.tailingMissed" && s.fill === "yellow"), "a status with the missed lines");
      assert.deepEqual(events.map((m) => (m.payload as { seq: number }).seq), [0, 1, 3, 4]);
      assert.equal(rejects[0].reason, "malformed-json", "the third line's orphaned rest, not glued to the next line");
    });

    it("tails the file an environment variable names, as the bundled flows' ${HONEYFLOW_COWRIE_LOG} does", async () => {
      const file = path.join(userDir(), "from-env.json");
      new RotatingLogWriter(file).append(3);
      process.env.HONEYFLOW_TEST_COWRIE_LOG = file;
      try {
        const { events } = await deploy({ mode: "tail", path: "${HONEYFLOW_TEST_COWRIE_LOG}", startAt: "beginning", resume: false, pollSeconds: "0.05" });
        await until(() => events.length === 3, "the three lines of the file the variable names");
      } finally {
        delete process.env.HONEYFLOW_TEST_COWRIE_LOG;
      }
    });
  });

  describe("replay", () => {
    it("replays a directory of rotated files, gzipped ones too, in time order", async () => {
      const logs = path.join(userDir(), "logs");
      fs.mkdirSync(logs);
      const writer = new RotatingLogWriter(path.join(logs, "cowrie.json"), 10);
      writer.append(5);
      const oldest = writer.renameRotation();
      fs.writeFileSync(`${oldest}.gz`, zlib.gzipSync(fs.readFileSync(oldest)));
      fs.rmSync(oldest);
      writer.append(5);
      fs.renameSync(path.join(logs, "cowrie.json"), path.join(logs, "cowrie.json.1")); // logrotate numbering
      writer.append(5);
      const { events } = await deploy({ mode: "replay", path: logs, speed: "0", autoStart: true });
      await until(() => events.length === 15, "fifteen events");
      assert.deepEqual(events.map((m) => (m.payload as { seq: number }).seq), [...Array(15).keys()]);
    });

    it("replays each file's last line when it has no newline, on its own, and numbers lines past blank ones", async () => {
      const logs = path.join(userDir(), "logs");
      fs.mkdirSync(logs);
      const writer = new RotatingLogWriter(path.join(logs, "cowrie.json"), 10);
      const lines = Array.from({ length: 7 }, (_, seq) => writer.line(seq));
      fs.writeFileSync(path.join(logs, "cowrie.json.1"), `${lines[0]}\n${lines[1]}${lines[2]}${lines[3].trimEnd()}`);
      fs.writeFileSync(path.join(logs, "cowrie.json"), `${lines[4]}${lines[5]}${lines[6].trimEnd()}`);
      const { events, rejects } = await deploy({ mode: "replay", path: logs, speed: "0", autoStart: true });
      await until(() => events.length + rejects.length === 7, "seven lines");
      assert.deepEqual(rejects.map((m) => m.payload), []);
      assert.deepEqual(events.map((m) => (m.payload as { seq: number }).seq), [...Array(7).keys()]);
      assert.deepEqual(events.map((m) => (m.source as { line: number }).line), [1, 3, 4, 5, 1, 2, 3]);
    });

    it("refuses a control named after what every object has (toString, constructor) as an unknown control", async () => {
      const file = path.join(userDir(), "cowrie.json");
      new RotatingLogWriter(file, 10).append(3);
      const { node, events } = await deploy({ mode: "replay", path: file, speed: "0", autoStart: false });
      const errors: unknown[] = [];
      node.on("call:error", (call: { args: unknown[] }) => errors.push(call.args[0]));
      node.receive({ control: "toString" });
      node.receive({ control: "constructor" });
      // Messages are handled in order: once this event is out, both controls have been answered.
      node.receive({ payload: event(1) });
      await until(() => events.length === 1, "the event after the controls");
      assert.equal(errors.length, 2, errors.join(" | "));
      for (const error of errors) assert.match(String(error), /cowrie-in\.error\.control/);
    });

    it("paces by the events' timestamps and obeys pause, resume and stop", async () => {
      const file = path.join(userDir(), "cowrie.json");
      const writer = new RotatingLogWriter(file, 10); // events 250 ms apart
      writer.append(40);
      const { node, events } = await deploy({ mode: "replay", path: file, speed: "5", autoStart: false });
      node.receive({ control: "start" });
      await until(() => events.length >= 3, "a few events");
      node.receive({ control: "pause" });
      await new Promise((r) => setTimeout(r, 150));
      const whilePaused = events.length;
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(events.length, whilePaused, "nothing is sent while paused");
      assert.ok(events.length < 40, "pacing spreads 10 s of events over 2 s");
      node.receive({ control: "resume" });
      await until(() => events.length > whilePaused, "events after resume");
      node.receive({ control: "stop" });
      await new Promise((r) => setTimeout(r, 300));
      const afterStop = events.length;
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(events.length, afterStop, "nothing is sent after stop");
    });
  });
});
