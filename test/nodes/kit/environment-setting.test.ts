import assert from "node:assert/strict";
import { settingOrDefault } from "../../../nodes/kit/environment-setting";

describe("settingOrDefault", () => {
  it("keeps a real value, and takes the default for an empty one or an unset ${VARIABLE}", () => {
    assert.equal(settingOrDefault("mqtt://broker:1883", "mqtt://127.0.0.1:1883"), "mqtt://broker:1883");
    assert.equal(settingOrDefault("  ", "d"), "d");
    assert.equal(settingOrDefault(undefined, "d"), "d");
    assert.equal(settingOrDefault("${HONEYFLOW_MQTT_URL}", "d"), "d");
    assert.equal(settingOrDefault("prefix-${X}", "d"), "prefix-${X}", "only a whole-value reference is Node-RED's substitution");
    assert.equal(settingOrDefault(2024, "d"), "2024", "a number a hand-edited flow holds");
  });
});
