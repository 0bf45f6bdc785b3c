#!/bin/sh
# check_cert_expiry: one-command setup on Debian 12 (the README's first two
# commands).
#   sh contrib/bootstrap.sh run     install build dependencies, build, and run
#                                   the plugin on the system trust store
#   sh contrib/bootstrap.sh check   install build + test dependencies, build,
#                                   run the whole test suite (plain, then with
#                                   ASan/UBSan, then valgrind over the golden
#                                   cases, then a 5-second smoke run of every
#                                   fuzz target) and print "N passed, N failed"
#   sh contrib/bootstrap.sh deps [test]   only install the packages
set -eu
cd "$(dirname "$0")/.."
TOP=$(pwd)

BUILD_DEPS="build-essential autoconf automake pkg-config libssl-dev libpcre2-dev
libcurl4-openssl-dev libxxhash-dev openssl ca-certificates"
TEST_DEPS="faketime python3 python3-aiosmtpd python3-cryptography icinga2-bin
nagios4-core openjdk-17-jre-headless ca-certificates-java easy-rsa clang
libclang-rt-14-dev valgrind dpkg-dev debhelper fakeroot
prometheus python3-prometheus-client prometheus-node-exporter systemd
nagios-nrpe-server nagios-nrpe-plugin acl
nginx exim4-daemon-light dovecot-imapd dovecot-pop3d slapd ldap-utils prosody vsftpd
postgresql"

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"
	elif command -v sudo >/dev/null 2>&1; then sudo "$@"
	else echo "bootstrap: need root (or sudo) to run: $*" >&2; exit 1
	fi
}

deps() {
	missing=""
	for p in $*; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q ' installed$' ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	echo "bootstrap: installing$missing"
	as_root apt-get update -qq
	# icinga2 and nagios4 must not start daemons on install
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends $missing >/dev/null
}

configure_in() {	# configure_in DIR [configure args]
	dir=$1; shift
	[ -x "$TOP/configure" ] || (cd "$TOP" && autoreconf -fi)
	mkdir -p "$dir"
	(cd "$dir" && "$TOP/configure" -q "$@")
}

# Adds one test-suite.log's counts to the totals.
count() {
	p=$(sed -n 's/^# PASS: *\([0-9]*\)/\1/p' "$1" | head -n1)
	f=$(sed -n 's/^# FAIL: *\([0-9]*\)/\1/p' "$1" | head -n1)
	e=$(sed -n 's/^# ERROR: *\([0-9]*\)/\1/p' "$1" | head -n1)
	x=$(sed -n 's/^# XPASS: *\([0-9]*\)/\1/p' "$1" | head -n1)
	s=$(sed -n 's/^# SKIP: *\([0-9]*\)/\1/p' "$1" | head -n1)
	PASSED=$((PASSED + ${p:-0}))
	FAILED=$((FAILED + ${f:-0} + ${e:-0} + ${x:-0}))
	SKIPPED=$((SKIPPED + ${s:-0}))
}

check() {
	PASSED=0 FAILED=0 SKIPPED=0 status=0
	jobs=$(nproc 2>/dev/null || echo 2)
	# 1. the whole suite, warnings as errors
	configure_in build/check --enable-werror
	# (CCE_SLOW_TESTS=1: also build and install the Debian package, once)
	(cd build/check && make -j"$jobs" >/dev/null &&
		make -j"$jobs" check CCE_SLOW_TESTS=1) || status=1
	[ -f build/check/test-suite.log ] && count build/check/test-suite.log
	# 2. the whole suite under AddressSanitizer + UndefinedBehaviorSanitizer
	if [ "${CCE_NO_SANITIZERS:-}" = "" ]; then
		configure_in build/asan --enable-sanitizers CFLAGS="-O1 -g"
		(cd build/asan && make -j"$jobs" >/dev/null &&
			ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
			UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
			make -j"$jobs" check) || status=1
		[ -f build/asan/test-suite.log ] && count build/asan/test-suite.log
	fi
	# 2b. ThreadSanitizer over the tests that run the threads hardest (the
	# file pool, the pieces, endpoints checked at once)
	if [ "${CCE_NO_SANITIZERS:-}" = "" ]; then
		configure_in build/tsan --enable-tsan CFLAGS="-O1 -g"
		(cd build/tsan && make -j"$jobs" >/dev/null &&
			TSAN_OPTIONS=halt_on_error=1:exitcode=66 \
			make -j"$jobs" check TESTS="tests/perf-jobs.sh tests/perf-pieces.sh \
			tests/net-tls.sh tests/net-mail.sh" \
			TEST_SUITE_LOG=tsan-suite.log) || status=1
		[ -f build/tsan/tsan-suite.log ] && count build/tsan/tsan-suite.log
	fi
	# 3. valgrind memcheck over the golden cases (no errors, no leaks)
	if command -v valgrind >/dev/null 2>&1; then
		(cd build/check && make -j"$jobs" check TESTS=tests/golden.sh \
			LOG_COMPILER= SH_LOG_COMPILER="env CCE_VALGRIND=1 /bin/sh" \
			TEST_SUITE_LOG=valgrind-suite.log) || status=1
		[ -f build/check/valgrind-suite.log ] && count build/check/valgrind-suite.log
	fi
	# 4. a short smoke run of every libFuzzer target (the long runs stay
	#    out of CI: make fuzz FUZZ_SECONDS=600 in a clang build)
	if command -v clang >/dev/null 2>&1 && [ "${CCE_NO_FUZZ:-}" = "" ]; then
		configure_in build/fuzz CC=clang --enable-fuzzing
		if (cd build/fuzz && make -j"$jobs" >/dev/null 2>&1 &&
			make fuzz FUZZ_SECONDS="${CCE_FUZZ_SECONDS:-5}" >fuzz-smoke.log 2>&1); then :
		else status=1; fi
		# one line per target ("der: 5s, N executions, cov: ... (exit 0)")
		grep -E '^[a-z0-9-]+: [0-9]+s, ' build/fuzz/fuzz-smoke.log 2>/dev/null |
			sort -u >build/fuzz/fuzz-smoke.txt || true
		cat build/fuzz/fuzz-smoke.txt
		fp=$(grep -c '(exit 0)$' build/fuzz/fuzz-smoke.txt || true)
		ff=$(grep -c '(exit [1-9][0-9]*)$' build/fuzz/fuzz-smoke.txt || true)
		[ "${fp:-0}" -gt 0 ] || { ff=$((${ff:-0} + 1)); echo "fuzz smoke: no target ran"; }
		PASSED=$((PASSED + ${fp:-0}))
		FAILED=$((FAILED + ${ff:-0}))
	fi
	for log in build/check/test-suite.log build/asan/test-suite.log build/tsan/tsan-suite.log \
	    build/check/valgrind-suite.log; do
		[ -f "$log" ] && grep -q '^# FAIL: *[1-9]\|^# ERROR: *[1-9]' "$log" &&
			sed -n '/^FAIL\|^ERROR/,$p' "$log" | head -n 200
	done
	echo "skipped: $SKIPPED"
	echo "$PASSED passed, $FAILED failed"
	[ "$status" -eq 0 ] && [ "$FAILED" -eq 0 ]
}

case "${1:-run}" in
deps)
	if [ "${2:-}" = test ]; then deps $BUILD_DEPS $TEST_DEPS; else deps $BUILD_DEPS; fi ;;
run)
	deps $BUILD_DEPS
	configure_in build/run
	make -C build/run -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
	echo "\$ build/run/plugin/check_cert_expiry /etc/ssl/certs"
	build/run/plugin/check_cert_expiry /etc/ssl/certs || true ;;
check)
	deps $BUILD_DEPS $TEST_DEPS
	check ;;
*)
	sed -n '2,12p' "$0"; exit 2 ;;
esac
