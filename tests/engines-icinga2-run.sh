#!/bin/sh
# A short real Icinga 2 run: the daemon (private directories, running as the
# current user) executes the CheckCommand cert_expiry against a fixture
# folder every second, and its PerfdataWriter and saved state show the
# plugin's state, output and perfdata. A second command with the same
# arguments runs a script that echoes its argv, to show exactly the command
# line Icinga builds from the cert_expiry_* variables.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/engines-lib.sh"
find_icinga2
command -v setsid >/dev/null 2>&1 || skip_all "setsid (util-linux) not found"
[ -x "$PLUGIN" ] || skip_all "plugin not built: $PLUGIN"
scratch
C=$TOP_SRCDIR/contrib/icinga2
i2_prepare "$T/i2"
E=$I2_DIR/etc
. "$TOP_SRCDIR/tests/net-lib.sh"
trap 'i2_stop; net_cleanup' EXIT
trap 'exit 1' INT TERM HUP

# An endpoint: openssl s_server with the test PKI (tests/net-lib.sh).
mk_pki
EPORT=$(free_port)
s_server "$EPORT"

# Certificates: one left 3 days (CRITICAL), one 20 (WARNING), one 400 (OK).
mkdir -p "$T/certs" "$T/metrics"
for c in soon:3 mid:20 later:400; do
	"$OPENSSL" req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
	    -nodes -keyout "$T/certs/${c%%:*}.key" -out "$T/certs/${c%%:*}.pem" \
	    -days "${c#*:}" -subj "/CN=${c%%:*}.icinga.test" 2>/dev/null
done
ok "$([ -s "$T/certs/later.pem" ] && echo 0 || echo 1)" "fixture certificates made with openssl"

# PluginDir: the built plugin, and a stand-in that shows its argv.
mkdir -p "$T/plugins"
ln -s "$PLUGIN" "$T/plugins/check_cert_expiry"
cat >"$T/plugins/cce-argv" <<'EOF'
#!/bin/sh
printf 'ARGV'
for a; do printf ' [%s]' "$a"; done
printf '\n'
exit 0
EOF
chmod +x "$T/plugins/cce-argv"

{
	i2_constants "$T/plugins" runner.test
	cat <<EOF
object Endpoint NodeName { }
object Zone ZoneName { endpoints = [ NodeName ] }
include <itl>
include <plugins>
include "$C/check_cert_expiry.conf"

object CheckCommand "cert_expiry_argv" {
	import "cert_expiry"
	command = [ PluginDir + "/cce-argv" ]
}

object IcingaApplication "app" { }
object CheckerComponent "checker" { }
object FileLogger "log" {
	path = "$I2_DIR/log/icinga2.log"
	severity = "notice"
}
object PerfdataWriter "perfdata" {
	service_perfdata_path = "$I2_DIR/spool/perfdata/service-perfdata"
	service_temp_path = "$I2_DIR/spool/tmp/service-perfdata"
	host_perfdata_path = "$I2_DIR/spool/perfdata/host-perfdata"
	host_temp_path = "$I2_DIR/spool/tmp/host-perfdata"
	service_format_template = "SERVICE::\$service.name\$\tSTATE::\$service.state\$\tEXIT::\$service.state_id\$\tPERF::\$service.perfdata\$\tOUTPUT::\$service.output\$"
	rotation_interval = 1s
}

object Host "runner.test" {
	check_command = "dummy"
	check_interval = 1s
}
template Service "fast" {
	host_name = "runner.test"
	check_interval = 1s
	retry_interval = 1s
	max_check_attempts = 1
}
object Service "real" {
	import "fast"
	check_command = "cert_expiry"
	vars.cert_expiry_path = "$T/certs"
	vars.cert_expiry_metrics_file = "$T/metrics/cert_expiry.prom"
}
object Service "endpoint" {
	import "fast"
	check_command = "cert_expiry"
	vars.cert_expiry_connect = "https://localhost:$EPORT"
	vars.cert_expiry_cafile = "$T/pki/root.pem"
	vars.cert_expiry_verify = true
	vars.cert_expiry_warning = 10
	vars.cert_expiry_connect_timeout = 5
}
object Service "endpoint-bad" {
	import "fast"
	check_command = "cert_expiry"
	vars.cert_expiry_connect = [ "https://127.0.0.1:$EPORT" ]
	vars.cert_expiry_verify = true
	vars.cert_expiry_warning = 10
}
object Service "argv-defaults" {
	import "fast"
	check_command = "cert_expiry_argv"
	vars.cert_expiry_path = "/srv/certs"
}
object Service "argv-all" {
	import "fast"
	check_command = "cert_expiry_argv"
	vars.cert_expiry_path = [ "/etc/ssl", "/srv/ca exports/ca1.txt" ]
	vars.cert_expiry_warning = "60:"
	vars.cert_expiry_critical = 14
	vars.cert_expiry_filter = "^(?!PC)"
	vars.cert_expiry_skip_renewed = true
	vars.cert_expiry_include_revoked = false
	vars.cert_expiry_no_follow = true
	vars.cert_expiry_skip_vendor_roots = true
	vars.cert_expiry_exclude_path = [ "*/private", "/etc/ssl/old *" ]
	vars.cert_expiry_verbose = 2
	vars.cert_expiry_recipient = [ "a@example.com", "b@example.com" ]
	vars.cert_expiry_smtp_tls = "require"
	vars.cert_expiry_test_mail = false
	vars.cert_expiry_connect = [ "https://www.example.com", "smtp://mx.example.com:2525" ]
	vars.cert_expiry_connect_to = "www.example.com:443:192.0.2.1:443"
	vars.cert_expiry_verify = true
	vars.cert_expiry_connect_timeout = 4
}
object Service "argv-verbose1" {
	import "fast"
	check_command = "cert_expiry_argv"
	vars.cert_expiry_path = "/srv/certs"
	vars.cert_expiry_verbose = true
}
EOF
} >"$E/icinga2.conf"

i2_validate "$E/icinga2.conf"
is "$rc" 0 "the run configuration validates"
[ "$rc" -eq 0 ] || printf '%s\n' "$out" | tail -n 15 | sed 's/^/# /'

i2_start "$E/icinga2.conf"
ok $? "icinga2 daemon started (private prefix, as $(id -un))"

# Wait (at most 30 s) until all six services have reported.
perf() {
	cat "$I2_DIR"/spool/perfdata/service-perfdata.* 2>/dev/null
}
i=0
while [ $i -lt 150 ]; do
	n=0
	for s in real argv-defaults argv-all argv-verbose1 endpoint endpoint-bad; do
		perf | grep -q "^SERVICE::$s	" && n=$((n + 1))
	done
	[ $n -eq 6 ] && break
	i2_exited && break
	sleep 0.2
	i=$((i + 1))
done
is "$n" 6 "every service was checked within 30 s"
[ "$n" -eq 6 ] || sed 's/^/# /' "$I2_DIR/log/console.log" | tail -n 20

line() {	# line SERVICE: its first perfdata line
	perf | grep "^SERVICE::$1	" | head -n 1
}
real=$(line real)
like "$real" '	STATE::CRITICAL	' "Icinga shows the plugin's state: CRITICAL"
like "$real" '	EXIT::2	' "from exit code 2"
like "$real" 'OUTPUT::CERT_EXPIRY CRITICAL - ' "with the plugin's status line"
like "$real" 'soon\.icinga\.test' "naming the certificate that expires"
like "$real" 'PERF::[^	]*certificates=3' "perfdata: 3 certificates"
like "$real" 'PERF::[^	]*critical=1' "perfdata: 1 critical"
like "$real" 'PERF::[^	]*warning=1' "perfdata: 1 warning"
# cert_expiry_metrics_file: the same run wrote the metrics for Prometheus
is "$(grep -c '^cert_expiry_not_after_seconds{' "$T/metrics/cert_expiry.prom" 2>&1)" 3 \
    "cert_expiry_metrics_file: the run wrote the 3 certificates' metrics"
is "$(tail -n 1 "$T/metrics/cert_expiry.prom" 2>&1)" "# EOF" "cert_expiry_metrics_file: # EOF last"

ep=$(line endpoint)
like "$ep" '	STATE::OK	' "cert_expiry_connect: the endpoint verifies, OK"
like "$ep" "PERF::[^	]*endpoints=1;;;0 '?localhost:$EPORT'?=" "cert_expiry_connect: endpoint perfdata"
epb=$(line endpoint-bad)
like "$epb" '	STATE::CRITICAL	' "cert_expiry_verify: untrusted chain, CRITICAL"
like "$epb" 'OUTPUT::CERT_EXPIRY CRITICAL - .*the chain does not verify' "cert_expiry_verify: says why"

args() {	# args SERVICE: the argv tokens, one per line, sorted
	line "$1" | sed -n 's/.*OUTPUT::ARGV //p' | sed 's/\] \[/]\n[/g' | sort
}
is "$(args argv-defaults | tr '\n' ' ')" \
    "[--critical] [--timeout] [--warning] [-p] [/srv/certs] [110] [30] [7] " \
    "defaults: -p PATH --warning 30 --critical 7 --timeout 110"
all=$(line argv-all)
like "$all" '\[-p\] \[/etc/ssl\] \[-p\] \[/srv/ca exports/ca1\.txt\]' \
    "a path array is repeated as -p, blanks kept inside one argument"
like "$all" '\[-r\] \[a@example\.com\] \[-r\] \[b@example\.com\]' \
    "a recipient array is repeated as -r"
like "$all" '\[--warning\] \[60:\]' "a warning range is passed as given"
like "$all" '\[--critical\] \[14\]' "critical overrides the default"
like "$all" '\[--filter\] \[\^\(\?!PC\)\]' "the filter regex arrives untouched"
like "$all" '\[--smtp-tls=require\]' "smtp_tls becomes --smtp-tls=require"
like "$all" '\[--skip-renewed\]' "a true flag is set"
like "$all" '\[--no-follow\]' "no_follow is set"
like "$all" '\[--skip-vendor-roots\]' "skip_vendor_roots is set"
like "$all" '\[--exclude-path\] \[\*/private\] \[--exclude-path\] \[/etc/ssl/old \*\]' \
    "an exclude_path array is repeated as --exclude-path, globs and blanks untouched"
like "$all" '\[--connect\] \[https://www\.example\.com\] \[--connect\] \[smtp://mx\.example\.com:2525\]' \
    "a connect array is repeated as --connect"
like "$all" '\[--connect-to\] \[www\.example\.com:443:192\.0\.2\.1:443\]' "connect_to"
like "$all" '\[--verify\]' "verify is set"
like "$all" '\[--connect-timeout\] \[4\]' "connect_timeout"
unlike "$all" 'include-revoked|test-mail' "false flags are left out"
like "$all" '\[-vv\]' "verbose 2 is -vv"
unlike "$all" '\[-v\]' "and not -v as well"
v1=$(line argv-verbose1)
like "$v1" '\[-v\]' "verbose true is -v"
unlike "$v1" '\[-vv\]' "and not -vv"

i2_stop
ok $? "icinga2 stopped on SIGTERM within 20 s"
state=$(cat "$I2_DIR/data/icinga2.state" 2>/dev/null)
like "$state" 'CERT_EXPIRY CRITICAL' "the saved state holds the plugin's output"

done_testing
