#!/bin/sh
# The own STARTTLS dialogs (and libcurl's) against peers that answer
# garbage, too much, or hang up half way: each an error naming the URL and
# the step, never a hang or a crash, and the other endpoints still reported.
. "$TOP_SRCDIR/tests/lib.sh"
scratch
. "$TOP_SRCDIR/tests/net-lib.sh"

mk_pki
P1=$(free_port)
s_server "$P1"
GOOD=https://127.0.0.1:$P1
H=$T/h
mkdir -p "$H"

# reply NAME SCHEME [after] BYTES (printf format): a peer that sends BYTES;
# runs the plugin on it and the good endpoint; $out, $rc
hostile() {
	local name=$1 scheme=$2 when=$3 bytes=$4
	# shellcheck disable=SC2059
	printf "$bytes" >"$H/$name"
	peer reply "$H/$name" $when
	run_net -w 10 --connect-timeout 3 "$scheme://127.0.0.1:$PORT" "$GOOD"
	U="$scheme://127.0.0.1:$PORT"
}

hostile ldap-http ldap after 'HTTP/1.0 400 Bad Request\r\n\r\n'
like "$out" "ERROR: $U: starttls: the server does not answer in LDAP" "ldap: not LDAP"
like "$out" "certificates=2;;;0" "ldap garbage: the other endpoint still reported"
hostile ldap-long ldap after '\060\204\377\377\377\377'
like "$out" "ERROR: $U: starttls: the server's LDAP answer is malformed" "ldap: a 4-byte length"
hostile ldap-trunc ldap after '\060\014\002\001\001\170\007'
like "$out" "ERROR: $U: starttls: waiting for the server: connection closed" "ldap: truncated answer"
hostile ldap-notext ldap after '\060\014\002\001\001\170\007\004\001\000\004\000\004\000'
like "$out" "ERROR: $U: starttls: the server's LDAP answer is malformed" "ldap: no resultCode"
hostile ldap-refused ldap after '\060\014\002\001\001\170\007\012\001\064\004\000\004\000'
like "$out" "ERROR: $U: starttls: StartTLS refused \\(LDAP result code 52\\)" "ldap: unavailable (52)"

hostile ftp-long ftp '' "$(head -c 9000 /dev/zero | tr '\0' A)"
like "$out" "ERROR: $U: starttls: the server's FTP reply is too long" "ftp: oversized greeting"
hostile ftp-trunc ftp '' '220-welcome\r\n'
like "$out" "ERROR: $U: starttls: waiting for the server: connection closed" "ftp: greeting cut off"
hostile ftp-bad ftp '' '421 go away\r\n'
like "$out" "ERROR: $U: starttls: FTP greeting 421, not 220" "ftp: 421 greeting"
hostile ftp-garbage ftp '' 'SSH-2.0-OpenSSH_9.2\r\n'
like "$out" "ERROR: $U: starttls: waiting for the server: connection closed" "ftp: not FTP"

hostile pg-x postgres after 'X'
like "$out" "ERROR: $U: starttls: the server does not answer the SSLRequest as PostgreSQL does" \
    "postgres: neither S nor N"
hostile pg-close postgres after ''
like "$out" "ERROR: $U: starttls: waiting for the server: connection closed" "postgres: hangs up"
# 'S' and then no TLS at all
hostile pg-s postgres after 'Sgarbage-not-tls'
like "$out" "ERROR: $U: tls: handshake failed: " "postgres: 'S', then garbage: tls step"

hostile xmpp-long xmpp after "$(head -c 20000 /dev/zero | tr '\0' x)"
like "$out" "ERROR: $U: starttls: the XMPP stream features are too long" "xmpp: oversized"
hostile xmpp-notls xmpp after "<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams'><stream:features><mechanisms/></stream:features>"
like "$out" "ERROR: $U: starttls: the XMPP server does not offer STARTTLS" "xmpp: no <starttls/>"
hostile xmpp-close xmpp after "<stream:stream></stream:stream>"
like "$out" "ERROR: $U: starttls: the XMPP server closed the stream" "xmpp: stream closed"

hostile smtp-junk smtp '' 'SSH-2.0-OpenSSH_9.2\r\n'
like "$out" "ERROR: $U: starttls: " "smtp: not SMTP"
hostile imap-bye imap '' '* BYE go away\r\n'
like "$out" "ERROR: $U: starttls: " "imap: BYE"
hostile https-close https '' ''
like "$out" "ERROR: $U: tls: " "https: hangs up at once"

run_net -w 10 "https://127.0.0.1:$P1/$(head -c 3000 /dev/zero | tr '\0' a)"
is "$rc" 0 "a long path is no problem"
run_net "https://$(head -c 300 /dev/zero | tr '\0' a).invalid:1"
like "$out" "ERROR: https://a+(\\.invalid:1)?(\\.\\.\\.)?: resolve: cannot resolve a+" "a 300-byte host name: resolve error (the line capped)"
run_net "https://user:pw@127.0.0.1:$P1"
like "$out" "^CERT_EXPIRY UNKNOWN - invalid endpoint .*no user name or password" "no credentials in URLs"
run_net "https://127.0.0.1:$P1:x"
like "$out" "the port is not a number" "a garbled port"
run_net "https://:443"
like "$out" "no host name" "no host"
# nothing but a host name reaches the resolver, the messages or perfdata
for h in "a'b" "a=b" "a;b" "a%27b" "a|b" "bücher.example"; do
	run_net "https://$h:443"
	is "$rc" 3 "host '$h': UNKNOWN"
	like "$out" "^CERT_EXPIRY UNKNOWN - invalid endpoint .*a host name holds only" \
	    "host '$h': refused as a host name"
done
run_net "https://[::1'x]:443"
like "$out" "^CERT_EXPIRY UNKNOWN - invalid endpoint .*an IPv6 literal holds only" \
    "an IPv6 literal with a quote: refused"
run_net -w 10 "https://xn--bcher-kva.invalid:1"
like "$out" "resolve: cannot resolve xn--bcher-kva.invalid" "an A-label host is a host name"
run_net "https://bücher.example:443"
like "$out" "(an IDN in its xn-- form)" "a UTF-8 host: the message names the A-label form"
done_testing
