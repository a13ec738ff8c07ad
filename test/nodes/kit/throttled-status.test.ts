import assert from "node:assert/strict";
import type { NodeStatus } from "node-red";
import { ThrottledStatus } from "../../../nodes/kit/throttled-status";

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("ThrottledStatus", () => {
  it("redraws at most once per interval however often it is asked, and sends only a change", async () => {
    const shown: NodeStatus[] = [];
    let seen = 0;
    const status = new ThrottledStatus({ status: (s: NodeStatus) => void shown.push(s) }, () => ({ fill: "green", text: `${seen} seen` }), 20);
    status.now();
    for (let i = 0; i < 100; i++) {
      seen += 1;
      status.soon();
    }
    await wait(60);
    assert.deepEqual(shown.map((s) => s.text), ["0 seen", "100 seen"]);
    status.now();
    status.now();
    assert.equal(shown.length, 2, "the same status is not sent again");
    status.stop();
  });

  it("shows a flashed status now and the usual one after the interval", async () => {
    const shown: NodeStatus[] = [];
    const status = new ThrottledStatus({ status: (s: NodeStatus) => void shown.push(s) }, () => ({ fill: "green", text: "ok" }), 20);
    status.now();
    status.flash({ fill: "red", text: "bad input" });
    assert.deepEqual(shown.map((s) => s.text), ["ok", "bad input"]);
    await wait(60);
    assert.deepEqual(shown.map((s) => s.text), ["ok", "bad input", "ok"]);
    status.stop();
  });
});
