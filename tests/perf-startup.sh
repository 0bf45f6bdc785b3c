#!/bin/sh
# Start-up: the plugin is linked against each library it calls (OpenSSL's
# libcrypto, PCRE2, libcurl, xxHash), so the dynamic loader and the package's
# shlibs dependencies know them all; none is loaded at run time. (A mail
# that cannot be sent is tested in mail-smtp.sh and mail-digest.sh.)
. "$TOP_SRCDIR/tests/lib.sh"
scratch

command -v readelf >/dev/null 2>&1 || { echo "Bail out! readelf (binutils) missing"; exit 1; }
readelf -d "$PLUGIN" > "$T/dynamic" 2>&1
ok $? "readelf -d reads the plugin"
needed=$(sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p' "$T/dynamic")
like "$needed" '^libcurl\.so\.4$' "NEEDED: libcurl.so.4"
like "$needed" '^libcrypto\.so\.' "NEEDED: libcrypto"
like "$needed" '^libpcre2-8\.so\.' "NEEDED: libpcre2-8"
like "$needed" '^libxxhash\.so\.' "NEEDED: libxxhash"
unlike "$needed" '^libdl\.so' "NEEDED: no libdl (nothing is loaded with dlopen)"

if command -v ldd >/dev/null 2>&1 && ldd "$PLUGIN" > "$T/ldd" 2>&1; then
	like "$(cat "$T/ldd")" 'libcurl\.so\.4 => /' "ldd: libcurl.so.4 is found"
	unlike "$(cat "$T/ldd")" 'not found' "ldd: every library is found"
else
	echo "Bail out! ldd cannot read the plugin"; exit 1
fi

# it starts and runs with them
run_plugin --version
is "$rc" 0 "--version: exit 0"
like "$out" '^check_cert_expiry [0-9]' "--version: names the program"
done_testing
