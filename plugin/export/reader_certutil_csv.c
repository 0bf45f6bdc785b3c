/*
 * certutil -view ... csv: a header of quoted localised column names in -out
 * order, then one record per row, values quoted, EMPTY for no value, CRLF.
 * Columns are mapped by name (internal, English, German); unknown headers
 * fall back to the shape of the values (a date column, a hex serial column).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"

#define CSV_MAXREC	(1024 * 1024)
#define CSV_MAXFIELDS	64

struct rec {
	struct cu_val	 f[CSV_MAXFIELDS];
	int		 n;		/* fields seen (may exceed CSV_MAXFIELDS) */
	int		 allquoted;
	int		 unterminated;
	size_t		 bytes;
};

/* Reads one record; 0 at the end of the input. */
static int
csv_record(struct cur *c, char sep, struct rec *r)
{
	const char *start = c->p, *q;
	struct cu_val *v, spill;	/* fields past CSV_MAXFIELDS are counted only */
	size_t i;

	if (c->len == 0)
		return 0;
	r->n = 0;
	r->allquoted = 1;
	r->unterminated = 0;
	for (;;) {
		/* written in place: a copy of a half-written value stalls */
		v = r->n < CSV_MAXFIELDS ? &r->f[r->n] : &spill;
		if (c->len > 0 && c->p[0] == '"') {
			cur_skip(c, 1);
			v->p = c->p;
			v->csv = 1;
			for (;;) {
				if ((q = memchr(c->p, '"', c->len)) == NULL) {
					r->unterminated = 1;
					v->len = c->len;
					cur_skip(c, c->len);
					break;
				}
				cur_skip(c, (size_t)(q - c->p) + 1);
				if (c->len > 0 && c->p[0] == '"') {
					cur_skip(c, 1);
					continue;
				}
				v->len = (size_t)(q - v->p);
				break;
			}
			/* tolerate junk up to the separator */
			while (c->len > 0 && c->p[0] != sep && c->p[0] != '\n')
				cur_skip(c, 1);
		} else {
			r->allquoted = 0;
			v->p = c->p;
			v->csv = 0;
			for (i = 0; i < c->len && c->p[i] != sep && c->p[i] != '\n'; i++)
				;
			v->len = i;
			cur_skip(c, i);
			if (v->len > 0 && v->p[v->len - 1] == '\r')
				v->len--;
		}
		if (r->n < CSV_MAXFIELDS + 1)
			r->n++;
		if (c->len > 0 && c->p[0] == sep) {
			cur_skip(c, 1);
			continue;
		}
		if (c->len > 0)
			cur_skip(c, 1);		/* the newline */
		break;
	}
	r->bytes = (size_t)(c->p - start);
	return 1;
}

static int
blank_record(const struct rec *r)
{
	return r->n == 1 && r->f[0].len == 0 && !r->f[0].csv;
}

/* ',' unless the first line has more '";"' than '","'. */
static char
separator(const char *p, size_t len)
{
	const char *nl = memchr(p, '\n', len);
	size_t i, n = nl != NULL ? (size_t)(nl - p) : len, comma = 0, semi = 0;

	for (i = 0; i + 2 < n; i++) {
		if (p[i] == '"' && p[i + 2] == '"') {
			comma += p[i + 1] == ',';
			semi += p[i + 1] == ';';
		}
	}
	return semi > comma ? ';' : ',';
}

static int
is_empty_value(const struct cu_val *v)
{
	return v->len == 0 || (v->len == 5 && memcmp(v->p, "EMPTY", 5) == 0);
}

static int
hex_shape(const struct cu_val *v)
{
	size_t i;

	if (v->len < 8 || v->len > 64)
		return 0;
	for (i = 0; i < v->len; i++)
		if (!((v->p[i] >= '0' && v->p[i] <= '9') ||
		    ((v->p[i] | 0x20) >= 'a' && (v->p[i] | 0x20) <= 'f')))
			return 0;
	return 1;
}

static int
name_shape(const struct cu_val *v)
{
	size_t i;
	int letter = 0;

	for (i = 0; i < v->len; i++) {
		if (v->p[i] == ':' || v->p[i] == '/' || v->p[i] == '=' || v->p[i] == '\n')
			return 0;
		if ((v->p[i] | 0x20) >= 'a' && (v->p[i] | 0x20) <= 'z')
			letter = 1;
	}
	return letter && !hex_shape(v);
}

/* Maps unknown columns by the shape of the first data record. */
static void
guess_columns(int *map, int nmap, const struct rec *first, int *have)
{
	int i, dates[CSV_MAXFIELDS], nd = 0, lo, hi;
	int64_t t, tlo = 0, thi = 0;

	for (i = 0; i < nmap && i < first->n; i++) {
		const struct cu_val *v = &first->f[i];

		if (map[i] >= 0 || is_empty_value(v))
			continue;
		if (cadate_parse(v->p, v->len, NULL, &t)) {
			dates[nd++] = i;
			continue;
		}
		if (!have[CU_SERIAL] && hex_shape(v)) {
			map[i] = CU_SERIAL;
			have[CU_SERIAL] = 1;
		} else if (!have[CU_CN] && name_shape(v)) {
			map[i] = CU_CN;
			have[CU_CN] = 1;
		}
	}
	if (nd == 0 || have[CU_NOTAFTER])
		return;
	lo = hi = dates[0];
	for (i = 0; i < nd; i++) {
		cadate_parse(first->f[dates[i]].p, first->f[dates[i]].len, NULL, &t);
		if (i == 0 || t < tlo)
			tlo = t, lo = dates[i];
		if (i == 0 || t >= thi)
			thi = t, hi = dates[i];
	}
	map[hi] = CU_NOTAFTER;
	have[CU_NOTAFTER] = 1;
	if (lo != hi && !have[CU_NOTBEFORE]) {
		map[lo] = CU_NOTBEFORE;
		have[CU_NOTBEFORE] = 1;
	}
}

/* What the header says: the separator and the column of each field. */
struct csv_head {
	char	 sep;
	int	 nhead;
	int	 map[CSV_MAXFIELDS];
};

/* What the pieces of one export share. */
struct csv_pieces {
	struct csv_head		 h;
	struct cadate_cache	 cache;
};

/* Lines before the header that do not start with a quote (a prompt line
 * copied with the output, blank lines): at most this many. */
#define CSV_PREAMBLE	8

/* Skips those lines. */
static void
csv_preamble(struct cur *c)
{
	const char *nl;
	int i;

	for (i = 0; i < CSV_PREAMBLE && c->len > 0 && c->p[0] != '"'; i++) {
		if ((nl = memchr(c->p, '\n', c->len)) == NULL)
			return;
		cur_skip(c, (size_t)(nl + 1 - c->p));
	}
}

/* Reads the header from c (left at the first record); 0 after an error
 * (reported unless quiet). */
static int
csv_head(struct cu_ctx *x, struct cur *c, struct rec *r, struct csv_head *h, int quiet)
{
	struct cur peek;
	int have[CU_NCOLS], i, col;

	memset(have, 0, sizeof(have));
	csv_preamble(c);
	h->sep = separator(c->p, c->len);
	if (!csv_record(c, h->sep, r) || r->unterminated || r->n > CSV_MAXFIELDS) {
		if (!quiet)
			sink_error(x->sink, 0, "unreadable CSV header");
		return 0;
	}
	h->nhead = r->n;
	for (i = 0; i < h->nhead; i++) {
		col = cu_col_by_name(r->f[i].p, r->f[i].len);
		h->map[i] = col >= 0 && !have[col] ? col : -1;
		if (h->map[i] >= 0)
			have[h->map[i]] = 1;
	}
	if (!have[CU_NOTAFTER] && !have[CU_RAWCERT]) {
		peek = *c;
		while (csv_record(&peek, h->sep, r) && blank_record(r))
			;
		if (r->n == h->nhead && !r->unterminated)
			guess_columns(h->map, h->nhead, r, have);
	}
	if (!have[CU_NOTAFTER] && !have[CU_RAWCERT]) {
		if (quiet)
			return 0;
		sink_error(x->sink, 0, "no expiry date column (NotAfter, Certificate "
		    "Expiration Date, Ablaufdatum des Zertifikats) in the CSV header");
		return 0;
	}
	return 1;
}

/* The values of a record by column (a column that exists but is EMPTY in
 * this record still counts as present). */
static void
csv_vals(const struct rec *r, const struct csv_head *h, struct cu_val vals[CU_NCOLS])
{
	int i;

	memset(vals, 0, sizeof(*vals) * CU_NCOLS);
	for (i = 0; i < h->nhead; i++) {
		if (h->map[i] < 0)
			continue;
		vals[h->map[i]] = r->f[i];
		vals[h->map[i]].csv = 1;
	}
}

/*
 * Reads the records of c, numbered from 1; returns how many. Unless last
 * (more input follows c), a record that runs past the end of c is left
 * alone: *done is where it starts. Otherwise *done is the end of c.
 */
static long
csv_rows(struct cu_ctx *x, struct cur c, struct rec *r, const struct csv_head *h,
    int last, size_t *done)
{
	struct cu_val vals[CU_NCOLS];
	const char *start = c.p, *at;
	long record = 0;

	*done = c.len;
	for (;;) {
		/* the rows before this one are done with */
		sink_consumed(x->sink, (const unsigned char *)c.p);
		at = c.p;
		if (!csv_record(&c, h->sep, r))
			break;
		if (r->unterminated && !last) {
			*done = (size_t)(at - start);
			break;
		}
		if (blank_record(r))
			continue;
		record++;
		if (r->bytes > CSV_MAXREC) {
			sink_error(x->sink, record, "row longer than %d bytes", CSV_MAXREC);
			continue;
		}
		if (r->unterminated) {
			sink_error(x->sink, record, "truncated: unterminated quoted value");
			break;
		}
		if (r->n != h->nhead) {
			if (r->n == 1 && r->f[0].len >= 9 && memcmp(r->f[0].p, "CertUtil:", 9) == 0) {
				record--;
				continue;
			}
			sink_error(x->sink, record, "expected %d fields, found %s%d", h->nhead,
			    r->n > CSV_MAXFIELDS ? "more than " : "",
			    r->n > CSV_MAXFIELDS ? CSV_MAXFIELDS : r->n);
			continue;
		}
		csv_vals(r, h, vals);
		cu_row(x, record, vals);
	}
	return record;
}

static void
csv_parse(struct cu_ctx *x, struct cur c)
{
	struct rec *r = xmalloc(sizeof(*r));
	struct csv_head h;
	size_t done;

	if (csv_head(x, &c, r, &h, 0) && csv_rows(x, c, r, &h, 1, &done) == 0)
		sink_skip(x->sink, "certutil CSV export without any row");
	free(r);
}

/* --------------------------------------------------- a large export in parts */

/* A UTF-8 export with a readable header is read in parts (the others are
 * converted or report their header whole). */
static void *
csv_header(struct sink *s, const unsigned char *p, size_t len, size_t *body)
{
	struct csv_pieces *cp;
	struct cu_ctx x;
	struct rec *r;
	struct cur c = { (const char *)p, len };
	int enc = cu_detect(s, p, len);

	if (enc == TE_UTF8_BOM)
		cur_skip(&c, 3);
	else if (enc != TE_UTF8)
		return NULL;
	cu_ctx_init(&x, s, "certutil-csv");
	cp = xcalloc(1, sizeof(*cp));
	r = xmalloc(sizeof(*r));
	if (!csv_head(&x, &c, r, &cp->h, 1)) {
		free(cp);	/* the whole read says what is wrong */
		cp = NULL;
	}
	free(r);
	*body = (size_t)((const unsigned char *)c.p - p);
	return cp;
}

/* A whole export, or a part of one read with the columns of its header. */
static void
csv_read(struct sink *s, const unsigned char *p, size_t len)
{
	struct part *part = sink_part(s);
	const struct csv_pieces *cp;
	struct cur c = { (const char *)p, len };
	struct cu_ctx x;
	struct rec *r;

	if (part == NULL) {
		cu_read(s, p, len, "certutil-csv", csv_parse);
		return;
	}
	cp = part->header;
	r = xmalloc(sizeof(*r));
	cu_ctx_init(&x, s, "certutil-csv");
	x.cache = (struct cadate_cache *)(uintptr_t)&cp->cache;
	part->units = csv_rows(&x, c, r, &cp->h, !part->more, &part->done);
	free(r);
}

/* A record starts at a line that starts with a quote after a line that
 * ends with one (unless a quoted value holds such lines: then the part
 * before says so, see csv_rows). */
static size_t
csv_next_record(const unsigned char *p, size_t len, size_t at)
{
	const unsigned char *q = p + at, *e = p + len;
	size_t first = len;

	while ((q = memchr(q, '\n', (size_t)(e - q))) != NULL) {
		if (first == len)
			first = (size_t)(q + 1 - p);
		if (q + 1 < e && q[1] == '"' &&
		    (q[-1] == '"' || (q[-1] == '\r' && q[-2] == '"')))
			return (size_t)(q + 1 - p);
		if ((size_t)(q - p) - at > 65536)
			break;		/* no such line: any line will do */
		q++;
	}
	return first;
}

static void
csv_header_free(void *ctx)
{
	free(ctx);
}

/* The input starts as a console prompt ("PS C:\\...>", "C:\\...>") or a
 * blank line: a preamble may come before the header. */
static int
prompt_start(const unsigned char *p, size_t len)
{
	if (len >= 3 && memcmp(p, "PS ", 3) == 0)
		return 1;
	if (len >= 3 && ((p[0] | 0x20) >= 'a' && (p[0] | 0x20) <= 'z') && p[1] == ':' &&
	    p[2] == '\\')
		return 1;
	return p[0] == '\r' || p[0] == '\n';
}

/* A header of at least two quoted fields naming a known column, or, with
 * unknown names, followed by a record with a certutil date in it. */
static int
csv_probe(const unsigned char *p, size_t len)
{
	char buf[8192];
	struct rec *r;
	struct cur c;
	int i, known = 0, ok = 0, n;
	char sep;
	int64_t t;

	/*
	 * Cheap rejection: the header is the first line of the decoded
	 * text, or follows a few lines of preamble (a console prompt copied
	 * with the output, blank lines). Unless the input starts with a BOM
	 * byte (EF, FF, FE) or NUL, the first character decodes from the
	 * first byte alone and ASCII stays as it is (UTF-8 and the code
	 * pages; UTF-16 without a BOM gives '"' only from a '"' byte), so
	 * unless that is '"', or the input starts as a prompt or a blank
	 * line, a PEM file or anything else is turned away here.
	 */
	if (len == 0 || (p[0] != '"' && p[0] != 0x00 && p[0] != 0xef &&
	    p[0] != 0xff && p[0] != 0xfe && !prompt_start(p, len)))
		return 0;
	c.len = textenc_prefix(p, len, 4096, buf, sizeof(buf));
	c.p = buf;
	csv_preamble(&c);
	sep = separator(c.p, c.len);
	r = xmalloc(sizeof(*r));
	if (!csv_record(&c, sep, r) || r->unterminated || !r->allquoted || r->n < 2 ||
	    r->n > CSV_MAXFIELDS)
		goto out;
	n = r->n;
	for (i = 0; i < r->n; i++)
		known += cu_col_by_name(r->f[i].p, r->f[i].len) >= 0;
	if (known > 0) {
		ok = 1;
		goto out;
	}
	if (!csv_record(&c, sep, r) || r->n != n)
		goto out;
	for (i = 0; i < r->n && !ok; i++)
		ok = r->f[i].csv && cadate_parse(r->f[i].p, r->f[i].len, NULL, &t);
out:
	free(r);
	return ok;
}

const struct reader reader_certutil_csv = {
	"certutil_csv", csv_probe, csv_read, csv_next_record, csv_header, csv_header_free
};
