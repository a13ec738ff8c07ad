/**
 * Runs a `honeyflow` subcommand's `run(argv)` in this process, as the CLI would, and collects
 * its exit code and what it printed on stdout and stderr.
 *
 *     const { code, stdout } = await captureCommand(run, "--help");
 */
export interface CommandOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

export async function captureCommand(command: (argv: string[]) => Promise<number>, ...args: string[]): Promise<CommandOutcome> {
  const outcome = { code: -1, stdout: "", stderr: "" };
  const writeOut = process.stdout.write;
  const writeErr = process.stderr.write;
  process.stdout.write = ((chunk: string | Uint8Array) => ((outcome.stdout += chunk.toString()), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((outcome.stderr += chunk.toString()), true)) as typeof process.stderr.write;
  try {
    outcome.code = await command(args);
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
  }
  return outcome;
}
