# Helpers of the container area's shell tests. Source after lib.sh and
# scratch: uses $T.
DUMP=$TOP_BUILDDIR/tests/container-dump
PY=/usr/bin/python3

# A small EC P-256 PKI in $T: root.pem, int.pem, leaf.pem (+ .key), chain.pem
make_pki() {
	printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n' >"$T/ca.ext"
	printf 'basicConstraints=CA:FALSE\nsubjectAltName=DNS:leaf.container.test\n' >"$T/leaf.ext"
	"$OPENSSL" req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$T/root.key" -out "$T/root.pem" -subj "/O=Container Test/CN=Container Root" \
	    -days 3650 -set_serial 0x0100 -addext basicConstraints=critical,CA:TRUE 2>/dev/null &&
	"$OPENSSL" req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$T/int.key" -out "$T/int.csr" -subj "/O=Container Test/CN=Container Intermediate" 2>/dev/null &&
	"$OPENSSL" x509 -req -in "$T/int.csr" -CA "$T/root.pem" -CAkey "$T/root.key" \
	    -set_serial 0x1001 -days 1000 -extfile "$T/ca.ext" -out "$T/int.pem" 2>/dev/null &&
	"$OPENSSL" req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$T/leaf.key" -out "$T/leaf.csr" -subj "/CN=leaf.container.test" 2>/dev/null &&
	"$OPENSSL" x509 -req -in "$T/leaf.csr" -CA "$T/int.pem" -CAkey "$T/int.key" \
	    -set_serial 0x2002 -days 200 -extfile "$T/leaf.ext" -out "$T/leaf.pem" 2>/dev/null &&
	cat "$T/int.pem" "$T/root.pem" >"$T/chain.pem"
}

# SHA-256 fingerprints (upper-case hex) of every certificate of a PEM stream
# on stdin, sorted (duplicates kept).
pem_fps() {
	rm -f "$T"/split.*
	awk -v dir="$T" '
	    /-----BEGIN CERTIFICATE-----/ { n++; f = sprintf("%s/split.%04d", dir, n) }
	    f != "" { print > f }
	    /-----END CERTIFICATE-----/ { if (f != "") close(f); f = "" }'
	for f in "$T"/split.*; do
		[ -f "$f" ] || continue
		"$OPENSSL" x509 -in "$f" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g'
		rm -f "$f"
	done | sort
}

# Fingerprints of what the container readers report for FILE, sorted.
dump_fps() {
	"$DUMP" "$1" | awk -F '\t' '$1 == "cert" { print $4 }' | sort
}

# From the plugin's JSON in $out: sorted SHA-256 of the certificates.
json_fps() {
	printf '%s' "$out" | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
for h in sorted(c["sha256"].upper() for c in d["certificates"] if c.get("sha256")):
    print(h)'
}

# From the plugin's JSON in $out: "path: message" per error.
json_errors() {
	printf '%s' "$out" | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
for e in d["errors"]:
    print("%s: %s" % (e["path"], e["message"]))'
}

# From the plugin's JSON in $out: "format alias" per source, sorted.
json_sources() {
	printf '%s' "$out" | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
for c in d["certificates"]:
    for s in c["sources"]:
        print("%s %s" % (s.get("format"), s.get("alias") or "-"))' | sort
}

# Serials (as openssl x509 -serial prints them) from the JSON in $out, sorted.
json_serials() {
	printf '%s' "$out" | "$PY" -c '
import json, sys
d = json.load(sys.stdin)
for s in sorted(c["serial"] for c in d["certificates"]):
    print(s)'
}

# pem_serials: serials of every certificate of a PEM stream on stdin, sorted.
pem_serials() {
	rm -f "$T"/split.*
	awk -v dir="$T" '
	    /-----BEGIN CERTIFICATE-----/ { n++; f = sprintf("%s/split.%04d", dir, n) }
	    f != "" { print > f }
	    /-----END CERTIFICATE-----/ { if (f != "") close(f); f = "" }'
	for f in "$T"/split.*; do
		[ -f "$f" ] || continue
		"$OPENSSL" x509 -in "$f" -noout -serial | sed 's/.*=//'
		rm -f "$f"
	done | sort
}

# cut FILE N OUT: the first N bytes of FILE into OUT.
cut_file() {
	head -c "$2" "$1" >"$3"
}

filesize() {
	wc -c <"$1" | tr -d ' '
}
