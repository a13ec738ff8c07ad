/**
 * A copy of attacker text (or of its head) to hold in long-lived state, in memory of its own.
 *
 * V8 keeps a cut of a string (slice, split, trim) as a view into the whole string, so a word or a
 * head cut from a megabyte of input keeps the megabyte alive for as long as the cut is held; and a
 * field kept whole is as long as the input made it.
 *
 * ```ts
 * const megabyteUsername = "root".repeat(2 ** 18);
 * const key = heldCopy(megabyteUsername, 128);  // 128 characters, and nothing else kept alive
 * assert.equal(key, "root".repeat(32));
 * ```
 */
export function heldCopy(text: string, maxLength = text.length): string {
  const head = text.length > maxLength ? text.slice(0, maxLength) : text;
  // UTF-16 code units both ways: every string comes back as it was, lone surrogates too.
  return Buffer.from(head, "utf16le").toString("utf16le");
}
