/*
 * certutil -view, text form: an optional "Schema:" table (internal column
 * name -> localised name), then "Row N:" blocks of "  Name: value" lines,
 * then a trailer. See FORMATS.md.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "export.h"

#define CUT_MAXLINE	(1024 * 1024)
/* a full dump has about 80 columns (every one kept: its name tells where
 * a row line splits, known or not) */
#define CUT_SCHEMA	256

struct schema {
	struct {
		const char	*p;
		size_t		 len;
		int		 col;
	} m[CUT_SCHEMA];
	int	 n;
};

struct row {
	long		 record;
	int		 open;
	int		 bad;
	struct cu_val	 vals[CU_NCOLS];
};

static void
ltrim(struct cur *c)
{
	while (c->len > 0 && (c->p[0] == ' ' || c->p[0] == '\t'))
		cur_skip(c, 1);
}

static void
rtrim(struct cur *c)
{
	while (c->len > 0 && (c->p[c->len - 1] == ' ' || c->p[c->len - 1] == '\t'))
		c->len--;
}

/* "  RequestID   Request ID   Long   4 -- Indexed" */
static void
schema_line(struct schema *sc, struct cur line)
{
	struct cur internal, loc;
	const char *sp;
	size_t i;
	int col;

	ltrim(&line);
	rtrim(&line);
	if (line.len == 0 || line.p[0] == '-')
		return;
	if ((sp = memchr(line.p, ' ', line.len)) == NULL)
		return;
	internal.p = line.p;
	internal.len = (size_t)(sp - line.p);
	cur_skip(&line, internal.len);
	ltrim(&line);
	loc = line;
	for (i = 0; i + 1 < line.len; i++)
		if ((line.p[i] == ' ' && line.p[i + 1] == ' ') || line.p[i] == '\t') {
			loc.len = i;
			break;
		}
	if (loc.len == 0 || sc->n == CUT_SCHEMA)
		return;
	col = cu_col_by_internal(internal.p, internal.len);
	sc->m[sc->n].p = loc.p;
	sc->m[sc->n].len = loc.len;
	sc->m[sc->n].col = col;
	sc->n++;
}

/*
 * Splits a row line (t: trimmed) after its column name: the longest name
 * the schema gave that begins it (a localised name may hold ": " itself,
 * "Ausgestellt: Anforderungs-ID"), else the longest known name, else the
 * first colon. The column is -1 when unknown; 0 if the line has no colon.
 */
static int
split_line(const struct schema *sc, struct cur t, int *col, struct cur *val)
{
	const char *colon;
	size_t k, best = 0;
	int i, c = -1;

	for (i = 0; i < sc->n; i++) {
		if ((t.p[0] | 0x20) != (sc->m[i].p[0] | 0x20))
			continue;
		k = cu_name_colon(t.p, t.len, sc->m[i].p, sc->m[i].len);
		if (k > best) {
			best = k;
			c = sc->m[i].col;
		}
	}
	if (best == 0)
		c = cu_col_split(t.p, t.len, &best);
	if (best == 0) {
		if ((colon = memchr(t.p, ':', t.len)) == NULL)
			return 0;
		best = (size_t)(colon - t.p) + 1;
		c = -1;
	}
	*col = c;
	*val = t;
	cur_skip(val, best);
	ltrim(val);
	return 1;
}

/* The trailer after the last row ("Maximum Row Index: 5", "CertUtil: -view
 * command completed successfully."; German "Maximaler Zeilenindex"). */
static int
trailer_line(const struct cur *t)
{
	return (t->len >= 9 && memcmp(t->p, "CertUtil:", 9) == 0) ||
	    (t->len >= 17 && strncasecmp(t->p, "Maximum Row Index", 17) == 0) ||
	    (t->len >= 21 && strncasecmp(t->p, "Maximaler Zeilenindex", 21) == 0);
}

/* A number and nothing else after n bytes of t ("Maximum Row Index: 9"). */
static int
number_after(const struct cur *t, size_t n, long *out)
{
	struct cur c = *t;
	long v = 0;
	size_t d = 0;

	cur_skip(&c, n);
	ltrim(&c);
	while (c.len > 0 && c.p[0] >= '0' && c.p[0] <= '9' && d < 9) {
		v = v * 10 + (c.p[0] - '0');
		cur_skip(&c, 1);
		d++;
	}
	if (d == 0 || c.len != 0)
		return 0;
	*out = v;
	return 1;
}

/* The trailer's row count: "Maximum Row Index: 9" (German "Maximaler
 * Zeilenindex: 9") gives *index, "9 Rows" ("9 Zeilen") *rows. */
static int
trailer_count(const struct cur *t, long *index, long *rows)
{
	struct cur c = *t;
	long v = 0;
	size_t d = 0;

	if (t->len >= 18 && strncasecmp(t->p, "Maximum Row Index:", 18) == 0)
		return number_after(t, 18, index);
	if (t->len >= 22 && strncasecmp(t->p, "Maximaler Zeilenindex:", 22) == 0)
		return number_after(t, 22, index);
	while (c.len > 0 && c.p[0] >= '0' && c.p[0] <= '9' && d < 9) {
		v = v * 10 + (c.p[0] - '0');
		cur_skip(&c, 1);
		d++;
	}
	if (d == 0 || c.len < 2 || c.p[0] != ' ')
		return 0;
	cur_skip(&c, 1);
	if ((c.len == 4 && memcmp(c.p, "Rows", 4) == 0) ||
	    (c.len == 3 && memcmp(c.p, "Row", 3) == 0) ||
	    (c.len == 6 && memcmp(c.p, "Zeilen", 6) == 0) ||
	    (c.len == 5 && memcmp(c.p, "Zeile", 5) == 0)) {
		*rows = v;
		return 1;
	}
	return 0;
}

/*
 * The trailer counts the rows of its export: fewer read means part of the
 * export is missing (a copy cut at the start, "| Select-Object -Last 10").
 * Returns 1 if it said so.
 */
static int
count_check(struct cu_ctx *x, long announced, long read)
{
	if (announced <= read)
		return 0;
	sink_error(x->sink, 0, "truncated: the trailer counts %ld row%s, %ld read "
	    "(the start of the export is missing)", announced, announced == 1 ? "" : "s",
	    read);
	return 1;
}

/* "    0000  77 65 62 30   web0": the hex dump after a multi-line value. */
static int
hexdump_line(const struct cur *l)
{
	struct cur c = *l;
	size_t i;

	ltrim(&c);
	if (c.len < 6 || c.len == l->len)
		return 0;
	for (i = 0; i < 4; i++)
		if (!((c.p[i] >= '0' && c.p[i] <= '9') ||
		    ((c.p[i] | 0x20) >= 'a' && (c.p[i] | 0x20) <= 'f')))
			return 0;
	return c.p[4] == ' ' && c.p[5] == ' ';
}

static void
row_flush(struct cu_ctx *x, struct row *r)
{
	if (r->open && !r->bad)
		cu_row(x, r->record, r->vals);
	memset(r, 0, sizeof(*r));
}

/* Reads the rest of a value that goes on over the next lines: a quoted
 * string with line breaks, or a PEM block. Returns 0 at a premature end. */
static int
continued(struct cur *c, struct cu_val *v, const char *start, int pem)
{
	struct cur line;

	while (cur_get_line(c, &line)) {
		if (pem) {
			struct cur t = line;

			ltrim(&t);
			if (line.p + line.len == start || t.len == 0)
				continue;
			if (t.len >= 8 && memcmp(t.p, "-----END", 8) == 0) {
				v->p = start;
				v->len = (size_t)(line.p + line.len - start);
				return 1;
			}
			continue;
		}
		if (memchr(line.p, '"', line.len) != NULL) {
			v->p = start;
			v->len = (size_t)(line.p + line.len - start);
			return 1;
		}
	}
	return 0;
}

/* The first line after "Binary Certificate:" begins a PEM block? */
static int
pem_follows(const struct cur *c)
{
	struct cur t = *c, line;

	while (cur_get_line(&t, &line)) {
		ltrim(&line);
		if (line.len == 0)
			continue;
		return line.len >= 10 && memcmp(line.p, "-----BEGIN", 10) == 0;
	}
	return 0;
}

static void
text_parse(struct cu_ctx *x, struct cur c)
{
	struct schema sc;
	struct row r;
	struct cur line, t, val;
	long n, rows = 0, since = 0, index = -1, counted = 0;
	int in_schema = 0, col, cut = 0;

	memset(&sc, 0, sizeof(sc));
	memset(&r, 0, sizeof(r));
	while (cur_get_line(&c, &line)) {
		t = line;
		ltrim(&t);
		rtrim(&t);
		if (line.len > CUT_MAXLINE) {
			sink_error(x->sink, r.open ? r.record : 0,
			    "line longer than %d bytes", CUT_MAXLINE);
			r.bad = 1;
			continue;
		}
		if (in_schema) {
			if (t.len == 0)
				in_schema = 0;
			else
				schema_line(&sc, line);
			continue;
		}
		if (t.len == 7 && memcmp(t.p, "Schema:", 7) == 0) {
			row_flush(x, &r);
			in_schema = 1;
			continue;
		}
		if (cu_row_header(t.p, t.len, &n)) {
			row_flush(x, &r);
			/* the rows before this one are done with (the schema
			 * lines, if released, are read back from the file) */
			sink_consumed(x->sink, (const unsigned char *)line.p);
			r.open = 1;
			r.record = n;
			rows++;
			since++;
			continue;
		}
		/* a row ends at the next row or the trailer: a full dump has
		 * blank lines inside a row (after a PEM block, a hex dump) */
		if (trailer_line(&t)) {
			row_flush(x, &r);
			(void)trailer_count(&t, &index, &counted);
			continue;
		}
		if (!r.open && trailer_count(&t, &index, &counted)) {
			/* "9 Rows" after "Maximum Row Index: 9": one export done */
			cut |= count_check(x, counted, since);
			since = 0;
			index = -1;
			continue;
		}
		if (t.len == 0 || !r.open || hexdump_line(&line))
			continue;
		if (!split_line(&sc, t, &col, &val))
			continue;
		if (val.len > 0 && val.p[0] == '"' &&
		    memchr(val.p + 1, '"', val.len - 1) == NULL) {
			struct cu_val v;

			if (!continued(&c, &v, val.p, 0)) {
				sink_error(x->sink, r.record, "truncated: unterminated "
				    "quoted value");
				r.bad = 1;
				break;
			}
			val.p = v.p;
			val.len = v.len;
		} else if (col == CU_RAWCERT && val.len == 0 && pem_follows(&c)) {
			struct cu_val v;

			if (!continued(&c, &v, line.p + line.len, 1)) {
				sink_error(x->sink, r.record, "truncated: certificate "
				    "without its END line");
				r.bad = 1;
				break;
			}
			val.p = v.p;
			val.len = v.len;
		}
		if (col >= 0) {
			r.vals[col].p = val.p;
			r.vals[col].len = val.len;
		}
	}
	row_flush(x, &r);
	if (index >= 0)
		cut |= count_check(x, index, since);
	if (rows == 0 && !cut)
		sink_skip(x->sink, "certutil export without any row");
}

static void
text_read(struct sink *s, const unsigned char *p, size_t len)
{
	cu_read(s, p, len, "certutil-text", text_parse);
}

/* How far the probe looks: a full dump starts with a prompt line and a
 * schema of about 80 columns, so "Row 1:" may lie well past the start. */
#define CUT_PROBE	(1024 * 1024)

/*
 * The structure of a text export, anywhere in c: a "Schema:" line first,
 * or followed by a column line naming an internal column ("  RequestID
 * Request ID  Long ..."), or a "Row N:" line followed by an indented
 * "Name: value" line.
 */
static int
probe_lines(struct cur c)
{
	struct cur line, t;
	const char *sp;
	long n;
	int first = 1, after_row = 0, in_schema = 0, quoted = 0;

	while (cur_get_line(&c, &line)) {
		t = line;
		ltrim(&t);
		rtrim(&t);
		if (t.len == 0)
			continue;
		if (after_row && t.len < line.len && memchr(t.p, ':', t.len) != NULL)
			return 1;
		/* what is left of an export cut at the start: its trailer
		 * (not after a quoted line: a CSV export has one too) */
		if (t.p[0] == '"')
			quoted = 1;
		if (!quoted && trailer_count(&t, &n, &n) && t.p[0] == 'M')
			return 1;
		after_row = 0;
		if (in_schema > 0) {
			in_schema--;
			sp = memchr(t.p, ' ', t.len);
			if (cu_col_by_internal(t.p, sp != NULL ? (size_t)(sp - t.p) : t.len) >= 0)
				return 1;
		}
		if (t.len == 7 && memcmp(t.p, "Schema:", 7) == 0) {
			if (first)
				return 1;
			in_schema = 4;	/* a heading, dashes, then columns */
		} else if (cu_row_header(t.p, t.len, &n))
			after_row = 1;
		first = 0;
	}
	return 0;
}

static int
text_probe(const unsigned char *p, size_t len)
{
	size_t pn = len < CUT_PROBE ? len : CUT_PROBE, n, cap;
	int bom16, enc, ok;
	struct cur c;
	char *buf;

	if (pn == 0)
		return 0;
	bom16 = pn >= 2 && ((p[0] == 0xff && p[1] == 0xfe) || (p[0] == 0xfe && p[1] == 0xff));
	if (!bom16 && memchr(p, 0, pn) == NULL) {
		/*
		 * UTF-8 or a Windows code page, which keep ASCII as it is (and
		 * make no ASCII of other bytes): read in place. Cheap
		 * rejection first: without a ':' (a PEM file has none) or
		 * the words, there is no structure.
		 */
		if (memchr(p, ':', pn) == NULL || (memmem(p, pn, "Row ", 4) == NULL &&
		    memmem(p, pn, "Zeile", 5) == NULL && memmem(p, pn, "Schema:", 7) == NULL))
			return 0;
		c.p = (const char *)p;
		c.len = pn;
		if (pn >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
			cur_skip(&c, 3);
		return probe_lines(c);
	}
	/* NUL bytes: UTF-16 (by BOM or by its pattern), else binary */
	enc = bom16 ? TE_UTF16LE : textenc_detect(p, pn < 4096 ? pn : 4096);
	if (enc != TE_UTF16LE && enc != TE_UTF16BE)
		return 0;
	cap = pn / 2 * 3 + 8;
	buf = xmalloc(cap);
	n = textenc_prefix(p, len, pn, buf, cap);
	c.p = buf;
	c.len = n;
	ok = probe_lines(c);
	free(buf);
	return ok;
}

const struct reader reader_certutil_text = { "certutil_text", text_probe, text_read, NULL, NULL, NULL };
