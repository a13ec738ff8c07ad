import assert from "node:assert/strict";
import { DrainSignal } from "../../src/delivery/drain-signal";

describe("DrainSignal", () => {
  it("resolves at once when already empty, on notify, or at the time limit", async () => {
    const signal = new DrainSignal();
    const order: string[] = [];
    await signal.wait(true, 60_000).then(() => order.push("empty"));
    const notified = signal.wait(false, 60_000).then(() => order.push("notified"));
    const timedOut = signal.wait(false, 10).then(() => order.push("timed out"));
    await timedOut;
    signal.notify();
    await notified;
    assert.deepEqual(order, ["empty", "timed out", "notified"]);
  });
});
