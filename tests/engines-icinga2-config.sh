#!/bin/sh
# Icinga 2 accepts contrib/icinga2: `icinga2 daemon -C` on a private config
# that includes the CheckCommand and the agent example.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/engines-lib.sh"
find_icinga2
scratch
C=$TOP_SRCDIR/contrib/icinga2

i2_prepare "$T/i2"
E=$I2_DIR/etc

# 1. The CheckCommand alone, with a service that sets every variable.
{
	i2_constants /usr/lib/nagios/plugins master.example.com
	cat <<EOF
object Endpoint NodeName { }
object Zone ZoneName { endpoints = [ NodeName ] }
include <itl>
include <plugins>
include "$C/check_cert_expiry.conf"
object Host "h" { check_command = "dummy" }
object Service "all-vars" {
	host_name = "h"
	check_command = "cert_expiry"
	vars.cert_expiry_path = [ "/etc/ssl", "/srv/ca exports/ca1.txt" ]
	vars.cert_expiry_warning = "60:"
	vars.cert_expiry_critical = 14
	vars.cert_expiry_filter = "^(?!PC)"
	vars.cert_expiry_exclude = "test"
	vars.cert_expiry_days = 30
	vars.cert_expiry_skip_renewed = true
	vars.cert_expiry_include_revoked = true
	vars.cert_expiry_forget_after = 30
	vars.cert_expiry_template = "WebServer"
	vars.cert_expiry_exclude_template = "^Machine"
	vars.cert_expiry_issuer = "Corp"
	vars.cert_expiry_no_follow = true
	vars.cert_expiry_exclude_path = [ "*/private", "*.old" ]
	vars.cert_expiry_skip_vendor_roots = true
	vars.cert_expiry_vendor_roots = "/usr/share/ca-certificates"
	vars.cert_expiry_jobs = 2
	vars.cert_expiry_timeout = 30
	vars.cert_expiry_now = "2027-01-01"
	vars.cert_expiry_output = "nagios"
	vars.cert_expiry_verbose = 2
	vars.cert_expiry_pkcs12_password_file = "/etc/icinga2/p12.pass"
	vars.cert_expiry_smtp_server = "smtp://127.0.0.1:2525"
	vars.cert_expiry_sender = "icinga@example.com"
	vars.cert_expiry_recipient = [ "a@example.com", "b@example.com" ]
	vars.cert_expiry_smtp_user = "icinga"
	vars.cert_expiry_smtp_password_file = "/etc/icinga2/smtp.pass"
	vars.cert_expiry_smtp_cafile = "/etc/ssl/certs/ca-certificates.crt"
	vars.cert_expiry_smtp_tls = "require"
	vars.cert_expiry_test_mail = false
	vars.cert_expiry_state_file = "/var/lib/icinga2/cert_expiry.state"
}
EOF
} >"$E/command.conf"
i2_validate "$E/command.conf"
is "$rc" 0 "icinga2 daemon -C accepts check_cert_expiry.conf with every variable set"
[ "$rc" -eq 0 ] || printf '%s\n' "$out" | tail -n 15 | sed 's/^/# /'

objs=$(i2 timeout 60 object list --type CheckCommand --name cert_expiry 2>&1)
like "$objs" 'Object .cert_expiry. of type .CheckCommand.' "the CheckCommand cert_expiry exists"
like "$objs" 'check_cert_expiry' "it runs PluginDir/check_cert_expiry"
like "$objs" '/usr/lib/nagios/plugins/check_cert_expiry' "PluginDir is honoured"
# Every option of the plugin has its cert_expiry_<option> variable.
missing=
for v in path warning critical filter exclude days skip_renewed include_revoked \
    forget_after template exclude_template issuer no_follow jobs timeout now \
    output verbose pkcs12_password_file smtp_server sender recipient \
    smtp_user smtp_password_file smtp_cafile smtp_tls test_mail state_file \
    exclude_path skip_vendor_roots vendor_roots; do
	grep -q "\\\$cert_expiry_$v\\\$" "$C/check_cert_expiry.conf" ||
		missing="$missing $v"
done
is "$missing" "" "a cert_expiry_<option> variable for every plugin option"
like "$objs" 'cert_expiry_warning.*30' "default warning 30 days"
like "$objs" 'cert_expiry_critical.*7' "default critical 7 days"

# 2. A typo in a service is caught: the validation is real.
cat >"$E/broken.conf" <<EOF
$(i2_constants /usr/lib/nagios/plugins master.example.com)
include <itl>
include <plugins>
include "$C/check_cert_expiry.conf"
object Host "h" { check_command = "dummy" }
object Service "s" { host_name = "h"; check_command = "cert_expiry_typo" }
EOF
i2_validate "$E/broken.conf"
ok "$([ "$rc" -ne 0 ] && echo 0 || echo 1)" "icinga2 daemon -C rejects an unknown check_command"
like "$out" "cert_expiry_typo" "and names it"

# 3. The agent example with its zones, as the master sees it: zones.conf,
# the CheckCommand in the global zone, the services in zones.d/master/.
mkdir -p "$E/zones.d/master" "$E/zones.d/global-templates"
cp "$C/example-agents.conf" "$E/zones.d/master/cert_expiry.conf"
cp "$C/check_cert_expiry.conf" "$E/zones.d/global-templates/cert_expiry.conf"
{
	i2_constants /usr/lib/nagios/plugins master.example.com
	cat <<EOF
include "$C/example-zones.conf"
include <itl>
include <plugins>
EOF
} >"$E/agents.conf"
i2_validate "$E/agents.conf"
is "$rc" 0 "icinga2 daemon -C accepts example-zones.conf + example-agents.conf"
[ "$rc" -eq 0 ] || printf '%s\n' "$out" | tail -n 15 | sed 's/^/# /'

svcs=$(i2 timeout 60 object list --type Service 2>&1)
like "$svcs" "Object 'web01.example.com!certificates'" "the apply rule gives web01 its certificate check"
like "$svcs" "Object 'db01.example.com!certificates'" "and db01"
unlike "$svcs" "Object 'master.example.com!certificates'" "but not the master, which is no agent"
like "$svcs" "Object 'master.example.com!issued-certificates'" "the master reads the CA exports"
web=$(i2 timeout 60 object list --type Service --name 'web01.example.com!certificates' 2>&1)
like "$web" 'command_endpoint = "web01.example.com"' "web01's check runs on web01 (command_endpoint)"
like "$web" '/etc/nginx/certs' "with the host's own paths"

done_testing
