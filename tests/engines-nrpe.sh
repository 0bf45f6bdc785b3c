#!/bin/sh
# contrib/nagios/nrpe.cfg in the real daemon: nrpe (nagios-nrpe-server)
# started from a private config on a high loopback port, running its
# commands as the nagios user, the shipped command file included (only the
# plugin's path changed to the built one), queried by check_nrpe
# (nagios-nrpe-plugin) as a Nagios server would. The shipped command on
# this host's own /etc/ssl, and the same command line on fixtures.
. "$TOP_SRCDIR/tests/lib.sh"
[ -x "$PLUGIN" ] || skip_all "plugin not built: $PLUGIN"
[ "$(id -u)" -eq 0 ] || skip_all "needs root: nrpe switches to the nagios user itself"
NRPE=${NRPE:-/usr/sbin/nrpe}
CHECK_NRPE=${CHECK_NRPE:-/usr/lib/nagios/plugins/check_nrpe}
# CI installs both (contrib/bootstrap.sh): missing is a failure, not a skip
if [ ! -x "$NRPE" ] || [ ! -x "$CHECK_NRPE" ] || ! id nagios >/dev/null 2>&1; then
	ok 1 "nrpe and check_nrpe installed (apt-get install nagios-nrpe-server nagios-nrpe-plugin)"
	done_testing
	exit 1
fi
C=$TOP_SRCDIR/contrib/nagios
SHIPPED='/usr/lib/nagios/plugins/check_cert_expiry'

# nagios must reach the fixtures and the config: /tmp, not the build tree
D=$(mktemp -d /tmp/cce-nrpe.XXXXXX)
chmod 755 "$D"
pid=
stop() {
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	gone=$(kill -0 "$pid" 2>/dev/null && echo 1 || echo 0)
	pid=
}
trap 'stop; rm -rf "$D"' EXIT

# fixtures made by openssl: a WARNING certificate next to its 0600 key, a
# CRITICAL one, and a certificate nagios cannot read
cert() {	# cert FILE CN DAYS
	"$OPENSSL" req -x509 -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1" \
	    -subj "/CN=$2" -days "$3" >/dev/null 2>&1 || echo "# openssl failed for $1"
	chmod 644 "$1"
	chmod 600 "$1.key"
}
mkdir -p "$D/web" "$D/crit" "$D/locked"
cert "$D/web/site.crt" site.nrpe.test 20
cert "$D/crit/soon.pem" soon.nrpe.test 2
cert "$D/locked/server.pem" locked.nrpe.test 200
chmod 600 "$D/locked/server.pem"

# the shipped command file, only the plugin's path changed
sed "s#$SHIPPED#$PLUGIN#g" "$C/nrpe.cfg" >"$D/check_cert_expiry.cfg"
back=$(sed "s#$PLUGIN#$SHIPPED#g" "$D/check_cert_expiry.cfg" | cmp - "$C/nrpe.cfg" >/dev/null && echo same)
is "$back" same "the included command file is the shipped one but for the plugin's path"
main=$(grep '^command\[check_cert_expiry\]=' "$D/check_cert_expiry.cfg")
like "$main" ' -p /etc/ssl' "the shipped check_cert_expiry command scans /etc/ssl"
# the same command line, pointed at a fixture where a test needs one
fixture() {	# fixture NAME DIR: command[NAME] = the shipped line on DIR
	printf '%s\n' "$main" | sed "s#^command\\[check_cert_expiry\\]#command[$1]#; s# -p /etc/ssl# -p $2#"
}

start() {	# start PORT [-n]: nrpe in the foreground (-f), $pid, waits for it
	cat >"$D/nrpe.cfg" <<EOF
log_facility=daemon
debug=0
pid_file=$D/nrpe.pid
server_port=$1
server_address=127.0.0.1
nrpe_user=nagios
nrpe_group=nagios
allowed_hosts=127.0.0.1
dont_blame_nrpe=0
allow_bash_command_substitution=0
command_timeout=60
connection_timeout=60
disable_syslog=1
include=$D/check_cert_expiry.cfg
$(fixture cce_web "$D/web")
$(fixture cce_crit "$D/crit")
$(fixture cce_locked "$D/locked")
EOF
	"$NRPE" -c "$D/nrpe.cfg" -f ${2:-} >"$D/nrpe.out" 2>&1 &
	pid=$!
	i=0
	while [ $i -lt 50 ]; do
		kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; pid=; return 1; }
		v=$(timeout 10 "$CHECK_NRPE" -H 127.0.0.1 -p "$1" -t 5 ${2:-} 2>&1) &&
			return 0
		sleep 0.2
		i=$((i + 1))
	done
	stop
	return 1
}

# a free high port on loopback (a few tries), with SSL as shipped; without
# SSL (-n on both sides) only if this nrpe/OpenSSL pair cannot do it
ssl=
port=$((20000 + $$ % 20000))
started=1
for try in 1 2 3 4 5; do
	if start "$port"; then started=0; break; fi
	if grep -qi 'bind\|address already in use' "$D/nrpe.out" 2>/dev/null; then
		port=$((port + 997))
		continue
	fi
	echo "# nrpe with SSL did not answer ($(head -c 200 "$D/nrpe.out") $v): trying -n"
	ssl=-n
	if start "$port" -n; then started=0; break; fi
	port=$((port + 997))
	ssl=
done
ok "$started" "nrpe started from $D/nrpe.cfg on 127.0.0.1:$port (pid $pid${ssl:+, without SSL})"
like "$v" '^NRPE v[0-9]' "check_nrpe reaches it: $v"
is "$(ps -o user= -p "${pid:-0}" 2>/dev/null | tr -d ' ')" nagios "the daemon runs as nagios"

q() {	# q COMMAND: check_nrpe -c COMMAND; $out, $rc
	out=$(timeout 70 "$CHECK_NRPE" -H 127.0.0.1 -p "$port" -t 60 $ssl -c "$1" 2>&1)
	rc=$?
}

# the shipped command on this host's real /etc/ssl
q check_cert_expiry
ok "$([ "$rc" -le 1 ] && echo 0 || echo 1)" "check_cert_expiry (shipped) on this host's /etc/ssl: exit $rc, OK or WARNING"
case $rc in 0) want=OK ;; 1) want=WARNING ;; 2) want=CRITICAL ;; *) want=UNKNOWN ;; esac
like "$out" "^CERT_EXPIRY $want - " "the status line says $want, as the exit code"
like "$out" ' vendor=[1-9][0-9]*;;;0' "the vendor's roots are counted, not alerted"
unlike "$out" 'ERROR|Permission denied|No such file' "no error as nagios (private/ skipped, no /etc/pki on Debian)"

q cce_web
is "$rc" 1 "the shipped command on a certificate with its 0600 key: exit 1"
like "$out" '^CERT_EXPIRY WARNING - 0 critical, 1 warning, 0 ok of 1 certificate; site\.nrpe\.test expires' \
    "WARNING, naming the certificate"
unlike "$out" 'ERROR' "the key beside it is no error"

q cce_crit
is "$rc" 2 "a certificate with 2 days left: exit 2"
like "$out" '^CERT_EXPIRY CRITICAL - 1 critical.*soon\.nrpe\.test' "CRITICAL, naming it"

q cce_locked
is "$rc" 3 "a certificate nagios cannot read: exit 3"
like "$out" "^CERT_EXPIRY UNKNOWN - .*$D/locked/server\\.pem: Permission denied \\(the plugin runs as user nagios" \
    "UNKNOWN naming the file and the user nagios (the command ran as nagios)"

q cce_not_defined
ok "$([ "$rc" -ne 0 ] && echo 0 || echo 1)" "an undefined command is refused (exit $rc): the commands come from this config"

stop
is "${gone:-1}" 0 "nrpe stopped by its PID"

done_testing
