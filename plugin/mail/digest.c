/*
 * Mail: the test message, the expiry digest and the run around them
 * (which certificates qualify, the --state-file transitions, delivery).
 *
 * Messages are RFC 5322 + MIME, UTF-8 text/plain, CRLF line ends, no line
 * longer than 998 octets. Everything that comes from a certificate goes
 * through mail_text(), so no control character (CR, LF, ...) from a
 * certificate can reach the message: no header can be added and the
 * message cannot be ended early.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "extern.h"
#include "mail.h"

#define LINE_WRAP	900	/* body lines are cut at this many octets */
#define NAME_MAX_BODY	1024
#define DN_MAX_BODY	2048
#define NAME_MAX_SUBJ	80

/* ------------------------------------------------------------ small pieces */

int
mail_cert_level(const struct cert *c, int days_mode)
{
	if (c->state == CS_VENDOR)
		return -1;	/* the vendor's business: never mailed */
	if (c->state == CS_FORGOTTEN)
		return days_mode ? ML_EXPIRED : -1;
	if (c->expired)
		return ML_EXPIRED;
	if (c->state == CS_CRITICAL)
		return ML_CRITICAL;
	if (c->state == CS_WARNING)
		return ML_WARNING;
	return days_mode ? ML_LISTED : ML_NONE;
}

int
mail_address_ok(const char *a)
{
	const unsigned char *p;

	if (a == NULL || *a == '\0' || strlen(a) > 320)
		return 0;
	for (p = (const unsigned char *)a; *p != '\0'; p++) {
		if (*p <= 0x20 || *p >= 0x7f || strchr("<>,;\"()\\[]", *p) != NULL)
			return 0;
	}
	return 1;
}

/* Length of the UTF-8 sequence at p (valid input assumed), at least 1. */
static size_t
seqlen(const unsigned char *p)
{
	if (*p < 0x80)
		return 1;
	if ((*p & 0xe0) == 0xc0)
		return 2;
	if ((*p & 0xf0) == 0xe0)
		return 3;
	return 4;
}

void
mail_text(struct buf *b, const char *s, size_t max)
{
	unsigned char *r;
	const unsigned char *p;
	size_t n, used = 0;

	if (s == NULL)
		s = "";
	r = (unsigned char *)utf8_repair((const unsigned char *)s, strlen(s));
	for (p = r; *p != '\0'; p += n) {
		n = seqlen(p);
		if (used + n > max) {
			buf_addstr(b, "...");
			break;
		}
		used += n;
		if (n == 1 && (*p < 0x20 || *p == 0x7f))
			buf_addc(b, '?');
		else if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0)		/* C1 */
			buf_addc(b, '?');
		else if (n == 3 && p[0] == 0xe2 && p[1] == 0x80 &&
		    (p[2] == 0xa8 || p[2] == 0xa9))			/* U+2028/9 */
			buf_addc(b, '?');
		else
			buf_add(b, p, n);
	}
	free(r);
}

static int
is_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

static void
base64_add(struct buf *b, const unsigned char *p, size_t len)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint32_t v;
	size_t i;

	for (i = 0; i + 2 < len; i += 3) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		buf_addc(b, tab[v >> 18]);
		buf_addc(b, tab[(v >> 12) & 63]);
		buf_addc(b, tab[(v >> 6) & 63]);
		buf_addc(b, tab[v & 63]);
	}
	if (len - i == 1) {
		v = (uint32_t)p[i] << 16;
		buf_addc(b, tab[v >> 18]);
		buf_addc(b, tab[(v >> 12) & 63]);
		buf_addstr(b, "==");
	} else if (len - i == 2) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
		buf_addc(b, tab[v >> 18]);
		buf_addc(b, tab[(v >> 12) & 63]);
		buf_addc(b, tab[(v >> 6) & 63]);
		buf_addc(b, '=');
	}
}

/*
 * The subject is plain when it is ASCII; otherwise RFC 2047 encoded words
 * ("=?UTF-8?B?...?=", at most 75 characters each, never splitting a UTF-8
 * sequence), one per folded header line.
 */
void
mail_subject(struct buf *b, const char *subject)
{
	struct buf safe = { 0 };
	const unsigned char *p;
	size_t off, chunk, n;

	mail_text(&safe, subject, 400);
	buf_addstr(b, "Subject: ");
	if (is_ascii(safe.data)) {
		buf_addstr(b, safe.data);
		buf_addstr(b, "\r\n");
		buf_free(&safe);
		return;
	}
	p = (const unsigned char *)safe.data;
	for (off = 0; off < safe.len; off += chunk) {
		chunk = 0;
		while (off + chunk < safe.len) {
			n = seqlen(p + off + chunk);
			if (chunk + n > 45)	/* 45 octets: 60 base64 characters */
				break;
			chunk += n;
		}
		if (off > 0)
			buf_addstr(b, "\r\n ");
		buf_addstr(b, "=?UTF-8?B?");
		base64_add(b, p + off, chunk);
		buf_addstr(b, "?=");
	}
	buf_addstr(b, "\r\n");
	buf_free(&safe);
}

/* RFC 5322 date-time in UTC: "Tue, 24 Nov 2026 00:00:00 +0000". */
static void
rfc5322_date(int64_t t, char *out, size_t outlen)
{
	static const char *const wd[] = { "Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed" };
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	int64_t days;
	int y, mo, d, h, mi, s, w;

	gmtime64(t, &y, &mo, &d, &h, &mi, &s);
	days = t / 86400 - (t % 86400 < 0);
	w = (int)(((days % 7) + 7) % 7);
	snprintf(out, outlen, "%s, %02d %s %04d %02d:%02d:%02d +0000", wd[w], d,
	    mon[mo - 1], y, h, mi, s);
}

static char *
local_hostname(void)
{
	char h[256];
	size_t i;

	if (gethostname(h, sizeof(h) - 1) == -1 || h[0] == '\0')
		return xstrdup("localhost");
	h[sizeof(h) - 1] = '\0';
	for (i = 0; h[i] != '\0'; i++) {
		if (!((h[i] >= 'a' && h[i] <= 'z') || (h[i] >= 'A' && h[i] <= 'Z') ||
		    (h[i] >= '0' && h[i] <= '9') || h[i] == '.' || h[i] == '-' ||
		    h[i] == '_'))
			return xstrdup("localhost");
	}
	return xstrdup(h);
}

static char *
message_id(int64_t now, const char *host)
{
	unsigned char rnd[8];
	char hex[17];
	size_t i;
	int fd, got = 0;

	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) != -1) {
		got = read(fd, rnd, sizeof(rnd)) == (ssize_t)sizeof(rnd);
		close(fd);
	}
	if (!got) {
		uint64_t v = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^
		    (uint64_t)(uintptr_t)&fd;

		memcpy(rnd, &v, sizeof(rnd));
	}
	for (i = 0; i < sizeof(rnd); i++)
		snprintf(hex + 2 * i, 3, "%02x", rnd[i]);
	return xasprintf("<cce.%lld.%ld.%s@%s>", (long long)now, (long)getpid(), hex,
	    host);
}

static void
headers(struct buf *b, const struct config *cfg, const char *subject,
    const char *msgid, int ascii_body)
{
	char date[64];
	size_t i;

	rfc5322_date(cfg->now, date, sizeof(date));
	buf_printf(b, "Date: %s\r\n", date);
	buf_printf(b, "From: check_cert_expiry <%s>\r\n", cfg->sender);
	buf_addstr(b, "To: ");
	for (i = 0; i < cfg->nrecipients; i++)
		buf_printf(b, "%s<%s>", i > 0 ? ",\r\n " : "", cfg->recipients[i]);
	buf_addstr(b, "\r\n");
	buf_printf(b, "Message-ID: %s\r\n", msgid);
	mail_subject(b, subject);
	buf_addstr(b, "MIME-Version: 1.0\r\n");
	buf_addstr(b, "Content-Type: text/plain; charset=UTF-8\r\n");
	buf_printf(b, "Content-Transfer-Encoding: %s\r\n", ascii_body ? "7bit" : "8bit");
	buf_printf(b, "X-Mailer: check_cert_expiry %s\r\n", PACKAGE_VERSION);
	buf_addstr(b, "Auto-Submitted: auto-generated\r\n");
	buf_addstr(b, "\r\n");
}

/*
 * Body text (LF line ends, already safe) to CRLF, cutting lines longer
 * than LINE_WRAP octets at a UTF-8 boundary and indenting the rest.
 */
static void
body_add(struct buf *b, const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t col = 0, n;

	while (*p != '\0') {
		if (*p == '\n') {
			buf_addstr(b, "\r\n");
			col = 0;
			p++;
			continue;
		}
		n = seqlen(p);
		if (col + n > LINE_WRAP) {
			buf_addstr(b, "\r\n    ");
			col = 4;
		}
		buf_add(b, p, n);
		col += n;
		p += n;
	}
	if (col > 0)
		buf_addstr(b, "\r\n");
}

static char *
finish(const struct config *cfg, const char *subject, const char *msgid,
    const char *text)
{
	struct buf b = { 0 };

	headers(&b, cfg, subject, msgid, is_ascii(text));
	body_add(&b, text);
	return buf_release(&b);
}

/* ------------------------------------------------------------ test message */

char *
mail_compose_test(const struct config *cfg, const char *host, const char *msgid)
{
	struct buf t = { 0 };
	char now[32], *subject, *msg;

	fmt_iso8601(cfg->now, now, sizeof(now));
	subject = xasprintf("[cert-expiry] test message from %s", host);
	buf_printf(&t, "This is a test message from check_cert_expiry %s on host %s,\n",
	    PACKAGE_VERSION, host);
	buf_printf(&t, "sent at %s.\n\n", now);
	buf_addstr(&t, "If you can read it, mail delivery for certificate expiry "
	    "digests works.\n");
	msg = finish(cfg, subject, msgid, t.data);
	free(subject);
	buf_free(&t);
	return msg;
}

/* ------------------------------------------------------------------ digest */

static const char *
level_label(int l)
{
	switch (l) {
	case ML_EXPIRED:
		return "EXPIRED";
	case ML_CRITICAL:
		return "CRITICAL";
	case ML_WARNING:
		return "WARNING";
	default:
		return "OK";
	}
}

static void
field(struct buf *t, const char *label, const char *value, size_t max)
{
	buf_printf(t, "    %-11s ", label);
	mail_text(t, value, max);
	buf_addc(t, '\n');
}

static void
cert_block(struct buf *t, const struct cert *c, int level)
{
	char when[32], s[64];
	size_t i;

	buf_printf(t, "%-8s  ", level_label(level));
	mail_text(t, c->name, NAME_MAX_BODY);
	buf_addc(t, '\n');
	if (c->no_expiry)
		field(t, "Expires:", "never (99991231235959Z)", 64);
	else {
		fmt_iso8601(c->ci.not_after, when, sizeof(when));
		/* "2026-11-25T08:00:00Z" -> "2026-11-25 08:00:00 UTC" */
		when[10] = ' ';
		when[19] = '\0';
		snprintf(s, sizeof(s), "%s UTC", when);
		field(t, "Expires:", s, 64);
		if (c->expired)
			snprintf(s, sizeof(s), "%.2f (expired %.2f days ago)", c->days_left,
			    -c->days_left);
		else
			snprintf(s, sizeof(s), "%.2f", c->days_left);
		field(t, "Days left:", s, 64);
	}
	if (c->not_yet_valid && c->ci.has_not_before) {
		fmt_iso8601(c->ci.not_before, when, sizeof(when));
		field(t, "Valid from:", when, 64);
	}
	field(t, "State:", level_label(level), 16);
	field(t, "Serial:", c->ci.serial != NULL ? c->ci.serial : "(unknown)", 256);
	field(t, "Issuer:", c->ci.issuer != NULL ? c->ci.issuer : "(unknown)",
	    DN_MAX_BODY);
	if (c->ci.subject != NULL)
		field(t, "Subject:", c->ci.subject, DN_MAX_BODY);
	if (c->ci.template != NULL)
		field(t, "Template:", c->ci.template, NAME_MAX_BODY);
	if (c->ci.requester != NULL)
		field(t, "Requester:", c->ci.requester, NAME_MAX_BODY);
	for (i = 0; i < c->nlocs; i++) {
		buf_printf(t, "    %-11s ", i == 0 ? "Found in:" : "");
		mail_text(t, c->locs[i].path, DN_MAX_BODY);
		if (c->locs[i].record > 0)
			buf_printf(t, " (%s, record %ld)", c->locs[i].format != NULL ?
			    c->locs[i].format : "?", c->locs[i].record);
		else if (c->locs[i].format != NULL)
			buf_printf(t, " (%s)", c->locs[i].format);
		if (c->locs[i].alias != NULL) {
			buf_addstr(t, " alias ");
			mail_text(t, c->locs[i].alias, NAME_MAX_BODY);
		}
		buf_addc(t, '\n');
	}
	buf_addc(t, '\n');
}

static void
plural(struct buf *b, size_t n, const char *what, int *first)
{
	if (n == 0)
		return;
	buf_printf(b, "%s%zu %s", *first ? "" : ", ", n, what);
	*first = 0;
}

char *
mail_compose_digest(const struct config *cfg, struct cert *const *certs,
    const int *levels, size_t n, const char *host, const char *msgid)
{
	struct buf t = { 0 }, counts = { 0 }, subj = { 0 };
	size_t cnt[ML_EXPIRED + 1] = { 0 }, i;
	const char *worst;
	char day[16], now[32], *msg;
	int first = 1;

	for (i = 0; i < n; i++)
		cnt[levels[i] >= 0 && levels[i] <= ML_EXPIRED ? levels[i] : 0]++;
	plural(&counts, cnt[ML_EXPIRED], "expired", &first);
	plural(&counts, cnt[ML_CRITICAL], "critical", &first);
	plural(&counts, cnt[ML_WARNING], "warning", &first);
	plural(&counts, cnt[ML_LISTED] + cnt[ML_NONE], "ok", &first);
	if (cnt[ML_EXPIRED] + cnt[ML_CRITICAL] > 0)
		worst = "CRITICAL";
	else if (cnt[ML_WARNING] > 0)
		worst = "WARNING";
	else
		worst = "OK";

	buf_printf(&subj, "[cert-expiry] %s: %zu certificate%s on %s (%s)", worst, n,
	    n == 1 ? "" : "s", host, counts.data != NULL ? counts.data : "");
	if (n > 0) {
		fmt_utc_day(certs[0]->ci.not_after, day, sizeof(day));
		buf_addstr(&subj, ", first ");
		mail_text(&subj, certs[0]->name, NAME_MAX_SUBJ);
		if (!certs[0]->no_expiry)
			buf_printf(&subj, " %s %s", certs[0]->expired ? "expired" :
			    "expires", day);
	}

	fmt_iso8601(cfg->now, now, sizeof(now));
	buf_printf(&t, "check_cert_expiry on %s, %s:\n", host, now);
	if (cfg->has_days)
		buf_printf(&t, "%zu certificate%s selected with --days=%ld (%s).\n", n,
		    n == 1 ? "" : "s", cfg->days, counts.data);
	else
		buf_printf(&t, "%zu certificate%s need%s attention (%s).\n", n,
		    n == 1 ? "" : "s", n == 1 ? "s" : "", counts.data);
	if (cfg->state_file != NULL)
		buf_addstr(&t, "Only certificates whose state changed since the last "
		    "mail are listed.\n");
	buf_addstr(&t, "Soonest first; times in UTC.\n\n");
	for (i = 0; i < n; i++)
		cert_block(&t, certs[i], levels[i]);
	buf_printf(&t, "-- \ncheck_cert_expiry %s\n", PACKAGE_VERSION);

	msg = finish(cfg, subj.data, msgid, t.data);
	buf_free(&t);
	buf_free(&counts);
	buf_free(&subj);
	return msg;
}

/* -------------------------------------------------------------- the runs */

static int
addresses_ok(const struct config *cfg, char *err, size_t errlen)
{
	size_t i;

	if (cfg->smtp_server == NULL || cfg->sender == NULL || cfg->nrecipients == 0) {
		snprintf(err, errlen, "mail needs --smtp-server, --sender and --recipient");
		return 0;
	}
	if (!mail_address_ok(cfg->sender)) {
		snprintf(err, errlen, "invalid sender address");
		return 0;
	}
	for (i = 0; i < cfg->nrecipients; i++) {
		if (!mail_address_ok(cfg->recipients[i])) {
			snprintf(err, errlen, "invalid recipient address #%zu", i + 1);
			return 0;
		}
	}
	return 1;
}

int
mail_test(const struct config *cfg, char *err, size_t errlen)
{
	char *host, *id, *msg;
	int rc;

	if (!addresses_ok(cfg, err, errlen))
		return 0;
	host = local_hostname();
	id = message_id(cfg->now, host);
	msg = mail_compose_test(cfg, host, id);
	rc = smtp_send(cfg, msg, strlen(msg), err, errlen);
	free(msg);
	free(id);
	free(host);
	return rc;
}

struct pick {
	struct cert	*c;
	int		 level;
	size_t		 idx;
	char		*key;
};

static int
pick_cmp(const void *a, const void *b)
{
	const struct pick *x = a, *y = b;

	if (x->c->ci.not_after != y->c->ci.not_after)
		return x->c->ci.not_after < y->c->ci.not_after ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/*
 * Applies this run to the stored state; fills picks with what is to be
 * mailed (level above the stored one). Returns 1 if the state changed in
 * a way that needs no mail (pruned or lowered entries).
 */
static int
state_apply(const struct config *cfg, struct report *r, struct mstate *st,
    struct pick *picks, size_t *npicks)
{
	struct state_entry *e;
	struct cert *c;
	size_t i;
	int level, changed = 0;
	char *key;

	for (i = 0; i < st->n; i++)
		st->e[i].seen = 0;
	for (i = 0; i < r->ncerts; i++) {
		c = r->certs[i];
		key = state_key(c);
		e = state_find(st, key);
		if (e != NULL)
			e->seen = 1;
		if (!c->selected) {
			/* Renewed (--skip-renewed): forget it; otherwise the
			 * entry belongs to another selection: keep it. */
			if (e != NULL && c->renewed_by != NULL) {
				e->level = ML_NONE;
				changed = 1;
			}
			free(key);
			continue;
		}
		level = mail_cert_level(c, cfg->has_days);
		if (level < 0) {		/* forgotten: leave as it is */
			free(key);
			continue;
		}
		if (level == ML_NONE) {		/* OK again (or never alerted) */
			if (e != NULL) {
				e->level = ML_NONE;
				changed = 1;
			}
			free(key);
			continue;
		}
		if (e != NULL && level <= e->level) {
			if (level < e->level) {	/* thresholds changed */
				e->level = level;
				changed = 1;
			}
			free(key);
			continue;
		}
		picks[*npicks].c = c;
		picks[*npicks].level = level;
		picks[*npicks].idx = i;
		picks[*npicks].key = key;
		(*npicks)++;
	}
	/* Drop entries for certificates that went away, unless a source
	 * could not be read this time (they may come back). */
	for (i = st->n; i-- > 0;) {
		if (st->e[i].level == ML_NONE || (!st->e[i].seen && r->nproblems == 0)) {
			state_remove(st, i);
			changed = 1;
		}
	}
	return changed;
}

static void
digest_error(struct report *r, const char *msg)
{
	free(r->mail_error);
	r->mail_error = xstrdup(msg);
}

void
mail_digest(const struct config *cfg, struct report *r)
{
	struct mstate st = { 0 };
	struct state_txn tx;
	struct pick *picks;
	struct cert **certs = NULL;
	int *levels = NULL, changed = 0, have_tx = 0;
	size_t npicks = 0, i;
	char err[1024], err2[1200], *host = NULL, *id = NULL, *msg = NULL;

	free(r->mail_error);
	free(r->mail_summary);
	r->mail_error = r->mail_summary = NULL;
	if (cfg->smtp_server == NULL)
		return;
	if (!addresses_ok(cfg, err, sizeof(err))) {
		digest_error(r, err);
		return;
	}
	memset(&tx, 0, sizeof(tx));
	picks = xcalloc(r->ncerts ? r->ncerts : 1, sizeof(*picks));
	if (cfg->state_file != NULL) {
		if (!state_load(cfg->state_file, &st, err, sizeof(err))) {
			digest_error(r, err);
			goto out;
		}
		changed = state_apply(cfg, r, &st, picks, &npicks);
	} else {
		for (i = 0; i < r->ncerts; i++) {
			int level;

			if (!r->certs[i]->selected)
				continue;
			level = mail_cert_level(r->certs[i], cfg->has_days);
			if (level <= ML_NONE)
				continue;
			picks[npicks].c = r->certs[i];
			picks[npicks].level = level;
			picks[npicks].idx = i;
			npicks++;
		}
	}

	if (npicks == 0) {
		r->mail_summary = xstrdup(cfg->state_file != NULL ?
		    "no mail sent: nothing new since the last mail" :
		    "no mail sent: no certificate to report");
		if (changed) {
			if (!state_begin(cfg->state_file, &tx, err, sizeof(err)) ||
			    !state_commit(&tx, &st, err, sizeof(err)))
				digest_error(r, err);
		}
		goto out;
	}

	/* Find out that the state cannot be written before sending. */
	if (cfg->state_file != NULL) {
		if (!state_begin(cfg->state_file, &tx, err, sizeof(err))) {
			digest_error(r, err);
			goto out;
		}
		have_tx = 1;
	}
	qsort(picks, npicks, sizeof(*picks), pick_cmp);
	certs = xcalloc(npicks, sizeof(*certs));
	levels = xcalloc(npicks, sizeof(*levels));
	for (i = 0; i < npicks; i++) {
		certs[i] = picks[i].c;
		levels[i] = picks[i].level;
	}
	host = local_hostname();
	id = message_id(cfg->now, host);
	msg = mail_compose_digest(cfg, certs, levels, npicks, host, id);
	if (!smtp_send(cfg, msg, strlen(msg), err, sizeof(err))) {
		digest_error(r, err);	/* nothing is marked as sent */
		goto out;
	}
	r->mail_summary = xasprintf("mail sent to %zu recipient%s: %zu certificate%s",
	    cfg->nrecipients, cfg->nrecipients == 1 ? "" : "s", npicks,
	    npicks == 1 ? "" : "s");
	if (have_tx) {
		for (i = 0; i < npicks; i++)
			state_set(&st, picks[i].key, picks[i].level,
			    picks[i].c->ci.not_after, picks[i].c->name);
		have_tx = 0;
		if (!state_commit(&tx, &st, err, sizeof(err))) {
			snprintf(err2, sizeof(err2), "mail sent, but the state file was "
			    "not written: %s", err);
			digest_error(r, err2);
		}
	}
out:
	if (have_tx)
		state_abort(&tx);
	for (i = 0; i < npicks; i++)
		free(picks[i].key);
	free(picks);
	free(certs);
	free(levels);
	free(msg);
	free(id);
	free(host);
	state_free(&st);
}
