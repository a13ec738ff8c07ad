/**
 * A node's `msg.control`, looked up in its table of controls by the table's own names only: a plain
 * lookup finds what every object inherits ("toString", "constructor") and runs it.
 *
 *     const control = controlNamed({ reset: () => scorer.reset() }, msg.control);  // undefined unless one of them
 */
export function controlNamed<T>(controls: Record<string, T>, name: unknown): T | undefined {
  return typeof name === "string" && Object.hasOwn(controls, name) ? controls[name] : undefined;
}
