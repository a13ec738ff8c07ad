import assert from "node:assert/strict";
import { parseCowrieLine } from "../../src/ingest/cowrie-line";
import { CowrieIntake } from "../../src/ingest/cowrie-intake";
import { CowrieEventCleaner } from "../../src/clean/cowrie-event-cleaner";

const event = {
  eventid: "cowrie.login.failed", username: "root", password: "1234", message: "login attempt [root/1234] failed",
  sensor: "sensor-1", timestamp: "2026-03-18T10:27:01.123456Z", src_ip: "203.0.113.7", session: "a1b2c3d4e5f6", protocol: "ssh",
};

/** An elasticdump (or Elasticsearch search hit) line: the event as Logstash indexed it, under `_source`. */
const elasticdump = { _index: "logstash-2026.03.18", _type: "_doc", _id: "Xy12", _score: 1, _source: { ...event, "@timestamp": "2026-03-18T10:27:01.123Z", type: "Cowrie" } };
/** Filebeat without JSON decoding (its file or Kafka output): the log's line as text in `message`. */
const filebeat = {
  "@timestamp": "2026-03-18T10:27:01.500Z", "@metadata": { beat: "filebeat", type: "_doc", version: "8.11.0" },
  log: { offset: 0, file: { path: "/home/cowrie/cowrie/var/log/cowrie/cowrie.json" } }, message: JSON.stringify(event),
  input: { type: "log" }, host: { name: "sensor-1" }, agent: { type: "filebeat" },
};

describe("shippedCowrieEvent", () => {
  it("reads the Cowrie event inside an elasticdump line and inside a Filebeat line that carries it as text", () => {
    for (const line of [elasticdump, filebeat]) {
      const parsed = parseCowrieLine(JSON.stringify(line));
      assert.ok("event" in parsed, JSON.stringify(parsed));
      assert.equal(parsed.event.eventid, "cowrie.login.failed");
      assert.equal(parsed.event.password, "1234");
    }
  });

  it("cleans them, as lines and as objects a node received, as the event itself", () => {
    const cleaner = new CowrieEventCleaner({ now: () => Date.parse("2026-03-18T12:00:00Z") });
    const expected = cleaner.clean(event);
    assert.equal(expected.kind, "clean");
    for (const shipped of [elasticdump, filebeat, JSON.stringify(elasticdump), JSON.stringify(filebeat)]) {
      const fresh = new CowrieEventCleaner({ now: () => Date.parse("2026-03-18T12:00:00Z") });
      assert.deepEqual(fresh.clean(shipped), expected, typeof shipped === "string" ? shipped.slice(0, 60) : "object");
    }
    const intake = new CowrieIntake(1024 * 1024);
    const [accepted] = intake.fromInput(filebeat);
    assert.ok("accepted" in accepted && accepted.accepted.event.eventid === "cowrie.login.failed");
  });

  it("reads the event a decoder put under a key of its own, and a wrapper inside an elasticdump line", () => {
    // Filebeat's JSON decoding without keys_under_root puts the event under `json`; a Logstash json filter under its `target`.
    const shippedForms = [
      { "@timestamp": "2026-03-18T10:27:01.500Z", json: event, log: { offset: 0 }, input: { type: "log" } },
      { "@timestamp": "2026-03-18T10:27:01.500Z", honeypot: event, message: "not the line", input: { type: "log" } },
      { _index: "filebeat-2026.03.18", _id: "Zz9", _source: filebeat },
    ];
    for (const shipped of shippedForms) {
      const parsed = parseCowrieLine(JSON.stringify(shipped));
      assert.ok("event" in parsed && parsed.event.eventid === "cowrie.login.failed", JSON.stringify(shipped).slice(0, 80));
    }
  });

  it("leaves an event alone, whatever its message says, and a wrapper around no Cowrie event", () => {
    const quoting = { ...event, message: JSON.stringify({ eventid: "cowrie.session.connect" }) };
    const parsed = parseCowrieLine(JSON.stringify(quoting));
    assert.ok("event" in parsed && parsed.event.eventid === "cowrie.login.failed");
    const notCowrie = parseCowrieLine(JSON.stringify({ _source: { level: "info" }, message: "{not json" }));
    assert.ok("event" in notCowrie && "_source" in notCowrie.event);
  });
});
