#!/bin/sh
# Damaged files are errors, files without certificates are skipped
# (INTERFACE, Sources): a DER SEQUENCE whose length runs past the end of the
# file or whose inside is no DER or no known object is an error whatever the
# name; a file named as a certificate (.crt .cer .der .pem .p7b .p7c .pfx
# .p12 .jks .keystore) whose content is not recognised at all is an error;
# keys, CSRs, CRLs, parameters, other text and empty files are skipped, even
# when named .pem or .der. The certificate beside a damaged file is still
# reported, and the run is UNKNOWN, never a silent OK.
. "$TOP_SRCDIR/tests/lib.sh"
PY=/usr/bin/python3
command -v $PY >/dev/null 2>&1 || skip_all "needs /usr/bin/python3"
scratch
D=$T/d
mkdir -p "$D"

# ---- what others made: openssl's certificates, keys, requests, lists
"$OPENSSL" req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$D/key.pem" -subj /CN=www.example.test -days 365 \
    -out "$D/www.pem" 2>/dev/null || skip_all "openssl cannot make a certificate"
"$OPENSSL" x509 -in "$D/www.pem" -outform DER -out "$T/www.der"
"$OPENSSL" pkey -in "$D/key.pem" -outform DER -out "$D/key.der"
"$OPENSSL" pkey -in "$D/key.pem" -pubout -outform DER -out "$D/pub.der"
"$OPENSSL" pkcs8 -topk8 -in "$D/key.pem" -v2 aes-128-cbc -passout pass:x \
    -outform DER -out "$D/enc-key.der"
"$OPENSSL" req -new -key "$D/key.pem" -subj /CN=csr -out "$D/request.pem"
"$OPENSSL" req -new -key "$D/key.pem" -subj /CN=csr -outform DER -out "$D/request.der"
"$OPENSSL" ecparam -name prime256v1 -outform DER -out "$D/ec-params.der"
"$OPENSSL" genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048 \
    -out "$D/dh-params.pem" 2>/dev/null
"$OPENSSL" dhparam -in "$D/dh-params.pem" -outform DER -out "$D/dh-params.der" 2>/dev/null
# a CRL, signed by the certificate's own key
cat >"$T/ca.cnf" <<EOF
[ca]
default_ca = c
[c]
database = $T/index.txt
crlnumber = $T/crlnumber
default_md = sha256
EOF
: >"$T/index.txt"
echo 01 >"$T/crlnumber"
"$OPENSSL" ca -config "$T/ca.cnf" -gencrl -cert "$D/www.pem" -keyfile "$D/key.pem" \
    -crldays 30 -out "$D/list.pem" 2>/dev/null
"$OPENSSL" crl -in "$D/list.pem" -outform DER -out "$D/list.der"
: >"$D/empty.pem"
printf '\n  \r\n' >"$D/blank.crt"
echo "0 4 * * * root /usr/local/bin/renew" >"$D/crontab.txt"
echo "just some notes" >"$D/notes.txt"
# a key cut short is still a key
head -n 3 "$D/key.pem" >"$D/cut-key.pem"
for f in key.der pub.der enc-key.der request.pem request.der ec-params.der dh-params.pem \
    dh-params.der list.pem list.der; do
	[ -s "$D/$f" ]
	ok $? "openssl made $f"
done

# ---- damaged, made the way the issue saw them
$PY - "$D" "$T/www.der" <<'PYEOF'
import os, sys
d, der = sys.argv[1], open(sys.argv[2], "rb").read()
rnd = os.urandom(700)
def w(name, data):
    open(os.path.join(d, name), "wb").write(data)
w("damaged.der", b"\x30\x82\xff\xff" + rnd)            # length past the end
w("damaged2.der", b"\x30\x84\x7f\xff\xff\xff" + rnd)  # 2 GiB claimed
w("damaged.bin", b"\x30\x82\xff\xff" + rnd)            # no certificate name
w("inside.dat", b"\x30\x20" + b"\xff" * 32)            # contents not DER
w("noobject.der", b"\x30\x04\x30\x02\x05\x00")         # DER, but no known object
w("cut.cer", der[:len(der) // 2])                      # a certificate cut in half
w("overwritten.crt", der[:4] + b"\x00" * (len(der) - 4))
w("garbage.pem", b"this file was overwritten by something else\n")
w("garbage.PEM", b"upper-case name, same rule\n")
w("zero.pem", b"0 is how this text starts\n")
w("begin.pem", b"text with -----BEGIN  but no block\n")
w("random.p12", rnd[:300] if rnd[0] != 0x30 else b"\x01" + rnd[1:300])
for ext in ("p7b", "p7c", "pfx", "jks", "keystore"):
    w("garbage." + ext, b"not a container at all\n")
PYEOF

# ---- the issue's run: the certificate reported, the damaged file an error
run_plugin -p "$D/www.pem" -p "$D/damaged.der"
is "$rc" 3 "-p www.pem -p damaged.der: UNKNOWN"
like "$out" '^CERT_EXPIRY UNKNOWN - .*1 certificate, 1 error' "  the status line counts the certificate and the error"
like "$out" "ERROR: [^ ]*/damaged\\.der: damaged DER: the SEQUENCE at byte 0 claims 65539 bytes, the file ends after 704" \
    "  the error names the file and why"
run_plugin -v -p "$D/www.pem" -p "$D/damaged.der"
like "$out" 'OK: www\.example\.test expires' "  www is still reported"
run_plugin -o json -p "$D/www.pem" -p "$D/damaged2.der"
is "$rc" 3 "-o json with a damaged file: exit 3"
like "$out" '"path": "[^"]*/damaged2\.der", "message": "damaged DER: the SEQUENCE at byte 0 claims 2147483653 bytes' \
    "  JSON errors name the file"
like "$out" '"name": "www\.example\.test"' "  and list www"
run_plugin -l -p "$D/www.pem" -p "$D/damaged.bin"
is "$rc" 3 "-l with a damaged file: exit 3"

# ---- each file on its own, at -vv: an ERROR or a SKIPPED line naming it
outcome() {	# outcome FILE: error or skip, and the reason
	o=$("$PLUGIN" -vv "$D/$1" 2>&1)
	r=$(printf '%s\n' "$o" | grep -E "^(ERROR|SKIPPED): $D/$1: " | head -n 1)
	case $r in
	ERROR:*) echo "error: ${r#ERROR: $D/$1: }" ;;
	SKIPPED:*) echo "skip: ${r#SKIPPED: $D/$1: }" ;;
	*) echo "neither: $o" ;;
	esac
}
while read -r f want; do
	[ -n "$f" ] || continue
	like "$(outcome "$f")" "^$want" "$f: $want"
done <<'EOF'
damaged.der         error: damaged DER: the SEQUENCE at byte 0 claims
damaged2.der        error: damaged DER: the SEQUENCE at byte 0 claims
damaged.bin         error: damaged DER: the SEQUENCE at byte 0 claims
inside.dat          error: damaged DER: the SEQUENCE's contents are not DER at byte 2
noobject.der        error: damaged DER: a SEQUENCE of 6 bytes that holds no known object
cut.cer             error: invalid certificate: Certificate: truncated
overwritten.crt     error: damaged DER: 
garbage.pem         error: not a certificate: content not recognised, although the name says it holds one
garbage.PEM         error: not a certificate: content not recognised
zero.pem            error: not a certificate: content not recognised
begin.pem           error: not a certificate: no PEM block
random.p12          error: not a certificate: content not recognised
garbage.p7b         error: not a certificate
garbage.p7c         error: not a certificate
garbage.pfx         error: not a certificate
garbage.jks         error: not a certificate
garbage.keystore    error: not a certificate
key.pem             skip: no certificate \(PRIVATE KEY\)
cut-key.pem         skip: no certificate \(PRIVATE KEY without END line\)
key.der             skip: no certificate \(DER private key or parameters\)
pub.der             skip: no certificate \(DER public key\)
enc-key.der         skip: no certificate \(DER encrypted private key\)
request.pem         skip: no certificate \(CERTIFICATE REQUEST\)
request.der         skip: no certificate \(DER CRL or certificate request\)
list.pem            skip: no certificate \(X509 CRL\)
list.der            skip: no certificate \(DER CRL or certificate request\)
ec-params.der       skip: no certificate \(DER EC parameters\)
dh-params.pem       skip: no certificate \(DH PARAMETERS\)
dh-params.der       skip: no certificate \(DER private key or parameters\)
empty.pem           skip: empty file
blank.crt           skip: empty file \(white space only\)
crontab.txt         skip: no certificate \(content not recognised\)
notes.txt           skip: no certificate \(content not recognised\)
EOF

# ---- a directory of them: every damaged file an error, every other a skip,
# the certificate reported; never OK
run_plugin -o json "$D/"
is "$rc" 3 "the whole directory: UNKNOWN"
is "$(printf '%s' "$out" | $PY -c 'import json,sys; c=json.load(sys.stdin)["counts"]; print(c["certificates"], c["errors"], c["skipped"])')" \
    "1 17 16" "  1 certificate, 17 errors, 16 skipped"
unlike "$out" "$D//" "  no '//' in any location (-p DIR/)"
like "$out" "\"path\": \"$D/www\\.pem\"" "  locations joined with one '/'"

# ---- skipped files alone stay a skip: not an error, not a certificate
run_plugin "$D/key.pem" "$D/list.der" "$D/empty.pem" "$D/notes.txt"
like "$out" '^CERT_EXPIRY UNKNOWN - no certificate found \(4 files without certificates skipped\)' \
    "keys, lists, empty and text files alone: skipped, nothing found"
like "$out" 'errors=0;' "  and no error"

done_testing
