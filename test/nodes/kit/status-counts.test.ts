import assert from "node:assert/strict";
import { countText, statusCounts } from "../../../nodes/kit/status-counts";

describe("statusCounts", () => {
  it("writes numbers with thousands separators and leaves text alone", () => {
    assert.equal(countText(13716), "13,716");
    assert.equal(countText(0), "0");
    assert.deepEqual(statusCounts({ events: 1234567, rejected: 7, detector: "default", file: "cowrie.json.1000" }),
      { events: "1,234,567", rejected: "7", detector: "default", file: "cowrie.json.1000" });
  });
});
