#!/bin/sh
# As the monitoring user (nagios, through setpriv, as Nagios, NRPE and the
# Icinga agent run plugins): keys it cannot read are skipped by their name,
# any other unreadable file is an error naming the file, the user and an
# ACL; --exclude-path; --skip-vendor-roots on the system bundle with a root
# the admin added; the shipped NRPE and Nagios command lines on this host.
. "$TOP_SRCDIR/tests/lib.sh"
[ -x "$PLUGIN" ] || skip_all "plugin not built: $PLUGIN"
[ "$(id -u)" -eq 0 ] || skip_all "needs root, to make files the monitoring user cannot read"
# fail loudly (CI installs these): a silent skip would hide the point of it
command -v setpriv >/dev/null 2>&1 || { ok 1 "setpriv installed (util-linux)"; done_testing; exit 1; }
id nagios >/dev/null 2>&1 || { ok 1 "user nagios exists (nagios4-core, nagios-nrpe-server)"; done_testing; exit 1; }
command -v setfacl >/dev/null 2>&1 || { ok 1 "setfacl installed (acl)"; done_testing; exit 1; }

# the monitoring user must reach the tree: /tmp, not the build directory
P=$(mktemp -d /tmp/cce-access.XXXXXX)
trap 'rm -rf "$P"' EXIT
chmod 755 "$P"

# as_nagios ARGS...: the plugin as nagios (no supplementary groups); $out, $rc
as_nagios() {
	out=$(cd / && timeout 120 setpriv --reuid=nagios --regid="$(id -gn nagios)" \
	    --clear-groups "$PLUGIN" "$@" 2>&1)
	rc=$?
}

# cert FILE CN DAYS [ca]: a self-signed certificate valid for DAYS days
cert() {
	"$OPENSSL" req -x509 -newkey rsa:2048 -nodes -keyout "$1.tmpkey" -out "$1" \
	    -subj "/CN=$2" -days "$3" ${4:+-addext basicConstraints=critical,CA:TRUE} \
	    >/dev/null 2>&1 || echo "# openssl failed for $1"
	chmod 644 "$1"
}
key() {	# key CERT KEYFILE: the certificate's key, 0600 root, as on a server
	mv "$1.tmpkey" "$2"
	chmod 600 "$2"
}

# ---- a web server's layout: site.crt 0644 next to site.key 0600
mkdir -p "$P/web"
cert "$P/web/site.crt" site.example.test 20
key "$P/web/site.crt" "$P/web/site.key"
cert "$P/web/other.pem" other.example.test 300
key "$P/web/other.pem" "$P/web/other-key.pem"
cert "$P/web/third.pem" third.example.test 300
key "$P/web/third.pem" "$P/web/third_key.pem"
cert "$P/web/fourth.pem" fourth.example.test 300
key "$P/web/fourth.pem" "$P/web/fourth.key.pem"
as_nagios -p "$P/web"
is "$rc" 1 "certificate with its 0600 key beside it: WARNING (exit 1)"
like "$out" '^CERT_EXPIRY WARNING - 0 critical, 1 warning, 3 ok of 4 certificates; site\.example\.test' \
    "the certificate's WARNING is what the status line says"
unlike "$out" 'ERROR|Permission denied' "no error from the keys"
as_nagios -vv -p "$P/web"
for k in site.key other-key.pem third_key.pem fourth.key.pem; do
	like "$out" "SKIPPED: $P/web/$k: private key by its name, not readable by this user" \
	    "-vv: $k skipped, saying why"
done
as_nagios -o json -p "$P/web"
like "$out" '"errors": 0, "skipped": 4' "JSON counts the 4 keys as skipped, no error"

# ---- certbot: live/ -> ../archive/ symlinks, live/ and archive/ 0700, the
# domain folders 0755, certificates 0644, privkey1.pem 0600 (as certbot
# makes them)
L=$P/letsencrypt
mkdir -p "$L/archive/example.org" "$L/live/example.org"
cert "$L/archive/example.org/cert1.pem" example.org 25
key "$L/archive/example.org/cert1.pem" "$L/archive/example.org/privkey1.pem"
cp "$L/archive/example.org/cert1.pem" "$L/archive/example.org/fullchain1.pem"
cp "$L/archive/example.org/cert1.pem" "$L/archive/example.org/chain1.pem"
for f in cert chain privkey fullchain; do
	ln -s "../../archive/example.org/${f}1.pem" "$L/live/example.org/$f.pem"
done
chmod 755 "$L/live/example.org" "$L/archive/example.org"
chmod 700 "$L/live" "$L/archive"
as_nagios -p "$L/live" -p "$L/archive"
is "$rc" 3 "certbot's 0700 live/ and archive/ without access: UNKNOWN"
like "$out" "ERROR: $L/live: Permission denied \\(the plugin runs as user nagios; give it read access, e\\.g\\. setfacl -m u:nagios:rx '$L/live'" \
    "the error names live/, the user and the ACL that gives access"
like "$out" "ERROR: $L/archive: Permission denied" "and archive/"
setfacl -m u:nagios:rx "$L/live" "$L/archive"
as_nagios -p "$L/live" -p "$L/archive"
is "$rc" 1 "certbot with the README's ACL on live/ and archive/: WARNING"
like "$out" '1 warning, 0 ok of 1 certificate; example\.org expires' \
    "cert, chain and fullchain through the symlinks are one certificate"
unlike "$out" 'ERROR' "privkey.pem and privkey1.pem (0600: the ACL does not open them) are no error"
as_nagios -vv -p "$L/live" -p "$L/archive"
like "$out" "SKIPPED: $L/live/example.org/privkey.pem: private key by its name" "-vv: live/privkey.pem skipped"
like "$out" "SKIPPED: $L/archive/example.org/privkey1.pem: private key by its name" "-vv: archive/privkey1.pem skipped"

# ---- Debian's /etc/ssl/private: 0710, a group nagios is not in
S=$P/ssl
mkdir -p "$S/certs" "$S/private"
cert "$S/certs/host.pem" host.example.test 200
key "$S/certs/host.pem" "$S/private/host.pem"
chmod 710 "$S/private"
as_nagios -p "$S"
is "$rc" 0 "a 0710 private/ folder: OK (exit 0)"
unlike "$out" 'ERROR' "no error from private/"
as_nagios -vv -p "$S"
like "$out" "SKIPPED: $S/private: key directory, not readable by this user" "-vv: private/ skipped, saying why"
# a private/ the user may list but whose keys it cannot read
chmod 755 "$S/private"
as_nagios -vv -p "$S"
is "$rc" 0 "a 0755 private/ with a 0600 .pem in it: OK"
like "$out" "SKIPPED: $S/private/host.pem: in a key directory" "the file in it is skipped as a key"
chmod 710 "$S/private"

# ---- an unreadable certificate: an error naming it
mkdir -p "$P/app"
cert "$P/app/server.pem" server.example.test 100
key "$P/app/server.pem" "$P/app/server-key.pem"
chmod 600 "$P/app/server.pem"
cert "$P/app/warn.pem" warn.example.test 20
rm -f "$P/app/warn.pem.tmpkey"
as_nagios -p "$P/app"
is "$rc" 3 "an unreadable server.pem (0600) next to a WARNING certificate: UNKNOWN (exit 3)"
like "$out" "ERROR: $P/app/server\\.pem: Permission denied \\(the plugin runs as user nagios; give it read access, e\\.g\\. setfacl -m u:nagios:r '$P/app/server\\.pem', or leave it out with --exclude-path\\)" \
    "the error names server.pem, the reason, the user and the ACL"
like "$out" 'WARNING: warn\.example\.test' "the certificate beside it is still reported"
unlike "$out" 'server-key\.pem' "its key is no error"
cert "$P/app/crit.pem" crit.example.test 2
rm -f "$P/app/crit.pem.tmpkey"
as_nagios -p "$P/app"
is "$rc" 2 "with a critical certificate beside it: CRITICAL wins (exit 2)"
like "$out" "ERROR: $P/app/server\\.pem: Permission denied" "and the error is still listed"
as_nagios -o json -p "$P/app"
like "$out" "\\{\"path\": \"$P/app/server\\.pem\", \"message\": \"Permission denied \\(the plugin runs as user nagios" \
    "JSON names the file and the user"
rm -f "$P/app/crit.pem"

# ---- --exclude-path: a folder (not entered) and a file pattern
mkdir -p "$P/tree/keep" "$P/tree/secret/deep"
cert "$P/tree/keep/a.pem" a.example.test 200
rm -f "$P/tree/keep/a.pem.tmpkey"
cert "$P/tree/secret/deep/b.pem" b.example.test 2
rm -f "$P/tree/secret/deep/b.pem.tmpkey"
cp "$P/app/server.pem" "$P/tree/keep/server.pem"
chmod 600 "$P/tree/keep/server.pem"
chmod 700 "$P/tree/secret"
as_nagios -p "$P/tree"
is "$rc" 3 "without --exclude-path: UNKNOWN (the critical certificate is out of reach)"
like "$out" "ERROR: $P/tree/secret: Permission denied" "secret/ (0700, not a key directory) is an error"
as_nagios --exclude-path="$P/tree/secret" --exclude-path='*/server.pem' -p "$P/tree"
is "$rc" 0 "--exclude-path on the folder and on the file pattern: OK"
like "$out" '0 critical, 0 warning, 1 ok of 1 certificate; a\.example\.test' "only keep/a.pem is read"
unlike "$out" 'ERROR' "the unreadable folder is not entered, the file not opened"
chmod 755 "$P/tree/secret"
as_nagios --exclude-path="$P/tree/secret/" -p "$P/tree" --exclude-path='*.pem.bak'
like "$out" "ERROR: $P/tree/keep/server\\.pem: Permission denied" \
    "a trailing / on the folder is ignored; a pattern that matches nothing leaves server.pem"
unlike "$out" 'b\.example\.test' "the excluded folder's certificate is left out"
as_nagios --exclude-path="$P/t*p/server.pem" --exclude-path='*/deep' -vv -p "$P/tree"
is "$rc" 0 "'*' crosses '/': $P/t*p/server.pem matches tree/keep/server.pem"
like "$out" "NOTE: $P/tree/keep/server\\.pem: left out \\(--exclude-path=$P/t\\*p/server\\.pem\\)" \
    "-vv says what was left out and by which glob"
like "$out" "NOTE: $P/tree/secret/deep: left out \\(--exclude-path=\\*/deep\\)" "a directory too"
as_nagios --exclude-path="$P/tree" -p "$P/tree"
is "$rc" 3 "an operand that matches is left out as well"
like "$out" 'no certificate found' "and nothing is read"

# ---- the system bundle plus an admin's root expiring in 3 days
[ -d /etc/ssl/certs ] && [ -d /usr/share/ca-certificates ] ||
	echo "# no Debian trust store: ca-certificates missing"
mkdir -p "$P/local"
cert "$P/local/corp-root.crt" "Corp Admin Root CA" 3 ca
rm -f "$P/local/corp-root.crt.tmpkey"
as_nagios -p /etc/ssl/certs -p "$P/local"
crit_all=$(printf '%s\n' "$out" | sed -n 's/^CERT_EXPIRY [A-Z]* - \([0-9]*\) critical.*/\1/p')
ok "$([ "${crit_all:-0}" -ge 1 ] && echo 0 || echo 1)" \
    "without --skip-vendor-roots: $crit_all critical (the admin's root, and the vendor's expired ones if any)"
for mode in "" "-v" "--skip-renewed" "-x no-such-name" "-j 1"; do
	# shellcheck disable=SC2086
	as_nagios --skip-vendor-roots $mode -p /etc/ssl/certs -p "$P/local"
	is "$rc" 2 "--skip-vendor-roots ${mode:-(nagios collector)}: CRITICAL (exit 2)"
	like "$out" '^CERT_EXPIRY CRITICAL - 1 critical, 0 warning, [0-9]+ ok of [0-9]+ certificates, [1-9][0-9]* vendor; Corp Admin Root CA expires' \
	    "${mode:-(nagios collector)}: only the admin's root is critical, the vendor's are counted"
	like "$out" ' vendor=[1-9][0-9]*;;;0' "${mode:-(nagios collector)}: perfdata vendor > 0"
	unlike "$out" 'ERROR' "${mode:-(nagios collector)}: no error"
done
like "$(printf '%s\n' "$out" | grep -c '^CRITICAL:')" '^1$' "one CRITICAL line"
as_nagios --skip-vendor-roots -v -p /etc/ssl/certs -p "$P/local"
like "$out" '^VENDOR: E?' "-v lists the vendor's certificates as VENDOR"
as_nagios --skip-vendor-roots -l -p /etc/ssl/certs -p "$P/local"
like "$out" ' VENDOR  ' "-l shows state VENDOR"
like "$out" 'Corp Admin Root CA .* CRITICAL ' "and the admin's root CRITICAL"
as_nagios --skip-vendor-roots -o json -p /etc/ssl/certs -p "$P/local"
is "$rc" 2 "JSON: exit 2"
like "$out" '"vendor": [1-9][0-9]*, ' "JSON counts vendor"
like "$out" '"state": "VENDOR"' "JSON state VENDOR"
like "$out" '"name": "Corp Admin Root CA".*"state": "CRITICAL"' "JSON: the admin's root is CRITICAL"

# --vendor-roots=DIR: what is the vendor's is what DIR holds, by DER
mkdir -p "$P/vendor" "$P/store"
cert "$P/vendor/old-vendor.crt" "Old Vendor Root" 2 ca
rm -f "$P/vendor/old-vendor.crt.tmpkey"
cat "$P/vendor/old-vendor.crt" "$P/local/corp-root.crt" >"$P/store/bundle.pem"
"$OPENSSL" x509 -in "$P/vendor/old-vendor.crt" -outform DER -out "$P/store/vendor.der"
as_nagios -p "$P/store"
like "$out" '^CERT_EXPIRY CRITICAL - 2 critical' "both roots are critical without the option"
as_nagios --vendor-roots="$P/vendor" -p "$P/store"
like "$out" '^CERT_EXPIRY CRITICAL - 1 critical, 0 warning, 0 ok of 2 certificates, 1 vendor; Corp Admin Root CA' \
    "--vendor-roots=DIR (implies --skip-vendor-roots): the copy in a bundle and as DER is the vendor's"
as_nagios --vendor-roots="$P/no-such-dir" -p "$P/store"
is "$rc" 2 "--vendor-roots naming a missing directory: still evaluated"
like "$out" "ERROR: $P/no-such-dir: No such file or directory \\(reading --vendor-roots\\)" "and an error names it"

# ---- the shipped command lines, on this host, as nagios
C=$TOP_SRCDIR/contrib/nagios
lines=$(grep '^command\[' "$C/nrpe.cfg")
while IFS= read -r l; do
	[ -n "$l" ] || continue
	name=${l%%]*}; name=${name#command[}
	cmd=${l#*]=}
	cmd=$(printf '%s' "$cmd" | sed "s#^/usr/lib/nagios/plugins/check_cert_expiry#$PLUGIN#")
	out=$(cd / && timeout 120 setpriv --reuid=nagios --regid="$(id -gn nagios)" --clear-groups \
	    sh -c "$cmd" 2>&1)
	rc=$?
	ok "$([ "$rc" -le 2 ] && echo 0 || echo 1)" "nrpe.cfg $name on this host as nagios: exit $rc, not UNKNOWN"
	unlike "$out" 'ERROR' "nrpe.cfg $name: no error"
	unlike "$out" 'No such file' "nrpe.cfg $name: only paths that exist here"
done <<EOF
$lines
EOF
# the Nagios example service for the monitoring host itself
svc=$(sed -n 's/^ *check_command *check_cert_expiry!\([^!]*\)!\([^!]*\)!\(.*--skip-vendor-roots.*\)$/--warning=\1 --critical=\2 --timeout=50 \3/p' \
    "$C/check_cert_expiry.cfg" | head -n 1)
like "$svc" '--skip-vendor-roots' "the Nagios example service scans with --skip-vendor-roots"
# shellcheck disable=SC2086
as_nagios $svc
ok "$([ "$rc" -le 2 ] && echo 0 || echo 1)" "the Nagios example service as nagios: exit $rc, not UNKNOWN"
unlike "$out" 'ERROR' "the Nagios example service: no error"

done_testing
