#!/bin/sh
# Command-line behaviour: help/man consistency, agreement with openssl on
# real certificates, the system trust store, timeouts, output bounds.
. "$TOP_SRCDIR/tests/lib.sh"
FIX=$FIXTURES/core
PY=/usr/bin/python3
scratch

# --- --help and the man page document the same options
run_plugin --help
is "$rc" 0 "--help exits 0"
help_opts=$(printf '%s\n' "$out" | grep -oE -- '--[a-z0-9][a-z0-9-]+' | sort -u)
man_opts=$(sed 's/\\-/-/g' "$TOP_SRCDIR/plugin/check_cert_expiry.1" | grep -oE -- '--[a-z0-9][a-z0-9-]+' | sort -u)
missing=$(printf '%s\n' "$help_opts" | while read -r o; do printf '%s\n' "$man_opts" | grep -qx -- "$o" || echo "$o"; done)
is "$missing" "" "every option in --help is in the man page"
extra=$(printf '%s\n' "$man_opts" | while read -r o; do printf '%s\n' "$help_opts" | grep -qx -- "$o" || echo "$o"; done)
is "$extra" "" "the man page documents no option that --help lacks"
src_opts=$(grep -oE '\{ "[a-z0-9-]+", (no|required)_argument' "$TOP_SRCDIR/plugin/options.c" | sed -E 's/\{ "([^"]+)".*/--\1/' | sort -u)
is "$src_opts" "$help_opts" "--help lists exactly the options the code accepts"
run_plugin -V
like "$out" '^check_cert_expiry [0-9]+\.[0-9]+' "-V prints the version"

# --- the plugin agrees with openssl on the fixtures
for f in ok warn crit expired notyet noexpiry sanonly pc001 trusted; do
	pem=$FIX/$f.pem
	run_plugin -o json --now=2026-11-24 "$pem"
	got=$(printf '%s' "$out" | $PY -c '
import json,sys
c=json.load(sys.stdin)["certificates"][0]
print(c["serial"], c["sha256"], c["not_after"], c["not_before"])')
	serial=$($OPENSSL x509 -in "$pem" -noout -serial | sed 's/^serial=//')
	fp=$($OPENSSL x509 -in "$pem" -noout -fingerprint -sha256 | sed 's/^.*=//; s/://g' | tr A-F a-f)
	end=$($OPENSSL x509 -in "$pem" -noout -enddate | sed 's/^notAfter=//')
	start=$($OPENSSL x509 -in "$pem" -noout -startdate | sed 's/^notBefore=//')
	end=$(date -u -d "$end" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || echo "$end")
	start=$(date -u -d "$start" +%Y-%m-%dT%H:%M:%SZ)
	is "$got" "$serial $fp $end $start" "$f: serial, SHA-256, validity as openssl reports them"
done

# --- the system trust store: each unique root once, expiry as openssl says
if [ -d /etc/ssl/certs ] && ls /etc/ssl/certs/*.pem >/dev/null 2>&1; then
	for f in /etc/ssl/certs/*.pem; do
		$OPENSSL x509 -in "$f" -noout -fingerprint -sha256 -enddate 2>/dev/null |
			tr '\n' ' ' | sed -E 's/^.*Fingerprint=([0-9A-F:]+) notAfter=(.*) $/\1 \2/'
		echo
	done | sort -u >"$T/openssl.txt"
	$PY - "$T/openssl.txt" >"$T/want.txt" <<'PYEOF'
import sys, datetime
out=set()
for line in open(sys.argv[1]):
    line=line.strip()
    if not line: continue
    fp, date = line.split(" ", 1)
    d=datetime.datetime.strptime(date.replace("  "," "), "%b %d %H:%M:%S %Y GMT")
    out.add("%s %s" % (fp.replace(":","").lower(), d.strftime("%Y-%m-%dT%H:%M:%SZ")))
print("\n".join(sorted(out)))
PYEOF
	"$PLUGIN" -o json /etc/ssl/certs >"$T/plugin.json"
	$PY -c '
import json,sys
d=json.load(open(sys.argv[1]))
print("\n".join(sorted("%s %s" % (c["sha256"], c["not_after"]) for c in d["certificates"])))' \
		"$T/plugin.json" >"$T/got.txt"
	n=$(wc -l <"$T/want.txt")
	missing=$(comm -23 "$T/want.txt" "$T/got.txt" | head -5)
	is "$missing" "" "every root of /etc/ssl/certs/*.pem is reported with openssl's expiry ($n roots)"
	dups=$($PY -c '
import json,sys
d=json.load(open(sys.argv[1]))
s=[c["sha256"] for c in d["certificates"]]
print(len(s)-len(set(s)))' "$T/plugin.json")
	is "$dups" 0 "no certificate of the trust store is reported twice"
	$PY -c '
import json,sys
d=json.load(open(sys.argv[1]))
hashed=[c for c in d["certificates"] if not any(s["path"].endswith(".0") or s["path"].endswith(".1") for s in c["sources"])]
print(len(hashed))' "$T/plugin.json" >"$T/nohash"
	is "$(cat "$T/nohash")" 0 "each root is also found through its hash symlink"
else
	ok 0 "# SKIP no /etc/ssl/certs"
fi

# --- output bounds: the long output is capped under 8 KiB
run_plugin -w 100000 -c 1 /etc/ssl/certs "$FIX/set"
size=$(printf '%s\n' "$out" | wc -c)
ok $([ "$size" -lt 8192 ] && echo 0 || echo 1) "nagios output stays under 8 KiB ($size bytes)"
like "$(printf '%s\n' "$out" | tail -n 1)" '^\.\.\. and [0-9]+ more$' "the cut says how many lines are left out"
is "$(printf '%s\n' "$out" | head -n 1 | grep -c '|')" 1 "the status line carries the perfdata"

# --- timeout: UNKNOWN with a clear line
mkfifo "$T/slow"
sleep 8 >"$T/slow" &
writer=$!
start=$(date +%s)
out=$("$PLUGIN" -t 1 - <"$T/slow"); rc=$?
end=$(date +%s)
kill "$writer" 2>/dev/null
is "$rc" 3 "timeout exits UNKNOWN"
like "$out" '^CERT_EXPIRY UNKNOWN - timed out after 1 second' "timeout says so"
ok $([ $((end - start)) -lt 6 ] && echo 0 || echo 1) "the plugin stopped at its timeout, not at end of input"

# --- list mode: exit 0 on success, 3 when a source had an error
run_plugin -l --now=2026-11-24 "$FIX/set/crit"
is "$rc" 0 "list exits 0 even with critical certificates"
run_plugin -l --now=2026-11-24 "$FIX/set/bad"
is "$rc" 3 "list exits 3 when a source had an error"
like "$err" 'truncated\.der: invalid certificate' "list names the broken file on stderr"

# --- JSON stays valid with hostile names and broken files
run_plugin -o json --now=2026-11-24 "$FIX/pipe.pem" "$FIX/set/bad" "$FIX/set/skip"
printf '%s' "$out" | $PY -c 'import json,sys; json.load(sys.stdin)' 2>/dev/null
ok $? "JSON output is valid with a hostile name, errors and skipped files"

# --- a source that is a FIFO or a device is an error, never a hang
mkfifo "$T/fifo"
run_plugin -t 5 --now=2026-11-24 "$FIX/ok.pem" "$T/fifo" /dev/null
is "$rc" 3 "FIFO and device: UNKNOWN"
like "$out" 'fifo: not a regular file \(FIFO\)' "the FIFO is named"
like "$out" '/dev/null: not a regular file \(device\)' "the device is named"
like "$out" '1 ok of 1 certificate' "the good certificate is still reported"

# --- an empty directory: nothing found, UNKNOWN (and no undefined behaviour)
mkdir -p "$T/empty"
run_plugin --now=2026-11-24 "$T/empty"
is "$rc" 3 "an empty directory is UNKNOWN"
like "$out" '^CERT_EXPIRY UNKNOWN - no certificate found' "and says nothing was found"
is "$err" "" "nothing on stderr (sanitizers quiet)"

# --- --no-follow: links leading out of the tree are not followed
mkdir -p "$T/tree"
ln -s "$FIX/warn.pem" "$T/tree/outside.pem"
cp "$FIX/ok.pem" "$T/tree/ok.pem"
ln -s ok.pem "$T/tree/inside.pem"
run_plugin --now=2026-11-24 "$T/tree"
like "$out" '1 warning, 1 ok of 2' "links are followed by default"
run_plugin --now=2026-11-24 -vv --no-follow "$T/tree"
like "$out" '0 warning, 1 ok of 1' "--no-follow does not follow a link out of the tree"
like "$out" 'outside.pem: symbolic link leads out of the scanned tree' "and says so at -vv"

done_testing
