#!/bin/sh
# Certificates as others make them (INTERFACE, Sources and Selection):
# - an Active Directory user (DC=local, DC=corp, CN=Users, CN=Jane Doe) is
#   named by the last CN, in every container (PEM, DER, PKCS#7, PKCS#12, JKS);
# - a certificate whose dates read is reported even when a name does not
#   decode (invalid UTF-8 in the issuer's CN, a long-form tag in the
#   subject's CN), the name falling back (U+FFFD, or the next name source)
#   with a -vv note; only unreadable dates make an error;
# - a negative serial prints as `openssl x509 -serial` prints it.
# The odd ones come from python-cryptography's builder with one field
# patched (tests/gen-odd-certs.py), which also says what python-cryptography
# reads of their dates.
. "$TOP_SRCDIR/tests/lib.sh"
PY=/usr/bin/python3
$PY -c 'import cryptography' 2>/dev/null || skip_all "needs python3-cryptography"
scratch
O=$T/odd
$PY "$TOP_SRCDIR/tests/gen-odd-certs.py" "$T/gen" || exit 1
mkdir -p "$O"
cp "$T"/gen/*.der "$O/"
NOW=--now=2026-12-01
json_field() {	# json_field FILE FIELD: the field of the certificate found at FILE
	$PY -c '
import json, sys
doc = json.load(sys.stdin)
for c in doc["certificates"]:
    if any(s.get("path", "").endswith("/" + sys.argv[1]) for s in c["sources"]):
        print(c[sys.argv[2]])' "$1" "$2"
}

# ---- Active Directory names, in every container
A=$T/ad
mkdir -p "$A"
"$OPENSSL" req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/ad.key" \
    -subj "/DC=local/DC=corp/CN=Users/CN=Jane Doe" -days 20 -out "$A/jdoe.pem" 2>/dev/null
"$OPENSSL" x509 -in "$A/jdoe.pem" -outform DER -out "$A/jdoe.cer"
"$OPENSSL" crl2pkcs7 -nocrl -certfile "$A/jdoe.pem" -outform DER -out "$A/jdoe.p7b"
"$OPENSSL" pkcs12 -export -in "$A/jdoe.pem" -inkey "$T/ad.key" -passout pass: \
    -out "$A/jdoe.p12" 2>/dev/null
formats="pem der pkcs7 pkcs12"
if command -v keytool >/dev/null 2>&1; then
	keytool -importcert -noprompt -alias jdoe -file "$A/jdoe.pem" -keystore "$A/jdoe.jks" \
	    -storetype JKS -storepass changeit >/dev/null 2>&1
	formats="$formats jks"
fi
run_plugin -o json "$A"
is "$(printf '%s' "$out" | $PY -c '
import json, sys
doc = json.load(sys.stdin)
for c in doc["certificates"]:
    print(c["name"], c["cn"], " ".join(sorted(s["format"] for s in c["sources"])))')" \
    "Jane Doe Jane Doe $(echo $formats | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')" \
    "AD user: one certificate named Jane Doe in $formats (JSON cn too)"
run_plugin -f '^Jane' "$A"
like "$out" '^CERT_EXPIRY WARNING - 0 critical, 1 warning, 0 ok of 1 certificate; Jane Doe expires' \
    "-f '^Jane' finds Jane Doe"
run_plugin -x '^Users$' "$A"
like "$out" 'of 1 certificate; Jane Doe expires' "-x '^Users\$' does not drop her"
run_plugin -f '^Users$' "$A"
like "$out" 'no certificate found|of 0 certificates' "-f '^Users\$' finds nobody"

# ---- names that do not decode: reported, with a note
for f in badutf8-issuer longtag longtag-nosan ad-longtag; do
	like "$(cat "$T/gen/$f.dates")" '^not_after=2027-06-15T12:00:00Z' \
	    "$f: python-cryptography reads its dates"
	"$OPENSSL" x509 -inform DER -in "$O/$f.der" -noout 2>/dev/null
	ok $((! $?)) "$f: OpenSSL refuses it"
done
run_plugin $NOW -o json "$O"
doc=$out
is "$rc" 3 "the directory: UNKNOWN (baddate.der is an error)"
is "$(printf '%s' "$doc" | json_field badutf8-issuer.der issuer)" \
    "CN=M$(printf '\357\277\275')ler CA,O=Corp" "invalid UTF-8 in the issuer's CN: U+FFFD"
is "$(printf '%s' "$doc" | json_field badutf8-issuer.der name)" "odd-issuer.example" \
    "  the name is the subject's CN"
is "$(printf '%s' "$doc" | json_field longtag.der name)" "longtag.example" \
    "a long-form tag in the CN: named by the DNS name (the next source)"
is "$(printf '%s' "$doc" | json_field longtag.der cn)" "None" "  JSON cn is null"
is "$(printf '%s' "$doc" | json_field longtag.der subject)" "CN=#1F1F0777656972646E6D,O=Corp" \
    "  the subject shows the value as RFC 4514 #hex"
is "$(printf '%s' "$doc" | json_field longtag-nosan.der name)" "CN=#1F1F0777656972646E6D,O=Corp" \
    "  without a DNS name: named by the subject DN"
is "$(printf '%s' "$doc" | json_field ad-longtag.der name)" "jdoe.corp.local" \
    "  an AD user's last CN: the DNS name, not the CN before it (Users)"
is "$(printf '%s' "$doc" | json_field longtag-utf8.der name)" "longtag" \
    "UTF8String in the long form: read as UTF8String (OpenSSL does)"
is "$(printf '%s' "$doc" | json_field longtag.der not_after)" "2027-06-15T12:00:00Z" \
    "  its dates as python-cryptography reads them"
is "$(printf '%s' "$doc" | json_field empty-subject.der name)" "5A5A01" \
    "an empty subject without DNS names: named by the serial"
like "$doc" '"path": "[^"]*/baddate\.der", "message": "invalid certificate: notAfter: not an RFC 5280 UTCTime' \
    "a notAfter that does not read: an error naming the file"
run_plugin $NOW -vv "$O"
like "$out" "NOTE: $O/badutf8-issuer\\.der: certificate read with fallbacks: issuer: CN value is not valid UTF-8 at byte [0-9]+, read with U\\+FFFD" \
    "-vv says what fell back (UTF-8)"
like "$out" "NOTE: $O/longtag\\.der: certificate read with fallbacks: subject: CN value with tag number 31 \\(long form\\) at byte [0-9]+, shown as #hex" \
    "-vv says what fell back (long-form tag)"
run_plugin $NOW "$O/longtag.der" "$O/badutf8-issuer.der"
is "$rc" 0 "alone, the two odd certificates are OK, not an error"
# in a PEM bundle, and with the Nagios output (no -v): the same
{ "$OPENSSL" x509 -inform DER -in "$O/neg-new.der"; printf -- '-----BEGIN CERTIFICATE-----\n'; \
  $PY -c 'import base64,sys; print(base64.encodebytes(open(sys.argv[1],"rb").read()).decode(), end="")' "$O/longtag.der"; \
  printf -- '-----END CERTIFICATE-----\n'; } >"$T/bundle.pem"
run_plugin $NOW "$T/bundle.pem"
like "$out" '^CERT_EXPIRY OK - 0 critical, 0 warning, 2 ok of 2 certificates' "a bundle with one: both reported"

# ---- a negative serial, as openssl prints it, in every output
want=$("$OPENSSL" x509 -inform DER -in "$O/neg-new.der" -noout -serial | sed 's/^serial=//')
is "$want" "-04316693ED" "openssl x509 -serial prints -04316693ED"
is "$(printf '%s' "$doc" | json_field neg-new.der serial)" "$want" "JSON serial as openssl prints it"
run_plugin $NOW --skip-renewed -v "$O/neg-old.der" "$O/neg-new.der"
like "$out" "neg\\.example expires 2026-12-10 .* renewed by serial $want " "nagios -v: renewed by serial $want"
run_plugin $NOW --skip-renewed -l "$O/neg-old.der" "$O/neg-new.der"
like "$out" "RENEWED .* renewed by serial $want " "list: renewed by serial $want"
run_plugin $NOW --skip-renewed -o json "$O/neg-old.der" "$O/neg-new.der"
like "$out" "\"renewed_by\": \\{\"serial\": \"$want\"" "JSON renewed_by serial $want"
pos=$("$OPENSSL" x509 -inform DER -in "$O/neg-old.der" -noout -serial | sed 's/^serial=//')
is "$(printf '%s' "$out" | json_field neg-old.der serial)" "$pos" "a positive serial as openssl prints it ($pos)"

done_testing
