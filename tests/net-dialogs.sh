#!/bin/sh
# Endpoints whose STARTTLS dialog is the plugin's own, against real
# servers from configs in $T on free loopback ports: slapd (LDAP StartTLS
# and LDAPS; StartTLS refused by a slapd without TLS), PostgreSQL
# (SSLRequest; 'N' after ssl=off and a reload), vsftpd (AUTH TLS without a
# login, implicit FTPS, AUTH TLS refused), prosody (XMPP <starttls/> with
# the URL host as the domain; an unknown domain).
. "$TOP_SRCDIR/tests/lib.sh"
scratch
. "$TOP_SRCDIR/tests/net-lib.sh"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
need slapd vsftpd prosody "${PGBIN:-/usr/lib/postgresql/15/bin}/postgres"

mk_pki
chmod 755 "$T"
S=$T/srv
mkdir -p "$S"
chmod 755 "$S"
cp "$T/pki/www.test.example.chain.pem" "$S/cert.pem"
cp "$T/pki/www.test.example.key" "$S/key.pem"
chmod 644 "$S/cert.pem" "$S/key.pem"
CA="--cafile $T/pki/root.pem"

# --- slapd: StartTLS and LDAPS; one without TLS refuses StartTLS
L=$(free_port)
LS=$(free_port)
LN=$(free_port)
for n in tls none; do
	mkdir -p "$S/ldap-$n"
	cat >"$S/ldap-$n/slapd.conf" <<EOF
include /etc/ldap/schema/core.schema
pidfile $S/ldap-$n/slapd.pid
argsfile $S/ldap-$n/slapd.args
modulepath /usr/lib/ldap
moduleload back_mdb
database mdb
suffix "dc=test,dc=example"
directory $S/ldap-$n
EOF
done
sed -i "/^pidfile/i TLSCertificateFile $S/cert.pem\nTLSCertificateKeyFile $S/key.pem" \
    "$S/ldap-tls/slapd.conf"
bgrun slapd -d 0 -f "$S/ldap-tls/slapd.conf" -h "ldap://127.0.0.1:$L/ ldaps://127.0.0.1:$LS/"
bgrun slapd -d 0 -f "$S/ldap-none/slapd.conf" -h "ldap://127.0.0.1:$LN/"
wait_port "$LS" && wait_port "$LN" || echo "# slapd did not start: $(tail -5 "$T/bg.log")"
# shellcheck disable=SC2086
run_net -v -w 10 $CA --verify "ldap://127.0.0.1:$L" "ldaps://127.0.0.1:$LS"
is "$rc" 0 "slapd: StartTLS and LDAPS verify"
like "$out" "ENDPOINT: ldap://127.0.0.1:$L \\(127.0.0.1:$L\\) TLSv1\\.[23], 2 certificates sent, verify ok" \
    "slapd: ldap:// StartTLS extended operation"
like "$out" "ENDPOINT: ldaps://127.0.0.1:$LS .* 2 certificates sent, verify ok" "slapd: ldaps://"
run_net -w 10 "ldap://127.0.0.1:$LN"
is "$rc" 3 "slapd without TLS: UNKNOWN"
like "$out" "ERROR: ldap://127.0.0.1:$LN: starttls: StartTLS refused \\(LDAP result code [0-9]+\\)" \
    "slapd without TLS: StartTLS refused, with the result code"

# --- PostgreSQL: SSLRequest (the server refuses to run as root)
PG=$(free_port)
mkdir -p "$S/pg"
cp "$S/cert.pem" "$S/pg/server.crt"
cp "$S/key.pem" "$S/pg/server.key"
chmod 600 "$S/pg/server.key"
AS=
if [ "$(id -u)" -eq 0 ]; then
	chown -R postgres "$S/pg"
	AS="setpriv --reuid postgres --regid postgres --init-groups"
fi
$AS "$PGBIN/initdb" -D "$S/pg/data" -A trust -U postgres >"$S/pg/initdb.log" 2>&1 ||
	echo "# initdb failed: $(tail -3 "$S/pg/initdb.log")"
cat >>"$S/pg/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG
unix_socket_directories = '$S/pg'
ssl = on
ssl_cert_file = '$S/pg/server.crt'
ssl_key_file = '$S/pg/server.key'
EOF
bgrun $AS "$PGBIN/postgres" -D "$S/pg/data"
PGPID=$LAST_PID
wait_port "$PG" || echo "# postgres did not start: $(tail -5 "$T/bg.log")"
# shellcheck disable=SC2086
run_net -v -w 10 $CA --verify "postgres://127.0.0.1:$PG"
is "$rc" 0 "postgres: SSLRequest, verified"
like "$out" "OK: www.test.example .*\\[postgres://127.0.0.1:$PG depth 0\\]" "postgres: the leaf"
sed -i 's/^ssl = on/ssl = off/' "$S/pg/data/postgresql.conf"
kill -HUP "$PGPID"
for _ in $(seq 50); do	# until the reload took
	run_net -w 10 "postgres://127.0.0.1:$PG"
	[ "$rc" -eq 3 ] && break
	sleep 0.1
done
like "$out" "ERROR: postgres://127.0.0.1:$PG: starttls: the server does not accept SSL \\(SSLRequest answered 'N'\\)" \
    "postgres with ssl=off: the step and why"

# --- vsftpd: AUTH TLS (no login), implicit FTPS, AUTH TLS refused
F=$(free_port)
FS=$(free_port)
FN=$(free_port)
mkdir -p "$S/ftp/empty"
for m in explicit implicit none; do
	cat >"$S/ftp/$m.conf" <<EOF
listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
background=NO
anonymous_enable=NO
local_enable=YES
secure_chroot_dir=$S/ftp/empty
xferlog_enable=NO
vsftpd_log_file=$S/ftp/$m.log
rsa_cert_file=$S/cert.pem
rsa_private_key_file=$S/key.pem
EOF
done
printf 'listen_port=%s\nssl_enable=YES\n' "$F" >>"$S/ftp/explicit.conf"
printf 'listen_port=%s\nssl_enable=YES\nimplicit_ssl=YES\n' "$FS" >>"$S/ftp/implicit.conf"
printf 'listen_port=%s\nssl_enable=NO\n' "$FN" >>"$S/ftp/none.conf"
for m in explicit implicit none; do
	bgrun vsftpd "$S/ftp/$m.conf"
done
wait_port "$F" && wait_port "$FS" && wait_port "$FN" || echo "# vsftpd did not start"
# shellcheck disable=SC2086
run_net -v -w 10 $CA --verify "ftp://127.0.0.1:$F" "ftps://127.0.0.1:$FS"
is "$rc" 0 "vsftpd: AUTH TLS and implicit FTPS verify"
like "$out" "ENDPOINT: ftp://127.0.0.1:$F .* 2 certificates sent, verify ok" "vsftpd: ftp:// AUTH TLS"
like "$out" "ENDPOINT: ftps://127.0.0.1:$FS .* 2 certificates sent, verify ok" "vsftpd: ftps://"
unlike "$(cat "$S/ftp/explicit.log" 2>/dev/null)" "OK LOGIN|FAIL LOGIN" "vsftpd: no login tried"
run_net -w 10 "ftp://127.0.0.1:$FN"
like "$out" "ERROR: ftp://127.0.0.1:$FN: starttls: AUTH TLS refused \\(FTP reply 5[0-9][0-9]\\)" \
    "vsftpd without TLS: AUTH TLS refused"

# --- prosody: XMPP STARTTLS for the URL's domain
X=$(free_port)
mkdir -p "$S/xmpp/data"
cat >"$S/xmpp/prosody.cfg.lua" <<EOF
run_as_root = true
daemonize = false
pidfile = "$S/xmpp/prosody.pid"
data_path = "$S/xmpp/data"
log = { info = "$S/xmpp/prosody.log"; error = "$S/xmpp/prosody.log" }
modules_enabled = { "tls"; "saslauth"; "disco" }
modules_disabled = { "s2s" }
c2s_ports = { $X }
c2s_interfaces = { "127.0.0.1" }
s2s_ports = { }
http_ports = { }
https_ports = { }
c2s_require_encryption = true
VirtualHost "www.test.example"
	ssl = { certificate = "$S/cert.pem"; key = "$S/key.pem" }
EOF
bgrun prosody --config "$S/xmpp/prosody.cfg.lua" -F
wait_port "$X" || echo "# prosody did not start: $(tail -5 "$S/xmpp/prosody.log" 2>/dev/null)"
# shellcheck disable=SC2086
run_net -v -w 10 $CA --verify --connect-to "www.test.example:5222:127.0.0.1:$X" \
    "xmpp://www.test.example"
is "$rc" 0 "prosody: XMPP STARTTLS, verified for the domain"
like "$out" "ENDPOINT: xmpp://www.test.example:5222 \\(127.0.0.1:$X\\) TLSv1\\.[23], 2 certificates sent, verify ok, name matches" \
    "prosody: default port 5222 with --connect-to"
run_net -w 10 --connect-timeout 5 "xmpp://unknown.test.example:$X" \
    --connect-to "unknown.test.example:$X:127.0.0.1:$X"
like "$out" "ERROR: xmpp://unknown.test.example:$X: starttls: " "prosody, a domain it does not serve: starttls error"
done_testing
