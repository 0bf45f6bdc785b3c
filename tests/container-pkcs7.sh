#!/bin/sh
# PKCS#7 certs-only: openssl crl2pkcs7 -nocrl in PEM and DER, the samples,
# an empty one, truncated ones. The certificates found must be those
# openssl pkcs7 -print_certs lists.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/container-lib.sh"
scratch
D=$TOP_SRCDIR/tests/data/container

make_pki || skip_all "cannot make test certificates with $OPENSSL"
p7certs() {	# p7certs FILE FORM
	"$OPENSSL" pkcs7 -in "$1" -inform "$2" -print_certs 2>/dev/null
}
"$OPENSSL" crl2pkcs7 -nocrl -certfile "$T/leaf.pem" -certfile "$T/chain.pem" \
    -out "$T/chain.p7b" 2>/dev/null
"$OPENSSL" crl2pkcs7 -nocrl -certfile "$T/leaf.pem" -certfile "$T/chain.pem" \
    -outform DER -out "$T/chain.p7c" 2>/dev/null
want=$(cat "$T/leaf.pem" "$T/chain.pem" | pem_fps)

is "$(p7certs "$T/chain.p7c" DER | pem_fps)" "$want" "openssl lists the three certificates"
is "$(dump_fps "$T/chain.p7c")" "$want" "DER: the reader finds the same three"
run_plugin -o json -p "$T/chain.p7c"
is "$(json_fps)" "$want" "DER: the plugin reports the same three"
is "$(json_sources)" "$(printf 'pkcs7 -\npkcs7 -\npkcs7 -')" "DER: format pkcs7"
is "$(json_serials)" "$(p7certs "$T/chain.p7c" DER | pem_serials)" "DER: serials as openssl prints them"
is "$rc" 0 "DER: OK"
run_plugin -o json -p "$T/chain.p7b"
is "$(json_fps)" "$(p7certs "$T/chain.p7b" PEM | pem_fps)" "PEM PKCS7 block: the same certificates"
is "$(json_sources)" "$(printf 'pkcs7 -\npkcs7 -\npkcs7 -')" "PEM: format pkcs7"
# a PEM PKCS7 block with text around it and CRLF line ends
{ printf 'exported by somebody\r\n'; sed 's/$/\r/' "$T/chain.p7b"; printf 'trailer\r\n'; } >"$T/crlf.p7b"
run_plugin -o json -p "$T/crlf.p7b"
is "$(json_fps)" "$want" "PEM with CRLF and text around it"

# --- the samples
run_plugin -o json -p "$D/b.p7b"
is "$(json_fps)" "$(p7certs "$D/b.p7b" PEM | pem_fps)" "sample b.p7b: same certificates as openssl"
run_plugin -o json -p "$D/b_der.p7b"
is "$(json_fps)" "$(p7certs "$D/b_der.p7b" DER | pem_fps)" "sample b_der.p7b: same certificates as openssl"

# --- no certificate at all: an error naming the file
"$OPENSSL" crl2pkcs7 -nocrl -outform DER -out "$T/empty.p7c" 2>/dev/null
"$OPENSSL" crl2pkcs7 -nocrl -out "$T/empty.p7b" 2>/dev/null
run_plugin -o json -p "$T/empty.p7c" -p "$T/empty.p7b" -p "$D/b_der.p7b"
like "$(json_errors)" "empty\\.p7c: PKCS#7 SignedData holds no certificates" "empty DER PKCS#7: error naming the file"
like "$(json_errors)" "empty\\.p7b(:[0-9]+)?: PKCS#7 SignedData holds no certificates" "empty PEM PKCS#7: error naming the file"
is "$(json_fps | wc -l | tr -d ' ')" 1 "empty PKCS#7: the other file's certificate still reported"
is "$rc" 3 "empty PKCS#7: UNKNOWN"

# --- truncated: the complete certificates before the cut, and an error
size=$(filesize "$T/chain.p7c")
rootlen=$("$OPENSSL" x509 -in "$T/root.pem" -outform DER | wc -c | tr -d ' ')
first2=$(cat "$T/leaf.pem" "$T/int.pem" | pem_fps)
for n in 12 40 $((size - 2 - rootlen / 2)) $((size - 1)); do
	cut_file "$T/chain.p7c" "$n" "$T/cut$n.p7c"
	run_plugin -o json -p "$T/cut$n.p7c"
	like "$(json_errors)" "cut$n\\.p7c: truncated PKCS#7" "cut at $n of $size bytes: error naming the file"
	is "$rc" 3 "cut at $n: UNKNOWN"
done
cut_file "$T/chain.p7c" $((size - 2 - rootlen / 2)) "$T/cut.p7c"
run_plugin -o json -p "$T/cut.p7c"
is "$(json_fps)" "$first2" "cut inside the third certificate: the first two reported"
cut_file "$T/chain.p7c" $((size - 1)) "$T/cut.p7c"
run_plugin -o json -p "$T/cut.p7c"
is "$(json_fps)" "$want" "cut after the certificates: all three reported"

done_testing
