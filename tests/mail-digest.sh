#!/bin/sh
# The expiry digest end to end: the plugin reads certificates made by the
# test CA with exact dates and mails the digest to tests/smtpd.py.
. "$TOP_SRCDIR/tests/lib.sh"
scratch
. "$TOP_SRCDIR/tests/mail-common.sh"

NOW=2026-11-24T00:00:00Z
mk_ca
C=$T/certs
mkdir -p "$C" "$T/other"
mk_cert "$C/crit.pem" crit.example.com 20250101000000Z 20261125080000Z
mk_cert "$C/warn.pem" warn.example.com 20250101000000Z 20261210000000Z
mk_cert "$C/ok.pem" ok.example.com 20250101000000Z 20270601000000Z
mk_cert "$C/expired.pem" expired.example.com 20250101000000Z 20261120000000Z
mk_cert "$C/day30.pem" day30.example.com 20250101000000Z 20261224120000Z
mk_cert "$T/other/evil.pem" 'evil\r\nBcc: victim@example.com\r\n.\r\nX-Injected: yes' \
    20250101000000Z 20261126000000Z
mk_cert "$T/other/umlaut.pem" 'zertifikat-müller.example' 20250101000000Z 20261201000000Z
mk_cert "$T/other/fine.pem" fine.example.com 20250101000000Z 20280101000000Z
[ -s "$T/other/umlaut.pem" ] || skip_all "openssl could not make the test certificates"
SERIAL_CRIT=$("$OPENSSL" x509 -in "$C/crit.pem" -noout -serial | sed 's/.*=//')

start_smtpd srv
S=127.0.0.1:$PORT
MAIL="-m $S -s nagios@example.com -r ops@example.com;pki@example.com"

# --- the digest: WARNING and CRITICAL certificates, soonest first
run_plugin -p "$C" $MAIL --now "$NOW"
is "$rc" 2 "digest run: exit code follows the certificates (CRITICAL)"
like "$out" 'mail sent to 2 recipients' "digest run: status says the mail went out"
is "$(nmsgs srv)" 1 "digest: one message"
M=$(msg srv 1)
is "$(cat "$T/srv/1.env")" "from nagios@example.com
rcpt ops@example.com
rcpt pki@example.com
tls no
auth -" "digest: envelope"
is "$(header "$M" Date)" "Tue, 24 Nov 2026 00:00:00 +0000" "digest: Date"
like "$(header "$M" Message-ID)" '^<[^<>@ ]+@[^<>@ ]+>$' "digest: Message-ID"
is "$(header "$M" To)" "ops@example.com, pki@example.com" "digest: To"
is "$(header "$M" MIME-Version)" "1.0" "digest: MIME-Version"
like "$(header "$M" Subject)" '^\[cert-expiry\] CRITICAL: 3 certificates .*\(1 expired, 1 critical, 1 warning\)' \
    "digest: Subject with worst state and count"
B=$(body "$M")
like "$B" 'expired\.example\.com' "digest: expired certificate listed"
like "$B" 'crit\.example\.com' "digest: critical certificate listed"
like "$B" 'warn\.example\.com' "digest: warning certificate listed"
unlike "$B" 'ok\.example\.com|day30' "digest: OK certificates not listed"
is "$(printf '%s\n' "$B" | grep -Eo '^(EXPIRED|CRITICAL|WARNING|OK) +[a-z0-9.]+' | tr -s ' ')" \
    "EXPIRED expired.example.com
CRITICAL crit.example.com
WARNING warn.example.com" "digest: soonest first, with states"
like "$B" 'Expires: +2026-11-25 08:00:00 UTC' "digest: expiry date and time (UTC)"
like "$B" 'Days left: +1\.33' "digest: days left"
like "$B" "Serial: +$SERIAL_CRIT" "digest: serial"
like "$B" 'Issuer: +CN=Mail Test CA' "digest: issuer"
like "$B" "Found in: +$C/crit.pem" "digest: where it was found"

# --- nothing qualifies: no message
run_plugin -p "$C/ok.pem" $MAIL --now "$NOW"
is "$rc" 0 "only OK certificates: exit 0"
is "$(nmsgs srv)" 1 "only OK certificates: no message"

# --- -d N: every selected certificate expiring on that day, whatever its state
run_plugin -p "$C" $MAIL --now "$NOW" -d 30
is "$(nmsgs srv)" 2 "-d 30: one message"
B=$(body "$(msg srv 2)")
like "$B" 'day30\.example\.com' "-d 30: the certificate of that day is listed"
unlike "$B" '(crit|warn|ok|expired)\.example\.com' "-d 30: nothing else"
like "$(header "$(msg srv 2)" Subject)" 'OK: 1 certificate ' "-d 30: subject with state and count"
run_plugin -p "$C" $MAIL --now "$NOW" -d 1
B=$(body "$(msg srv 3)")
like "$B" 'crit\.example\.com' "-d 1: tomorrow's certificate listed"
unlike "$B" '(day30|warn|ok|expired)\.example\.com' "-d 1: only that one"
run_plugin -p "$C" $MAIL --now "$NOW" -d 2
is "$(nmsgs srv)" 3 "-d 2: no certificate that day, no message"

# --- a hostile name cannot add a header or end the message
run_plugin -p "$T/other/evil.pem" $MAIL --now "$NOW"
is "$(nmsgs srv)" 4 "hostile name: one message"
M=$(msg srv 4)
is "$(sed -n '/^\r\{0,1\}$/q;s/:.*//p' "$M" | grep -v '^[ 	]' | sort | tr '\n' ' ')" \
    "Auto-Submitted Content-Transfer-Encoding Content-Type Date From MIME-Version Message-ID Subject To X-Mailer " \
    "hostile name: exactly our headers, no Bcc or X-Injected"
is "$(header "$M" Bcc)" "" "hostile name: no Bcc header"
is "$(grep -c '^Bcc' "$M")" 0 "hostile name: no line starts with Bcc"
is "$(tr -d '\r' <"$M" | grep -c '^\.$')" 0 "hostile name: no line with a single dot"
like "$(tail -n 1 "$M" | tr -d '\r')" '^check_cert_expiry ' "hostile name: message complete"
is "$(cut -d' ' -f2- "$T/srv/4.env" | tr '\n' ' ')" \
    "nagios@example.com ops@example.com pki@example.com no - " \
    "hostile name: envelope unchanged"

# --- a non-ASCII name: RFC 2047 subject, 8bit UTF-8 body
run_plugin -p "$T/other/umlaut.pem" $MAIL --now "$NOW"
M=$(msg srv 5)
like "$(grep '^Subject:' "$M")" '=\?UTF-8\?B\?' "UTF-8 subject: encoded word"
like "$(header "$M" Subject)" 'zertifikat-müller\.example' "UTF-8 subject: decodes to the name"
like "$(body "$M")" 'WARNING +zertifikat-müller\.example' "UTF-8 body"
is "$(header "$M" Content-Transfer-Encoding)" "8bit" "UTF-8 body: 8bit"

# every message: CRLF lines of at most 998 octets
bad=0
for f in "$T"/srv/*.eml; do
	awk '{ if (length($0) > 999 || $0 !~ /\r$/) bad = 1 } END { exit bad }' "$f" || bad=1
done
is "$bad" 0 "every message: CRLF lines within 998 octets"

# --- delivery fails: reported, certificates still evaluated and printed
DOWN=$(closed_port)
run_plugin -p "$C/warn.pem" -m "127.0.0.1:$DOWN" -s nagios@example.com -r ops@example.com \
    --now "$NOW" -t 10
is "$rc" 3 "mail failure with a WARNING certificate: exit UNKNOWN"
like "$out" 'warn\.example\.com' "mail failure: certificates still printed"
like "$out$err" "127.0.0.1:$DOWN" "mail failure: reported with the server"
run_plugin -p "$C/crit.pem" -m "127.0.0.1:$DOWN" -s nagios@example.com -r ops@example.com \
    --now "$NOW" -t 10
is "$rc" 2 "mail failure with a CRITICAL certificate: stays CRITICAL"

done_testing
