/**
 * Opens a file for reading only if it is a regular file: a FIFO, a directory or a device given
 * where a file belongs is refused with an error that names the path and what it is, and nothing
 * is left open. The open is non-blocking: opening a FIFO for reading would otherwise wait for a
 * writer for ever (holding one of libuv's few threads), and a device such as /dev/zero never ends.
 *
 *     const handle = await openRegularFile("/var/lib/GeoIP/GeoLite2-City.mmdb");
 *     try { return await handle.readFile(); } finally { await handle.close(); }
 */
import { constants, type Stats } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";

export async function openRegularFile(file: string): Promise<FileHandle> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new Error(`${file} is not a regular file but ${fileKind(stats)}`);
    return handle;
  } catch (err) {
    await handle.close();
    throw err;
  }
}

function fileKind(stats: Stats): string {
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isDirectory()) return "a directory";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSocket()) return "a socket";
  return "not a file";
}
