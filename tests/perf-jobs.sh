#!/bin/sh
# Results do not depend on -j: nagios (-vv), list and json outputs are byte
# for byte the same with 1, 2 and 5 worker threads, on a folder of a few
# thousand certificates with broken files, skipped files, duplicates,
# bundles, symlinks and a directory loop mixed in.
. "$TOP_SRCDIR/tests/lib.sh"
PY=/usr/bin/python3
scratch
$PY -c 'import cryptography' 2>/dev/null || skip_all "python3 cryptography missing"

D=$T/tree
$PY - "$D" <<'EOF' || { echo "Bail out! generator failed"; exit 1; }
import datetime, os, sys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

d = sys.argv[1]
key = ec.derive_private_key(42, ec.SECP256R1())
issuer = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Perf CA")])
base = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
pem = serialization.Encoding.PEM
der = serialization.Encoding.DER
N = 3000

def cert(i):
    b = (x509.CertificateBuilder()
         .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "host%04d.perf.test" % (i % 2500))]))
         .issuer_name(issuer).public_key(key.public_key()).serial_number(1000 + i)
         .not_valid_before(base)
         .not_valid_after(base + datetime.timedelta(days=300 + (i * 7) % 500, hours=i % 24)))
    return b.sign(key, hashes.SHA256())

certs = [cert(i) for i in range(N)]
for i, c in enumerate(certs):
    sub = os.path.join(d, "d%02d" % (i % 17))
    os.makedirs(sub, exist_ok=True)
    if i % 3 == 0:
        open(os.path.join(sub, "c%04d.der" % i), "wb").write(c.public_bytes(der))
    else:
        open(os.path.join(sub, "c%04d.pem" % i), "wb").write(
            b"subject=whatever\r\n" * (i % 2) + c.public_bytes(pem))
# bundles overlapping the single files (duplicates merge)
for k in range(5):
    open(os.path.join(d, "bundle%d.pem" % k), "wb").write(
        b"".join(c.public_bytes(pem) for c in certs[k * 400:k * 400 + 700]))
# copies and symlinks
os.makedirs(os.path.join(d, "links"))
for i in range(0, N, 97):
    os.symlink(os.path.join(d, "d%02d" % (i % 17), "c%04d.%s" % (i, "der" if i % 3 == 0 else "pem")),
               os.path.join(d, "links", "l%04d" % i))
os.symlink(d, os.path.join(d, "links", "loop"))
os.symlink(os.path.join(d, "nowhere"), os.path.join(d, "links", "dangling"))
# broken and skipped files, spread over the folders
k = key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
for i in range(60):
    sub = os.path.join(d, "d%02d" % (i % 17))
    kind = i % 6
    body = certs[i].public_bytes(pem)
    if kind == 0:
        data = body[:len(body) // 2]                      # BEGIN without END
    elif kind == 1:
        data = body.replace(b"M", b"*", 3)                # invalid base64
    elif kind == 2:
        data = certs[i].public_bytes(der)[:-40]           # truncated DER
    elif kind == 3:
        data = k                                          # a key: skipped
    elif kind == 4:
        data = b""                                        # empty: skipped
    else:
        data = b"just some text\n"                        # text: skipped
    open(os.path.join(sub, "x%02d.bin" % i), "wb").write(data)
EOF

ncert=$(find "$D" -type f \( -name 'c*.pem' -o -name 'c*.der' \) | wc -l)
is "$ncert" 3000 "3000 certificate files generated"

for fmt in "-vv" "-v -o list" "-o json"; do
	for j in 1 2 5; do
		# shellcheck disable=SC2086
		"$PLUGIN" -j "$j" $fmt --now=2026-11-24 -p "$D" > "$T/out.$j" 2> "$T/err.$j"
		echo $? > "$T/rc.$j"
	done
	for j in 2 5; do
		cmp -s "$T/out.1" "$T/out.$j"
		ok $? "$fmt: -j $j output is byte-identical to -j 1"
		is "$(cat "$T/rc.$j")" "$(cat "$T/rc.1")" "$fmt: -j $j exit code as -j 1"
		cmp -s "$T/err.1" "$T/err.$j"
		ok $? "$fmt: -j $j stderr as -j 1"
	done
	cp "$T/out.1" "$T/last.$(echo "$fmt" | tr -dc a-z)"
done

# what the json says: every certificate once, errors and skips in path order
counts=$($PY - "$T/last.ojson" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
c = j["counts"]
paths = [e["path"] for e in j["errors"]]
print(c["certificates"], c["errors"], c["skipped"], paths == sorted(paths),
      sum(len(x["sources"]) for x in j["certificates"]))
EOF
)
# 2500 distinct names but 3000 distinct certificates; 3 kinds of broken
# file x 10 + the directory loop + the dangling link = 32 errors; 30 skips
is "$(echo "$counts" | cut -d' ' -f1-4)" "3000 32 30 True" \
    "json: 3000 certificates, 32 errors, 30 skipped, errors in path order"
is "$(echo "$counts" | cut -d' ' -f5)" "$((3000 + 5 * 700 + 31))" \
    "json: every location of every certificate is listed once"
like "$(cat "$T/last.vv")" "^CERT_EXPIRY CRITICAL" "nagios: status line"
msg=$($PY -c 'import json, sys
print([e["message"] for e in json.load(open(sys.argv[1]))["errors"]
       if e["path"].endswith("/x00.bin")])' "$T/last.ojson")
like "$msg" "truncated PEM" "json: a broken file is named with the reason"

# a single file, standard input and several operands behave alike with -j
cat "$D/bundle0.pem" | "$PLUGIN" -j 2 -o json --now=2026-11-24 -p - > "$T/s2"
cat "$D/bundle0.pem" | "$PLUGIN" -j 1 -o json --now=2026-11-24 -p - > "$T/s1"
cmp -s "$T/s1" "$T/s2"
ok $? "standard input: -j 2 as -j 1"
"$PLUGIN" -j 2 -o json --now=2026-11-24 "$D/d03" "$D/bundle1.pem" "$D/d03" > "$T/m2"
"$PLUGIN" -j 1 -o json --now=2026-11-24 "$D/d03" "$D/bundle1.pem" "$D/d03" > "$T/m1"
cmp -s "$T/m1" "$T/m2"
ok $? "several operands (one repeated): -j 2 as -j 1"

# files of a directory are opened relative to it (openat) while they wait;
# a big one among them is handed back to the main thread, which reads it
# later through the same directory
mkdir "$T/big"
for f in $(ls "$D/d05" | head -n 12); do cp "$D/d05/$f" "$T/big/"; done
for k in 0 1 2 3 4 0 1 2 3 4 0 1 2 3 4 0; do cat "$D/bundle$k.pem"; done > "$T/big/m-big.pem"
big=$(wc -c < "$T/big/m-big.pem")
ok "$([ "$big" -ge 4194304 ] && echo 0 || echo 1)" "a bundle of $big bytes among 12 files"
for j in 1 2 5; do
	"$PLUGIN" -j "$j" -o json --now=2026-11-24 -p "$T/big" > "$T/big.$j"
done
cmp -s "$T/big.1" "$T/big.2" && cmp -s "$T/big.1" "$T/big.5"
ok $? "a directory with a big file: -j 2 and -j 5 as -j 1"
like "$(grep '"certificates":' "$T/big.1")" '"certificates": 2[0-9][0-9][0-9],' \
    "a directory with a big file: the bundle is read"

# a file a directory lists as regular is read at once into a 16 KiB buffer
# and only one that fills it is looked at with fstat: files on both sides
# of that, and empty, read from the directory as when named one by one
# (operands are opened and looked at first)
mkdir "$T/edge"
head -c 16383 "$D/bundle0.pem" > "$T/edge/e16383.pem"
head -c 16384 "$D/bundle0.pem" > "$T/edge/e16384.pem"
head -c 16385 "$D/bundle0.pem" > "$T/edge/e16385.pem"
head -c 40000 "$D/bundle1.pem" > "$T/edge/e40000.pem"
cp "$D/bundle2.pem" "$T/edge/whole.pem"
: > "$T/edge/empty.pem"
# (opened relative to the directory, as with 8 files or more)
for f in $(ls "$D/d05" | head -n 4); do cp "$D/d05/$f" "$T/edge/"; done
for j in 1 2; do
	"$PLUGIN" -j "$j" -vv --now=2026-11-24 -p "$T/edge" > "$T/edge.dir.$j" 2>&1
	"$PLUGIN" -j "$j" -vv --now=2026-11-24 -p "$T/edge"/* > "$T/edge.ops.$j" 2>&1
	cmp -s "$T/edge.dir.$j" "$T/edge.ops.$j"
	ok $? "-j $j: files around the first read's 16 KiB, read from their directory as named"
done
"$PLUGIN" -o json --now=2026-11-24 -p "$T/edge" > "$T/edge.json"
like "$(grep -A2 'empty.pem' "$T/edge.json" | tr -d '\n')" '"reason": "empty file"' \
    "an empty file in a directory is skipped as such"
done_testing
