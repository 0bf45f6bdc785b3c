#!/bin/sh
# Nagios accepts contrib/nagios/check_cert_expiry.cfg: `nagios4 -v` on a
# private nagios.cfg (the stock templates the example uses are given here),
# and the NRPE command lines are well formed.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/engines-lib.sh"
find_nagios
scratch
C=$TOP_SRCDIR/contrib/nagios
N=$T/nagios
mkdir -p "$N/checkresults"

# nagios_cfg OBJECT-FILE...: a private main config reading the given files.
nagios_cfg() {
	cat <<EOF
log_file=$N/nagios.log
object_cache_file=$N/objects.cache
precached_object_file=$N/objects.precache
resource_file=$N/resource.cfg
status_file=$N/status.dat
nagios_user=$(id -un)
nagios_group=$(id -gn)
check_external_commands=0
command_file=$N/nagios.cmd
lock_file=$N/nagios.lock
temp_file=$N/nagios.tmp
temp_path=$N
check_result_path=$N/checkresults
state_retention_file=$N/retention.dat
use_syslog=0
check_for_updates=0
cfg_file=$N/base.cfg
EOF
	# as in the stock nagios.cfg
	printf '%s\n' 'illegal_macro_output_chars=`~$&|'"'"'"<>'
	for f; do
		echo "cfg_file=$f"
	done
}

echo '$USER1$=/usr/lib/nagios/plugins' >"$N/resource.cfg"
# What the stock sample configuration provides and the example uses.
cat >"$N/base.cfg" <<'EOF'
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
    command_name check-host-alive
    command_line $USER1$/check_ping -H $HOSTADDRESS$ -w 3000.0,80% -c 5000.0,100% -p 5
}
define command {
    command_name notify-by-email
    command_line /bin/true
}
define contact {
    contact_name admin
    alias Admin
    service_notification_period 24x7
    host_notification_period 24x7
    service_notification_options w,u,c,r
    host_notification_options d,u,r
    service_notification_commands notify-by-email
    host_notification_commands notify-by-email
}
define contactgroup {
    contactgroup_name admins
    alias Admins
    members admin
}
define host {
    name generic-host
    register 0
}
define service {
    name generic-service
    register 0
}
define host {
    use generic-host
    host_name localhost
    alias localhost
    address 127.0.0.1
    check_command check-host-alive
    max_check_attempts 3
    check_period 24x7
    notification_period 24x7
    contact_groups admins
}
EOF

nagios_cfg "$C/check_cert_expiry.cfg" >"$N/nagios.cfg"
out=$(timeout 60 "$NAGIOS" -v "$N/nagios.cfg" 2>&1)
rc=$?
is "$rc" 0 "nagios4 -v accepts contrib/nagios/check_cert_expiry.cfg"
[ "$rc" -eq 0 ] || printf '%s\n' "$out" | grep -iE 'error|warning' | head -n 10 | sed 's/^/# /'
like "$out" 'Total Errors: +0' "no errors"
like "$out" 'Total Warnings: +0' "no warnings"
like "$out" 'Checked 5 services' "the five example services are defined"
like "$out" 'Checked 7 commands' "the five check_cert_expiry commands are defined"

# The validation is real: a service with an unknown command is refused.
cat >"$N/broken.cfg" <<'EOF'
define service {
    use                     generic-service
    host_name               localhost
    service_description     Broken
    check_command           check_cert_expiry_typo!30!7!/etc/ssl
    max_check_attempts      1
    check_interval          5
    retry_interval          1
    check_period            24x7
    notification_interval   0
    notification_period     24x7
    contact_groups          admins
}
EOF
nagios_cfg "$C/check_cert_expiry.cfg" "$N/broken.cfg" >"$N/broken-nagios.cfg"
out=$(timeout 60 "$NAGIOS" -v "$N/broken-nagios.cfg" 2>&1)
rc=$?
ok "$([ "$rc" -ne 0 ] && echo 0 || echo 1)" "nagios4 -v rejects a service with an unknown command"
like "$out" 'check_cert_expiry_typo' "and names it"

# Recipient lists: ';' would start a comment in a Nagios object file.
unlike "$(grep -v '^ *#' "$C/check_cert_expiry.cfg")" '@[^ ]*;' "no ';' inside an address list"

# NRPE: every active command line runs the installed plugin by absolute path
# and keeps its --timeout below NRPE's default command_timeout (60).
lines=$(grep '^command\[' "$C/nrpe.cfg")
n=$(printf '%s\n' "$lines" | grep -c .)
ok "$([ "$n" -ge 1 ] && echo 0 || echo 1)" "nrpe.cfg defines commands ($n)"
bad=$(printf '%s\n' "$lines" |
    grep -vE '^command\[[A-Za-z0-9_]+\]=/usr/lib/nagios/plugins/check_cert_expiry ')
is "$bad" "" "each is command[NAME]=/usr/lib/nagios/plugins/check_cert_expiry ..."
bad=$(printf '%s\n' "$lines" | grep -vE -- '--timeout=([1-5][0-9]|[1-9]) ')
is "$bad" "" "each sets --timeout below 60 s"
like "$lines" '^command\[check_cert_expiry\]=' "the command check_nrpe -c check_cert_expiry calls exists"

done_testing
