#!/bin/sh
# --skip-renewed on a CA export with renewals: a row is dropped when another
# selected row with the same name (and issuer) expires later; list and JSON
# say which certificate renewed it.
. "$TOP_SRCDIR/tests/lib.sh"
scratch
f="$T/renewals.csv"
printf '"Request ID","Serial Number","Issued Common Name","Certificate Expiration Date","Certificate Template","Request Disposition"\r\n' >"$f"
printf '"10","610000000a","app.corp.example","1/10/2026 10:00 AM","WebServer","20 -- Issued"\r\n' >>"$f"
printf '"11","610000000b","app.corp.example","1/10/2027 10:00 AM","WebServer","20 -- Issued"\r\n' >>"$f"
printf '"12","610000000c","APP.corp.example","1/5/2026 10:00 AM","WebServer","20 -- Issued"\r\n' >>"$f"
printf '"13","610000000d","db.corp.example","1/12/2026 10:00 AM","WebServer","20 -- Issued"\r\n' >>"$f"
printf '"14","610000000e","db.corp.example","1/20/2027 10:00 AM","WebServer","21 -- Revoked"\r\n' >>"$f"

run_plugin -o json --now 2026-01-01 -p "$f"
is "$(printf '%s' "$out" | /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)["certificates"]))')" 4 "without --skip-renewed: 4 issued rows"
is "$rc" 2 "old app certificate is critical"

run_plugin -o json --now 2026-01-01 --skip-renewed -p "$f"
sel=$(printf '%s' "$out" | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
for c in d["certificates"]:
    print(c["serial"], c.get("renewed_by", {}).get("serial") if c.get("renewed_by") else "-")')
like "$sel" '610000000B -' "renewal kept"
like "$sel" '610000000D -' "db kept: its renewal is revoked, so not selected"
like "$sel" '610000000A 610000000B' "old app row renewed by the new one"
like "$sel" '610000000C 610000000B' "names compare case-insensitively"
like "$out" '"renewed_by": \{"serial": "610000000B"' "JSON names the renewal"
is "$rc" 1 "renewed rows dropped: WARNING (db expires in 11 days)"

run_plugin -l --now 2026-01-01 --skip-renewed -p "$f"
like "$out" 'renewed by serial 610000000B' "list says which one renewed it"
done_testing
