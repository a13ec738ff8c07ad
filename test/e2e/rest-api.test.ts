import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Alert } from "../../src/alerting/alert-policy";
import type { CanonicalEvent } from "../../src/domain/canonical-event";
import { OfflineGeoLookup } from "../../src/enrich/offline-geo-lookup";
import { cowrieTimestampToEpochMs, epochMsToCowrieTimestamp } from "../../src/ingest/cowrie-timestamp";
import { startNodeRed, type FlowNode, type NodeRedRuntime } from "../support/node-red-runtime";

const projectRoot = path.join(__dirname, "..", "..");
const restApiFlow = path.join(projectRoot, "examples", "rest-api.json");
const cli = path.join(projectRoot, "dist", "src", "cli", "honeyflow.js");

interface Answer<T> {
  status: number;
  body: T;
}
interface Refusal {
  error: string;
  detail: string;
}
interface Prediction {
  score: number;
  threshold: number;
  anomaly: boolean;
  warm: boolean;
  /** Set when the source's run of rare events, not the score alone, made the event anomalous. */
  sustained?: "source" | "sensor";
  typed?: { type: string; feature: string; value: number; threshold: number };
  explanation: { attack_type: string; top_features: Array<{ name: string; value: number }> } | null;
}
interface Health {
  status: string;
  events: number;
  alerts: number;
  uptime_s: number;
}
interface Episode {
  type: string;
  src_ips: string[];
}

/** What attackers type, appended to the live log as the newest events: it must come back as the same JSON strings. */
const hostileCredentials = [
  ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>"],
  ['"quoted", comma', "back\\slash"],
  ["new\nline", "tab\tand\u0000nul"],
  ["<!channel>", "&amp; </textarea>"],
  ["日本😀", "callback=steal"],
];
const hostileSource = "185.220.101.9";
/** Sources that appear nowhere in the generated log. */
const controlSource = "203.0.113.20";
const anySourceProbe = "198.51.100.7";

/**
 * examples/rest-api.json deployed through the admin API exactly as bundled, tailing a generated
 * sensor log (6,000 events at 5 per second, seed 4: its injected episodes include a brute force), and
 * used over HTTP as a client would. The tests run in order and share the runtime: the feedback tests
 * mark alerts that the live log raised.
 */
describe("rest-api: the bundled flow's HTTP endpoints over a live sensor log", function () {
  this.timeout(60_000);
  let runtime: NodeRedRuntime;
  let dir: string;
  let log: string;
  let generatedEvents: number;
  /** The generated log's last event time, as clean reads it (microseconds as the fraction). */
  let lastEventMs: number;
  /** Whole milliseconds after it: events made up here start from this. */
  let afterLogMs: number;
  let loginTemplate: Record<string, unknown>;
  let episodes: Episode[];

  /** Every answer of this API must be JSON, whatever the request: it is checked here, once for all. */
  async function call<T>(method: "GET" | "POST", apiPath: string, body?: unknown, contentType = "application/json"): Promise<Answer<T>> {
    const response = await fetch(`${runtime.url}${apiPath}`, {
      method,
      headers: body === undefined ? {} : { "Content-Type": contentType },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await response.text();
    assert.match(response.headers.get("content-type") ?? "", /^application\/json; charset=utf-8$/, `${method} ${apiPath}: ${text}`);
    assert.equal(response.headers.get("x-content-type-options"), "nosniff");
    return { status: response.status, body: JSON.parse(text) as T };
  }
  const health = async () => (await call<Health>("GET", "/honeyflow/health")).body;
  const alerts = async () => (await call<Alert[]>("GET", "/honeyflow/alerts?limit=1000")).body;
  const predict = (event: unknown) => call<Prediction & Refusal>("POST", "/honeyflow/predict", event);

  /** A failed SSH login as Cowrie 2.x writes it, one connection per attempt as brute-force bots do. */
  function failedLogin(srcIp: string, timeMs: number, username: string, password: string): Record<string, unknown> {
    return {
      ...loginTemplate, username, password, src_ip: srcIp, timestamp: epochMsToCowrieTimestamp(timeMs),
      session: createHash("sha1").update(`${srcIp}/${timeMs}`).digest("hex").slice(0, 12),
      message: `login attempt [${username}/${password}] failed`,
    };
  }

  /**
   * A wordlist brute force from `srcIp`, 5 attempts a second from `startMs` on, posted to predict until
   * the live model calls an attempt anomalous; that attempt's prediction. Each burst stops there, as the
   * model learns what it scores: a second full-length burst of the same shape would no longer stand out.
   */
  async function bruteForceUntilFlagged(srcIp: string, startMs: number): Promise<Prediction> {
    for (let i = 0; i < 400; i++) {
      const { status, body } = await predict(failedLogin(srcIp, startMs + i * 200, `user${i}`, `pw${i}`));
      assert.equal(status, 200, JSON.stringify(body));
      if (body.anomaly) return body;
    }
    assert.fail(`400 failed logins from ${srcIp} in 80 s were never called anomalous`);
  }

  const isPair = (srcIp: string, type: string) => (alert: Alert) => alert.src_ip === srcIp && alert.type === type;

  before(async function () {
    this.timeout(120_000); // the first runtime of a test process packs and installs the package
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-rest-api-"));
    log = path.join(dir, "cowrie.json");
    const generated = spawnSync(process.execPath, [cli, "generate", "--events", "6000", "--seed", "4", "--rate", "5", "--out", log], { encoding: "utf8" });
    assert.equal(generated.status, 0, `${generated.stdout}${generated.stderr} (run \`npm run build\` first)`);
    const lines = fs.readFileSync(log, "utf8").trim().split("\n");
    generatedEvents = lines.length;
    lastEventMs = cowrieTimestampToEpochMs((JSON.parse(lines[lines.length - 1]) as { timestamp: string }).timestamp) as number;
    afterLogMs = Math.ceil(lastEventMs);
    loginTemplate = JSON.parse(lines.find((line) => line.includes('"cowrie.login.failed"')) as string) as Record<string, unknown>;
    episodes = JSON.parse(fs.readFileSync(`${log}.labels.json`, "utf8")) as Episode[];

    runtime = await startNodeRed({ env: { HONEYFLOW_COWRIE_LOG: log } });
    await runtime.deploy(JSON.parse(fs.readFileSync(restApiFlow, "utf8")) as FlowNode[]);
  });

  after(async function () {
    await runtime?.dispose();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("answers GET /honeyflow/health with counts that grow as the sensor log grows", async function () {
    const seen: Health[] = [];
    await runtime.waitFor(async () => {
      seen.push(await health());
      return seen[seen.length - 1].events === generatedEvents;
    }, 30_000, `all ${generatedEvents} generated events counted`);
    const counts = seen.map((answer) => answer.events);
    assert.deepEqual(counts, [...counts].sort((a, b) => a - b), "events never go down");
    for (const answer of seen) {
      assert.equal(answer.status, "ok");
      assert.ok(Number.isInteger(answer.uptime_s) && answer.uptime_s >= 0, JSON.stringify(answer));
    }

    // Cowrie appends; the tail reads on, and the count follows.
    fs.appendFileSync(log, hostileCredentials.map(([username, password], i) =>
      `${JSON.stringify(failedLogin(hostileSource, afterLogMs + (i + 1) * 1000, username, password))}\n`).join(""));
    await runtime.waitFor(async () => (await health()).events === generatedEvents + hostileCredentials.length, 20_000, "the appended events counted");
    await runtime.waitFor(async () => (await health()).alerts > 0, 20_000, "an alert from the live log counted");
  });

  it("lists the newest clean events first at GET /honeyflow/logs, attacker text as the same JSON strings", async function () {
    const { status, body: newest } = await call<CanonicalEvent[]>("GET", "/honeyflow/logs?limit=5");
    assert.equal(status, 200);
    assert.deepEqual(
      newest.map(({ eventid, src_ip, username, password, time_ms }) => ({ eventid, src_ip, username, password, time_ms })),
      hostileCredentials.map(([username, password], i) => ({
        eventid: "cowrie.login.failed", src_ip: hostileSource, username, password, time_ms: afterLogMs + (i + 1) * 1000,
      })).reverse(),
    );

    const { body: byDefault } = await call<CanonicalEvent[]>("GET", "/honeyflow/logs");
    assert.equal(byDefault.length, 100);
    assert.deepEqual(byDefault.slice(0, 5), newest);
    assert.equal(byDefault[5].time_ms, lastEventMs, "then the generated log's last event");
    const times = byDefault.map((event) => event.time_ms);
    assert.deepEqual(times, [...times].sort((a, b) => b - a), "newest first");

    // Express would answer JSONP (a script any web page can load) to an object handed to res.jsonp().
    const jsonp = await call<CanonicalEvent[]>("GET", "/honeyflow/logs?limit=5&callback=steal");
    assert.deepEqual(jsonp.body, newest);
  });

  it("refuses a limit that is not a whole number from 1 to 1000 with 400 and a reason", async function () {
    for (const list of ["logs", "alerts"]) {
      for (const limit of ["abc", "0", "5000", "1.5", "-1", "", "1e2"]) {
        const { status, body } = await call<Refusal>("GET", `/honeyflow/${list}?limit=${limit}`);
        assert.equal(status, 400, `${list}?limit=${limit}`);
        assert.equal(body.error, "bad-limit");
        assert.match(body.detail, /1 to 1000/);
      }
      assert.equal((await call<unknown[]>("GET", `/honeyflow/${list}?limit=1000`)).status, 200);
    }
  });

  it("reports the alerts the live log raised at GET /honeyflow/alerts, newest first", async function () {
    const listed = await alerts();
    assert.ok(listed.length > 0);
    // The flow's enrich places each source with the bundled offline databases, as this lookup does.
    const geo = await OfflineGeoLookup.open();
    for (const alert of listed) {
      assert.equal(alert.schema, 5);
      assert.deepEqual(alert.src_geo, { ...geo.lookup(alert.src_ip) }, `src_geo of ${alert.src_ip}`);
      assert.match(alert.id, /^[0-9a-f]{20}$/);
      assert.ok(alert.count >= 1 && alert.score > 0 && alert.summary.startsWith(`${alert.src_ip}: ${alert.type}`), JSON.stringify(alert));
    }
    const times = listed.map((alert) => Date.parse(alert.time));
    assert.deepEqual(times, [...times].sort((a, b) => b - a), "newest first");
    const injected = listed.filter((alert) => episodes.some((episode) => episode.type === alert.type && episode.src_ips.includes(alert.src_ip)));
    assert.ok(listed.some((alert) => typeof alert.src_geo?.country === "string"), "the generated log's public sources have countries");
    assert.ok(injected.length > 0, `no alert names an injected episode's source and type: ${JSON.stringify(listed.map((a) => a.summary))}`);
    assert.deepEqual((await call<Alert[]>("GET", "/honeyflow/alerts?limit=1")).body, listed.slice(0, 1));
  });

  it("scores a posted event with the live model at POST /honeyflow/predict", async function () {
    const { status, body } = await predict(failedLogin("198.51.100.50", afterLogMs + 600_000, "root", "123456"));
    assert.equal(status, 200, JSON.stringify(body));
    assert.deepEqual(Object.keys(body).sort(), ["anomaly", "explanation", "score", "threshold", "warm"]);
    assert.ok(body.score >= 0 && body.score <= 1 && body.threshold > 0 && body.threshold <= 1, JSON.stringify(body));
    assert.equal(body.warm, true, "the detector has warmed up on the live log");
    assert.equal(body.anomaly, false, "one failed login from a new source is nothing unusual");
    assert.equal(body.explanation, null);
  });

  it("refuses what is not one valid Cowrie event with 400 and a reason, and an event posted twice with 409", async function () {
    const valid = failedLogin("198.51.100.51", afterLogMs + 601_000, "admin", "admin");
    const refusals: Array<[unknown, string, string?]> = [
      [[valid], "not-an-object"],
      ["just text", "not-an-object", "text/plain"],
      [{ ...valid, src_ip: undefined }, "missing-src_ip"],
      [{ ...valid, src_ip: "999.1.1.1" }, "bad-src_ip"],
      [{ ...valid, timestamp: "yesterday" }, "bad-timestamp"],
      [{ ...valid, eventid: undefined }, "missing-eventid"],
    ];
    for (const [event, reason, contentType] of refusals) {
      const { status, body } = await call<Refusal>("POST", "/honeyflow/predict", event, contentType);
      assert.equal(status, 400, JSON.stringify(event));
      assert.equal(body.error, reason);
      assert.equal(typeof body.detail, "string");
    }

    assert.equal((await predict(valid)).status, 200);
    const again = await predict(valid);
    assert.equal(again.status, 409);
    assert.deepEqual(again.body, { error: "duplicate", detail: "cowrie.login.failed" });
  });

  it("answers a body that does not parse, and a time past what a Date holds, with a JSON 400 and a reason", async function () {
    for (const body of ['{"eventid": "cowrie.login.failed", "src_ip": "1.2.', "{", "\u0000"]) {
      const { status, body: answer } = await call<Refusal>("POST", "/honeyflow/predict", body);
      assert.equal(status, 400, body);
      assert.equal(answer.error, "malformed-json");
    }
    // One such event used to throw inside clean: no answer, the socket held open.
    const valid = failedLogin("198.51.100.52", afterLogMs + 602_000, "admin", "admin");
    for (const time of [{ epoch: 1e20 }, { time: 1e17 }, { epoch: "99999999999999999999" }]) {
      const { status, body } = await predict({ ...valid, timestamp: undefined, ...time });
      assert.equal(status, 400, JSON.stringify(time));
      assert.equal(body.error, "bad-timestamp");
      assert.match(body.detail, /year 9999/);
    }
    assert.equal((await predict(valid)).status, 200, "and goes on answering");
  });

  it("refuses bad feedback at POST /honeyflow/update: 404 for an unknown alert, 400 with a reason otherwise", async function () {
    const [known] = await alerts();
    const refusals: Array<[unknown, number, string]> = [
      [{ alert_id: "0123456789abcdef0123", verdict: "false_positive" }, 404, "unknown-alert"],
      [{ alert_id: known.id, verdict: "true_positive" }, 400, "bad-verdict"],
      [{ alert_id: known.id }, 400, "bad-verdict"],
      [{ verdict: "false_positive" }, 400, "bad-alert_id"],
      [{ alert_id: known.id, verdict: "false_positive", scope: "everything" }, 400, "bad-scope"],
      [[known.id], 400, "not-an-object"],
      // Bodies Express's JSON parser refused with an HTML page and a stack trace.
      ["{", 400, "malformed-json"],
      ["null", 400, "not-an-object"],
      [`{"alert_id": "${"x".repeat(70_000)}", "verdict": "false_positive"}`, 413, "too-large"],
    ];
    for (const [body, status, reason] of refusals) {
      const answer = await call<Refusal>("POST", "/honeyflow/update", body);
      assert.equal(answer.status, status, JSON.stringify(body));
      assert.equal(answer.body.error, reason);
    }
  });

  it("stops alerting on the source and attack type an analyst marked a false positive, and on nothing else", async function () {
    const marked = (await alerts()).find((alert) => alert.type === "brute-force");
    assert.ok(marked, "the live log raised a brute-force alert");
    const update = await call<{ marked: unknown }>("POST", "/honeyflow/update", { alert_id: marked.id, verdict: "false_positive" });
    assert.equal(update.status, 200);
    assert.deepEqual(update.body, { marked: { type: "brute-force", src_ip: marked.src_ip } });
    const before = new Set((await alerts()).map((alert) => alert.id));
    const alertsBefore = (await health()).alerts;

    // An hour after the log ends, the marked source brute-forces again, and then another source does the same.
    const fromMarked = await bruteForceUntilFlagged(marked.src_ip, afterLogMs + 3_600_000);
    assert.equal(fromMarked.explanation?.attack_type, "brute-force", JSON.stringify(fromMarked));
    assert.ok(fromMarked.explanation.top_features.length > 0 && (fromMarked.score > fromMarked.threshold || fromMarked.sustained === "source" || fromMarked.typed !== undefined), JSON.stringify(fromMarked));
    const fromOther = await bruteForceUntilFlagged(controlSource, afterLogMs + 7_200_000);
    assert.equal(fromOther.explanation?.attack_type, "brute-force", JSON.stringify(fromOther));

    // Node-RED delivers messages in order: once the other source's alert is listed, every alert the
    // marked source's anomalies could have raised would be listed too.
    const listed = await runtime.waitFor(async () => {
      const now = await alerts();
      return now.some(isPair(controlSource, "brute-force")) && now;
    }, 20_000, `a brute-force alert for ${controlSource}`);
    assert.deepEqual(listed.filter((alert) => isPair(marked.src_ip, "brute-force")(alert) && !before.has(alert.id)), [],
      "a new alert for the marked source and type");
    assert.ok((await health()).alerts > alertsBefore);
  });

  it("with scope any-source, stops alerting on that attack type from every source", async function () {
    const other = (await alerts()).find(isPair(controlSource, "brute-force"));
    assert.ok(other, "the previous test's alert");
    const update = await call<{ marked: unknown }>("POST", "/honeyflow/update", { alert_id: other.id, verdict: "false_positive", scope: "any-source" });
    assert.equal(update.status, 200);
    assert.deepEqual(update.body, { marked: { type: "brute-force" } });

    const flagged = await bruteForceUntilFlagged(anySourceProbe, afterLogMs + 10_800_000);
    assert.equal(flagged.explanation?.attack_type, "brute-force", JSON.stringify(flagged));
    // The detector sent the anomaly to the alert node as it sent the scored event to the switch, and Node-RED
    // delivers in order: the alert would be remembered one node later, the answer left three nodes later.
    assert.deepEqual((await alerts()).filter(isPair(anySourceProbe, "brute-force")), []);
    assert.deepEqual(runtime.log.filter((line) => /\[error\]/.test(line)), [], "the runtime logged errors");
  });

  it("keeps what GET /honeyflow/logs remembers bounded in size when attackers type megabytes", async function () {
    // cowrie in reads lines up to 1 MiB: 1,000 such events would be a gigabyte held in the flow's context.
    const { events } = await health();
    const typed = Array.from({ length: 24 }, (_, i) => ({
      ...loginTemplate, eventid: "cowrie.command.input", src_ip: "198.51.100.61", message: "CMD", input: `${i} `.padEnd(1_000_000, "A"),
      timestamp: epochMsToCowrieTimestamp(afterLogMs + 14_400_000 + i * 1000),
    }));
    fs.appendFileSync(log, typed.map((event) => `${JSON.stringify(event)}\n`).join(""));
    await runtime.waitFor(async () => (await health()).events === events + typed.length, 30_000, "the typed events counted");
    const response = await fetch(`${runtime.url}/honeyflow/logs?limit=1000`);
    const text = await response.text();
    assert.equal(response.status, 200);
    assert.ok(text.length < 17_000_000, `${text.length} characters of remembered events`);
    const [newest] = JSON.parse(text) as Array<{ input: string }>;
    assert.equal(newest.input, typed[typed.length - 1].input, "the newest event is kept whole");
  });
});
