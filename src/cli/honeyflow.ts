#!/usr/bin/env node
/**
 * `honeyflow`: the pipeline's core run outside Node-RED, for back-tests and synthetic logs.
 * Each subcommand lives in its own file and exports `run(argv)`, resolving to an exit code.
 */
import { LogNotFoundError } from "../ingest/log-replay";
import * as drill from "./drill-command";
import * as evaluate from "./eval-command";
import * as generate from "./generate-command";
import * as replay from "./replay-command";
import * as score from "./score-command";
import * as scoreCsv from "./score-csv-command";
import { isUsageError } from "./usage-error";

/**
 * A subcommand: `run` resolves to the exit code, or throws a UsageError for a command line it
 * cannot run, which is answered with its USAGE (generate answers its own).
 */
interface Command {
  run: (argv: string[]) => Promise<number>;
  USAGE?: string;
}

const COMMANDS: Record<string, { command: Command; summary: string }> = {
  generate: { command: generate, summary: "write a synthetic Cowrie log with labelled attack episodes" },
  drill: { command: drill, summary: "inject labelled attack episodes into your own real Cowrie log" },
  replay: { command: replay, summary: "write Cowrie logs to stdout or a file at a chosen pace" },
  eval: { command: evaluate, summary: "measure detection quality on a labelled log or CSV" },
  score: { command: score, summary: "run the default pipeline over a Cowrie log and write alerts as JSON lines" },
  "score-csv": { command: scoreCsv, summary: "score a numeric CSV row by row, one pass, one score per line" },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `usage: honeyflow <command> [options]\n\ncommands:\n${lines.join("\n")}\n\n` +
    "Run `honeyflow <command> --help` for a command's options.\n";
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h") {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    process.stderr.write(`honeyflow: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  try {
    return await entry.command.run(rest);
  } catch (err) {
    if (isUsageError(err)) {
      process.stderr.write(`honeyflow ${name}: ${err.message}\n\n${entry.command.USAGE ?? usage()}`);
      return 2;
    }
    if (err instanceof LogNotFoundError) {
      process.stderr.write(`honeyflow ${name}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`honeyflow: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
