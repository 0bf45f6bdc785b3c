#!/bin/sh
# Shapes seen in real certutil exports and CA databases that others made
# (public lab write-ups, repositories; see the commit messages): the
# fixtures here are our own, with our own names and dates, in those shapes.
. "$TOP_SRCDIR/tests/lib.sh"
scratch
NOW="--now 2027-01-01"

u16() {	# u16 IN OUT: as PowerShell writes it (UTF-16LE with BOM, CRLF)
	{ printf '\377\376'; sed 's/$/\r/' "$1" | iconv -f UTF-8 -t UTF-16LE; } >"$2"
}

# ------------------------------------------- an export cut at its start
# "certutil -view ... | Select-Object -Last 10" (or a copy that lost its
# beginning) keeps the trailer, which counts every row of the export.
cat >"$T/full.txt" <<'X'
Schema:
  Column Name                   Localized Name                Type    MaxLength
  ----------------------------  ----------------------------  ------  ---------
  RequestID                     Issued Request ID             Long    4 -- Indexed
  CommonName                    Issued Common Name            String  8192 -- Indexed
  NotAfter                      Certificate Expiration Date   Date    8 -- Indexed

Row 1:
  Issued Request ID: 0x21 (33)
  Issued Common Name: "gw01.lab.example"
  Certificate Expiration Date: 1/5/2027 9:15 AM

Row 2:
  Issued Request ID: 0x22 (34)
  Issued Common Name: "gw01.lab.example"
  Certificate Expiration Date: 1/5/2027 9:16 AM

Row 3:
  Issued Request ID: 0x23 (35)
  Issued Common Name: "files.lab.example"
  Certificate Expiration Date: 8/30/2028 4:40 PM

Maximum Row Index: 3

3 Rows
  9 Row Properties, Total Size = 301, Max Size = 48, Ave Size = 33
   0 Request Attributes, Total Size = 0, Max Size = 0, Ave Size = 0
   0 Certificate Extensions, Total Size = 0, Max Size = 0, Ave Size = 0
   9 Total Fields, Total Size = 301, Max Size = 48, Ave Size = 33
CertUtil: -view command completed successfully.
X
TZ=UTC run_plugin $NOW -p "$T/full.txt"
is "$rc" 2 "the whole export: CRITICAL (gw01 expires in 4 days)"
like "$out" 'of 3 certificates' "... three certificates"
unlike "$out" 'ERROR' "... and no error"

tail -n 15 "$T/full.txt" >"$T/cut.txt"	# Row 3 and the trailer
TZ=UTC run_plugin $NOW -p "$T/cut.txt"
is "$rc" 3 "an export cut at its start: UNKNOWN, not OK"
like "$out" "ERROR: [^ ]*cut.txt: truncated: the trailer counts 3 rows, 1 read" \
    "... the error names the file and the counts"
like "$out" 'files.lab.example' "... the row that is there is still reported"
u16 "$T/cut.txt" "$T/cut-u16.txt"
TZ=UTC run_plugin $NOW -p "$T/cut-u16.txt"
like "$out" "ERROR: [^ ]*cut-u16.txt: truncated: the trailer counts 3 rows, 1 read" \
    "... the same as UTF-16LE with BOM and CRLF"

tail -n 8 "$T/full.txt" >"$T/last8.txt"	# what Select-Object -Last 8 leaves
printf '  Certificate Expiration Date: 8/30/2028 4:40 PM\n' | cat - "$T/last8.txt" >"$T/orphan.txt"
for f in last8.txt orphan.txt; do
	TZ=UTC run_plugin -o json $NOW -p "$T/$f"
	like "$out" '"message": "truncated: the trailer counts 3 rows, 0 read' \
	    "$f: no row left but the trailer: an error"
	unlike "$out" 'content not recognised' "$f: not skipped as unknown content"
	is "$rc" 3 "$f: UNKNOWN"
done
u16 "$T/orphan.txt" "$T/orphan-u16.txt"
TZ=UTC run_plugin $NOW -p "$T/orphan-u16.txt"
like "$out" 'truncated: the trailer counts 3 rows, 0 read' "orphan.txt as UTF-16LE: the same"

# the trailer alone, with nothing cut: an export without rows, skipped
sed -n '1,6p' "$T/full.txt" >"$T/zero.txt"
printf 'Maximum Row Index: 0\n\n0 Rows\nCertUtil: -view command completed successfully.\n' >>"$T/zero.txt"
TZ=UTC run_plugin -o json $NOW -p "$T/zero.txt"
like "$out" '"reason": "certutil export without any row"' "0 Rows: skipped, no error"
unlike "$out" 'truncated' "0 Rows: nothing is missing"

# two exports appended to one file: each trailer counts its own rows
cat "$T/full.txt" "$T/full.txt" >"$T/twice.txt"
TZ=UTC run_plugin $NOW -p "$T/twice.txt"
unlike "$out" 'truncated' "two whole exports in one file: nothing missing"
cat "$T/full.txt" "$T/cut.txt" >"$T/whole-and-cut.txt"
TZ=UTC run_plugin $NOW -p "$T/whole-and-cut.txt"
like "$out" 'truncated: the trailer counts 3 rows, 1 read' "a whole export, then a cut one"

# a CSV export is not taken for a cut text export by a trailer after it
printf '"Issued Request ID","Issued Common Name","Certificate Expiration Date"\r\n"35","files.lab.example","8/30/2028 4:40 PM"\r\n\r\nMaximum Row Index: 1\r\n\r\n1 Rows\r\nCertUtil: -view command completed successfully.\r\n' >"$T/trailer.csv"
TZ=UTC run_plugin -vv $NOW -p "$T/trailer.csv"
like "$out" 'trailer.csv: read as certutil_csv' "a CSV export with a text trailer: still read as CSV"
like "$out" 'files.lab.example expires 2028-08-30' "... its row reported"
unlike "$out" 'truncated: the trailer' "... not a cut text export"

# a text that only mentions a row index is no export
printf 'Notes\nMaximum Row Index: a spreadsheet term\n' >"$T/notes.txt"
TZ=UTC run_plugin -o json $NOW -p "$T/notes.txt"
unlike "$out" 'certutil' "prose with 'Maximum Row Index:' and no number: not certutil"

# ------------------------------------------- index.txt copied on Windows
# PowerShell 5 (Get-Content index.txt > copy.txt, Out-File) writes UTF-16LE
# with a BOM and CRLF; the database itself is ASCII with \x escapes.
printf 'V\t270301120000Z\t\t1A2B\tunknown\t/C=DE/O=Lab/CN=vpn.lab.example\nR\t280101000000Z\t260101000000Z,superseded\t1A2C\tunknown\t/CN=old.lab.example\nV\t270110080000Z\t\t1A2D\tunknown\t/DC=example/DC=lab/CN=Users/CN=Erika M\\xC3\\xBCller\n' >"$T/index.txt"
run_plugin -o json $NOW -p "$T/index.txt"
want=$out
like "$want" '"certificates": 2,' "index.txt: two valid rows"
u16 "$T/index.txt" "$T/index-u16.txt"
run_plugin -o json $NOW -p "$T/index-u16.txt"
is "$(printf '%s' "$out" | sed 's/index-u16/index/g')" "$want" "index.txt as UTF-16LE with BOM, CRLF: the same certificates"
like "$out" '"name": "Erika Müller"' "... the last CN, its \\x escapes decoded"
{ printf '\376\377'; sed 's/$/\r/' "$T/index.txt" | iconv -f UTF-8 -t UTF-16BE; } >"$T/index-u16be.txt"
run_plugin -o json $NOW -p "$T/index-u16be.txt"
is "$(printf '%s' "$out" | sed 's/index-u16be/index/g')" "$want" "... and as UTF-16BE with BOM"
run_plugin -o json $NOW --include-revoked -p "$T/index-u16.txt"
like "$out" '"certificates": 3,' "UTF-16 index.txt, --include-revoked: the revoked row too"
out=$("$TOP_BUILDDIR/tests/pieces-run" 64 $NOW -p "$T/index-u16.txt" 2>/dev/null)
like "$out" 'of 2 certificates' "UTF-16 index.txt where pieces are wanted: read whole, the same two"
head -c 201 "$T/index-u16.txt" >"$T/index-odd.txt"
run_plugin $NOW -p "$T/index-odd.txt"
like "$out" 'index-odd.txt: truncated UTF-16 text' "an odd byte count: truncated, an error"

# ------------------------------------ a PayPal button in a web page
# Encrypted payment buttons put a PKCS#7 (not SignedData) into an HTML
# attribute, on one line: a web root scanned for certificates holds many.
"$OPENSSL" req -x509 -newkey rsa:2048 -nodes \
    -keyout "$T/k.pem" -out "$T/shop.pem" -subj "/CN=shop.lab.example" -days 90 2>/dev/null
printf 'cmd=_cart\nitem=lab mug\n' >"$T/button.txt"
"$OPENSSL" smime -encrypt -aes256 -outform PEM -in "$T/button.txt" -out "$T/env.p7" "$T/shop.pem"
ok $? "an EnvelopedData made with openssl smime -encrypt"
b64=$(grep -v -- ----- "$T/env.p7" | tr -d '\n')
mkdir "$T/www"
{
	printf '<form action="https://pay.example/cgi-bin/webscr" method="post">\n'
	printf '<input type="hidden" name="encrypted" value="-----BEGIN PKCS7-----%s-----END PKCS7-----">\n' "$b64"
	printf '</form>\n'
} >"$T/www/cart.html"
cp "$T/shop.pem" "$T/www/shop.pem"
run_plugin -vv $NOW -p "$T/www"
is "$rc" 0 "a web root with a PayPal-style button and a certificate: OK"
unlike "$out" 'ERROR' "... no error for the page"
like "$out" 'of 1 certificate' "... the certificate is reported"
like "$out" 'PKCS#7 EnvelopedData \(line 2\), not SignedData' "... -vv says what the page's block is"
run_plugin -o json $NOW -p "$T/env.p7"
like "$out" '"reason": "no certificate in pem input"' "a PEM EnvelopedData alone: skipped, as the DER reader skips content infos"
grep -v -- ----- "$T/env.p7" | base64 -d >"$T/env.der"
run_plugin -o json $NOW -p "$T/env.der"
like "$out" '"reason": "no certificate \(DER content info\)"' "... and as DER: skipped too"
# a PKCS7 block of some other OID is still an error
printf '\060\015\006\011\052\206\110\206\367\015\001\011\011\240\000' | base64 >"$T/odd.b64"
{ echo '-----BEGIN PKCS7-----'; cat "$T/odd.b64"; echo '-----END PKCS7-----'; } >"$T/odd.p7b"
run_plugin $NOW -p "$T/odd.p7b"
like "$out" 'odd.p7b:1: PKCS#7: not a SignedData ContentInfo' "a PKCS7 block of a non-PKCS#7 OID: still an error"

done_testing
