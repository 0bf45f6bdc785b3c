# Helpers for the endpoint tests (tests/net-*.sh): a test PKI, servers
# started in the background from configs in $T on free loopback ports and
# stopped by PID at exit (even on failure), the plugin under a timeout.
PY=/usr/bin/python3
NET_PIDS=

net_cleanup() {
	local p
	for p in $NET_PIDS; do
		kill "$p" 2>/dev/null
	done
	for p in $NET_PIDS; do	# a few seconds to stop, then for good
		for _ in $(seq 30); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap net_cleanup EXIT
trap 'exit 1' INT TERM

free_port() {
	"$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_port PORT [HOST]: until something listens there (at most 10 s)
wait_port() {
	"$PY" - "$1" "${2:-127.0.0.1}" <<'PYEOF'
import socket, sys, time
end = time.time() + 10
while time.time() < end:
    try:
        socket.create_connection((sys.argv[2], int(sys.argv[1])), 0.5).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit(1)
PYEOF
}

# bgrun CMD...: starts a server in the background, remembered for the cleanup
bgrun() {
	"$@" </dev/null >>"$T/bg.log" 2>&1 &
	NET_PIDS="$NET_PIDS $!"
	LAST_PID=$!
}

# run_net ARGS...: the plugin bounded in time; sets $out, $err, $rc
run_net() {
	local o e
	o=$(mktemp) e=$(mktemp)
	timeout 60 "$PLUGIN" "$@" >"$o" 2>"$e"
	rc=$?
	out=$(cat "$o")
	err=$(cat "$e")
	rm -f "$o" "$e"
}

# peer MODE [ARGS]: a misbehaving peer (tests/net-peer.py); sets $PORT
peer_n=0
peer() {
	local m=$1 f
	shift
	peer_n=$((peer_n + 1))
	f=$T/peer.$m.$peer_n
	bgrun "$PY" "$TOP_SRCDIR/tests/net-peer.py" "$m" "$f" "$@"
	for _ in $(seq 100); do [ -s "$f" ] && break; sleep 0.05; done
	PORT=$(cat "$f")
	PEERFILE=$f
}

# need CMD...: a server the test needs; missing, the test fails (CI
# installs it: contrib/bootstrap.sh TEST_DEPS), it does not skip
need() {
	local c
	for c in "$@"; do
		if ! command -v "$c" >/dev/null 2>&1 && [ ! -x "$c" ]; then
			echo "Bail out! $c is not installed (contrib/bootstrap.sh TEST_DEPS)"
			exit 1
		fi
	done
}

# mk_pki: $T/pki with a root (10 years), an intermediate that expires in
# 20 days, and leaves signed by it: www.test.example (60 days; also
# localhost, 127.0.0.1, ::1) and other.test.example (200 days).
mk_pki() {
	local o=$OPENSSL
	mkdir -p "$T/pki"
	(
	cd "$T/pki" || exit 1
	$o ecparam -name prime256v1 -genkey -noout -out root.key
	$o req -x509 -new -key root.key -subj "/CN=Net Test Root" -days 3650 -out root.pem \
	    -addext basicConstraints=critical,CA:TRUE \
	    -addext keyUsage=critical,keyCertSign,cRLSign
	$o ecparam -name prime256v1 -genkey -noout -out inter.key
	$o req -new -key inter.key -subj "/CN=Net Test Intermediate" -out inter.csr
	printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n' >ca.ext
	$o x509 -req -in inter.csr -CA root.pem -CAkey root.key -CAcreateserial -days 20 \
	    -extfile ca.ext -out inter.pem
	) >>"$T/pki.log" 2>&1
	mk_leaf www.test.example 60 "DNS:www.test.example,DNS:localhost,IP:127.0.0.1,IP:::1"
	mk_leaf other.test.example 200 "DNS:other.test.example"
	[ -s "$T/pki/other.test.example.pem" ] || { echo "Bail out! test PKI not made"; exit 1; }
	cat "$T/pki/inter.pem" "$T/pki/root.pem" >"$T/pki/cas.pem"
}

# mk_leaf CN DAYS SAN [NAME]: $T/pki/NAME.pem and .key (NAME defaults to CN)
mk_leaf() {
	local o=$OPENSSL n=${4:-$1}
	(
	cd "$T/pki" || exit 1
	$o ecparam -name prime256v1 -genkey -noout -out "$n.key"
	$o req -new -key "$n.key" -subj "/CN=$1" -out "$n.csr"
	printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
	    "$3" >"$n.ext"
	$o x509 -req -in "$n.csr" -CA inter.pem -CAkey inter.key -CAcreateserial -days "$2" \
	    -extfile "$n.ext" -out "$n.pem"
	cat "$n.pem" inter.pem >"$n.chain.pem"
	) >>"$T/pki.log" 2>&1
}

# s_server PORT ARGS...: openssl s_server on 127.0.0.1:PORT, serving
# www.test.example's chain unless ARGS say otherwise
s_server() {
	local p=$1
	shift
	bgrun "$OPENSSL" s_server -accept "127.0.0.1:$p" -www -quiet \
	    -cert "$T/pki/www.test.example.pem" -key "$T/pki/www.test.example.key" \
	    -cert_chain "$T/pki/inter.pem" "$@"
	wait_port "$p" || echo "# s_server on $p did not start"
}

sha256_of() {	# the SHA-256 of a PEM certificate's DER, lower case
	"$OPENSSL" x509 -in "$1" -outform DER | sha256sum | cut -d' ' -f1
}
