/**
 * HASSH, the fingerprint of an SSH client by the key exchange it offers (Salesforce, 2018,
 * github.com/salesforce/hassh): the MD5 of its key exchange, encryption, MAC and compression
 * algorithm lists, each comma-joined, joined by `;`.
 *
 * Cowrie writes it on `cowrie.client.kex` since 2019. Before, 1.x logged the same lists on
 * `cowrie.client.version` (kexAlgs, encCS, macCS, compCS, from ssh_KEXINIT in
 * cowrie/ssh/transport.py), so the HASSH of a 1.x client is the one a later Cowrie would write.
 *
 *     hasshOfOffer({ kexAlgs: ["curve25519-sha256"], encCS: ["aes128-ctr"], macCS: ["hmac-sha1"], compCS: ["none"] });
 *     // md5("curve25519-sha256;aes128-ctr;hmac-sha1;none"), or undefined when a list is missing
 */
import { createHash } from "node:crypto";

const LISTS = ["kexAlgs", "encCS", "macCS", "compCS"] as const;

/** The HASSH of the offer, or undefined unless all four lists are there as arrays of text. */
export function hasshOfOffer(event: Readonly<Record<string, unknown>>): string | undefined {
  const parts: string[] = [];
  for (const field of LISTS) {
    const list = event[field];
    if (!Array.isArray(list) || !list.every((name) => typeof name === "string")) return undefined;
    parts.push(list.join(","));
  }
  return createHash("md5").update(parts.join(";")).digest("hex");
}
