/**
 * A private Mosquitto for one test suite: `mosquitto -c <temporary conf>` in the foreground as a
 * child process, listening on a free port of 127.0.0.1 with anonymous access. It can be stopped
 * and started again on the same port, to play a broker outage.
 *
 * With `persistence`, the broker saves subscriptions and queued messages of clients with a
 * persistent session (clean session false) on stop and restores them on start, as a production
 * broker would; without it, a restart forgets everything.
 *
 *     before(async function () { broker = await MosquittoProcess.start(requireExecutable(this, "mosquitto")); });
 *     after(() => broker?.dispose());
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { freePort } from "./free-port";

export interface MosquittoOptions {
  persistence?: boolean;
  /** Settings appended to the generated conf, e.g. the contents of flows/mosquitto/honeyflow.conf. */
  settings?: string;
  /** How long start() waits for the port to accept connections. */
  startTimeoutMs?: number;
}

const liveChildren = new Set<ChildProcess>();
process.once("exit", () => {
  // A failed test may never reach dispose(); a broker left behind would hold its port.
  for (const child of liveChildren) child.kill("SIGKILL");
});

export class MosquittoProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> | undefined;
  private readonly output: string[] = [];

  private constructor(
    readonly executable: string,
    readonly port: number,
    private readonly dir: string,
    private readonly options: MosquittoOptions,
  ) {}

  static async start(executable: string, options: MosquittoOptions = {}): Promise<MosquittoProcess> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-mosquitto-"));
    const broker = new MosquittoProcess(executable, await freePort(), dir, options);
    try {
      await broker.start();
    } catch (err) {
      await broker.dispose();
      throw err;
    }
    return broker;
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** What the broker wrote, for a failing test's message. */
  get log(): string {
    return this.output.join("").slice(-4000);
  }

  /** Whether the broker ever wrote a line matching `pattern`, however long ago. */
  said(pattern: RegExp): boolean {
    return pattern.test(this.output.join(""));
  }

  async start(): Promise<void> {
    if (this.child) throw new Error(`mosquitto is already running on port ${this.port}`);
    const conf = path.join(this.dir, "mosquitto.conf");
    fs.writeFileSync(conf, [
      `listener ${this.port} 127.0.0.1`,
      "allow_anonymous true",
      // Started as root, mosquitto would switch to the user "mosquitto", who cannot write the
      // persistence file into this test's private directory.
      `user ${os.userInfo().username}`,
      `persistence ${this.options.persistence ? "true" : "false"}`,
      `persistence_location ${this.dir}${path.sep}`,
      "log_dest stderr",
      "log_type error",
      "log_type warning",
      "log_type notice",
      this.options.settings ?? "",
      "",
    ].join("\n"));
    const child = spawn(this.executable, ["-c", conf], { stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    liveChildren.add(child);
    child.stdout?.on("data", (chunk: Buffer) => this.output.push(chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => this.output.push(chunk.toString()));
    this.exited = new Promise((resolve) => {
      child.once("exit", () => {
        liveChildren.delete(child);
        this.child = undefined;
        resolve();
      });
    });
    const deadline = Date.now() + (this.options.startTimeoutMs ?? 10_000);
    while (!(await accepts(this.port))) {
      if (!this.child) throw new Error(`mosquitto exited while starting:\n${this.log}`);
      if (Date.now() > deadline) throw new Error(`mosquitto did not listen on port ${this.port}:\n${this.log}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** SIGTERM: mosquitto closes its connections (and saves its state with persistence) and exits. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await this.exited;
    clearTimeout(timer);
  }

  async dispose(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** A port nothing listens on right now: the kernel's pick for port 0, released again. */
