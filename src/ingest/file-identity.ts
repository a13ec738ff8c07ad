/**
 * Telling whether the file at a path is still the file we were reading.
 *
 * Rename rotation keeps the inode and moves the name; `copytruncate` keeps the name and
 * inode but empties the file (the old content moves to a copy with a new inode); delete and
 * recreate may even hand the old inode number to the new file. So a file is recognised by
 * its device and inode *and* a hash of its first bytes, as Filebeat's fingerprint does:
 * Cowrie's first line carries a microsecond timestamp and a session id, so two logs never
 * share it.
 */
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";

/** Bytes of a file's head that identify it. */
export const FINGERPRINT_BYTES = 1024;

export interface FileIdentity {
  dev: number;
  ino: number;
  /** sha1 of the first `fingerprintBytes` bytes. */
  fingerprint: string;
  fingerprintBytes: number;
}

/** Identity of an open file, fingerprinting as much of its head as exists (up to FINGERPRINT_BYTES), and that head. */
export async function identifyOpenFile(handle: fs.FileHandle): Promise<{ identity: FileIdentity; head: Buffer }> {
  const stat = await handle.stat();
  const head = await readHead(handle, Math.min(FINGERPRINT_BYTES, stat.size));
  return { identity: identityWithHead(stat, head), head };
}

/** Identity of the file `dev` and `ino` name, whose first bytes are `head`. */
export function identityWithHead({ dev, ino }: { dev: number; ino: number }, head: Buffer): FileIdentity {
  return { dev, ino, ...fingerprintOf(head) };
}

/** Does this open file start with the bytes `identity` was taken from? */
export async function headMatches(handle: fs.FileHandle, identity: FileIdentity): Promise<boolean> {
  const head = await readHead(handle, identity.fingerprintBytes);
  return head.length === identity.fingerprintBytes && fingerprintOf(head).fingerprint === identity.fingerprint;
}

function fingerprintOf(head: Buffer): Pick<FileIdentity, "fingerprint" | "fingerprintBytes"> {
  return { fingerprint: createHash("sha1").update(head).digest("hex"), fingerprintBytes: head.length };
}

export async function readHead(handle: fs.FileHandle, bytes: number): Promise<Buffer> {
  const head = Buffer.alloc(bytes);
  let filled = 0;
  while (filled < bytes) {
    const { bytesRead } = await handle.read(head, filled, bytes - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return head.subarray(0, filled);
}
