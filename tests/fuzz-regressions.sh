#!/bin/sh
# Replays every saved fuzz finding (fuzz/regressions/TARGET/*) through the
# normal build: fuzz/replay (or fuzz/replay-scan) runs the target's code on
# it, and the plugin reads it as a file. No crash, no sanitizer report, no
# hang; the plugin answers with a status line and a state 0-3.
. "$TOP_SRCDIR/tests/lib.sh"
scratch
R=$TOP_SRCDIR/fuzz/regressions
replay=$TOP_BUILDDIR/fuzz/replay
replay_scan=$TOP_BUILDDIR/fuzz/replay-scan
[ -x "$replay" ] && [ -x "$replay_scan" ] || skip_all "fuzz/replay not built"

n=0
for dir in "$R"/*/; do
	[ -d "$dir" ] || continue
	t=$(basename "$dir")
	for f in "$dir"*; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		name="$t/$(basename "$f")"
		case $t in scan|pieces) prog=$replay_scan ;; *) prog=$replay ;; esac
		timeout 60 "$prog" "$t" "$f" >"$T/replay.out" 2>"$T/replay.err"
		rc=$?
		[ "$rc" -ne 0 ] && sed 's/^/# /' "$T/replay.err" | head -n 20
		is "$rc" 0 "replay $name: no crash"
		cp "$f" "$T/input"
		run_plugin -t 20 -v "$T/input"
		ok "$([ "$rc" -le 3 ] && echo 0 || echo 1)" "plugin on $name: state $rc"
		like "$out" '^CERT_EXPIRY (OK|WARNING|CRITICAL|UNKNOWN) - ' \
		    "plugin on $name: status line"
	done
done

# smoke: the replay programs work on known-good inputs
for f in "$TOP_SRCDIR"/tests/data/container/*.p7b; do
	timeout 60 "$replay" pkcs7 "$f" >/dev/null 2>&1
	is "$?" 0 "replay pkcs7 $(basename "$f")"
done
timeout 60 "$replay_scan" scan "$TOP_SRCDIR"/tests/data/export/*.txt >/dev/null 2>&1
is "$?" 0 "replay-scan over the export samples (output invariants hold)"
printf '\00130:' >"$T/r"
timeout 60 "$replay" range "$T/r" >/dev/null 2>&1
is "$?" 0 "replay range"
echo "# $n saved findings replayed"
done_testing
