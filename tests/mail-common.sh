# Helpers for the mail tests (sourced after tests/lib.sh and scratch).
# A test CA made with openssl, certificates with exact dates, and SMTP
# servers (tests/smtpd.py) on 127.0.0.1, all in the scratch dir $T and all
# stopped at exit.
PY=/usr/bin/python3
[ -x "$PY" ] || skip_all "no /usr/bin/python3"
"$PY" -c 'import aiosmtpd' 2>/dev/null || skip_all "python3-aiosmtpd is not installed"
command -v timeout >/dev/null 2>&1 || skip_all "no timeout(1)"

smtpd_pids=
mail_cleanup() {
	for p in $smtpd_pids; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	rm -rf "$T"
}
trap mail_cleanup EXIT

# start_smtpd NAME [smtpd.py options]: sets PORT; messages go to $T/NAME/
start_smtpd() {
	local name=$1 i
	shift
	mkdir -p "$T/$name"
	rm -f "$T/$name.port"
	timeout 120 "$PY" "$TOP_SRCDIR/tests/smtpd.py" --dir "$T/$name" \
	    --port-file "$T/$name.port" --lifetime 100 "$@" 2>"$T/$name.log" &
	smtpd_pids="$smtpd_pids $!"
	for i in $(seq 100); do
		[ -s "$T/$name.port" ] && break
		sleep 0.1
	done
	PORT=$(cat "$T/$name.port" 2>/dev/null)
	[ -n "$PORT" ] || { echo "# smtpd $name did not start:"; sed 's/^/# /' "$T/$name.log"; }
}

# A port where nothing listens (bound by the kernel, then closed).
closed_port() {
	"$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# mk_ca: the test CA in $T/ca (EC P-256), used for the SMTP server's
# certificate and for the certificates the plugin looks at.
mk_ca() {
	mkdir -p "$T/ca/new"
	: >"$T/ca/index.txt"
	echo 1000 >"$T/ca/serial"
	cat >"$T/ca/ca.cnf" <<EOF
[ ca ]
default_ca = CA_default
[ CA_default ]
dir = $T/ca
database = \$dir/index.txt
new_certs_dir = \$dir/new
serial = \$dir/serial
private_key = \$dir/ca.key
certificate = \$dir/ca.pem
default_md = sha256
policy = policy_any
unique_subject = no
email_in_dn = no
copy_extensions = copy
string_mask = utf8only
[ policy_any ]
commonName = optional
EOF
	"$OPENSSL" req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$T/ca/ca.key" -out "$T/ca/ca.pem" -subj "/CN=Mail Test CA" \
	    -days 3650 2>/dev/null
	"$OPENSSL" genpkey -algorithm ec -pkeyopt ec_paramgen_curve:P-256 \
	    -out "$T/ca/leaf.key" 2>/dev/null
}

# mk_cert OUT CN-LINE START END [SAN]: a certificate signed by the test CA
# with exact dates (YYYYMMDDHHMMSSZ); CN-LINE is an openssl config value
# (escapes like \r\n allowed).
mk_cert() {
	local out=$1 cn=$2 start=$3 end=$4 san=${5:-}
	{
		printf '[ req ]\ndistinguished_name = dn\nprompt = no\nstring_mask = utf8only\nutf8 = yes\n'
		[ -n "$san" ] && printf 'req_extensions = ext\n[ ext ]\nsubjectAltName = %s\n' "$san"
		printf '[ dn ]\nCN = %s\n' "$cn"
	} >"$out.cnf"
	"$OPENSSL" req -new -key "$T/ca/leaf.key" -config "$out.cnf" -out "$out.csr" 2>/dev/null &&
	"$OPENSSL" ca -batch -config "$T/ca/ca.cnf" -preserveDN -in "$out.csr" \
	    -out "$out" -startdate "$start" -enddate "$end" -notext 2>/dev/null
	rm -f "$out.cnf" "$out.csr"
}

# mk_server_cert: $T/srv.pem / $T/srv.key for localhost and 127.0.0.1
mk_server_cert() {
	cp "$T/ca/leaf.key" "$T/srv.key"
	mk_cert "$T/srv.pem" localhost 20200101000000Z 20991231000000Z \
	    'DNS:localhost,IP:127.0.0.1'
}

# msg DIR N: the path of the N-th message a server received
msg() { echo "$T/$1/$2.eml"; }
# nmsgs DIR: how many messages a server received
nmsgs() { ls "$T/$1" | grep -c '\.eml$'; }

# header FILE NAME: the unfolded value of a header
header() {
	"$PY" - "$1" "$2" <<'EOF'
import sys, email, email.policy
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
v = m.get_all(sys.argv[2]) or []
print("\n".join(str(x) for x in v))
EOF
}

# body FILE: the decoded text body
body() {
	"$PY" - "$1" <<'EOF'
import sys, email, email.policy
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
sys.stdout.write(m.get_content())
EOF
}
