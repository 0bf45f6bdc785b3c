#!/bin/sh
# --state-file: each certificate is mailed once when it becomes WARNING,
# once when CRITICAL and once when expired, whatever the schedule of runs
# (--now moves forward, with skipped days and repeated runs).
. "$TOP_SRCDIR/tests/lib.sh"
scratch
. "$TOP_SRCDIR/tests/mail-common.sh"

mk_ca
mkdir -p "$T/c"
mk_cert "$T/c/a.pem" a.example.com 20250101000000Z 20261210000000Z
mk_cert "$T/c/b.pem" b.example.com 20250101000000Z 20261220000000Z
mk_cert "$T/a2.pem" a.example.com 20261201000000Z 20271210000000Z
mk_cert "$T/c.pem" c.example.com 20250101000000Z 20261230000000Z
mk_cert "$T/d.pem" d.example.com 20250101000000Z 20261231000000Z
[ -s "$T/d.pem" ] || skip_all "openssl could not make the test certificates"
sha() { "$OPENSSL" x509 -in "$1" -outform DER | sha256sum | cut -d' ' -f1; }
SHA_A=$(sha "$T/c/a.pem")
SHA_B=$(sha "$T/c/b.pem")

start_smtpd srv
S=127.0.0.1:$PORT
ST=$T/state/mail.state
mkdir -p "$T/state"
# run NOW [more options]: one scheduled run
run() {
	local now=$1
	shift
	run_plugin -p "$T/c" -m "$S" -s nagios@example.com -r ops@example.com \
	    --state-file="$ST" --now "$now" "$@"
}
# listed N: the certificates the N-th message lists, with their states
listed() {
	body "$(msg srv "$1")" | grep -Eo '^(EXPIRED|CRITICAL|WARNING|OK) +[a-z0-9.]+' |
	    tr -s ' ' | tr '\n' ';'
}

run 2026-11-01T00:00:00Z
is "$(nmsgs srv)" 0 "all OK: no mail"
ok "$([ ! -e "$ST" ]; echo $?)" "all OK: nothing to remember, no state file"

run 2026-11-12T00:00:00Z
is "$(nmsgs srv)" 1 "A becomes WARNING: one mail"
is "$(listed 1)" "WARNING a.example.com;" "first mail: A as WARNING only"
is "$(head -n 1 "$ST")" "check_cert_expiry-state 1" "state file with its version header"
like "$(cat "$ST")" "sha256:$SHA_A	warning	2026-12-10T00:00:00Z	a.example.com" \
    "state file remembers A as warning"

run 2026-11-12T00:05:00Z
run 2026-11-12T12:00:00Z
run 2026-11-13T00:00:00Z
is "$(nmsgs srv)" 1 "repeated runs (5 minutes, same day, next day): nothing new"

# days without a run: B became WARNING in between
run 2026-11-21T00:00:00Z
is "$(nmsgs srv)" 2 "B became WARNING while no run happened: mailed"
is "$(listed 2)" "WARNING b.example.com;" "second mail: B only, A not again"

run 2026-12-04T00:00:00Z
is "$(nmsgs srv)" 3 "A becomes CRITICAL: one mail"
is "$(listed 3)" "CRITICAL a.example.com;" "third mail: A as CRITICAL only"
like "$(header "$(msg srv 3)" Subject)" 'CRITICAL: 1 certificate' "third mail: subject"
run 2026-12-04T00:05:00Z
is "$(nmsgs srv)" 3 "five minutes later: nothing"

run 2026-12-11T00:00:00Z
is "$(nmsgs srv)" 4 "A has expired: one mail"
is "$(listed 4)" "EXPIRED a.example.com;" "fourth mail: A as expired"
run 2026-12-11T06:00:00Z
is "$(nmsgs srv)" 4 "same day again: nothing"

# B skips CRITICAL (no run in that week) and expires: mailed once, as expired
run 2026-12-21T00:00:00Z
is "$(nmsgs srv)" 5 "B expired after a gap: one mail"
is "$(listed 5)" "EXPIRED b.example.com;" "fifth mail: B as expired, A not again"
like "$(cat "$ST")" "sha256:$SHA_B	expired" "state: B expired"

# A renewed (the old file replaced): the old entry goes away, no mail
cp "$T/a2.pem" "$T/c/a.pem"
run 2026-12-21T01:00:00Z
is "$(nmsgs srv)" 5 "renewed certificate (OK): no mail"
unlike "$(cat "$ST")" "$SHA_A" "renewed: the old certificate is forgotten"
like "$(cat "$ST")" "$SHA_B" "renewed: the others are kept"

# delivery fails: reported, nothing marked as sent, mailed on the next run
cp "$T/c.pem" "$T/c/c.pem"
cp "$ST" "$T/state.before"
DOWN=$(closed_port)
run_plugin -p "$T/c" -m "127.0.0.1:$DOWN" -s nagios@example.com -r ops@example.com \
    --state-file="$ST" --now 2026-12-21T02:00:00Z -t 10
like "$out$err" "127.0.0.1:$DOWN" "server down: the failure is reported"
cmp -s "$ST" "$T/state.before"
ok $? "server down: the state file is unchanged"
run 2026-12-21T03:00:00Z
is "$(nmsgs srv)" 6 "server back: the pending alert is sent"
is "$(listed 6)" "WARNING c.example.com;" "sixth mail: C only"

# a corrupt state file is an error that sends nothing
cp "$T/d.pem" "$T/c/d.pem"
cp "$ST" "$T/state.good"
printf 'garbage line\n' >>"$ST"
cp "$ST" "$T/state.corrupt"
run 2026-12-21T04:00:00Z
is "$(nmsgs srv)" 6 "corrupt state file: nothing sent"
like "$out$err" "$ST:[0-9]+:" "corrupt state file: reported with path and line"
ok "$([ "$rc" -ge 2 ]; echo $?)" "corrupt state file: exit code at least UNKNOWN/CRITICAL"
cmp -s "$ST" "$T/state.corrupt"
ok $? "corrupt state file: left as it is"
head -c -1 "$T/state.good" >"$ST"
run 2026-12-21T04:00:00Z
is "$(nmsgs srv)" 6 "truncated state file: nothing sent"
like "$out$err" 'truncated' "truncated state file: reported"
printf 'hello\n' >"$ST"
run 2026-12-21T04:00:00Z
is "$(nmsgs srv)" 6 "not a state file: nothing sent"
if [ "$(id -u)" -ne 0 ]; then
	cp "$T/state.good" "$ST"
	chmod 000 "$ST"
	run 2026-12-21T04:00:00Z
	is "$(nmsgs srv)" 6 "unreadable state file: nothing sent"
	like "$out$err" 'ermission' "unreadable state file: reported"
	chmod 600 "$ST"
elif id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null 2>&1; then
	# root reads any file: the plugin runs as nobody on a world-readable
	# copy of the certificates, the state file root's and mode 000
	P=$(mktemp -d /tmp/cce-mailstate.XXXXXX)
	chmod 755 "$P"
	cp -R "$T/c" "$P/c"
	chmod -R a+rX "$P/c"
	cp "$T/state.good" "$P/state"
	chmod 000 "$P/state"
	out=$(timeout 60 setpriv --reuid=nobody --regid="$(id -gn nobody)" --clear-groups \
	    "$PLUGIN" -p "$P/c" -m "$S" -s nagios@example.com -r ops@example.com \
	    --state-file="$P/state" --now 2026-12-21T04:00:00Z 2>&1)
	err=
	rm -rf "$P"
	is "$(nmsgs srv)" 6 "unreadable state file (as nobody): nothing sent"
	like "$out$err" 'ermission' "unreadable state file (as nobody): reported"
else
	ok 0 "# SKIP unreadable state file: root, and no setpriv or no user nobody"
	ok 0 "# SKIP unreadable state file: root, and no setpriv or no user nobody"
fi

# a state file that cannot be written: found out before sending
run_plugin -p "$T/c" -m "$S" -s nagios@example.com -r ops@example.com \
    --state-file="$T/no/such/dir/state" --now 2026-12-21T04:00:00Z
is "$(nmsgs srv)" 6 "state file in a missing directory: nothing sent"
like "$out$err" "$T/no/such/dir/state" "state file in a missing directory: reported"

# the good state again: D is the only news
cp "$T/state.good" "$ST"
run 2026-12-21T05:00:00Z
is "$(nmsgs srv)" 7 "good state again: one mail"
is "$(listed 7)" "WARNING d.example.com;" "seventh mail: D only"

# CA-export rows without a serial: one entry per Request ID
printf '"Request ID","Issued Common Name","Certificate Expiration Date"\r\n' >"$T/ids.csv"
for i in 7 8 9; do
	printf '"%s","host.example.com","12/25/2026 8:00 AM GMT"\r\n' "$i" >>"$T/ids.csv"
done
run_plugin -p "$T/ids.csv" -m "$S" -s nagios@example.com -r ops@example.com \
    --state-file="$T/ids.state" --now 2026-12-21T00:00:00Z
is "$(nmsgs srv)" 8 "three Request IDs of one name and expiry: one mail"
is "$(grep -c '^issuer-serial:/?host.example.com@[0-9]*#[789]	critical' "$T/ids.state")" 3 \
    "the state file keeps each Request ID"

done_testing
