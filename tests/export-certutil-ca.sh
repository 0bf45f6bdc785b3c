#!/bin/sh
# certutil exports shaped as real CAs write them (tests/gen-certutil-ca.py,
# from openssl-made certificates): full -v dumps that start with a prompt
# line and a schema of 80 columns, German "Ausgestellt: " names, LEER,
# UTF-16LE; queries without serial, without any identity, without expiry;
# multi-valued names; dates with and without GMT.
. "$TOP_SRCDIR/tests/lib.sh"
scratch
PY=/usr/bin/python3
[ -x "$PY" ] || skip_all "no /usr/bin/python3"
"$PY" -c 'import cryptography, zoneinfo' 2>/dev/null || skip_all "python3-cryptography missing"
NOW="--now 2027-01-01"

mk() {	# mk FILE SUBJECT SERIAL DAYS
	"$OPENSSL" req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$T/key.pem" -out "$T/$1" -subj "$2" -set_serial "$3" -days "$4" \
	    2>/dev/null
}
mk web.pem "/O=Corp/CN=web01.corp.example" 0x61000000020102 400 &&
mk ad.pem "/DC=local/DC=corp/CN=Users/CN=Jane Doe" 0x61000000030304 365 &&
mk rev.pem "/CN=revoked.corp.example" 0x61000000040506 200 &&
mk empty.pem "/" 0x0BADC0DE 100 &&
"$OPENSSL" req -new -key "$T/key.pem" -subj "/CN=denied.corp.example" -out "$T/req.csr"
ok $? "certificates and a request made with openssl"
D="$T/x"
"$PY" "$TOP_SRCDIR/tests/gen-certutil-ca.py" "$D" "$T/web.pem" "$T/ad.pem" "$T/rev.pem" \
    "$T/empty.pem" "$T/req.csr"
ok $? "exports generated"

certs() {	# certs FILE [ARGS...]: the certificates of FILE without locations
	f=$1
	shift
	"$PLUGIN" -o json $NOW "$@" -p "$f" | "$PY" "$TOP_SRCDIR/tests/export-certs.py"
}

# ---------------------------------------------------------------- full dumps
# the structure starts beyond the first 4 KiB (a prompt, 80 schema columns)
off=$(grep -bo 'Row 1:' "$D/dump-en-utf8-gmt.txt" | cut -d: -f1)
[ "$off" -gt 4096 ]
ok $? "the dump's Row 1 lies beyond 4 KiB (at $off)"
head -1 "$D/dump-en-utf8-gmt.txt" | grep -q '^PS C:'
ok $? "the dump starts with a prompt line"

en=$(TZ=UTC certs "$D/dump-en-utf8-gmt.txt")
de=$(TZ=UTC certs "$D/dump-de-utf16le-gmt.txt")
is "$de" "$en" "German UTF-16LE dump (Ausgestellt: names, LEER, German dates) = English"
like "$en" '"certificates": 5,' "five issued certificates in the dump"
like "$en" '"errors": 0,' "no errors (no bogus 'no expiry date column')"
unlike "$en" 'revoked\.corp\.example' "the revoked row is not reported"
unlike "$en" 'denied' "the Binary Request blocks are no certificates"
like "$en" '"name": "John Smith".*"request_id": "6"' \
    "multi-valued Issued Common Name with -v hex dump: the last value names it"
like "$en" '"name": "6100000008BB".*"subject": null' "a row without names: its serial"
like "$en" '"name": "0BADC0DE".*"subject": ""' "a certificate with an empty subject: its serial"
like "$en" '"name": "web01.corp.example".*"requester": "CORP\\\\Administrator".*"template": "WebServer"' \
    "web01 from its certificate, with the row's extras"
run_plugin -o json $NOW -p "$D/dump-de-utf16le-gmt.txt"
like "$out" '"format": "certutil-text"' "UTF-16LE dump read as certutil text"
unlike "$out" '"format": "pem"|not recognised' "... never as PEM, never skipped"
run_plugin -o json $NOW -p "$D/dump-en-utf8-gmt.txt"
unlike "$out" '"format": "pem"' "UTF-8 dump not read as PEM"
run_plugin -o json $NOW --include-revoked -p "$D/dump-en-utf8-gmt.txt"
like "$out" '"name": "revoked.corp.example"' "--include-revoked: the revoked row"
like "$out" '"certificates": 6,' "--include-revoked: six (the denied row has no expiry)"
is "$(TZ=UTC certs "$D/plain-de.txt")" "$(TZ=UTC certs "$D/plain-en.txt")" \
    "dumps without -v: German = English"
is "$(TZ=UTC certs "$D/plain-en.txt")" "$en" "... and = the -v dump"

# the Nagios output and -f / -x on the last CN
run_plugin $NOW -v -p "$D/dump-de-utf16le-gmt.txt" -f '^John'
like "$out" 'of 1 certificate' "-f '^John' finds the AD user row"
run_plugin $NOW -p "$D/dump-de-utf16le-gmt.txt" -x '^Users$' -f '^(John|web01)'
like "$out" 'of 2 certificates' "-x '^Users\$' does not drop John Smith"

# ------------------------------------------------------------ GMT and local
for tz in UTC America/New_York Asia/Tokyo; do
	got=$(TZ=$tz certs "$D/dump-de-utf16le-gmt.txt")
	is "$got" "$en" "GMT dates read the same with TZ=$tz"
done
got=$(TZ=Europe/Berlin certs "$D/dump-en-utf16le-local.txt")
is "$got" "$en" "local-time dump read with TZ= the CA's zone (English, UTF-16LE)"
got=$(TZ=Europe/Berlin certs "$D/dump-de-utf8-local.txt")
is "$got" "$en" "local-time dump read with TZ= the CA's zone (German, UTF-8)"
got=$(TZ=UTC certs "$D/dump-de-utf8-local.txt")
[ "$got" != "$en" ]
ok $? "the same local-time dump read in another zone gives other instants"
for l in en de; do
	is "$(TZ=Europe/Berlin certs "$D/ad-$l-local.csv")" "$(TZ=UTC certs "$D/ad-$l.csv")" \
	    "$l CSV: local time with TZ=Europe/Berlin = GMT"
done

# ---------------------------------------------- rows without serial or id
for f in reqid-en.txt reqid-de.txt reqid-en.csv reqid-de.csv; do
	run_plugin -o json $NOW -p "$D/$f"
	like "$out" '"certificates": 5,' "$f: five Request IDs, five certificates"
	for i in 40 41 42 43 44; do
		printf '%s' "$out" | grep -q "\"request_id\": \"$i\"" || break
	done
	is "$i" 44 "$f: every Request ID listed"
	run_plugin $NOW -v -p "$D/$f"
	unlike "$out" 'more\)' "$f: no '(+4 more)'"
	like "$out" 'of 5 certificates' "$f: the Nagios output counts five"
done
for f in reqid-en.csv reqid-de.csv; do
	out=$("$TOP_BUILDDIR/tests/pieces-run" 64 $NOW -p "$D/$f" 2>/dev/null)
	like "$out" 'of 5 certificates' "$f read in pieces: five"
done
for f in noid-en.txt noid-de.txt noid-en.csv noid-de.csv; do
	run_plugin -o json $NOW -p "$D/$f"
	like "$out" '"certificates": 3,' "$f: no identity at all: every row its own certificate"
	run_plugin $NOW -p "$D/$f"
	like "$out" 'of 3 certificates' "$f: the Nagios output counts three"
	out=$("$TOP_BUILDDIR/tests/pieces-run" 64 $NOW -p "$D/$f" 2>/dev/null)
	like "$out" 'of 3 certificates' "$f read in pieces: three"
	run_plugin -o json $NOW -p "$D/$f" -p "$D/reqid-en.txt"
	like "$out" '"certificates": 8,' "$f with another export: 3 + 5"
done

# ------------------------------------------------------------ no expiry
for f in noexp-en.txt noexp-de.txt noexp-en.csv noexp-de.csv; do
	run_plugin $NOW -p "$D/$f"
	is "$rc" 3 "$f: no expiry column: UNKNOWN"
	like "$out" "ERROR: [^ ]*$f: no expiry date column" "$f: the error names the file"
	like "$out" '1 error;' "$f: one error, not one per row"
done

# ------------------------------------------- multi-valued names, German
for f in ad-en.csv ad-de.csv ad-en.txt ad-de.txt; do
	run_plugin -o json $NOW -p "$D/$f"
	like "$out" '"name": "Jane Doe", "cn": "Jane Doe"' "$f: 'Users' + 'Jane Doe': Jane Doe"
	like "$out" '"requester": "CORP\\\\jdoe"' "$f: requester (Antragstellername)"
	like "$out" '"not_before": "2027-03-28T00:30:00Z"' "$f: effective date (Anfangsdatum)"
	unlike "$out" '"(LEER|EMPTY)"' "$f: LEER / EMPTY are no values"
	run_plugin -l $NOW -f '^Jane' -p "$D/$f"
	like "$out" '^Jane Doe' "$f: -f '^Jane' finds her"
	run_plugin -l $NOW -x '^Users$' -p "$D/$f"
	like "$out" 'Jane Doe' "$f: -x '^Users\$' keeps her"
done
for f in prompt-en-utf8.csv prompt-de-utf16le.csv; do
	is "$(TZ=UTC certs "$D/$f")" "$(TZ=UTC certs "$D/ad-en.csv")" \
	    "$f: a CSV header after a prompt line"
	out=$("$TOP_BUILDDIR/tests/pieces-run" 64 $NOW -p "$D/$f" 2>/dev/null)
	like "$out" 'of 2 certificates' "$f: the same in pieces"
done
is "$(TZ=UTC certs "$D/ad-de.csv")" "$(TZ=UTC certs "$D/ad-en.csv")" "AD CSV: German = English"
is "$(TZ=UTC certs "$D/ad-de.txt")" "$(TZ=UTC certs "$D/ad-en.csv")" "AD text = CSV"

done_testing
