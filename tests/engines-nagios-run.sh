#!/bin/sh
# A short real Nagios 4 run of the command definitions in
# contrib/nagios/check_cert_expiry.cfg: Nagios expands $USER1$ and $ARGn$
# (with the \! escape and the shell quoting of the filter) and runs the
# built plugin; status.dat shows its state and output.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/engines-lib.sh"
find_nagios
command -v setsid >/dev/null 2>&1 || skip_all "setsid (util-linux) not found"
[ -x "$PLUGIN" ] || skip_all "plugin not built: $PLUGIN"
scratch
N=$T/nagios
mkdir -p "$N/checkresults" "$N/plugins" "$N/certs"
NPID=
nagios_stop() {
	local i=0
	[ -n "$NPID" ] || return 0
	kill -TERM "$NPID" 2>/dev/null
	while [ $i -lt 100 ]; do
		case $(ps -o stat= -p "$NPID" 2>/dev/null) in
		''|Z*) break ;;
		esac
		sleep 0.2
		i=$((i + 1))
	done
	kill -KILL -- "-$NPID" 2>/dev/null
	wait "$NPID" 2>/dev/null
	rm -f "$N/watchdog.armed"
	[ -s "$N/watchdog.sleep" ] && kill "$(cat "$N/watchdog.sleep")" 2>/dev/null
	NPID=
	[ $i -lt 100 ]
}
trap 'nagios_stop; rm -rf "$T"' EXIT
trap 'exit 1' INT TERM HUP

ln -s "$PLUGIN" "$N/plugins/check_cert_expiry"
echo "\$USER1\$=$N/plugins" >"$N/resource.cfg"
for c in PC01:3 web01:20; do
	"$OPENSSL" req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
	    -nodes -keyout "$N/certs/${c%%:*}.key" -out "$N/certs/${c%%:*}.pem" \
	    -days "${c#*:}" -subj "/CN=${c%%:*}.nagios.test" 2>/dev/null
done

# Only the command definitions of the contrib file (its example services
# need hosts and templates of a stock installation).
sed -n '/^define command/,/^}/p' "$TOP_SRCDIR/contrib/nagios/check_cert_expiry.cfg" \
    >"$N/commands.cfg"
cat >"$N/objects.cfg" <<EOF
define timeperiod {
    timeperiod_name 24x7
    alias 24x7
    sunday 00:00-24:00
    monday 00:00-24:00
    tuesday 00:00-24:00
    wednesday 00:00-24:00
    thursday 00:00-24:00
    friday 00:00-24:00
    saturday 00:00-24:00
}
define command {
    command_name host-up
    command_line /bin/true
}
define contact {
    contact_name admin
    alias Admin
    service_notification_period 24x7
    host_notification_period 24x7
    service_notification_options n
    host_notification_options n
    service_notification_commands host-up
    host_notification_commands host-up
}
define contactgroup {
    contactgroup_name admins
    alias Admins
    members admin
}
define host {
    host_name localhost
    alias localhost
    address 127.0.0.1
    check_command host-up
    max_check_attempts 1
    check_period 24x7
    notification_period 24x7
    contact_groups admins
}
define service {
    name fast
    host_name localhost
    max_check_attempts 1
    check_interval 1
    retry_interval 1
    check_period 24x7
    notification_interval 0
    notification_period 24x7
    contact_groups admins
    register 0
}
define service {
    use fast
    service_description plain
    check_command check_cert_expiry!30!7!--skip-renewed $N/certs
}
define service {
    use fast
    service_description filter
    check_command check_cert_expiry_filter!30!7!^(?\!PC)!$N/certs
}
EOF
{
	cat <<EOF
log_file=$N/nagios.log
cfg_file=$N/commands.cfg
cfg_file=$N/objects.cfg
object_cache_file=$N/objects.cache
precached_object_file=$N/objects.precache
resource_file=$N/resource.cfg
status_file=$N/status.dat
status_update_interval=1
nagios_user=$(id -un)
nagios_group=$(id -gn)
check_external_commands=0
command_file=$N/nagios.cmd
lock_file=$N/nagios.lock
temp_file=$N/nagios.tmp
temp_path=$N
check_result_path=$N/checkresults
check_result_reaper_frequency=1
retain_state_information=0
state_retention_file=$N/retention.dat
use_syslog=0
check_for_updates=0
interval_length=1
service_inter_check_delay_method=n
host_inter_check_delay_method=n
max_service_check_spread=1
enable_notifications=0
execute_host_checks=0
EOF
	printf '%s\n' 'illegal_macro_output_chars=`~$&|'"'"'"<>'
} >"$N/nagios.cfg"

out=$(timeout 60 "$NAGIOS" -v "$N/nagios.cfg" 2>&1)
is "$?" 0 "nagios4 -v accepts the run configuration"

# Nagios in its own session; a watchdog ends it after 90 s whatever happens.
setsid "$NAGIOS" "$N/nagios.cfg" >"$N/console.log" 2>&1 </dev/null &
NPID=$!
: >"$N/watchdog.armed"
(
	sleep 90 &
	echo $! >"$N/watchdog.sleep"
	wait $!
	[ -f "$N/watchdog.armed" ] && [ -f "$N/nagios.lock" ] &&
		kill -KILL -- "-$NPID" 2>/dev/null
) &

# status.dat block of one service
svc() {
	awk -v d="service_description=$1" '
	    /^servicestatus \{/ { b = ""; on = 1 }
	    on { b = b $0 "\n" }
	    /^\t\}/ && on { on = 0; if (index(b, "\t" d "\n")) printf "%s", b }
	' "$N/status.dat" 2>/dev/null
}
i=0
while [ $i -lt 150 ]; do	# 30 s
	n=0
	for s in plain filter; do
		svc "$s" | grep -q 'has_been_checked=1' && n=$((n + 1))
	done
	[ $n -eq 2 ] && break
	sleep 0.2
	i=$((i + 1))
done
is "$n" 2 "Nagios ran both services within 30 s"
[ "$n" -eq 2 ] || sed 's/^/# /' "$N/console.log" | tail -n 20

plain=$(svc plain)
like "$plain" 'current_state=2' "check_cert_expiry!30!7!PATHS: CRITICAL"
like "$plain" 'plugin_output=CERT_EXPIRY CRITICAL - ' "with the plugin's status line"
like "$plain" 'performance_data=.*certificates=2' "and its perfdata"
filter=$(svc filter)
like "$filter" 'current_state=1' "check_cert_expiry_filter with ^(?\\!PC): WARNING"
like "$filter" 'web01\.nagios\.test' "web01 is reported"
unlike "$filter" 'PC01' "PC01 is filtered out: the regex arrived intact"

nagios_stop
ok $? "nagios4 stopped on SIGTERM within 20 s"

done_testing
