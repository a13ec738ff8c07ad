/**
 * A command line the command cannot run: an unknown option, a missing or malformed value.
 * `honeyflow` answers it the way getopt-style tools do - the reason and the command's usage on
 * stderr, exit code 2 - so that a script can tell a mistyped call (2) from a failed run (1).
 * `node:util`'s parseArgs reports its own findings as TypeErrors with an ERR_PARSE_ARGS_ code;
 * they are usage errors too.
 */
export class UsageError extends Error {}

export function isUsageError(err: unknown): err is Error {
  if (err instanceof UsageError) return true;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return err instanceof Error && typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_");
}
