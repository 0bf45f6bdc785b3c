#!/bin/sh
# Golden cases (curl-style data-driven tests): each tests/cases/NAME holds
#   cmd          the plugin's arguments (one line, shell words), run from the
#                core fixture folder so paths in the output are relative
#   expected.out the exact standard output
#   expected.rc  the exit code
# Cases were written by hand and their outputs reviewed line by line.
. "$TOP_SRCDIR/tests/lib.sh"
FIX=$FIXTURES/core
[ -d "$FIX/set" ] || skip_all "core fixtures missing (tests/gen-core-fixtures.sh)"
# CCE_VALGRIND=1: run every case under valgrind memcheck; any error or leak
# changes the exit code to 97 and fails the case.
G=$TOP_BUILDDIR/tests/tmp/golden	# per-case stderr and diffs (removed by make clean)
mkdir -p "$G"
RUN=
if [ "${CCE_VALGRIND:-}" = 1 ]; then
	command -v valgrind >/dev/null 2>&1 || skip_all "valgrind not installed"
	RUN="valgrind -q --error-exitcode=97 --leak-check=full \
--errors-for-leak-kinds=definite,indirect,possible --show-leak-kinds=definite,indirect,possible"
fi
for dir in "$TOP_SRCDIR"/tests/cases/*/; do
	name=$(basename "$dir")
	args=$(cat "$dir/cmd")
	want_rc=$(cat "$dir/expected.rc")
	got_out=$(cd "$FIX" && eval "$RUN \"\$PLUGIN\" $args" 2>"$G/$name.err")
	got_rc=$?
	want_out=$(cat "$dir/expected.out")
	is "$got_rc" "$want_rc" "$name: exit code"
	if [ "$got_out" = "$want_out" ]; then
		ok 0 "$name: output"
	else
		ok 1 "$name: output"
		sed 's/^/# stderr: /' "$G/$name.err" | head -n 20
		printf '%s\n' "$want_out" >"$G/$name.want"
		printf '%s\n' "$got_out" >"$G/$name.got"
		diff -u "$G/$name.want" "$G/$name.got" |
			head -n 40 | sed 's/^/# /'
	fi
done
done_testing
