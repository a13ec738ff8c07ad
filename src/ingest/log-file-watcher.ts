/**
 * Calls back whenever a log file may have changed: created, appended, renamed away, deleted.
 *
 * The directory is watched rather than the file, because rotation replaces the file and a
 * watch on the old inode would go quiet. inotify can drop events under load and is absent on
 * some mounts (NFS, some container volumes), so a slow poll backs the watcher up; `LogTail`
 * makes a spurious check cheap.
 *
 * chokidar (which follows the directory through renames and its own re-creation) passes on at
 * most one change of a file per 50 ms and drops the rest, which alone held lines back tens of
 * milliseconds and left a line written just after another waiting for the poll (`npm run
 * bench`, alert latency). Node's own watch of the directory reports every write,
 * so both watch, and `LogTail` merges the checks they trigger.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { watch } from "chokidar";

export interface LogFileWatch {
  close(): Promise<void>;
}

export function watchLogFile(file: string, pollMs: number, onChange: () => void): LogFileWatch {
  const base = path.basename(file);
  const watcher = watch(path.dirname(file), {
    depth: 0,
    ignoreInitial: true,
    // chokidar's atomic-write folding would delay a rename rotation by 100 ms for nothing.
    atomic: false,
    ignored: (candidate: string) => candidate !== path.dirname(file) && !path.basename(candidate).startsWith(base),
  });
  watcher.on("all", onChange);
  // A missing directory is not an error for a log that does not exist yet: the poll covers it.
  watcher.on("error", () => undefined);
  let direct: fs.FSWatcher | undefined;
  try {
    direct = fs.watch(path.dirname(file), (_event, name) => {
      if (name === null || String(name).startsWith(base)) onChange();
    });
    direct.on("error", () => undefined);
  } catch {
    // No directory yet: chokidar and the poll see it appear.
  }
  const poll = setInterval(onChange, pollMs);
  return {
    async close() {
      clearInterval(poll);
      direct?.close();
      await watcher.close();
    },
  };
}
