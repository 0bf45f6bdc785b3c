#!/bin/sh
# The Debian package: copy the source tree to a scratch directory, copy
# contrib/debian to debian/ (the documented step), run
# `dpkg-buildpackage -b -us -uc`, unpack the .deb with `dpkg -x` into a
# private root and check its files, its metadata, and that the installed
# plugin runs. Takes about 20-60 s: it runs only with CCE_SLOW_TESTS=1.
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/engines-lib.sh"

[ "${CCE_SLOW_TESTS:-0}" = 1 ] ||
	skip_all "slow (builds the .deb, ~30 s): run with CCE_SLOW_TESTS=1"
# dpkg-buildpackage runs `make check` inside the package build unless told
# not to; never build a package from inside a package build.
[ -z "${CCE_IN_PACKAGE_BUILD:-}" ] || skip_all "inside a package build"
for t in dpkg-buildpackage dpkg-deb dpkg dh fakeroot; do
	command -v "$t" >/dev/null 2>&1 ||
		skip_all "$t not installed (Debian: apt-get install dpkg-dev debhelper fakeroot)"
done
scratch

# A clean copy of the source tree: no VCS data, no in-tree build results.
S=$T/src
mkdir -p "$S"
# An out-of-tree build directory inside the source tree (contrib/bootstrap.sh
# builds in ./build/*) must not be copied: this very test writes below it.
inner=
case "$TOP_BUILDDIR" in
"$TOP_SRCDIR"/*) inner="--exclude=./${TOP_BUILDDIR#"$TOP_SRCDIR"/}" ;;
esac
(cd "$TOP_SRCDIR" && tar --exclude=./.git --exclude=./autom4te.cache \
    --exclude=./tests/tmp --exclude=./tests/fixtures --exclude=./debian \
    --exclude=./build $inner -cf - .) | (cd "$S" && tar -xf -)
chmod -R u+w "$S"	# make distcheck hands us a read-only tree
[ -f "$S/config.status" ] && (cd "$S" && make -s distclean >/dev/null 2>&1)
cp -r "$S/contrib/debian" "$S/debian"
# dpkg-checkbuilddeps: say which build dependency is missing.
if ! deps=$(cd "$S" && dpkg-checkbuilddeps 2>&1); then
	skip_all "build dependencies missing: $(printf '%s' "$deps" | tr '\n' ' ')"
fi

(
	cd "$S" &&
	CCE_IN_PACKAGE_BUILD=1 DEB_BUILD_OPTIONS="nocheck parallel=2" \
	    timeout 600 dpkg-buildpackage -b -us -uc
) >"$T/build.log" 2>&1
rc=$?
is "$rc" 0 "dpkg-buildpackage -b -us -uc builds the package"
[ "$rc" -eq 0 ] || tail -n 25 "$T/build.log" | sed 's/^/# /'

arch=$(dpkg --print-architecture)
debs=$(ls "$T"/*.deb 2>/dev/null | grep -v -- '-dbgsym_')
deb=$(printf '%s\n' "$debs" | head -n 1)
like "$(basename "$deb")" "^check-cert-expiry_[0-9][^_]*_$arch\\.deb\$" \
    "check-cert-expiry_VERSION_$arch.deb"
[ -f "$deb" ] || { done_testing; exit; }

info=$(dpkg-deb -I "$deb")
like "$info" 'Package: check-cert-expiry' "dpkg-deb -I: package name"
version=$(sed -n 's/^AC_INIT(\[[^]]*\], *\[\([^]]*\)\].*/\1/p' "$TOP_SRCDIR/configure.ac")
like "$info" "Version: $version" "version $version, as in configure.ac"
like "$info" "Architecture: $arch" "architecture $arch"
like "$info" 'Depends:.*libssl' "depends on the OpenSSL library (shlibs)"
like "$info" 'Depends:.*libpcre2-8' "depends on PCRE2"
like "$info" 'Depends:.*libcurl4' "depends on libcurl4 (shlibs: the plugin links it)"
unlike "$info" 'Recommends:.*libcurl' "libcurl is not merely recommended"

R=$T/root
dpkg -x "$deb" "$R"
P=$R/usr/lib/nagios/plugins/check_cert_expiry
ok "$([ -x "$P" ] && echo 0 || echo 1)" "the plugin is /usr/lib/nagios/plugins/check_cert_expiry"
man=$R/usr/share/man/man1/check_cert_expiry.1.gz
ok "$([ -f "$man" ] && echo 0 || echo 1)" "the man page is /usr/share/man/man1/check_cert_expiry.1.gz"
conf=$R/usr/share/icinga2/include/plugins-contrib.d/check_cert_expiry.conf
ok "$([ -f "$conf" ] && echo 0 || echo 1)" "the Icinga 2 CheckCommand is in plugins-contrib.d"
ok "$([ -f "$R/usr/share/doc/check-cert-expiry/copyright" ] && echo 0 || echo 1)" \
    "copyright file"
ok "$([ -f "$R/usr/share/doc/check-cert-expiry/examples/nrpe.cfg" ] && echo 0 || echo 1)" \
    "examples: NRPE, Nagios, Icinga 2 agents, Windows export script"
ok "$([ -f "$R/usr/share/doc/check-cert-expiry/examples/cert_expiry.rules.yml" ] &&
    [ -f "$R/usr/share/doc/check-cert-expiry/examples/check-cert-expiry-metrics.timer" ] &&
    echo 0 || echo 1)" "examples: Prometheus alerting rules, metrics service and timer"
listing=$(dpkg-deb -c "$deb")
unlike "$listing" '(^| )\./usr/(local|libexec)/' "nothing under /usr/local or /usr/libexec"
unlike "$listing" 'root/root.*\./(home|tmp|build)' "no build paths in the package"

out=$("$P" --version 2>&1)
rc=$?
is "$rc" 0 "the installed plugin runs --version"
like "$out" "$version" "and reports version $version"
run_plugin_installed() {
	out=$("$P" "$@" 2>&1)
	rc=$?
}
"$OPENSSL" req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$T/k.pem" -out "$T/c.pem" -days 3 -subj /CN=pkg.test 2>/dev/null
run_plugin_installed -p "$T/c.pem"
is "$rc" 2 "the installed plugin finds a certificate 3 days from expiry: CRITICAL"
like "$out" '^CERT_EXPIRY CRITICAL' "with a Nagios status line"

# The installed CheckCommand, with the installed plugin as PluginDir.
if command -v icinga2 >/dev/null 2>&1 && [ -f /usr/share/icinga2/include/itl ]; then
	find_icinga2
	i2_prepare "$T/i2"
	{
		i2_constants "$R/usr/lib/nagios/plugins" pkg.test
		cat <<EOF
object Endpoint NodeName { }
object Zone ZoneName { endpoints = [ NodeName ] }
include <itl>
include "$conf"
object Host "h" { check_command = "dummy" }
object Service "s" { host_name = "h"; check_command = "cert_expiry"; vars.cert_expiry_path = "/etc/ssl" }
EOF
	} >"$I2_DIR/etc/icinga2.conf"
	i2_validate "$I2_DIR/etc/icinga2.conf"
	is "$rc" 0 "icinga2 daemon -C accepts the installed CheckCommand"
else
	echo "# icinga2 not installed: installed CheckCommand not validated"
fi

if command -v lintian >/dev/null 2>&1; then
	lint=$(lintian --no-tag-display-limit "$deb" 2>&1)
	unlike "$lint" '^E: ' "lintian reports no errors"
	printf '%s\n' "$lint" | sed 's/^/# /'
fi

done_testing
