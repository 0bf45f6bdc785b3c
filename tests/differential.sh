#!/bin/sh
# The DER walk against OpenSSL, over every certificate we can find: the
# fixture trees and the system trust store (/etc/ssl/certs). One TAP line
# per certificate; then notAfter of each fixture against what
# `openssl x509 -enddate` prints (to the second).
. "$TOP_SRCDIR/tests/lib.sh"
scratch

DIFFER=$TOP_BUILDDIR/tests/differ
FX=$FIXTURES/der
[ -x "$DIFFER" ] || skip_all "tests/differ not built"
[ -f "$FX/basic.der" ] || skip_all "fixtures missing ($FX)"

# System trust store: PEM files to DER (a few hundred at most).
mkdir -p "$T/sys"
n=0
for f in /etc/ssl/certs/*.pem /etc/ssl/certs/*.crt; do
	[ -f "$f" ] || continue
	case $f in */ca-certificates.crt) continue ;; esac
	n=$((n + 1))
	[ $n -le 400 ] || break
	"$OPENSSL" x509 -in "$f" -outform DER -out "$T/sys/$n.der" 2>/dev/null ||
	    rm -f "$T/sys/$n.der"
done

# Certificates in the other areas' fixture trees (first certificate of
# each PEM or DER file that openssl reads as one).
mkdir -p "$T/other"
n=0
for f in $(find "$FIXTURES" -path "$FX" -prune -o -type f \( -name '*.pem' -o \
    -name '*.crt' -o -name '*.cer' -o -name '*.der' \) -print 2>/dev/null | sort); do
	n=$((n + 1))
	[ $n -le 300 ] || break
	case $f in *.der|*.cer) form=DER ;; *) form=PEM ;; esac
	"$OPENSSL" x509 -inform $form -in "$f" -outform DER -out "$T/other/$n.der" \
	    2>/dev/null || rm -f "$T/other/$n.der"
done

# differ speaks TAP itself: renumber its lines into this stream.
set -- "$FX"/*.der "$FX"/decline/*.der
for f in "$T"/sys/*.der "$T"/other/*.der; do
	[ -f "$f" ] && set -- "$@" "$f"
done
"$DIFFER" "$@" >"$T/differ.out" 2>&1
while IFS= read -r line; do
	case $line in
	"ok "*)
		tap_n=$((tap_n + 1))
		echo "ok $tap_n ${line#ok [0-9]* }" ;;
	"not ok "*)
		tap_n=$((tap_n + 1))
		tap_fail=$((tap_fail + 1))
		echo "not ok $tap_n ${line#not ok [0-9]* }" ;;
	"#"*)	echo "$line" ;;
	esac
done <"$T/differ.out"
like "$(grep -c '^ok' "$T/differ.out")" '^[1-9][0-9]+$' "differ compared certificates"

# The fixtures the walk declines must still come out of OpenSSL.
for f in "$FX"/decline/*.der; do
	like "$(grep -F -- "$f #" "$T/differ.out")" \
	    "# SKIP walk declined \($(cat "${f%.der}.err")" \
	    "$(basename "$f"): declined with the expected reason"
done

# notAfter against openssl's own rendering.
for f in "$FX"/*.der "$FX"/decline/*.der; do
	want=$("$OPENSSL" x509 -inform DER -in "$f" -noout -enddate -dateopt iso_8601 |
	    sed 's/^notAfter=//; s/\.[0-9]*Z$/Z/')
	is "$("$DIFFER" -e "$f")" "$want" "$(basename "$f"): notAfter as openssl prints it"
done

# Serials of the fixtures against `openssl x509 -serial` (the hand-made
# negative one too: -81, its magnitude with a '-').
for f in "$FX"/*.der; do
	want=$("$OPENSSL" x509 -inform DER -in "$f" -noout -serial | sed 's/^serial=//')
	is "$("$DIFFER" -f "$f" | sed -n 's/^serial=//p')" "$want" \
	    "$(basename "$f"): serial as openssl prints it"
done

# The name (JSON cn) against openssl's own reading of the subject: the
# most specific CN, the first in RFC 2253 order (the last in DER order).
# Subjects with escapes or multi-valued RDNs are left to the .want files.
for f in "$FX"/*.der; do
	subj=$("$OPENSSL" x509 -inform DER -in "$f" -noout -subject \
	    -nameopt RFC2253,-esc_msb | sed 's/^subject=//')
	case $subj in *\\*|*+*) continue ;; esac
	want=$(printf '%s\n' "$subj" | tr ',' '\n' | sed -n 's/^CN=//p' | head -n 1)
	is "$("$DIFFER" -f "$f" | sed -n 's/^cn=//p')" "${want:-(none)}" \
	    "$(basename "$f"): cn is the CN openssl prints first (RFC 2253)"
done

done_testing
