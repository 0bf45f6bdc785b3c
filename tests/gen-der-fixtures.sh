#!/bin/sh
# Generates the der area's certificate fixtures with the real openssl.
#
#   gen-der-fixtures.sh OUTDIR [OPENSSL]
#
# OUTDIR/*.der          certificates both parsers must agree on
# OUTDIR/*.want         expected fields (key=value, as `differ -f` prints them;
#                       only the keys listed are checked; "dns=" repeats in
#                       order, "ndns=N" counts them, "cn=(none)" = no CN)
# OUTDIR/walk-only/     certificates OpenSSL refuses but the walk reads
#                       (BMPString surrogate pairs, VisibleString names),
#                       with .want
# OUTDIR/decline/       certificates the walk declines on purpose (OpenSSL
#                       then reads them), with .err = expected reason text
# OUTDIR/bad/           certificates neither accepts, with .err
#
# How they are made: `openssl ca -startdate/-enddate` for exact dates and
# serials; `openssl req -x509` with string_mask / -multivalue-rdn for name
# contents and string types; `openssl asn1parse -genconf` for what openssl
# will not issue (a negative serial, UniversalString/VisibleString/
# NumericString/VisibleString/BIT STRING names, BMPString surrogate pairs, invalid
# UTF-8, fractional seconds). The hand-made ones carry a dummy signature:
# parsers do not verify it.
set -eu

OPENSSL=${2:-openssl}
mkdir -p "$(dirname "$1")"
out=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$out.tmp
rm -rf "$tmp"
mkdir -p "$tmp/w/new" "$tmp/walk-only" "$tmp/decline" "$tmp/bad"
out_abs=$tmp
cd "$tmp/w"

ossl() {
	"$OPENSSL" "$@" 2>err.log || { cat err.log >&2; exit 1; }
}

want() {	# want PATH-WITHOUT-EXT < key=value lines
	cat >"$out_abs/$1.want"
}

# ---- the CA
ossl ecparam -name prime256v1 -genkey -noout -out ca.key
ossl ecparam -name prime256v1 -genkey -noout -out leaf.key
ossl req -x509 -new -key ca.key -subj "/C=DE/O=Der Tests/CN=Der Test CA" \
    -set_serial 1 -days 36500 -out ca.pem
ossl x509 -in ca.pem -outform DER -out "$out_abs/ca.der"
ossl req -new -key leaf.key -subj /CN=request -out req.csr
touch index.txt
cat >ca.cnf <<'EOF'
[ca]
default_ca = myca
[myca]
database = index.txt
new_certs_dir = new
serial = serial
certificate = ca.pem
private_key = ca.key
default_md = sha256
policy = pol
unique_subject = no
preserve = yes
string_mask = utf8only
[pol]
domainComponent = optional
countryName = optional
organizationName = optional
organizationalUnitName = optional
commonName = optional
[san_basic]
subjectAltName = DNS:basic.example
[san_only]
subjectAltName = DNS:only-san.example
[san_multi]
subjectAltName = DNS:a.example,IP:192.0.2.1,DNS:b.example,email:x@example.com,URI:https://u.example/,DNS:c.example
[plain]
basicConstraints = CA:FALSE
EOF

# issue NAME SERIAL-HEX START END SUBJECT [EXTENSION-SECTION]: v1 without one
issue() {
	echo "$2" >serial
	ext=
	[ $# -ge 6 ] && ext="-extensions $6"
	# shellcheck disable=SC2086
	ossl ca -config ca.cnf -batch -notext -utf8 -in req.csr -out "$1.pem" \
	    -startdate "$3" -enddate "$4" -subj "$5" $ext
	ossl x509 -in "$1.pem" -outform DER -out "$out_abs/$1.der"
}

issue basic 1000 20250101000000Z 20270615120000Z \
    "/C=DE/O=Der Tests/CN=basic.example" san_basic
want basic <<'EOF'
serial=1000
subject=CN=basic.example,O=Der Tests,C=DE
issuer=CN=Der Test CA,O=Der Tests,C=DE
cn=basic.example
dns=basic.example
ndns=1
not_before=2025-01-01T00:00:00Z
not_after=2027-06-15T12:00:00Z
EOF

issue utf8 1001 20250101000000Z 20270101000000Z "/O=Straße GmbH/CN=Müller" plain
want utf8 <<'EOF'
subject=CN=Müller,O=Straße GmbH
cn=Müller
ndns=0
EOF

issue sandns 1002 20250101000000Z 20270101000000Z "/O=No CN Org" san_only
want sandns <<'EOF'
subject=O=No CN Org
cn=(none)
dns=only-san.example
ndns=1
EOF

issue nocn 1003 20250101000000Z 20270101000000Z "/O=Nothing/OU=Else" plain
want nocn <<'EOF'
subject=OU=Else,O=Nothing
cn=(none)
ndns=0
EOF

issue multisan 1004 20250101000000Z 20270101000000Z "/CN=multi.example" san_multi
want multisan <<'EOF'
cn=multi.example
dns=a.example
dns=b.example
dns=c.example
ndns=3
EOF

issue serial20 7F0102030405060708090A0B0C0D0E0F10111213 20250101000000Z \
    20270101000000Z "/CN=serial20.example" plain
want serial20 <<'EOF'
serial=7F0102030405060708090A0B0C0D0E0F10111213
EOF

issue serialhigh 80AABBCCDD 20250101000000Z 20270101000000Z \
    "/CN=serialhigh.example" plain
want serialhigh <<'EOF'
serial=80AABBCCDD
EOF

issue gen2060 1005 20240229000000Z 20600229123456Z "/CN=gen2060.example" plain
want gen2060 <<'EOF'
not_before=2024-02-29T00:00:00Z
not_after=2060-02-29T12:34:56Z
EOF

issue noexpiry 1006 20250101000000Z 99991231235959Z "/CN=noexpiry.example" plain
want noexpiry <<'EOF'
not_after=9999-12-31T23:59:59Z
EOF

issue utcbounds 1007 500101000000Z 491231235959Z "/CN=utcbounds.example" plain
want utcbounds <<'EOF'
not_before=1950-01-01T00:00:00Z
not_after=2049-12-31T23:59:59Z
EOF

# an Active Directory user: the name is the last CN in DER order
issue aduser 1009 20250101000000Z 20270101000000Z \
    "/DC=local/DC=corp/CN=Users/CN=Jane Doe" plain
want aduser <<'EOF'
subject=CN=Jane Doe,CN=Users,DC=corp,DC=local
cn=Jane Doe
EOF

issue v1 1008 20250101000000Z 20260101000000Z "/C=DE/CN=v1.example"
want v1 <<'EOF'
serial=1008
subject=CN=v1.example,C=DE
cn=v1.example
ndns=0
EOF

# ---- names through req -x509 (self-signed: issuer = subject)
# selfsigned NAME STRING-MASK SUBJECT [req options...]
selfsigned() {
	name=$1 mask=$2 subj=$3
	shift 3
	cat >req.cnf <<EOF
oid_section = oids
[oids]
testAttr = 1.2.3.4
[req]
distinguished_name = dn
string_mask = $mask
prompt = no
[dn]
EOF
	ossl req -x509 -new -key leaf.key -config req.cnf -utf8 -days 30 \
	    -subj "$subj" -outform DER -out "$out_abs/$name.der" "$@"
}

selfsigned bmp MASK:0x800 "/O=Org/CN=Bmp Müller" -set_serial 21
want bmp <<'EOF'
serial=15
subject=CN=Bmp Müller,O=Org
issuer=CN=Bmp Müller,O=Org
cn=Bmp Müller
EOF

selfsigned t61 MASK:0x4 "/CN=T61 Müller" -set_serial 22
want t61 <<'EOF'
subject=CN=T61 Müller
cn=T61 Müller
EOF

selfsigned printable MASK:0x2 "/C=DE/CN=printable.example" -set_serial 23
want printable <<'EOF'
subject=CN=printable.example,C=DE
EOF

selfsigned multirdn utf8only "/O=Multi/CN=one.example+UID=u1" -multivalue-rdn \
    -set_serial 24
want multirdn <<'EOF'
subject=UID=u1+CN=one.example,O=Multi
cn=one.example
EOF

selfsigned escape utf8only \
    '/CN=\#lead,comma\+plus"q\\b<l>g;s /O= lead/testAttr=odd/emailAddress=a@example.com/DC=org/DC=example' \
    -set_serial 25
want escape <<'EOF'
subject=DC=example,DC=org,emailAddress=a@example.com,1.2.3.4=odd,O=\ lead,CN=\#lead\,comma\+plus\"q\\b\<l\>g\;s\ 
cn=#lead,comma+plus"q\b<l>g;s 
EOF

selfsigned ev utf8only \
    "/jurisdictionC=DE/jurisdictionST=Bayern/jurisdictionL=München/businessCategory=Private Organization/serialNumber=HRB 1/street=Weg 1/postalCode=80331/L=München/ST=Bayern/organizationIdentifier=VATDE-1/title=T/GN=G/SN=S/initials=I/pseudonym=P/generationQualifier=III/dnQualifier=q/CN=ev.example" \
    -set_serial 26
want ev <<'EOF'
subject=CN=ev.example,dnQualifier=q,generationQualifier=III,pseudonym=P,initials=I,SN=S,GN=G,title=T,organizationIdentifier=VATDE-1,ST=Bayern,L=München,postalCode=80331,street=Weg 1,serialNumber=HRB 1,businessCategory=Private Organization,jurisdictionL=München,jurisdictionST=Bayern,jurisdictionC=DE
EOF

# ---- hand-made with asn1parse -genconf
point=$("$OPENSSL" ec -in leaf.key -pubout -outform DER 2>/dev/null |
    tail -c 65 | od -An -tx1 | tr -d ' \n')

# handmade PATH SERIAL NOTBEFORE NOTAFTER < subject ATV lines ("TYPE:VALUE"
# for the CN attribute value; one RDN each, listed in DER order)
handmade() {
	path=$1 serial=$2 nb=$3 na=$4
	{
		cat <<EOF
asn1 = SEQUENCE:cert
[cert]
tbs = SEQUENCE:tbs
alg = SEQUENCE:alg
sig = FORMAT:HEX,BITSTRING:3006020101020101
[tbs]
ver = EXPLICIT:0,INTEGER:2
serial = INTEGER:$serial
alg = SEQUENCE:alg
issuer = SEQUENCE:issuer
validity = SEQUENCE:validity
subject = SEQUENCE:subject
spki = SEQUENCE:spki
[alg]
oid = OID:ecdsa-with-SHA256
[validity]
nb = $nb
na = $na
[issuer]
r = SET:issuer_rdn
[issuer_rdn]
a = SEQUENCE:issuer_atv
[issuer_atv]
t = OID:O
v = UTF8:Hand Made
[spki]
alg = SEQUENCE:spkialg
key = FORMAT:HEX,BITSTRING:$point
[spkialg]
a = OID:id-ecPublicKey
b = OID:prime256v1
[subject]
EOF
		i=0
		while IFS= read -r line; do
			i=$((i + 1))
			echo "r$i = SET:rdn$i"
		done <atvs
		i=0
		while IFS= read -r line; do
			i=$((i + 1))
			printf '[rdn%s]\na = SEQUENCE:atv%s\n[atv%s]\nt = OID:%s\nv = %s\n' \
			    "$i" "$i" "$i" "${line%% *}" "${line#* }"
		done <atvs
	} >gen.cnf
	ossl asn1parse -genconf gen.cnf -noout -out "$out_abs/$path.der"
}

cat >atvs <<'EOF'
CN FORMAT:UTF8,UNIVERSALSTRING:Müller 😀
O FORMAT:UTF8,BMPSTRING:Ünïcödé
EOF
handmade negserial -129 UTCTIME:500101000000Z GENERALIZEDTIME:99991231235959Z
# as `openssl x509 -serial` prints it: the magnitude, with a '-'
want negserial <<'EOF'
serial=-81
subject=O=Ünïcödé,CN=Müller 😀
issuer=O=Hand Made
cn=Müller 😀
not_before=1950-01-01T00:00:00Z
not_after=9999-12-31T23:59:59Z
EOF

cat >atvs <<'EOF'
CN UTF8:types.example
serialNumber NUMERICSTRING:0123 456
OU IA5STRING:ia5 text
C PRINTABLESTRING:DE
EOF
handmade strtypes 0 UTCTIME:491231235959Z UTCTIME:500101000000Z
want strtypes <<'EOF'
serial=00
subject=C=DE,OU=ia5 text,serialNumber=0123 456,CN=types.example
cn=types.example
not_before=2049-12-31T23:59:59Z
not_after=1950-01-01T00:00:00Z
EOF

cat >atvs <<'EOF'
CN IMPLICIT:30U,FORMAT:HEX,OCTETSTRING:0041D83DDE000042
EOF
handmade walk-only/surrogate 5 UTCTIME:250101000000Z UTCTIME:260101000000Z
want walk-only/surrogate <<'EOF'
cn=A😀B
EOF

cat >atvs <<'EOF'
CN VISIBLESTRING:visible.example
EOF
handmade walk-only/visible 9 UTCTIME:250101000000Z UTCTIME:260101000000Z
want walk-only/visible <<'EOF'
cn=visible.example
EOF

# OpenSSL keeps BIT STRING name values (ASN1_PRINTABLE allows them)
cat >atvs <<'EOF'
CN FORMAT:HEX,BITSTRING:626974
EOF
handmade decline/bitstring 6 UTCTIME:250101000000Z UTCTIME:260101000000Z
echo "unsupported string type 0x03 in subject" >"$out_abs/decline/bitstring.err"

cat >atvs <<'EOF'
CN UTF8:fraction.example
EOF
handmade decline/fraction 7 UTCTIME:250101000000Z \
    GENERALIZEDTIME:20500101000000.5Z
echo "notAfter: not an RFC 5280 GeneralizedTime" >"$out_abs/decline/fraction.err"

cat >atvs <<'EOF'
CN IMPLICIT:12U,FORMAT:HEX,OCTETSTRING:4DFC6C6C6572
EOF
handmade bad/badutf8 8 UTCTIME:250101000000Z UTCTIME:260101000000Z
echo "invalid string (type 0x0c) in subject" >"$out_abs/bad/badutf8.err"

cd "$out_abs/.."
rm -rf "$tmp/w" "$out"
mv "$tmp" "$out"
