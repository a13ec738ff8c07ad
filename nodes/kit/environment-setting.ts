/**
 * Settings that bundled flows fill from environment variables, such as `${HONEYFLOW_MQTT_URL}`.
 * Node-RED replaces a setting that is exactly `${NAME}` with the variable's value, and leaves
 * the text as it is when the variable is not set: such a setting then means "the default", so
 * that a flow imported on a standard install runs without editing.
 */
const UNRESOLVED = /^\$\{[^}]*\}$/;

/**
 * A flow written by hand can hold a number, a list or an object where the editor writes text: it is
 * read as text (a database named 2024, a port), so that the node reports what it cannot use
 * rather than throw from its constructor, which drops it from the flow.
 */
export function settingOrDefault(value: unknown, fallback: string): string {
  const text = (value === undefined || value === null ? "" : String(value)).trim();
  return text === "" || UNRESOLVED.test(text) ? fallback : text;
}
