/**
 * Cowrie lines through the same parse and `clean` as the pipeline, for the benches that start at
 * a later stage: the canonical events `clean` passes on, in order.
 */
import type { CanonicalEvent } from "../src/domain/canonical-event";
import { CowrieEventCleaner } from "../src/clean/cowrie-event-cleaner";
import { parseCowrieLine } from "../src/ingest/cowrie-line";

/** A back-test's cleaner by default: any event time is fine for generated logs. */
export function cleanedEvents(lines: Iterable<string>, cleaner = new CowrieEventCleaner({ futureToleranceMs: Number.POSITIVE_INFINITY })): CanonicalEvent[] {
  const events: CanonicalEvent[] = [];
  for (const line of lines) {
    const parsed = parseCowrieLine(line);
    const outcome = "reason" in parsed ? undefined : cleaner.clean(parsed.event);
    if (outcome?.kind === "clean") events.push(outcome.event);
  }
  return events;
}
