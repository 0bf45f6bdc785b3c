#!/bin/sh
# The bad-input table: hostile inputs through the plugin, each with its
# expected outcome. Every run is bounded by -t and timeout(1); every case
# checks that the plugin answered (one status line, a state 0-3, no crash),
# plus the case's own expectations: the state, a pattern the output must
# match (usually the offending path), and that the good certificate next to
# the bad input is still reported.
. "$TOP_SRCDIR/tests/lib.sh"
command -v /usr/bin/python3 >/dev/null 2>&1 || skip_all "needs /usr/bin/python3"
scratch
PY=/usr/bin/python3

# A good certificate (365 days: OK) to put next to each hostile input.
"$OPENSSL" req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$T/good.key" -subj /CN=good.example.test -days 365 \
    -out "$T/good.pem" 2>/dev/null || skip_all "openssl cannot make a certificate"
"$OPENSSL" x509 -in "$T/good.pem" -outform DER -out "$T/good.der"

# ------------------------------------------------------------ setups
# Each setup_X fills the directory $D and sets $args (the plugin operands).

truncations() {	# truncations FILE EXT LAST: FILE cut at 1..LAST bytes into $D
	$PY - "$1" "$D" "$2" "$3" <<'PYEOF'
import sys
src, d, ext, last = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
data = open(src, "rb").read()
for n in range(1, last + 1):
    open("%s/cut%04d.%s" % (d, n, ext), "wb").write(data[:n])
PYEOF
}
# setup_trunc EXT KEEP: every cut of good.EXT but its last KEEP bytes, and
# the whole certificate beside them
setup_trunc() {
	ncut=$(($(wc -c <"$T/good.$1") - $2))
	truncations "$T/good.$1" "$1" "$ncut"
	cp "$T/good.pem" "$D/"
	args="$D"
}
setup_trunc_der() { setup_trunc der 1; }
# the last byte is the final newline: without it the block is whole
setup_trunc_pem() { setup_trunc pem 2; }
setup_len_past_end() {
	# outer SEQUENCE claims 65535 bytes, the file has a few hundred
	$PY - "$T/good.der" "$D/past.der" <<'PYEOF'
import sys
d = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(b"\x30\x82\xff\xff" + d[4:])
PYEOF
	cp "$T/good.pem" "$D/"
	args="$D"
}
setup_nested_overflow() {
	# lengths that overflow 32/64 bits, inner lengths past the outer one,
	# indefinite lengths, 200 levels of nesting
	$PY - "$D" <<'PYEOF'
import sys
d = sys.argv[1]
open(d + "/ovf64.der", "wb").write(b"\x30\x88" + b"\xff" * 8 + b"\x30\x03\x02\x01\x01")
open(d + "/ovf32.der", "wb").write(b"\x30\x84\xff\xff\xff\xf0" + b"\x30\x84\xff\xff\xff\xff" + b"\x00" * 64)
open(d + "/inner.der", "wb").write(b"\x30\x0a\x30\x7f" + b"\x02\x01\x01" * 3)
open(d + "/indef.der", "wb").write(b"\x30\x80\x30\x80\x02\x01\x01\x00\x00\x00\x00")
deep = b""
for i in range(200):
    deep = b"\x30" + bytes([0x82, (len(deep) >> 8) & 0xff, len(deep) & 0xff]) + deep
open(d + "/deep.der", "wb").write(deep)
open(d + "/zerolen.der", "wb").write(b"\x30\x82\x00\x00")
PYEOF
	cp "$T/good.pem" "$D/"
	args="$D"
}
huge() {	# huge FILE PREFIX SUFFIX: PREFIX + 100 MB of 'a' + SUFFIX
	$PY - "$@" <<'PYEOF'
import sys
f = open(sys.argv[1], "wb")
f.write(sys.argv[2].encode().decode("unicode_escape").encode("latin-1"))
chunk = b"a" * (1 << 20)
for i in range(100):
    f.write(chunk)
f.write(sys.argv[3].encode().decode("unicode_escape").encode("latin-1"))
PYEOF
}
setup_huge_line() {
	huge "$D/line.txt" "" ""
	args="$D/line.txt"
}
setup_huge_pem_line() {
	huge "$D/huge.pem" "-----BEGIN CERTIFICATE-----\n" "\n-----END CERTIFICATE-----\n"
	cp "$T/good.pem" "$D/"
	args="$D"
}
CSVHEAD='"Request ID","Issued Common Name","Certificate Expiration Date","Serial Number","Request Disposition"\r\n"2","web01","4/25/2037 7:36 PM","1a2b","0x14 (20) -- Issued"\r\n'
setup_huge_csv() {
	huge "$D/export.csv" "$CSVHEAD\"3\",\"" '","4/25/2037 7:36 PM","1a2c","0x14 (20) -- Issued"\r\n'
	args="$D/export.csv"
}
setup_huge_certutil_text() {
	huge "$D/export.txt" 'Row 1:\r\n  Request ID: 0x2 (2)\r\n  Issued Common Name: "web01"\r\n  Certificate Expiration Date: 4/25/2037 7:36 PM\r\n  Serial Number: "1a2b"\r\n  Request Disposition: 0x14 (20) -- Issued\r\n\r\nRow 2:\r\n  Request ID: 0x3 (3)\r\n  Issued Common Name: "' '"\r\n  Certificate Expiration Date: 4/25/2037 7:36 PM\r\n  Serial Number: "1a2c"\r\n  Request Disposition: 0x14 (20) -- Issued\r\n\r\n'
	args="$D/export.txt"
}
setup_huge_index() {
	huge "$D/index.txt" 'V\t370425193600Z\t\t1A2B\tunknown\t/CN=web01\nV\t370425193600Z\t\t1A2C\tunknown\t/CN=' '\n'
	args="$D/index.txt"
}
setup_nul_bytes() {
	{ printf 'junk\000\000\000before\n'; cat "$T/good.pem"; printf '\000after\000\n'; } >"$D/nul.pem"
	head -c 4096 /dev/zero >"$D/zeros.bin"
	args="$D"
}
setup_invalid_utf8() {
	printf 'V\t370425193600Z\t\t1A2B\tunknown\t/CN=bad\377\376utf8\300\200x\355\240\200\n' >"$D/index.txt"
	args="$D/index.txt"
}
setup_invalid_utf16() {
	# UTF-16LE with BOM: an unpaired high surrogate in the name, a lone
	# low surrogate, and an odd byte count at the end
	$PY - "$D/export.txt" <<'PYEOF'
import sys
text = ('Row 1:\r\n  Request ID: 0x2 (2)\r\n  Issued Common Name: "web\ud800x\udc00y"\r\n'
        '  Certificate Expiration Date: 4/25/2037 7:36 PM\r\n  Serial Number: "1a2b"\r\n'
        '  Request Disposition: 0x14 (20) -- Issued\r\n\r\n')
data = b"\xff\xfe" + text.encode("utf-16-le", "surrogatepass") + b"\x41"
open(sys.argv[1], "wb").write(data)
PYEOF
	args="$D/export.txt"
}
setup_deep_tree() {
	# 10 levels, 10,000 empty files, the one certificate at the bottom
	$PY - "$D" "$T/good.pem" <<'PYEOF'
import os, shutil, sys
d = sys.argv[1]
for level in range(10):
    d = os.path.join(d, "l%d" % level)
    os.mkdir(d)
    for i in range(1000):
        open(os.path.join(d, "f%04d" % i), "wb").close()
shutil.copy(sys.argv[2], os.path.join(d, "good.pem"))
PYEOF
	args="$D"
}
setup_fifo() {
	mkfifo "$D/fifo.pem"
	cp "$T/good.pem" "$D/"
	args="$D"
}
setup_fifo_operand() {
	mkfifo "$D/fifo.pem"
	args="$D/fifo.pem"
}
setup_device() {
	args="/dev/null"
}
setup_dev_zero() {
	ln -s /dev/zero "$D/zero.pem"
	cp "$T/good.pem" "$D/"
	args="$D"
}
setup_removed() {
	# an entry whose file went away between listing and reading
	cp "$T/good.pem" "$D/gone.pem"
	ln -s "$D/gone.pem" "$D/link.pem"
	rm "$D/gone.pem"
	cp "$T/good.pem" "$D/"
	args="$D"
}
setup_growing() {
	# a file that grows while the plugin reads it (bounded writer)
	cp "$T/good.pem" "$D/grow.pem"
	(timeout 3 sh -c 'while :; do cat "$1" >>"$2"; done' sh "$T/good.pem" "$D/grow.pem" \
	    >/dev/null 2>&1 &)
	args="$D"
}

# ------------------------------------------------------------ the table
# case                 expected state   output must match (extended regex)
table='
trunc_der              3   cut[0-9]+\.der: invalid certificate
trunc_pem              3   cut[0-9]+\.pem:1: truncated PEM
len_past_end           3   past\.der: invalid certificate.*past end
nested_overflow        3   inner\.der: invalid certificate
huge_line              3   no certificate found
huge_pem_line          3   huge\.pem
huge_csv               3   export\.csv:2: row longer than
huge_certutil_text     3   web01
huge_index             3   web01
nul_bytes              0   good\.example\.test
invalid_utf8           0   bad.*utf8
invalid_utf16          3   export\.txt: truncated UTF-16LE
deep_tree              0   good\.example\.test
fifo                   3   fifo\.pem: not a regular file
fifo_operand           3   fifo\.pem: not a regular file
device                 3   /dev/null: not a regular file
dev_zero               3   zero\.pem: not a regular file
removed                3   link\.pem: dangling
growing                0|1|2|3 CERT_EXPIRY
'

# Output checks shared by every case: one status line (first line), valid
# UTF-8, no control characters but LF, exactly one '|', under 8 KiB.
intact() {
	printf '%s\n' "$1" | $PY -c '
import sys
b = sys.stdin.buffer.read()
t = b.decode("utf-8")
assert len(b) < 8192, "output %d bytes" % len(b)
assert t.startswith("CERT_EXPIRY "), "no status line"
assert t.count("CERT_EXPIRY ") == 1, "more than one status line"
assert not any((ord(c) < 32 and c != "\n") or ord(c) == 127 for c in t), "control character"
assert t.count("|") == 1 and t.index("|") < t.index("\n"), "perfdata separator"
' 2>&1
}

echo "$table" | while read -r name want pattern; do
	[ -n "$name" ] || continue
	D=$T/$name
	mkdir -p "$D"
	args= ncut=
	"setup_$name"
	o=$(timeout 120 "$PLUGIN" -t 60 -v $args 2>"$T/stderr")
	rc=$?
	ok "$([ "$rc" -le 3 ] && echo 0 || echo 1)" "$name: plugin answered (state $rc, no crash, no hang)"
	like "$rc" "^($want)\$" "$name: state $want"
	like "$o" "$pattern" "$name: output says $pattern"
	why=$(intact "$o")
	is "$why" "" "$name: status line, perfdata and text intact"
	case $args in
	"$D")
		case $name in deep_tree) ;; *)
			like "$o" 'good\.example\.test' "$name: the good certificate still reported" ;;
		esac ;;
	esac
	if [ -n "$ncut" ]; then
		# every cut is an error or a skip, none a certificate
		j=$(timeout 120 "$PLUGIN" -t 60 -o json $args 2>/dev/null |
		    $PY -c 'import json,sys; c=json.load(sys.stdin)["counts"]; print(c["found"], c["errors"] + c["skipped"])')
		is "$j" "1 $ncut" "$name: 1 certificate, $ncut cuts each an error or a skip"
	fi
	rm -rf "$D"
done >"$T/tap"
cat "$T/tap"
tap_n=$(grep -c '^\(not \)\{0,1\}ok ' "$T/tap")
tap_fail=$(grep -c '^not ok ' "$T/tap")

# ------------------------------------------------------------ alone: never OK
# a truncated certificate on its own is UNKNOWN, never OK
D=$T/alone; mkdir -p "$D"
head -c 100 "$T/good.der" >"$D/cut.der"
run_plugin -t 10 "$D/cut.der"
is "$rc" 3 "a cut DER certificate alone: UNKNOWN"
head -n 3 "$T/good.pem" >"$D/cut.pem"
run_plugin -t 10 "$D/cut.pem"
is "$rc" 3 "a cut PEM certificate alone: UNKNOWN"

# ------------------------------------------------------------ permissions
if [ "$(id -u)" -ne 0 ]; then
	skip_reason="not root: cannot switch to an unprivileged user"
elif ! id nobody >/dev/null 2>&1; then
	skip_reason="no user nobody"
elif command -v setpriv >/dev/null 2>&1; then
	asnobody="setpriv --reuid=nobody --regid=$(id -gn nobody) --clear-groups"
	skip_reason=
elif command -v runuser >/dev/null 2>&1; then
	asnobody="runuser -u nobody --"
	skip_reason=
else
	skip_reason="neither setpriv nor runuser"
fi
if [ -z "$skip_reason" ]; then
	# a world-traversable copy outside the (private) scratch directory
	P=$(mktemp -d /tmp/cce-hostile.XXXXXX)
	trap 'rm -rf "$T" "$P"' EXIT
	chmod 755 "$P"
	mkdir -p "$P/certs/locked"
	cp "$T/good.pem" "$P/certs/good.pem"
	cp "$T/good.pem" "$P/certs/secret.pem"
	cp "$T/good.pem" "$P/certs/locked/inner.pem"
	chmod 644 "$P/certs/good.pem"
	chmod 600 "$P/certs/secret.pem"
	chmod 700 "$P/certs/locked"
	chmod 755 "$P/certs"
	o=$(cd "$P" && timeout 60 $asnobody "$PLUGIN" -t 30 -v certs 2>&1)
	rc=$?
	if printf '%s' "$o" | grep -q 'Permission denied' ||
	    [ "$rc" -le 3 ]; then
		is "$rc" 3 "as nobody: unreadable file and directory: UNKNOWN"
		like "$o" 'certs/secret\.pem: .*Permission denied' "as nobody: the unreadable file is named"
		like "$o" 'certs/locked: .*Permission denied' "as nobody: the unreadable directory is named"
		like "$o" 'good\.example\.test' "as nobody: the readable certificate is reported"
		why=$(intact "$o")
		is "$why" "" "as nobody: output intact"
	else
		ok 1 "as nobody: plugin could not run (rc $rc): $o"
	fi
else
	echo "ok $((tap_n + 1)) # SKIP permission cases: $skip_reason"
	tap_n=$((tap_n + 1))
fi
done_testing
