/*
 * Distinguished names as CA exports write them, turned into RFC 4514 form:
 * OpenSSL's one-line form in index.txt ("/C=DE/O=Corp/CN=x", with \xHH,
 * \/ and \+ escapes) and the Windows form certutil prints
 * ("CN=x, OU=IT, O=Corp, C=DE", values with commas in double quotes).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "export.h"

#define DN_MAX_ATTRS	64

struct dn_part {
	size_t	 type, typelen;		/* offsets into the decoded buffer */
	size_t	 value, valuelen;
	int	 newrdn;		/* starts a new RDN (else joined by '+') */
	int	 flags;			/* of the value: VAL_ESCAPE, VAL_HIGH */
};
#define VAL_ESCAPE	0x02	/* holds a byte RFC 4514 escapes anywhere */
#define VAL_HIGH	0x80	/* holds a byte >= 0x80 (may need repair) */

void
dn_escape_value(struct buf *b, const char *v, size_t n)
{
	size_t len = dn_escaped_len(v, n);
	char *e;

	if (len == n) {
		buf_add(b, v, n);
		return;
	}
	e = xmalloc(len);
	dn_escape_to(e, v, n);
	buf_add(b, e, len);
	free(e);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The bytes of an attribute type (letters, digits, '-', '.'). */
static const unsigned char type_char[256] = {
	['-'] = 1, ['.'] = 1,
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1,
	['7'] = 1, ['8'] = 1, ['9'] = 1,
	['A' ... 'Z'] = 1, ['a' ... 'z'] = 1,
};

/* 1 if the attribute type t of n bytes is CN, in any case. */
int
dn_is_cn(const char *t, size_t n)
{
	return n == 2 && (t[0] | 0x20) == 'c' && (t[1] | 0x20) == 'n';
}

int
dn_type_ok(const char *t, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!type_char[(unsigned char)t[i]])
			return 0;
	return 1;
}

/*
 * Splits a one-line DN into parts; the decoded text goes to dec (types and
 * values back to back). Returns the number of parts, -1 on syntax error.
 */
struct dec {
	char	*data;	/* room for strlen(s) + 1 */
	size_t	 len;
};

/* 1: ends a run of plain text in a one-line DN; VAL_ESCAPE: a byte
 * dn_escape_to() escapes (dn.c). */
static const unsigned char oneline_class[256] = {
	['\0'] = 1 | VAL_ESCAPE, ['/'] = 1, ['+'] = 1 | VAL_ESCAPE, ['='] = 1,
	['\\'] = 1 | VAL_ESCAPE, ['"'] = VAL_ESCAPE, [','] = VAL_ESCAPE,
	[';'] = VAL_ESCAPE, ['<'] = VAL_ESCAPE, ['>'] = VAL_ESCAPE,
};

/* 1 if p starts an attribute "type=" (after its '/' or '+'). */
static int
starts_attr(const char *p)
{
	size_t n = 0;

	while (type_char[(unsigned char)p[n]])
		n++;
	return n > 0 && p[n] == '=';
}

/* *loose is set when a '/' or '+' that starts no attribute was taken as
 * part of a value (older OpenSSL versions and some tools did not escape
 * them: "/CN=host/path", "/O=A/B Corp/CN=x"). */
static int
oneline_split(const char *s, struct dec *dec, struct dn_part *parts, int *loose)
{
	int n = 0, intype = 0, hi, lo, f;
	struct dn_part *cur = NULL;
	const unsigned char *q;
	const char *p = s;
	unsigned char c, k;

	if (*p == '\0')
		return 0;
	if (*p != '/')
		return -1;
	while (*p != '\0') {
		if ((*p == '/' || *p == '+') && cur != NULL && !intype &&
		    !starts_attr(p + 1)) {
			c = (unsigned char)*p++;
			dec->data[dec->len++] = (char)c;
			cur->valuelen = dec->len - cur->value;
			cur->flags |= oneline_class[c] & VAL_ESCAPE;
			*loose = 1;
			continue;
		}
		if (*p == '/' || *p == '+') {
			if (cur != NULL && (intype || !dn_type_ok(dec->data + cur->type,
			    cur->typelen)))
				return -1;
			if (n == DN_MAX_ATTRS)
				return -1;
			cur = &parts[n++];
			cur->newrdn = *p == '/' || n == 1;
			cur->type = dec->len;
			cur->typelen = 0;
			cur->value = cur->valuelen = 0;
			cur->flags = 0;
			intype = 1;
			p++;
			continue;
		}
		if (intype && *p == '=') {
			intype = 0;
			cur->typelen = dec->len - cur->type;
			cur->value = dec->len;
			p++;
			continue;
		}
		if (*p == '\\') {
			if (p[1] == 'x' && (hi = hexval(p[2])) >= 0 &&
			    (lo = hexval(p[3])) >= 0) {
				c = (unsigned char)(hi << 4 | lo);
				p += 4;
			} else if (p[1] != '\0') {
				c = (unsigned char)p[1];
				p += 2;
			} else
				return -1;
			dec->data[dec->len++] = (char)c;
			f = (oneline_class[c] & VAL_ESCAPE) | (c & VAL_HIGH);
		} else {
			/* a run of plain characters at once, noting what the
			 * value will need (escapes, a UTF-8 check) */
			c = (unsigned char)*p;
			f = (oneline_class[c] & VAL_ESCAPE) | (c & VAL_HIGH);
			q = (const unsigned char *)p + 1;
			while (!((k = oneline_class[c = *q]) & 1)) {
				f |= k | (c & VAL_HIGH);
				q++;
			}
			memcpy(dec->data + dec->len, p, (size_t)((const char *)q - p));
			dec->len += (size_t)((const char *)q - p);
			p = (const char *)q;
		}
		if (!intype) {
			cur->valuelen = dec->len - cur->value;
			cur->flags |= f;
		}
	}
	if (cur != NULL && (intype || !dn_type_ok(dec->data + cur->type, cur->typelen)))
		return -1;
	return n;
}

/* The values of parts as format_write() writes them. */
struct formed {
	const char	*v[DN_MAX_ATTRS];
	char		*rep[DN_MAX_ATTRS];	/* repaired UTF-8, to free */
	size_t		 vlen[DN_MAX_ATTRS], elen[DN_MAX_ATTRS];
};

/* The length of parts joined as RFC 4514, without the NUL. */
static size_t
format_len(const char *dec, const struct dn_part *parts, int n, struct formed *fm)
{
	size_t total = 0;
	int i;

	for (i = 0; i < n; i++) {
		fm->rep[i] = NULL;
		fm->v[i] = dec + parts[i].value;
		fm->vlen[i] = parts[i].valuelen;
		if ((parts[i].flags & VAL_HIGH) && !text_utf8_valid(fm->v[i], fm->vlen[i])) {
			fm->v[i] = fm->rep[i] = utf8_repair((const unsigned char *)fm->v[i],
			    fm->vlen[i]);
			fm->vlen[i] = strlen(fm->rep[i]);
		}
		if (fm->rep[i] != NULL || (parts[i].flags & VAL_ESCAPE))
			fm->elen[i] = dn_escaped_len(fm->v[i], fm->vlen[i]);
		else		/* only the ends may need a backslash */
			fm->elen[i] = fm->vlen[i] + (fm->vlen[i] > 0 && (fm->v[i][0] == '#' ||
			    fm->v[i][0] == ' ')) + (fm->vlen[i] > 1 &&
			    fm->v[i][fm->vlen[i] - 1] == ' ');
		total += parts[i].typelen + 2 + fm->elen[i];
	}
	return total > 0 ? total - 1 : 0;	/* no ',' before the first */
}

/* Joins parts given in DER order as RFC 4514 (last RDN first) at o, room
 * for format_len() bytes and a NUL; frees what format_len() made. */
static void
format_write(char *o, const char *dec, const struct dn_part *parts, int n, struct formed *fm)
{
	const char *out = o;
	int end = n, start, i;

	while (end > 0) {
		start = end - 1;
		while (start > 0 && !parts[start].newrdn)
			start--;
		if (o != out)
			*o++ = ',';
		for (i = start; i < end; i++) {
			if (i > start)
				*o++ = '+';
			memcpy(o, dec + parts[i].type, parts[i].typelen);
			o += parts[i].typelen;
			*o++ = '=';
			if (fm->elen[i] == fm->vlen[i]) {	/* nothing to escape */
				memcpy(o, fm->v[i], fm->vlen[i]);
				o += fm->vlen[i];
			} else
				o = dn_escape_to(o, fm->v[i], fm->vlen[i]);
			free(fm->rep[i]);
		}
		end = start;
	}
	*o = '\0';
}

/* Parses s (NUL-terminated, slen bytes); dec has room for slen + 1. The
 * subject goes to *subject (allocated) or, with into, after into's data.
 * loose: as oneline_split (may be NULL). */
static int
oneline_parse(const char *s, char *decbuf, char **subject, struct buf *into, char **cn,
    int *loose)
{
	struct dn_part parts[DN_MAX_ATTRS];
	struct formed fm;
	struct dec dec;
	size_t len;
	int n, i, lo = 0;

	dec.data = decbuf;
	dec.len = 0;
	if ((n = oneline_split(s, &dec, parts, &lo)) < 0)
		return 0;
	if (loose != NULL)
		*loose = lo;
	if (cn != NULL) {
		*cn = NULL;
		/* the most specific CN: the last in DER order */
		for (i = n; i-- > 0;) {
			if (dn_is_cn(dec.data + parts[i].type, parts[i].typelen)) {
				if (!(parts[i].flags & VAL_HIGH) ||
				    text_utf8_valid(dec.data + parts[i].value,
				    parts[i].valuelen))
					*cn = xstrndup(dec.data + parts[i].value,
					    parts[i].valuelen);
				else
					*cn = utf8_repair((const unsigned char *)dec.data +
					    parts[i].value, parts[i].valuelen);
				break;
			}
		}
	}
	if (subject == NULL && into == NULL)
		return 1;
	len = format_len(dec.data, parts, n, &fm);
	if (into != NULL) {	/* appended */
		format_write(buf_room(into, len), dec.data, parts, n, &fm);
		into->len += len;
	} else {
		*subject = xmalloc(len + 1);
		format_write(*subject, dec.data, parts, n, &fm);
	}
	return 1;
}

int
dn_oneline_parse(const char *s, char **subject, char **cn)
{
	size_t len = strlen(s);
	char fixed[512], *dec;
	int r;

	dec = len < sizeof(fixed) ? fixed : xmalloc(len + 1);
	r = oneline_parse(s, dec, subject, NULL, cn, NULL);
	if (dec != fixed)
		free(dec);
	return r;
}

/* dn_oneline_parse_n, the subject to *subject or into. */
static int
parse_n(const char *s, size_t len, char **subject, struct buf *into, char **cn, int *loose)
{
	char fixed[1024], *buf;
	const char *nul;
	int r;

	if ((nul = memchr(s, '\0', len)) != NULL)
		len = (size_t)(nul - s);
	if (len < sizeof(fixed) / 2) {
		memcpy(fixed, s, len);
		fixed[len] = '\0';
		return oneline_parse(fixed, fixed + len + 1, subject, into, cn, loose);
	}
	buf = xmalloc(2 * len + 2);
	memcpy(buf, s, len);
	buf[len] = '\0';
	r = oneline_parse(buf, buf + len + 1, subject, into, cn, loose);
	free(buf);
	return r;
}

int
dn_oneline_parse_n(const char *s, size_t len, char **subject, char **cn)
{
	return parse_n(s, len, subject, NULL, cn, NULL);
}

int
dn_oneline_parse_loose(const char *s, size_t len, char **subject, char **cn, int *loose)
{
	return parse_n(s, len, subject, NULL, cn, loose);
}

/* The bytes a plain value never holds: controls, DEL, non-ASCII (which may
 * need repair), and those RFC 4514 escapes anywhere (dn_escape_to). The
 * fast form leaves such values to the full parse. */
static const unsigned char dn_unplain[256] = {
	[0x00 ... 0x1f] = 1, [0x7f ... 0xff] = 1,
	['\\'] = 1, ['+'] = 1, ['"'] = 1, [','] = 1, [';'] = 1, ['<'] = 1, ['>'] = 1,
};

/* The length of the type of a plain attribute "type=value" of n bytes at
 * a (type_ok, then '='); 0 if it is not one. */
static size_t
dn_plain_type(const char *a, size_t n)
{
	size_t t;

	for (t = 0; t < n && type_char[(unsigned char)a[t]]; t++)
		;
	return t > 0 && t < n && a[t] == '=' ? t : 0;
}

/* 1 if a plain value needs no escape at its ends either (RFC 4514: a
 * leading '#' or space, a trailing space). */
static int
dn_plain_ends(const char *v, size_t n)
{
	return n == 0 || (v[0] != '#' && v[0] != ' ' && v[n - 1] != ' ');
}

#ifdef __SSE2__
/* Sixteen bytes at p: bit i of *bad is set when byte i is unplain (the
 * same set, compared sixteen at a time), bit i of *slash when it is '/'. */
static inline void
plain_block(const char *p, unsigned *bad, unsigned *slash)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p), b;

	/* controls and non-ASCII (negative as signed bytes) */
	b = _mm_cmplt_epi8(x, _mm_set1_epi8(0x20));
	b = _mm_or_si128(b, _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f)));
	b = _mm_or_si128(b, _mm_cmpeq_epi8(x, _mm_set1_epi8('\\')));
	b = _mm_or_si128(b, _mm_cmpeq_epi8(x, _mm_set1_epi8('+')));
	b = _mm_or_si128(b, _mm_cmpeq_epi8(x, _mm_set1_epi8('"')));
	b = _mm_or_si128(b, _mm_cmpeq_epi8(x, _mm_set1_epi8(',')));
	b = _mm_or_si128(b, _mm_cmpeq_epi8(x, _mm_set1_epi8(';')));
	b = _mm_or_si128(b, _mm_cmpeq_epi8(x, _mm_set1_epi8('<')));
	b = _mm_or_si128(b, _mm_cmpeq_epi8(x, _mm_set1_epi8('>')));
	*bad = (unsigned)_mm_movemask_epi8(b);
	*slash = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('/')));
}

/* The '/'s of a block whose unplain bits are bad, slash (bit i: byte i of
 * the block at s + off) into at[*n..]; 0 if the block holds an unplain byte
 * or one '/' too many. */
static int
plain_bits(unsigned bad, unsigned slash, size_t off, size_t *at, int *n)
{
	if (bad != 0)
		return 0;
	for (; slash != 0; slash &= slash - 1) {
		if (*n == DN_MAX_ATTRS)
			return 0;
		at[(*n)++] = off + (size_t)__builtin_ctz(slash);
	}
	return 1;
}
#endif

/* Where the attributes of s start (its '/'), in at[0..*np); 0 if s holds a
 * byte that oneline_plain() leaves to the full parse. */
static int
plain_marks(const char *s, size_t len, size_t *at, int *np)
{
	size_t i = 0;
	int n = 0;
#ifdef __SSE2__
	unsigned bad, slash, skip;

	if (len >= 16) {
		for (; i + 16 <= len; i += 16) {
			plain_block(s + i, &bad, &slash);
			if (!plain_bits(bad, slash, i, at, &n))
				return 0;
		}
		if (i < len) {	/* the last sixteen, less what is done */
			plain_block(s + len - 16, &bad, &slash);
			skip = (unsigned)(16 - (len - i));
			if (!plain_bits(bad >> skip, slash >> skip, i, at, &n))
				return 0;
		}
		*np = n;
		return 1;
	}
#endif
	for (; i < len; i++) {
		if (dn_unplain[(unsigned char)s[i]])
			return 0;
		if (s[i] != '/')
			continue;
		if (n == DN_MAX_ATTRS)
			return 0;
		at[n++] = i;
	}
	*np = n;
	return 1;
}

/* Copies n bytes from p to o, reading and writing nothing outside them,
 * in a few loads and stores (the bytes of a DN attribute). */
static void
copy_short(char *o, const char *p, size_t n)
{
	uint64_t a, b;
	uint32_t c, d;
	size_t i;

	if (n >= 16) {
		for (i = 0; i + 16 <= n; i += 16) {
			memcpy(&a, p + i, 8);
			memcpy(&b, p + i + 8, 8);
			memcpy(o + i, &a, 8);
			memcpy(o + i + 8, &b, 8);
		}
		if (i < n) {
			memcpy(&a, p + n - 16, 8);
			memcpy(&b, p + n - 8, 8);
			memcpy(o + n - 16, &a, 8);
			memcpy(o + n - 8, &b, 8);
		}
	} else if (n >= 8) {
		memcpy(&a, p, 8);
		memcpy(&b, p + n - 8, 8);
		memcpy(o, &a, 8);
		memcpy(o + n - 8, &b, 8);
	} else if (n >= 4) {
		memcpy(&c, p, 4);
		memcpy(&d, p + n - 4, 4);
		memcpy(o, &c, 4);
		memcpy(o + n - 4, &d, 4);
	} else
		for (i = 0; i < n; i++)
			o[i] = p[i];
}

/* The attributes of s if it is a plain one-line DN (ASCII values with
 * nothing to escape): attribute k at s + at[k] + 1 up to s + at[k + 1],
 * tl[k] the length of its type; 0 if s is not that simple. */
static int
plain_attrs(const char *s, size_t len, size_t at[DN_MAX_ATTRS + 1],
    size_t tl[DN_MAX_ATTRS], int *np)
{
	size_t alen, tlen;
	const char *a;
	int n, k;

	if (len == 0 || s[0] != '/' || !plain_marks(s, len, at, &n))
		return 0;
	at[n] = len;
	for (k = 0; k < n; k++) {
		a = s + at[k] + 1;
		alen = at[k + 1] - at[k] - 1;
		if ((tlen = dn_plain_type(a, alen)) == 0 ||
		    !dn_plain_ends(a + tlen + 1, alen - tlen - 1))
			return 0;
		tl[k] = tlen;
	}
	*np = n;
	return 1;
}

/* The n attributes of s (plain_attrs) appended to into in RFC 4514 form,
 * in reverse order with ',' between them: len - 1 bytes. */
static void
plain_write(const char *s, size_t len, const size_t *at, int n, struct buf *into)
{
	size_t alen;
	char *o, *start;
	int k;

	o = start = buf_room(into, len);
	for (k = n - 1; k >= 0; k--) {
		alen = at[k + 1] - at[k] - 1;
		if (k < n - 1)
			*o++ = ',';
		copy_short(o, s + at[k] + 1, alen);
		o += alen;
	}
	*o = '\0';
	into->len += (size_t)(o - start);
}

/*
 * The common one-line DN of plain ASCII values with nothing to escape,
 * appended in RFC 4514 form to into without a full parse. 0 if s is not
 * that simple (then the full parse decides, and says whether it is
 * malformed), into unchanged.
 */
static int
oneline_plain(const char *s, size_t len, struct buf *into)
{
	size_t at[DN_MAX_ATTRS + 1], tl[DN_MAX_ATTRS];
	int n;

	if (!plain_attrs(s, len, at, tl, &n))
		return 0;
	plain_write(s, len, at, n, into);
	return 1;
}

int
dn_plain_subject_cn(const char *subject, size_t len, const char **cn, size_t *cnlen)
{
	const char *a = subject, *e = subject + len, *eq, *end;

	*cn = NULL;
	*cnlen = 0;
	for (; a < e; a = end + 1) {	/* the first CN here is the last in the DN */
		if ((end = memchr(a, ',', (size_t)(e - a))) == NULL)
			end = e;
		if ((eq = memchr(a, '=', (size_t)(end - a))) != NULL &&
		    dn_is_cn(a, (size_t)(eq - a))) {
			*cn = eq + 1;
			*cnlen = (size_t)(end - eq - 1);
			return 1;
		}
	}
	return 0;
}

int
dn_oneline_append(const char *s, size_t len, struct buf *into)
{
	return oneline_plain(s, len, into) || parse_n(s, len, NULL, into, NULL, NULL);
}

/* 1 if the n bytes at a are one plain attribute "type=value" (the fast
 * form's tests on a single attribute without its '/'). Not plain_marks,
 * which notes where every '/' is: that work is wasted on a single
 * attribute, and was slower on a large index.txt. */
static int
plain_one(const char *a, size_t n)
{
	size_t i = 0, t;
#ifdef __SSE2__
	unsigned bad, slash;

	if (n >= 16) {
		for (; i + 16 <= n; i += 16) {
			plain_block(a + i, &bad, &slash);
			if ((bad | slash) != 0)
				return 0;
		}
		if (i < n) {
			plain_block(a + n - 16, &bad, &slash);
			if ((bad | slash) != 0)
				return 0;
		}
		i = n;
	}
#endif
	for (; i < n; i++)
		if (dn_unplain[(unsigned char)a[i]] || a[i] == '/')
			return 0;
	return (t = dn_plain_type(a, n)) != 0 && dn_plain_ends(a + t + 1, n - t - 1);
}

/* 1 if the n bytes at a and b are the same, in a few loads (no early way
 * out: the DNs of a database are the same more often than not). */
static int
same_short(const char *a, const char *b, size_t n)
{
	uint64_t x, y, d = 0;
	size_t i;

	if (n < 8) {
		for (i = 0; i < n; i++)
			d |= (unsigned char)(a[i] ^ b[i]);
		return d == 0;
	}
	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		d |= x ^ y;
	}
	if (i < n) {
		memcpy(&x, a + n - 8, 8);
		memcpy(&y, b + n - 8, 8);
		d |= x ^ y;
	}
	return d == 0;
}

/*
 * dn_oneline_append for the DNs of a CA database in turn: a DN that has the
 * attributes of the one before but for its last (the same bytes, of a DN
 * the fast form took) has only that last one tested and turned around; the
 * others' RFC 4514 form is copied from the one before.
 */
int
dn_oneline_append_next(struct dn_prev *pv, const char *s, size_t len, struct buf *into)
{
	size_t at[DN_MAX_ATTRS + 1], tl[DN_MAX_ATTRS], last;
	char *o;
	int n;

	if (pv->plen > 0 && len > pv->plen && same_short(s, pv->pre, pv->plen) &&
	    plain_one(s + pv->plen, len - pv->plen)) {
		last = len - pv->plen;
		o = buf_room(into, len);
		copy_short(o, s + pv->plen, last);
		copy_short(o + last, pv->rev, pv->plen - 1);
		o[len - 1] = '\0';
		into->len += len - 1;
		pv->plain = 1;
		return 1;
	}
	pv->plen = 0;
	if (!plain_attrs(s, len, at, tl, &n)) {
		pv->plain = 0;
		return parse_n(s, len, NULL, into, NULL, NULL);
	}
	pv->plain = 1;
	plain_write(s, len, at, n, into);
	o = into->data + into->len - (len - 1);
	/* the attributes before the last: s up to its '/', and their form
	 * after the last one's and its ',' */
	if (n >= 2 && at[n - 1] + 1 <= sizeof(pv->pre)) {
		last = len - at[n - 1] - 1;
		pv->plen = at[n - 1] + 1;
		memcpy(pv->pre, s, pv->plen);
		memcpy(pv->rev, o + last, pv->plen - 1);
	}
	return 1;
}

int
dn_oneline_subject(const char *s, size_t len, struct buf *into)
{
	into->len = 0;
	return dn_oneline_append(s, len, into);
}

char *
dn_from_oneline(const char *s)
{
	char *r;

	return dn_oneline_parse(s, &r, NULL) ? r : NULL;
}

char *
dn_oneline_cn(const char *s)
{
	char *cn;

	return dn_oneline_parse(s, NULL, &cn) ? cn : NULL;
}
