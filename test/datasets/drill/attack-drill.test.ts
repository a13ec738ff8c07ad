import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ATTACK_TYPES, type AttackEpisodeLabel } from "../../../src/domain/attack-types";
import { drillAttacks, type AttackDrillOptions } from "../../../src/datasets/drill/attack-drill";
import { cowrieTimestampToEpochMs } from "../../../src/ingest/cowrie-timestamp";
import { parseCowrieLine } from "../../../src/ingest/cowrie-line";
import { builtBackground, type BackgroundStyle } from "./built-background";
import { expectDrilledLog } from "./drilled-log-expectations";

type DrillSettings = Omit<AttackDrillOptions, "files" | "out">;

describe("drillAttacks", () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "honeyflow-drill-"));
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function drill(style: BackgroundStyle, settings: DrillSettings, name = "drill.json") {
    const real = path.join(dir, `${style}.json`);
    if (!fs.existsSync(real)) fs.writeFileSync(real, builtBackground(style, 600));
    const file = path.join(dir, name);
    const { log, episodes } = await drillAttacks({ ...settings, files: [real], out: fs.createWriteStream(file) });
    return { realText: fs.readFileSync(real, "utf8"), text: fs.readFileSync(file, "utf8"), labels: log.labels, episodes };
  }

  /** The events the drill wrote for its episodes' sources, parsed. */
  function drilledEvents(text: string, labels: ReadonlyArray<{ src_ips: readonly string[] }>): Array<Record<string, unknown>> {
    const drilledIps = new Set(labels.flatMap((l) => l.src_ips));
    return text.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>).filter((e) => drilledIps.has(e.src_ip as string));
  }

  /** Drills into the log at `real` (a crafted one) and returns the events written for its episodes' sources. */
  async function drilledEventsOf(real: string, settings: DrillSettings): Promise<Array<Record<string, unknown>>> {
    const file = path.join(dir, "drill.json");
    const { log } = await drillAttacks({ ...settings, files: [real], out: fs.createWriteStream(file) });
    return drilledEvents(fs.readFileSync(file, "utf8"), log.labels);
  }

  for (const style of ["telnet-2.0", "ssh-3.x", "telnet-1.x", "ssh-1.x"] as const) {
    it(`keeps a ${style} log's lines and writes the episodes in its style, labelled line by line`, async () => {
      const { realText, text, labels } = await drill(style, { seed: "7", episodes: 12, intensity: "mixed" });
      assert.equal(labels.length, 12);
      assert.deepEqual([...new Set(labels.map((l) => l.type))].sort(), [...ATTACK_TYPES].sort());
      expectDrilledLog(realText, text, labels);
    });
  }

  it("writes a telnet sensor's drilled events with its clock's offset, float durations and no SSH handshake", async () => {
    const { text, labels } = await drill("telnet-2.0", { seed: "3", episodes: 6, intensity: "high" });
    const drilled = drilledEvents(text, labels);
    assert.ok(drilled.every((e) => (e.timestamp as string).endsWith("+0200")));
    assert.ok(!drilled.some((e) => e.eventid === "cowrie.client.version" || e.eventid === "cowrie.client.kex"));
    const closed = drilled.filter((e) => e.eventid === "cowrie.session.closed");
    assert.ok(closed.length > 0 && closed.every((e) => typeof e.duration === "number" && /after \d+ seconds$/.test(e.message as string)));
    const connects = drilled.filter((e) => e.eventid === "cowrie.session.connect");
    assert.ok(connects.every((e) => e.protocol === "telnet" && e.dst_port === 2223 && e.dst_ip === "192.168.1.12"));
  });

  it("tells a 1.x telnet sensor, which writes no protocol, by its Twisted system prefix: no SSH handshake drilled, no protocol written", async () => {
    const { text, labels, episodes } = await drill("telnet-1.x", { seed: "3", episodes: 6, intensity: "high" });
    const drilled = drilledEvents(text, labels);
    assert.ok(drilled.length > 0);
    assert.deepEqual(drilled.filter((e) => /^cowrie\.client\./.test(e.eventid as string)).map((e) => e.eventid), []);
    assert.ok(drilled.every((e) => !("protocol" in e)));
    // A telnet spike session writes fewer events than an SSH one, so a spike against the same median minute has more sessions.
    const spike = episodes.find((e) => e.type === "traffic-spike");
    const telnet20 = await drill("telnet-2.0", { seed: "3", episodes: 6, intensity: "high" }, "telnet-2.0-drill.json");
    assert.equal(spike?.srcIps.length, telnet20.episodes.find((e) => e.type === "traffic-spike")?.srcIps.length);
  });

  it("writes a 1.x sensor's Twisted `system` prefix and `isError` on drilled events, each naming its own connection", async () => {
    for (const style of ["telnet-1.x", "ssh-1.x"] as const) {
      const { text, labels } = await drill(style, { seed: "4", episodes: 6, intensity: "low" }, `${style}-drill.json`);
      const drilled = drilledEvents(text, labels);
      const transport = style === "telnet-1.x" ? "CowrieTelnetTransport" : "HoneyPotSSHTransport";
      const numberOf = new Map<string, string>();
      for (const e of drilled) {
        assert.equal(e.isError, 0);
        const system = e.system as string;
        if (e.eventid === "cowrie.session.connect") {
          assert.equal(system, style === "telnet-1.x" ? "cowrie.telnet.transport.HoneyPotTelnetFactory" : "cowrie.ssh.factory.CowrieSSHFactory");
          continue;
        }
        const named = new RegExp(`${transport},(\\d+),${(e.src_ip as string).replaceAll(".", "\\.")}$`).exec(system);
        assert.ok(named, `${e.eventid as string}: ${system}`);
        const session = e.session as string;
        assert.equal(numberOf.get(session) ?? named[1], named[1], `one number for session ${session}`);
        numberOf.set(session, named[1]);
      }
      assert.equal(new Set(numberOf.values()).size, numberOf.size, "a number per session");
    }
  });

  it("names a drilled connection in `system` as a dual-stack 1.x sensor's Twisted did, never the real source its first event named", async () => {
    const real = path.join(dir, "ssh-dual-stack.json");
    // Listening on "::", Twisted names an IPv4 peer "::ffff:198.51.0.7" where Cowrie's src_ip says "198.51.0.7".
    fs.writeFileSync(real, builtBackground("ssh-1.x", 600).replace(/(Transport,\d+,)(198\.51\.)/g, "$1::ffff:$2"));
    const drilled = await drilledEventsOf(real, { seed: "2", episodes: 6, intensity: "low" });
    for (const e of drilled.filter((e) => e.eventid !== "cowrie.session.connect")) {
      assert.match(e.system as string, new RegExp(`HoneyPotSSHTransport,\\d+,(::ffff:)?${(e.src_ip as string).replaceAll(".", "\\.")}$`), e.system as string);
    }
  });

  it("copies no `system` prefix longer than Twisted writes: a log's first login.failed under 100,000 characters of prefix drills its own", async () => {
    const real = path.join(dir, "ssh-long-system.json");
    const lines = builtBackground("ssh-1.x", 600).trim().split("\n");
    const first = lines.findIndex((line) => line.includes('"cowrie.login.failed"'));
    const crafted = JSON.parse(lines[first]) as Record<string, unknown>;
    lines[first] = JSON.stringify({ ...crafted, system: `${"x".repeat(100_000)}HoneyPotSSHTransport,1,${crafted.src_ip as string}` });
    fs.writeFileSync(real, lines.join("\n") + "\n");
    const drilled = await drilledEventsOf(real, { seed: "2", episodes: 6, intensity: "low", types: ["brute-force"] });
    const failed = drilled.filter((e) => e.eventid === "cowrie.login.failed");
    assert.ok(failed.length > 0);
    // The prefix the log's other login.failed events write: `SSHService 'ssh-userauth' on HoneyPotSSHTransport`.
    const own = (crafted.system as string).replace(/,\d+,[^,]+$/, "");
    for (const e of failed) assert.equal(e.system, `${own},${/,(\d+),/.exec(e.system as string)?.[1]},${e.src_ip as string}`, (e.system as string).slice(0, 80));
  });

  it("writes a T-Pot log's dest_ip and dest_port, the sensor's own on connects, and no dst_ip or dst_port", async () => {
    const real = path.join(dir, "tpot.json");
    // T-Pot's Logstash renames Cowrie's dst_ip and dst_port on every event (docker/elk/logstash/dist/logstash.conf).
    const background = builtBackground("ssh-3.x", 600).replace(/"dst_ip":/g, '"dest_ip":').replace(/"dst_port":/g, '"dest_port":');
    fs.writeFileSync(real, background);
    const own = JSON.parse(background.slice(0, background.indexOf("\n"))) as Record<string, unknown>;
    const drilled = await drilledEventsOf(real, { seed: "3", episodes: 6, intensity: "mid" });
    assert.ok(drilled.some((e) => e.eventid === "cowrie.direct-tcpip.request"));
    assert.deepEqual(drilled.filter((e) => "dst_ip" in e || "dst_port" in e).map((e) => e.eventid), []);
    for (const e of drilled.filter((e) => e.eventid === "cowrie.session.connect")) assert.deepEqual([e.dest_ip, e.dest_port], [own.dest_ip, own.dest_port]);
    assert.ok(drilled.filter((e) => e.eventid === "cowrie.login.failed").every((e) => e.dest_port === own.dest_port), "on every connection event, as the log writes them");
  });

  it("drills a log as shippers write it, its lines in time order: Filebeat's line as text in message, or Logstash's @timestamp alone", async () => {
    const lines = builtBackground("ssh-3.x", 600).trim().split("\n");
    const logstashTime = (timestamp: string) => `${timestamp.slice(0, 23)}Z`;
    const shipped = {
      filebeat: lines.map((line) => JSON.stringify({ "@timestamp": "2026-12-01T00:00:00.000Z", log: { offset: 0 }, message: line, input: { type: "log" } })),
      logstash: lines.map((line) => {
        const { timestamp, ...event } = JSON.parse(line) as Record<string, unknown>;
        return JSON.stringify({ ...event, "@timestamp": logstashTime(timestamp as string), "@version": "1" });
      }),
    };
    for (const [form, shippedLines] of Object.entries(shipped)) {
      const real = path.join(dir, `${form}.json`);
      fs.writeFileSync(real, `${shippedLines.join("\n")}\n`);
      const file = path.join(dir, `${form}-drill.json`);
      const { log } = await drillAttacks({ seed: "3", episodes: 6, intensity: "mid", files: [real], out: fs.createWriteStream(file) });
      const events = fs.readFileSync(file, "utf8").trim().split("\n").map((line) => {
        const parsed = parseCowrieLine(line);
        assert.ok("event" in parsed, line.slice(0, 80));
        return parsed.event;
      });
      const times = events.map((e) => cowrieTimestampToEpochMs((e.timestamp ?? e["@timestamp"]) as string) as number);
      times.forEach((time, i) => assert.ok(i === 0 || time >= times[i - 1], `${form}: line ${i + 1} is not earlier than the line before`));
      const drilledIps = new Set(log.labels.flatMap((l) => l.src_ips));
      const drilled = events.filter((e) => drilledIps.has(e.src_ip as string));
      assert.ok(drilled.length > 0);
      if (form === "logstash") assert.deepEqual(drilled.filter((e) => "timestamp" in e || !("@timestamp" in e)).length, 0, "the log's @timestamp, as it writes it");
    }
  });

  it("writes a dual-stack sensor's IPv4 sources as it does, IPv6-mapped, and never one of its real sources", async () => {
    const real = path.join(dir, "dual-stack.json");
    // Cowrie listening on "::" (an IPv6 listen endpoint) names an IPv4 peer ::ffff:198.51.0.209 in src_ip and the connect's message.
    fs.writeFileSync(real, builtBackground("ssh-3.x", 600).replace(/(\d+\.\d+\.\d+\.\d+)/g, "::ffff:$1"));
    const file = path.join(dir, "drill.json");
    const { log } = await drillAttacks({ seed: "2", episodes: 6, intensity: "mid", files: [real], out: fs.createWriteStream(file) });
    const drilledIps = new Set(log.labels.flatMap((l) => l.src_ips));
    const events = fs.readFileSync(file, "utf8").trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    const drilled = events.filter((e) => drilledIps.has((e.src_ip as string).replace(/^::ffff:/, "")));
    assert.ok(drilled.length > 0);
    assert.deepEqual(drilled.filter((e) => !(e.src_ip as string).startsWith("::ffff:")).map((e) => e.src_ip).slice(0, 3), []);
    for (const e of drilled.filter((e) => e.eventid === "cowrie.session.connect")) assert.ok((e.message as string).startsWith(`New connection: ${e.src_ip as string}:`), e.message as string);
    const realSources = new Set(fs.readFileSync(real, "utf8").trim().split("\n").map((line) => (JSON.parse(line) as Record<string, string>).src_ip.replace(/^::ffff:/, "")));
    for (const ip of drilledIps) assert.ok(!realSources.has(ip), ip);
  });

  it("gives drilled sessions ids as long as the log's: 8 hex digits in a log from before 2017", async () => {
    const real = path.join(dir, "ssh-2016.json");
    // The built 1.x log with its 12-digit session ids cut to 8, as Cowrie cut the uuid's hex digits before 2017.
    fs.writeFileSync(real, builtBackground("ssh-1.x", 600).replace(/([0-9a-f]{8})[0-9a-f]{4}\b/g, "$1"));
    const drilled = await drilledEventsOf(real, { seed: "2", episodes: 6, intensity: "low" });
    assert.ok(drilled.length > 0);
    assert.deepEqual([...new Set(drilled.map((e) => (e.session as string).length))], [8]);
    const connect = drilled.find((e) => e.eventid === "cowrie.session.connect") as Record<string, unknown>;
    assert.match(connect.message as string, new RegExp(`\\[session: ${connect.session as string}\\]$`));
  });

  it("learns only session id lengths Cowrie wrote (8 or more hex digits): a log of 4-digit ids is drilled with 12, never run out of ids", async () => {
    const real = path.join(dir, "odd-ids.json");
    // 4 hex digits give 65,536 ids: a log holding them all left none to draw, and the drill drew for ever.
    fs.writeFileSync(real, builtBackground("ssh-1.x", 600).replace(/([0-9a-f]{4})[0-9a-f]{8}\b/g, "$1"));
    const drilled = await drilledEventsOf(real, { seed: "2", episodes: 6, intensity: "low" });
    assert.ok(drilled.length > 0);
    assert.deepEqual([...new Set(drilled.map((e) => (e.session as string).length))], [12]);
  });

  it("writes a 1.x SSH sensor's handshakes as it did, before hassh: one quoted client.version with the key exchange offer, no client.kex", async () => {
    const { text, labels } = await drill("ssh-1.x", { seed: "5", episodes: 6, intensity: "mid" });
    const drilled = drilledEvents(text, labels);
    assert.equal(drilled.filter((e) => e.eventid === "cowrie.client.kex").length, 0);
    const versions = drilled.filter((e) => e.eventid === "cowrie.client.version");
    assert.ok(versions.length > 0);
    for (const v of versions) {
      assert.match(v.version as string, /^'SSH-2\.0-.+'$/);
      assert.equal(v.message, `Remote SSH version: ${v.version as string}`);
      assert.ok(["kexAlgs", "keyAlgs", "encCS", "macCS", "compCS"].every((field) => Array.isArray(v[field])), JSON.stringify(v));
      assert.ok(!("hassh" in v) && !("hasshAlgorithms" in v));
    }
  });

  it("writes the same bytes and labels for the same seed, and others for another seed", async () => {
    const settings: DrillSettings = { seed: "s", episodes: 6, intensity: "mixed" };
    const a = await drill("ssh-3.x", settings, "a.json");
    const b = await drill("ssh-3.x", settings, "b.json");
    const c = await drill("ssh-3.x", { ...settings, seed: "t" }, "c.json");
    assert.equal(a.text, b.text);
    assert.deepEqual(a.labels, b.labels);
    assert.notEqual(a.text, c.text);
  });

  it("gives mixed intensity's levels a third of the episodes each, and every type more than one level", async () => {
    const { episodes } = await drill("ssh-3.x", { seed: "9", episodes: 24, intensity: "mixed" });
    for (const level of ["low", "mid", "high"]) assert.equal(episodes.filter((e) => e.intensity === level).length, 8, level);
    for (const type of ATTACK_TYPES) assert.ok(new Set(episodes.filter((e) => e.type === type).map((e) => e.intensity)).size >= 2, type);
  });

  it("stops, before the output is opened, when the episodes come to more lines than it may hold in memory", async () => {
    const real = path.join(dir, "real.json");
    fs.writeFileSync(real, builtBackground("ssh-3.x", 600));
    let opened = false;
    const out = () => {
      opened = true;
      return fs.createWriteStream(path.join(dir, "drill.json"));
    };
    await assert.rejects(drillAttacks({ files: [real], out, seed: "1", episodes: 6, intensity: "high", types: ["brute-force"], maxLines: 600 }),
      /^RangeError: by episode 2 of 6 the episodes come to \d+ lines, more than the 600 a drill holds in memory: drill fewer episodes, or at a lower intensity$/);
    assert.equal(opened, false);
  });

  it("refuses episodes past the year 9999, which a Cowrie timestamp cannot say, rather than write timestamps nothing reads", async () => {
    const real = path.join(dir, "real.json");
    fs.writeFileSync(real, builtBackground("ssh-3.x", 600));
    const startMs = Date.UTC(9999, 11, 31);
    for (const everyMs of [1000 * 86_400_000, 8.64e27]) {
      let opened = false;
      const out = () => {
        opened = true;
        return fs.createWriteStream(path.join(dir, "drill.json"));
      };
      await assert.rejects(drillAttacks({ files: [real], out, seed: "1", episodes: 3, intensity: "low", startMs, everyMs }),
        /^RangeError: episode 2 would fall after 9999-12-31, the last day a Cowrie timestamp can say: give an earlier --start or a shorter --every$/, String(everyMs));
      assert.equal(opened, false);
    }
  });

  it("starts episodes at --start, --every apart, and pushes one on when the one before runs long", async () => {
    const startMs = Date.UTC(2025, 5, 2, 0, 0, 0);
    const { labels } = await drill("ssh-3.x", { seed: "1", episodes: 6, intensity: "low", startMs, everyMs: 3_600_000 });
    const starts = labels.map((l) => startOf(l));
    assert.equal(starts[0], startMs);
    starts.forEach((start, i) => assert.ok(start >= startMs + i * 3_600_000, `episode ${i} not before its slot`));

    const crowded = await drill("ssh-3.x", { seed: "1", episodes: 6, intensity: "high", startMs, everyMs: 1000 }, "crowded.json");
    crowded.labels.forEach((label, i) => {
      if (i > 0) assert.ok(startOf(label) > (cowrieTimestampToEpochMs(crowded.labels[i - 1].end) as number), `episode ${i} starts after ${i - 1} ends`);
    });
  });

  it("keeps --gap of quiet after each episode: ten minutes unless asked for less", async () => {
    const startMs = Date.UTC(2025, 5, 2, 0, 0, 0);
    const gapsAfter = (labels: readonly AttackEpisodeLabel[]) =>
      labels.slice(1).map((label, i) => startOf(label) - (cowrieTimestampToEpochMs(labels[i].end) as number));
    const standard = await drill("ssh-3.x", { seed: "1", episodes: 4, intensity: "low", startMs, everyMs: 90_000 });
    for (const gap of gapsAfter(standard.labels)) assert.ok(gap >= 600_000, `${gap} ms`);
    const brisk = await drill("ssh-3.x", { seed: "1", episodes: 4, intensity: "low", startMs, everyMs: 90_000, gapMs: 20_000 }, "brisk.json");
    for (const gap of gapsAfter(brisk.labels)) assert.ok(gap >= 20_000 && gap < 600_000, `${gap} ms`);
  });

  it("drills only the --types asked for, in shuffled rounds", async () => {
    const { labels } = await drill("ssh-3.x", { seed: "1", episodes: 4, intensity: "low", types: ["brute-force", "malware-drop"] });
    assert.deepEqual(labels.map((l) => l.type).slice(0, 2).sort(), ["brute-force", "malware-drop"]);
    assert.deepEqual([...new Set(labels.map((l) => l.type))].sort(), ["brute-force", "malware-drop"]);
  });

  it("spreads episodes over the log's time span when no start is given", async () => {
    const { realText, labels } = await drill("telnet-2.0", { seed: "2", episodes: 8, intensity: "low" });
    const realTimes = realText.trim().split("\n").map((line) => cowrieTimestampToEpochMs(JSON.parse(line).timestamp) as number);
    const span = realTimes[realTimes.length - 1] - realTimes[0];
    const starts = labels.map((l) => startOf(l) - realTimes[0]);
    assert.ok(starts[0] > 0 && starts[0] < span / 8, "the first in the first eighth");
    assert.ok(starts[7] > (span * 7) / 8 && starts[7] < span, "the last in the last eighth");
  });
});

function startOf(label: AttackEpisodeLabel): number {
  return cowrieTimestampToEpochMs(label.start) as number;
}
