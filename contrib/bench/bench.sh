#!/bin/sh
# check_cert_expiry benchmark: the plugin against its references, measured in
# the same run. Run it through `make bench` (which builds the helpers), or:
#
#   PLUGIN=plugin/check_cert_expiry BENCH_GEN=contrib/bench/bench-gen \
#   BENCH_REF=contrib/bench/bench-ref BENCH_FLOOR=contrib/bench/bench-floor \
#   sh contrib/bench/bench.sh
#
# BENCH_DIR   where the corpora are generated and cached (/tmp/cce-bench)
# BENCH_RUNS  runs per measurement, the median is printed (3)
# BENCH_JOBS  -j for the plugin (empty: its default, the number of CPUs)
# BENCH_ONLY  "endpoints": only the endpoint lines (no corpora needed)
#
# The corpora are deterministic except for the RSA key of the template
# certificate; the patched certificates carry invalid signatures (see
# bench-gen.c), which expiry scanning never checks.
set -eu

: "${PLUGIN:?set PLUGIN to the built plugin}"
: "${BENCH_GEN:?set BENCH_GEN}"
: "${BENCH_REF:?set BENCH_REF}"
: "${BENCH_FLOOR:?set BENCH_FLOOR}"
BENCH_DIR=${BENCH_DIR:-/tmp/cce-bench}
BENCH_RUNS=${BENCH_RUNS:-3}
BENCH_JOBS=${BENCH_JOBS:-}
NOW=--now=2027-01-01
MAWK=$(command -v mawk || command -v awk)
export LC_ALL=C TZ=UTC

BENCH_ONLY=${BENCH_ONLY:-}
RESULTS=$(mktemp)
EP_PID=
trap 'rm -f "$RESULTS"; [ -z "$EP_PID" ] || kill "$EP_PID" 2>/dev/null' EXIT

# m KEY COUNT CMD...: measures CMD, records "KEY seconds rss_kb count"
m() {
	key=$1 n=$2
	shift 2
	r=$("$BENCH_REF" time "$BENCH_RUNS" "$@")
	echo "$key $r $n" >> "$RESULTS"
	echo "$key $r $n" | awk '{ printf "  %-28s %8.3f s %10.0f /s %8.1f MB\n",
	    $1, $2, $4 / $2, $3 / 1024 }'
}

# endpoints: one TLS endpoint on loopback (openssl s_server, leaf + CA)
# against openssl s_client, and fifty at once against one
bench_endpoints() {
	E=$(mktemp -d)
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$E/ca.key" -out "$E/ca.pem" -days 3650 -subj "/CN=Bench CA" 2>/dev/null
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$E/leaf.key" \
	    -out "$E/leaf.csr" -subj "/CN=localhost" 2>/dev/null
	printf 'subjectAltName=DNS:localhost\n' > "$E/ext"
	openssl x509 -req -in "$E/leaf.csr" -CA "$E/ca.pem" -CAkey "$E/ca.key" -CAcreateserial \
	    -days 365 -extfile "$E/ext" -out "$E/leaf.pem" 2>/dev/null
	port=$((20000 + $$ % 20000))
	openssl s_server -accept "127.0.0.1:$port" -www -quiet -cert "$E/leaf.pem" \
	    -key "$E/leaf.key" -cert_chain "$E/ca.pem" </dev/null >/dev/null 2>&1 &
	EP_PID=$!
	sleep 0.5
	url=https://localhost:$port
	fifty=
	i=0
	while [ $i -lt 50 ]; do fifty="$fifty --connect=$url/$i"; i=$((i + 1)); done
	echo "== TLS endpoints on loopback (openssl s_server, leaf + CA)"
	m ep.s_client 1 sh -c "openssl s_client -connect 127.0.0.1:$port -servername localhost \
	    </dev/null >/dev/null 2>&1"
	m ep.plugin.1 1 "$PLUGIN" -4 --connect="$url"
	# shellcheck disable=SC2086
	m ep.plugin.50 50 "$PLUGIN" -4 $fifty
	# the floor: 50 bare OpenSSL handshakes in one thread, same server
	"$BENCH_FLOOR" handshakes 1 127.0.0.1 "$port" localhost ||
	    { echo "bench: bench-floor cannot reach the server" >&2; exit 1; }
	m ep.floor.50 50 "$BENCH_FLOOR" handshakes 50 127.0.0.1 "$port" localhost
	kill "$EP_PID" 2>/dev/null
	EP_PID=
	rm -rf "$E"
}

ep_targets() {
	echo
	echo "== endpoint targets (ratios measured in this run)"
	awk '
	{ t[$1] = $2; rss[$1] = $3 / 1024 }
	function line(what, ok, fig) {
		printf "  %-4s %-58s %s\n", ok ? "MET" : "MISS", what, fig
	}
	END {
		line("one endpoint at most the time of openssl s_client",
		    t["ep.plugin.1"] <= t["ep.s_client"],
		    sprintf("%.2fx s_client", t["ep.plugin.1"] / t["ep.s_client"]))
		line("50 endpoints in at most 3x the time of one",
		    t["ep.plugin.50"] <= 3 * t["ep.plugin.1"],
		    sprintf("%.2fx one", t["ep.plugin.50"] / t["ep.plugin.1"]))
		printf "       %-58s %s\n", "  the floor: 50 bare OpenSSL handshakes, one thread",
		    sprintf("%.2fx one", t["ep.floor.50"] / t["ep.plugin.1"])
		printf "       %-58s %s\n", "  50 endpoints against that floor",
		    sprintf("%.2fx the floor", t["ep.plugin.50"] / t["ep.floor.50"])
		line("50 endpoints under 64 MB", rss["ep.plugin.50"] < 64,
		    sprintf("%.1f MB", rss["ep.plugin.50"]))
	}' "$RESULTS"
}

if [ "$BENCH_ONLY" = endpoints ]; then
	bench_endpoints
	ep_targets
	exit 0
fi

if [ ! -f "$BENCH_DIR/.done" ]; then
	echo "generating the corpora in $BENCH_DIR ..."
	t0=$(date +%s.%N)
	"$BENCH_GEN" "$BENCH_DIR"
	t1=$(date +%s.%N)
	echo "generated in $(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }') s"
fi
D=$BENCH_DIR
NFILES=$(ls "$D/pem" | wc -l)
NFILES=$((NFILES * 1000))
[ -f "$D/pem/000/cert-000999.pem" ] || NFILES=$(find "$D/pem" -type f | wc -l)
NROWS=$(wc -l < "$D/index.txt")
J=${BENCH_JOBS:+-j$BENCH_JOBS}

# warm the page cache
cat "$D/bundle.pem" "$D/index.txt" "$D/certutil.csv" > /dev/null
"$BENCH_REF" read "$D/pem" "$D/der" > /dev/null

echo "== $NFILES PEM files, one certificate each"
m pem.read "$NFILES" "$BENCH_REF" read "$D/pem"
m pem.ossl "$NFILES" "$BENCH_REF" ossl "$D/pem"
m pem.walk1 "$NFILES" "$BENCH_REF" walk "$D/pem"
m pem.plugin "$NFILES" "$PLUGIN" $J $NOW -p "$D/pem"
m pem.plugin.j1 "$NFILES" "$PLUGIN" -j1 $NOW -p "$D/pem"
echo "== $NFILES DER files"
m der.read "$NFILES" "$BENCH_REF" read "$D/der"
m der.ossl "$NFILES" "$BENCH_REF" ossl "$D/der"
m der.plugin "$NFILES" "$PLUGIN" $J $NOW -p "$D/der"
echo "== one PEM bundle of $NFILES certificates ($(($(wc -c < "$D/bundle.pem") / 1048576)) MB)"
m bundle.walk1 "$NFILES" "$BENCH_REF" walk "$D/bundle.pem"
m bundle.ossl "$NFILES" "$BENCH_REF" ossl "$D/bundle.pem"
m bundle.plugin "$NFILES" "$PLUGIN" $J $NOW -p "$D/bundle.pem"
echo "== $NROWS-row index.txt ($(($(wc -c < "$D/index.txt") / 1048576)) MB)"
m index.wc "$NROWS" wc -l "$D/index.txt"
m index.mawk "$NROWS" "$MAWK" -F '\t' '$2 < "270101000000Z" { n++ } END { print n + 0 }' "$D/index.txt"
m index.plugin "$NROWS" "$PLUGIN" $J $NOW -p "$D/index.txt"
echo "== $NROWS-row certutil CSV ($(($(wc -c < "$D/certutil.csv") / 1048576)) MB)"
m csv.wc "$NROWS" wc -l "$D/certutil.csv"
m csv.mawk "$NROWS" "$MAWK" -F '","' 'NR > 1 { split($4, d, /[\/ :]/); if (d[3] * 10000 + d[1] * 100 + d[2] < 20270101) n++ } END { print n + 0 }' "$D/certutil.csv"
m csv.plugin "$NROWS" "$PLUGIN" $J $NOW -p "$D/certutil.csv"
echo "== one certificate"
m one.plugin 1 "$PLUGIN" $NOW -p "$D/one.pem"
m one.openssl 1 openssl x509 -noout -enddate -in "$D/one.pem"
# the floor: a main() calling one function of each library the plugin links
m one.floor 1 "$BENCH_FLOOR" start
bench_endpoints

echo
echo "== targets (ratios measured in this run)"
awk '
{ t[$1] = $2; rss[$1] = $3 / 1024 }
function line(what, ok, fig) {
	printf "  %-4s %-58s %s\n", ok ? "MET" : "MISS", what, fig
}
END {
	line("100k PEM files at most 1.25x the read limit", t["pem.plugin"] <= 1.25 * t["pem.read"],
	    sprintf("%.2fx the read limit", t["pem.plugin"] / t["pem.read"]))
	line("100k PEM files at least 20x faster than OpenSSL", t["pem.ossl"] / t["pem.plugin"] >= 20,
	    sprintf("%.1fx faster", t["pem.ossl"] / t["pem.plugin"]))
	line("100k PEM files under 64 MB (nagios output)", rss["pem.plugin"] < 64,
	    sprintf("%.1f MB", rss["pem.plugin"]))
	line("bundle at or below the one-thread DER walk", t["bundle.plugin"] <= t["bundle.walk1"],
	    sprintf("%.2fx the walk", t["bundle.plugin"] / t["bundle.walk1"]))
	line("bundle under 64 MB", rss["bundle.plugin"] < 64,
	    sprintf("%.1f MB", rss["bundle.plugin"]))
	line("index.txt at or below mawk", t["index.plugin"] <= t["index.mawk"],
	    sprintf("%.2fx mawk", t["index.plugin"] / t["index.mawk"]))
	line("certutil CSV at or below mawk", t["csv.plugin"] <= t["csv.mawk"],
	    sprintf("%.2fx mawk", t["csv.plugin"] / t["csv.mawk"]))
	line("index.txt under 64 MB (nagios output)", rss["index.plugin"] < 64,
	    sprintf("%.1f MB (file %.0f MB)", rss["index.plugin"], isz))
	line("certutil CSV under 64 MB (nagios output)", rss["csv.plugin"] < 64,
	    sprintf("%.1f MB (file %.0f MB)", rss["csv.plugin"], csz))
	line("one certificate under 10 ms", t["one.plugin"] < 0.010,
	    sprintf("%.2f ms", t["one.plugin"] * 1000))
	printf "       %-58s %s\n", "  the floor: start-up of the libraries the plugin links",
	    sprintf("%.2f ms", t["one.floor"] * 1000)
	line("one certificate in at most half of openssl x509", t["one.plugin"] <= t["one.openssl"] / 2,
	    sprintf("%.2fx openssl x509", t["one.plugin"] / t["one.openssl"]))
}' isz=$(($(wc -c < "$D/index.txt") / 1048576)) csz=$(($(wc -c < "$D/certutil.csv") / 1048576)) "$RESULTS"
ep_targets
