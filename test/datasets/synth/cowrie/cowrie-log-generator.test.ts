import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { CowrieLogGenerator, CowrieLogGeneratorOptions, GeneratedLine } from "../../../../src/datasets/synth/cowrie/cowrie-log-generator";
import { ATTACK_TYPES, AttackEpisodeLabel, AttackType } from "../../../../src/domain/attack-types";
import { cowrieTimestampToEpochMs } from "../../../../src/ingest/cowrie-timestamp";

type Event = Record<string, unknown>;

interface GeneratedLog {
  lines: GeneratedLine[];
  events: Event[];
  labels: readonly AttackEpisodeLabel[];
}

function generate(options: CowrieLogGeneratorOptions): GeneratedLog {
  const generator = new CowrieLogGenerator(options);
  const lines = [...generator];
  return { lines, events: lines.map((l) => JSON.parse(l.line) as Event), labels: generator.labels };
}

/** Runs a generator to its end for its labels alone. */
function labelsOf(options: CowrieLogGeneratorOptions): readonly AttackEpisodeLabel[] {
  const generator = new CowrieLogGenerator(options);
  for (const line of generator) void line;
  return generator.labels;
}

function timeMs(event: Event): number {
  const ms = cowrieTimestampToEpochMs(event.timestamp as string);
  assert.ok(ms !== undefined, `unparsable timestamp ${String(event.timestamp)}`);
  return ms;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

function sessionsOf(events: readonly Event[]): Map<string, Event[]> {
  const sessions = new Map<string, Event[]>();
  for (const event of events) {
    const id = event.session as string;
    const list = sessions.get(id) ?? [];
    list.push(event);
    sessions.set(id, list);
  }
  return sessions;
}

/** Not public unicast: RFC 1918, loopback, link-local, CGNAT, "this network", multicast, reserved. */
function isNonPublic(ip: string): boolean {
  const [a, b] = ip.split(".").map(Number);
  return (
    a === 0 || a === 10 || a === 127 || a >= 224 ||
    (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)
  );
}

// Event counts of the reference log (sensor-aws-2026-03.json, 5,058 events), copied here so
// the test runs on a machine without the reference data.
const REFERENCE_EVENTS = 5058;
const REFERENCE_COUNTS: Record<string, number> = {
  "cowrie.session.connect": 922,
  "cowrie.session.closed": 922,
  "cowrie.client.version": 835,
  "cowrie.client.kex": 775,
  "cowrie.login.failed": 441,
  "cowrie.command.input": 320,
  "cowrie.session.params": 276,
  "cowrie.log.closed": 272,
  "cowrie.login.success": 265,
};

const FIELDS_ON_EVERY_EVENT = ["eventid", "timestamp", "session", "src_ip", "sensor", "message", "uuid", "protocol"];

describe("CowrieLogGenerator", () => {
  const N = 20_000;
  let log: GeneratedLog;

  before(() => {
    log = generate({ events: N, seed: "42" });
  });

  it("writes exactly the number of lines asked for, numbered from 1", () => {
    for (const events of [0, 1, 137, 5000]) {
      const lines = [...new CowrieLogGenerator({ events, seed: "count" })];
      assert.equal(lines.length, events);
      assert.ok(lines.every((l, i) => l.lineNumber === i + 1));
    }
    assert.equal(log.lines.length, N);
  });

  it("is reproducible from its seed: same seed, same bytes; another seed, other bytes", () => {
    const text = (seed: string | number) => {
      const generator = new CowrieLogGenerator({ events: 5000, seed });
      const lines = [...generator].map((l) => l.line).join("\n");
      return `${lines}\n${JSON.stringify(generator.labels)}`;
    };
    assert.equal(text("reproducible"), text("reproducible"));
    assert.notEqual(text("reproducible"), text("reproducible2"));
    assert.equal(text(9), text("9"));
  });

  it("writes one JSON object per line carrying the fields every Cowrie event has", () => {
    for (const { line } of log.lines) assert.ok(!line.includes("\n"), "a line holds a raw newline");
    for (const event of log.events) {
      for (const field of FIELDS_ON_EVERY_EVENT) assert.ok(field in event, `${String(event.eventid)} lacks ${field}`);
      assert.match(event.eventid as string, /^cowrie\.[a-z0-9_.-]+$/);
      assert.match(event.timestamp as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      assert.match(event.session as string, /^[0-9a-f]{12}$/);
      assert.match(event.src_ip as string, /^\d{1,3}(\.\d{1,3}){3}$/);
      assert.equal(event.protocol, "ssh");
    }
    // One sensor writes the whole log: one host name and one instance UUID.
    assert.equal(new Set(log.events.map((e) => e.sensor)).size, 1);
    assert.equal(new Set(log.events.map((e) => e.uuid)).size, 1);
    assert.match(log.events[0].uuid as string, /^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("keeps Cowrie 2.x's field order and field types", () => {
    const first = (eventid: string) => log.events.find((e) => e.eventid === eventid) as Event;
    assert.deepEqual(Object.keys(first("cowrie.session.connect")), [
      "eventid", "src_ip", "src_port", "dst_ip", "dst_port", "session", "protocol", "message", "sensor", "uuid", "timestamp",
    ]);
    assert.deepEqual(Object.keys(first("cowrie.login.failed")), [
      "eventid", "username", "password", "message", "sensor", "uuid", "timestamp", "src_ip", "session", "protocol",
    ]);
    assert.deepEqual(Object.keys(first("cowrie.client.kex")).slice(0, 9), [
      "eventid", "hassh", "hasshAlgorithms", "kexAlgs", "keyAlgs", "encCS", "macCS", "compCS", "langCS",
    ]);
    assert.deepEqual(Object.keys(first("cowrie.direct-tcpip.request")), [
      "eventid", "dst_ip", "dst_port", "src_ip", "src_port", "message", "sensor", "uuid", "timestamp", "session", "protocol",
    ]);
    assert.deepEqual(first("cowrie.session.params").message, []);
    for (const event of log.events.filter((e) => e.eventid === "cowrie.session.closed")) {
      assert.match(event.duration as string, /^\d+\.\d$/);
    }
    for (const event of log.events.filter((e) => e.eventid === "cowrie.client.kex")) {
      assert.match(event.hassh as string, /^[0-9a-f]{32}$/);
    }
  });

  it("writes timestamps that never go backwards, starting at the start time", () => {
    const startMs = Date.UTC(2025, 0, 2, 3, 4, 5);
    const shifted = generate({ events: 2000, seed: "start", startMs });
    assert.equal(shifted.events[0].timestamp, "2025-01-02T03:04:05.000000Z");
    for (const { events } of [log, shifted]) {
      for (let i = 1; i < events.length; i++) {
        assert.ok(events[i].timestamp as string >= (events[i - 1].timestamp as string), `line ${i + 1} goes back in time`);
      }
    }
  });

  it("writes well-formed sessions: connect first, closed last, one address, true duration", () => {
    const sessions = sessionsOf(log.events);
    const lineOfConnect = new Map<string, number>();
    log.events.forEach((e, i) => e.eventid === "cowrie.session.connect" && lineOfConnect.set(e.session as string, i + 1));
    const unclosed: string[] = [];
    for (const [id, events] of sessions) {
      assert.equal(events[0].eventid, "cowrie.session.connect", `session ${id} does not start with connect`);
      assert.equal(events.filter((e) => e.eventid === "cowrie.session.connect").length, 1);
      assert.equal(new Set(events.map((e) => e.src_ip)).size, 1, `session ${id} has two source addresses`);
      const closedAt = events.findIndex((e) => e.eventid === "cowrie.session.closed");
      if (closedAt < 0) {
        unclosed.push(id);
        continue;
      }
      assert.equal(closedAt, events.length - 1, `session ${id} has events after closed`);
      const seconds = (timeMs(events[closedAt]) - timeMs(events[0])) / 1000;
      assert.ok(Math.abs(Number(events[closedAt].duration) - seconds) <= 0.051, `session ${id} duration`);
    }
    const counts = countBy(log.events, (e) => e.eventid as string);
    assert.equal(counts.get("cowrie.session.connect"), sessions.size);
    assert.equal(counts.get("cowrie.session.closed"), sessions.size - unclosed.length);
    // Only sessions still open when the log stops lack their close.
    for (const id of unclosed) assert.ok((lineOfConnect.get(id) as number) > N * 0.95, `session ${id} left open mid-log`);
  });

  it("mixes background events like the reference sensor", () => {
    const background = log.lines.filter((l) => l.episode === undefined).map((l) => JSON.parse(l.line) as Event);
    const counts = countBy(background, (e) => e.eventid as string);
    for (const [eventid, referenceCount] of Object.entries(REFERENCE_COUNTS)) {
      const share = (counts.get(eventid) ?? 0) / background.length;
      const referenceShare = referenceCount / REFERENCE_EVENTS;
      assert.ok(share > referenceShare * 0.7 && share < referenceShare * 1.4, `${eventid}: ${share} vs ${referenceShare}`);
    }
    for (const rare of ["cowrie.session.file_upload", "cowrie.client.fingerprint", "cowrie.direct-tcpip.request", "cowrie.command.failed"]) {
      assert.ok((counts.get(rare) ?? 0) > 0, `no ${rare} in the background`);
    }
  });

  it("draws background from many public addresses, private ones only rarely", () => {
    const background = log.lines.filter((l) => l.episode === undefined).map((l) => JSON.parse(l.line) as Event);
    const addresses = new Set(background.map((e) => e.src_ip as string));
    assert.ok(addresses.size > 300, `only ${addresses.size} source addresses`);
    const nonPublic = [...addresses].filter(isNonPublic);
    assert.ok(nonPublic.length <= addresses.size * 0.01, `non-public sources: ${nonPublic.join(", ")}`);
    assert.ok(![...addresses].some((ip) => ip.startsWith("127.") || Number(ip.split(".")[0]) >= 224));
  });

  it("uses the client versions, credentials and commands a real sensor sees", () => {
    const top = (eventid: string, field: string, n: number) =>
      [...countBy(log.events.filter((e) => e.eventid === eventid), (e) => String(e[field])).entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, n)
        .map(([value]) => value);
    assert.equal(top("cowrie.client.version", "version", 1)[0], "SSH-2.0-Go");
    assert.equal(top("cowrie.login.failed", "username", 1)[0], "root");
    assert.ok(top("cowrie.login.failed", "password", 3).includes("123456"));
    assert.ok(top("cowrie.command.input", "input", 3).includes("uname -s -v -n -r -m"));
    const versions = new Set(log.events.filter((e) => e.eventid === "cowrie.client.version").map((e) => e.version));
    for (const version of ["SSH-2.0-libssh_0.7.4", "SSH-2.0-paramiko_2.9.2", "SSH-2.0-OpenSSH_8.7"]) assert.ok(versions.has(version), version);
  });

  it("includes attackers' hostile text, which stays valid JSON", () => {
    const attackerText = log.events.flatMap((e) => [e.username, e.password, e.input].filter((v): v is string => typeof v === "string"));
    for (const needle of ["<script>", "<!channel>", '"', "\n", ",", "#"]) {
      assert.ok(attackerText.some((t) => t.includes(needle)), `no attacker text with ${JSON.stringify(needle)}`);
    }
  });

  it("keeps the mean background rate near the requested rate", () => {
    const rate = 0.5;
    const busy = generate({ events: 10_000, seed: "rate", rate });
    const background = busy.lines.filter((l) => l.episode === undefined).length;
    const spanSeconds = (timeMs(busy.events[busy.events.length - 1]) - timeMs(busy.events[0])) / 1000;
    const measured = background / spanSeconds;
    assert.ok(measured > rate * 0.65 && measured < rate * 1.35, `measured ${measured} events/s`);
  });

  it("rejects a negative or fractional event count and a rate that is not positive", () => {
    assert.throws(() => new CowrieLogGenerator({ events: -1, seed: 1 }), RangeError);
    assert.throws(() => new CowrieLogGenerator({ events: 1.5, seed: 1 }), RangeError);
    assert.throws(() => new CowrieLogGenerator({ events: 10, seed: 1, rate: 0 }), RangeError);
    assert.throws(() => new CowrieLogGenerator({ events: 10, seed: 1, rate: Number.NaN }), RangeError);
  });

  describe("planted regime changes", () => {
    const MINUTE = 60_000;
    const start = CowrieLogGenerator.DEFAULT_START_MS;
    /** The log and its labels as one digest: what "the same bytes" means here. */
    const digest = (options: CowrieLogGeneratorOptions) => {
      const generator = new CowrieLogGenerator(options);
      const hash = createHash("sha256");
      for (const { line } of generator) hash.update(`${line}\n`);
      return hash.update(JSON.stringify(generator.labels)).digest("hex");
    };
    const shares = (events: readonly Event[], key: (e: Event) => string | undefined) => {
      const counts = countBy(events.filter((e) => key(e) !== undefined), (e) => key(e) as string);
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      return new Map([...counts].map(([k, n]) => [k, n / total]));
    };
    const version = (e: Event) => (e.eventid === "cowrie.client.version" ? (e.version as string) : undefined);

    it("without any, writes the bytes it wrote before regime changes existed", () => {
      // Digests of the generator's output before the option was added (commit 1bca94d).
      const before = {
        background: "0f3a755b4216334d0f0102467cabac8f56ea44c73f7ef93c805f8d3eaeb38575",
        episodes: "60d8606ec826c64ab81cfbba3a0f914f5b908dfde57a2a81a865d3526be1f19e",
      };
      assert.equal(digest({ events: 20_000, seed: "regimes", rate: 3, maxEpisodes: 0 }), before.background);
      assert.equal(digest({ events: 20_000, seed: "regimes", rate: 3, maxEpisodes: 0, regimeChangesAt: [] }), before.background);
      assert.equal(digest({ events: 8000, seed: "regimes" }), before.episodes);
    });

    it("from each planted time on, another botnet's traffic replaces the old one, and says when in `regimes`", () => {
      const changes = [start + 40 * MINUTE, start + 80 * MINUTE];
      const generator = new CowrieLogGenerator({ events: 20_000, seed: "regimes", rate: 3, maxEpisodes: 0, regimeChangesAt: changes });
      const lines = [...generator];
      const events = lines.map((l) => JSON.parse(l.line) as Event);
      const plain = [...new CowrieLogGenerator({ events: 20_000, seed: "regimes", rate: 3, maxEpisodes: 0 })].map((l) => l.line);
      const regimes = generator.regimes;
      assert.equal(regimes.length, 2);
      assert.deepEqual(regimes.map((r) => timeMs({ timestamp: r.at })), changes);
      assert.notEqual(regimes[0].to, regimes[0].from);
      assert.equal(regimes[1].from, regimes[0].to);
      assert.notEqual(regimes[1].to, regimes[1].from);

      const firstChanged = events.findIndex((e) => timeMs(e) >= changes[0]);
      assert.deepEqual(lines.slice(0, firstChanged).map((l) => l.line), plain.slice(0, firstChanged), "the log before the change is the one without it");
      for (const [i, regime] of regimes.entries()) {
        const first = events[regime.first_line - 1];
        assert.ok(timeMs(first) >= changes[i] && timeMs(first) < changes[i] + MINUTE, `first line ${regime.first_line} at ${String(first.timestamp)}`);
      }

      // Five minutes after each change, for 30 minutes: the new population against the 30 minutes before it.
      const span = (from: number, to: number) => events.filter((e) => timeMs(e) >= from && timeMs(e) < to);
      for (const at of changes) {
        const old = span(at - 30 * MINUTE, at);
        const now = span(at + 5 * MINUTE, at + 35 * MINUTE);
        const [oldClients, newClients] = [shares(old, version), shares(now, version)];
        const gone = [...oldClients].filter(([client, share]) => share > 0.2 && (newClients.get(client) ?? 0) < share / 4);
        const come = [...newClients].filter(([client, share]) => share > 0.2 && (oldClients.get(client) ?? 0) < share / 4);
        assert.ok(gone.length > 0 && come.length > 0, `clients ${JSON.stringify([...oldClients])} -> ${JSON.stringify([...newClients])}`);
        const [oldMix, newMix] = [shares(old, (e) => e.eventid as string), shares(now, (e) => e.eventid as string)];
        const moved = 0.5 * [...new Set([...oldMix.keys(), ...newMix.keys()])].reduce((sum, k) => sum + Math.abs((oldMix.get(k) ?? 0) - (newMix.get(k) ?? 0)), 0);
        assert.ok(moved > 0.1, `the event mix moved by ${moved.toFixed(3)} only`);
        // The old botnet's addresses stop coming back.
        const oldSources = new Set(old.map((e) => e.src_ip));
        const returning = new Set(now.filter((e) => oldSources.has(e.src_ip)).map((e) => e.src_ip));
        assert.ok(returning.size < oldSources.size * 0.05, `${returning.size} of ${oldSources.size} old sources came back`);
      }
    });

    it("plants one every regimeEveryMs until the log ends, and refuses a time that is not finite or a period that is not positive", () => {
      const generator = new CowrieLogGenerator({ events: 20_000, seed: "every", rate: 3, maxEpisodes: 0, regimeEveryMs: 30 * MINUTE });
      const events = [...generator].map((l) => JSON.parse(l.line) as Event);
      const end = timeMs(events[events.length - 1]);
      const planted = generator.regimes.map((r) => timeMs({ timestamp: r.at }));
      // A change is labelled once a visitor of the new population has written a line; at 3 events/s that
      // takes seconds, so every change up to a minute before the end is in, and none after the end.
      const expected = [];
      for (let at = start + 30 * MINUTE; at <= end - MINUTE; at += 30 * MINUTE) expected.push(at);
      assert.ok(expected.length >= 3);
      assert.deepEqual(planted.slice(0, expected.length), expected);
      assert.ok(planted.every((at) => at <= end) && planted.length <= expected.length + 1);
      assert.throws(() => new CowrieLogGenerator({ events: 10, seed: 1, regimeChangesAt: [Number.NaN] }), RangeError);
      assert.throws(() => new CowrieLogGenerator({ events: 10, seed: 1, regimeEveryMs: 0 }), RangeError);
    });
  });

  describe("attack episodes", () => {
    let other: GeneratedLog;

    before(() => {
      other = generate({ events: N, seed: "other" });
    });

    const episodeEvents = (generated: GeneratedLog, index: number) =>
      generated.lines.filter((l) => l.episode === index).map((l) => JSON.parse(l.line) as Event);

    it("labels each episode with the lines, addresses and times that belong to it", () => {
      for (const generated of [log, other]) {
        generated.labels.forEach((label, index) => {
          const own = generated.lines.filter((l) => l.episode === index);
          assert.ok(own.length > 0);
          assert.equal(own[0].lineNumber, label.first_line);
          assert.equal(own[own.length - 1].lineNumber, label.last_line);
          assert.equal(generated.events[label.first_line - 1].timestamp, label.start);
          assert.equal(generated.events[label.last_line - 1].timestamp, label.end);
          const addresses = new Set(label.src_ips);
          for (const l of own) assert.ok(addresses.has(generated.events[l.lineNumber - 1].src_ip as string));
          assert.deepEqual(new Set(own.map((l) => generated.events[l.lineNumber - 1].src_ip)), addresses);
        });
        // Background traffic never comes from an episode's addresses.
        const episodeAddresses = new Set(generated.labels.flatMap((l) => l.src_ips));
        generated.lines.forEach((l, i) => {
          if (l.episode === undefined) assert.ok(!episodeAddresses.has(generated.events[i].src_ip as string), `line ${i + 1}`);
        });
      }
    });

    it("starts episodes after the warm-up, one after another without overlap", () => {
      for (const generated of [log, other]) {
        const labels = generated.labels;
        assert.ok(labels[0].first_line > N * 0.2);
        for (let i = 1; i < labels.length; i++) {
          assert.ok(labels[i].first_line > labels[i - 1].last_line, `episodes ${i - 1} and ${i} overlap`);
          assert.ok(labels[i].start >= labels[i - 1].end);
        }
      }
    });

    it("keeps episodes apart on a busy sensor, where each spans thousands of background lines", () => {
      const busy = labelsOf({ events: N, seed: "busy", rate: 10 });
      assert.ok(busy.length >= 5, `${busy.length} episodes`);
      for (let i = 1; i < busy.length; i++) {
        assert.ok(busy[i].first_line > busy[i - 1].last_line, `episodes ${i - 1} and ${i} overlap`);
      }
    });

    it("writes at most maxEpisodes episodes, and with 0 the same background alone", () => {
      const full = new CowrieLogGenerator({ events: 6000, seed: "cap" });
      const fullLines = [...full];
      const two = labelsOf({ events: 6000, seed: "cap", maxEpisodes: 2 });
      assert.deepEqual(two, full.labels.slice(0, 2));
      const quiet = new CowrieLogGenerator({ events: 6000, seed: "cap", maxEpisodes: 0 });
      const quietLines = [...quiet];
      assert.equal(quietLines.length, 6000);
      assert.deepEqual(quiet.labels, []);
      assert.ok(quietLines.every((l) => l.episode === undefined));
      // Up to the first episode the two logs are the same background.
      const firstEpisodeLine = full.labels[0].first_line;
      assert.deepEqual(quietLines.slice(0, firstEpisodeLine - 1).map((l) => l.line), fullLines.slice(0, firstEpisodeLine - 1).map((l) => l.line));
      assert.throws(() => new CowrieLogGenerator({ events: 10, seed: 1, maxEpisodes: -1 }), /maxEpisodes/);
    });

    it("injects every attack type once 5,000 lines are asked for, and fewer below", () => {
      const types = (labels: readonly AttackEpisodeLabel[]) => labels.map((l) => l.type).sort();
      assert.deepEqual(types(log.labels), [...ATTACK_TYPES].sort());
      assert.deepEqual(types(labelsOf({ events: 5000, seed: "small" })), [...ATTACK_TYPES].sort());
      const short = labelsOf({ events: 2000, seed: "small" });
      assert.ok(short.length >= 1 && short.length < ATTACK_TYPES.length);
      assert.equal(labelsOf({ events: 600, seed: "small" }).length, 0);
      assert.equal(labelsOf({ events: 100_000, seed: "long" }).length, 2 * ATTACK_TYPES.length);
    });

    const episodesOf = (type: AttackType) =>
      [log, other].flatMap((generated) =>
        generated.labels.flatMap((label, index) => (label.type === type ? [{ label, events: episodeEvents(generated, index) }] : [])),
      );

    it("brute-force: one address, hundreds of failed logins within a minute, over a few sessions", () => {
      for (const { label, events } of episodesOf("brute-force")) {
        assert.equal(label.src_ips.length, 1);
        const failed = events.filter((e) => e.eventid === "cowrie.login.failed");
        assert.ok(failed.length >= 100, `${failed.length} failed logins`);
        assert.ok((timeMs(failed[failed.length - 1]) - timeMs(failed[0])) / 1000 <= 65);
        const sessions = new Set(events.map((e) => e.session)).size;
        assert.ok(sessions >= 2 && sessions <= 10, `${sessions} sessions`);
      }
    });

    it("credential-stuffing: many addresses, a few distinct credentials each, in a short window", () => {
      for (const { label, events } of episodesOf("credential-stuffing")) {
        assert.ok(label.src_ips.length >= 8, `${label.src_ips.length} addresses`);
        const logins = events.filter((e) => e.eventid === "cowrie.login.failed" || e.eventid === "cowrie.login.success");
        const pairs = logins.map((e) => `${String(e.username)}\u0000${String(e.password)}`);
        assert.equal(new Set(pairs).size, pairs.length, "a credential pair is repeated");
        for (const count of countBy(logins, (e) => e.src_ip as string).values()) assert.ok(count >= 2 && count <= 8);
        assert.ok((timeMs(events[events.length - 1]) - timeMs(events[0])) / 1000 <= 180);
      }
    });

    it("port-scan/tunnel: one address asking to forward to many ports", () => {
      for (const { label, events } of episodesOf("port-scan/tunnel")) {
        assert.equal(label.src_ips.length, 1);
        const ports = new Set(events.filter((e) => e.eventid === "cowrie.direct-tcpip.request").map((e) => e.dst_port));
        assert.ok(ports.size >= 50, `${ports.size} ports`);
      }
    });

    it("traffic-spike: sessions from many addresses at many times the background rate", () => {
      for (const generated of [log, other]) {
        const background = generated.lines.filter((l) => l.episode === undefined).map((l) => generated.events[l.lineNumber - 1]);
        const backgroundSpan = (timeMs(generated.events[N - 1]) - timeMs(generated.events[0])) / 1000;
        const backgroundRate = background.filter((e) => e.eventid === "cowrie.session.connect").length / backgroundSpan;
        generated.labels.forEach((label, index) => {
          if (label.type !== "traffic-spike") return;
          const connects = episodeEvents(generated, index).filter((e) => e.eventid === "cowrie.session.connect");
          assert.ok(label.src_ips.length >= 20, `${label.src_ips.length} addresses`);
          const spikeSeconds = (timeMs(connects[connects.length - 1]) - timeMs(connects[0])) / 1000;
          assert.ok(connects.length / spikeSeconds > 10 * backgroundRate);
        });
      }
    });

    it("malware-drop: login, wget or curl of a URL, its download, chmod +x, then running it", () => {
      for (const { label, events } of episodesOf("malware-drop")) {
        assert.equal(label.src_ips.length, 1);
        const at = (predicate: (e: Event) => boolean, from = 0) => events.findIndex((e, i) => i >= from && predicate(e));
        const login = at((e) => e.eventid === "cowrie.login.success");
        const fetch = at((e) => e.eventid === "cowrie.command.input" && /\b(wget|curl)\b.*https?:\/\//.test(e.input as string), login);
        const download = at((e) => e.eventid === "cowrie.session.file_download", fetch);
        assert.ok(login >= 0 && fetch > login && download > fetch, "login, fetch and download out of order");
        const url = events[download].url as string;
        assert.ok((events[fetch].input as string).includes(url));
        assert.match(events[download].shasum as string, /^[0-9a-f]{64}$/);
        const file = url.slice(url.lastIndexOf("/") + 1);
        const chmod = at((e) => e.eventid === "cowrie.command.input" && e.input === `chmod +x ${file}`, download);
        const execute = at((e) => e.eventid === "cowrie.command.input" && (e.input as string).includes(file) && /^(\.\/|sh |nohup )/.test(e.input as string), chmod);
        assert.ok(chmod > download && execute > chmod, "chmod and execution missing or out of order");
      }
    });

    it("unusual-behaviour: a login followed by commands background traffic never runs, and long odd input", () => {
      for (const generated of [log, other]) {
        const backgroundInput = new Set(
          generated.lines.filter((l) => l.episode === undefined).map((l) => generated.events[l.lineNumber - 1].input).filter(Boolean),
        );
        generated.labels.forEach((label, index) => {
          if (label.type !== "unusual-behaviour") return;
          const events = episodeEvents(generated, index);
          assert.ok(events.some((e) => e.eventid === "cowrie.login.success"));
          const inputs = events.filter((e) => e.eventid === "cowrie.command.input").map((e) => e.input as string);
          assert.ok(inputs.length >= 5);
          assert.ok(inputs.some((input) => input.length >= 500), "no long input");
          assert.ok(inputs.filter((input) => !backgroundInput.has(input)).length >= inputs.length / 2);
        });
      }
    });
  });
});
