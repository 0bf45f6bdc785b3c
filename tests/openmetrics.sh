#!/bin/sh
# -o openmetrics and --metrics-file against the real tools: promtool check
# metrics and prometheus_client's strict OpenMetrics parser accept every
# document, and every value agrees with the JSON of the same run
# (tests/openmetrics-check.py); names with quotes, backslashes and control
# characters round-trip; --metrics-file leaves the usual output alone, is
# 0644 and atomic under a concurrent reader; a file that cannot be written
# is UNKNOWN naming it, with no temporary left behind.
. "$TOP_SRCDIR/tests/lib.sh"
scratch
PY=/usr/bin/python3
CHECK=$TOP_SRCDIR/tests/openmetrics-check.py
C=$FIXTURES/core
NOW=--now=2026-11-24

# The tools are test dependencies (contrib/bootstrap.sh): missing is a failure.
command -v promtool >/dev/null 2>&1
ok $? "promtool is installed (Debian package prometheus)"
$PY -c 'from prometheus_client.openmetrics.parser import text_string_to_metric_families'
ok $? "prometheus_client's OpenMetrics parser is installed (python3-prometheus-client)"
$PY -c 'import cryptography'
ok $? "python3-cryptography is installed"

# ----------------------------------------------------------- fixtures
# A name with every awkward character: quote, backslash, LF, CR, TAB, other
# C0 controls, DEL, non-ASCII, U+2028; the issuer (self-signed) has them in
# RFC 4514 form, escaped once more.
$PY - "$T/weird.pem" <<'PYEOF'
import datetime, sys
from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
k = ec.generate_private_key(ec.SECP256R1())
name = 'q"b\\s\nn\rr\tt\x01\x1b\x1f\x7f\u00e9\u2028#{}=,'
subj = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name),
                  x509.NameAttribute(NameOID.ORGANIZATION_NAME, 'O "x", \\ y\nz')])
c = (x509.CertificateBuilder().subject_name(subj).issuer_name(subj)
     .public_key(k.public_key()).serial_number(0x1234)
     .not_valid_before(datetime.datetime(2026, 1, 1))
     .not_valid_after(datetime.datetime(2026, 12, 1)).sign(k, hashes.SHA256()))
open(sys.argv[1], "wb").write(c.public_bytes(serialization.Encoding.PEM))
PYEOF
ok $? "certificate with a hostile name made"
# CA-export rows: no SHA-256, no not_before; CSV rows without serial or issuer
printf '"Issued Common Name","Certificate Expiration Date"\r\n"row1.example.test","12/31/2027 11:59 PM"\r\n"row2.example.test","12/05/2026 11:59 PM"\r\n' >"$T/ca.csv"
cp "$TOP_SRCDIR/tests/data/export/easyrsa-index.txt" "$T/index.txt"

# same RUN-ARGS: -o openmetrics and -o json of the same arguments; promtool,
# the strict parser and the comparison. STATES: the counts every document has.
STATES="OK WARNING CRITICAL FORGOTTEN VENDOR RENEWED"
same() {
	what=$1
	shift
	"$PLUGIN" -o openmetrics "$@" >"$T/m" 2>/dev/null
	mrc=$?
	"$PLUGIN" -o json "$@" >"$T/j" 2>/dev/null
	is "$mrc" "$?" "$what: exit code as with -o json"
	p=$(promtool check metrics <"$T/m" 2>&1)
	prc=$?
	is "$prc:$p" "0:" "$what: promtool check metrics finds nothing"
	r=$($PY "$CHECK" "$T/m" "$T/j" $STATES 2>&1)
	is "$?:$r" "0:" "$what: strict parser reads it, every value as in JSON"
}

same "mixed set" $NOW -p "$C/set/mixed"
same "all fixtures, CA exports, errors" $NOW -p "$C" -p "$T/ca.csv" -p "$T/index.txt" \
    -p "$T/missing.pem"
grep -q '^cert_expiry_errors [1-9]' "$T/m"
ok $? "all fixtures: errors counted"
grep -q 'source="'"$T"'/ca.csv:2"' "$T/m"
ok $? "CA-export row: source is PATH:RECORD"
same "--skip-renewed" $NOW --skip-renewed -p "$C/set/renew"
grep -q '^cert_expiry_certificates{state="renewed"} 1$' "$T/m"
ok $? "--skip-renewed: one renewed"
grep -q '^cert_expiry_watched{name="renewed.example.test".* 0$' "$T/m"
ok $? "--skip-renewed: the renewed one is not watched"
same "--forget-after" $NOW --forget-after=1 -p "$C/set/mixed"
grep -q '^cert_expiry_certificates{state="forgotten"} [1-9]' "$T/m"
ok $? "--forget-after: forgotten ones counted"
# --skip-vendor-roots: the expired one counted as vendor, state 0, not watched
mkdir -p "$T/vendor"
cp "$C/set/mixed/expired.pem" "$T/vendor/"
same "--skip-vendor-roots" $NOW --vendor-roots="$T/vendor" -p "$C/set/mixed"
grep -q '^cert_expiry_certificates{state="vendor"} 1$' "$T/m"
ok $? "--skip-vendor-roots: one vendor"
grep -q '^cert_expiry_watched{.*source="'"$C"'/set/mixed/expired.pem".* 0$' "$T/m"
ok $? "--skip-vendor-roots: the vendor one is not watched"
grep -q '^cert_expiry_state{.*source="'"$C"'/set/mixed/expired.pem".* 0$' "$T/m"
ok $? "--skip-vendor-roots: the vendor one has state 0"
same "-f filter" $NOW -f '^(ok|crit)' -p "$C/set/mixed"
same "nothing found" $NOW -p "$C/set/skip"
same "the other day" --now=2040-06-01 -w 60 -c 10 -p "$C/set/mixed" -p "$T/ca.csv"

# the output of a run without --now: last_run is the clock
t0=$(date +%s)
"$PLUGIN" -o openmetrics -p "$C/ok.pem" >"$T/m"
t1=$(date +%s)
lr=$(sed -n 's/^cert_expiry_last_run_seconds //p' "$T/m")
ok "$([ "$lr" -ge "$t0" ] && [ "$lr" -le "$t1" ] && echo 0 || echo 1)" \
    "without --now, last_run is the time of the run ($lr)"

# ----------------------------------------------------------- escaping
same "hostile name" $NOW -p "$T/weird.pem"
r=$($PY - "$T/m" "$T/j" <<'PYEOF'
import json, sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families
text = open(sys.argv[1], "rb").read().decode("utf-8")
c = json.load(open(sys.argv[2], encoding="utf-8"))["certificates"][0]
want = 'q"b\\s\nn\rr\tt\x01\x1b\x1f\x7f\u00e9\u2028#{}=,'
for f in text_string_to_metric_families(text):
    for s in f.samples:
        if "name" not in s.labels:
            continue
        if s.labels["name"] != want or s.labels["name"] != c["name"]:
            print("%s: name %r" % (s.name, s.labels["name"]))
        if s.labels["issuer"] != c["issuer"]:
            print("%s: issuer %r, JSON %r" % (s.name, s.labels["issuer"], c["issuer"]))
# only the escaped characters changed: one line per sample, nothing raw but LF
for line in text.split("\n"):
    if line.startswith("cert_expiry_not_after_seconds{"):
        if '\\"b\\\\s\\nn\rr' not in line:
            print("escaped form not found: %r" % line[:60])
PYEOF
)
is "$r" "" "hostile name and issuer round-trip through the strict parser"
is "$(grep -c '^cert_expiry_state{' "$T/m")" 1 "hostile name: one line per sample"

# ----------------------------------------------------------- --metrics-file
mkdir "$T/tf"
for args in "" "-v" "-o json" "-l"; do
	# shellcheck disable=SC2086
	"$PLUGIN" $args $NOW -p "$C/set/mixed" >"$T/plain" 2>&1
	prc=$?
	# shellcheck disable=SC2086
	(umask 077 && "$PLUGIN" $args $NOW -p "$C/set/mixed" \
	    --metrics-file="$T/tf/cert_expiry.prom" >"$T/with" 2>&1)
	is "$?" "$prc" "--metrics-file ${args:-(nagios)}: same exit code"
	cmp -s "$T/plain" "$T/with"
	ok $? "--metrics-file ${args:-(nagios)}: same output"
done
"$PLUGIN" -o openmetrics $NOW -p "$C/set/mixed" >"$T/m"
cmp -s "$T/m" "$T/tf/cert_expiry.prom"
ok $? "--metrics-file holds what -o openmetrics prints"
is "$(stat -c %a "$T/tf/cert_expiry.prom")" 644 "metrics file mode 0644 (umask 077)"
is "$(ls -A "$T/tf")" cert_expiry.prom "no temporary file left"
# -o nagios alone keeps only what it prints; with --metrics-file, all
"$PLUGIN" $NOW -p "$C/set/threshold" -p "$C/set/mixed" --metrics-file="$T/tf/cert_expiry.prom" \
    >/dev/null
"$PLUGIN" -o json $NOW -p "$C/set/threshold" -p "$C/set/mixed" >"$T/j"
r=$($PY "$CHECK" "$T/tf/cert_expiry.prom" "$T/j" $STATES 2>&1)
is "$?:$r" "0:" "--metrics-file with -o nagios: every certificate, as in JSON"

# ----------------------------------------------------------- unwritable
# an empty name, and a wrong format name: usage errors
run_plugin $NOW -p "$C/set/ok" --metrics-file=
is "$rc:$(printf '%s\n' "$out" | head -n 1)" "3:CERT_EXPIRY UNKNOWN - --metrics-file needs a file name" \
    "--metrics-file with an empty name: usage error"
run_plugin -o openmetric -p "$C/set/ok"
is "$rc:$(printf '%s\n' "$out" | head -n 1)" \
    "3:CERT_EXPIRY UNKNOWN - invalid --output 'openmetric' (nagios, list, json or openmetrics)" \
    "-o with a misspelt format: usage error listing openmetrics"
# missing directory: UNKNOWN naming the file, Nagios output as usual
run_plugin $NOW -p "$C/set/ok" --metrics-file="$T/no/such/dir/cert_expiry.prom"
is "$rc" 3 "metrics file in a missing directory: UNKNOWN"
like "$out" "^CERT_EXPIRY UNKNOWN - 0 critical, 0 warning, 1 ok of 1 certificate, 1 error; .*$T/no/such/dir/cert_expiry.prom: metrics file not written: cannot create temporary file: No such file or directory \\| certificates=1" \
    "metrics file in a missing directory: named in the status line"
like "$out" "ERROR: $T/no/such/dir/cert_expiry.prom: metrics file not written" \
    "metrics file in a missing directory: in the long output"
# CRITICAL stays CRITICAL, and the error is still named
run_plugin $NOW -p "$C/set/crit" --metrics-file="$T/no/such/dir/cert_expiry.prom"
is "$rc" 2 "metrics file not written, a critical certificate: CRITICAL"
like "$out" "ERROR: $T/no/such/dir/cert_expiry.prom: metrics file not written" \
    "metrics file not written, a critical certificate: still named"
# JSON lists the error with its path
"$PLUGIN" -o json $NOW -p "$C/set/ok" --metrics-file="$T/no/such/dir/m.prom" >"$T/j"
r=$($PY -c 'import json,sys; e=json.load(open(sys.argv[1]))["errors"]; print(e[0]["path"] if len(e)==1 else e)' "$T/j")
is "$r" "$T/no/such/dir/m.prom" "metrics file not written: a JSON error with its path"
# a directory in the way: the rename fails after the write
mkdir "$T/tf/adir.prom"
run_plugin $NOW -p "$C/set/ok" --metrics-file="$T/tf/adir.prom"
is "$rc" 3 "metrics file is a directory: UNKNOWN"
like "$out" "$T/tf/adir.prom: metrics file not written: rename: Is a directory" \
    "metrics file is a directory: rename failure named"
is "$(ls -A "$T/tf" | tr '\n' ' ')" "adir.prom cert_expiry.prom " \
    "metrics file is a directory: no temporary file left"
rmdir "$T/tf/adir.prom"
# a directory the monitoring user cannot write (root writes anywhere: run
# as nobody); the old file stays as it was
if [ "$(id -u)" -ne 0 ]; then
	P=$T/np
	as() { "$@"; }
elif id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null 2>&1; then
	P=$(mktemp -d /tmp/cce-metrics.XXXXXX)
	as() { setpriv --reuid=nobody --regid="$(id -gn nobody)" --clear-groups "$@"; }
else
	P=
fi
if [ -n "$P" ]; then
	mkdir -p "$P/ro" && cp -R "$C/set/ok" "$P/c" && cp "$T/tf/cert_expiry.prom" "$P/ro/"
	chmod -R a+rX "$P" && chmod 555 "$P/ro"
	before=$(cat "$P/ro/cert_expiry.prom")
	out=$(as timeout 60 "$PLUGIN" $NOW -p "$P/c" --metrics-file="$P/ro/cert_expiry.prom")
	rc=$?
	is "$rc" 3 "metrics directory not writable: UNKNOWN"
	like "$out" "^CERT_EXPIRY UNKNOWN - 0 critical, 0 warning, 1 ok of 1 certificate, 1 error; .*$P/ro/cert_expiry.prom: metrics file not written: cannot create temporary file: Permission denied \\| certificates=1" \
	    "metrics directory not writable: the file and the reason in the status line"
	is "$(cat "$P/ro/cert_expiry.prom")" "$before" "metrics directory not writable: old file kept"
	is "$(ls -A "$P/ro")" cert_expiry.prom "metrics directory not writable: no temporary file"
	chmod -R u+w "$P"
	rm -rf "$P"
else
	for i in 1 2 3 4; do ok 0 "# SKIP not writable: root, and no setpriv or no user nobody"; done
fi

# ----------------------------------------------------------- atomicity
# Runs rewrite the file, alternating between two different documents, while
# a reader reads it as fast as it can: every read is one whole document.
"$PLUGIN" -o openmetrics $NOW -p "$C/set/mixed" >"$T/docA"
"$PLUGIN" -o openmetrics $NOW -p "$C/set/threshold" >"$T/docB"
cp "$T/docA" "$T/tf/cert_expiry.prom"
(
	i=0
	while [ $i -lt 40 ]; do
		if [ $((i % 2)) -eq 0 ]; then s=threshold; else s=mixed; fi
		"$PLUGIN" $NOW -p "$C/set/$s" --metrics-file="$T/tf/cert_expiry.prom" >/dev/null
		i=$((i + 1))
	done
	: >"$T/writer.done"
) &
wpid=$!
r=$($PY - "$T/tf/cert_expiry.prom" "$T/docA" "$T/docB" "$T/writer.done" <<'PYEOF'
import os, sys, time
path, a, b, done = sys.argv[1:]
docs = {open(a, "rb").read(): "A", open(b, "rb").read(): "B"}
seen, reads, bad = set(), 0, 0
deadline = time.monotonic() + 120
while not os.path.exists(done) and reads < 2000000 and time.monotonic() < deadline:
    with open(path, "rb") as f:
        data = f.read()
    reads += 1
    if data in docs:
        seen.add(docs[data])
    else:
        bad += 1
        if bad <= 3:
            print("partial read of %d bytes, ends %r" % (len(data), data[-20:]))
print("reads=%d bad=%d seen=%s" % (reads, bad, "".join(sorted(seen))))
PYEOF
)
wait "$wpid"
like "$r" "reads=[0-9]+ bad=0 " "concurrent reader: every read a whole document ending in # EOF ($(echo "$r" | tail -n 1))"
unlike "$r" "reads=[0-9] " "concurrent reader: read while the runs wrote"
cmp -s "$T/tf/cert_expiry.prom" "$T/docA"
ok $? "concurrent reader: the last run's document stays"
is "$(ls -A "$T/tf")" cert_expiry.prom "concurrent runs: no temporary file left"

done_testing
