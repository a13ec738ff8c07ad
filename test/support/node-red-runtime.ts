/**
 * A real Node-RED, headless in a child process, with this package installed the way a user
 * installs it: `npm pack` the built project, `npm install <tarball>` into a fresh userDir.
 * End-to-end tests deploy flows through the admin API and read what flowed out of them from
 * files written by Node-RED's core `file` node (see `collectorNode`).
 *
 * Node-RED also loads the Node-RED modules installed in the node_modules it runs from, this
 * project's: Dashboard 2.0, a devDependency, is in every runtime as if installed from the palette.
 *
 * Packing and installing take seconds, so both happen once per test process; every runtime
 * gets its own copy of the installed userDir (a copy takes well under a second).
 * Set HONEYFLOW_KEEP_TMP=1 to keep the userDirs, the installed template and the tarball.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { nodeRedMain } from "./node-red-under-test";
import { freePort } from "./free-port";

const runFile = promisify(execFile);

const projectRoot = path.resolve(__dirname, "..", "..");
const keepTemporaryFiles = Boolean(process.env.HONEYFLOW_KEEP_TMP);

/** Node-RED logs this once every node of a full deploy (or of the boot-time load) has started. */
const flowsStartedLine = /\[info\] Started flows$/;
/** Instead of "Started flows", Node-RED logs these and waits when a flow needs what is not installed. */
const flowsRefusedLine = /\[info\] (Waiting for missing types to be registered:|Failed to load external modules required by this flow:)$/;

const logCapacity = 2000;
const failureLogLines = 60;
const pollIntervalMs = 50;

/** One entry of a Node-RED flow file: a tab, a node or a config node. */
export interface FlowNode {
  id: string;
  type: string;
  z?: string;
  wires?: string[][];
  [property: string]: unknown;
}

export interface NodeRedRuntimeOptions {
  /** Extra settings.js entries, merged over the harness's own. They must survive JSON.stringify. */
  settings?: Record<string, unknown>;
  /** Extra environment variables for the Node-RED process (flows can read them as `${NAME}`). */
  env?: Record<string, string>;
  /** How long `start`, `restart` and `deploy` wait for flows to start. */
  startTimeoutMs?: number;
  /** How long `stop` waits after SIGTERM before it sends SIGKILL. Node-RED gives each node 15 s to close. */
  stopTimeoutMs?: number;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the process ignored SIGTERM for stopTimeoutMs and had to be killed. */
  killed: boolean;
}

export type Truthy<T> = Exclude<T, false | null | undefined | 0 | "">;

/**
 * Poll `probe` until it returns something truthy and resolve with that value. An exception from
 * the probe fails at once: a collected line that is not JSON will not become JSON by waiting.
 */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  timeoutMs: number,
  description: string,
  explain?: () => string,
): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as Truthy<T>;
    if (Date.now() >= deadline) {
      const context = explain ? `\n${explain()}` : "";
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}${context}`);
    }
    await delay(pollIntervalMs);
  }
}

/**
 * A core `file` node that appends each message's payload as one JSON line. Node-RED 4.1's file
 * node writes a non-Buffer object payload as `JSON.stringify(payload)` plus os.EOL; strings,
 * numbers and booleans are written as text, so send it objects. The filename is relative to
 * the runtime's userDir (the harness sets `fileWorkingDirectory` to it); read it back with
 * `NodeRedRuntime.readCollected`.
 */
export function collectorNode(
  id: string,
  filename: string,
  placement: { z: string; x?: number; y?: number; name?: string },
): FlowNode {
  return {
    id,
    type: "file",
    z: placement.z,
    name: placement.name ?? `collect ${filename}`,
    filename,
    filenameType: "str",
    appendNewline: true,
    createDir: true,
    overwriteFile: "false",
    encoding: "none",
    x: placement.x ?? 600,
    y: placement.y ?? 100,
    wires: [[]],
  };
}

/** Pack, install into a fresh userDir, and start Node-RED on a free port with flows started. */
export async function startNodeRed(options: NodeRedRuntimeOptions = {}): Promise<NodeRedRuntime> {
  const template = await installedUserDirTemplate();
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-node-red-"));
  fs.cpSync(template, userDir, { recursive: true });
  const runtime = new NodeRedRuntime(userDir, await freePort(), options);
  try {
    await runtime.start();
  } catch (err) {
    await runtime.dispose();
    throw err;
  }
  return runtime;
}

export class NodeRedRuntime {
  private child: ChildProcess | undefined;
  private exited: Promise<ExitStatus> | undefined;
  private readonly lines: string[] = [];
  private flowsStartedCount = 0;
  private flowsRefusedCount = 0;
  private lastExit: ExitStatus | undefined;
  private readonly startTimeoutMs: number;
  private readonly stopTimeoutMs: number;

  constructor(readonly userDir: string, readonly port: number, private readonly options: NodeRedRuntimeOptions = {}) {
    this.startTimeoutMs = options.startTimeoutMs ?? 30_000;
    this.stopTimeoutMs = options.stopTimeoutMs ?? 20_000;
    this.writeSettings();
    temporaryDirsToRemove.add(userDir);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get settingsFile(): string {
    return path.join(this.userDir, "settings.js");
  }

  /** The last lines Node-RED wrote to stdout and stderr, oldest first, plus the harness's own notes. */
  get log(): readonly string[] {
    return this.lines;
  }

  /** How the previous Node-RED process ended; undefined until one has. */
  get exitStatus(): ExitStatus | undefined {
    return this.lastExit;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  logTail(count = failureLogLines): string {
    return `--- last Node-RED log lines (${this.userDir}) ---\n${this.lines.slice(-count).join("\n")}`;
  }

  async start(): Promise<void> {
    if (this.child) throw new Error(`Node-RED is already running on ${this.url}`);
    const startedBefore = this.flowsStartedCount;
    const refusedBefore = this.flowsRefusedCount;
    const child = spawn(
      process.execPath,
      [nodeRedMain, "--userDir", this.userDir, "--port", String(this.port), "--settings", this.settingsFile],
      { cwd: this.userDir, env: { ...process.env, ...this.options.env }, stdio: ["ignore", "pipe", "pipe"] },
    );
    this.child = child;
    liveChildren.add(child);
    this.note(`started Node-RED, pid ${child.pid}`);
    this.captureLines(child.stdout);
    this.captureLines(child.stderr);
    this.exited = new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        const status: ExitStatus = { code, signal, killed: signal === "SIGKILL" };
        this.lastExit = status;
        this.child = undefined;
        liveChildren.delete(child);
        this.note(`Node-RED exited: code ${code}, signal ${signal}`);
        resolve(status);
      });
    });
    child.once("error", (err) => this.note(`could not start Node-RED: ${err.message}`));

    // The admin API answers before flows have started, so wait for both.
    await this.waitForRunning(
      async () => (await this.answers("/settings")) && this.flowsStartedCount > startedBefore,
      refusedBefore,
      "the admin API to answer and flows to start",
    );
  }

  /** SIGTERM lets Node-RED close every node (flushing file writes and context stores); SIGKILL if it hangs. */
  async stop(): Promise<ExitStatus | undefined> {
    const child = this.child;
    const exited = this.exited;
    if (!child || !exited) return this.lastExit;
    child.kill("SIGTERM");
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), this.stopTimeoutMs);
    });
    const outcome = await Promise.race([exited, gaveUp]);
    clearTimeout(timer);
    if (outcome === "timeout") {
      this.note(`Node-RED did not exit within ${this.stopTimeoutMs} ms of SIGTERM; sending SIGKILL`);
      child.kill("SIGKILL");
    }
    return exited;
  }

  /** Stop and start again on the same userDir and port; flows.json and file context survive. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async dispose(): Promise<void> {
    await this.stop();
    temporaryDirsToRemove.delete(this.userDir);
    if (keepTemporaryFiles) {
      console.error(`HONEYFLOW_KEEP_TMP: kept Node-RED userDir ${this.userDir}`);
    } else {
      fs.rmSync(this.userDir, { recursive: true, force: true });
    }
  }

  /** Replace every flow (a "full" deploy) and wait until Node-RED reports them started. */
  async deploy(flows: FlowNode[]): Promise<void> {
    const startedBefore = this.flowsStartedCount;
    const refusedBefore = this.flowsRefusedCount;
    await this.request("POST", "/flows", flows, { "Node-RED-Deployment-Type": "full" });
    await this.waitForRunning(() => this.flowsStartedCount > startedBefore, refusedBefore, "the deployed flows to start");
  }

  /** GET an admin API path as JSON, failing with the response body on a non-2xx status. */
  async getJson<T = unknown>(apiPath: string): Promise<T> {
    return JSON.parse(await this.request("GET", apiPath)) as T;
  }

  /** Send a request to the admin API or an `http in` endpoint, failing with the response body on a non-2xx status. */
  async request(method: string, apiPath: string, body?: unknown, headers: Record<string, string> = {}): Promise<string> {
    const response = await fetch(`${this.url}${apiPath}`, {
      method,
      headers: { Accept: "application/json", ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`${method} ${apiPath} answered ${response.status} ${response.statusText}: ${text}\n${this.logTail()}`);
    }
    return text;
  }

  /** Absolute path of a file a collector node writes (its filename is relative to the userDir). */
  collectedFile(filename: string): string {
    return path.resolve(this.userDir, filename);
  }

  /**
   * Every complete line a collector node has written so far, parsed. A last line without its
   * newline is a write still in progress and is left for the next read.
   */
  readCollected<T = unknown>(filename: string): T[] {
    const file = this.collectedFile(filename);
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw err;
    }
    const complete = text.slice(0, text.lastIndexOf("\n") + 1);
    return complete.split(/\r?\n/).slice(0, -1).map((line, index) => {
      try {
        return JSON.parse(line) as T;
      } catch {
        throw new Error(`${file} line ${index + 1} is not JSON (was the payload an object?): ${line.slice(0, 200)}`);
      }
    });
  }

  /** `waitFor` whose timeout message ends with this runtime's recent log. */
  waitFor<T>(probe: () => T | Promise<T>, timeoutMs: number, description: string): Promise<Truthy<T>> {
    return waitFor(probe, timeoutMs, description, () => this.logTail());
  }

  private async waitForRunning(ready: () => boolean | Promise<boolean>, refusedBefore: number, description: string): Promise<void> {
    await waitFor(
      async () => {
        if (!this.child) throw new Error(`Node-RED exited while waiting for ${description}\n${this.logTail()}`);
        if (this.flowsRefusedCount > refusedBefore) {
          // The missing types are logged on the lines right after the refusal; let them arrive.
          await delay(200);
          throw new Error(`Node-RED did not start the flows\n${this.logTail()}`);
        }
        return ready();
      },
      this.startTimeoutMs,
      description,
      () => this.logTail(),
    );
  }

  private async answers(apiPath: string): Promise<boolean> {
    try {
      const response = await fetch(`${this.url}${apiPath}`, { headers: { Accept: "application/json" } });
      await response.arrayBuffer();
      return response.ok;
    } catch {
      return false;
    }
  }

  private captureLines(stream: NodeJS.ReadableStream | null): void {
    if (!stream) return;
    let partial = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      const pieces = (partial + chunk).split("\n");
      partial = pieces.pop() ?? "";
      for (const line of pieces) this.record(line);
    });
    stream.on("end", () => {
      if (partial) this.record(partial);
      partial = "";
    });
  }

  private record(line: string): void {
    if (flowsStartedLine.test(line)) this.flowsStartedCount++;
    if (flowsRefusedLine.test(line)) this.flowsRefusedCount++;
    this.lines.push(line);
    if (this.lines.length > logCapacity) this.lines.splice(0, this.lines.length - logCapacity);
  }

  private note(text: string): void {
    this.record(`[harness] ${text}`);
  }

  private writeSettings(): void {
    const settings = {
      uiHost: "127.0.0.1",
      uiPort: this.port,
      flowFile: "flows.json",
      // A fixed secret so flows_cred.json written before a restart decrypts after it.
      credentialSecret: "honeyflow-e2e-credential-secret",
      // Info level: the harness learns that flows started from the "Started flows" line.
      logging: { console: { level: "info", metrics: false, audit: false } },
      contextStorage: {
        default: { module: "memory" },
        file: { module: "localfilesystem" },
      },
      // Collector filenames are relative, so a flow stays the same whichever userDir runs it.
      fileWorkingDirectory: this.userDir,
      // Browser tests drive the editor: no welcome tour, no telemetry consent dialog in the way.
      editorTheme: { tours: false, projects: { enabled: false } },
      telemetry: { enabled: false, updateNotification: false },
      ...this.options.settings,
    };
    fs.writeFileSync(
      this.settingsFile,
      `// Written by test/support/node-red-runtime.ts for one end-to-end test runtime.\nmodule.exports = ${JSON.stringify(settings, null, 2)};\n`,
    );
  }
}

const liveChildren = new Set<ChildProcess>();
/** userDirs of runtimes not yet disposed, and this process's tarball and template dirs. */
const temporaryDirsToRemove = new Set<string>();
let packedTarball: Promise<string> | undefined;
let userDirTemplate: Promise<string> | undefined;

process.once("exit", () => {
  // A failed test may never reach dispose(); a Node-RED left behind would hold its port and files.
  for (const child of liveChildren) child.kill("SIGKILL");
  if (!keepTemporaryFiles) for (const dir of temporaryDirsToRemove) fs.rmSync(dir, { recursive: true, force: true });
});

/** The tarball `npm pack` makes of the built project, packed once per test process. */
export function projectTarball(): Promise<string> {
  packedTarball ??= packProject();
  return packedTarball;
}

async function packProject(): Promise<string> {
  const manifest = JSON.parse(fs.readFileSync(path.join(projectRoot, "package.json"), "utf8")) as {
    "node-red"?: { nodes?: Record<string, string> };
  };
  const missing = Object.values(manifest["node-red"]?.nodes ?? {}).filter((file) => !fs.existsSync(path.join(projectRoot, file)));
  if (missing.length > 0) {
    throw new Error(`The package is not built (missing ${missing.join(", ")}); run \`npm run build\` before the end-to-end tests.`);
  }
  const destination = temporaryDir("honeyflow-pack-");
  const { stdout } = await runFile("npm", ["pack", "--json", "--pack-destination", destination], {
    cwd: projectRoot,
    maxBuffer: 64 * 1024 * 1024,
  });
  const [packed] = JSON.parse(stdout) as { filename: string }[];
  return path.join(destination, packed.filename);
}

/** A Node-RED userDir with the packed project installed by npm, made once per test process. */
function installedUserDirTemplate(): Promise<string> {
  userDirTemplate ??= (async () => {
    const tarball = await projectTarball();
    const dir = temporaryDir("honeyflow-userdir-template-");
    // The package.json Node-RED itself writes into a new userDir. npm installs beside the nearest
    // package.json or node_modules it finds walking up, so the userDir needs its own.
    fs.writeFileSync(
      path.join(dir, "package.json"),
      JSON.stringify({ name: "node-red-project", description: "A Node-RED Project", version: "0.0.1", private: true }, null, 2),
    );
    await runFile("npm", ["install", tarball, "--no-audit", "--no-fund", "--omit=dev", "--prefer-offline"], {
      cwd: dir,
        maxBuffer: 64 * 1024 * 1024,
    });
    return dir;
  })();
  return userDirTemplate;
}

function temporaryDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temporaryDirsToRemove.add(dir);
  return dir;
}

/** A port nothing listens on right now: the kernel's pick for port 0, released again. */

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
