#!/usr/bin/env node
/**
 * `honeyflow`: the pipeline's core run outside Node-RED, for back-tests and synthetic logs.
 * Each subcommand lives in its own file and exports `run(argv)`, resolving to an exit code.
 */
import { run as evaluate } from "./eval-command";
import { run as generate } from "./generate-command";
import { run as replay } from "./replay-command";
import { run as score } from "./score-command";
import { run as scoreCsv } from "./score-csv-command";

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, { run: Command; summary: string }> = {
  generate: { run: generate, summary: "write a synthetic Cowrie log with labelled attack episodes" },
  replay: { run: replay, summary: "write Cowrie logs to stdout or a file at a chosen pace" },
  eval: { run: evaluate, summary: "measure detection quality on a labelled log or CSV" },
  score: { run: score, summary: "run the default pipeline over a Cowrie log and write alerts as JSON lines" },
  "score-csv": { run: scoreCsv, summary: "score a numeric CSV row by row, one pass, one score per line" },
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
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`honeyflow: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  return command.run(rest);
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
