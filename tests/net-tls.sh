#!/bin/sh
# Endpoints with TLS at once, against openssl s_server on loopback: the
# served chain as certificates of the run, JSON and perfdata, SNI,
# verification and name match, --verify, a demanded client certificate,
# the file+endpoint de-duplication, the stale join, --connect-to, -4/-6,
# --proxy (environment proxies ignored), and every failure step.
. "$TOP_SRCDIR/tests/lib.sh"
scratch
. "$TOP_SRCDIR/tests/net-lib.sh"

mk_pki
P1=$(free_port)
s_server "$P1"
U1=https://127.0.0.1:$P1
LEAF=$(sha256_of "$T/pki/www.test.example.pem")
INTER=$(sha256_of "$T/pki/inter.pem")

# --- the whole chain, as certificates of the run
run_net -v --connect "$U1"
is "$rc" 1 "chain: the intermediate's 20 days make it WARNING"
like "$out" "WARNING: Net Test Intermediate expires .* \\[$U1 depth 1\\]" \
    "chain: the intermediate, location [URL depth 1]"
like "$out" "OK: www.test.example expires .* \\[$U1 depth 0\\]" "chain: the leaf at depth 0"
like "$out" "certificates=2;;;0" "chain: two certificates"
like "$out" "endpoints=1;;;0 '127.0.0.1:$P1'=(19\\.9[0-9]|20\\.00);30:;7:" \
    "perfdata: endpoints=1 and 'HOST:PORT'=fewest days in the chain;W;C"
like "$out" "ENDPOINT: $U1 \\(127.0.0.1:$P1\\) TLSv1\\.[23], 2 certificates sent, verify unable to get local issuer certificate \\(depth 1\\), name matches" \
    "-v: the endpoint's verification and name match"
run_net -w 10 "$U1"
is "$rc" 0 "chain: -w 10: OK (an operand SCHEME:// is an endpoint)"
run_net -w 10 -p "$U1"
is "$rc" 0 "chain: a -p SCHEME:// value is an endpoint"

# --- JSON, exactly the contract's fields
run_net -o json -w 10 --cafile "$T/pki/root.pem" --connect "https://localhost:$P1"
is "$rc" 0 "json: exit 0"
EP=$(printf '%s' "$out" | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
e = d["endpoints"][0]
print(sorted(e.keys()))
print(e["url"], e["address"], e["sni"], e["verify"], e["name_match"], e["stale"], e["error"])
print(" ".join(e["chain"]), e["tls_version"].startswith("TLSv1."))
src = [s for c in d["certificates"] for s in c["sources"]]
print(sorted((s["endpoint"], s["depth"], s["format"]) for s in src))')
is "$(printf '%s\n' "$EP" | sed -n 1p)" \
    "['address', 'chain', 'error', 'name_match', 'sni', 'stale', 'tls_version', 'url', 'verify']" \
    "json: the endpoint's fields"
like "$(printf '%s\n' "$EP" | sed -n 2p)" \
    "^https://localhost:$P1 (127\\.0\\.0\\.1|\\[::1\\]):$P1 localhost ok True None None$" \
    "json: url, address, sni, verify ok (--cafile), name_match, stale, error"
is "$(printf '%s\n' "$EP" | sed -n 3p)" "$LEAF $INTER True" "json: chain, leaf first, and tls_version"
is "$(printf '%s\n' "$EP" | sed -n 4p)" \
    "[('https://localhost:$P1', 0, 'tls'), ('https://localhost:$P1', 1, 'tls')]" \
    "json: sources {endpoint, depth, format tls}"
run_net -o json -w 10 "$U1"
like "$out" '"sni": null' "json: no SNI for an IP literal"
like "$out" '"verify": "unable to get local issuer certificate \(depth 1\)"' \
    "json: verify says why without the test root"

# --- --capath, and --verify
mkdir "$T/capath"
cp "$T/pki/root.pem" "$T/capath/"
"$OPENSSL" rehash "$T/capath" 2>/dev/null || c_rehash "$T/capath" >/dev/null 2>&1
run_net -w 10 --capath "$T/capath" --verify "https://localhost:$P1"
is "$rc" 0 "--verify with --capath: verifies, OK"
# several handshakes at once against one anchor the directory gives on
# demand (and, under ThreadSanitizer, without a race on it)
eight=
for i in 1 2 3 4 5 6 7 8; do eight="$eight https://localhost:$P1/$i"; done
# shellcheck disable=SC2086
run_net -w 10 --capath "$T/capath" --verify -o json $eight
is "$rc" 0 "--capath, eight endpoints at once: all verify, OK"
is "$(printf '%s\n' "$out" | grep -c '"verify": "ok"')" 8 "... each says verify ok"
# shellcheck disable=SC2086
run_net -w 10 --cafile "$T/pki/root.pem" --verify -o json $eight
is "$(printf '%s\n' "$out" | grep -c '"verify": "ok"')" 8 "--cafile, eight endpoints at once: each verifies"
run_net -w 10 --verify "$U1"
is "$rc" 2 "--verify, chain not trusted: CRITICAL"
like "$out" "^CERT_EXPIRY CRITICAL .*$U1: the chain does not verify: unable to get local issuer" \
    "--verify: the status line says why"
like "$out" "CRITICAL: $U1: the chain does not verify" "--verify: a long-output line"
run_net -w 10 --verify --cafile "$T/pki/root.pem" \
    --connect-to "other.test.example:$P1:127.0.0.1:$P1" "https://other.test.example:$P1"
is "$rc" 2 "--verify, wrong name: CRITICAL"
like "$out" "the certificate does not match other.test.example" "--verify: names the host"
run_net -w 10 --cafile "$T/pki/root.pem" -o json \
    --connect-to "other.test.example:$P1:127.0.0.1:$P1" "https://other.test.example:$P1"
is "$rc" 0 "without --verify a wrong name is reported, not alerted"
like "$out" '"name_match": false' "json: name_match false"

# --- SNI: -servername/-cert2 serve the second certificate for its name
P2=$(free_port)
s_server "$P2" -servername other.test.example -cert2 "$T/pki/other.test.example.pem" \
    -key2 "$T/pki/other.test.example.key"
run_net -v -w 10 --connect-to "other.test.example:$P2:127.0.0.1:$P2" \
    --connect-to "www.test.example:$P2:127.0.0.1:$P2" \
    "https://other.test.example:$P2" "https://www.test.example:$P2"
like "$out" "OK: other.test.example expires .*\\[https://other.test.example:$P2 depth 0\\]" \
    "SNI: the name sent selects the certificate (--connect-to keeps the name)"
like "$out" "OK: www.test.example expires .*\\[https://www.test.example:$P2 depth 0\\]" \
    "SNI: another name, the default certificate"
like "$out" "ENDPOINT: https://other.test.example:$P2 \\(127.0.0.1:$P2\\)" \
    "--connect-to: dialed the given address"

# --- IPv6 literal, -4 / -6
P6=$(free_port)
bgrun "$OPENSSL" s_server -accept "[::1]:$P6" -www -quiet -cert "$T/pki/www.test.example.pem" \
    -key "$T/pki/www.test.example.key" -cert_chain "$T/pki/inter.pem"
wait_port "$P6" ::1
run_net -v -w 10 "https://[::1]:$P6"
is "$rc" 0 "IPv6 literal: OK"
like "$out" "\\[https://\\[::1\\]:$P6 depth 0\\]" "IPv6 literal: location"
like "$out" "'\\[::1\\]:$P6'=" "IPv6 literal: perfdata label"
run_net -4 -w 10 "https://[::1]:$P6"
is "$rc" 3 "-4 with an IPv6 literal: cannot connect"
run_net -6 -w 10 -v "https://localhost:$P6"
like "$out" "ENDPOINT: https://localhost:$P6 \\(\\[::1\\]:$P6\\)" "-6: localhost over ::1"
run_net -4 -w 10 -v "https://localhost:$P1"
like "$out" "ENDPOINT: https://localhost:$P1 \\(127.0.0.1:$P1\\)" "-4: localhost over 127.0.0.1"

# --- a server that demands a client certificate: its chain is still read
P3=$(free_port)
s_server "$P3" -Verify 1 -CAfile "$T/pki/root.pem"
run_net -w 10 -v "https://127.0.0.1:$P3"
is "$rc" 0 "client certificate demanded (TLS 1.3): chain read, OK"
like "$out" "OK: www.test.example .*depth 0" "client certificate demanded: the leaf"
P4=$(free_port)
s_server "$P4" -Verify 1 -CAfile "$T/pki/root.pem" -tls1_2
run_net -w 10 -v -v "https://127.0.0.1:$P4"
is "$rc" 0 "client certificate demanded (TLS 1.2, handshake fails after it): OK"
like "$out" "certificates=2;;;0" "client certificate demanded (TLS 1.2): the chain"

# --- the same certificate in a file and on an endpoint is one
run_net -w 10 -o json -p "$T/pki/www.test.example.pem" "$U1"
is "$(printf '%s' "$out" | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
print(d["counts"]["certificates"], [sorted(s.get("path") or s["endpoint"] for s in c["sources"]) for c in d["certificates"] if c["sha256"] == sys.argv[1]])' "$LEAF")" \
    "2 [['$T/pki/www.test.example.pem', '$U1']]" "file + endpoint: one certificate, both locations"

# --- renewed on disk, old one still served
mk_leaf www.test.example 300 "DNS:www.test.example,DNS:localhost,IP:127.0.0.1,IP:::1" renewed
mk_leaf www.test.example 400 "DNS:www.test.example" othersan
mkdir "$T/etc"
cp "$T/pki/renewed.pem" "$T/etc/www.pem"
cp "$T/pki/othersan.pem" "$T/etc/othersan.pem"
SERIAL=$("$OPENSSL" x509 -in "$T/pki/renewed.pem" -noout -serial | cut -d= -f2)
run_net -w 10 -p "$T/etc" "$U1"
is "$rc" 1 "stale: WARNING"
like "$out" "^WARNING: $U1 serves www.test.example expiring [0-9-]+ \\(in (59|60) days\\), but $T/etc/www.pem holds its renewal expiring [0-9-]+: reload the service$" \
    "stale: the line names the URL and the file"
like "$(printf '%s\n' "$out" | head -1)" \
    "^CERT_EXPIRY WARNING - 0 critical, 0 warning, [0-9]+ ok of [0-9]+ certificates; $U1 serves www.test.example .*: reload the service \\|" \
    "stale: the status line leads with it when every certificate is OK"
run_net -w 10 -o json -p "$T/etc" "$U1"
like "$out" "\"stale\": \\{\"path\": \"$T/etc/www.pem\", \"serial\": \"$SERIAL\", \"not_after\": \"[0-9T:-]+Z\"\\}" \
    "stale: JSON path, serial, not_after"
rm "$T/etc/www.pem"
run_net -w 10 -p "$T/etc" "$U1"
is "$rc" 0 "stale: other DNS names are no renewal"
unlike "$out" "reload" "stale: no line"

# --- failures: each an error naming the URL and the step; the rest reported
CLOSED=$(free_port)
peer silent
SILENT=$PORT
peer alert
ALERT=$PORT
peer plain
PLAIN=$PORT
run_net -w 10 --connect-timeout 2 -p "$T/pki/other.test.example.pem" "$U1" \
    "https://127.0.0.1:$CLOSED" "https://no-such-host.invalid:$P1" \
    "https://127.0.0.1:$SILENT" "https://127.0.0.1:$ALERT" "https://127.0.0.1:$PLAIN"
is "$rc" 3 "failures: UNKNOWN"
like "$out" "ERROR: https://127.0.0.1:$CLOSED: connect: refused" "refused: connect: refused"
like "$out" "ERROR: https://no-such-host.invalid:$P1: resolve: cannot resolve no-such-host.invalid" \
    "unresolvable: resolve: ..."
like "$out" "ERROR: https://127.0.0.1:$SILENT: timeout: no answer within 2 seconds" \
    "silent listener: timeout, bounded by --connect-timeout"
like "$out" "ERROR: https://127.0.0.1:$ALERT: tls: .*(alert|handshake)" "handshake failure: tls: ..."
like "$out" "ERROR: https://127.0.0.1:$PLAIN: tls: .*wrong version number" "no TLS: tls: ..."
like "$out" "certificates=3;;;0" "failures: the good endpoint and the file still reported"
like "$out" "errors=5;;;0" "failures: five errors"
run_net -w 10 --connect-timeout 2 -o openmetrics "$U1" "https://127.0.0.1:$CLOSED"
like "$out" "cert_expiry_endpoint_up\\{url=\"$U1\"\\} 1" "openmetrics: endpoint up"
like "$out" "cert_expiry_endpoint_up\\{url=\"https://127.0.0.1:$CLOSED\"\\} 0" \
    "openmetrics: endpoint down"
if command -v promtool >/dev/null 2>&1; then
	printf '%s\n' "$out" | promtool check metrics >/dev/null 2>&1
	ok $? "openmetrics with endpoints: promtool accepts it"
fi
run_net -w 10 --connect-timeout 2 -o json "https://127.0.0.1:$CLOSED"
like "$out" '"error": "connect: refused"' "json: error"

# --- concurrently: six silent endpoints of 3 s each end within -t 10
run_net --connect-timeout 3 -t 10 "https://127.0.0.1:$SILENT" "https://127.0.0.1:$SILENT/a" \
    "https://127.0.0.1:$SILENT/b" "https://127.0.0.1:$SILENT/c" "https://127.0.0.1:$SILENT/d" \
    "https://127.0.0.1:$SILENT/e"
like "$out" "errors=6;;;0" "concurrency: six timeouts reported, not the -t timeout"

# --- proxies: the environment is ignored, --proxy tunnels
https_proxy=http://127.0.0.1:$CLOSED HTTPS_PROXY=http://127.0.0.1:$CLOSED \
    all_proxy=http://127.0.0.1:$CLOSED ALL_PROXY=http://127.0.0.1:$CLOSED \
    run_net -w 10 "$U1"
is "$rc" 0 "environment proxies ignored"
peer proxy
PROXY=$PORT
run_net -w 10 -v --proxy "http://127.0.0.1:$PROXY" "https://localhost:$P1"
is "$rc" 0 "--proxy: OK through the proxy"
is "$(cat "$PEERFILE.log" 2>/dev/null)" "localhost:$P1" "--proxy: the proxy saw CONNECT localhost:PORT"

# --- as the monitoring user, who needs no file for an endpoint
if [ "$(id -u)" -eq 0 ] && id nagios >/dev/null 2>&1; then
	chmod 755 "$T" "$T/pki"
	chmod 644 "$T/pki/root.pem"
	o=$(timeout 30 setpriv --reuid nagios --regid nagios --init-groups "$PLUGIN" -w 10 \
	    --cafile "$T/pki/root.pem" --verify "https://localhost:$P1" 2>&1)
	ok $? "as nagios: verified endpoint, OK"
	like "$o" "^CERT_EXPIRY OK - 0 critical, 0 warning, 2 ok of 2 certificates" "as nagios: the chain"
fi

# --- command line
run_net "foo://x"
is "$rc" 3 "unknown scheme: UNKNOWN"
like "$out" "^CERT_EXPIRY UNKNOWN - invalid endpoint 'foo://x': unknown scheme" "unknown scheme: says so"
run_net "tls://127.0.0.1"
like "$out" "^CERT_EXPIRY UNKNOWN - invalid endpoint 'tls://127.0.0.1': this scheme needs a port" \
    "tls:// needs a port"
run_net "https://127.0.0.1:99999"
like "$out" "the port is not a number from 1 to 65535" "bad port"
run_net "https://[::1"
like "$out" "invalid endpoint" "unclosed IPv6 literal"
run_net --connect-to garbage "$U1"
like "$out" "^CERT_EXPIRY UNKNOWN - invalid --connect-to 'garbage' \\(HOST:PORT:ADDR:PORT" "--connect-to: bad syntax"
run_net --connect-to "a:b:c:443" "$U1"
like "$out" "^CERT_EXPIRY UNKNOWN - invalid --connect-to" "--connect-to: a port that is no number"
run_net -w 10 --connect-to "::[::1]:$P6" "https://localhost:$P6"
is "$rc" 0 "--connect-to with empty HOST and PORT and an IPv6 address"
run_net --connect-timeout 0 "$U1"
like "$out" "invalid --connect-timeout" "--connect-timeout 0"
run_net -w 10 "sips://127.0.0.1:$P1" "tls://127.0.0.1:$P1"
like "$out" "endpoints=2;;;0" "sips:// and tls:// with ports: TLS at once"

done_testing
