/**
 * `cowrie in`: Cowrie's JSON log into a flow - tailed live, replayed from files, or from lines
 * and objects arriving on the input. A thin adapter over LogTail, LogReplay and CowrieIntake.
 */
import * as path from "node:path";
import type { Node, NodeAPI, NodeDef, NodeMessage, NodeMessageInFlow } from "node-red";
import { CowrieIntake, IntakeResult } from "../../src/ingest/cowrie-intake";
import { watchLogFile } from "../../src/ingest/log-file-watcher";
import { LogReplay } from "../../src/ingest/log-replay";
import { isTailPosition, LogTail } from "../../src/ingest/log-tail";
import { StateFile } from "../../src/persistence/state-file";
import { controlNamed } from "../kit/control-message";
import { ThrottledStatus } from "../kit/throttled-status";
import { statusCounts } from "../kit/status-counts";
import { WarningThrottle } from "../kit/warning-throttle";
import { settingOrDefault } from "../kit/environment-setting";
import { positiveCount, timerMs } from "../kit/editor-number";

interface CowrieInConfig extends NodeDef {
  mode: "tail" | "replay" | "input";
  path: string;
  startAt: "end" | "beginning";
  resume: boolean;
  speed: string;
  autoStart: boolean;
  maxLineBytes: string;
  pollSeconds: string;
}

type ControlMessage = NodeMessageInFlow & { control?: unknown };

/** Where Cowrie's own Docker image and a source install under /cowrie write their JSON log. */
const DEFAULT_COWRIE_LOG = "/cowrie/cowrie-git/var/log/cowrie/cowrie.json";
const SAVE_INTERVAL_MS = 1000;

export = function register(RED: NodeAPI): void {
  function CowrieInNode(this: Node, config: CowrieInConfig) {
    RED.nodes.createNode(this, config);
    const node = this;
    const maxLineBytes = positiveCount(config.maxLineBytes, 1024 * 1024);
    const intake = new CowrieIntake(maxLineBytes);
    const throttle = new WarningThrottle(10_000, (text) => node.warn(text));
    const stopping: Array<() => Promise<void>> = [];
    let state = { fill: "grey", shape: "ring", key: "idle", detail: {} as Record<string, string | number> };
    const status = new ThrottledStatus(node, () => {
      const counts = statusCounts({ events: intake.accepted, rejected: intake.rejected, ...state.detail });
      return { fill: state.fill as "grey", shape: state.shape as "ring", text: RED._(`cowrie-in.status.${state.key}`, counts) };
    });
    const setState = (fill: string, shape: string, key: string, detail: Record<string, string | number> = {}) => {
      state = { fill, shape, key, detail };
      status.now();
    };
    const refreshStatusSoon = () => status.soon();

    const send = (result: IntakeResult, inbound?: NodeMessageInFlow, sendFn = node.send.bind(node)) => {
      if ("accepted" in result) {
        const { event, origin } = result.accepted;
        const msg: NodeMessage = { ...inbound, payload: event, topic: event.eventid as string | undefined };
        if (origin) Object.assign(msg, { source: origin });
        sendFn([msg, null]);
      } else {
        const { raw, reason, detail, bytes, origin } = result.rejected;
        const where = origin ? ` (${origin.file} line ${origin.line}, byte ${origin.offset})` : "";
        throttle.warn(RED._("cowrie-in.warn.rejected", { reason, detail, where }));
        sendFn([null, { ...inbound, payload: raw, reason, detail, bytes, source: origin }]);
      }
      refreshStatusSoon();
    };

    // Read once: both modes use it, and an unset ${HONEYFLOW_COWRIE_LOG} means Cowrie's standard path.
    const logPath = settingOrDefault(config.path, DEFAULT_COWRIE_LOG);

    function startTail() {
      if (!config.path) return setState("red", "ring", "noPath");
      const userDir = RED.settings.userDir as string | undefined;
      const positions = userDir && config.resume !== false
        ? new StateFile(path.join(userDir, "honeyflow", "cowrie-in", `${node.id}.json`), isTailPosition) : undefined;
      const tail = new LogTail({
        path: logPath,
        startAt: config.startAt === "beginning" ? "beginning" : "end",
        resumeFrom: positions?.load(),
        maxLineBytes,
        onRecord: (record) => send(intake.fromRecord(record)),
        onNotice: (notice) => node.log(notice),
        onMissedRotation: ({ file, offset, lines }) => node.warn(RED._("cowrie-in.warn.rotationMissed", { file, offset, lines })),
      });
      let lastSaved = "";
      // Its own throttle: rejected lines must not hide that restarts will repeat lines.
      const saveFailure = new WarningThrottle(60_000, (text) => node.warn(text));
      const savePosition = (position = tail.position()) => {
        const text = JSON.stringify(position);
        if (!positions || !position || text === lastSaved) return;
        try {
          positions.save(position);
          lastSaved = text;
        } catch (err) {
          // Thrown from the save timer this would be uncaught, and Node-RED exits on that; the next save tries again.
          saveFailure.warn(RED._("cowrie-in.warn.positionNotSaved", { file: positions.file, error: (err as Error).message }));
        }
      };
      // The status says why the log cannot be read; the log says it too, for a headless install.
      const checkFailure = new WarningThrottle(60_000, (text) => node.warn(text));
      const check = () => {
        tail.check().then(
          () => tail.missedRotations === 0
            ? setState("green", "dot", "tailing", { file: path.basename(logPath) })
            : setState("yellow", "dot", "tailingMissed", { file: path.basename(logPath), rotations: tail.missedRotations, missed: tail.missedLines }),
          (err: Error) => {
            setState("red", "ring", "error", { error: err.message });
            checkFailure.warn(RED._("cowrie-in.warn.unreadable", { file: logPath, error: err.message }));
          },
        );
      };
      setState("yellow", "ring", "waiting", { file: path.basename(logPath) });
      const watch = watchLogFile(logPath, timerMs(config.pollSeconds, 1), check);
      const saver = setInterval(() => savePosition(), SAVE_INTERVAL_MS);
      check();
      stopping.push(async () => {
        clearInterval(saver);
        const closing = tail.close(); // first: it takes the position at the moment the flow stops
        await watch.close();
        savePosition(await closing);
      });
    }

    let replay: LogReplay | undefined;
    function startReplay() {
      const files = logPath.split(/[\n,]/).map((f) => f.trim()).filter(Boolean);
      if (files.length === 0) return setState("red", "ring", "noPath");
      const current = new LogReplay({
        files,
        speed: Number(config.speed) || 0,
        maxLineBytes,
        onRecord: (record) => send(intake.fromRecord(record)),
        onProgress: (p) => setState("blue", "dot", "replaying", { percent: p.percent.toFixed(0) }),
      });
      replay = current;
      setState("blue", "dot", "replaying", { percent: 0 });
      current.run().then(
        () => replay === current && setState("grey", "dot", "replayDone"),
        (err: Error) => {
          node.error(RED._("cowrie-in.error.replay", { error: err.message }));
          setState("red", "ring", "error", { error: err.message });
        },
      ).finally(() => { if (replay === current) replay = undefined; });
    }

    const controls: Record<string, () => void> = {
      start: () => { replay?.stop(); startReplay(); },
      stop: () => { replay?.stop(); replay = undefined; setState("grey", "ring", "replayStopped"); },
      pause: () => { replay?.pause(); setState("blue", "ring", "replayPaused"); },
      resume: () => { replay?.resume(); setState("blue", "dot", "replaying", { percent: "…" }); },
    };

    // A flow written without a mode tails, as the editor's default and the node's label say; an
    // unknown mode is reported rather than taken for input.
    const mode: unknown = config.mode ?? "tail";
    const modeError = mode === "tail" || mode === "replay" || mode === "input" ? undefined : RED._("cowrie-in.error.mode", { mode: String(mode) });
    if (modeError) {
      node.error(modeError);
      setState("red", "ring", "error", { error: modeError });
    } else if (mode === "tail") startTail();
    else if (mode === "replay" && config.autoStart) startReplay();
    else setState("grey", "ring", mode === "replay" ? "replayReady" : "idle");

    node.on("input", (msg: ControlMessage, sendFn, done) => {
      if (modeError) return done(new Error(modeError));
      if (msg.control !== undefined) {
        const control = controlNamed(controls, msg.control);
        if (!control || mode !== "replay") return done(new Error(RED._("cowrie-in.error.control", { control: String(msg.control) })));
        control();
        return done();
      }
      for (const result of intake.fromInput(msg.payload)) send(result, msg, sendFn);
      done();
    });

    node.on("close", (_removed: boolean, done: () => void) => {
      replay?.stop();
      status.stop();
      Promise.all(stopping.map((stop) => stop())).catch((err: Error) => node.error(err.message)).finally(done);
    });
  }

  RED.nodes.registerType("honeyflow-cowrie-in", CowrieInNode);
};
