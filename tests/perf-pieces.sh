#!/bin/sh
# Large inputs (4 MiB and more) are read in pieces by several threads
# (plugin/par/pieces.c). What a piece reports must be what a whole read
# reports: a file read from standard input is read whole, so the JSON of
# the same bytes given as a file (pieces) and on stdin (whole) must match
# but for the path; and -j 1, 2 and 5 must give the same bytes. Record
# numbers (the line of a BEGIN line, of an index.txt line) must count
# from the start of the file, not of the piece.
. "$TOP_SRCDIR/tests/lib.sh"
PY=/usr/bin/python3
scratch
$PY -c 'import cryptography' 2>/dev/null || skip_all "python3 cryptography missing"
NOW=--now=2026-11-24

# --- a 4+ MiB PEM bundle: 1500 certificates seven times over, text and
# CRLF between blocks, three blocks with invalid base64 far apart
$PY - "$T/bundle.pem" <<'PYEOF' || { echo "Bail out! generator failed"; exit 1; }
import datetime, sys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

key = ec.derive_private_key(7, ec.SECP256R1())
issuer = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Pieces CA")])
base = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
out = []
certs = []
for i in range(1500):
    c = (x509.CertificateBuilder()
         .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "p%04d.pieces.test" % i)]))
         .issuer_name(issuer).public_key(key.public_key()).serial_number(5000 + i)
         .not_valid_before(base)
         .not_valid_after(base + datetime.timedelta(days=200 + (i * 13) % 700))
         .sign(key, hashes.SHA256()))
    certs.append(c.public_bytes(serialization.Encoding.PEM))
for copy in range(7):
    for i, p in enumerate(certs):
        if i % 50 == 0:
            out.append(b"# copy %d, certificate %d\n" % (copy, i))
        if copy == 2 and i % 3 == 0:
            p = p.replace(b"\n", b"\r\n")
        if (copy, i) in ((1, 100), (3, 700), (5, 1400)):
            p = p.replace(b"M", b"*", 2)
        out.append(p)
open(sys.argv[1], "wb").write(b"".join(out))
PYEOF
size=$(wc -c < "$T/bundle.pem")
ok "$([ "$size" -gt 4194304 ] && echo 0 || echo 1)" "bundle is larger than 4 MiB ($size bytes)"

# --- a 5+ MiB index.txt: 60000 lines with comments, revoked rows, a
# duplicate of every 1000th row and two broken lines far apart
awk 'BEGIN {
	for (i = 1; i <= 60000; i++) {
		if (i % 5000 == 0) { print "# a comment"; continue }
		if (i == 31337) { print "V\tnot-a-date\t\t01\tunknown\t/CN=broken"; continue }
		if (i == 58001) { print "X\t261231000000Z\t\t02\tunknown\t/CN=bad-status"; continue }
		d = sprintf("%02d%02d%02d000000Z", 26 + int(i / 20000), 1 + i % 12, 1 + i % 28)
		st = (i % 97 == 0) ? "R" : "V"
		rv = (st == "R") ? "250101000000Z,keyCompromise" : ""
		line = sprintf("%s\t%s\t%s\t%06X\tunknown\t/C=DE/O=Pieces Corp/OU=Row Unit %d/CN=row-%06d.pieces.test", st, d, rv, i, i % 7, i)
		print line
		if (i % 1000 == 0) print line
	}
}' > "$T/index.txt"
size=$(wc -c < "$T/index.txt")
ok "$([ "$size" -gt 4194304 ] && echo 0 || echo 1)" "index.txt is larger than 4 MiB ($size bytes)"

# a block without its END line in the middle: a whole read stops there
# (the END is searched to the end of the input); the piece that holds it
# hands the rest of the input to a whole read
awk '!done && NR > 50000 && /^-----BEGIN CERTIFICATE/ {
	print "text before"; print "-----BEGIN PKCS7-----"; print "MIIB"; done = 1
} { print }' "$T/bundle.pem" > "$T/unended.pem"
pkline=$(grep -n '^-----BEGIN PKCS7-----' "$T/unended.pem" | cut -d: -f1)
# the good certificate blocks before it (a broken one has a '*')
before=$(head -n "$pkline" "$T/unended.pem" | awk '/^-----BEGIN CERT/ { bad = 0 }
	/\*/ { bad = 1 } /^-----END CERT/ && !bad { n++ } END { print n }')

# --- a 5+ MiB certutil CSV (UTF-8): quoted values running over several
# lines, some of them with lines that look like a record start (a cut may
# fall there: the piece before says so and the rest is read whole), blank
# lines, revoked rows, bad dates far apart and certutil's trailer line
$PY - "$T/certutil.csv" "$T/csv.expect" <<'PYEOF' || { echo "Bail out! generator failed"; exit 1; }
import sys
out = ['"Issued Request ID","Serial Number","Issued Common Name",'
       '"Certificate Expiration Date","Request Disposition","Requester Name"\r\n']
expect = []
rec = 0
for i in range(1, 48001):
    if i % 4000 == 0:
        out.append("\r\n")                        # blank: not a record
    rec += 1
    cn = "csv-%06d.pieces.test" % i
    date = "%d/%d/%d %d:%02d %s" % (1 + i % 12, 1 + i % 28, 2026 + i % 3, 1 + i % 12, i % 60,
                                 "AM" if i % 2 else "PM")
    if i in (12345, 33333):
        date = "13/45/2026 99:99 XM"
    disp = "21 -- Revoked" if i % 101 == 0 else "20 -- Issued"
    if i % 7 == 0:
        who = 'CORP\\user%d\r\nsecond line\r\nthird ""line""' % i
    elif i % 7 == 3:
        who = 'CORP\\x""\r\n""%d""\r\n""y' % i    # looks like a record start
    else:
        who = "CORP\\host%d$" % i
    out.append('"%d","%08x","%s","%s","%s","%s"\r\n' % (i + 1, i, cn, date, disp, who))
    expect.append("%d %s %s" % (rec, cn, "bad" if i in (12345, 33333) else
                                "revoked" if i % 101 == 0 else "ok"))
out.append("CertUtil: -view command completed successfully.\r\n")
open(sys.argv[1], "w", newline="").write("".join(out))
open(sys.argv[2], "w").write("\n".join(expect) + "\n")
PYEOF
size=$(wc -c < "$T/certutil.csv")
ok "$([ "$size" -gt 4194304 ] && echo 0 || echo 1)" "certutil.csv is larger than 4 MiB ($size bytes)"

# whole (stdin) against pieces (file), with -j 1, 2 and 5
for f in bundle.pem index.txt unended.pem certutil.csv; do
	"$PLUGIN" -o json $NOW --include-revoked -p - < "$T/$f" |
		sed "s|\"path\": \"-\"|\"path\": \"$T/$f\"|g" > "$T/$f.whole"
	for j in 1 2 5; do
		"$PLUGIN" -j $j -o json $NOW --include-revoked -p "$T/$f" > "$T/$f.$j"
		echo $? > "$T/$f.rc.$j"
	done
	cmp -s "$T/$f.whole" "$T/$f.1"
	ok $? "$f: read in pieces (-j 1) as read whole"
	for j in 2 5; do
		cmp -s "$T/$f.1" "$T/$f.$j"
		ok $? "$f: -j $j output is byte-identical to -j 1"
		is "$(cat "$T/$f.rc.$j")" "$(cat "$T/$f.rc.1")" "$f: -j $j exit code as -j 1"
	done
	for j in 1 2; do
		"$PLUGIN" -j $j -vv $NOW -p "$T/$f" > "$T/$f.vv.$j"
	done
	cmp -s "$T/$f.vv.1" "$T/$f.vv.2"
	ok $? "$f: nagios -vv: -j 2 as -j 1"
done

# the records are the lines of the file (PEM records show in errors)
summary=$($PY - "$T/bundle.pem.2" "$T/bundle.pem" <<'PYEOF'
import json, sys
j = json.load(open(sys.argv[1]))
lines = open(sys.argv[2], "rb").read().split(b"\n")
begin, bad, at = 0, [], 0
for n, l in enumerate(lines):
    if l.startswith(b"-----BEGIN CERTIFICATE-----"):
        begin, at = begin + 1, n + 1
    elif b"*" in l and at not in bad:
        bad.append(at)
errs = [e["record"] for e in j["errors"]]
print(j["counts"]["certificates"], begin, len(errs), errs == bad)
PYEOF
)
# 1500 certificates in 10500 blocks; 3 broken blocks, named by their lines
is "$summary" "1500 10500 3 True" \
    "bundle: 1500 certificates; errors name the BEGIN line of each broken block"

summary=$($PY - "$T/unended.pem.2" <<'PYEOF'
import json, sys
j = json.load(open(sys.argv[1]))
print(sum(len(c["sources"]) for c in j["certificates"]),
      [(e["record"], e["message"]) for e in j["errors"] if "PKCS7" in e["message"]])
PYEOF
)
# the blocks before it, then the error
is "$summary" "$before [($pkline, 'truncated PEM: BEGIN PKCS7 without END line')]" \
    "unended block: the blocks before it, and an error naming its line ($pkline)"

summary=$($PY - "$T/index.txt.2" "$T/index.txt" <<'PYEOF'
import json, sys
j = json.load(open(sys.argv[1]))
lines = open(sys.argv[2]).read().split("\n")
rows = [n + 1 for n, l in enumerate(lines) if l and not l.startswith("#")]
broken = [n + 1 for n, l in enumerate(lines) if "/CN=b" in l]
good = 0
recs = []
for c in j["certificates"]:
    for s in c["sources"]:
        l = lines[s["record"] - 1]
        good += l.endswith("/CN=" + c["cn"]) and l.split("\t")[3] == c["serial"]
        recs.append(s["record"])
errs = [e["record"] for e in j["errors"]]
print(j["counts"]["certificates"], len(recs), good == len(recs),
      sorted(recs + errs) == rows, errs == broken, len(broken))
PYEOF
)
# 60000 - 12 comments - 2 broken = 59986 rows; 48 of them twice
is "$summary" "59986 60034 True True True 2" \
    "index.txt: every location is the line that holds the row; errors name their lines"
summary=$($PY - "$T/certutil.csv.2" "$T/csv.expect" <<'PYEOF'
import json, sys
j = json.load(open(sys.argv[1]))
want = {}
for l in open(sys.argv[2]):
    r, cn, what = l.split()
    want[int(r)] = (cn, what)
good = sum(1 for c in j["certificates"] for s in c["sources"]
           if want[s["record"]] == (c["cn"], "revoked" if c.get("revoked") else "ok"))
errs = [e["record"] for e in j["errors"]]
bad = sorted(r for r, (cn, w) in want.items() if w == "bad")
print(j["counts"]["certificates"], good, errs == bad, len(errs))
PYEOF
)
# 48000 rows, 2 with bad dates; every certificate where its row is
is "$summary" "47998 47998 True 2" \
    "certutil.csv: every location is the record that holds the row; errors name their records"

# notes about a record carry its number counted from the start: -vv with a
# filter that prints no certificate, so that notes fill the output (its
# 8 KiB cap falls at a different note when the path differs: the first
# 100 are compared)
for f in index.txt certutil.csv; do
	"$PLUGIN" -vv -x . $NOW -p - < "$T/$f" | grep -E '^NOTE: (line|row) ' |
		head -n 100 > "$T/$f.notes.whole"
	"$PLUGIN" -j 2 -vv -x . $NOW -p "$T/$f" | grep -E '^NOTE: (line|row) ' |
		head -n 100 > "$T/$f.notes.2"
	n=$(wc -l < "$T/$f.notes.2")
	is "$n" 100 "$f: notes about records"
	cmp -s "$T/$f.notes.whole" "$T/$f.notes.2"
	ok $? "$f: notes as a whole read gives them"
done
done_testing
