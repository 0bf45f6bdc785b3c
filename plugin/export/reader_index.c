/*
 * OpenSSL / Easy-RSA CA database (index.txt): six TAB-separated fields per
 * line: status, expiry, revocation, serial, file name, one-line subject.
 * The status letter may be stale ('E' is written only by -updatedb, 'V' rows
 * may have expired long ago): the expiry comes from the date field.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "export.h"

#define INDEX_FIELDS	6
#define INDEX_MAXLINE	65536

/* Scans p[0..len) to its first LF (or len), sixteen or eight bytes at a
 * time, and returns that offset; the offsets of the first INDEX_FIELDS
 * TABs before it go to tabs, their count to *ntabs. */
static size_t
scan_line(const char *p, size_t len, size_t tabs[INDEX_FIELDS], int *ntabs)
{
	size_t i = 0, j;
	int k = 0;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t w, m;
#endif
#ifdef __SSE2__
	unsigned t, l;

	/* sixteen at a time: the TABs before the first LF, then that LF */
	for (; i + 16 <= len; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(p + i));

		t = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('\t')));
		l = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('\n')));
		if (l != 0)
			t &= (l & (0U - l)) - 1;
		for (; t != 0 && k < INDEX_FIELDS; t &= t - 1)
			tabs[k++] = i + (size_t)__builtin_ctz(t);
		if (l != 0) {
			*ntabs = k;
			return i + (size_t)__builtin_ctz(l);
		}
	}
#endif
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	for (; i + 8 <= len; i += 8) {
		memcpy(&w, p + i, 8);
		for (m = byte_mask(w, '\t') | byte_mask(w, '\n'); m != 0; m &= m - 1) {
			j = i + (size_t)__builtin_ctzll(m) / 8;
			if (p[j] == '\n') {
				*ntabs = k;
				return j;
			}
			if (k < INDEX_FIELDS)
				tabs[k++] = j;
		}
	}
#endif
	for (; i < len && p[i] != '\n'; i++)
		if (p[i] == '\t' && k < INDEX_FIELDS)
			tabs[k++] = i;
	*ntabs = k;
	return i;
}

/* The fields of a line from its TABs (scan_line); *n gets their count
 * (capped at INDEX_FIELDS + 1). 1 if there are exactly INDEX_FIELDS. */
static int
fields_of(const struct cur *line, const size_t tabs[INDEX_FIELDS], int ntabs,
    struct cur f[INDEX_FIELDS], int *n)
{
	size_t at = 0;
	int k;

	*n = ntabs + 1;
	for (k = 0; k < *n && k < INDEX_FIELDS; k++) {
		f[k].p = line->p + at;
		f[k].len = (k < ntabs ? tabs[k] : line->len) - at;
		at += f[k].len + 1;
	}
	return *n == INDEX_FIELDS;
}

/* Splits a line (no LF in it) at TABs into exactly INDEX_FIELDS fields;
 * *n gets the count found (capped at INDEX_FIELDS + 1). */
static int
split_fields(const struct cur *line, struct cur f[INDEX_FIELDS], int *n)
{
	size_t tabs[INDEX_FIELDS];
	int ntabs;

	(void)scan_line(line->p, line->len, tabs, &ntabs);
	return fields_of(line, tabs, ntabs, f, n);
}

static int
two(const char *p, int *v)
{
	if (p[0] < '0' || p[0] > '9' || p[1] < '0' || p[1] > '9')
		return 0;
	*v = (p[0] - '0') * 10 + (p[1] - '0');
	return 1;
}

/* YYMMDDHHMMSSZ (RFC 5280 UTCTime: YY >= 50 is 19YY) or YYYYMMDDHHMMSSZ. */
static int
index_time(const struct cur *f, int64_t *t)
{
	const char *p = f->p;
	int y, cc, mo, d, h, mi, s;
	int64_t days;

	if (f->len == 13) {
		if (!two(p, &y))
			return 0;
		y += y >= 50 ? 1900 : 2000;
		p += 2;
	} else if (f->len == 15) {
		if (!two(p, &cc) || !two(p + 2, &y))
			return 0;
		y += cc * 100;
		p += 4;
	} else
		return 0;
	if (!two(p, &mo) || !two(p + 2, &d) || !two(p + 4, &h) || !two(p + 6, &mi) ||
	    !two(p + 8, &s) || p[10] != 'Z')
		return 0;
	if (h > 23 || mi > 59 || s > 59 || !days_from_civil(y, mo, d, &days))
		return 0;
	*t = days * 86400 + h * 3600 + mi * 60 + s;
	return 1;
}

#ifdef __SSE2__
/* Sixteen hex digits at p upper-cased to out; 0 if one is not a digit. */
static int
hex_upper16(const char *p, char *out)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p), up, dig, let;

	/* non-ASCII bytes are negative: neither a digit nor a letter */
	dig = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1)),
	    _mm_cmplt_epi8(x, _mm_set1_epi8('9' + 1)));
	up = _mm_and_si128(x, _mm_set1_epi8((char)~0x20));
	let = _mm_and_si128(_mm_cmpgt_epi8(up, _mm_set1_epi8('A' - 1)),
	    _mm_cmplt_epi8(up, _mm_set1_epi8('F' + 1)));
	if (_mm_movemask_epi8(_mm_or_si128(dig, let)) != 0xffff)
		return 0;
	_mm_storeu_si128((__m128i *)(void *)out,
	    _mm_or_si128(_mm_and_si128(dig, x), _mm_andnot_si128(dig, up)));
	return 1;
}
#endif

/* A serial field: 1 to 64 hex digits, written upper-case to out (room for
 * 64); 0 if it is not one. */
static int
hex_upper(const struct cur *f, char *out)
{
	size_t i = 0;
	char c;

	if (f->len == 0 || f->len > 64)
		return 0;
#ifdef __SSE2__
	if (f->len >= 16) {
		/* sixteen at a time, the last sixteen overlapping */
		for (;; i += 16) {
			if (i + 16 > f->len)
				i = f->len - 16;
			if (!hex_upper16(f->p + i, out + i))
				return 0;
			if (i + 16 == f->len)
				return 1;
		}
	}
#endif
	for (; i < f->len; i++) {
		c = f->p[i];
		if ((unsigned char)(c - '0') > 9) {
			c &= ~0x20;
			if ((unsigned char)(c - 'A') > 5)
				return 0;
		}
		out[i] = c;
	}
	return 1;
}

/* The reason of a revocation field "TIME[,reason[,extra]]". */
static char *
revoke_reason(const struct cur *f, int status)
{
	static const struct {
		const char *in, *out;
	} map[] = {
		{ "keyTime", "keyCompromise" },
		{ "CAkeyTime", "CACompromise" },
		{ "holdInstruction", "certificateHold" },
	};
	const char *c, *e;
	size_t i, n;

	if (status == 'S')
		return xstrdup("suspended");
	c = memchr(f->p, ',', f->len);
	if (c == NULL || (size_t)(c + 1 - f->p) >= f->len)
		return xstrdup("revoked");
	c++;
	e = memchr(c, ',', f->len - (size_t)(c - f->p));
	n = e != NULL ? (size_t)(e - c) : f->len - (size_t)(c - f->p);
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strlen(map[i].in) == n && strncmp(map[i].in, c, n) == 0)
			return xstrdup(map[i].out);
	return utf8_repair((const unsigned char *)c, n);
}

static int
subject_error(struct sink *s, long lineno, const struct cur *f)
{
	char show[64];

	sink_error(s, lineno, "malformed subject '%s'", cur_shown(f, show, sizeof(show)));
	return 0;
}

/* What the lines of a read share: the subject being formed, and the DN
 * before (dn_oneline_append_next). */
struct lines_scratch {
	struct buf	 subject;
	struct dn_prev	 dn;
};

/* The subject of a line in RFC 4514 form and its CN into ci, in the
 * sink's arena; 0 if it is malformed. */
static int
index_subject(struct sink *s, struct lines_scratch *sc, const struct cur *f, long lineno,
    struct certinfo *ci)
{
	struct arena *a = sink_arena(s);
	const char *cn;
	char show[64], *sub, *full_cn;
	size_t cnlen;
	int loose;

	sc->subject.len = 0;
	if (dn_oneline_append_next(&sc->dn, f->p, f->len, &sc->subject) && sc->dn.plain) {
		ci->subject = arena_strndup(a, sc->subject.data, sc->subject.len);
		if (dn_plain_subject_cn(ci->subject, sc->subject.len, &cn, &cnlen))
			ci->cn = arena_strndup(a, cn, cnlen);
		return 1;
	}
	/* not plain: parsed again in full, for the CN and what was loose */
	if (!dn_oneline_parse_loose(f->p, f->len, &sub, &full_cn, &loose))
		return subject_error(s, lineno, f);
	ci->subject = arena_strdup(a, sub);
	ci->cn = arena_strdup(a, full_cn);
	free(sub);
	free(full_cn);
	if (loose)
		sink_note_at(s, "line", lineno, "subject '%s' has a '/' or '+' inside a "
		    "value that is not escaped: read as %s", cur_shown(f, show, sizeof(show)),
		    ci->subject);
	return 1;
}

/* One data line, split at its TABs into f (n of them, see fields_of);
 * returns 1 if reported or deliberately ignored. */
static int
index_line(struct sink *s, const struct cur *line, const struct cur f[INDEX_FIELDS], int n,
    long lineno, int include_revoked, struct lines_scratch *sc)
{
	struct certinfo ci;
	struct sink_cert_meta meta = { "index.txt", lineno, NULL, NULL };
	char show[64], serial[64], *reason;
	int status;
	int64_t t;

	if (line->len > INDEX_MAXLINE) {
		sink_error(s, lineno, "line longer than %d bytes", INDEX_MAXLINE);
		return 0;
	}
	if (n != INDEX_FIELDS) {
		sink_error(s, lineno, "expected %d TAB-separated fields, found %s%d",
		    INDEX_FIELDS, n > INDEX_FIELDS ? "more than " : "",
		    n > INDEX_FIELDS ? INDEX_FIELDS : n);
		return 0;
	}
	status = f[0].len == 1 ? f[0].p[0] : 0;
	if (status != 'V' && status != 'R' && status != 'E' && status != 'S') {
		sink_error(s, lineno, "unknown status '%s' (expected V, R, E or S)",
		    cur_shown(&f[0], show, sizeof(show)));
		return 0;
	}
	if (!index_time(&f[1], &t)) {
		sink_error(s, lineno, "malformed expiry date '%s'",
		    cur_shown(&f[1], show, sizeof(show)));
		return 0;
	}
	if (!hex_upper(&f[3], serial)) {
		sink_error(s, lineno, "malformed serial '%s'", cur_shown(&f[3], show,
		    sizeof(show)));
		return 0;
	}
	if ((status == 'R' || status == 'S') && !include_revoked) {
		sink_note_at(s, "line", lineno, "%s serial %s ignored",
		    status == 'R' ? "revoked" : "suspended", cur_shown(&f[3], show,
		    sizeof(show)));
		return 1;
	}
	memset(&ci, 0, sizeof(ci));
	if (!index_subject(s, sc, &f[5], lineno, &ci))
		return 0;
	ci.serial = arena_strndup(sink_arena(s), serial, f[3].len);
	ci.not_after = t;
	if (status == 'R' || status == 'S') {
		ci.revoked = 1;
		reason = revoke_reason(&f[2], status);
		ci.revoke_reason = arena_strdup(sink_arena(s), reason);
		free(reason);
	}
	sink_certinfo(s, &ci, &meta);
	return 1;
}

/* Reads the lines of p[0..len), numbered from 1, after a UTF-8 byte order
 * mark if bom; *lines gets their count. Returns the number of data lines. */
static long
index_lines(struct sink *s, const unsigned char *p, size_t len, int bom, long *lines)
{
	struct cur c = { (const char *)p, len }, line, f[INDEX_FIELDS];
	const struct config *cfg = sink_config(s);
	struct lines_scratch sc;
	long lineno = 0, rows = 0;
	size_t tabs[INDEX_FIELDS], end;
	int ntabs, n;

	memset(&sc, 0, sizeof(sc));
	if (bom && len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
		cur_skip(&c, 3);
	while (c.len > 0) {
		/* the line as cur_get_line() takes it, and its TABs */
		end = scan_line(c.p, c.len, tabs, &ntabs);
		line.p = c.p;
		line.len = end > 0 && c.p[end - 1] == '\r' ? end - 1 : end;
		cur_skip(&c, end < c.len ? end + 1 : end);
		lineno++;
		if (line.len == 0 || line.p[0] == '#')
			continue;
		rows++;
		(void)fields_of(&line, tabs, ntabs, f, &n);
		index_line(s, &line, f, n, lineno, cfg != NULL && cfg->include_revoked, &sc);
		/* the pages behind go back a megabyte at a time: saying so
		 * every 64 lines is often enough */
		if (rows % 64 == 0)
			sink_consumed(s, (const unsigned char *)c.p);
	}
	sink_consumed(s, (const unsigned char *)c.p);
	buf_free(&sc.subject);
	*lines = lineno;
	return rows;
}

/* A UTF-16 byte order mark: the database copied on Windows with
 * PowerShell (Get-Content | Out-File, or '>') */
static int
bom16(const unsigned char *p, size_t len)
{
	return len >= 2 && ((p[0] == 0xff && p[1] == 0xfe) || (p[0] == 0xfe && p[1] == 0xff));
}

/* A whole database, or a part of one: its lines (a line never runs on, so
 * a part is read to its end). */
static void
index_read(struct sink *s, const unsigned char *p, size_t len)
{
	struct part *part = sink_part(s);
	const unsigned char *u = p;
	unsigned char *owned = NULL;
	size_t ulen = len;
	long lines;
	int truncated = 0;
	char err[128];

	if (part != NULL) {
		(void)index_lines(s, p, len, 0, &part->units);
		part->done = len;
		return;
	}
	if (bom16(p, len) && !textenc_to_utf8(p, len, p[0] == 0xff ? TE_UTF16LE : TE_UTF16BE,
	    &u, &ulen, &owned, &truncated, err, sizeof(err))) {
		sink_error(s, 0, "%s", err);
		return;
	}
	if (truncated)
		sink_error(s, 0, "truncated UTF-16 text (odd number of bytes)");
	if (index_lines(s, u, ulen, 1, &lines) == 0)
		sink_skip(s, "index.txt without any certificate line");
	free(owned);
}

/* UTF-16 is read whole (converted), everything else in parts, from after
 * a UTF-8 byte order mark. */
static void *
index_header(struct sink *s, const unsigned char *p, size_t len, size_t *body)
{
	static int any;

	(void)s;
	*body = len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf ? 3 : 0;
	return bom16(p, len) ? NULL : &any;
}

/* A record starts at a line. */
static size_t
index_next_line(const unsigned char *p, size_t len, size_t at)
{
	const unsigned char *nl = memchr(p + at - 1, '\n', len - at + 1);

	return nl != NULL ? (size_t)(nl + 1 - p) : len;
}

/* The first data line (within 4 KiB) has the six fields, a status letter,
 * an expiry date and a hex serial. */
static int
index_probe(const unsigned char *p, size_t len)
{
	struct cur c = { (const char *)p, len < 4096 ? len : 4096 }, line;
	struct cur f[INDEX_FIELDS];
	char serial[64];
	int64_t t;
	int n;

	char *buf = NULL;
	size_t cap;
	int ok = 0;

	if (bom16(p, len)) {
		/* the prefix as UTF-8, probed as the rest */
		cap = c.len / 2 * 3 + 8;
		buf = xmalloc(cap);
		c.p = buf;
		c.len = textenc_prefix(p, len, c.len, buf, cap);
	}
	if (c.len >= 3 && memcmp(c.p, "\xef\xbb\xbf", 3) == 0)
		cur_skip(&c, 3);
	while (cur_get_line(&c, &line)) {
		if (line.len == 0 || line.p[0] == '#')
			continue;
		ok = split_fields(&line, f, &n) && f[0].len == 1 &&
		    (f[0].p[0] == 'V' || f[0].p[0] == 'R' || f[0].p[0] == 'E' ||
		    f[0].p[0] == 'S') && index_time(&f[1], &t) &&
		    hex_upper(&f[3], serial);
		break;
	}
	free(buf);
	return ok;
}

const struct reader reader_index = {
	"index", index_probe, index_read, index_next_line, index_header, NULL
};
