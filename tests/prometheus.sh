#!/bin/sh
# contrib/prometheus/ by the real tools: promtool checks and unit-tests the
# alerting rules; systemd-analyze verifies the service and timer; the
# service's ExecStart and the cron line, run as written (paths moved into a
# temporary directory), write the metrics file; and end to end, the real
# node_exporter's textfile collector reads that file and a real Prometheus
# server scraping it fires exactly the alerts the rules promise. Servers
# listen on 127.0.0.1 only, are stopped by PID, and every wait is bounded.
. "$TOP_SRCDIR/tests/lib.sh"
scratch
PY=/usr/bin/python3
PROM=$TOP_SRCDIR/contrib/prometheus
pids=
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; rm -rf "$T"' EXIT

# Test dependencies (contrib/bootstrap.sh): missing is a failure.
for tool in promtool prometheus prometheus-node-exporter systemd-analyze; do
	command -v "$tool" >/dev/null 2>&1
	ok $? "$tool is installed"
done

# ----------------------------------------------------------- rules
out=$(promtool check rules "$PROM/cert_expiry.rules.yml" 2>&1)
is "$?" 0 "promtool check rules accepts cert_expiry.rules.yml"
like "$out" "SUCCESS: 4 rules found" "promtool finds its 4 rules"
out=$(promtool test rules "$TOP_SRCDIR/tests/prometheus-rules.test.yml" 2>&1)
is "$?" 0 "promtool test rules: the rules fire as their tests say"
[ "$?" -eq 0 ] || printf '%s\n' "$out" | sed 's/^/# /'

# ----------------------------------------------------------- units, cron
# The shipped files with their paths moved here: the plugin, the
# certificates, the collector directory.
mkdir -p "$T/units" "$T/certs" "$T/tf"
moved() {
	sed -e "s#/usr/lib/nagios/plugins/check_cert_expiry#$PLUGIN#g" \
	    -e "s#/etc/ssl/certs/local#$T/certs#g" \
	    -e "s#/var/lib/prometheus/node-exporter#$T/tf#g" "$1"
}
for u in check-cert-expiry-metrics.service check-cert-expiry-metrics.timer; do
	moved "$PROM/$u" >"$T/units/$u"
done
out=$(cd "$T/units" && systemd-analyze verify --man=no check-cert-expiry-metrics.service \
    check-cert-expiry-metrics.timer 2>&1)
is "$?:$out" "0:" "systemd-analyze verify: service and timer, no complaint"

# certificates: one expiring in 10 days, one in 60 (the clock, no --now)
for d in 10 60; do
	"$OPENSSL" req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -keyout "$T/k$d.pem" -subj "/CN=in$d.example.test" -days $d \
	    -out "$T/certs/in$d.pem" 2>/dev/null
done
ok "$([ -s "$T/certs/in10.pem" ] && [ -s "$T/certs/in60.pem" ] && echo 0 || echo 1)" \
    "certificates made"

# the service's ExecStart (continuation lines joined), run as systemd would
cmd=$(sed -n '/^ExecStart=/,/[^\\]$/p' "$T/units/check-cert-expiry-metrics.service" |
    sed -e 's/^ExecStart=//' -e 's/\\$//' | tr '\n\t' '  ')
# shellcheck disable=SC2086
out=$($cmd)
rc=$?
is "$rc" 1 "service ExecStart: WARNING (a certificate in 10 days), which SuccessExitStatus allows"
like "$out" "^CERT_EXPIRY WARNING - " "service ExecStart: the Nagios status line in the journal"
is "$(stat -c %a "$T/tf/cert_expiry.prom" 2>&1)" 644 "service ExecStart: the metrics file, 0644"
grep -q '^SuccessExitStatus=1 2$' "$T/units/check-cert-expiry-metrics.service"
ok $? "service: exit codes 1 and 2 are success"

# the cron line: user root, the command through sh as cron runs it
line=$(grep '^[0-9*]' "$PROM/check_cert_expiry-metrics")
is "$(printf '%s\n' "$line" | awk -F'\t' '{ print NF ":" $2 }')" "3:root" \
    "cron line: schedule, user root, command"
cron_cmd=$(moved "$PROM/check_cert_expiry-metrics" | grep '^[0-9*]' | cut -f3)
rm -f "$T/tf/cert_expiry.prom"
out=$(cd "$T" && PATH=/usr/sbin:/usr/bin:/sbin:/bin sh -c "logger() { echo \"LOGGER \$*\"; }; $cron_cmd")
is "$?:$out" "0:" "cron line: WARNING is not a failure, nothing logged"
ok "$([ -s "$T/tf/cert_expiry.prom" ] && echo 0 || echo 1)" "cron line: the metrics file written"
out=$(cd "$T" && sh -c "logger() { echo \"LOGGER \$*\"; }; $(printf '%s' "$cron_cmd" | sed "s#$T/tf#$T/missing#")")
like "$out" "^LOGGER -t check_cert_expiry certificate metrics: UNKNOWN" \
    "cron line: UNKNOWN (metrics file not written) goes to syslog"

# ----------------------------------------------------------- end to end
free_port() {
	$PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
NE=$(free_port)
prometheus-node-exporter --web.listen-address="127.0.0.1:$NE" --collector.disable-defaults \
    --collector.textfile --collector.textfile.directory="$T/tf" >"$T/ne.log" 2>&1 &
pids="$pids $!"
PP=$(free_port)
cp "$PROM/cert_expiry.rules.yml" "$T/rules.yml"
cat >"$T/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $T/rules.yml
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ['127.0.0.1:$NE']
EOF
prometheus --config.file="$T/prometheus.yml" --storage.tsdb.path="$T/tsdb" \
    --web.listen-address="127.0.0.1:$PP" >"$T/prom.log" 2>&1 &
pids="$pids $!"

r=$($PY - "$NE" "$PP" "$T/tf/cert_expiry.prom" <<'PYEOF'
import json, sys, time, urllib.parse, urllib.request
ne, pp, path = sys.argv[1:]

def get(url):
    with urllib.request.urlopen(url, timeout=5) as f:
        return f.read().decode("utf-8")

def query(q):
    u = "http://127.0.0.1:%s/api/v1/query?query=%s" % (pp, urllib.parse.quote(q))
    return json.loads(get(u))["data"]["result"]

deadline = time.monotonic() + 90
node = alerts = None
while time.monotonic() < deadline:
    try:
        node = get("http://127.0.0.1:%s/metrics" % ne)
        alerts = json.loads(get("http://127.0.0.1:%s/api/v1/alerts" % pp))["data"]["alerts"]
        if any(a["labels"]["alertname"] == "CertificateExpiresSoon" for a in alerts) and \
                query("cert_expiry_errors"):
            break
    except Exception:
        pass
    time.sleep(0.5)
else:
    print("timeout: node_exporter %s, alerts %s" % (node is not None, alerts))
    sys.exit(0)
# node_exporter read the file without complaint
if "node_textfile_scrape_error 0" not in node:
    print("node_exporter: textfile scrape error")
mtimes = [l for l in node.splitlines() if l.startswith("node_textfile_mtime_seconds{")]
if len(mtimes) != 1 or "cert_expiry.prom" not in mtimes[0]:
    print("node_exporter: mtime lines %r" % mtimes)
# Prometheus holds the file's values
want = {}
for l in open(path, encoding="utf-8"):
    if l.startswith("cert_expiry_not_after_seconds{"):
        name = l.split('name="')[1].split('"')[0]
        want[name] = float(l.rsplit(" ", 1)[1])
got = {s["metric"]["name"]: float(s["value"][1]) for s in query("cert_expiry_not_after_seconds")}
if got != want:
    print("not_after in Prometheus %r, in the file %r" % (got, want))
firing = sorted((a["labels"]["alertname"], a["labels"].get("name", "")) for a in alerts)
print("alerts: %s" % " ".join("%s/%s" % f for f in firing))
PYEOF
)
is "$r" "alerts: CertificateExpiresSoon/in10.example.test" \
    "node_exporter reads the file, Prometheus has its values and fires the 10-day certificate only"
[ "$r" = "alerts: CertificateExpiresSoon/in10.example.test" ] || {
	sed 's/^/# ne: /' "$T/ne.log" | tail -n 5
	sed 's/^/# prom: /' "$T/prom.log" | tail -n 5
}

done_testing
