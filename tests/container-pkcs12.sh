#!/bin/sh
# PKCS#12: files made by openssl pkcs12 -export (with and without password,
# with chain, RC2-40 legacy, -certpbe NONE, no MAC), the real samples, and
# damaged ones. The certificates found must be those openssl pkcs12 -nokeys
# lists.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/container-lib.sh"
scratch
D=$TOP_SRCDIR/tests/data/container
unset CHECK_CERT_EXPIRY_PKCS12_PASSWORD

make_pki || skip_all "cannot make test certificates with $OPENSSL"
printf 's3cret\n' >"$T/pw"
printf 'not-it\n' >"$T/wrongpw"
export_p12() {	# export_p12 OUT PASS [openssl options]
	o=$1 pw=$2
	shift 2
	"$OPENSSL" pkcs12 -export -in "$T/leaf.pem" -inkey "$T/leaf.key" \
	    -certfile "$T/chain.pem" -name "leaf alias" -passout "pass:$pw" \
	    -out "$T/$o" "$@" 2>"$T/export.err"
}
nokeys_fps() {	# nokeys_fps FILE PASS [openssl options]
	f=$1 pw=$2
	shift 2
	"$OPENSSL" pkcs12 -in "$f" -nokeys -passin "pass:$pw" "$@" 2>/dev/null | pem_fps
}
want=$(cat "$T/leaf.pem" "$T/chain.pem" | pem_fps)

# --- with password
export_p12 pw.p12 s3cret
is "$(nokeys_fps "$T/pw.p12" s3cret)" "$want" "openssl lists leaf, intermediate and root"
run_plugin -o json -p "$T/pw.p12"
is "$rc" 3 "password needed, none given: UNKNOWN"
like "$(json_errors)" "pw\\.p12: PKCS#12 password required" "error names the file: password required"
is "$(json_fps)" "" "no certificate without the password"
run_plugin -o json --pkcs12-password-file="$T/pw" -p "$T/pw.p12"
is "$(json_fps)" "$want" "--pkcs12-password-file: the three certificates"
is "$(json_errors)" "" "no error with the right password"
like "$(json_sources)" "pkcs12 leaf alias" "friendlyName shown as alias"
is "$(json_serials)" "$(cat "$T/leaf.pem" "$T/chain.pem" | pem_serials)" "serials as openssl prints them"
out=$(CHECK_CERT_EXPIRY_PKCS12_PASSWORD=s3cret "$PLUGIN" -o json -p "$T/pw.p12")
is "$(json_fps)" "$want" "CHECK_CERT_EXPIRY_PKCS12_PASSWORD: the three certificates"
run_plugin -o json --pkcs12-password-file="$T/wrongpw" -p "$T/pw.p12"
like "$(json_errors)" "pw\\.p12: PKCS#12 wrong password" "wrong password named as such"
run_plugin -vv --pkcs12-password-file="$T/wrongpw" -p "$T/pw.p12"
unlike "$out$err" "not-it" "the password is never printed (-vv)"
run_plugin -vv --pkcs12-password-file="$T/pw" -p "$T/pw.p12"
unlike "$out$err" "s3cret" "the right password is never printed either"

# --- empty password
export_p12 nopw.p12 ""
is "$(dump_fps "$T/nopw.p12")" "$(nokeys_fps "$T/nopw.p12" "")" "empty password: read without one"
run_plugin -o json --pkcs12-password-file="$T/wrongpw" -p "$T/nopw.p12"
is "$(json_fps)" "$want" "empty password tried even when another one is configured"

# --- RC2-40 (old Windows exports)
if export_p12 legacy.p12 s3cret -legacy && "$OPENSSL" pkcs12 -in "$T/legacy.p12" -info \
    -nokeys -legacy -passin pass:s3cret 2>&1 | grep -q 'RC2'; then
	lw=$(nokeys_fps "$T/legacy.p12" s3cret -legacy)
	is "$lw" "$want" "openssl reads the RC2-40 file"
	is "$(CHECK_CERT_EXPIRY_PKCS12_PASSWORD=s3cret dump_fps "$T/legacy.p12")" "$lw" \
	    "RC2-40: same certificates"
	run_plugin -o json --pkcs12-password-file="$T/pw" -p "$T/legacy.p12"
	is "$(json_fps)" "$lw" "RC2-40: the plugin reports the same certificates"
	out=$(OPENSSL_MODULES=$T/no-such-dir CHECK_CERT_EXPIRY_PKCS12_PASSWORD=s3cret "$DUMP" "$T/legacy.p12")
	like "$out" "error.*legacy\\.p12: .*RC2.*legacy provider.*could not be loaded" \
	    "RC2-40 without the legacy provider: says what is missing"
else
	echo "# skipping RC2-40: $OPENSSL cannot write -legacy files"
fi

# --- certificates in clear (-certpbe NONE), key encrypted
export_p12 clear.p12 s3cret -certpbe NONE
out=$("$DUMP" "$T/clear.p12")
is "$(dump_fps "$T/clear.p12")" "$(nokeys_fps "$T/clear.p12" s3cret)" \
    "-certpbe NONE: certificates read without the password"
like "$out" "note.*MAC not verified" "-certpbe NONE without password: -vv note"
unlike "$out" "^error" "-certpbe NONE without password: no error"

# --- no MAC, nothing encrypted
export_p12 nomac.p12 "" -certpbe NONE -keypbe NONE -nomac
is "$(dump_fps "$T/nomac.p12")" "$want" "-nomac: all certificates"

# --- a key without certificate is skipped, not an error
"$OPENSSL" pkcs12 -export -nocerts -inkey "$T/leaf.key" -passout pass: -out "$T/key.p12" 2>/dev/null
run_plugin -o json -vv -p "$T/key.p12" -p "$T/nopw.p12"
is "$(json_errors)" "" "key-only PKCS#12: no error"
like "$out" '"skipped": [1-9]' "key-only PKCS#12: counted as skipped"

# --- damaged MAC: error, certificates still reported
"$PY" - "$T/pw.p12" "$T/mac.p12" <<'PYEOF'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
i = d.rfind(b"\x04\x20")          # the MAC digest (SHA-256) near the end
assert i > len(d) - 80
d[i + 2] ^= 1
open(sys.argv[2], "wb").write(d)
PYEOF
run_plugin -o json --pkcs12-password-file="$T/pw" -p "$T/mac.p12"
like "$(json_errors)" "mac\\.p12: PKCS#12 MAC verification failed" "damaged MAC: error naming the file"
is "$(json_fps)" "$want" "damaged MAC: the certificates are still reported"
is "$rc" 3 "damaged MAC: UNKNOWN"

# --- truncated: several cut points
size=$(filesize "$T/pw.p12")
for n in 8 10 100 $((size / 2)) $((size - 40)) $((size - 1)); do
	cut_file "$T/pw.p12" "$n" "$T/cut$n.p12"
	run_plugin -o json --pkcs12-password-file="$T/pw" -p "$T/cut$n.p12" -p "$D/t.jks"
	like "$(json_errors)" "cut$n\\.p12: .*(truncated|damaged)" "cut at $n of $size bytes: error naming the file"
	is "$rc" 3 "cut at $n: UNKNOWN"
	is "$(json_fps | wc -l | tr -d ' ')" 1 "cut at $n: the other file's certificate still reported"
done

# --- the real samples
is "$(CHECK_CERT_EXPIRY_PKCS12_PASSWORD=secret dump_fps "$D/leaf.pfx")" \
    "$(nokeys_fps "$D/leaf.pfx" secret)" "sample leaf.pfx: same certificates as openssl"
is "$(CHECK_CERT_EXPIRY_PKCS12_PASSWORD=changeit dump_fps "$D/t.p12")" \
    "$(nokeys_fps "$D/t.p12" changeit)" "sample t.p12 (keytool): same certificates as openssl"
run_plugin -o json -p "$D/pkcs12-nokeys-bagattrs.pem"
is "$(json_fps)" "$(pem_fps <"$D/pkcs12-nokeys-bagattrs.pem")" "openssl pkcs12 -nokeys output read as PEM"

done_testing
