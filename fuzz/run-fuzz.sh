#!/bin/sh
# Runs each fuzz target for $FUZZ_SECONDS seconds, one at a time (one job),
# on a corpus under BUILDDIR/fuzz/corpus/TARGET seeded by fuzz/seeds.py, and
# prints executions and coverage per target. Findings are written to
# BUILDDIR/fuzz/findings/TARGET/ (copy them to fuzz/regressions/TARGET/).
#   run-fuzz.sh SRCDIR BUILDDIR TARGET...
set -u
src=$1 build=$2
shift 2
secs=${FUZZ_SECONDS:-60}
py=${PYTHON:-/usr/bin/python3}
seeds=$build/fuzz/seeds
rm -rf "$seeds"
"$py" "$src/fuzz/seeds.py" "$src" "$build" "$seeds" || exit 1
status=0
summary=""
for t in "$@"; do
	corpus=$build/fuzz/corpus/$t
	findings=$build/fuzz/findings/$t
	log=$build/fuzz/$t.log
	mkdir -p "$corpus" "$findings"
	[ -d "$seeds/$t" ] && cp -n "$seeds/$t"/* "$corpus"/ 2>/dev/null
	echo "fuzz: $t for ${secs}s"
	# leak checking per input would make OpenSSL's one-time setup noisy;
	# ASan still catches every invalid access, UBSan every UB
	ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	"$build/fuzz/fuzz-$t" -max_total_time="$secs" \
	    -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
	    -artifact_prefix="$findings/" "$corpus" >"$log" 2>&1
	rc=$?
	[ "$rc" -ne 0 ] && status=1
	last=$(grep -E '#[0-9]+.*(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -n 1)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	line="$t: ${secs}s, ${execs:-?} executions, $(echo "$last" |
	    grep -Eo 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[^ ]+' ) (exit $rc)"
	echo "$line"
	summary="$summary$line
"
	ls "$findings" | sed "s|^|  finding: $findings/|"
done
echo "---- fuzz summary"
printf '%s' "$summary"
exit $status
