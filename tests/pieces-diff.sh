#!/bin/sh
# Pieces against whole reads on every small input the suite has: the
# test-only program tests/pieces-run N (the plugin, with N handed to
# plugin/par/pieces.c) reads every input a reader can cut (PEM, index.txt,
# UTF-8 certutil CSV) in pieces of about N bytes, whatever its size; the
# JSON (certificates, records, errors, skips), the -vv notes and the lean
# -o nagios output (where export rows go by identity and dates) must be
# byte for byte what the plugin's whole read gives, with 1 and 3 threads.
# N = 1 makes nearly every line a piece; inputs with records that run over
# lines (quoted CSV values, PEM blocks without END) make cuts fall inside
# records, which the piece before must notice.
. "$TOP_SRCDIR/tests/lib.sh"
scratch
PY=/usr/bin/python3
NOW=--now=2026-11-24
PIECES=$TOP_BUILDDIR/tests/pieces-run
[ -x "$PIECES" ] || { echo "Bail out! $PIECES missing (built by make check)"; exit 1; }

# --- the corpus: fixtures, shipped samples, generated exports, tricky cases
mkdir -p "$T/c"
cp "$TOP_SRCDIR"/tests/data/export/* "$T/c/"
for f in "$FIXTURES"/core/* "$FIXTURES"/der/*; do
	[ -f "$f" ] && cp "$f" "$T/c/$(basename "$(dirname "$f")")-$(basename "$f")"
done
if "$PY" -c 'import cryptography, zoneinfo' 2>/dev/null; then
	"$OPENSSL" req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$T/k.pem" -out "$T/c1.pem" -subj "/O=Corp/CN=pieces.corp.example" \
	    -set_serial 0x1A2B3C -days 300 2>/dev/null
	"$PY" "$TOP_SRCDIR/tests/gen-certutil.py" "$T/gen" UTC "$T/c1.pem" "$T/c1.pem" &&
		for f in "$T"/gen/certutil-*; do
			case $f in *.truth|*.truth-all) ;; *) cp "$f" "$T/c/" ;; esac
		done
fi
# a CSV whose values run over lines, some looking like a record start
printf '"Request ID","Serial Number","Issued Common Name","Certificate Expiration Date","Requester Name"\r\n' > "$T/c/tricky.csv"
i=1
while [ $i -le 60 ]; do
	case $((i % 4)) in
	0) who="CORP\\\\a\"\"\r\n\"\"b$i" ;;
	1) who="line one\r\nline two $i" ;;
	2) who="\"\"\"quoted\"\"\"" ;;
	*) who="plain$i" ;;
	esac
	[ $((i % 9)) -eq 0 ] && printf '\r\n' >> "$T/c/tricky.csv"
	printf '"%d","%04x","t%d.example","%d/%d/2027 1:%02d PM","%b"\r\n' \
	    $i $i $i $((1 + i % 12)) $((1 + i % 28)) $((i % 60)) "$who" >> "$T/c/tricky.csv"
	i=$((i + 1))
done
printf 'CertUtil: -view command completed successfully.\r\n' >> "$T/c/tricky.csv"
# the same ending inside an open quote
cp "$T/c/tricky.csv" "$T/c/tricky-open.csv"
printf '"61","ff","open.example","1/1/2027 1:00 PM","never\r\nclosed\r\n' >> "$T/c/tricky-open.csv"
# PEM: blocks without END at the start, in the middle and at the end,
# text and CRLF around blocks, an index.txt without its last newline
pem=$(ls "$FIXTURES"/core/*.pem | head -n 3)
{ cat $pem; printf -- '-----BEGIN CERTIFICATE-----\nMIIB\n'; cat $pem; } > "$T/c/unended-mid.pem"
{ printf 'junk\r\n'; cat $pem | sed 's/$/\r/'; printf -- '-----BEGIN PKCS7-----\nMIIB\n'; } > "$T/c/unended-end.pem"
{ printf -- '-----BEGIN X509 CRL-----\n'; cat $pem; } > "$T/c/unended-start.pem"
head -c -1 "$TOP_SRCDIR/tests/data/export/openssl-index.txt" > "$T/c/index-nonl.txt"
# twins: the same serial and expiry under other names are other
# certificates (two CAs in one run), the same name written otherwise is
# the same one: plain DNs and escaped ones must give one identity
{
	printf 'V\t270101000000Z\t\t01\tunknown\t/O=A/CN=web\n'
	printf 'V\t270101000000Z\t\t01\tunknown\t/O=B/CN=web\n'
	printf 'V\t270101000000Z\t\t01\tunknown\t/O=\\x41/CN=web\n'
	printf 'V\t270101000000Z\t\t01\tunknown\t/O=A/CN=w\\x65b\n'
	printf 'V\t270101000000Z\t\t02\tunknown\t/O=A+OU=x/CN=web\n'
	printf 'V\t270101000000Z\t\t02\tunknown\t/O=A/OU=x/CN=web\n'
	printf 'V\t270101000000Z\t\t03\tunknown\t/CN= lead\n'
	printf 'V\t270101000000Z\t\t03\tunknown\t/CN=\\x20lead\n'
} > "$T/c/index-twins.txt"
{
	printf '"Serial Number","Issued Common Name","Issued Distinguished Name","Certificate Expiration Date"\r\n'
	printf '"01","web","CN=web, O=A","1/1/2027 1:00 PM"\r\n'
	printf '"01","web","CN=web, O=B","1/1/2027 1:00 PM"\r\n'
	printf '"01","web","CN=web, O=A","1/1/2027 1:00 PM"\r\n'
	printf '"02","we""b","EMPTY","1/1/2027 1:00 PM"\r\n'
	printf '"02","we""b","EMPTY","1/1/2027 1:00 PM"\r\n'
	printf '"02","web","EMPTY","1/1/2027 1:00 PM"\r\n'
	printf '"03","caf\303\251","","1/1/2027 1:00 PM"\r\n'
	printf '"03","caf\303\251","","1/1/2027 1:00 PM"\r\n'
} > "$T/c/csv-twins.csv"
n=$(ls "$T/c" | wc -l)
ok "$([ "$n" -gt 40 ] && echo 0 || echo 1)" "corpus of $n inputs"

# --- whole against pieces
for f in "$T"/c/*; do
	b=$(basename "$f")
	"$PLUGIN" -j 1 -o json --include-revoked $NOW -p "$f" > "$T/whole.json" 2>&1
	"$PLUGIN" -j 1 -vv -x . $NOW -p "$f" > "$T/whole.vv" 2>&1
	# lean -o nagios: rows of an export read in pieces go by identity and
	# dates, and only those that may be printed are read again in full
	"$PLUGIN" -j 1 --include-revoked -w 400 -c 200 $NOW -p "$f" > "$T/whole.lean" 2>&1
	echo "rc $?" >> "$T/whole.lean"
	bad=
	for n in 1 64; do
		"$PIECES" $n -j 3 --include-revoked -w 400 -c 200 $NOW -p "$f" \
		    > "$T/p.lean" 2>> "$T/pieces.log"
		echo "rc $?" >> "$T/p.lean"
		cmp -s "$T/whole.lean" "$T/p.lean" || bad="$bad lean:$n"
	done
	for n in 1 7 64 333 4096; do
		for j in 1 3; do
			"$PIECES" $n -j $j -o json --include-revoked $NOW -p "$f" \
			    > "$T/p.json" 2>> "$T/pieces.log"
			cmp -s "$T/whole.json" "$T/p.json" || bad="$bad json:$n/-j$j"
			"$PIECES" $n -j $j -vv -x . $NOW -p "$f" > "$T/p.vv" \
			    2>> "$T/pieces.log"
			cmp -s "$T/whole.vv" "$T/p.vv" || bad="$bad vv:$n/-j$j"
		done
	done
	is "${bad:-none}" none "$b: pieces of 1, 7, 64, 333, 4096 bytes as a whole read"
done

# pieces-run cuts (or every comparison above proves nothing): inputs were
# read in many pieces, and cuts inside records were noticed
n=$(grep -c 'pieces' "$T/pieces.log")
ok "$([ "$n" -gt 100 ] && echo 0 || echo 1)" "$n reads in pieces"
like "$(grep '/tricky.csv: ' "$T/pieces.log" | head -n 1)" \
    ': [0-9]+ pieces, then the rest whole$' "tricky.csv: a cut inside a quoted value noticed"
like "$(grep '/unended-mid.pem: ' "$T/pieces.log" | head -n 1)" \
    ': [0-9]+ pieces, then the rest whole$' "unended-mid.pem: the unended block noticed"
like "$(grep '/index-nonl.txt: ' "$T/pieces.log" | head -n 1)" \
    ': ([2-9]|[0-9][0-9]+) pieces$' "index-nonl.txt: several pieces"
# and the tricky inputs say what they hold
out=$("$PLUGIN" -j 1 $NOW -p "$T/c/index-twins.txt")
like "$out" ' of 5 certificates' "index-twins.txt: 5 certificates in 8 rows"
out=$("$PIECES" 64 -j 3 $NOW -p "$T/c/csv-twins.csv" 2> /dev/null)
like "$out" ' of 5 certificates' "csv-twins.csv: 5 certificates in 8 rows"
out=$("$PLUGIN" -o json --include-revoked $NOW -p "$T/c/tricky.csv")
like "$out" '"certificates": 60,' "tricky.csv: 60 rows"
out=$("$PLUGIN" -o json --include-revoked $NOW -p "$T/c/tricky-open.csv")
like "$out" 'unterminated quoted value' "tricky-open.csv: the open quote is an error"
out=$("$PLUGIN" -o json $NOW -p "$T/c/unended-mid.pem")
like "$out" 'invalid base64 in CERTIFICATE block' \
    "unended-mid.pem: the block without END runs to the next END: invalid base64"
out=$("$PLUGIN" -o json $NOW -p "$T/c/unended-end.pem")
like "$out" 'BEGIN PKCS7 without END' "unended-end.pem: the last block is named"
done_testing
