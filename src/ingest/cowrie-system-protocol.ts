/**
 * The protocol of a Cowrie event that names none, from Twisted's log prefix in its `system`.
 *
 * Cowrie wrote `protocol` only from 2.0. Before, its JSON output (cowrie/output/jsonlog.py in
 * 1.x, 2015-2018) removed only Twisted's `log_*` keys, so every event kept `system`, the prefix
 * Twisted logged it under: `cowrie.ssh.factory.CowrieSSHFactory` or
 * `cowrie.telnet.transport.HoneyPotTelnetFactory` on a connect, `HoneyPotSSHTransport,19,1.2.3.4`,
 * `SSHService 'ssh-userauth' on HoneyPotSSHTransport,...` or `CowrieTelnetTransport,5,1.2.3.4` after.
 *
 *     protocolFromSystem("CowrieTelnetTransport,5,203.0.113.7");  // "telnet"
 *     protocolFromSystem("-");                                     // undefined
 */
export function protocolFromSystem(system: unknown): "ssh" | "telnet" | undefined {
  if (typeof system !== "string") return undefined;
  if (/telnet/i.test(system)) return "telnet";
  if (/ssh/i.test(system)) return "ssh";
  return undefined;
}
