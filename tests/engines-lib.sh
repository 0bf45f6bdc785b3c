# Helpers for the engine tests (Icinga 2, Nagios). Source after lib.sh.
# Everything lives under the test's scratch directory $T; nothing touches
# /etc, /var or a running system instance.

# find_icinga2: sets $ICINGA2 or skips the whole test file, saying why.
find_icinga2() {
	ICINGA2=${ICINGA2:-$(command -v icinga2 2>/dev/null ||
	    { [ -x /usr/sbin/icinga2 ] && echo /usr/sbin/icinga2; })}
	[ -n "$ICINGA2" ] && [ -x "$ICINGA2" ] ||
		skip_all "icinga2 not installed (Debian: apt-get install icinga2-bin icinga2-common)"
	ITL_DIR=${ITL_DIR:-/usr/share/icinga2/include}
	[ -f "$ITL_DIR/itl" ] ||
		skip_all "Icinga 2 template library not found in $ITL_DIR (icinga2-common)"
}

# i2_prepare DIR: private config/state/cache/spool/run directories below DIR.
i2_prepare() {
	I2_DIR=$1
	mkdir -p "$I2_DIR/etc/zones.d" "$I2_DIR/data" "$I2_DIR/log" \
	    "$I2_DIR/cache" "$I2_DIR/spool/tmp" "$I2_DIR/spool/perfdata" \
	    "$I2_DIR/run"
}

# i2 [timeout SECS | setsid] COMMAND ARGS...: icinga2 with every path
# pointing below $I2_DIR, running as the current user (no privilege change).
# Do not wrap `icinga2 daemon` (without -C) in timeout(1): it signals the
# whole process group, and the worker ignores a SIGTERM that does not come
# from its umbrella process; see i2_start/i2_stop.
i2() {
	local cmd
	case $1 in
	timeout) cmd="timeout $2"; shift 2 ;;
	setsid) cmd="exec setsid"; shift ;;
	*) cmd= ;;
	esac
	$cmd "$ICINGA2" "$@" \
	    -DConfiguration.ConfigDir="$I2_DIR/etc" \
	    -DConfiguration.DataDir="$I2_DIR/data" \
	    -DConfiguration.LogDir="$I2_DIR/log" \
	    -DConfiguration.CacheDir="$I2_DIR/cache" \
	    -DConfiguration.SpoolDir="$I2_DIR/spool" \
	    -DConfiguration.InitRunDir="$I2_DIR/run" \
	    -DConfiguration.PidPath="$I2_DIR/run/icinga2.pid" \
	    -DConfiguration.StatePath="$I2_DIR/data/icinga2.state" \
	    -DConfiguration.ObjectsPath="$I2_DIR/cache/icinga2.debug" \
	    -DConfiguration.VarsPath="$I2_DIR/cache/icinga2.vars" \
	    -DConfiguration.ModAttrPath="$I2_DIR/data/modified-attributes.conf" \
	    -DConfiguration.ZonesDir="$I2_DIR/etc/zones.d" \
	    -DConfiguration.RunAsUser="$(id -un)" \
	    -DConfiguration.RunAsGroup="$(id -gn)"
}

# i2_constants PLUGINDIR NODENAME: the constants every config needs.
i2_constants() {
	cat <<EOF
const PluginDir = "$1"
const ManubulonPluginDir = "$1"
const PluginContribDir = "$1"
const NodeName = "$2"
const ZoneName = "$2"
const TicketSalt = ""
EOF
}

# i2_validate CONF: `icinga2 daemon -C` on CONF; sets $out and $rc.
i2_validate() {
	local o
	o=$(mktemp)
	rm -f "$I2_DIR/cache/icinga2.debug" "$I2_DIR/cache/icinga2.vars"
	i2 timeout 120 daemon -C -c "$1" >"$o" 2>&1
	rc=$?
	out=$(cat "$o")
	rm -f "$o"
}

# find_nagios: sets $NAGIOS or skips the whole test file.
find_nagios() {
	NAGIOS=${NAGIOS:-$(command -v nagios4 2>/dev/null ||
	    command -v nagios 2>/dev/null ||
	    { [ -x /usr/sbin/nagios4 ] && echo /usr/sbin/nagios4; })}
	[ -n "$NAGIOS" ] && [ -x "$NAGIOS" ] ||
		skip_all "nagios4 not installed (Debian: apt-get install nagios4-core)"
}

# i2_start CONF: start `icinga2 daemon -c CONF` in its own session (so that
# its umbrella, worker and plugins form one process group) with a watchdog
# that kills that group after ${I2_WATCHDOG:-90} seconds, whatever happens to
# this shell. Sets $I2_PID (the umbrella, our child) or returns 1.
i2_start() {
	local i
	rm -f "$I2_DIR/run/icinga2.pid"
	i2 setsid daemon -c "$1" >"$I2_DIR/log/console.log" 2>&1 </dev/null &
	I2_PID=$!
	i=0
	while [ $i -lt 100 ]; do	# 20 s for the configuration to load
		[ -s "$I2_DIR/run/icinga2.pid" ] && break
		i2_exited && break
		sleep 0.2
		i=$((i + 1))
	done
	: >"$I2_DIR/run/watchdog.armed"
	(
		sleep "${I2_WATCHDOG:-90}" &
		echo $! >"$I2_DIR/run/watchdog.sleep"
		wait $!
		# the umbrella removes its pid file when it exits
		[ -f "$I2_DIR/run/watchdog.armed" ] &&
		    [ -f "$I2_DIR/run/icinga2.pid" ] &&
			kill -KILL -- "-$I2_PID" 2>/dev/null
	) &
	[ -s "$I2_DIR/run/icinga2.pid" ] &&
	    [ "$(cat "$I2_DIR/run/icinga2.pid")" = "$I2_PID" ]
}

# i2_exited: the umbrella has exited (gone or a zombie not yet reaped).
i2_exited() {
	case $(ps -o stat= -p "$I2_PID" 2>/dev/null) in
	''|Z*) return 0 ;;
	esac
	return 1
}

# i2_stop: SIGTERM to the umbrella (it forwards to the worker, which saves
# its state); after 20 s, SIGKILL to the process group. Disarms the watchdog.
# Returns 0 if Icinga stopped by itself.
i2_stop() {
	local i rc=1
	[ -n "${I2_PID:-}" ] || return 0
	kill -TERM "$I2_PID" 2>/dev/null
	i=0
	while [ $i -lt 100 ]; do
		if i2_exited; then
			rc=0
			break
		fi
		sleep 0.2
		i=$((i + 1))
	done
	# leftovers of the group (the umbrella's pid is still ours: not reaped)
	kill -KILL -- "-$I2_PID" 2>/dev/null
	wait "$I2_PID" 2>/dev/null
	rm -f "$I2_DIR/run/watchdog.armed"
	[ -s "$I2_DIR/run/watchdog.sleep" ] &&
		kill "$(cat "$I2_DIR/run/watchdog.sleep")" 2>/dev/null
	I2_PID=
	return $rc
}
