#!/bin/sh
# Endpoints against nginx: HTTPS with two server names on one port (the
# name sent as SNI picks the certificate), a plain-HTTP port (no TLS), and
# nginx's certificate file on disk renewed but nginx not reloaded.
. "$TOP_SRCDIR/tests/lib.sh"
scratch
. "$TOP_SRCDIR/tests/net-lib.sh"
need nginx

mk_pki
P=$(free_port)
PH=$(free_port)
N=$T/nginx
mkdir -p "$N/logs" "$N/tmp"
cp "$T/pki/www.test.example.chain.pem" "$N/www.pem"
cp "$T/pki/www.test.example.key" "$N/www.key"
cat >"$N/nginx.conf" <<NGX
daemon off;
master_process on;
worker_processes 1;
pid $N/nginx.pid;
error_log $N/logs/error.log;
events { worker_connections 64; }
http {
	access_log off;
	client_body_temp_path $N/tmp/body;
	proxy_temp_path $N/tmp/proxy;
	fastcgi_temp_path $N/tmp/fastcgi;
	uwsgi_temp_path $N/tmp/uwsgi;
	scgi_temp_path $N/tmp/scgi;
	server {
		listen 127.0.0.1:$P ssl default_server;
		server_name www.test.example;
		ssl_certificate $N/www.pem;
		ssl_certificate_key $N/www.key;
		return 200 "www\n";
	}
	server {
		listen 127.0.0.1:$P ssl;
		server_name other.test.example;
		ssl_certificate $T/pki/other.test.example.chain.pem;
		ssl_certificate_key $T/pki/other.test.example.key;
		return 200 "other\n";
	}
	server {
		listen 127.0.0.1:$PH;
		return 200 "plain\n";
	}
}
NGX
bgrun nginx -p "$N" -c "$N/nginx.conf"
wait_port "$P" || { echo "Bail out! nginx did not start: $(cat "$N/logs/error.log")"; exit 1; }
TO="--connect-to www.test.example:$P:127.0.0.1:$P --connect-to other.test.example:$P:127.0.0.1:$P"

# shellcheck disable=SC2086
run_net -v -w 10 --cafile "$T/pki/root.pem" --verify $TO \
    "https://www.test.example:$P" "https://other.test.example:$P"
is "$rc" 0 "nginx: two names on one port, both verify"
like "$out" "OK: www.test.example .*\\[https://www.test.example:$P depth 0\\]" "nginx: www's certificate"
like "$out" "OK: other.test.example .*\\[https://other.test.example:$P depth 0\\]" \
    "nginx: other's certificate for its SNI"
like "$out" "certificates=3;;;0" "nginx: two leaves and their one intermediate"
like "$out" "'www.test.example:$P'=.* 'other.test.example:$P'=" "nginx: perfdata per endpoint"

run_net -w 10 "https://127.0.0.1:$PH"
is "$rc" 3 "nginx plain HTTP port: UNKNOWN"
like "$out" "ERROR: https://127.0.0.1:$PH: tls: " "nginx plain HTTP port: tls error"

# renewed on disk, nginx not reloaded: the file holds the renewal
mk_leaf www.test.example 300 "DNS:www.test.example,DNS:localhost,IP:127.0.0.1,IP:::1" renewed
cp "$T/pki/renewed.chain.pem" "$N/www.pem"
cp "$T/pki/renewed.key" "$N/www.key"
# shellcheck disable=SC2086
run_net -w 10 $TO -p "$N/www.pem" "https://www.test.example:$P"
is "$rc" 1 "nginx not reloaded: WARNING"
like "$out" "WARNING: https://www.test.example:$P serves www.test.example expiring .*, but $N/www.pem holds its renewal expiring .*: reload the service" \
    "nginx not reloaded: the stale line"
kill -HUP "$(cat "$N/nginx.pid")"
for _ in $(seq 50); do	# until the new workers answer
	# shellcheck disable=SC2086
	run_net -w 10 $TO -p "$N/www.pem" "https://www.test.example:$P"
	[ "$rc" -eq 0 ] && break
	sleep 0.2
done
[ "$rc" -eq 0 ] || sed 's/^/# nginx: /' "$N/logs/error.log"
is "$rc" 0 "nginx reloaded: OK"
unlike "$out" "reload the service" "nginx reloaded: no stale line"
done_testing
