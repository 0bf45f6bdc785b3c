#!/bin/sh
# Java keystores made by keytool (JKS, JCEKS, PKCS12 store types; trusted
# and private-key entries), the sample, damaged ones, and Debian's Java
# cacerts. The certificates found must be those keytool -list -rfc lists.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/container-lib.sh"
scratch
D=$TOP_SRCDIR/tests/data/container
unset CHECK_CERT_EXPIRY_PKCS12_PASSWORD

KEYTOOL=${KEYTOOL:-keytool}
command -v "$KEYTOOL" >/dev/null 2>&1 ||
    skip_all "keytool not found (Debian: apt-get install openjdk-17-jre-headless)"
make_pki || skip_all "cannot make test certificates with $OPENSSL"
kt() {
	"$KEYTOOL" "$@" >"$T/keytool.out" 2>&1 || { sed 's/^/# /' "$T/keytool.out"; return 1; }
}
kt_fps() {	# kt_fps STORE TYPE: every certificate keytool lists, chains included
	"$KEYTOOL" -list -rfc -keystore "$1" -storetype "$2" -storepass changeit 2>/dev/null | pem_fps
}
"$OPENSSL" pkcs12 -export -in "$T/leaf.pem" -inkey "$T/leaf.key" -certfile "$T/chain.pem" \
    -name "leaf key" -passout pass:changeit -out "$T/src.p12" 2>/dev/null

# JKS: a trusted root, a trusted intermediate, the leaf key with its chain
kt -importcert -noprompt -alias "root ca" -file "$T/root.pem" -keystore "$T/t.jks" \
    -storetype JKS -storepass changeit &&
kt -importcert -noprompt -alias inter -file "$T/int.pem" -keystore "$T/t.jks" \
    -storetype JKS -storepass changeit &&
kt -importkeystore -noprompt -srckeystore "$T/src.p12" -srcstoretype PKCS12 \
    -srcstorepass changeit -destkeystore "$T/t.jks" -deststoretype JKS \
    -deststorepass changeit -destkeypass changeit ||
    skip_all "keytool cannot write a JKS keystore here"
kt -importkeystore -noprompt -srckeystore "$T/t.jks" -srcstoretype JKS -srcstorepass changeit \
    -destkeystore "$T/t.jceks" -deststoretype JCEKS \
    -deststorepass changeit -destkeypass changeit
ok $? "keytool writes a JCEKS copy"
kt -importkeystore -noprompt -srckeystore "$T/t.jks" -srcstoretype JKS -srcstorepass changeit \
    -destkeystore "$T/t.p12" -deststoretype PKCS12 \
    -deststorepass changeit -destkeypass changeit
ok $? "keytool writes a PKCS12 copy"

want=$(kt_fps "$T/t.jks" JKS)
is "$(printf '%s\n' "$want" | wc -l | tr -d ' ')" 5 "keytool lists 5 certificates (2 trusted, chain of 3)"
is "$(dump_fps "$T/t.jks")" "$want" "JKS: the reader finds what keytool lists, without the password"
is "$(dump_fps "$T/t.jceks")" "$(kt_fps "$T/t.jceks" JCEKS)" "JCEKS: the same"
is "$(CHECK_CERT_EXPIRY_PKCS12_PASSWORD=changeit dump_fps "$T/t.p12")" "$(kt_fps "$T/t.p12" PKCS12)" \
    "keytool PKCS12 store: the same, with the password"

uniq=$(printf '%s\n' "$want" | sort -u)
run_plugin -o json -vv -p "$T/t.jks"
is "$(json_fps)" "$uniq" "plugin on JKS: the 3 distinct certificates"
is "$(json_sources)" "$(printf 'jks inter\njks leaf key\njks leaf key\njks leaf key\njks root ca')" \
    "plugin on JKS: format jks, aliases of trusted and key entries"
run_plugin -vv -p "$T/t.jks"
like "$out" "integrity hash not verified" "-vv says the integrity hash was not verified"
run_plugin -o json -p "$T/t.jceks"
is "$(json_fps)" "$uniq" "plugin on JCEKS: the 3 distinct certificates"
like "$(json_sources)" "^jceks " "plugin on JCEKS: format jceks"
run_plugin -o json -p "$T/t.p12"
like "$(json_errors)" "t\\.p12: PKCS#12 password required" "keytool PKCS12 without password: password required"
printf 'changeit\n' >"$T/pw"
run_plugin -o json --pkcs12-password-file="$T/pw" -p "$T/t.p12" -p "$T/t.jks" -p "$T/t.jceks"
is "$(json_fps)" "$uniq" "all three stores together: each certificate once"
is "$(json_errors)" "" "all three stores: no error"

# the sample
is "$(dump_fps "$D/t.jks")" "$(kt_fps "$D/t.jks" JKS)" "sample t.jks: what keytool lists"

# --- damaged: entry length past the end, truncations
"$PY" - "$T/t.jks" "$T/long.jks" <<'PYEOF'
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
magic, version, count = struct.unpack(">III", d[:12])
off, last = 12, None
def utf(o):
    n = struct.unpack(">H", d[o:o + 2])[0]
    return o + 2 + n, d[o + 2:o + 2 + n].decode()
for i in range(count):
    tag = struct.unpack(">I", d[off:off + 4])[0]
    off, alias = utf(off + 4)
    off += 8
    ncert = 1
    if tag == 1:
        klen = struct.unpack(">I", d[off:off + 4])[0]
        off += 4 + klen
        ncert = struct.unpack(">I", d[off:off + 4])[0]
        off += 4
    for j in range(ncert):
        if version == 2:
            off, _ = utf(off)
        last = (off, i + 1, alias)
        off += 4 + struct.unpack(">I", d[off:off + 4])[0]
o, idx, alias = last
d[o:o + 4] = struct.pack(">I", 0x7ffffff0)
open(sys.argv[2], "wb").write(d)

PYEOF
run_plugin -o json -p "$T/long.jks"
like "$(json_errors)" "long\\.jks(:3)?: jks entry 3 \\(\"[a-z ]+\"\\): certificate length 2147483632 goes past the end" \
    "entry length past the end: error naming the file and the entry"
is "$(json_fps | wc -l | tr -d ' ')" 3 "entry length past the end: certificates before it still reported"
is "$rc" 3 "entry length past the end: UNKNOWN"

size=$(filesize "$T/t.jks")
for n in 12 30 $((size / 2)) $((size - 21)) $((size - 5)); do
	cut_file "$T/t.jks" "$n" "$T/cut$n.jks"
	run_plugin -o json -p "$T/cut$n.jks" -p "$D/b_der.p7b"
	like "$(json_errors)" "cut$n\\.jks(:[0-9]+)?: .*(truncated|past the end)" "cut at $n of $size bytes: error naming the file"
	is "$rc" 3 "cut at $n: UNKNOWN"
done
cut_file "$T/t.jks" $((size - 5)) "$T/cut.jks"
run_plugin -o json -p "$T/cut.jks"
is "$(json_fps)" "$uniq" "cut inside the integrity hash: all certificates still reported"

# --- Debian's Java trust store (a JKS file) and the PEM trust store
CACERTS=/etc/ssl/certs/java/cacerts
if [ -r "$CACERTS" ] && [ -r /etc/ssl/certs/ca-certificates.crt ]; then
	n=$("$KEYTOOL" -list -keystore "$CACERTS" -storepass changeit 2>/dev/null |
	    grep -c 'trustedCertEntry')
	run_plugin -o json -p "$CACERTS"
	is "$(json_fps | wc -l | tr -d ' ')" "$n" "$CACERTS: every trusted entry keytool lists ($n)"
	is "$(json_errors)" "" "$CACERTS: no error"
	a=$(json_fps)
	run_plugin -o json -p /etc/ssl/certs/ca-certificates.crt
	union=$( { printf '%s\n' "$a"; json_fps; } | sort -u | wc -l | tr -d ' ')
	run_plugin -o json -p "$CACERTS" -p /etc/ssl/certs/ca-certificates.crt
	is "$(json_fps | wc -l | tr -d ' ')" "$union" "cacerts + ca-certificates.crt: each root once"
	run_plugin -o json -p /etc/ssl/certs
	like "$(json_sources)" "^jks debian:" "scanning /etc/ssl/certs reads the Java keystore too"
	is "$(json_fps | sort -u | wc -l | tr -d ' ')" "$(json_fps | wc -l | tr -d ' ')" \
	    "scanning /etc/ssl/certs: each root once"
else
	echo "# no $CACERTS here: Debian trust store checks left out"
fi

done_testing
