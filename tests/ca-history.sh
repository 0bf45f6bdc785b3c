#!/bin/sh
# CA-wide monitoring without noise (--forget-after, --template,
# --exclude-template, --issuer), alone and combined with --skip-renewed and
# -d, on a certutil CSV export with a realistic history: renewals,
# decommissioned machines, several templates, rows expired years ago.
. "$TOP_SRCDIR/tests/lib.sh"
FIX=$FIXTURES/core
PY=/usr/bin/python3
scratch
N=--now=2026-11-24

# Row  template            CN                      expiry (UTC)          history
#  1   WebServer           web01.corp.example      2024-03-01 10:00      renewed by row 2
#  2   WebServer           web01.corp.example      2026-12-01 10:00      current: 7.42 days
#  3   WebServer           oldsrv.corp.example     2021-06-30 12:00      decommissioned
#  4   Machine             PC0001.corp.example     2026-11-20 08:00      renewed by row 5
#  5   Machine             PC0001.corp.example     2027-11-20 08:00      current
#  6   User                jdoe                    2025-01-15 09:00      left the company
#  7   OID + ExchangeServer mail.corp.example      2026-11-26 15:00      current: 2.6 days
#  8   WebServer           vpn.corp.example        2027-05-01 00:00      current
printf '%s\r\n' \
 '"Request ID","Serial Number","Issued Common Name","Certificate Expiration Date","Certificate Template","Requester Name"' \
 '"101","1a01","web01.corp.example","3/1/2024 10:00 AM","WebServer","CORP\admin"' \
 '"205","1a02","web01.corp.example","12/1/2026 10:00 AM","WebServer","CORP\admin"' \
 '"102","1a03","oldsrv.corp.example","6/30/2021 12:00 PM","WebServer","CORP\admin"' \
 '"103","1a04","PC0001.corp.example","11/20/2026 8:00 AM","Machine","CORP\PC0001$"' \
 '"206","1a05","PC0001.corp.example","11/20/2027 8:00 AM","Machine","CORP\PC0001$"' \
 '"104","1a06","jdoe","1/15/2025 9:00 AM","User","CORP\jdoe"' \
 '"207","1a07","mail.corp.example","11/26/2026 3:00 PM","1.3.6.1.4.1.311.21.8.123.456 ExchangeServer","CORP\exadmin"' \
 '"208","1a08","vpn.corp.example","5/1/2027 12:00 AM","WebServer","CORP\admin"' \
 >"$T/issued.csv"

# summary ARGS...: "STATE crit warn ok forgotten | names of the listed certificates by state"
summary() {
	"$PLUGIN" -o json "$N" "$@" >"$T/out.json"
	echo "rc=$?" >"$T/rc"
	$PY -c '
import json,sys
d=json.load(open(sys.argv[1]))
c=d["counts"]
rows=" ".join("%s:%s" % (x["state"][0], x["sources"][0].get("record", "-")) for x in d["certificates"])
print("%s %d/%d/%d/%d of %d | %s" % (d["status"], c["critical"], c["warning"], c["ok"], c["forgotten"], c["certificates"], rows))' "$T/out.json"
}

# Each expectation: state crit/warn/ok/forgotten of N | state:row for every
# listed certificate, soonest first (C critical, W warning, O ok,
# F forgotten, R renewed).
is "$(summary "$T/issued.csv")" \
   "CRITICAL 5/1/2/0 of 8 | C:3 C:1 C:6 C:4 C:7 W:2 O:8 O:5" \
   "defaults: the whole history is red"
is "$(summary --forget-after=30 "$T/issued.csv")" \
   "CRITICAL 2/1/2/3 of 8 | F:3 F:1 F:6 C:4 C:7 W:2 O:8 O:5" \
   "--forget-after=30: rows expired years ago are forgotten, 4 days ago stays critical"
is "$(summary --forget-after=3 "$T/issued.csv")" \
   "CRITICAL 1/1/2/4 of 8 | F:3 F:1 F:6 F:4 C:7 W:2 O:8 O:5" \
   "--forget-after=3 forgets the row expired 4 days ago too"
is "$(summary --skip-renewed "$T/issued.csv")" \
   "CRITICAL 3/1/2/0 of 6 | C:3 R:1 C:6 R:4 C:7 W:2 O:8 O:5" \
   "--skip-renewed: renewed rows are listed as RENEWED, not counted"
is "$(summary --skip-renewed --forget-after=30 "$T/issued.csv")" \
   "CRITICAL 1/1/2/2 of 6 | F:3 R:1 F:6 R:4 C:7 W:2 O:8 O:5" \
   "--skip-renewed --forget-after=30: only the real problem is critical"
is "$(summary --template='^WebServer$' "$T/issued.csv")" \
   "CRITICAL 2/1/1/0 of 4 | C:3 C:1 W:2 O:8" \
   "--template keeps one template"
is "$(summary --template=exchange "$T/issued.csv")" \
   "CRITICAL 1/0/0/0 of 1 | C:7" \
   "--template matches the friendly name after an OID, case-insensitively"
is "$(summary --exclude-template='^(Machine|User)$' "$T/issued.csv")" \
   "CRITICAL 3/1/1/0 of 5 | C:3 C:1 C:7 W:2 O:8" \
   "--exclude-template drops auto-enrolment templates"
is "$(summary --exclude-template='^(Machine|User)$' --skip-renewed --forget-after=30 "$T/issued.csv")" \
   "CRITICAL 1/1/1/1 of 4 | F:3 R:1 C:7 W:2 O:8" \
   "the worked example: server templates, renewed and decommissioned silenced"
is "$(summary --exclude-template='^(Machine|User)$' --skip-renewed --forget-after=30 -d 2 "$T/issued.csv")" \
   "CRITICAL 1/0/0/0 of 1 | C:7" \
   "... with -d 2: the certificate expiring on 2026-11-26"
is "$(summary --exclude-template='^(Machine|User)$' --skip-renewed --forget-after=30 -d 7 "$T/issued.csv")" \
   "WARNING 0/1/0/0 of 1 | W:2" \
   "... with -d 7: the certificate expiring on 2026-12-01"
is "$(summary --skip-renewed -d 6 "$T/issued.csv")" "OK 0/0/0/0 of 0 | " \
   "-d on a day with nothing: OK"
is "$(summary --skip-renewed -d -1000 "$T/issued.csv")" "OK 0/0/0/0 of 0 | " \
   "-d never reports a renewed row (row 1 expired 998 days ago, renewed)"

# the nagios output of the worked example
run_plugin "$N" --exclude-template='^(Machine|User)$' --skip-renewed --forget-after=30 -v "$T/issued.csv"
is "$rc" 2 "worked example exits CRITICAL"
like "$out" '^CERT_EXPIRY CRITICAL - 1 critical, 1 warning, 1 ok of 4 certificates, 1 forgotten; mail\.corp\.example expires 2026-11-26' "status line counts forgotten"
like "$out" 'forgotten=1;;;0' "perfdata has forgotten"
like "$out" 'FORGOTTEN: oldsrv\.corp\.example expired 2021-06-30' "-v lists the forgotten certificate"
like "$out" 'RENEWED: web01\.corp\.example expired 2024-03-01 .* renewed by serial 1A02' "-v names the renewal"
run_plugin "$N" --exclude-template='^(Machine|User)$' --skip-renewed --forget-after=30 "$T/issued.csv"
unlike "$out" 'oldsrv' "without -v the forgotten certificate is not in the output"

# templates on files: --template drops them, --exclude-template keeps them
is "$(summary --template=. "$FIX/set/ok" "$T/issued.csv" | cut -d'|' -f1)" "CRITICAL 5/1/2/0 of 8 " \
   "--template drops certificates without a template (files)"
is "$(summary --exclude-template=. "$FIX/set/ok" "$T/issued.csv")" "OK 0/0/1/0 of 1 | O:-" \
   "--exclude-template keeps certificates without a template"

# --issuer on a folder that mixes two CAs
cd "$T"
mkdir -p ca2/newcerts mixed
: >ca2/index.txt
echo 5000 >ca2/serial
sed "s|^dir = .*|dir = $T/ca2|" "$FIX/ca/ca.cnf" >ca2/ca.cnf
$OPENSSL genpkey -algorithm ed25519 -out ca2/key.pem 2>/dev/null
$OPENSSL req -new -key ca2/key.pem -subj "/O=Other Org/CN=Other Root CA" -out ca2/ca.csr
$OPENSSL ca -batch -config ca2/ca.cnf -selfsign -keyfile ca2/key.pem -extensions v3_ca \
	-startdate 20200101000000Z -enddate 20400101000000Z -in ca2/ca.csr -out ca2/ca.pem \
	-notext 2>/dev/null
$OPENSSL req -new -key ca2/key.pem -subj "/O=Other Org/CN=other.example.test" -out ca2/leaf.csr
$OPENSSL ca -batch -config ca2/ca.cnf -cert ca2/ca.pem -keyfile ca2/key.pem -extensions leaf \
	-startdate 20260101000000Z -enddate 20261201000000Z -in ca2/leaf.csr \
	-out mixed/other.pem -notext 2>/dev/null
cp "$FIX/warn.pem" "$FIX/ok.pem" mixed/
cd - >/dev/null
is "$(summary --issuer='CN=Fixture Issuing CA' "$T/mixed")" "WARNING 0/1/1/0 of 2 | W:- O:-" \
   "--issuer keeps one CA's certificates"
is "$(summary --issuer='^cn=other root ca,o=other org$' "$T/mixed")" "WARNING 0/1/0/0 of 1 | W:-" \
   "--issuer matches the DN as printed in JSON, case-insensitively"
is "$(summary --issuer='Fixture' "$T/issued.csv" | cut -c1-14)" "UNKNOWN 0/0/0/" \
   "--issuer drops rows without an issuer; nothing selected is UNKNOWN"
done_testing
