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
#define CUT_SCHEMA	64

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
	if ((col = cu_col_by_internal(internal.p, internal.len)) < 0 || loc.len == 0 ||
	    sc->n == CUT_SCHEMA)
		return;
	sc->m[sc->n].p = loc.p;
	sc->m[sc->n].len = loc.len;
	sc->m[sc->n].col = col;
	sc->n++;
}

static int
col_of(const struct schema *sc, struct cur name)
{
	int i;

	ltrim(&name);
	rtrim(&name);
	for (i = 0; i < sc->n; i++)
		if (sc->m[i].len == name.len &&
		    strncasecmp(sc->m[i].p, name.p, name.len) == 0)
			return sc->m[i].col;
	return cu_col_by_name(name.p, name.len);
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
	struct cur line, t, name, val;
	const char *colon;
	long n, rows = 0;
	int in_schema = 0, col;

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
			continue;
		}
		if (t.len == 0) {
			row_flush(x, &r);
			continue;
		}
		if (!r.open || hexdump_line(&line))
			continue;
		if ((colon = memchr(t.p, ':', t.len)) == NULL)
			continue;
		name.p = t.p;
		name.len = (size_t)(colon - t.p);
		val.p = colon + 1;
		val.len = t.len - name.len - 1;
		ltrim(&val);
		col = col_of(&sc, name);
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
	if (rows == 0)
		sink_skip(x->sink, "certutil export without any row");
}

static void
text_read(struct sink *s, const unsigned char *p, size_t len)
{
	cu_read(s, p, len, "certutil-text", text_parse);
}

/* The first non-blank line is "Schema:" or "Row 1:", or a "Row N:" line is
 * followed by an indented "Name: value" line (within the first 4 KiB). */
static int
text_probe(const unsigned char *p, size_t len)
{
	char buf[8192];
	struct cur c, line, t;
	long n;
	int first = 1, after_row = 0;
	size_t pn = len < 4096 ? len : 4096;

	/*
	 * Cheap rejection: the probe needs a "Schema:" or "Row N:"/"Zeile N:"
	 * line. Without a UTF-16 BOM and without NUL bytes the prefix is
	 * UTF-8 or a Windows code page, which keep ASCII as it is (and make
	 * no ASCII of other bytes): if there is no ':' (a PEM file has none),
	 * or the words are not in the raw bytes, they are not in the decoded
	 * text either.
	 */
	if (pn == 0)
		return 0;
	if (!(pn >= 2 && ((p[0] == 0xff && p[1] == 0xfe) ||
	    (p[0] == 0xfe && p[1] == 0xff))) && memchr(p, 0, pn) == NULL &&
	    (memchr(p, ':', pn) == NULL || (memmem(p, pn, "Row ", 4) == NULL &&
	    memmem(p, pn, "Zeile ", 6) == NULL && memmem(p, pn, "Schema:", 7) == NULL)))
		return 0;
	c.len = textenc_prefix(p, len, 4096, buf, sizeof(buf));
	c.p = buf;
	while (cur_get_line(&c, &line)) {
		t = line;
		ltrim(&t);
		rtrim(&t);
		if (t.len == 0)
			continue;
		if (after_row)
			return t.len < line.len && memchr(t.p, ':', t.len) != NULL;
		if (first && t.len == 7 && memcmp(t.p, "Schema:", 7) == 0)
			return 1;
		if (cu_row_header(t.p, t.len, &n))
			after_row = 1;
		first = 0;
	}
	return 0;
}

const struct reader reader_certutil_text = { "certutil_text", text_probe, text_read, NULL, NULL, NULL, NULL, NULL };
