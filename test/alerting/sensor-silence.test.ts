import assert from "node:assert/strict";
import { SensorSilenceWatch } from "../../src/alerting/sensor-silence";

const T0 = Date.UTC(2026, 2, 18, 10, 0, 0);

describe("SensorSilenceWatch", () => {
  it("raises one alert when nothing is heard for the silence time, and a recovery when events return", () => {
    const watch = new SensorSilenceWatch(60_000, T0);
    assert.equal(watch.heard(T0 + 10_000, "sensor-1"), undefined, "no recovery without a silence");
    assert.equal(watch.check(T0 + 69_999), undefined, "not silent yet");
    const silence = watch.check(T0 + 70_000);
    assert.ok(silence);
    assert.equal(silence.type, "sensor-silence");
    assert.equal(silence.severity, "high");
    assert.equal(silence.resolved, false);
    assert.equal(silence.sensor, "sensor-1");
    assert.equal(silence.first_seen, new Date(T0 + 10_000).toISOString(), "since the last event");
    assert.equal(silence.summary, `sensor-1: no events for 60 s, the last at ${new Date(T0 + 10_000).toISOString()}`);
    assert.equal(watch.check(T0 + 500_000), undefined, "once per silence");
    const recovery = watch.heard(T0 + 600_000, "sensor-1");
    assert.ok(recovery);
    assert.equal(recovery.resolved, true);
    assert.equal(recovery.resolves, silence.id);
    assert.notEqual(recovery.id, silence.id, "a recovery is its own message: (id, count) stays unique per message");
    assert.equal(recovery.severity, "low");
    assert.equal(recovery.last_seen, new Date(T0 + 600_000).toISOString());
    assert.match(recovery.summary, /events again after 590 s of silence/);
    assert.equal(watch.heard(T0 + 600_001, "sensor-1"), undefined);
    assert.ok(watch.check(T0 + 660_001), "a new silence is reported again");
  });

  it("counts from the start until the first event, and stays quiet when off (0)", () => {
    assert.ok(new SensorSilenceWatch(1000, T0).check(T0 + 1000));
    const off = new SensorSilenceWatch(0, T0);
    assert.equal(off.check(T0 + 365 * 86_400_000), undefined);
    assert.throws(() => new SensorSilenceWatch(-1, T0), RangeError);
  });
});
