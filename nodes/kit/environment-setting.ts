/**
 * Settings that bundled flows fill from environment variables, such as `${HONEYFLOW_MQTT_URL}`.
 * Node-RED replaces a setting that is exactly `${NAME}` with the variable's value, and leaves
 * the text as it is when the variable is not set: such a setting then means "the default", so
 * that a flow imported on a standard install runs without editing.
 */
const UNRESOLVED = /^\$\{[^}]*\}$/;

export function settingOrDefault(value: string | undefined, fallback: string): string {
  const text = (value ?? "").trim();
  return text === "" || UNRESOLVED.test(text) ? fallback : text;
}
