/**
 * A private InfluxDB 1.x for one test file: Debian's /usr/bin/influxd with a generated config in a
 * temporary directory (meta, data and WAL there too), on free loopback ports, so tests can kill
 * and restart it without touching the machine's own InfluxDB on 8086/8088.
 *
 *     before(async function () {
 *       influxd = await InfluxdProcess.start(requireExecutable(this, "influxd"));
 *     });
 *     await influxd.kill();          // SIGKILL, as a crash
 *     await influxd.start();         // same directories and ports: the data is still there
 *     await influxd.query('SELECT * FROM "cpu"', "honeyflow");
 *     after(() => influxd.dispose());
 *
 * Set HONEYFLOW_KEEP_TMP=1 to keep the directory (config, data and influxd.log).
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { freePorts } from "./free-port";

export interface InfluxSeries {
  name: string;
  columns: string[];
  values: unknown[][];
  tags?: Record<string, string>;
}

export interface InfluxdOptions {
  /** Turn on authentication and create this admin user. */
  admin?: { username: string; password: string };
}

const liveProcesses = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of liveProcesses) child.kill("SIGKILL");
});

export class InfluxdProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> | undefined;

  private constructor(
    private readonly executable: string,
    readonly dir: string,
    readonly port: number,
    private readonly options: InfluxdOptions,
  ) {}

  /** Writes the config and starts influxd; resolves once /ping answers (and the admin user exists). */
  static async start(executable: string, options: InfluxdOptions = {}): Promise<InfluxdProcess> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-influxd-"));
    const [httpPort, rpcPort] = await freePorts(2);
    fs.writeFileSync(path.join(dir, "influxdb.conf"), [
      "reporting-disabled = true",
      `bind-address = "127.0.0.1:${rpcPort}"`,
      "[meta]",
      `  dir = "${dir}/meta"`,
      "[data]",
      `  dir = "${dir}/data"`,
      `  wal-dir = "${dir}/wal"`,
      "  query-log-enabled = false",
      "[monitor]",
      "  store-enabled = false",
      "[http]",
      `  bind-address = "127.0.0.1:${httpPort}"`,
      "  log-enabled = false",
      `  auth-enabled = ${options.admin ? "true" : "false"}`,
      "[logging]",
      '  level = "warn"',
      "[continuous_queries]",
      "  enabled = false",
      "",
    ].join("\n"));
    const influxd = new InfluxdProcess(executable, dir, httpPort, options);
    await influxd.start();
    if (options.admin) {
      // With no user yet, 1.x lets anyone create the first admin.
      await influxd.query(`CREATE USER "${options.admin.username}" WITH PASSWORD '${options.admin.password}' WITH ALL PRIVILEGES`);
    }
    return influxd;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  async start(): Promise<void> {
    if (this.child) throw new Error("influxd is already running");
    const log = fs.openSync(path.join(this.dir, "influxd.log"), "a");
    const child = spawn(this.executable, ["-config", path.join(this.dir, "influxdb.conf")], { stdio: ["ignore", log, log] });
    fs.closeSync(log);
    this.child = child;
    liveProcesses.add(child);
    this.exited = new Promise((resolve) => child.once("exit", () => {
      liveProcesses.delete(child);
      if (this.child === child) this.child = undefined;
      resolve();
    }));
    const deadline = Date.now() + 30_000;
    while (!(await this.answers())) {
      if (!this.child) throw new Error(`influxd exited at start:\n${this.logTail()}`);
      if (Date.now() > deadline) throw new Error(`influxd did not answer /ping within 30 s:\n${this.logTail()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** SIGKILL: no clean shutdown, as when the server crashes or the machine loses power. */
  async kill(): Promise<void> {
    const exited = this.exited;
    this.child?.kill("SIGKILL");
    await exited;
  }

  async dispose(): Promise<void> {
    await this.kill();
    if (process.env.HONEYFLOW_KEEP_TMP) console.error(`HONEYFLOW_KEEP_TMP: kept influxd directory ${this.dir}`);
    else fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Runs InfluxQL (as the admin, if there is one) and returns the first statement's series; fails on any error. */
  async query(influxql: string, database?: string): Promise<InfluxSeries[]> {
    const params = new URLSearchParams({ q: influxql, epoch: "ms" });
    if (database) params.set("db", database);
    const response = await fetch(`${this.url}/query`, { method: "POST", body: params, headers: this.authHeader() });
    const body = await response.text();
    const parsed = JSON.parse(body) as { error?: string; results?: Array<{ error?: string; series?: InfluxSeries[] }> };
    const error = parsed.error ?? parsed.results?.find((r) => r.error)?.error;
    if (!response.ok || error) throw new Error(`InfluxQL ${influxql.slice(0, 200)} failed (${response.status}): ${error ?? body}`);
    return parsed.results?.[0]?.series ?? [];
  }

  /** Writes line protocol directly (precision ms), as another client of the same database would. */
  async write(lines: string, database: string): Promise<void> {
    const response = await fetch(`${this.url}/write?db=${encodeURIComponent(database)}&precision=ms`, {
      method: "POST", body: lines, headers: this.authHeader(),
    });
    if (response.status !== 204) throw new Error(`write failed (${response.status}): ${await response.text()}`);
  }

  logTail(lines = 30): string {
    try {
      return fs.readFileSync(path.join(this.dir, "influxd.log"), "utf8").split("\n").slice(-lines).join("\n");
    } catch {
      return "(no influxd.log)";
    }
  }

  private authHeader(): Record<string, string> {
    const admin = this.options.admin;
    return admin ? { Authorization: `Basic ${Buffer.from(`${admin.username}:${admin.password}`).toString("base64")}` } : {};
  }

  private async answers(): Promise<boolean> {
    try {
      const response = await fetch(`${this.url}/ping`);
      return response.status === 204;
    } catch {
      return false;
    }
  }
}

/** Ports nothing listens on right now, all held open together so they differ, then released. */
