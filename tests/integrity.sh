#!/bin/sh
# Output integrity, regex limits, secrets, "no silent OK" and privileges:
# nothing inside a certificate or an export breaks the status line, the
# perfdata, the JSON or the mail headers; hostile patterns end in UNKNOWN;
# passwords never show; no unreadable source, timeout or failed mail is OK;
# the plugin runs unprivileged and writes only its state file.
. "$TOP_SRCDIR/tests/lib.sh"
PY=/usr/bin/python3
[ -x "$PY" ] && "$PY" -c 'import cryptography' 2>/dev/null ||
	skip_all "needs /usr/bin/python3 with cryptography"
scratch
C=$T/certs
"$PY" "$TOP_SRCDIR/tests/integrity-certs.py" "$C" || skip_all "could not make certificates"

# text_ok OUTPUT PERFDATA(1|0): "" when the text output is intact
text_ok() {
	printf '%s\n' "$1" | "$PY" -c '
import re, sys
b = sys.stdin.buffer.read()
t = b.decode("utf-8")
want_perf = sys.argv[1] == "1"
assert len(b) < 8192, "output %d bytes" % len(b)
assert not any((ord(c) < 32 and c != "\n") or 0x7f <= ord(c) <= 0x9f for c in t), "control character"
if want_perf:
    first = t.split("\n")[0]
    assert first.startswith("CERT_EXPIRY "), "status line"
    assert sum(l.startswith("CERT_EXPIRY") for l in t.split("\n")) == 1, "one status line"
    assert t.count("|") == 1 and "|" in first, "perfdata separator"
    perf = first.split("|", 1)[1].strip().split(" ")
    lab = {}
    for p in perf:
        m = re.fullmatch(r"([a-z_]+)=(-?[0-9.]+)(;[0-9.:~@-]*){0,4}", p)
        assert m, "perfdata item %r" % p
        lab[m.group(1)] = m.group(2)
    for k in ("certificates", "ok", "warning", "critical", "expired", "errors"):
        assert k in lab, "perfdata %s missing" % k
else:
    assert "|" not in t, "pipe in list output"
' "$2" 2>&1 | tail -n 1
}

for opt in "" "-v" "-vv"; do
	run_plugin $opt -t 30 "$C"
	is "$rc" 2 "hostile names ${opt:-(default)}: CRITICAL"
	is "$(text_ok "$out" 1)" "" "hostile names ${opt:-(default)}: one status line, perfdata intact, no control characters, < 8 KiB"
done
like "$out" 'a!b!c=1;2;3' "a '|' in a name is shown as '!'"
# INTERFACE: a certificate whose dates read is reported, the name with U+FFFD
like "$out" "CRITICAL: badutf8-($(printf '\357\277\275')){4}-end expires" \
    "invalid UTF-8 in a certificate name: reported, U+FFFD for the bytes that do not decode"
run_plugin -vv -t 30 "$C/badutf8.pem"
like "$out" "NOTE: line 1: [^ ]*badutf8\\.pem: certificate read with fallbacks: .*subject: CN value is not valid UTF-8" \
    "  and -vv says so"
run_plugin -l -t 30 "$C"
is "$(text_ok "$out" 0)" "" "list output: no control characters, no '|', < 8 KiB"

# JSON: valid, and the names come back as they were
run_plugin -o json -t 30 "$C"
is "$rc" 2 "JSON: CRITICAL"
printf '%s' "$out" >"$T/out.json"
r=$("$PY" - "$T/out.json" "$C/names.json" <<'PYEOF'
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
truth = json.load(open(sys.argv[2]))
got = {}
for c in doc["certificates"]:
    for s in c["sources"]:
        got[s["path"].rsplit("/", 1)[-1]] = c["name"]
bad = [f for f, n in truth.items() if got.get(f) != n]
rows = [c["name"] for c in doc["certificates"] if c["sources"][0]["path"].endswith("index.txt")]
print("mismatch:" + ",".join(bad) if bad else "ok %d %d" % (len(truth), len(rows)))
PYEOF
)
like "$r" '^ok [0-9]+ [0-9]+$' "JSON valid and round-trips every name (pipes, CR/LF, ESC, NUL, quotes, U+2028, 64 KiB)"
like "$r" ' 5$' "JSON: five index.txt rows (the 64 KiB line is an error)"

# ------------------------------------------------------------ regex limits
long_name="$(printf 'a%.0s' $(seq 64))!"
printf 'V\t370101000000Z\t\t1A\tunknown\t/CN=%s\n' "$long_name" >"$T/index.txt"
o=$(timeout 60 "$PLUGIN" -t 30 -f '^(a+)+$' "$T/index.txt")
rc=$?
is "$rc" 3 "catastrophic pattern ^(a+)+\$ on 64 a's + '!': UNKNOWN, no hang"
like "$o" '^CERT_EXPIRY UNKNOWN - .*(limit|regex|pattern|match)' "catastrophic pattern: the status line says why"
run_plugin -t 30 -f 'a(' "$T/index.txt"
is "$rc" 3 "invalid pattern: UNKNOWN"
like "$out" 'offset [0-9]+|position [0-9]+' "invalid pattern: the position is quoted"

# ------------------------------------------------------------ secrets
pw='Sup3r-S3cret-pw!'
printf '%s\n' "$pw" >"$T/pw"
chmod 600 "$T/pw"
run_plugin -t 30 --pkcs12-password-file="$T/pw" "$T/nope.p12"
unlike "$out$err" "$pw" "PKCS#12 password from a file: never printed (missing source)"
"$OPENSSL" req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/k.pem" \
    -subj /CN=p12.example.test -days 365 -out "$T/c.pem" 2>/dev/null
"$OPENSSL" pkcs12 -export -in "$T/c.pem" -inkey "$T/k.pem" -passout pass:other -out "$T/t.p12" 2>/dev/null
run_plugin -vv -t 30 --pkcs12-password-file="$T/pw" "$T/t.p12"
is "$rc" 3 "wrong PKCS#12 password: UNKNOWN"
unlike "$out$err" "$pw" "wrong PKCS#12 password: the password is not echoed"
out=$(CHECK_CERT_EXPIRY_PKCS12_PASSWORD=$pw "$PLUGIN" -vv -o json -t 30 "$T/t.p12" 2>&1)
unlike "$out" "$pw" "password from the environment: not in the JSON output"
chmod 644 "$T/pw"
run_plugin -t 30 --pkcs12-password-file="$T/pw" "$T/c.pem"
like "$err" 'warning: password file .*pw.* readable' "world-readable password file: a warning"
unlike "$out$err" "$pw" "world-readable password file: the password is not echoed"
chmod 600 "$T/pw"
run_plugin -t 30 --pkcs12-password-file="$T/pw" "$T/c.pem"
unlike "$err" 'warning' "private password file: no warning"
# SMTP password: only from a file or the environment, never shown
run_plugin -w 400 -t 30 -m 127.0.0.1:1 -s a@example.com -r b@example.com --smtp-user=u \
    --smtp-password-file="$T/pw" "$T/c.pem"
is "$rc" 3 "mail to a closed port with a WARNING certificate: UNKNOWN (a failed mail is never OK)"
unlike "$out$err" "$pw" "failed mail: the SMTP password is not echoed"
out=$(CHECK_CERT_EXPIRY_SMTP_PASSWORD=$pw "$PLUGIN" -t 30 -m "smtp://u:$pw@127.0.0.1:1" \
    -s a@example.com -r b@example.com --test-mail 2>&1)
unlike "$out" "$pw" "test mail with credentials in the URL: not echoed"

# ------------------------------------------------------------ no silent OK
run_plugin -t 30 "$T/c.pem" "$T/missing.pem"
is "$rc" 3 "one good certificate and one missing file: UNKNOWN"
mkdir -p "$T/empty"
run_plugin -t 30 "$T/empty"
is "$rc" 3 "no certificate at all: UNKNOWN"
printf 'just text\n' >"$T/empty/readme.txt"
run_plugin -t 30 "$T/empty"
is "$rc" 3 "only files without certificates: UNKNOWN"
mkfifo "$T/empty/blocked"
run_plugin -t 30 "$T/c.pem" "$T/empty/blocked"
is "$rc" 3 "a FIFO next to a good certificate: UNKNOWN"
run_plugin -t 30 -l "$T/c.pem" "$T/missing.pem"
is "$rc" 3 "-l with a missing file: exit 3"
run_plugin -t 30 -o json "$T/c.pem" "$T/missing.pem"
is "$rc" 3 "JSON with a missing file: exit 3"
# a timeout: standard input that stays open longer than -t
o=$(sleep 5 | timeout 60 "$PLUGIN" -t 1 -)
is "$?" 3 "timeout: UNKNOWN"
like "$o" '^CERT_EXPIRY UNKNOWN - timed out' "timeout: the status line says so"

# ------------------------------------------------------------ privileges
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null 2>&1; then
	P=$(mktemp -d /tmp/cce-integrity.XXXXXX)
	trap 'rm -rf "$T" "$P"' EXIT
	chmod 755 "$P"
	cp "$C"/*.pem "$C/index.txt" "$T/c.pem" "$P/"
	mkdir "$P/state" && chown nobody "$P/state"
	chmod 644 "$P"/*
	nob="setpriv --reuid=nobody --regid=$(id -gn nobody) --clear-groups"
	o=$(cd "$P" && timeout 60 $nob "$PLUGIN" -t 30 c.pem)
	is "$?" 0 "as nobody: a good certificate is OK (no root needed)"
	o=$(cd "$P" && timeout 60 $nob "$PLUGIN" -t 30 -o json .)
	is "$?" 2 "as nobody: the hostile names: CRITICAL"
	printf '%s' "$o" | "$PY" -c 'import json,sys; json.load(sys.stdin)' 2>/dev/null
	ok $? "as nobody: JSON valid"
	# writes nothing but the state file: the tree is read-only for nobody
	before=$(cd "$P" && find . -newer "$P/c.pem" | sort)
	o=$(cd "$P" && timeout 60 $nob "$PLUGIN" -t 30 -m 127.0.0.1:1 -s a@example.com \
	    -r b@example.com --state-file=state/s c.pem 2>&1)
	after=$(cd "$P" && find . -newer "$P/c.pem" -type f | sort)
	unlike "$after" '^\./[^s]' "as nobody: nothing written outside the state directory"
	if command -v strace >/dev/null 2>&1; then
		(cd "$P" && timeout 60 strace -f -qq -e trace=openat,creat,rename,unlink,unlinkat,mkdir,link,symlink \
		    -o "$T/strace" "$PLUGIN" -t 30 --state-file="$P/state/s" -m 127.0.0.1:1 \
		    -s a@example.com -r b@example.com c.pem >/dev/null 2>&1)
		w=$(grep -E 'O_WRONLY|O_RDWR|O_CREAT|creat\(|rename|unlink|mkdir|link\(|symlink' "$T/strace" |
		    grep -v -E '/state/s|/dev/null|/dev/tty' | grep -v ENOENT | head -n 5)
		is "$w" "" "strace: no write, rename or unlink outside --state-file"
	else
		ok 0 "strace not installed # SKIP"
	fi
else
	ok 0 "privilege checks need root, setpriv and user nobody # SKIP"
fi
done_testing
