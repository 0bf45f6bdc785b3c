#!/bin/sh
# Generates the core test fixtures with the real openssl: a throw-away CA
# and certificates with exact validity dates (openssl ca -startdate/-enddate),
# around the reference time used by the golden cases: --now=2026-11-24.
# Usage: gen-core-fixtures.sh OUTDIR
set -eu
mkdir -p "$(dirname "$1")"
OUT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
OPENSSL=${OPENSSL:-openssl}
rm -rf "$OUT.tmp"
mkdir -p "$OUT.tmp"
cd "$OUT.tmp"
W=$(pwd)/ca
mkdir -p "$W/newcerts" certs
: >"$W/index.txt"
cat >"$W/ca.cnf" <<CNF
[ ca ]
default_ca = tca
[ tca ]
dir = $W
database = \$dir/index.txt
new_certs_dir = \$dir/newcerts
serial = \$dir/serial
default_md = default
policy = anything
preserve = yes
unique_subject = no
email_in_dn = no
copy_extensions = copy
[ anything ]
countryName = optional
organizationName = optional
organizationalUnitName = optional
commonName = optional
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
[ v3_ca ]
basicConstraints = critical,CA:true
keyUsage = keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ leaf ]
basicConstraints = CA:false
CNF
# One Ed25519 key made from a fixed seed: Ed25519 signatures are
# deterministic, so every fixture (and its SHA-256) is the same on every run.
printf '\060\056\002\001\000\060\005\006\003\053\145\160\004\042\004\040' >key.der
printf 'check_cert_expiry test key seed!' >>key.der
$OPENSSL pkey -inform DER -in key.der -out key.pem
rm -f key.der
# the CA itself: valid 2020-01-01 .. 2040-01-01
$OPENSSL req -new -key key.pem -subj "/O=Fixture Corp/CN=Fixture Issuing CA" -out ca.csr
echo 1000 >"$W/serial"
$OPENSSL ca -batch -config "$W/ca.cnf" -selfsign -keyfile key.pem -extensions v3_ca \
	-startdate 20200101000000Z -enddate 20400101000000Z -in ca.csr -out ca.pem \
	-notext 2>/dev/null
cp ca.pem certs/ca.pem

# issue NAME SUBJECT START END SERIAL [SAN]
issue() {
	name=$1 subj=$2 start=$3 end=$4 serial=$5 san=${6:-}
	echo "$serial" >"$W/serial"
	if [ -n "$san" ]; then
		$OPENSSL req -new -key key.pem -subj "$subj" -addext "subjectAltName=$san" \
			-out "$name.csr"
	else
		$OPENSSL req -new -key key.pem -subj "$subj" -out "$name.csr"
	fi
	$OPENSSL ca -batch -config "$W/ca.cnf" -cert ca.pem -keyfile key.pem \
		-extensions leaf -startdate "$start" -enddate "$end" -in "$name.csr" \
		-out "$name.pem" -notext 2>/dev/null
	rm -f "$name.csr"
}

S=20260101000000Z
issue ok        "/O=Fixture Corp/CN=ok.example.test"        $S 20270601000000Z 2001 "DNS:ok.example.test,DNS:www.ok.example.test"
issue warn      "/O=Fixture Corp/CN=warn.example.test"      $S 20261210000000Z 2002
issue crit      "/O=Fixture Corp/CN=crit.example.test"      $S 20261127120000Z 2003
issue expired   "/O=Fixture Corp/CN=expired.example.test"   $S 20261101000000Z 2004
issue notyet    "/O=Fixture Corp/CN=notyet.example.test"    20270101000000Z 20280101000000Z 2005
issue noexpiry  "/O=Fixture Corp/CN=noexpiry.example.test"  $S 99991231235959Z 2006
issue sanonly   "/O=Fixture Corp"                            $S 20270301000000Z 2007 "DNS:san-only.example.test"
issue pc001     "/O=Fixture Corp/CN=PC001.corp.test"        $S 20261215000000Z 2008
issue pc002     "/O=Fixture Corp/CN=pc002.corp.test"        $S 20261220000000Z 2009
issue srv01     "/O=Fixture Corp/CN=SRV01.corp.test"        $S 20261205000000Z 2010
# threshold boundaries around --now=2026-11-24T00:00:00Z
issue b30       "/CN=boundary-30d.test"   $S 20261224000000Z 2011
issue b30m      "/CN=boundary-30d-1s.test" $S 20261223235959Z 2012
issue b7        "/CN=boundary-7d.test"    $S 20261201000000Z 2013
issue b7m       "/CN=boundary-7d-1s.test" $S 20261130235959Z 2014
issue b0        "/CN=boundary-now.test"   $S 20261124000000Z 2015
issue b0p       "/CN=boundary-now-plus-1s.test" $S 20261124000001Z 2016
# renewals: same name, same issuer, later expiry
issue renew-old "/O=Fixture Corp/CN=renewed.example.test"   $S 20261130000000Z 2017
issue renew-new "/O=Fixture Corp/CN=renewed.example.test"   20261101000000Z 20271130000000Z 2018
# a name with characters that must not reach the Nagios output as they are
issue pipe      "/O=Fixture Corp/CN=evil|name=1;2;3 | x=9"   $S 20261126000000Z 2019

mkdir -p set/ok set/warn set/crit set/mixed set/threshold set/pc set/renew set/skip set/bad set/dup
cp ok.pem set/ok/
cp ok.pem set/warn/ && cp warn.pem set/warn/
cp ok.pem warn.pem crit.pem set/crit/
cp ok.pem warn.pem crit.pem expired.pem notyet.pem noexpiry.pem sanonly.pem set/mixed/
cp b30.pem b30m.pem b7.pem b7m.pem b0.pem b0p.pem set/threshold/
cp pc001.pem pc002.pem srv01.pem set/pc/
cp renew-old.pem renew-new.pem ok.pem set/renew/

# formats: DER, bundle with text around, CRLF, BOM, TRUSTED/X509 labels
$OPENSSL x509 -in ok.pem -outform DER -out set/ok.der
{ echo "Bag Attributes   "; echo "subject=/CN=whatever  "; cat ok.pem; echo "text between"; \
  cat warn.pem; echo "trailing text"; } >bundle.pem
sed 's/$/\r/' bundle.pem >bundle-crlf.pem
printf '\357\273\277' | cat - ok.pem >bom.pem
$OPENSSL x509 -in crit.pem -addtrust serverAuth -out trusted.pem
sed 's/BEGIN CERTIFICATE/BEGIN X509 CERTIFICATE/; s/END CERTIFICATE/END X509 CERTIFICATE/' \
	warn.pem >x509label.pem

# files without certificates: skipped, not errors
cp key.pem set/skip/key.pem
$OPENSSL req -new -key key.pem -subj "/CN=csr" -out set/skip/request.csr
$OPENSSL ca -batch -config "$W/ca.cnf" -cert ca.pem -keyfile key.pem -gencrl \
	-crldays 30 -out set/skip/list.crl 2>/dev/null
$OPENSSL crl -in set/skip/list.crl -outform DER -out set/skip/list-der.crl
$OPENSSL pkey -in key.pem -outform DER -out set/skip/key.der
echo "just some notes, no certificate here" >set/skip/notes.txt
: >set/skip/empty.pem

# broken inputs: errors naming the file; ok.pem beside them is still reported
cp ok.pem set/bad/ok.pem
$OPENSSL x509 -in warn.pem -outform DER -out w.der
head -c 200 w.der >set/bad/truncated.der
sed '3s/./*/' crit.pem >set/bad/badbase64.pem
printf -- '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n' >set/bad/empty-block.pem
head -n 5 expired.pem >set/bad/no-end.pem
# a DER certificate whose outer length claims more bytes than the file has
{ printf '\060\202\177\377'; tail -c +5 w.der; } >set/bad/length-past-end.der
rm -f w.der

# duplicates: the same certificate as PEM, DER, in a bundle and via a symlink
cp ok.pem set/dup/a.pem
$OPENSSL x509 -in ok.pem -outform DER -out set/dup/b.der
cp bundle.pem set/dup/bundle.pem
ln -s a.pem set/dup/link.pem

# a directory loop
mkdir -p set/loop/sub
cp warn.pem set/loop/sub/warn.pem
ln -s .. set/loop/sub/up

cd /
rm -rf "$OUT"
mv "$OUT.tmp" "$OUT"
