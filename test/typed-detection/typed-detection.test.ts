import assert from "node:assert/strict";
import { WindowedEvent, WindowFeatures } from "../../src/features/window-features";
import { TypedDetection } from "../../src/typed-detection/typed-detection";

/**
 * A sensor fed as the pipeline feeds it, through window features into typed detection, each source
 * in one session: returns an observer of one event `seconds` after `T0`, answering its finding.
 */
function windowedSensor(T0: number) {
  const windows = new WindowFeatures();
  const typed = new TypedDetection();
  return (seconds: number, src_ip: string, eventid: string, fields: Pick<WindowedEvent, "input" | "password" | "client_version"> = {}) => {
    const event: WindowedEvent = { src_ip, session: `${src_ip}-1`, sensor: "s1", time_ms: T0 + seconds * 1000, eventid, ...fields };
    if (fields.password !== undefined) event.username = "root";
    const { vector, names: layout } = windows.update(event);
    return typed.observe(vector, layout, { src_ip, sensor: "s1", time_ms: event.time_ms as number, eventid });
  };
}

describe("TypedDetection", () => {
  const names = ["campaign_sources_1m", "download_execs_5m", "failed_logins_1m"];
  const event = (src_ip: string, time_ms: number) => ({ src_ip, sensor: "s1", time_ms });

  it("names a source by what it did itself before by the campaign the sensor is under", () => {
    const typed = new TypedDetection();
    // Half an hour of a quiet sensor first: a new sensor is judged against what it has seen so far.
    for (let minute = 0; minute < 30; minute++) typed.observe([1, 0, 1], names, event(`192.0.2.${minute}`, minute * 60_000));
    const at = 31 * 60_000;
    // A credential-stuffing campaign fills the minute (40 sources sharing credentials, far past its prior) ...
    assert.equal(typed.observe([40, 0, 1], names, event("198.51.100.1", at))?.type, "credential-stuffing");
    // ... and in the same minute another source downloads a file and runs it.
    assert.equal(typed.observe([40, 1, 0], names, event("203.0.113.9", at + 1000))?.type, "malware-drop");
    // Of two findings about the sensor's minute or two about the source, the one further past its threshold.
    assert.equal(typed.observe([40, 0, 0], names, event("198.51.100.2", at + 2000))?.type, "credential-stuffing");
  });

  it("learns no watch's baseline from what another watch alerted on: a spike after campaigns is still a spike", () => {
    const layout = ["campaign_sources_1m", "new_ips_per_min"];
    const typed = new TypedDetection();
    const minute = (m: number, campaign: number, newSources: number) => typed.observe([campaign, newSources], layout, event(`192.0.2.${m % 250}`, m * 60_000));
    // A new sensor's first minutes: a new source a minute, and a credential-stuffing campaign of 15
    // new sources in one minute. It is found; the spike watch, still on its prior (20), does not alert.
    for (let m = 0; m < 10; m++) minute(m, 1, 1);
    assert.equal(minute(10, 15, 15)?.type, "credential-stuffing");
    // A day of the sensor's normal: one or two new sources a minute.
    for (let m = 40; m < 1480; m++) minute(m, 1, 1 + (m % 2));
    // Then 12 new sources in a minute, with no credential in common: a traffic spike, not the campaign's echo.
    assert.equal(minute(1500, 1, 12)?.type, "traffic-spike");
  });

  it("finds a small wave on a quiet sensor: four new sources in a minute where two are the most it sees", () => {
    const layout = ["new_ips_per_min"];
    const typed = new TypedDetection();
    // Two days of a quiet sensor: a new source every minute or so, now and then two.
    for (let m = 0; m < 2880; m++) typed.observe([m % 40 === 0 ? 2 : m % 2], layout, event(`192.0.2.${m % 250}`, m * 60_000));
    assert.equal(typed.observe([4], layout, event("203.0.113.4", 2881 * 60_000))?.type, "traffic-spike");
  });

  it("finds a wave of ten new sources a minute in a quiet sensor's first hours, long before its spike baseline is warm", () => {
    const layout = ["new_ips_per_min"];
    const typed = new TypedDetection();
    // Three hours of a sensor that sees a new source every twenty minutes: nine minutes with traffic.
    for (let m = 0; m < 180; m += 20) assert.equal(typed.observe([1], layout, event(`192.0.2.${m}`, m * 60_000)), undefined);
    const findings = [];
    for (let k = 1; k <= 10; k++) findings.push(typed.observe([k], layout, event(`203.0.113.${k}`, 181 * 60_000 + k * 6000)));
    assert.deepEqual(findings.map((finding) => finding?.type).filter(Boolean)[0], "traffic-spike");
  });

  describe("names a wave of new sources on a quiet telnet sensor by what they share", () => {
    const T0 = Date.UTC(2020, 4, 19);
    /** A day of a quiet sensor: a new source every two minutes, one guess each. */
    function quietDay() {
      const sensor = windowedSensor(T0);
      const observe = (seconds: number, src_ip: string, eventid: string, password?: string, client_version?: string) =>
        sensor(seconds, src_ip, eventid, { password, client_version });
      for (let k = 0; k < 720; k++) {
        const ip = `198.51.${Math.floor(k / 250)}.${k % 250}`;
        observe(k * 120, ip, "cowrie.session.connect");
        observe(k * 120 + 1, ip, "cowrie.login.failed", `guess${k}`);
        observe(k * 120 + 2, ip, "cowrie.session.closed");
      }
      return observe;
    }
    /** The first finding's type while ten new sources arrive five seconds apart, each connecting and then doing `visit`. */
    function typeOfWave(visit: (observe: ReturnType<typeof quietDay>, at: number, ip: string) => unknown[]) {
      const observe = quietDay();
      const findings = [];
      for (let k = 0; k < 10; k++) {
        const at = 720 * 120 + 60 + k * 5;
        findings.push(observe(at, `203.0.113.${k}`, "cowrie.session.connect"), ...visit(observe, at, `203.0.113.${k}`));
      }
      return (findings.find((finding) => finding !== undefined) as { type: string } | undefined)?.type;
    }

    it("a campaign: new sources trying the same passwords, named credential stuffing from its first alert", () => {
      const passwords = ["admin", "1234", "vizxv", "xc3511"];
      assert.equal(typeOfWave((observe, at, ip) => passwords.map((password, i) => observe(at + 1 + i * 0.5, ip, "cowrie.login.failed", password))), "credential-stuffing");
    });

    it("a wave of scanners that connect and leave, named a traffic spike", () => {
      assert.equal(typeOfWave((observe, at, ip) => [observe(at + 0.3, ip, "cowrie.session.closed")]), "traffic-spike");
    });

    it("a wave of scanners that share only their SSH client, as every copy of one tool does, named a traffic spike", () => {
      assert.equal(typeOfWave((observe, at, ip) => [
        observe(at + 0.3, ip, "cowrie.client.version", undefined, "SSH-2.0-Go"),
        observe(at + 0.6, ip, "cowrie.session.closed"),
      ]), "traffic-spike");
    });
  });

  it("finds 25 failed logins a minute over parallel connections on a sensor whose worm bots fail 80 a minute one connection at a time", () => {
    const windows = new WindowFeatures();
    const typed = new TypedDetection();
    const T0 = Date.UTC(2020, 4, 19);
    const observe = (seconds: number, src_ip: string, session: string, eventid: string) => {
      const event: WindowedEvent = { src_ip, session, sensor: "s1", time_ms: T0 + seconds * 1000, eventid, username: "root", password: `pw${seconds}` };
      const { vector, names: layout } = windows.update(event);
      return typed.observe(vector, layout, { src_ip, sensor: "s1", time_ms: event.time_ms as number });
    };
    /** A Mirai-like bot: three connections one after another, 27 guesses each, 0.6 s apart. */
    const worm = (start: number, src_ip: string) => {
      const findings = [];
      for (let k = 0; k < 3; k++) {
        const begin = start + k * 17;
        observe(begin, src_ip, `${src_ip}-${k}`, "cowrie.session.connect");
        for (let i = 0; i < 27; i++) findings.push(observe(begin + 0.5 + i * 0.6, src_ip, `${src_ip}-${k}`, "cowrie.login.failed"));
        observe(begin + 16.9, src_ip, `${src_ip}-${k}`, "cowrie.session.closed");
      }
      return findings.filter((finding) => finding !== undefined);
    };
    // Two days of a bot every 20 minutes: the sensor's normal.
    for (let bot = 0; bot < 144; bot++) worm(bot * 1200, `198.51.${Math.floor(bot / 250)}.${bot % 250}`);
    // A cracking tool: four connections at once, 25 guesses in a minute.
    const start = 144 * 1200;
    for (let k = 0; k < 4; k++) observe(start + k * 0.3, "203.0.113.7", `t${k}`, "cowrie.session.connect");
    const found = Array.from({ length: 25 }, (_, i) => observe(start + 2 + i * 2.3, "203.0.113.7", `t${i % 4}`, "cowrie.login.failed"));
    assert.equal(found.find((finding) => finding !== undefined)?.type, "brute-force");
    assert.deepEqual(worm(start + 1200, "192.0.2.80"), [], "the next bot is the sensor's normal");
  });

  it("finds a person typing three rare programs at a shell on a sensor whose bots run four rare ones in a burst", () => {
    const sensor = windowedSensor(Date.UTC(2020, 4, 19));
    const observe = (seconds: number, src_ip: string, eventid: string, input?: string) => sensor(seconds, src_ip, eventid, { input });
    /** A bot: logs in, runs the usual survey, then four programs of its own, line after line. */
    const bot = (start: number, k: number) => {
      observe(start, `198.51.100.${k}`, "cowrie.session.connect");
      observe(start + 0.5, `198.51.100.${k}`, "cowrie.login.success");
      const lines = ["uname -a", "cat /proc/cpuinfo", "ls /tmp", "ps", `kit${k}a`, `kit${k}b`, `kit${k}c`, `kit${k}d`];
      return lines.map((line, i) => observe(start + 1 + i * 0.4, `198.51.100.${k}`, "cowrie.command.input", line)).filter((f) => f !== undefined);
    };
    for (let k = 0; k < 60; k++) bot(k * 600, k);
    const start = 60 * 600;
    observe(start, "203.0.113.5", "cowrie.session.connect");
    observe(start + 5, "203.0.113.5", "cowrie.login.success");
    const found = ["nmap -sS 10.0.0.0/24", "tcpdump -i eth0", "socat TCP:10.0.0.2:22 -"].map((line, i) => observe(start + 12 + i * 7, "203.0.113.5", "cowrie.command.input", line));
    assert.equal(found[2]?.type, "unusual-behaviour", "by the third rare program typed");
    assert.deepEqual(bot(start + 600, 99), [], "the next bot's burst is the sensor's normal");
  });

  describe("a person at a shell typing programs the shell lacks", () => {
    /** A sensor fed through window features; `person` logs in and types a line every 8 s, and the shell logs the `unknown` ones as failed. */
    const shellSensor = () => {
      const sensor = windowedSensor(Date.UTC(2026, 2, 18));
      const observe = (seconds: number, src_ip: string, eventid: string, input?: string) => sensor(seconds, src_ip, eventid, { input });
      const person = (start: number, src_ip: string, lines: string[], unknown: string[] = []) => {
        observe(start, src_ip, "cowrie.session.connect");
        observe(start + 5, src_ip, "cowrie.login.success");
        return lines.map((line, i) => {
          const found = observe(start + 13 + i * 8, src_ip, "cowrie.command.input", line);
          return unknown.includes(line) ? observe(start + 13.001 + i * 8, src_ip, "cowrie.command.failed", line) : found;
        });
      };
      const bot = (seconds: number, src_ip: string) => {
        observe(seconds, src_ip, "cowrie.session.connect");
        observe(seconds + 0.5, src_ip, "cowrie.login.success");
        observe(seconds + 1, src_ip, "cowrie.command.input", "uname -a; cat /proc/cpuinfo; ps; ls /tmp; w");
      };
      return { person, bot };
    };
    const tools = ["cat /etc/shadow", "nmap -sS 10.0.0.0/24", "gcc -o /dev/shm/.x x.c"];
    const missing = tools.slice(1);

    it("on a young sensor whose first people typed four programs it had not seen yet, found by the second", () => {
      const { person, bot } = shellSensor();
      // Three hours of a bot a minute running the usual survey, line after line, and in the first
      // hour people surveying the sensor by hand with programs it had not seen yet.
      const people = new Map([
        [25, ["free -m", "hostname", "pwd", "uptime"]],
        [35, ["crontab -l", "mount", "df -h", "id"]],
        [45, ["lsblk", "dmesg", "last", "who"]],
      ]);
      for (let minute = 0; minute < 180; minute++) {
        bot(minute * 60, `198.51.100.${minute % 250}`);
        const lines = people.get(minute);
        if (lines) person(minute * 60 + 2, `192.0.2.${minute}`, lines);
      }
      const start = 181 * 60;
      const found = person(start, "203.0.113.5", tools, missing);
      assert.deepEqual(found.slice(0, 2), [undefined, undefined], "one program the shell lacks is a typo");
      assert.equal(found[2]?.type, "unusual-behaviour", "by the second program the shell lacks");
      assert.equal(found[2]?.feature, "typed_unknown_commands_5m");
      const surveyed = person(start + 600, "203.0.113.6", ["lscpu", "free -h", "ip addr"]);
      assert.deepEqual(surveyed, [undefined, undefined, undefined], "rare programs the shell runs: no more than the first people typed");
    });

    it("on a sensor minutes old, too new to call any program rare, found by the second", () => {
      const { person, bot } = shellSensor();
      for (let minute = 0; minute < 5; minute++) bot(minute * 60, `198.51.100.${minute}`);
      const found = person(5 * 60, "203.0.113.5", tools, missing);
      assert.deepEqual([found[1], found[2]?.type], [undefined, "unusual-behaviour"]);
    });
  });
});
