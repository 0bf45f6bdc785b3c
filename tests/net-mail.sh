#!/bin/sh
# Endpoints on mail servers: STARTTLS of smtp and submission against exim4
# (a port with STARTTLS and one without), also over ::1 (exim refuses a
# bare "EHLO ::1": the plugin must send a proper name), and IMAP/POP3
# STARTTLS/STLS, IMAPS and POP3S against dovecot. Both run in the
# foreground from configs in $T on free loopback ports, stopped by PID.
. "$TOP_SRCDIR/tests/lib.sh"
scratch
. "$TOP_SRCDIR/tests/net-lib.sh"
need exim4 dovecot

mk_pki
chmod 755 "$T"
M=$T/mail
mkdir -p "$M/spool" "$M/log" "$M/dc/run" "$M/dc/state"
chmod 755 "$M"
cp "$T/pki/www.test.example.chain.pem" "$M/cert.pem"
cp "$T/pki/www.test.example.key" "$M/key.pem"
chmod 644 "$M/cert.pem" "$M/key.pem"
[ "$(id -u)" -eq 0 ] && chown -R Debian-exim "$M/spool" "$M/log" 2>/dev/null

# --- exim4: STARTTLS on ST, none on NOTLS
ST=$(free_port)
NOTLS=$(free_port)
cat >"$M/exim.conf" <<EOF
primary_hostname = mail.test.example
spool_directory = $M/spool
log_file_path = $M/log/%slog
pid_file_path = $M/exim.pid
local_interfaces = <; 127.0.0.1 ; ::1
daemon_smtp_ports = $ST : $NOTLS
tls_advertise_hosts = \${if eq{\$received_port}{$ST}{*}{}}
tls_certificate = $M/cert.pem
tls_privatekey = $M/key.pem
acl_smtp_rcpt = acl_rcpt
acl_smtp_helo = acl_helo
begin acl
acl_helo:
  accept
acl_rcpt:
  deny
EOF
bgrun exim4 -C "$M/exim.conf" -bdf -oX "$ST:$NOTLS" -odqs
wait_port "$ST" || { echo "Bail out! exim did not start: $(cat "$M"/log/* 2>/dev/null)"; exit 1; }

run_net -v -w 10 --cafile "$T/pki/root.pem" --verify "smtp://127.0.0.1:$ST" \
    "submission://localhost:$ST" "submission://127.0.0.1:$ST"
is "$rc" 0 "exim: smtp and submission STARTTLS verify"
like "$out" "ENDPOINT: smtp://127.0.0.1:$ST \\(127.0.0.1:$ST\\) TLSv1\\.[23], 2 certificates sent, verify ok" \
    "exim: smtp:// STARTTLS, the chain"
like "$out" "ENDPOINT: submission://localhost:$ST .* 2 certificates sent, verify ok, name matches" \
    "exim: submission:// with a port"
like "$out" "OK: www.test.example .*\\[smtp://127.0.0.1:$ST depth 0 \\+2 more\\]" \
    "exim: one certificate, the three endpoints its locations"
like "$out" "endpoints=3;;;0 '127.0.0.1:$ST'=[0-9.]+;10:;7: 'localhost:$ST'=[0-9.]+;10:;7:( |$)" \
    "exim: a perfdata label per HOST:PORT"
if wait_port "$ST" ::1; then
	run_net -v -w 10 "smtp://[::1]:$ST"
	is "$rc" 0 "exim over ::1: STARTTLS (a proper EHLO name, not ::1)"
	like "$out" "ENDPOINT: smtp://\\[::1\\]:$ST \\(\\[::1\\]:$ST\\)" "exim over ::1: dialed ::1"
fi
run_net -w 10 "smtp://127.0.0.1:$NOTLS" "smtp://127.0.0.1:$ST"
is "$rc" 3 "exim without STARTTLS: UNKNOWN"
like "$out" "ERROR: smtp://127.0.0.1:$NOTLS: starttls: the server does not offer STARTTLS" \
    "exim without STARTTLS: the step"
like "$out" "certificates=2;;;0" "exim without STARTTLS: the other endpoint still reported"
unlike "$(cat "$M"/log/mainlog 2>/dev/null)" "<=" "exim: no mail was sent"

# --- dovecot: IMAP STARTTLS, POP3 STLS, IMAPS, POP3S
I=$(free_port)
IS=$(free_port)
PP=$(free_port)
PS=$(free_port)
cat >"$M/dc/dovecot.conf" <<EOF
base_dir = $M/dc/run
state_dir = $M/dc/state
log_path = $M/dc/dovecot.log
protocols = imap pop3
listen = 127.0.0.1
ssl = yes
ssl_cert = <$M/cert.pem
ssl_key = <$M/key.pem
auth_mechanisms = plain
passdb {
  driver = static
  args = password=unused
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=/nonexistent
}
service imap-login {
  inet_listener imap {
    port = $I
  }
  inet_listener imaps {
    port = $IS
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    port = $PP
  }
  inet_listener pop3s {
    port = $PS
    ssl = yes
  }
}
EOF
bgrun dovecot -F -c "$M/dc/dovecot.conf"
wait_port "$PS" || { echo "Bail out! dovecot did not start: $(cat "$M/dc/dovecot.log" 2>/dev/null)"; exit 1; }
run_net -v -w 10 --cafile "$T/pki/root.pem" --verify "imap://127.0.0.1:$I" \
    "pop3://127.0.0.1:$PP" "imaps://127.0.0.1:$IS" "pop3s://127.0.0.1:$PS"
is "$rc" 0 "dovecot: imap, pop3, imaps, pop3s verify"
for u in "imap://127.0.0.1:$I" "pop3://127.0.0.1:$PP" "imaps://127.0.0.1:$IS" "pop3s://127.0.0.1:$PS"; do
	like "$out" "ENDPOINT: $u \\(127.0.0.1:[0-9]+\\) TLSv1\\.[23], 2 certificates sent, verify ok" \
	    "dovecot: $u"
done
run_net -w 10 --connect-timeout 3 "imap://127.0.0.1:$IS"
is "$rc" 3 "imap:// on the IMAPS port: UNKNOWN"
like "$out" "ERROR: imap://127.0.0.1:$IS: (starttls|timeout): " "imap:// on the IMAPS port: the step"
done_testing
