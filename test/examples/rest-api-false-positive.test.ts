import assert from "node:assert/strict";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import helper from "node-red-node-test-helper";
import { nodeRedRuntimeModule } from "../support/node-red-under-test";

helper.init(nodeRedRuntimeModule);

type RuntimeNode = NodeJS.EventEmitter & { receive(msg: object): void };
interface Answer { statusCode?: number; payload: { error?: string; detail?: string; marked?: object } }

/** The rest-api flow's own functions, as shipped: the one that remembers alerts and the one that marks a false positive. */
const shipped = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "examples", "rest-api.json"), "utf8")) as Array<Record<string, unknown>>;
const byId = (id: string) => shipped.find((n) => n.id === id) as Record<string, unknown>;
const functionNode = createRequire(nodeRedRuntimeModule)("@node-red/nodes/core/function/10-function.js") as (red: unknown) => void;

const heldBack = {
  schema: 5, id: "held-1", time: "2026-03-18T10:01:00.000Z", src_ip: "198.51.100.82", type: "brute-force", severity: "high", score: 0.99,
  count: 3, held_back: 3, first_seen: "2026-03-18T10:00:00.000Z", last_seen: "2026-03-18T10:00:40.000Z", top_features: [], sensor: "honeypot-1",
  summary: "rate limit: 3 brute-force alerts held back in 40 s from 3 sources; the first: 198.51.100.82: brute-force, 30 anomalous events",
};

describe("rest-api example: a false positive marked on a message of alerts the rate limit held back", function () {
  this.timeout(30_000);
  let answers: Answer[];
  let controls: object[];
  let mark: RuntimeNode;

  beforeEach(async () => {
    const flow = [
      { id: "tab", type: "tab", label: "rest-api" },
      { ...byId("honeyflow-api-remember-alert"), z: "tab", g: undefined, wires: [[]] },
      { ...byId("honeyflow-api-mark"), z: "tab", g: undefined, wires: [["answers"], ["controls"]] },
      { id: "answers", z: "tab", type: "helper" },
      { id: "controls", z: "tab", type: "helper" },
    ];
    await helper.load([functionNode], flow as unknown as Parameters<typeof helper.load>[1]);
    answers = [];
    controls = [];
    (helper.getNode("answers") as unknown as RuntimeNode).on("input", (msg: Answer) => answers.push(JSON.parse(JSON.stringify(msg)) as Answer));
    (helper.getNode("controls") as unknown as RuntimeNode).on("input", (msg: object) => controls.push(msg));
    (helper.getNode("honeyflow-api-remember-alert") as unknown as RuntimeNode).receive({ payload: heldBack });
    mark = helper.getNode("honeyflow-api-mark") as unknown as RuntimeNode;
  });

  afterEach(async () => {
    await helper.unload();
  });

  /** POSTs `body` to the update function as the http in node hands it over (raw bytes) and returns its answer. */
  async function update(body: object): Promise<Answer> {
    const before = answers.length;
    mark.receive({ payload: Buffer.from(JSON.stringify(body)) });
    const deadline = Date.now() + 5_000;
    while (answers.length === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    return answers[answers.length - 1];
  }

  it("refuses scope \"source\", said or by default: the message names only the first of the sources it speaks for", async () => {
    for (const body of [{ alert_id: "held-1", verdict: "false_positive", scope: "source" }, { alert_id: "held-1", verdict: "false_positive" }]) {
      const answer = await update(body);
      assert.equal(answer.statusCode, 400, JSON.stringify(answer));
      assert.equal(answer.payload.error, "held-back");
      assert.match(answer.payload.detail ?? "", /any-source/);
    }
    assert.deepEqual(controls, [], "nothing marked");
  });

  it("marks the attack type from every source with scope \"any-source\"", async () => {
    const answer = await update({ alert_id: "held-1", verdict: "false_positive", scope: "any-source" });
    assert.equal(answer.statusCode, undefined);
    assert.deepEqual(answer.payload, { marked: { type: "brute-force" } });
    assert.equal(controls.length, 1);
  });
});
