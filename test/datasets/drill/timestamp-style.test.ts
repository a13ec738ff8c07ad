import assert from "node:assert/strict";
import { formatTimestamp, TimestampStyleReader } from "../../../src/datasets/drill/timestamp-style";
import { cowrieTimestampToEpochMs } from "../../../src/ingest/cowrie-timestamp";

function styleOf(...timestamps: string[]) {
  const reader = new TimestampStyleReader();
  for (const timestamp of timestamps) reader.observe(timestamp);
  return reader.style();
}

function epochUs(timestamp: string): number {
  return Math.round((cowrieTimestampToEpochMs(timestamp) as number) * 1000);
}

describe("timestamp style", () => {
  it("writes an instant back exactly as the log wrote it, under UTC or an offset", () => {
    for (const timestamp of ["2026-03-18T10:26:59.715732Z", "2020-05-19T19:07:34.138606+0200", "2019-11-02T08:00:00.000001-0500", "2021-01-01 00:00:00.5+05:30", "2021-07-04T12:00:00Z"]) {
      assert.equal(formatTimestamp(epochUs(timestamp), styleOf(timestamp)), timestamp);
    }
  });

  it("follows the log's clock into and out of daylight saving time", () => {
    const style = styleOf("2020-03-29T01:59:00.000000+0100", "2020-03-29T03:01:00.000000+0200", "2020-10-25T02:30:00.000000+0100");
    assert.equal(formatTimestamp(Date.UTC(2020, 2, 29, 0, 30) * 1000, style), "2020-03-29T01:30:00.000000+0100");
    assert.equal(formatTimestamp(Date.UTC(2020, 5, 1, 12) * 1000, style), "2020-06-01T14:00:00.000000+0200");
    assert.equal(formatTimestamp(Date.UTC(2020, 11, 1, 12) * 1000, style), "2020-12-01T13:00:00.000000+0100");
  });

  it("falls back to Cowrie's UTC form when no timestamp could be read", () => {
    assert.equal(formatTimestamp(Date.UTC(2026, 2, 18) * 1000 + 7, styleOf("yesterday")), "2026-03-18T00:00:00.000007Z");
  });
});
