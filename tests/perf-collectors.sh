#!/bin/sh
# The two collectors say the same: collect_nagios (-o nagios without -v
# keeps only what it can print) says exactly what collect_all (every
# record: -v, --skip-renewed) says: the status line, perfdata and long output
# without -v equal those of the same run with -v (which keeps every
# certificate), minus the OK and FORGOTTEN lines that only -v lists, and
# the "... and N more" count adds up; the same read in pieces (where CA
# export rows go by identity and dates). Exercised on CA-export rows (ties,
# duplicates, thousands of CRITICAL and WARNING rows past the 8 KiB cap),
# on real certificates (PEM and DER, duplicates), with -f, -x, -d,
# --forget-after, --template, --issuer and Nagios ranges.
. "$TOP_SRCDIR/tests/lib.sh"
PY=/usr/bin/python3
scratch
cd "$T" || exit 1

# ------------------------------------------------------- CA-export rows
# index.txt: 3000 rows, expiries spread around --now=2026-11-24 (before,
# within -c, within -w, later), names repeating (same name, same expiry,
# other serial: the sort's later keys decide), every 7th row repeated.
awk '
function civil(z,   era, doe, yoe, doy, mp, d, m, y) {	# days -> YYMMDD
	z += 719468
	era = int(z / 146097)
	doe = z - era * 146097
	yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
	y = yoe + era * 400
	doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
	mp = int((5 * doy + 2) / 153)
	d = doy - int((153 * mp + 2) / 5) + 1
	m = mp < 10 ? mp + 3 : mp - 9
	y += m <= 2
	return sprintf("%02d%02d%02d", y % 100, m, d)
}
BEGIN {
	for (i = 0; i < 3000; i++) {
		d = int(i * 7 % 400) - 120		# days from 2026-11-24
		e = sprintf("%s%02d0000Z", civil(20781 + d), i % 5)
		n = sprintf("/O=Lean/CN=h%04d.lean.test", i % 1700)
		row = sprintf("V\t%s\t\t%04X\tunknown\t%s", e, 4096 + i, n)
		print row
		if (i % 7 == 0)
			print row
	}
	print "V\t99991231235959Z\t\t0FFF\tunknown\t/CN=forever.lean.test"
	print "V\t370101000000Z\t\t0FFE\tunknown\t/CN=later.lean.test"
}' > index.txt
is "$(wc -l < index.txt)" 3431 "index.txt with 3431 rows generated"

# csv: rows without the DER, with templates and exact duplicates
awk 'BEGIN {
	print "\"Issued Request ID\",\"Serial Number\",\"Issued Common Name\",\"Certificate Expiration Date\",\"Certificate Template\""
	for (i = 0; i < 900; i++) {
		m = 1 + i % 12; d = 1 + i % 28; y = 2025 + i % 3
		printf "\"%d\",\"%06x\",\"c%03d.lean.test\",\"%d/%d/%d %d:00 AM\",\"%s\"\n",
		    i + 2, 1000 + i % 850, i % 300, m, d, y, 1 + i % 11,
		    i % 3 ? "WebServer" : "Machine"
	}
}' > issued.csv

# ---------------------------------------------------- real certificates
if $PY -c 'import cryptography' 2>/dev/null; then
	$PY - certs <<'EOF' || { echo "Bail out! generator failed"; exit 1; }
import datetime, os, sys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

d = sys.argv[1]
os.makedirs(d)
key = ec.derive_private_key(7, ec.SECP256R1())
issuer = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Lean CA")])
now = datetime.datetime(2026, 11, 24, tzinfo=datetime.timezone.utc)
certs = []
for i in range(700):
    b = (x509.CertificateBuilder()
         .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "p%03d.lean.test" % (i % 450))]))
         .issuer_name(issuer).public_key(key.public_key()).serial_number(5000 + i)
         .not_valid_before(now - datetime.timedelta(days=400))
         .not_valid_after(now + datetime.timedelta(days=(i * 13) % 90 - 30, hours=i % 3)))
    certs.append(b.sign(key, hashes.SHA256()))
for i, c in enumerate(certs):
    if i % 2:
        open(os.path.join(d, "c%03d.pem" % i), "wb").write(c.public_bytes(serialization.Encoding.PEM))
    else:
        open(os.path.join(d, "c%03d.der" % i), "wb").write(c.public_bytes(serialization.Encoding.DER))
open(os.path.join(d, "zbundle.pem"), "wb").write(
    b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs[::3]))
open(os.path.join(d, "zbroken.pem"), "wb").write(b"-----BEGIN CERTIFICATE-----\nAAAA\n")
EOF
	have_certs=1
else
	have_certs=0
fi

# compare ARGS...: the lean run and the -v run of the same arguments
compare() {
	"$PLUGIN" --now=2026-11-24 "$@" > "$T/lean" 2>&1
	echo $? > "$T/lean.rc"
	"$PLUGIN" -v --now=2026-11-24 "$@" > "$T/full" 2>&1
	echo $? > "$T/full.rc"
	is "$(cat "$T/lean.rc")" "$(cat "$T/full.rc")" "$*: exit code as with -v"
	is "$(head -n 1 "$T/lean")" "$(head -n 1 "$T/full")" "$*: status line and perfdata as with -v"
	# RENEWED lines (--skip-renewed) are listed at -v, and in -o list
	rn=$("$PLUGIN" -o list --now=2026-11-24 "$@" 2>/dev/null | grep -c ' RENEWED ')
	r=$(awk -v lean="$T/lean" -v full="$T/full" -v rn="$rn" '
	function load(f, a,   n, l) {
		n = 0
		while ((getline l < f) > 0)
			a[++n] = l
		close(f)
		return n
	}
	BEGIN {
		nl = load(lean, L); nf = load(full, F)
		ml = 0; mf = -1
		if (nl > 1 && L[nl] ~ /^\.\.\. and [0-9]+ more$/) { split(L[nl], w, " "); ml = w[3]; nl-- }
		if (nf > 1 && F[nf] ~ /^\.\.\. and [0-9]+ more$/) { split(F[nf], w, " "); mf = w[3]; nf-- }
		# OK and FORGOTTEN certificates, from the perfdata
		okn = 0; fg = 0
		if (match(L[1], / ok=[0-9]+/)) okn = substr(L[1], RSTART + 4, RLENGTH - 4)
		if (match(L[1], / forgotten=[0-9]+/)) fg = substr(L[1], RSTART + 11, RLENGTH - 11)
		if (mf < 0) {
			# -v printed everything: lean is it without OK/FORGOTTEN
			k = 1
			for (i = 2; i <= nf; i++) {
				if (F[i] ~ /^(OK|FORGOTTEN|RENEWED): /)
					continue
				if (++k > nl || L[k] != F[i]) { print "line " k " differs"; exit }
			}
			if (k != nl) { print "lean has " nl - k " extra lines"; exit }
			if (ml != 0) { print "lean says more"; exit }
		} else {
			for (i = 2; i <= nl; i++)
				if (L[i] != F[i] && F[i] !~ /^(OK|FORGOTTEN|RENEWED): /) { print "line " i " differs"; exit }
			if (ml > 0 && ml + (nl - 1) + okn + fg + rn != mf + (nf - 1)) {
				print "counts: lean " nl - 1 " + " ml ", -v " nf - 1 " + " mf ", ok " okn ", forgotten " fg ", renewed " rn
				exit
			}
		}
		print "same"
	}')
	is "$r" same "$*: long output as with -v (less OK/FORGOTTEN lines)"
	# read in pieces (tests/pieces-run): where selection reads the dates
	# only, the rows of an export go by identity and dates, and only what
	# may be printed is read again in full; the output must not change
	for n in 61 997; do
		"$TOP_BUILDDIR/tests/pieces-run" $n -j 3 --now=2026-11-24 "$@" \
		    > "$T/pieces" 2> /dev/null
		echo $? >> "$T/pieces"
		"$PLUGIN" --now=2026-11-24 "$@" 2> /dev/null > "$T/whole"
		echo $? >> "$T/whole"
		cmp -s "$T/whole" "$T/pieces"
		ok $? "$*: read in pieces of $n bytes, the same"
	done
}

compare index.txt
like "$(cat "$T/lean")" '\.\.\. and [0-9]+ more$' "index.txt: the long output is capped"
compare -j 1 index.txt
compare -w 60 -c 20 index.txt
compare -w 1: -c @10:20 index.txt
compare -f '^h0[0-4]' index.txt
compare -x '5' index.txt
compare -f 'nothing-matches' index.txt
compare -d 3 index.txt
compare -d 400 index.txt
compare --forget-after=30 index.txt
compare --forget-after=30 -f '^h1' -c 40 index.txt
compare --issuer=. index.txt
compare -f "^(forever|later)" index.txt
compare -f "^forever" index.txt
compare issued.csv
compare --template=WebServer issued.csv
compare --exclude-template=WebServer --forget-after=100 issued.csv
compare index.txt issued.csv index.txt
compare -f '^(a+)+$' index.txt
# 600 rows expired at the same second, names falling: once the kept
# CRITICAL ones are full, each later row ties with the last kept one and
# goes in by its name
awk 'BEGIN { for (i = 599; i >= 0; i--)
	printf "V\t261101000000Z\t\t%04X\tunknown\t/CN=tie%03d.lean.test\n", 8192 + i, i }' > ties.txt
compare ties.txt
like "$(sed -n 2p "$T/lean")" 'tie000\.lean\.test' "ties.txt: the first name of the tie leads"
# --skip-renewed: renewed certificates are freed as they are superseded
compare --skip-renewed index.txt
compare --skip-renewed -f '^h0' -w 60 index.txt
compare --skip-renewed -d 3 index.txt
compare --skip-renewed -d 29 index.txt
compare --skip-renewed --forget-after=30 -c 40 index.txt
compare --skip-renewed issued.csv index.txt
# standard input between files goes straight into the report, in order
for fmt in "" "-vv" "-o json"; do
	# shellcheck disable=SC2086
	"$PLUGIN" -j 1 $fmt --now=2026-11-24 index.txt - issued.csv < issued.csv > "$T/s1" 2>&1
	# shellcheck disable=SC2086
	"$PLUGIN" -j 3 $fmt --now=2026-11-24 index.txt - issued.csv < issued.csv > "$T/s3" 2>&1
	cmp -s "$T/s1" "$T/s3"
	ok $? "stdin between files ${fmt:-(nagios)}: -j 3 as -j 1"
done

# a regular expression that fails (PCRE2's match limit) on the 3rd name
{
	printf 'V\t270101000000Z\t\t01\tunknown\t/CN=aaaa\n'
	printf 'V\t261201000000Z\t\t02\tunknown\t/CN=aaaa\n'
	printf 'V\t261202000000Z\t\t03\tunknown\t/CN=%s!\n' "$(printf 'a%.0s' $(seq 64))"
	printf 'V\t261203000000Z\t\t04\tunknown\t/CN=bbbb\n'
} > rx.txt
compare -f '^(a+)+$' rx.txt
like "$(cat "$T/lean")" "^CERT_EXPIRY UNKNOWN - regular expression" \
    "catastrophic -f: the regex error is reported"
compare --skip-renewed -f '^(a+)+$' rx.txt
like "$(cat "$T/lean")" "^CERT_EXPIRY UNKNOWN - regular expression" \
    "--skip-renewed, catastrophic -f: the regex error is reported (not pruned away)"
compare --skip-renewed -f '^(a+)+$' rx.txt index.txt
# -f and -x match a row's name in the thread that reads it, where the name
# is plain (the CN of a plain one-line DN, a plain CN column); any other
# row is read in full: both must select as the whole read does
{
	i=0
	for n in '/CN=plain-a' '/O=x/CN=first-b/CN=second-b' '/CN=esc\x41ped-c' \
	    '/CN=utf8-\xC3\xA9-d' '/O=no-cn-e' '/CN=' '/CN=multi-f+OU=y' \
	    '/cn=lower-g' '/CN= spaced-h' "/CN=$(printf 'l%.0s' $(seq 300))-i"; do
		for k in 1 2 3; do
			i=$((i + 1))
			printf 'V\t2612%02d000000Z\t\t%04X\tunknown\t%s\n' $((i % 28 + 1)) $((i + 256)) "$n"
		done
	done
} > names.txt
printf '"Issued Request ID","Serial Number","Issued Common Name","Issued Distinguished Name","Certificate Expiration Date"\n' > names.csv
i=0
for n in '"plain-a",""' '"quo""ted-b",""' '"utf8-\303\251-c",""' '"","CN=dn-only-d, O=x"' \
    '"cn-e","CN=other-e, O=x"' '"two\nlines-f",""'; do
	for k in 1 2 3; do
		i=$((i + 1))
		printf '"%d","%06x",%b,"12/%d/2026 1:00 AM"\n' $((i + 2)) $((i + 4096)) "$n" $((i % 28 + 1))
	done
done >> names.csv
for f in names.txt names.csv; do
	for rx in '-' 'b$' '^(first|plain|lower|cn|two|utf8|esc|dn)-' 'é' '^l+-i$' 'dn-only|no-cn|multi'; do
		compare -f "$rx" "$f"
		compare -x "$rx" "$f"
	done
done
compare -f '^c0[0-4]' issued.csv
compare -x '7' -d 30 issued.csv

# full mode with filters keeps only the selected certificates, yet counts
# every one found, once (every 7th row is repeated, filtered ones too)
c=$("$PLUGIN" -o json --now=2026-11-24 -f '^h0[0-4]' index.txt | grep '"counts"')
like "$c" '"certificates": 1000, .*"found": 3002\}' "json -f: 1000 selected of 3002 found"
c=$("$PLUGIN" -o json --now=2026-11-24 -x '^h0[0-4]' --skip-renewed index.txt | grep '"counts"')
like "$c" '"certificates": 1202, "ok": 952, "warning": 69, "critical": 181, .*"found": 3002\}' \
    "json -x --skip-renewed: the renewed ones among the selected only"
c=$("$PLUGIN" -o list --now=2026-11-24 -f '^h0000' index.txt | grep -c 'h0000')
is "$c" 2 "list -f: the two certificates named h0000, each once"
run_plugin -o json --now=2026-11-24 -f '^(a+)+$' index.txt
like "$out" '"certificates": 0,' "json with a catastrophic -f: nothing selected (no name is all a's)"

if [ "$have_certs" = 1 ]; then
	# one certificate twice: as a PEM file (taken by its dates, in lean
	# mode) and in a certutil CSV with its template (taken in full, the
	# extras need it): the same identity, so counted once
	mkdir cross
	cp certs/c001.pem cross/
	{
		printf '"Request ID","Certificate Template","Binary Certificate"\r\n'
		printf '"7","WebServer","%s"\r\n' "$(grep -v -- '-----' certs/c001.pem | tr -d '\n')"
	} > cross/issued.csv
	compare cross
	like "$(head -n 1 "$T/lean")" ' of 1 certificate;' \
	    "a certificate in a PEM file and in a CSV: one certificate"
	# and as DER, in a PKCS#7 bundle and in a PEM bundle after another
	# one: every way in gives it the same identity
	$OPENSSL x509 -in certs/c001.pem -outform DER -out cross/c001.der
	$OPENSSL crl2pkcs7 -nocrl -certfile certs/c001.pem -outform DER -out cross/c001.p7b
	cat certs/c003.pem certs/c001.pem > cross/both.pem
	compare cross
	like "$(head -n 1 "$T/lean")" ' of 2 certificates;' \
	    "a certificate as PEM, DER, PKCS#7, in a bundle and a CSV: one certificate"
	compare certs
	like "$(head -n 1 "$T/lean")" ', 1 error; ' "certificates: the broken file is counted"
	compare -j 2 certs index.txt
	compare -w 100 -c 50 certs
	compare -d 5 certs
	compare --skip-renewed certs
	compare --skip-renewed -j 1 certs index.txt
fi
done_testing
