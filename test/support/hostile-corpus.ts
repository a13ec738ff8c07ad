/**
 * A hostile Cowrie log, generated from a seed: the generator's valid lines with, between them,
 * what an attacker (or a broken sensor) can put in a log. Each line says what it is and what
 * must become of it, so that a test can account for every line:
 *
 * - `event`: a Cowrie event clean must keep. Attacker text (newlines, quotes, commas, `#`, `+`,
 *   `<script>`, Slack `<!channel>`, control characters) in usernames, passwords, commands, URLs,
 *   client versions and sensor names; `__proto__`/`constructor` keys; every IPv6 form; a port of
 *   99999 or 1e400 and a redacted `dst_ip` (a bad secondary field costs only that field); deep
 *   nesting in a field nothing reads (refused at intake: copies of it would overflow the stack). Each has a session of its own, so none is a duplicate.
 * - `rejected`: a JSON object clean must refuse, with the reason it must give (a time past year
 *   9999 or before year 0, a time that is text, no source, no eventid).
 * - `malformed`: no event at all (JSON that does not parse, a JSON value that is not an object,
 *   a line over the 1 MiB line limit), with the reason `cowrie in` gives.
 * - `blank`: an empty line, which carries nothing and is only counted.
 *
 * The last line has no newline. `eventsAlone` is the log without its junk: the same events in the
 * same order, so that a test can check that the junk changed nothing in what they score.
 *
 *     const corpus = hostileCorpus({ seed: "corpus", validLines: 2000 });
 *     fs.writeFileSync(file, corpus.text);
 *     corpus.lines.filter((l) => l.kind === "event").length;
 */
import { CowrieLogGenerator } from "../../src/datasets/synth/cowrie/cowrie-log-generator";
import { SeededRandom } from "../../src/stats/seeded-random";
import { hostileText } from "./hostile-text";

export type CorpusLineKind = "event" | "rejected" | "malformed" | "blank";

export interface CorpusLine {
  text: string;
  kind: CorpusLineKind;
  /** For `rejected`, clean's reason; for `malformed`, cowrie in's. */
  reason?: string;
  /** What the line tries, for messages. */
  what: string;
}

export interface HostileCorpus {
  lines: CorpusLine[];
  /** The whole log: lines joined by newlines, without one after the last. */
  text: string;
  /** The `event` lines alone, in order, each with its newline. */
  eventsAlone: string;
}

/** `what` of the log generator's own lines. */
export const GENERATED = "a generated line";

export interface HostileCorpusOptions {
  seed: string;
  /** Lines from the log generator (a 5-events-per-second sensor). */
  validLines: number;
  /** One hostile line after about this many valid ones; default 3. */
  validPerHostile?: number;
  /** Lines over the 1 MiB line limit (2 MiB each); default 3. The first line is always one. */
  longLines?: number;
}

/** The line limit of `cowrie in` and `honeyflow score`. */
export const LINE_LIMIT_BYTES = 1024 * 1024;
const LONG_LINE_BYTES = 2 * LINE_LIMIT_BYTES;
const NESTING_DEPTH = 100_000;

/** Every textual form of an IPv6 peer a dual-stack sensor can log; each one a valid address. */
export const IPV6_FORMS = [
  "2001:db8::1", "2001:DB8:0:0:0:0:0:2", "2001:0db8:0000:0000:0000:0000:0000:0003", "::1", "::", "fe80::1%eth0",
  "::ffff:203.0.113.77", "::ffff:cb00:714e", "64:ff9b::198.51.100.7", "2001:db8::ffff:192.0.2.1", "2001:db8:0:0:1:0:0:1", "ff02::1",
];

type Event = Record<string, unknown>;

/** Attacker text in the fields attackers write, and in the sensor's name. */
const HOSTILE_FIELDS: Array<{ eventid: string; field: string }> = [
  { eventid: "cowrie.login.failed", field: "username" },
  { eventid: "cowrie.login.success", field: "password" },
  { eventid: "cowrie.command.input", field: "input" },
  { eventid: "cowrie.session.file_download", field: "url" },
  { eventid: "cowrie.client.version", field: "version" },
  { eventid: "cowrie.login.failed", field: "sensor" },
];
const FIXED_HOSTILE_TEXT = [
  "<script>alert(1)</script>", "<!channel> <!here> <@U123>", "a,b=c d", "x\ny\r\nz", 'quote"d\\', "#+/$SYS", "\u0000\u0001\u001b[31m",
  "__proto__", "constructor", "toString", "日本😀\uD800",
];

export function hostileCorpus(options: HostileCorpusOptions): HostileCorpus {
  const random = new SeededRandom(`hostile-corpus/${options.seed}`);
  const validPerHostile = options.validPerHostile ?? 3;
  let longLines = options.longLines ?? 3;
  const lines: CorpusLine[] = [];
  let hostileSerial = 0;
  let previous: Event | undefined;
  const template = () => previous as Event;
  const nextSession = () => `f${(hostileSerial++).toString(16).padStart(11, "0")}`;
  const ownEvent = (eventid: string, fields: Event): Event => ({
    ...template(), eventid, session: nextSession(), src_ip: `198.18.${hostileSerial % 250}.${(hostileSerial >> 8) % 250 + 1}`, message: "hostile", ...fields,
  });

  const pushLong = () => {
    const username = "A".repeat(LONG_LINE_BYTES);
    const text = previous ? JSON.stringify(ownEvent("cowrie.login.failed", { username })) : `{"eventid":"cowrie.login.failed","username":"${username}"}`;
    lines.push({ text, kind: "malformed", reason: "line-too-long", what: "a 2 MiB line" });
    longLines -= 1;
  };
  pushLong();

  const hostileLines: Array<() => CorpusLine> = [
    () => {
      const { eventid, field } = random.pick(HOSTILE_FIELDS);
      const text = random.chance(0.3) ? random.pick(FIXED_HOSTILE_TEXT) : hostileText(random);
      return { text: JSON.stringify(ownEvent(eventid, { [field]: text })), kind: "event", what: `attacker text in ${field}` };
    },
    () => ({ text: JSON.stringify(ownEvent("cowrie.session.connect", { src_ip: random.pick(IPV6_FORMS) })), kind: "event", what: "an IPv6 source" }),
    () => ({
      text: `{"__proto__":{"src_ip":"6.6.6.6","admin":true},"constructor":{"prototype":{"polluted":1}},${JSON.stringify(ownEvent("cowrie.login.failed", { username: "toString" })).slice(1)}`,
      kind: "event", what: "__proto__ and constructor keys",
    }),
    () => ({ text: JSON.stringify(ownEvent("cowrie.direct-tcpip.request", { dst_ip: "127.0.0.1", dst_port: 99999 })), kind: "event", what: "port 99999" }),
    () => ({
      text: JSON.stringify(ownEvent("cowrie.direct-tcpip.request", { dst_ip: "127.0.0.1", dst_port: 1, src_port: 2 })).replace('"dst_port":1,', '"dst_port":1e400,').replace('"src_port":2', '"src_port":-1e400'),
      kind: "event", what: "ports 1e400 and -1e400",
    }),
    () => ({ text: JSON.stringify(ownEvent("cowrie.session.connect", { dst_ip: "x.x.x.x", dst_port: 22, src_port: 4444 })), kind: "event", what: "a redacted dst_ip" }),
    () => ({
      text: `${JSON.stringify(ownEvent("cowrie.login.failed", {})).slice(0, -1)},"nested":${"[".repeat(NESTING_DEPTH)}${"]".repeat(NESTING_DEPTH)}}`,
      kind: "malformed", reason: "nested-too-deep", what: "deep nesting in a field nothing reads",
    }),
    ...[{ epoch: 1e20 }, { time: 1e17 }, { epoch: "99999999999999999999" }, { timestamp: "+010000-01-01T00:00:00.000000Z" },
      { timestamp: "10000-01-01T00:00:00.000000Z" }, { epoch: -1e20 }, { timestamp: "-000001-01-01T00:00:00.000000Z" }, { timestamp: "yesterday" },
      { timestamp: "2026-02-30T25:61:00.000000Z" }, { epoch: "soon" }, { epoch: "NaN" }].map((time) => (): CorpusLine => ({
      text: JSON.stringify({ ...ownEvent("cowrie.login.failed", {}), timestamp: undefined, ...time }),
      kind: "rejected", reason: "bad-timestamp", what: `time ${JSON.stringify(time)}`,
    })),
    () => ({ text: JSON.stringify({ ...ownEvent("cowrie.login.failed", {}), src_ip: undefined }), kind: "rejected", reason: "missing-src_ip", what: "no src_ip" }),
    () => ({ text: JSON.stringify({ ...ownEvent("cowrie.login.failed", {}), src_ip: random.pick(["999.1.1.1", "010.0.0.1", "[2001:db8::1]", "2001:db8::1::2", "1.2.3.4\n", "<script>"]) }), kind: "rejected", reason: "bad-src_ip", what: "a bad src_ip" }),
    () => ({ text: JSON.stringify({ ...ownEvent("cowrie.login.failed", {}), eventid: random.pick([undefined, "", "   ", 42, { $gt: "" }]) }), kind: "rejected", reason: "missing-eventid", what: "no usable eventid" }),
    () => {
      const valid = JSON.stringify(template());
      const cut = valid.slice(0, random.integer(1, valid.length - 1));
      return { text: cut, kind: "malformed", reason: "malformed-json", what: "a line cut short" };
    },
    () => ({ text: random.pick(["{", "}{", '{"eventid":', "\u0000", "   ", "NaN", "{'single':'quotes'}", "\uFEFF{", `${"[".repeat(NESTING_DEPTH)}`]), kind: "malformed", reason: "malformed-json", what: "text that is not JSON" }),
    () => ({ text: random.pick(["[1,2,3]", "42", '"cowrie.login.failed"', "null", "true", `[${JSON.stringify(template())}]`, `${"[".repeat(NESTING_DEPTH)}${"]".repeat(NESTING_DEPTH)}`]), kind: "malformed", reason: "not-an-object", what: "JSON that is not an object" }),
    () => ({ text: "", kind: "blank", what: "a blank line" }),
  ];

  let validTotal = 0;
  for (const { line } of new CowrieLogGenerator({ events: options.validLines, seed: options.seed, rate: 5 })) {
    previous = JSON.parse(line) as Event;
    lines.push({ text: line, kind: "event", what: GENERATED });
    validTotal += 1;
    if (random.chance(1 / validPerHostile)) lines.push(random.pick(hostileLines)());
    if (longLines > 0 && random.chance(longLines / Math.max(1, options.validLines - validTotal))) pushLong();
  }
  const text = lines.map((line) => line.text).join("\n");
  const eventsAlone = lines.filter((line) => line.kind === "event").map((line) => `${line.text}\n`).join("");
  return { lines, text, eventsAlone };
}

/** How many lines of each kind. */
export function tallyKinds(lines: readonly CorpusLine[]): Record<CorpusLineKind, number> {
  const tally = { event: 0, rejected: 0, malformed: 0, blank: 0 };
  for (const line of lines) tally[line.kind] += 1;
  return tally;
}
