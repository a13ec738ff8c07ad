import assert from "node:assert/strict";
import { saveModelEvery } from "../../../nodes/kit/model-store";

describe("saveModelEvery", () => {
  it("reports a save that throws and tries again at the next tick, instead of throwing from the timer", async () => {
    const reported: string[] = [];
    let saves = 0;
    const timer = saveModelEvery(5, () => {
      saves += 1;
      if (saves <= 2) throw new Error(`ENOSPC ${saves}`);
    }, (err) => reported.push(err.message));
    try {
      while (saves < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    } finally {
      clearInterval(timer);
    }
    assert.deepEqual(reported, ["ENOSPC 1", "ENOSPC 2"]);
  });
});
