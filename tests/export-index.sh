#!/bin/sh
# index.txt: the shipped samples, and real databases made here by `openssl ca`
# (issue, revoke with a reason, -updatedb, a UTF-8 name, an expiry past 2050)
# and by Easy-RSA when it is installed.
. "$TOP_SRCDIR/tests/lib.sh"
scratch
D="$TOP_SRCDIR/tests/data/export"
rows() { /usr/bin/python3 "$TOP_SRCDIR/tests/export-rows.py"; }

# --- the samples
run_plugin -o json --now 2026-11-24 -p "$D/openssl-index.txt"
is "$(printf '%s' "$out" | rows)" "exch.example.com|1006|2026-12-23T23:56:28Z|None|None|None|7|index.txt
old.example.com|1004|2021-01-01T00:00:00Z|None|None|None|5|index.txt" "openssl sample: V and E rows"
run_plugin -o json --now 2026-11-24 --include-revoked -p "$D/openssl-index.txt"
like "$out" '"cn": "Müller, Jürgen", "subject": "CN=Müller\\\\, Jürgen,OU=IT,O=Beispiel GmbH,C=DE"' "UTF-8 escapes decoded"
like "$out" '"subject": "emailAddress=x@y.z,CN=a/b"' '\/ unescaped'
like "$out" '"not_after": "2060-01-01T12:00:00Z"' "GeneralizedTime"
like "$out" '"revocation_reason": "certificateHold"' "revocation reason"
is "$(printf '%s' "$out" | rows | wc -l)" 7 "all 7 rows with --include-revoked"
run_plugin -o json --now 2026-11-24 -p "$D/easyrsa-index.txt"
is "$(printf '%s' "$out" | rows)" "web01.example.com|9BD6A5248B776189BE8AEB4FF2440D|2029-02-25T23:56:04Z|None|None|None|1|index.txt" "Easy-RSA sample"
run_plugin -o json --now 2026-11-24 -p "$D/newcerts-1000.pem"
like "$out" '"serial": "1000"' "newcerts/SERIAL.pem with text dump read"

# --- a database made by openssl ca
C="$T/ca"
mkdir -p "$C/newcerts"
: >"$C/index.txt"
echo 1000 >"$C/serial"
cat >"$C/ca.cnf" <<EOC
[ ca ]
default_ca = CA_default
[ CA_default ]
dir = $C
database = \$dir/index.txt
new_certs_dir = \$dir/newcerts
serial = \$dir/serial
certificate = \$dir/ca.pem
private_key = \$dir/ca.key
default_md = sha256
policy = pol
unique_subject = no
utf8 = yes
[ pol ]
countryName = optional
organizationName = optional
commonName = supplied
EOC
"$OPENSSL" req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$C/ca.key" \
    -out "$C/ca.pem" -subj "/CN=Test CA" -days 20000 2>/dev/null
ca_issue() {	# NAME START END
	"$OPENSSL" req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$C/l.key" \
	    -out "$C/l.csr" -utf8 -subj "$1" 2>/dev/null &&
	"$OPENSSL" ca -batch -config "$C/ca.cnf" -utf8 -notext -in "$C/l.csr" \
	    -out "$C/l.pem" -startdate "$2" -enddate "$3" 2>/dev/null
}
ca_issue "/C=DE/O=Corp/CN=web01.corp.example" 20250101000000Z 20270101120000Z &&
ca_issue "/O=Corp/CN=M$(printf '\303\274')ller" 20250101000000Z 20261231235959Z &&
ca_issue "/CN=revoked.corp.example" 20250101000000Z 20270101000000Z &&
ca_issue "/CN=far.corp.example" 20250101000000Z 20600101120000Z &&
ca_issue "/CN=gone.corp.example" 20200101000000Z 20210101000000Z
ok $? "openssl ca issued five certificates"
"$OPENSSL" ca -config "$C/ca.cnf" -revoke "$C/newcerts/1002.pem" -crl_reason keyCompromise 2>/dev/null
ok $? "revoked one with a reason"
"$OPENSSL" ca -config "$C/ca.cnf" -updatedb 2>/dev/null
grep -q '^E' "$C/index.txt"
ok $? "-updatedb marked the expired one E"
like "$(cat "$C/index.txt")" 'M\\xC3\\xBCller' "index.txt escapes UTF-8"

run_plugin -o json --now 2026-01-01 -p "$C/index.txt"
is "$(printf '%s' "$out" | rows)" "M$(printf '\303\274')ller|1001|2026-12-31T23:59:59Z|None|None|None|2|index.txt
far.corp.example|1003|2060-01-01T12:00:00Z|None|None|None|4|index.txt
gone.corp.example|1004|2021-01-01T00:00:00Z|None|None|None|5|index.txt
web01.corp.example|1000|2027-01-01T12:00:00Z|None|None|None|1|index.txt" "openssl ca database read"
like "$out" '"subject": "CN=web01.corp.example,O=Corp,C=DE"' "RFC 4514 subject"
run_plugin -o json --now 2026-01-01 --include-revoked -p "$C/index.txt"
like "$out" '"cn": "revoked.corp.example".*"revocation_reason": "keyCompromise"' "revoked row with --include-revoked"
# every index.txt row agrees with its certificate in newcerts/
for f in "$C"/newcerts/*.pem; do
	s=$("$OPENSSL" x509 -in "$f" -noout -serial | cut -d= -f2)
	e=$("$OPENSSL" x509 -in "$f" -noout -enddate | cut -d= -f2)
	e=$(date -u -d "$e" +%Y-%m-%dT%H:%M:%SZ)
	like "$out" "\"serial\": \"$s\", \"not_before\": null, \"not_after\": \"$e\"" "row $s matches its certificate"
done

# bad lines: an error naming file and line, the other rows still reported
{ head -n 2 "$C/index.txt"; printf 'V\t2701011200Z\t\t10FF\tunknown\t/CN=bad\n'; tail -n +3 "$C/index.txt"; } >"$T/bad-index.txt"
run_plugin -o json --now 2026-01-01 -p "$T/bad-index.txt"
is "$rc" 2 "bad line: reported (CRITICAL from the expired row outranks UNKNOWN)"
like "$out" '"path": "[^"]*bad-index.txt", "record": 3, "message": "malformed expiry date' "error names file and line"
is "$(printf '%s' "$out" | rows | wc -l)" 4 "other rows still reported"

# serials of 1 to 64 hex digits, either case, read 16 at a time where they
# are long enough: upper-cased; a non-hex byte anywhere in one of 16, 17,
# 32, 33 or 64 digits: that line refused, the others reported
awk 'BEGIN {
	p = "0123456789abcdefABCDEF9fA0"
	while (length(p) < 64) p = p p
	for (n = 1; n <= 64; n++)
		printf "V\t301231235959Z\t\t%s\tunknown\t/CN=s%02d\n", substr(p, 1, n), n
	split("g G : / @ ` h", bad, " ")
	for (i = 1; i <= 5; i++) {
		n = substr("1617323364", 2 * i - 1, 2) + 0
		for (k = 1; k <= n; k++)
			printf "V\t301231235959Z\t\t%s%s%s\tunknown\t/CN=bad\n", substr(p, 1, k - 1),
			    bad[(k + i) % 7 + 1], substr(p, k + 1, n - k)
	}
}' > "$T/serials.txt"
awk 'BEGIN {
	p = "0123456789abcdefABCDEF9fA0"
	while (length(p) < 64) p = p p
	for (n = 1; n <= 64; n++)
		printf "s%02d|%s|2030-12-31T23:59:59Z|None|None|None|%d|index.txt\n", n, toupper(substr(p, 1, n)), n
}' > "$T/serials.want"
run_plugin -o json --now 2026-11-24 -p "$T/serials.txt"
printf '%s' "$out" | rows > "$T/serials.got"
cmp -s "$T/serials.want" "$T/serials.got"
ok $? "serials of 1 to 64 digits, upper-cased"
is "$(printf '%s' "$out" | grep -o '"message": "malformed serial' | wc -l)" 162 \
    "a non-hex byte at any place of 16 to 64 digits: 162 lines refused"

# --- Easy-RSA
ER=/usr/share/easy-rsa/easyrsa
if [ -x "$ER" ]; then
	cd "$T" || exit 1
	export EASYRSA_PKI="$T/pki" EASYRSA_BATCH=1 EASYRSA_ALGO=ec EASYRSA_CURVE=prime256v1
	"$ER" init-pki >/dev/null 2>&1 &&
	EASYRSA_REQ_CN="Easy CA" "$ER" build-ca nopass >/dev/null 2>&1 &&
	"$ER" build-server-full srv1.corp.example nopass >/dev/null 2>&1 &&
	"$ER" build-client-full alice nopass >/dev/null 2>&1 &&
	"$ER" revoke alice >/dev/null 2>&1
	ok $? "Easy-RSA PKI made"
	run_plugin -o json --now 2026-01-01 -p "$T/pki/index.txt"
	s=$("$OPENSSL" x509 -in "$T/pki/issued/srv1.corp.example.crt" -noout -serial | cut -d= -f2)
	e=$(date -u -d "$("$OPENSSL" x509 -in "$T/pki/issued/srv1.corp.example.crt" -noout -enddate | cut -d= -f2)" +%Y-%m-%dT%H:%M:%SZ)
	is "$(printf '%s' "$out" | rows)" "srv1.corp.example|$s|$e|None|None|None|1|index.txt" "Easy-RSA index.txt: revoked client ignored"
else
	echo "# Easy-RSA not installed ($ER): its tests skipped"
	ok 0 "# SKIP Easy-RSA not installed"
fi

done_testing
