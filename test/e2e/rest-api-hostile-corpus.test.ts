import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startNodeRed, type FlowNode, type NodeRedRuntime } from "../support/node-red-runtime";
import { hostileCorpus, type HostileCorpus } from "../support/hostile-corpus";

const restApiFlow = path.join(__dirname, "..", "..", "examples", "rest-api.json");
/** Every request must be answered within this; an unanswered one holds a socket an attacker can exhaust. */
const ANSWER_WITHIN_MS = 10_000;

/**
 * The hostile corpus (test/support/hostile-corpus.ts) against the bundled rest-api flow, deployed as
 * shipped: tailed as the live sensor log, and each of its lines POSTed to /honeyflow/predict by
 * whoever can reach the API. Every request is answered, in JSON, in time: a verdict for an event,
 * a 400 with the reason for anything else; and the live log's events are all counted.
 */
describe("rest-api: the hostile corpus, as the live log and as posted bodies", function () {
  this.timeout(180_000);
  let runtime: NodeRedRuntime;
  let dir: string;
  let corpus: HostileCorpus;

  before(async function () {
    corpus = hostileCorpus({ seed: "rest", validLines: 400, longLines: 2 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-rest-hostile-"));
    const log = path.join(dir, "cowrie.json");
    fs.writeFileSync(log, `${corpus.text}\n`);
    runtime = await startNodeRed({ env: { HONEYFLOW_COWRIE_LOG: log } });
    await runtime.deploy(JSON.parse(fs.readFileSync(restApiFlow, "utf8")) as FlowNode[]);
  });

  after(async function () {
    await runtime?.dispose();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("counts every event of the live log, however hostile the lines around them", async function () {
    const events = corpus.lines.filter((line) => line.kind === "event").length;
    await runtime.waitFor(async () => {
      const response = await fetch(`${runtime.url}/honeyflow/health`, { signal: AbortSignal.timeout(ANSWER_WITHIN_MS) });
      return ((await response.json()) as { events: number }).events === events;
    }, 60_000, `all ${events} events of the corpus counted`);
  });

  it("answers every posted line within the bound, in JSON: a verdict for an event, a 400 with a reason for the rest", async function () {
    const posted = corpus.lines.filter((line) => line.kind !== "blank");
    const answers: Array<{ what: string; status: number }> = [];
    for (const line of posted) {
      const response = await fetch(`${runtime.url}/honeyflow/predict`, {
        method: "POST", headers: { "content-type": "application/json" }, body: line.text, signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
      });
      const text = await response.text();
      assert.match(response.headers.get("content-type") ?? "", /^application\/json/, `${line.what}: ${response.status} ${text.slice(0, 200)}`);
      const body = JSON.parse(text) as { error?: unknown; anomaly?: unknown };
      if (response.status === 200) assert.equal(typeof body.anomaly, "boolean", `${line.what}: ${text.slice(0, 200)}`);
      else assert.ok(response.status === 400 || response.status === 413, `${line.what}: ${response.status}`);
      if (response.status !== 200) assert.equal(typeof body.error, "string", `${line.what}: ${text.slice(0, 200)}`);
      answers.push({ what: `${line.kind} ${line.reason ?? ""} ${line.what}`, status: response.status });
    }
    const verdicts = answers.filter((answer) => answer.status === 200).length;
    // The API refuses what cowrie in refuses: over 1 MiB (413), nested too deep (400).
    assert.ok(answers.some((answer) => answer.status === 413) && answers.some((answer) => /nested-too-deep/.test(answer.what) && answer.status === 400));
    const surprises = answers.filter((answer, i) => (answer.status === 200) !== (posted[i].kind === "event"));
    assert.equal(verdicts, corpus.lines.filter((line) => line.kind === "event").length, `every event got a verdict, and only events: ${JSON.stringify(surprises)}`);
    // Still answering after all of that.
    const health = await fetch(`${runtime.url}/honeyflow/health`, { signal: AbortSignal.timeout(ANSWER_WITHIN_MS) });
    assert.equal(health.status, 200);
  });
});
