/**
 * The user name and password pairs sessions try: background guesses, the ones the sensor
 * lets in, a wordlist attack's n-th guess, and leaked pairs for credential stuffing.
 */
import type { SeededRandom } from "../../../stats/seeded-random";
import {
  FIRST_NAMES, HOSTILE_TEXT, LAST_NAMES, MAIL_DOMAINS, PASSWORD_SUFFIXES, PASSWORD_WORDS, PASSWORDS, USERNAMES,
} from "./vocabulary";

export function backgroundCredentials(r: SeededRandom): [string, string] {
  if (r.chance(0.01)) return [r.chance(0.5) ? r.pick(HOSTILE_TEXT) : "root", r.pick(HOSTILE_TEXT)];
  const username = r.pickWeighted(USERNAMES);
  // Sprayers often try the user name as the password (user6/user6 on the reference sensor).
  if (username !== "root" && r.chance(0.25)) return [username, username];
  if (r.chance(0.05)) return [username, `${username}${r.pick(PASSWORD_SUFFIXES)}`];
  return [username, r.pickWeighted(PASSWORDS)];
}

/**
 * Credentials a sensor lets in: Cowrie's default userdb takes root with any password but
 * "root" and "123456"; operators commonly add service accounts such as tomcat or oracle.
 */
export function acceptedCredentials(r: SeededRandom): [string, string] {
  const username = r.chance(0.85) ? "root" : r.pick(["admin", "ubuntu", "tomcat", "oracle", "phil"]);
  let password = r.pickWeighted(PASSWORDS);
  if (password === "root" || password === "123456") password = r.pick(["hola", "admin123", "P@ssw0rd"]);
  return [username, password];
}

const WORDLIST_USERS = ["root", "admin", "ubuntu", "test", "oracle", "postgres", "user", "git", "ftpuser", "pi"];

/** The i-th guess of a wordlist attack: every user against each password in turn. */
export function wordlistCredential(i: number, fixedUser: string | undefined): [string, string] {
  const users = fixedUser ? 1 : WORDLIST_USERS.length;
  const guess = Math.floor(i / users);
  const word = PASSWORDS[guess % PASSWORDS.length][0];
  const suffix = PASSWORD_SUFFIXES[Math.floor(guess / PASSWORDS.length) % PASSWORD_SUFFIXES.length];
  return [fixedUser ?? WORDLIST_USERS[i % users], word + suffix];
}

/** A plausible leaked user/password pair, never one already in `tried`. */
export function leakedCredential(r: SeededRandom, tried: Set<string>): [string, string] {
  for (;;) {
    const first = r.pick(FIRST_NAMES);
    const last = r.pick(LAST_NAMES);
    const username = r.pick([
      `${first}.${last}`,
      `${first}${last[0]}`,
      `${first}.${last}@${r.pick(MAIL_DOMAINS)}`,
      `${first}${r.integer(70, 99)}`,
    ]);
    const password = r.chance(0.7)
      ? `${r.pick(PASSWORD_WORDS)}${r.pick(PASSWORD_SUFFIXES)}`
      : `${first[0].toUpperCase()}${first.slice(1)}${r.integer(1970, 2010)}`;
    const key = `${username}\u0000${password}`;
    if (!tried.has(key)) {
      tried.add(key);
      return [username, password];
    }
  }
}
