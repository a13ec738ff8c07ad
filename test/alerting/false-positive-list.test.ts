import assert from "node:assert/strict";
import { FalsePositiveList } from "../../src/alerting/false-positive-list";

const HOUR = 3_600_000;

describe("FalsePositiveList", () => {
  it("covers the marked type from the marked source only", () => {
    const marks = new FalsePositiveList();
    marks.mark({ type: "brute-force", src_ip: "10.0.0.9" }, 0);
    assert.equal(marks.covers({ attack_type: "brute-force", src_ip: "10.0.0.9", time_ms: HOUR }), true);
    assert.equal(marks.covers({ attack_type: "brute-force", src_ip: "10.0.0.10", time_ms: HOUR }), false);
    assert.equal(marks.covers({ attack_type: "port-scan/tunnel", src_ip: "10.0.0.9", time_ms: HOUR }), false);
  });

  it("covers a type from every source when no source is given", () => {
    const marks = new FalsePositiveList();
    marks.mark({ type: "traffic-spike" }, 0);
    assert.equal(marks.covers({ attack_type: "traffic-spike", src_ip: "198.51.100.7", time_ms: 1 }), true);
    assert.equal(marks.covers({ attack_type: "brute-force", src_ip: "198.51.100.7", time_ms: 1 }), false);
  });

  it("lets a mark expire after its TTL of event time, and a new mark renews it", () => {
    const marks = new FalsePositiveList({ ttlMs: HOUR });
    marks.mark({ type: "malware-drop", src_ip: "a" }, 0);
    assert.equal(marks.covers({ attack_type: "malware-drop", src_ip: "a", time_ms: HOUR - 1 }), true);
    assert.equal(marks.covers({ attack_type: "malware-drop", src_ip: "a", time_ms: HOUR }), false);
    assert.equal(marks.size, 0, "an expired mark is forgotten");
    marks.mark({ type: "malware-drop", src_ip: "a" }, 2 * HOUR);
    assert.equal(marks.covers({ attack_type: "malware-drop", src_ip: "a", time_ms: 2.5 * HOUR }), true);
  });

  it("keeps at most its capacity, dropping the oldest mark", () => {
    const marks = new FalsePositiveList({ capacity: 2 });
    marks.mark({ type: "brute-force", src_ip: "a" }, 0);
    marks.mark({ type: "brute-force", src_ip: "b" }, 0);
    marks.mark({ type: "brute-force", src_ip: "a" }, 0); // renewed: b is now the oldest
    marks.mark({ type: "brute-force", src_ip: "c" }, 0);
    assert.equal(marks.size, 2);
    assert.deepEqual(["a", "b", "c"].map((ip) => marks.covers({ attack_type: "brute-force", src_ip: ip, time_ms: 1 })), [true, false, true]);
  });
});
