/**
 * Calls back whenever a log file may have changed: created, appended, renamed away, deleted.
 *
 * The directory is watched rather than the file, because rotation replaces the file and a
 * watch on the old inode would go quiet. inotify can drop events under load and is absent on
 * some mounts (NFS, some container volumes), so a slow poll backs the watcher up; `LogTail`
 * makes a spurious check cheap.
 */
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
  const poll = setInterval(onChange, pollMs);
  return {
    async close() {
      clearInterval(poll);
      await watcher.close();
    },
  };
}
