# Shell helpers for the TAP tests. Source it: . "$TOP_SRCDIR/tests/lib.sh"
# Every test prints TAP; automake's tap-driver counts each assertion.
set -u
: "${PLUGIN:?run through make check}"
: "${TOP_SRCDIR:?}" "${TOP_BUILDDIR:?}" "${FIXTURES:?}"
OPENSSL=${OPENSSL:-openssl}
tap_n=0
tap_fail=0

ok() {	# ok COND-EXIT-STATUS DESCRIPTION
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_fail=$((tap_fail + 1))
	fi
}

is() {	# is GOT WANT DESCRIPTION
	tap_n=$((tap_n + 1))
	if [ "$1" = "$2" ]; then
		echo "ok $tap_n - $3"
	else
		echo "not ok $tap_n - $3"
		printf '#   got:  %s\n#   want: %s\n' "$1" "$2" | sed '3,$s/^/#   /'
		tap_fail=$((tap_fail + 1))
	fi
}

like() {	# like GOT EXTENDED-REGEX DESCRIPTION
	tap_n=$((tap_n + 1))
	if printf '%s' "$1" | grep -Eq -- "$2"; then
		echo "ok $tap_n - $3"
	else
		echo "not ok $tap_n - $3"
		printf '%s\n' "$1" | head -n 20 | sed 's/^/#   got: /'
		printf '#   want match: %s\n' "$2"
		tap_fail=$((tap_fail + 1))
	fi
}

unlike() {	# unlike GOT EXTENDED-REGEX DESCRIPTION
	tap_n=$((tap_n + 1))
	if printf '%s' "$1" | grep -Eq -- "$2"; then
		echo "not ok $tap_n - $3"
		printf '%s\n' "$1" | head -n 20 | sed 's/^/#   got: /'
		tap_fail=$((tap_fail + 1))
	else
		echo "ok $tap_n - $3"
	fi
}

skip_all() {	# skip_all REASON: the whole test file is skipped, and says why
	echo "1..0 # SKIP $1"
	exit 0
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_fail" -eq 0 ]
}

# run_plugin ARGS...: sets $out (stdout), $err (stderr), $rc
run_plugin() {
	local o e
	o=$(mktemp) e=$(mktemp)
	"$PLUGIN" "$@" >"$o" 2>"$e"
	rc=$?
	out=$(cat "$o")
	err=$(cat "$e")
	rm -f "$o" "$e"
}

# A private scratch directory, removed at exit.
scratch() {
	mkdir -p "$TOP_BUILDDIR/tests/tmp"
	T=$(mktemp -d "$TOP_BUILDDIR/tests/tmp/$(basename "$0" .sh).XXXXXX")
	trap 'rm -rf "$T"' EXIT
}
