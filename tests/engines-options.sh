#!/bin/sh
# The engine configurations and the plugin agree on the options: every long
# option the contrib files pass exists in the plugin's --help, and every
# option of the plugin has its cert_expiry_<option> variable in the Icinga 2
# CheckCommand.
. "$TOP_SRCDIR/tests/lib.sh"
[ -x "$PLUGIN" ] || skip_all "plugin not built: $PLUGIN"
C=$TOP_SRCDIR/contrib
help=$("$PLUGIN" --help 2>&1)
is "$?" 0 "check_cert_expiry --help exits 0"

# Long options in the plugin's help (the option column only).
plugin_opts=$(printf '%s\n' "$help" |
    sed -n 's/^  \{1,\}\(-[A-Za-z0-9], \)\{0,1\}\(--[a-z0-9-]*\).*/\2/p' | sort -u)
n=$(printf '%s\n' "$plugin_opts" | grep -c .)
ok "$([ "$n" -ge 25 ] && echo 0 || echo 1)" "--help lists the long options ($n)"

# Long options used by the contrib files (comments left out).
used=$( {
	grep -v '^[[:space:]]*/\{0,1\}\*' "$C/icinga2/check_cert_expiry.conf" |
	    grep -o '"--[a-z0-9-]*' | tr -d '"'
	grep -hv '^[[:space:]]*#' "$C/nagios/check_cert_expiry.cfg" "$C/nagios/nrpe.cfg" |
	    grep -o -- '--[a-z0-9-]*'
} | sort -u)
n=$(printf '%s\n' "$used" | grep -c .)
ok "$([ "$n" -ge 20 ] && echo 0 || echo 1)" "the contrib files use the long options ($n)"
unknown=
for o in $used; do
	printf '%s\n' "$plugin_opts" | grep -qx -- "$o" || unknown="$unknown $o"
done
is "$unknown" "" "every long option in contrib/icinga2 and contrib/nagios is one of the plugin's"

# Each plugin option has its Icinga 2 variable (not needed: help, version,
# list, which is --output=list).
missing=
for o in $plugin_opts; do
	case $o in --help|--version|--list) continue ;; esac
	v=cert_expiry_$(printf '%s' "${o#--}" | tr - _)
	grep -q "\\\$$v\\\$" "$C/icinga2/check_cert_expiry.conf" || missing="$missing $v"
done
is "$missing" "" "every plugin option has a cert_expiry_<option> variable"

# The short options the CheckCommand uses for repeated values and verbosity.
like "$help" '-p, --path=' "-p is --path"
like "$help" '-r, --recipient=' "-r is --recipient"
like "$help" '-v, --verbose' "-v is --verbose"

done_testing
