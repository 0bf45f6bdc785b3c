#!/bin/sh
# certutil exports written by tests/gen-certutil.py (text and CSV, English and
# German, UTF-16LE/UTF-8 BOM/UTF-8/cp1252/cp850) read end to end: every
# reported certificate matches the generator's truth (name, serial, expiry to
# the second or minute, template, request id, requester, row).
. "$TOP_SRCDIR/tests/lib.sh"
scratch
PY=/usr/bin/python3
[ -x "$PY" ] || skip_all "no /usr/bin/python3"
"$PY" -c 'import cryptography, zoneinfo' 2>/dev/null || skip_all "python3-cryptography missing"

for n in 1 2; do
	"$OPENSSL" req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$T/k$n.pem" -out "$T/c$n.pem" -subj "/O=Corp/CN=cert$n.corp.example" \
	    -set_serial 0x1A2B3C4D0$n -days $((300 * n)) 2>/dev/null
done
ok $? "test certificates made"

for tz in UTC Europe/Berlin; do
	d="$T/$(echo "$tz" | tr / _)"
	"$PY" "$TOP_SRCDIR/tests/gen-certutil.py" "$d" "$tz" "$T/c1.pem" "$T/c2.pem"
	ok $? "fixtures generated for TZ=$tz"
	for f in "$d"/certutil-*.txt "$d"/certutil-*.csv; do
		b=$(basename "$f")
		out=$(TZ=$tz "$PLUGIN" -o json --now 2026-01-01 -p "$f" | "$PY" "$TOP_SRCDIR/tests/export-rows.py")
		is "$out" "$(cat "$f.truth")" "$tz $b: issued rows"
		out=$(TZ=$tz "$PLUGIN" -o json --now 2026-01-01 --include-revoked -p "$f" | "$PY" "$TOP_SRCDIR/tests/export-rows.py")
		is "$out" "$(cat "$f.truth-all")" "$tz $b: with --include-revoked"
	done
done

# every file is recognised by content whatever its name
d="$T/UTC"
cp "$d/certutil-text-de-utf16le.txt" "$T/export.bin"
run_plugin -o json --now 2026-01-01 -p "$T/export.bin"
like "$out" '"format": "certutil-text"' "UTF-16 text export recognised without its name"
like "$out" '"errors": \[\]' "no errors"

# the JSON carries the CA-export extras
run_plugin -o json --now 2026-01-01 -p "$d/certutil-csv-en-utf8bom.csv"
like "$out" '"requester": "CORP\\\\Administrator"' "requester in JSON"
like "$out" '"template": "Corp User"' "friendly template name kept"
like "$out" '"record": 2' "row number in JSON"

# truncated file: the good rows are still reported, the cut row is an error
f="$d/certutil-text-en-utf8.txt"
head -c "$(grep -b -- '-----BEGIN CERTIFICATE' "$f" | tail -1 | cut -d: -f1)" "$f" >"$T/cut.txt"
printf -- '-----BEGIN CERTIFICATE-----\r\nMIIB\r\n' >>"$T/cut.txt"
run_plugin -o json --now 2026-01-01 -p "$T/cut.txt"
is "$rc" 3 "truncated export: UNKNOWN"
like "$out" 'cut.txt.*truncated|truncated.*cut.txt' "error names the file"
like "$out" '"record": 8' "error names the row"
like "$out" 'web01.corp.example' "good rows still reported"

done_testing
