/**
 * Node-RED: events per second through our seven nodes in a real Node-RED runtime, against the
 * framework's own ceiling measured in the same runtime and run: seven pass-through nodes that do
 * nothing but `send(msg); done()`, so that what they cost is Node-RED's message passing alone.
 *
 * One embedded runtime (`require("node-red")`, no HTTP) loads this package the way Node-RED
 * loads an installed one (its `node-red` manifest, from `nodesDir`) and one flow file with three
 * chains, each fed from a generated Cowrie log through `receive()` on its first node with at
 * most WINDOW messages in flight:
 *
 * - seven bench pass-through nodes (the ceiling, the baseline of the ratios);
 * - seven core `function` nodes with `return msg;`, the pass-through a user would draw;
 * - cowrie in (input mode) -> clean -> window features -> pca -> online detector -> drift and
 *   alert, with the bundled full-pipeline flow's settings (examples/full-pipeline.json) and no
 *   broker. As in that flow, drift and alert both take the detector's output: they are siblings,
 *   not a chain, because drift only sends drift events on.
 *
 * A message has arrived when the last node of its chain calls `done()` (for the pipeline: both
 * drift and alert), seen through Node-RED's `onComplete` hook, which every chain pays alike.
 * After an untimed warm-up of each chain, the three take turns for ROUNDS rounds; each figure is
 * the median of its rounds and each ratio the median of the rounds' own ratios.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import RED from "node-red";
import { CowrieEventCleaner } from "../src/clean/cowrie-event-cleaner";
import { CowrieLogGenerator } from "../src/datasets/synth/cowrie/cowrie-log-generator";
import { cleanedEvents } from "./cleaned-events";
import type { Figure } from "./figure";
import { PROJECT_ROOT } from "./project-root";

const BENCH = "node-red";
const HOPS = 7;
/** Messages in flight: enough that a hop's setImmediate batch is never empty, few enough to stay small. */
const WINDOW = 1000;
/** A chain that completes nothing for this long has lost messages: the bench fails rather than hang. */
const STALL_MS = 30_000;
/** Mean background events per second of the generated log: a busy sensor, as in the ingest bench. */
const LOG_RATE = 50;
const PASS_THROUGH_TYPE = "honeyflow-bench-pass-through";
/**
 * The chains take turns, a slice each per round, so that each ratio compares rates measured
 * seconds apart: measured one after the other, the ceiling alone varied from 50k to 87k msgs/s
 * between runs on this shared machine.
 */
const ROUNDS = 5;

export interface NodeRedPipelineSizes {
  /** Messages through each of the two pass-through chains, over all rounds (after an untimed warm-up). */
  passThroughMessages: number;
  /** Events through our pipeline, over all rounds (after an untimed warm-up of a tenth more). */
  pipelineEvents: number;
}

interface FlowNode {
  id: string;
  type: string;
  z?: string;
  wires?: string[][];
  [setting: string]: unknown;
}

/** A node-red node module of one pass-through node, written to the runtime's userDir/nodes. */
const PASS_THROUGH_JS = `module.exports = function (RED) {
  function PassThrough(config) {
    RED.nodes.createNode(this, config);
    this.on("input", (msg, send, done) => { send(msg); done(); });
  }
  RED.nodes.registerType("${PASS_THROUGH_TYPE}", PassThrough);
};
`;
const PASS_THROUGH_HTML = `<script type="text/javascript">
  RED.nodes.registerType("${PASS_THROUGH_TYPE}", { category: "function", defaults: { name: { value: "" } }, inputs: 1, outputs: 1, label: "pass through" });
</script>
`;

function chain(prefix: string, type: string, settings: Record<string, unknown>): FlowNode[] {
  return Array.from({ length: HOPS }, (_, i) => ({
    id: `${prefix}-${i + 1}`, type, z: "bench-tab", name: "", ...settings,
    wires: i + 1 < HOPS ? [[`${prefix}-${i + 2}`]] : [[]],
  }));
}

/** Our seven nodes with the bundled flow's settings, rewired into one chain and without sinks. */
function pipelineFlow(): FlowNode[] {
  const bundled = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "examples", "full-pipeline.json"), "utf8")) as FlowNode[];
  const settingsOf = (type: string) => {
    const node = bundled.find((n) => n.type === type);
    if (!node) throw new Error(`examples/full-pipeline.json has no ${type} node`);
    // Its credentials name the Slack webhook: the bench has no sinks.
    return Object.fromEntries(Object.entries(node).filter(([key]) => key !== "credentials"));
  };
  const node = (id: string, type: string, wires: string[][], overrides: Record<string, unknown> = {}): FlowNode =>
    ({ ...settingsOf(type), id, type, z: "bench-tab", ...overrides, wires });
  return [
    node("hf-cowrie-in", "honeyflow-cowrie-in", [["hf-clean"], []], { mode: "input", path: "" }),
    // As in the bundled flow, drift watches the traffic's regime in clean's events.
    node("hf-clean", "honeyflow-clean", [["hf-window-features", "hf-drift"], [], []]),
    node("hf-window-features", "honeyflow-window-features", [["hf-pca"]]),
    node("hf-pca", "honeyflow-pca", [["hf-detector"]]),
    node("hf-detector", "honeyflow-online-detector", [["hf-alert"], []]),
    node("hf-drift", "honeyflow-drift", [[], []]),
    node("hf-alert", "honeyflow-alert", [[]], { broker: "" }),
  ];
}

type ReceivingNode = { receive(msg: object): void };
/** The runtime's node registry; @types/node-red leaves `getNode` out of its InternalNodesModule. */
const runningNodes = () => RED.nodes as unknown as { getNode(id: string): ReceivingNode | null };

export async function runNodeRedPipelineBench(sizes: NodeRedPipelineSizes): Promise<Figure[]> {
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-bench-node-red-"));
  const completions = new Map<string, number>();
  let onComplete = () => undefined as void;
  try {
    fs.mkdirSync(path.join(userDir, "nodes"));
    fs.writeFileSync(path.join(userDir, "nodes", "bench-pass-through.js"), PASS_THROUGH_JS);
    fs.writeFileSync(path.join(userDir, "nodes", "bench-pass-through.html"), PASS_THROUGH_HTML);
    fs.writeFileSync(path.join(userDir, "flows.json"), JSON.stringify([
      { id: "bench-tab", type: "tab", label: "bench" },
      ...chain("pass", PASS_THROUGH_TYPE, {}),
      ...chain("function", "function", { func: "return msg;", outputs: 1, timeout: 0, noerr: 0, initialize: "", finalize: "", libs: [] }),
      ...pipelineFlow(),
    ]));

    RED.init(http.createServer(), {
      userDir,
      flowFile: "flows.json",
      credentialSecret: false,
      nodesDir: [PROJECT_ROOT],
      httpAdminRoot: false,
      httpNodeRoot: false,
      disableEditor: true,
      // stdout carries the bench's JSON lines: Node-RED's warnings go to stderr.
      logging: {
        console: { level: "off" },
        stderr: { level: "warn", metrics: false, audit: false, handler: () => (entry: { msg: unknown }) => process.stderr.write(`node-red: ${String(entry.msg)}\n`) },
      },
      telemetry: { enabled: false, updateNotification: false },
    } as never);
    await RED.start();
    const ids = ["pass-1", "function-1", "hf-cowrie-in", "hf-alert"];
    const deadline = Date.now() + 30_000;
    while (ids.some((id) => !runningNodes().getNode(id))) {
      if (Date.now() > deadline) throw new Error(`Node-RED did not start the bench flow (missing ${ids.filter((id) => !runningNodes().getNode(id)).join(", ")})`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    RED.hooks.add("onComplete.honeyflowBench", (event: { node: { id: string } }) => {
      completions.set(event.node.id, (completions.get(event.node.id) ?? 0) + 1);
      onComplete();
    });

    /** Seconds to push `payloads` into `entry` until every `ends` node has completed `expected` more messages. */
    const drive = (entry: string, ends: string[], payloads: string[], expected: number) => new Promise<number>((resolve, reject) => {
      const first = runningNodes().getNode(entry);
      if (!first) return reject(new Error(`no node ${entry} in the running flow`));
      const before = ends.map((id) => completions.get(id) ?? 0);
      const arrived = () => Math.min(...ends.map((id, i) => (completions.get(id) ?? 0) - before[i]));
      let fed = 0;
      let lastArrived = -1;
      const feed = () => {
        while (fed < payloads.length && fed - arrived() < WINDOW) first.receive({ payload: payloads[fed++] });
      };
      const watchdog = setInterval(() => {
        const n = arrived();
        if (n === lastArrived) {
          onComplete = () => undefined;
          clearInterval(watchdog);
          reject(new Error(`${entry}: ${n} of ${expected} messages arrived, then nothing for ${STALL_MS / 1000} s`));
        }
        lastArrived = n;
      }, STALL_MS);
      const started = process.hrtime.bigint();
      onComplete = () => {
        const n = arrived();
        if (n >= expected) {
          onComplete = () => undefined;
          clearInterval(watchdog);
          resolve(Number(process.hrtime.bigint() - started) / 1e9);
        } else if (fed - n <= WINDOW / 2) {
          feed();
        }
      };
      feed();
    });

    const warmUp = (n: number) => Math.max(1000, Math.floor(n / 10));
    const clean = cleanCounter();
    const ends = ["hf-drift", "hf-alert"];
    const chainRate = async (prefix: string, lines: string[]) => lines.length / (await drive(`${prefix}-1`, [`${prefix}-${HOPS}`], lines, lines.length));
    const pipelineRate = async (lines: string[]) => {
      const events = clean(lines);
      return { events, perSecond: events / (await drive("hf-cowrie-in", ends, lines, events)) };
    };
    // The pass-through chains may see the same lines again; the pipeline needs fresh ones, in order.
    const passRound = Math.ceil(sizes.passThroughMessages / ROUNDS);
    const passLines = generatedLines(Math.max(passRound, warmUp(sizes.passThroughMessages)));
    const pipelineLines = generatedLines(warmUp(sizes.pipelineEvents) + sizes.pipelineEvents);
    const pipelineWarmUp = warmUp(sizes.pipelineEvents);
    await chainRate("pass", passLines);
    await chainRate("function", passLines);
    await pipelineRate(pipelineLines.slice(0, pipelineWarmUp));

    const rounds: Array<{ ceiling: number; functions: number; pipeline: number; events: number }> = [];
    const pipelineRound = Math.ceil(sizes.pipelineEvents / ROUNDS);
    for (let round = 0; round < ROUNDS; round++) {
      const ceiling = await chainRate("pass", passLines.slice(0, passRound));
      const functions = await chainRate("function", passLines.slice(0, passRound));
      const first = pipelineWarmUp + round * pipelineRound;
      const { events, perSecond } = await pipelineRate(pipelineLines.slice(first, first + pipelineRound));
      rounds.push({ ceiling, functions, pipeline: perSecond, events });
    }

    const ceiling = median(rounds.map((r) => r.ceiling));
    const functions = median(rounds.map((r) => r.functions));
    const pipeline = median(rounds.map((r) => r.pipeline));
    const events = rounds.reduce((sum, r) => sum + r.events, 0);
    const spread = (values: number[]) => `median of ${ROUNDS} rounds, ${Math.round(Math.min(...values)).toLocaleString("en-US")}-${Math.round(Math.max(...values)).toLocaleString("en-US")}`;
    const baseline = { name: "7 pass-through nodes", value: ceiling };
    return [
      { bench: BENCH, name: `${HOPS} pass-through nodes, msgs through all (ceiling, baseline)`, value: ceiling, unit: `msgs/s (${spread(rounds.map((r) => r.ceiling))})` },
      {
        bench: BENCH, name: `${HOPS} core function nodes \`return msg;\``, value: functions, unit: `msgs/s (${spread(rounds.map((r) => r.functions))})`,
        baseline, ratio: median(rounds.map((r) => r.functions / r.ceiling)),
      },
      {
        bench: BENCH, name: `our ${HOPS} nodes, cowrie in -> ... -> drift + alert (${events.toLocaleString("en-US")} events)`,
        value: pipeline, unit: `events/s (${spread(rounds.map((r) => r.pipeline))})`, baseline, ratio: median(rounds.map((r) => r.pipeline / r.ceiling)),
      },
    ];
  } finally {
    try {
      RED.hooks.remove("*.honeyflowBench");
      await RED.stop();
    } finally {
      fs.rmSync(userDir, { recursive: true, force: true });
    }
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Generated Cowrie lines ending about now, so that `clean` (24 h tolerance) sees none in the future. */
function generatedLines(count: number): string[] {
  const startMs = Date.now() - 2 * (count / LOG_RATE) * 1000;
  return [...new CowrieLogGenerator({ events: count, seed: "bench-node-red", rate: LOG_RATE, startMs })].map((l) => l.line);
}

/** How many of each run of lines `clean` passes on, counted with its own core and the flow's settings, in order. */
function cleanCounter(): (lines: string[]) => number {
  const cleaner = new CowrieEventCleaner({ futureToleranceMs: 24 * 3_600_000, sessionCapacity: 20_000, duplicateWindow: 10_000 });
  return (lines) => cleanedEvents(lines, cleaner).length;
}
