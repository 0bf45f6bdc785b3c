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

# --- Active Directory names: the most specific CN (the last) is the name,
# in the full read (-o json), and on the fast path of rows (nagios output
# without -v, -f and -x on the row's plain DN, each DN after one with the
# same attributes but the last)
A="$T/ad"
mkdir -p "$A/newcerts"
: >"$A/index.txt"
echo 2000 >"$A/serial"
sed "s|^dir = .*|dir = $A|; s|^countryName = optional|domainComponent = optional|" \
    "$C/ca.cnf" >"$A/ca.cnf"
cp "$C/ca.pem" "$C/ca.key" "$A/"
C0=$C C=$A
ca_issue "/DC=local/DC=corp/CN=Users/CN=Jane Doe" 20250101000000Z 20261210000000Z &&
ca_issue "/DC=local/DC=corp/CN=Users/CN=John Roe" 20250101000000Z 20261211000000Z &&
ca_issue "/DC=local/DC=corp/CN=Users/CN=Jim Poe" 20250101000000Z 20261212000000Z &&
ca_issue "/DC=local/DC=corp/CN=Users/CN=host\/path" 20250101000000Z 20261213000000Z
ok $? "openssl ca issued four Active Directory user certificates"
C=$C0
like "$(cat "$A/index.txt")" '/DC=local/DC=corp/CN=Users/CN=Jane Doe' "the database holds the AD subject"
run_plugin -o json --now 2026-12-01 -p "$A/index.txt"
is "$(printf '%s' "$out" | rows | cut -d'|' -f1,2)" "Jane Doe|2000
Jim Poe|2002
John Roe|2001
host/path|2003" "AD users named by their last CN"
like "$out" '"name": "Jane Doe", "cn": "Jane Doe", "subject": "CN=Jane Doe,CN=Users,DC=corp,DC=local"' "JSON cn is the last CN"
run_plugin --now 2026-12-01 -f '^Jane' -p "$A/index.txt"
like "$out" 'Jane Doe expires 2026-12-10' "-f '^Jane' finds Jane Doe (rows)"
like "$out" 'of 1 certificate' "  and only her"
run_plugin --now 2026-12-01 -x '^Users$' -p "$A/index.txt"
like "$out" 'of 4 certificates' "-x '^Users\$' drops none of them (rows)"
run_plugin --now 2026-12-01 -x '^J' -p "$A/index.txt"
like "$out" 'of 1 certificate; host/path expires' "-x '^J' keeps the one whose last CN is host/path (rows)"
run_plugin -l --now 2026-12-01 -f '^(Jane|Jim)' -p "$A/index.txt"
is "$(printf '%s\n' "$out" | grep -c -E '^(Jane Doe|Jim Poe) ')" 2 "-l -f: both listed by name"

# --- subjects with an unescaped '/' (older OpenSSL wrote them so): kept,
# the best name read, a -vv note; the fast path of rows agrees
sed 's|\\/|/|g' "$A/index.txt" >"$T/loose-index.txt"
printf 'V\t261214000000Z\t\t20FF\tunknown\t/O=A/B Corp/CN=x.corp.example\n' >>"$T/loose-index.txt"
like "$(cat "$T/loose-index.txt")" 'CN=Users/CN=host/path' "the loose line is there"
run_plugin -o json -vv --now 2026-12-01 -p "$T/loose-index.txt"
is "$rc" 1 "loose subjects: no error (WARNING for the certificates)"
like "$out" '"name": "host/path", "cn": "host/path", "subject": "CN=host/path,CN=Users,DC=corp,DC=local"' "CN=host/path kept"
like "$out" '"name": "x.corp.example", "cn": "x.corp.example", "subject": "CN=x.corp.example,O=A/B Corp"' "O=A/B Corp kept"
run_plugin -vv --now 2026-12-01 -p "$T/loose-index.txt"
like "$out" "NOTE: line 5: subject '/O=A/B Corp/CN=x.corp.example' has a '/' or '\\+' inside a value that is not escaped" "-vv notes the line"
unlike "$out" "malformed subject" "not malformed"
run_plugin --now 2026-12-01 -f 'path$' -p "$T/loose-index.txt"
like "$out" 'of 1 certificate; host/path expires' "-f on the loose name (rows)"
run_plugin --now 2026-12-01 -p "$T/loose-index.txt"
like "$out" 'of 5 certificates' "every loose line counted (rows)"

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
