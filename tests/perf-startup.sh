#!/bin/sh
# Start-up: the plugin is not linked against libcurl (loaded with dlopen
# only when a mail is sent), and says clearly when it cannot load it.
. "$TOP_SRCDIR/tests/lib.sh"
scratch

if command -v ldd >/dev/null 2>&1 && ldd "$PLUGIN" >"$T/ldd" 2>&1; then
	unlike "$(cat "$T/ldd")" 'libcurl' "the plugin is not linked against libcurl"
	unlike "$(cat "$T/ldd")" 'libssl\.' "nor against libssl (libcrypto is all it calls)"
else
	ok 0 "# SKIP ldd cannot read the plugin"
	ok 0 "# SKIP ldd cannot read the plugin"
fi

# mail through a libcurl that cannot be loaded: UNKNOWN, saying why
CHECK_CERT_EXPIRY_LIBCURL=$T/no-such-libcurl.so.4 run_plugin -t 10 --test-mail \
    -m 127.0.0.1:9 -s nagios@example.com -r ops@example.com
is "$rc" 3 "libcurl missing: --test-mail is UNKNOWN"
like "$out" '^CERT_EXPIRY UNKNOWN - test mail not sent: cannot send mail: libcurl could not be loaded \(.*no-such-libcurl.*\); install libcurl' \
    "libcurl missing: the status line says so and what to install"

# a library that is not libcurl
libm=$(awk '$1 ~ /^libm\.so/ { print $3 }' "$T/ldd" 2>/dev/null | head -n 1)
if [ -n "$libm" ] && [ -f "$libm" ]; then
	CHECK_CERT_EXPIRY_LIBCURL=$libm run_plugin -t 10 --test-mail \
	    -m 127.0.0.1:9 -s nagios@example.com -r ops@example.com
	is "$rc" 3 "not libcurl: UNKNOWN"
	like "$out" 'cannot send mail: the loaded libcurl has no curl_global_init' \
	    "not libcurl: the missing function is named"
else
	ok 0 "# SKIP no libm path from ldd"
	ok 0 "# SKIP no libm path from ldd"
fi

# a digest mail through a missing libcurl: the check still reports (a
# warning becomes UNKNOWN: the mail failed)
printf 'V\t261210000000Z\t\t1A\tunknown\t/CN=soon.startup.test\n' > "$T/index.txt"
CHECK_CERT_EXPIRY_LIBCURL=$T/no-such-libcurl.so.4 run_plugin -t 10 --now=2026-11-24 \
    -m 127.0.0.1:9 -s nagios@example.com -r ops@example.com "$T/index.txt"
is "$rc" 3 "digest with libcurl missing: UNKNOWN"
like "$out" 'soon\.startup\.test expires 2026-12-10' "digest with libcurl missing: the certificate is still reported"
like "$out" 'mail failed: cannot send mail: libcurl could not be loaded' \
    "digest with libcurl missing: the status line says why"
done_testing
