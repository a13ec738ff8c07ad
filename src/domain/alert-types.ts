/**
 * What an alert can be about: one of the attack types, or a sensor that fell silent (no
 * events for longer than it has ever been quiet). These are the only values an alert's type
 * takes, and so the only words that can appear in an MQTT topic's type level.
 */
import { ATTACK_TYPES } from "./attack-types";

export const SENSOR_SILENCE = "sensor-silence";
export const ALERT_TYPES: readonly string[] = [...ATTACK_TYPES, SENSOR_SILENCE];
