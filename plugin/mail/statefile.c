/*
 * The --state-file: what was mailed about which certificate.
 *
 * Format (UTF-8 free, one entry per line, LF line ends):
 *
 *	check_cert_expiry-state 1
 *	# comments and empty lines are ignored
 *	KEY <TAB> LEVEL <TAB> NOT_AFTER <TAB> NAME
 *
 * KEY is "sha256:" and 64 lower-case hex digits, or "issuer-serial:" with
 * the issuer DN and the serial joined by '/' (without a serial: '?', the
 * name, '@' and the expiry as seconds, then '#' and the Request ID of a
 * CA-export row that has one); KEY and NAME are
 * percent-encoded (every byte outside '!'..'~', and '%'). LEVEL is one of
 * listed, warning, critical, expired. NOT_AFTER is YYYY-MM-DDTHH:MM:SSZ.
 * The file must end with a line end: a truncated file is corrupt.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extern.h"
#include "mail.h"

#define STATE_HEADER	"check_cert_expiry-state 1"
#define STATE_MAX	(64u * 1024 * 1024)
#define FIELD_MAX	8192

static const char *const level_names[] = {
	"none", "listed", "warning", "critical", "expired"
};

const char *
mail_level_name(int l)
{
	if (l < 0 || l > ML_EXPIRED)
		return "?";
	return level_names[l];
}

static void
pct_encode(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p <= 0x20 || *p >= 0x7f || *p == '%') {
			buf_addc(b, '%');
			buf_addc(b, hex[*p >> 4]);
			buf_addc(b, hex[*p & 0xf]);
		} else
			buf_addc(b, (char)*p);
	}
}

char *
state_key(const struct cert *c)
{
	static const char hex[] = "0123456789abcdef";
	struct buf b = { 0 };
	size_t i;

	if (c->ci.has_sha256) {
		buf_addstr(&b, "sha256:");
		for (i = 0; i < sizeof(c->ci.sha256); i++) {
			buf_addc(&b, hex[c->ci.sha256[i] >> 4]);
			buf_addc(&b, hex[c->ci.sha256[i] & 0xf]);
		}
		return buf_release(&b);
	}
	buf_addstr(&b, "issuer-serial:");
	pct_encode(&b, c->ci.issuer != NULL ? c->ci.issuer : "");
	buf_addc(&b, '/');
	if (c->ci.serial != NULL)
		pct_encode(&b, c->ci.serial);
	else {
		/* Neither hash nor serial: the name and the expiry. */
		buf_addstr(&b, "?");
		pct_encode(&b, c->name != NULL ? c->name : "");
		buf_printf(&b, "@%lld", (long long)c->ci.not_after);
		/* rows of one name and expiry: their Request IDs tell them apart */
		if (c->ci.request_id != NULL) {
			buf_addc(&b, '#');
			pct_encode(&b, c->ci.request_id);
		}
	}
	return buf_release(&b);
}

static char *
encode_name(const char *name)
{
	struct buf b = { 0 };
	char *raw;

	/* Informational only: keep it short (cut before encoding, so that
	 * no %XX escape is cut in half). */
	if (name == NULL)
		name = "";
	raw = xstrndup(name, strnlen(name, 256));
	pct_encode(&b, raw);
	free(raw);
	return buf_release(&b);
}

static int
entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct state_entry *)a)->key,
	    ((const struct state_entry *)b)->key);
}

static int
key_cmp(const void *key, const void *e)
{
	return strcmp(key, ((const struct state_entry *)e)->key);
}

struct state_entry *
state_find(struct mstate *st, const char *key)
{
	if (st->n == 0)
		return NULL;
	return bsearch(key, st->e, st->n, sizeof(st->e[0]), key_cmp);
}

void
state_set(struct mstate *st, const char *key, int level, int64_t not_after,
    const char *name)
{
	struct state_entry *e;
	size_t lo = 0, hi = st->n, mid;

	if ((e = state_find(st, key)) != NULL) {
		e->level = level;
		e->not_after = not_after;
		free(e->name);
		e->name = encode_name(name);
		return;
	}
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(st->e[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	st->e = xreallocarray(st->e, st->n + 1, sizeof(st->e[0]));
	memmove(&st->e[lo + 1], &st->e[lo], (st->n - lo) * sizeof(st->e[0]));
	st->n++;
	e = &st->e[lo];
	memset(e, 0, sizeof(*e));
	e->key = xstrdup(key);
	e->level = level;
	e->not_after = not_after;
	e->name = encode_name(name);
}

void
state_remove(struct mstate *st, size_t i)
{
	if (i >= st->n)
		return;
	free(st->e[i].key);
	free(st->e[i].name);
	memmove(&st->e[i], &st->e[i + 1], (st->n - i - 1) * sizeof(st->e[0]));
	st->n--;
}

void
state_free(struct mstate *st)
{
	size_t i;

	for (i = 0; i < st->n; i++) {
		free(st->e[i].key);
		free(st->e[i].name);
	}
	free(st->e);
	st->e = NULL;
	st->n = 0;
}

/* A field: printable ASCII, '%' only as a valid %XX escape. */
static int
field_ok(const char *s, size_t len, int allow_empty)
{
	size_t i;

	if (len == 0)
		return allow_empty;
	if (len > FIELD_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] <= 0x20 || s[i] >= 0x7f)
			return 0;
		if (s[i] == '%' && (i + 2 >= len ||
		    !isxdigit((unsigned char)s[i + 1]) ||
		    !isxdigit((unsigned char)s[i + 2])))
			return 0;
	}
	return 1;
}

static int
level_parse(const char *s, size_t len, int *level)
{
	int l;

	for (l = ML_LISTED; l <= ML_EXPIRED; l++) {
		if (strlen(level_names[l]) == len && memcmp(level_names[l], s, len) == 0) {
			*level = l;
			return 1;
		}
	}
	return 0;
}

static int
time_parse(const char *s, size_t len, int64_t *t)
{
	char tmp[32];

	if (len != 20 || s[19] != 'Z')
		return 0;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	return parse_now(tmp, t);
}

/* One entry line (without its LF) into st. */
static int
parse_line(const char *path, long lineno, const char *p, size_t len,
    struct mstate *st, char *err, size_t errlen)
{
	const char *f[4];
	size_t fl[4], i, n = 0, start = 0;
	struct state_entry *e;
	int level;
	int64_t t;

	for (i = 0; i <= len; i++) {
		if (i == len || p[i] == '\t') {
			if (n == 4) {
				snprintf(err, errlen, "%s:%ld: more than 4 fields", path, lineno);
				return 0;
			}
			f[n] = p + start;
			fl[n] = i - start;
			n++;
			start = i + 1;
		}
	}
	if (n != 4) {
		snprintf(err, errlen, "%s:%ld: expected 4 tab-separated fields, found %zu",
		    path, lineno, n);
		return 0;
	}
	if (!field_ok(f[0], fl[0], 0) || (strncmp(f[0], "sha256:", 7) != 0 &&
	    strncmp(f[0], "issuer-serial:", 14) != 0)) {
		snprintf(err, errlen, "%s:%ld: invalid key", path, lineno);
		return 0;
	}
	if (!level_parse(f[1], fl[1], &level)) {
		snprintf(err, errlen, "%s:%ld: invalid level", path, lineno);
		return 0;
	}
	if (!time_parse(f[2], fl[2], &t)) {
		snprintf(err, errlen, "%s:%ld: invalid time", path, lineno);
		return 0;
	}
	if (!field_ok(f[3], fl[3], 1)) {
		snprintf(err, errlen, "%s:%ld: invalid name", path, lineno);
		return 0;
	}
	st->e = xreallocarray(st->e, st->n + 1, sizeof(st->e[0]));
	e = &st->e[st->n++];
	memset(e, 0, sizeof(*e));
	e->key = xstrndup(f[0], fl[0]);
	e->level = level;
	e->not_after = t;
	e->name = xstrndup(f[3], fl[3]);
	return 1;
}

int
state_parse(const char *path, const unsigned char *data, size_t len,
    struct mstate *out, char *err, size_t errlen)
{
	struct mstate st = { 0 };
	const char *p = (const char *)data, *nl;
	size_t off = 0, linelen, i;
	long lineno = 0;

	if (len == 0) {		/* e.g. created with touch(1) */
		*out = st;
		return 1;
	}
	if (memchr(data, '\0', len) != NULL) {
		snprintf(err, errlen, "%s: corrupt state file (NUL byte)", path);
		return 0;
	}
	if (data[len - 1] != '\n') {
		snprintf(err, errlen, "%s: corrupt state file (truncated: no final line end)",
		    path);
		return 0;
	}
	while (off < len) {
		nl = memchr(p + off, '\n', len - off);
		linelen = (size_t)(nl - (p + off));
		lineno++;
		if (lineno == 1) {
			if (linelen != strlen(STATE_HEADER) ||
			    memcmp(p, STATE_HEADER, linelen) != 0) {
				snprintf(err, errlen, "%s:1: not a check_cert_expiry state "
				    "file or unsupported version (expected \"%s\")", path,
				    STATE_HEADER);
				goto fail;
			}
		} else if (linelen > 0 && p[off] != '#') {
			if (!parse_line(path, lineno, p + off, linelen, &st, err, errlen))
				goto fail;
		}
		off += linelen + 1;
	}
	if (st.n > 1)
		qsort(st.e, st.n, sizeof(st.e[0]), entry_cmp);
	for (i = 1; i < st.n; i++) {
		if (strcmp(st.e[i - 1].key, st.e[i].key) == 0) {
			snprintf(err, errlen, "%s: corrupt state file (duplicate key %.80s)",
			    path, st.e[i].key);
			goto fail;
		}
	}
	*out = st;
	return 1;
fail:
	state_free(&st);
	return 0;
}

int
state_load(const char *path, struct mstate *out, char *err, size_t errlen)
{
	unsigned char *data = NULL;
	size_t len = 0;
	char why[256];
	struct stat sb;
	int rc;

	if (stat(path, &sb) == -1) {
		if (errno == ENOENT) {
			out->e = NULL;
			out->n = 0;
			return 1;
		}
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return 0;
	}
	if (!read_file(path, STATE_MAX, &data, &len, why, sizeof(why))) {
		snprintf(err, errlen, "%s: %s", path, why);
		return 0;
	}
	rc = state_parse(path, data, len, out, err, errlen);
	free(data);
	return rc;
}

void
state_format(const struct mstate *st, struct buf *b)
{
	char t[32];
	size_t i;

	buf_addstr(b, STATE_HEADER "\n");
	buf_addstr(b, "# written by check_cert_expiry --state-file; "
	    "key, level mailed, expiry, name\n");
	for (i = 0; i < st->n; i++) {
		fmt_iso8601(st->e[i].not_after, t, sizeof(t));
		/* Keys and names are stored encoded already. */
		buf_printf(b, "%s\t%s\t%s\t%s\n", st->e[i].key,
		    mail_level_name(st->e[i].level), t, st->e[i].name);
	}
}

int
state_begin(const char *path, struct state_txn *tx, char *err, size_t errlen)
{
	char e[300];

	if (atomic_begin(path, -1, &tx->f, e, sizeof(e)))
		return 1;
	snprintf(err, errlen, "%s: %s", path, e);
	return 0;
}

void
state_abort(struct state_txn *tx)
{
	atomic_abort(&tx->f);
}

int
state_commit(struct state_txn *tx, const struct mstate *st, char *err, size_t errlen)
{
	struct buf b = { 0 };

	char *path = xstrdup(tx->f.path), e[300];
	int rc;

	state_format(st, &b);
	fwrite(b.data, 1, b.len, tx->f.fp);	/* errors: atomic_commit sees them */
	buf_free(&b);
	if (!(rc = atomic_commit(&tx->f, e, sizeof(e))))
		snprintf(err, errlen, "%s: %s", path, e);
	free(path);
	return rc;
}
