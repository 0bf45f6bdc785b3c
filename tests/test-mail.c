/* Unit tests of the mail area: composition, encoding, state file. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extern.h"
#include "mail.h"
#include "tap.h"

static struct cert *
mkcert(const char *name, const char *serial, int64_t not_after, enum cert_state st,
    int expired, double days_left, const char *path)
{
	struct cert *c = xcalloc(1, sizeof(*c));

	c->ci.cn = xstrdup(name);
	c->ci.serial = xstrdup(serial);
	c->ci.issuer = xstrdup("CN=Test CA,O=Example");
	c->ci.not_after = not_after;
	c->ci.has_sha256 = 1;
	memset(c->ci.sha256, serial[0], sizeof(c->ci.sha256));
	c->name = c->ci.cn;
	c->state = st;
	c->expired = expired;
	c->days_left = days_left;
	c->selected = 1;
	c->locs = xcalloc(1, sizeof(*c->locs));
	c->locs[0].path = xstrdup(path);
	c->locs[0].format = "pem";
	c->nlocs = 1;
	return c;
}

static void
freecert(struct cert *c)
{
	free(c->ci.cn);
	free(c->ci.serial);
	free(c->ci.issuer);
	free(c->locs[0].path);
	free(c->locs);
	free(c);
}

/* 1 if every line ends in CRLF, no bare CR/LF, no line over 998 octets. */
static int
lines_ok(const char *m)
{
	size_t col = 0;

	for (; *m != '\0'; m++) {
		if (*m == '\r') {
			if (m[1] != '\n')
				return 0;
			m++;
			col = 0;
			continue;
		}
		if (*m == '\n' || ++col > 998)
			return 0;
	}
	return col == 0;
}

/* The header part (up to the empty line). */
static char *
head_of(const char *m)
{
	const char *e = strstr(m, "\r\n\r\n");

	return e ? xstrndup(m, (size_t)(e - m) + 2) : xstrdup(m);
}

static int
count_lines_starting(const char *head, const char *prefix)
{
	const char *p = head;
	int n = 0;

	for (;;) {
		if (strncmp(p, prefix, strlen(prefix)) == 0)
			n++;
		if ((p = strstr(p, "\r\n")) == NULL)
			break;
		p += 2;
	}
	return n;
}

static void
test_levels(void)
{
	struct cert c = { 0 };

	c.state = CS_OK;
	ok(mail_cert_level(&c, 0) == ML_NONE, "OK does not qualify");
	ok(mail_cert_level(&c, 1) == ML_LISTED, "OK is listed with --days");
	c.state = CS_WARNING;
	ok(mail_cert_level(&c, 0) == ML_WARNING, "warning level");
	c.state = CS_CRITICAL;
	ok(mail_cert_level(&c, 0) == ML_CRITICAL, "critical level");
	c.expired = 1;
	ok(mail_cert_level(&c, 0) == ML_EXPIRED, "expired level");
	c.state = CS_FORGOTTEN;
	ok(mail_cert_level(&c, 0) == -1, "forgotten is left alone");
}

static void
test_text(void)
{
	struct buf b = { 0 };

	mail_text(&b, "a\r\nBcc: x\x7f\xc2\x85\xe2\x80\xa8z", 100);
	is_str(b.data, "a??Bcc: x???z", "control characters, NEL, U+2028 replaced");
	buf_free(&b);
	mail_text(&b, "bad\xff\xfeutf8", 100);
	ok(utf8_valid((unsigned char *)b.data, b.len), "invalid UTF-8 repaired");
	buf_free(&b);
	mail_text(&b, "\xc3\xa4\xc3\xa4\xc3\xa4", 5);
	is_str(b.data, "\xc3\xa4\xc3\xa4...", "cut on a character boundary");
	buf_free(&b);

	ok(mail_address_ok("a@example.com"), "plain address ok");
	ok(!mail_address_ok("a@example.com>\r\nRCPT TO:<b@x"), "CRLF in address refused");
	ok(!mail_address_ok("a b@x"), "space in address refused");
	ok(!mail_address_ok(""), "empty address refused");
	ok(!mail_address_ok("<a@x>"), "angle brackets refused");
}

static void
test_subject(void)
{
	struct buf b = { 0 };

	mail_subject(&b, "plain ASCII");
	is_str(b.data, "Subject: plain ASCII\r\n", "ASCII subject as is");
	buf_free(&b);
	mail_subject(&b, "M\xc3\xbcller");
	is_str(b.data, "Subject: =?UTF-8?B?TcO8bGxlcg==?=\r\n", "UTF-8 subject B-encoded");
	buf_free(&b);
	mail_subject(&b, "\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4"
	    "\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4"
	    "\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4\xc3\xa4 end\r\nBcc: x");
	ok(lines_ok(b.data), "long encoded subject: CRLF lines");
	ok(count_lines_starting(b.data, " =?UTF-8?B?") >= 1, "folded into several words");
	ok(strstr(b.data, "Bcc") == NULL && strstr(b.data, "\r\nB") == NULL,
	    "no header injected through the subject");
	buf_free(&b);
}

static void
test_digest(void)
{
	struct config cfg = { 0 };
	char *rcpt[] = { "a@example.com", "b@example.com" };
	struct cert *c[3];
	int levels[3] = { ML_EXPIRED, ML_CRITICAL, ML_WARNING };
	char longname[3000], *m, *h;
	const char *p1, *p2, *p3;

	cfg.now = 1795478400;	/* 2026-11-24T00:00:00Z, a Tuesday */
	cfg.sender = "nagios@example.com";
	cfg.recipients = rcpt;
	cfg.nrecipients = 2;
	c[0] = mkcert("old.example", "0A", 1795478400 - 86400, CS_CRITICAL, 1, -1.0,
	    "/etc/ssl/old.pem");
	c[1] = mkcert("evil\r\nBcc: victim@example.com\r\n.\r\n", "0B",
	    1795478400 + 86400, CS_CRITICAL, 0, 1.0, "/etc/ssl/evil\n.pem");
	c[2] = mkcert("warn.example", "0C", 1795478400 + 20 * 86400, CS_WARNING, 0,
	    20.0, "/etc/ssl/warn.pem");

	m = mail_compose_digest(&cfg, c, levels, 3, "host.example", "<id@host.example>");
	h = head_of(m);
	ok(lines_ok(m), "digest: CRLF lines within 998 octets");
	ok(strstr(h, "Date: Tue, 24 Nov 2026 00:00:00 +0000\r\n") != NULL, "Date header");
	ok(strstr(h, "Message-ID: <id@host.example>\r\n") != NULL, "Message-ID header");
	ok(strstr(h, "From: check_cert_expiry <nagios@example.com>\r\n") != NULL, "From");
	ok(strstr(h, "To: <a@example.com>,\r\n <b@example.com>\r\n") != NULL, "To");
	ok(strstr(h, "MIME-Version: 1.0\r\n") != NULL, "MIME-Version");
	ok(strstr(h, "Content-Type: text/plain; charset=UTF-8\r\n") != NULL, "Content-Type");
	ok(strstr(h, "Subject: [cert-expiry] CRITICAL: 3 certificates on host.example "
	    "(1 expired, 1 critical, 1 warning), first old.example expired 2026-11-23\r\n")
	    != NULL, "Subject with worst state and count");
	ok(count_lines_starting(h, "Bcc") == 0, "no Bcc header injected");
	ok(strstr(m, "\r\n.\r\n") == NULL, "no line with a single dot");
	ok(strstr(m, "\r\nBcc") == NULL, "certificate text never starts a line");
	p1 = strstr(m, "EXPIRED   old.example");
	p2 = strstr(m, "CRITICAL  evil??Bcc: victim@example.com??.??");
	p3 = strstr(m, "WARNING   warn.example");
	ok(p1 && p2 && p3 && p1 < p2 && p2 < p3, "certificates listed in the given order");
	ok(strstr(m, "    Serial:     0C\r\n") != NULL, "serial listed");
	ok(strstr(m, "    Issuer:     CN=Test CA,O=Example\r\n") != NULL, "issuer listed");
	ok(strstr(m, "    Found in:   /etc/ssl/evil?.pem (pem)\r\n") != NULL,
	    "path listed, sanitised");
	ok(strstr(m, "    Expires:    2026-12-14 00:00:00 UTC\r\n") != NULL, "expiry listed");
	ok(strstr(m, "Content-Transfer-Encoding: 7bit\r\n") != NULL, "ASCII body is 7bit");
	free(h);
	free(m);

	/* A very long name: wrapped below 998 octets, UTF-8 kept whole. */
	memset(longname, 'x', sizeof(longname) - 1);
	memcpy(longname + 897, "\xc3\xa4\xc3\xa4", 4);
	longname[sizeof(longname) - 1] = '\0';
	free(c[2]->ci.cn);
	c[2]->ci.cn = xstrdup(longname);
	c[2]->name = c[2]->ci.cn;
	m = mail_compose_digest(&cfg, &c[2], &levels[2], 1, "host.example", "<id@x>");
	ok(lines_ok(m), "long name: lines within 998 octets");
	ok(utf8_valid((unsigned char *)m, strlen(m)), "long name: still valid UTF-8");
	ok(strstr(m, "Content-Transfer-Encoding: 8bit\r\n") != NULL, "UTF-8 body is 8bit");
	ok(strstr(m, "Subject: =?UTF-8?B?") == NULL, "ASCII subject stays plain");
	ok(strstr(m, "Subject: [cert-expiry] WARNING: 1 certificate on host.example "
	    "(1 warning)") != NULL, "warning subject, singular");
	free(m);

	m = mail_compose_test(&cfg, "host.example", "<t@x>");
	ok(lines_ok(m), "test message: CRLF lines");
	ok(strstr(m, "host.example") != NULL && strstr(m, "2026-11-24T00:00:00Z") != NULL,
	    "test message names host and time");
	free(m);
	freecert(c[0]);
	freecert(c[1]);
	freecert(c[2]);
}

static void
test_statefile(const char *dir)
{
	struct mstate st = { 0 }, st2 = { 0 };
	struct buf b = { 0 };
	char err[512], *path, *key;
	struct cert c = { 0 };
	static const char good[] = "check_cert_expiry-state 1\n# comment\n\n"
	    "sha256:00ff\twarning\t2026-11-25T08:00:00Z\tweb%0D%0A\n"
	    "issuer-serial:CN=X/0A\texpired\t2020-01-01T00:00:00Z\t\n";
	FILE *f;

	ok(state_parse("s", (const unsigned char *)good, strlen(good), &st, err,
	    sizeof(err)), "valid state parses");
	ok(st.n == 2, "two entries");
	ok(state_find(&st, "sha256:00ff") && state_find(&st, "sha256:00ff")->level ==
	    ML_WARNING, "entry found with its level");
	state_set(&st, "sha256:0000", ML_CRITICAL, 0, "a\tb");
	ok(st.n == 3 && strcmp(st.e[0].key, "issuer-serial:CN=X/0A") == 0 &&
	    strcmp(st.e[1].key, "sha256:0000") == 0, "insert keeps keys sorted");
	state_format(&st, &b);
	ok(state_parse("s", (unsigned char *)b.data, b.len, &st2, err, sizeof(err)) &&
	    st2.n == 3, "formatted state parses again");
	ok(strstr(b.data, "\ta%09b\n") != NULL, "names are percent-encoded");
	state_free(&st2);
	buf_free(&b);
	state_free(&st);

#define BAD(s, what) do {						\
	ok(!state_parse("s", (const unsigned char *)(s), strlen(s), &st, err,	\
	    sizeof(err)), "corrupt: %s", what);				\
	} while (0)
	BAD("check_cert_expiry-state 1\nsha256:00\twarning\t2026-11-25T08:00:00Z\tx",
	    "truncated (no final LF)");
	BAD("check_cert_expiry-state 2\n", "unknown version");
	BAD("hello\n", "not a state file");
	BAD("check_cert_expiry-state 1\nsha256:00\tsevere\t2026-11-25T08:00:00Z\tx\n",
	    "unknown level");
	BAD("check_cert_expiry-state 1\nsha256:00\twarning\t2026-11-25\tx\n", "bad time");
	BAD("check_cert_expiry-state 1\nsha256:00\twarning\t2026-11-25T08:00:00Z\n",
	    "missing field");
	BAD("check_cert_expiry-state 1\nsha256:00\twarning\t2026-11-25T08:00:00Z\tx\ty\n",
	    "extra field");
	BAD("check_cert_expiry-state 1\nfoo:00\twarning\t2026-11-25T08:00:00Z\tx\n",
	    "unknown key kind");
	BAD("check_cert_expiry-state 1\nsha256:0%G\twarning\t2026-11-25T08:00:00Z\tx\n",
	    "bad escape");
	BAD("check_cert_expiry-state 1\nsha256:00\twarning\t2026-11-25T08:00:00Z\tx\n"
	    "sha256:00\tcritical\t2026-11-25T08:00:00Z\tx\n", "duplicate key");
	ok(strstr(err, "duplicate") != NULL, "error says why");
	ok(state_parse("s", (const unsigned char *)"", 0, &st, err, sizeof(err)) &&
	    st.n == 0, "empty file is an empty state");

	c.ci.has_sha256 = 1;
	memset(c.ci.sha256, 0xab, sizeof(c.ci.sha256));
	key = state_key(&c);
	ok(strncmp(key, "sha256:abab", 11) == 0 && strlen(key) == 7 + 64, "key from SHA-256");
	free(key);
	c.ci.has_sha256 = 0;
	c.ci.issuer = "CN=Corp CA, O=X";
	c.ci.serial = "61";
	key = state_key(&c);
	is_str(key, "issuer-serial:CN=Corp%20CA,%20O=X/61", "key from issuer and serial");
	free(key);

	/* Missing file, then an atomic write, then a reload. */
	path = xasprintf("%s/state", dir);
	unlink(path);
	ok(state_load(path, &st, err, sizeof(err)) && st.n == 0, "missing file: empty");
	{
		struct state_txn tx;

		state_set(&st, "sha256:11", ML_EXPIRED, 1795478400, "n");
		ok(state_begin(path, &tx, err, sizeof(err)) &&
		    state_commit(&tx, &st, err, sizeof(err)), "state written");
		state_free(&st);
		ok(state_load(path, &st, err, sizeof(err)) && st.n == 1 &&
		    st.e[0].level == ML_EXPIRED && st.e[0].not_after == 1795478400,
		    "state read back");
		state_free(&st);
		free(path);
		path = xasprintf("%s/no/such/dir/state", dir);
		ok(!state_begin(path, &tx, err, sizeof(err)), "unwritable directory found "
		    "out before sending");
	}
	free(path);
	path = xasprintf("%s/corrupt", dir);
	if ((f = fopen(path, "w")) != NULL) {
		fputs("check_cert_expiry-state 1\ngarbage\n", f);
		fclose(f);
	}
	ok(!state_load(path, &st, err, sizeof(err)) && strstr(err, path) != NULL &&
	    strstr(err, ":2:") != NULL, "corrupt file: error names path and line");
	unlink(path);
	free(path);
}

/* mail_digest with a server that cannot be reached: error, state untouched. */
static void
test_digest_failure(const char *dir)
{
	struct config cfg = { 0 };
	struct report r = { 0 };
	char *rcpt[] = { "a@example.com" };
	struct cert *c[1];
	struct mstate st = { 0 };
	char err[512];

	cfg.now = 1795478400;
	cfg.sender = "nagios@example.com";
	cfg.recipients = rcpt;
	cfg.nrecipients = 1;
	cfg.smtp_server = "127.0.0.1:1";
	cfg.timeout = 5;
	cfg.state_file = xasprintf("%s/fail-state", dir);
	unlink(cfg.state_file);
	c[0] = mkcert("warn.example", "0C", 1795478400 + 20 * 86400, CS_WARNING, 0, 20.0,
	    "/etc/ssl/warn.pem");
	r.certs = c;
	r.ncerts = 1;
	mail_digest(&cfg, &r);
	ok(r.mail_error != NULL && strstr(r.mail_error, "127.0.0.1:1") != NULL,
	    "delivery failure reported with the server");
	ok(access(cfg.state_file, F_OK) != 0, "nothing marked as sent");
	free(r.mail_error);
	free(r.mail_summary);
	r.mail_error = r.mail_summary = NULL;

	c[0]->state = CS_OK;
	mail_digest(&cfg, &r);
	ok(r.mail_error == NULL && r.mail_summary != NULL, "nothing to send: no error");
	ok(state_load(cfg.state_file, &st, err, sizeof(err)) && st.n == 0, "still empty");
	free(r.mail_summary);
	state_free(&st);
	freecert(c[0]);
	free(cfg.state_file);
}

int
main(void)
{
	char dir[] = "/tmp/test-mail.XXXXXX";
	char *cmd;

	if (mkdtemp(dir) == NULL)
		return 1;
	test_levels();
	test_text();
	test_subject();
	test_digest();
	test_statefile(dir);
	test_digest_failure(dir);
	cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	free(cmd);
	return tap_done();
}
