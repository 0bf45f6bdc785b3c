#!/bin/sh
# SMTP delivery against real servers on 127.0.0.1 (tests/smtpd.py): plain,
# STARTTLS + AUTH, smtps://, and every failure the admin must see.
. "$TOP_SRCDIR/tests/lib.sh"
scratch
. "$TOP_SRCDIR/tests/mail-common.sh"

NOW=2026-11-24T00:00:00Z
mk_ca
mk_server_cert
[ -s "$T/srv.pem" ] || skip_all "openssl could not make the test certificates"
printf 's3cret-Pa55\n' >"$T/pw"
printf 'wrong-Pa55\n' >"$T/badpw"

# --- plain server, test mail, three recipients given in all the ways
start_smtpd plain --reject bad@example.com
PLAIN=$PORT
run_plugin -m "127.0.0.1:$PLAIN" -s nagios@example.com \
    -r 'a@example.com;b@example.com' -r c@example.com --now "$NOW"
is "$rc" 0 "test mail: exit 0"
like "$out" '^CERT_EXPIRY OK' "test mail: OK status line"
is "$(nmsgs plain)" 1 "test mail: one message received"
is "$(cat "$T/plain/1.env")" "from nagios@example.com
rcpt a@example.com
rcpt b@example.com
rcpt c@example.com
tls no
auth -" "test mail: envelope sender and every recipient"
M=$(msg plain 1)
is "$(header "$M" Date)" "Tue, 24 Nov 2026 00:00:00 +0000" "test mail: Date from --now"
like "$(header "$M" Message-ID)" '^<[^<>@ ]+@[^<>@ ]+>$' "test mail: Message-ID"
is "$(header "$M" From)" "check_cert_expiry <nagios@example.com>" "test mail: From"
is "$(header "$M" To)" "a@example.com, b@example.com, c@example.com" "test mail: To"
like "$(header "$M" Subject)" 'test message from' "test mail: Subject"
like "$(header "$M" Content-Type)" '^text/plain; charset="?(UTF|utf)-8"?$' "test mail: MIME type"
H=$(uname -n)
like "$(body "$M")" "on host $H" "test mail: names the sending host"
like "$(body "$M")" "2026-11-24T00:00:00Z" "test mail: says when"

# --test-mail with sources given sends the test message, not a digest
run_plugin --test-mail -p "$T/ca/ca.pem" -m "127.0.0.1:$PLAIN" -s nagios@example.com \
    -r a@example.com --now "$NOW"
is "$rc" 0 "--test-mail with a source: exit 0"
like "$(header "$(msg plain 2)" Subject)" 'test message' "--test-mail: test message sent"

# --- a refused recipient: nothing is sent, the server's answer is shown
run_plugin -m "127.0.0.1:$PLAIN" -s nagios@example.com -r 'a@example.com;bad@example.com'
is "$rc" 3 "refused recipient: exit 3"
like "$out" '550.*bad@example.com.*rejected' "refused recipient: server's answer shown"
is "$(nmsgs plain)" 2 "refused recipient: no message delivered"

# --- --smtp-tls=require against a server without STARTTLS
run_plugin -m "127.0.0.1:$PLAIN" --smtp-tls=require -s nagios@example.com -r a@example.com
is "$rc" 3 "--smtp-tls=require without STARTTLS: exit 3"
like "$out" 'STARTTLS|SSL|TLS' "--smtp-tls=require: says TLS is missing"
is "$(nmsgs plain)" 2 "--smtp-tls=require: nothing sent in clear"

# --- a password is never sent in clear
export CHECK_CERT_EXPIRY_SMTP_PASSWORD=s3cret-Pa55
run_plugin -m "127.0.0.1:$PLAIN" --smtp-user alice -s nagios@example.com -r a@example.com
unset CHECK_CERT_EXPIRY_SMTP_PASSWORD
is "$rc" 3 "user without TLS: refused"
unlike "$out$err" 's3cret' "user without TLS: password not printed"
is "$(nmsgs plain)" 2 "user without TLS: nothing sent"

# --- a closed port
DOWN=$(closed_port)
run_plugin -m "127.0.0.1:$DOWN" -s nagios@example.com -r a@example.com -t 10
is "$rc" 3 "server down: exit 3"
like "$out" "127.0.0.1:$DOWN.*(connect|Connect)" "server down: says so, names the server"

# --- STARTTLS + AUTH PLAIN/LOGIN with the test CA
start_smtpd tls --starttls "$T/srv.pem" "$T/srv.key" --auth alice s3cret-Pa55
TLS=$PORT
run_plugin -m "127.0.0.1:$TLS" -s nagios@example.com -r a@example.com \
    --smtp-user alice --smtp-password-file "$T/pw" --smtp-cafile "$T/ca/ca.pem"
is "$rc" 0 "STARTTLS + AUTH (password file): exit 0"
is "$(sed -n '/^tls/p;/^auth/p' "$T/tls/1.env" 2>/dev/null | tr '\n' ' ')" \
    "tls yes auth alice " "STARTTLS + AUTH: encrypted and authenticated"
export CHECK_CERT_EXPIRY_SMTP_PASSWORD=s3cret-Pa55
run_plugin -m "smtp://localhost:$TLS" -s nagios@example.com -r a@example.com \
    --smtp-user alice --smtp-cafile "$T/ca/ca.pem" --smtp-tls=require
unset CHECK_CERT_EXPIRY_SMTP_PASSWORD
is "$rc" 0 "smtp:// URL, password from the environment, --smtp-tls=require: exit 0"
is "$(nmsgs tls)" 2 "two messages over STARTTLS"

# wrong password
run_plugin -m "127.0.0.1:$TLS" -s nagios@example.com -r a@example.com \
    --smtp-user alice --smtp-password-file "$T/badpw" --smtp-cafile "$T/ca/ca.pem"
is "$rc" 3 "wrong password: exit 3"
like "$out" '535|uthentication' "wrong password: server's answer shown"
unlike "$out$err" 'wrong-Pa55|s3cret' "wrong password: no password printed"
is "$(nmsgs tls)" 2 "wrong password: nothing sent"

# the server certificate is verified: the test CA is not in the system store
run_plugin -m "127.0.0.1:$TLS" -s nagios@example.com -r a@example.com \
    --smtp-user alice --smtp-password-file "$T/pw"
is "$rc" 3 "untrusted server certificate: exit 3"
like "$out" 'certificate' "untrusted server certificate: says so"
is "$(nmsgs tls)" 2 "untrusted server certificate: nothing sent"

# STARTTLS is used whenever offered (no user, no --smtp-tls)
start_smtpd tlsonly --starttls "$T/srv.pem" "$T/srv.key"
run_plugin -m "127.0.0.1:$PORT" -s nagios@example.com -r a@example.com \
    --smtp-cafile "$T/ca/ca.pem"
is "$rc" 0 "STARTTLS offered: exit 0"
like "$(cat "$T/tlsonly/1.env" 2>/dev/null)" 'tls yes' "STARTTLS used when offered"
# and verified even then: an untrusted certificate stops the mail
run_plugin -m "127.0.0.1:$PORT" -s nagios@example.com -r a@example.com
is "$rc" 3 "STARTTLS offered, untrusted certificate: exit 3"
is "$(nmsgs tlsonly)" 1 "STARTTLS offered, untrusted certificate: nothing sent"

# --- smtps:// (TLS from the start)
start_smtpd smtps --implicit-tls "$T/srv.pem" "$T/srv.key"
run_plugin -m "smtps://127.0.0.1:$PORT" -s nagios@example.com -r a@example.com \
    --smtp-cafile "$T/ca/ca.pem"
is "$rc" 0 "smtps://: exit 0"
like "$(cat "$T/smtps/1.env" 2>/dev/null)" 'tls yes' "smtps://: encrypted"

# --- a line with a single dot does not end the message (libcurl dot-stuffs)
printf 'Subject: dots\r\n\r\nbefore\r\n.\r\n..\r\n.after\r\nlast line\r\n' >"$T/dots.eml"
"$TOP_BUILDDIR/tests/mail-send" "127.0.0.1:$PLAIN" nagios@example.com a@example.com \
    "$T/dots.eml" >"$T/dots.out" 2>&1
ok $? "raw message with dot lines sent"
is "$(tr -d '\r' <"$(msg plain 3)")" "$(tr -d '\r' <"$T/dots.eml")" \
    "dot lines arrive unchanged, message complete"

done_testing
