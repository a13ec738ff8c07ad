import assert from "node:assert/strict";
import { TypedDetection } from "../../src/typed-detection/typed-detection";

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
});
