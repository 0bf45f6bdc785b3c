#!/bin/sh
# The agent setup of contrib/icinga2/example-agents.conf, for real: two
# Icinga 2 instances on 127.0.0.1 (a master and an agent, TLS with a private
# CA), a Service applied with command_endpoint = host.vars.agent_endpoint.
# The master's PluginDir holds a stand-in that says "ran on the master"; the
# agent's holds the real plugin: the master must receive the agent's result.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/engines-lib.sh"
find_icinga2
command -v setsid >/dev/null 2>&1 || skip_all "setsid (util-linux) not found"
[ -x "$PLUGIN" ] || skip_all "plugin not built: $PLUGIN"
[ -x /usr/bin/python3 ] || skip_all "/usr/bin/python3 needed to pick free ports"
scratch
C=$TOP_SRCDIR/contrib/icinga2
MA=$T/master
AG=$T/agent
trap 'I2_DIR=$AG I2_PID=${AG_PID:-}; i2_stop; I2_DIR=$MA I2_PID=${MA_PID:-}; i2_stop; rm -rf "$T"' EXIT
trap 'exit 1' INT TERM HUP

ports=$(/usr/bin/python3 -c '
import socket
ss = [socket.socket() for _ in range(2)]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))')
MPORT=${ports% *}
APORT=${ports#* }

# A private CA and one certificate per endpoint (CN = endpoint name).
K=$T/pki
mkdir -p "$K"
"$OPENSSL" req -x509 -newkey rsa:2048 -nodes -keyout "$K/ca.key" -out "$K/ca.crt" \
    -days 30 -subj "/CN=Test Icinga CA" 2>/dev/null
for n in master.test agent.test; do
	"$OPENSSL" req -newkey rsa:2048 -nodes -keyout "$K/$n.key" -out "$K/$n.csr" \
	    -subj "/CN=$n" 2>/dev/null &&
	"$OPENSSL" x509 -req -in "$K/$n.csr" -CA "$K/ca.crt" -CAkey "$K/ca.key" \
	    -CAcreateserial -days 30 -out "$K/$n.crt" 2>/dev/null
done
ok "$([ -s "$K/agent.test.crt" ] && echo 0 || echo 1)" "TLS certificates for master.test and agent.test"

# zones.conf, the same on both sides (as `icinga2 node wizard` writes it).
zones() {
	cat <<EOF
object Endpoint "master.test" { host = "127.0.0.1"; port = "$MPORT" }
object Endpoint "agent.test" { host = "127.0.0.1"; port = "$APORT" }
object Zone "master" { endpoints = [ "master.test" ] }
object Zone "agent.test" { endpoints = [ "agent.test" ]; parent = "master" }
object Zone "global-templates" { global = true }
EOF
}
# common DIR NODENAME PORT PLUGINDIR
common() {
	i2_constants "$4" "$2"
	cat <<EOF
include "zones.conf"
include <itl>
include <plugins>
object IcingaApplication "app" { }
object FileLogger "log" { path = "$1/log/icinga2.log"; severity = "notice" }
object ApiListener "api" {
	bind_host = "127.0.0.1"
	bind_port = $3
	accept_commands = true
	accept_config = true
}
EOF
}
for side in master agent; do
	D=$T/$side
	i2_prepare "$D"
	mkdir -p "$D/data/certs" "$D/plugins"
	cp "$K/$side.test.crt" "$K/$side.test.key" "$D/data/certs/"
	cp "$K/ca.crt" "$D/data/certs/ca.crt"
	zones >"$D/etc/zones.conf"
done

# The agent: the real plugin, certificates to check, and the CheckCommand
# from its own ITL copy (what the Debian package provides).
ln -s "$PLUGIN" "$AG/plugins/check_cert_expiry"
mkdir -p "$AG/ssl" "$AG/pki"
"$OPENSSL" req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$AG/ssl/web.key" -out "$AG/ssl/web.pem" -days 5 \
    -subj /CN=web.agent.test 2>/dev/null
{
	common "$AG" agent.test "$APORT" "$AG/plugins"
	echo "include \"$C/check_cert_expiry.conf\""
} >"$AG/etc/icinga2.conf"

# The master: the contrib example's apply rule, a stand-in plugin, the
# CheckCommand in its global zone, a checker and a perfdata file.
cat >"$MA/plugins/check_cert_expiry" <<'EOF'
#!/bin/sh
echo "CERT_EXPIRY OK - ran on the master"
exit 0
EOF
chmod +x "$MA/plugins/check_cert_expiry"
mkdir -p "$MA/etc/zones.d/master" "$MA/etc/zones.d/global-templates"
cp "$C/check_cert_expiry.conf" "$MA/etc/zones.d/global-templates/"
# the example's apply rule, unchanged, and a host like its template
sed -n '/^apply Service "certificates"/,/^}/p' "$C/example-agents.conf" \
    >"$MA/etc/zones.d/master/services.conf"
cat >"$MA/etc/zones.d/master/hosts.conf" <<EOF
object Host "agent.test" {
	check_command = "dummy"
	address = "127.0.0.1"
	vars.agent_endpoint = name
	vars.cert_expiry_path = [ "$AG/ssl", "$AG/pki" ]
}
EOF
{
	common "$MA" master.test "$MPORT" "$MA/plugins"
	cat <<EOF
object CheckerComponent "checker" { }
object PerfdataWriter "perfdata" {
	service_perfdata_path = "$MA/spool/perfdata/service-perfdata"
	service_temp_path = "$MA/spool/tmp/service-perfdata"
	host_perfdata_path = "$MA/spool/perfdata/host-perfdata"
	host_temp_path = "$MA/spool/tmp/host-perfdata"
	service_format_template = "SERVICE::\$host.name\$!\$service.name\$\tSTATE::\$service.state\$\tPERF::\$service.perfdata\$\tOUTPUT::\$service.output\$"
	rotation_interval = 1s
}
/* check every second here, not every 6 hours as in the example */
apply Service "certificates-fast" {
	import "generic-service"
	check_command = "cert_expiry"
	command_endpoint = host.vars.agent_endpoint
	check_interval = 1s
	retry_interval = 1s
	vars.cert_expiry_path = host.vars.cert_expiry_path
	vars.cert_expiry_no_follow = true
	zone = "master"
	assign where host.vars.agent_endpoint
}
template Service "generic-service" { max_check_attempts = 1 }
EOF
} >"$MA/etc/icinga2.conf"

I2_DIR=$AG
i2_validate "$AG/etc/icinga2.conf"
is "$rc" 0 "the agent's configuration validates"
[ "$rc" -eq 0 ] || printf '%s\n' "$out" | tail -n 10 | sed 's/^/# /'
I2_DIR=$MA
i2_validate "$MA/etc/icinga2.conf"
is "$rc" 0 "the master's configuration (example apply rule in zones.d/master) validates"
[ "$rc" -eq 0 ] || printf '%s\n' "$out" | tail -n 10 | sed 's/^/# /'
objs=$(i2 timeout 60 object list --type Service --name 'agent.test!certificates' 2>&1)
like "$objs" 'command_endpoint = "agent.test"' "the example's rule sends the check to the agent"

I2_DIR=$AG
i2_start "$AG/etc/icinga2.conf"
ok $? "agent started"
AG_PID=$I2_PID
I2_DIR=$MA
i2_start "$MA/etc/icinga2.conf"
ok $? "master started"
MA_PID=$I2_PID

perf() {
	cat "$MA"/spool/perfdata/service-perfdata.* 2>/dev/null |
	    grep '^SERVICE::agent.test!certificates-fast	'
}
i=0
while [ $i -lt 150 ]; do	# 30 s for the connection and a check
	perf | grep -q 'STATE::CRITICAL' && break
	sleep 0.2
	i=$((i + 1))
done
res=$(perf | grep 'STATE::CRITICAL' | head -n 1)
like "$res" 'OUTPUT::CERT_EXPIRY CRITICAL - ' "the master shows the result the agent's plugin produced"
like "$res" 'web\.agent\.test' "about the agent's certificate"
like "$res" 'PERF::[^	]*certificates=1' "with its perfdata"
unlike "$(perf)" 'ran on the master' "the plugin never ran on the master"
if [ -z "$res" ]; then
	perf | tail -n 3 | sed 's/^/# /'
	grep -iE 'critical|warning/Api|JsonRpc' "$MA/log/icinga2.log" | tail -n 5 | sed 's/^/# master: /'
fi

I2_DIR=$MA I2_PID=$MA_PID
i2_stop
ok $? "master stopped"
MA_PID=
I2_DIR=$AG I2_PID=$AG_PID
i2_stop
ok $? "agent stopped"
AG_PID=

done_testing
