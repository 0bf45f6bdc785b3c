/*
 * Distinguished names as CA exports write them, turned into RFC 4514 form:
 * OpenSSL's one-line form in index.txt ("/C=DE/O=Corp/CN=x", with \xHH,
 * \/ and \+ escapes) and the Windows form certutil prints
 * ("CN=x, OU=IT, O=Corp, C=DE", values with commas in double quotes).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

static int
type_ok(const char *t, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' && t[i] <= 'Z') ||
		    (t[i] >= '0' && t[i] <= '9') || t[i] == '-' || t[i] == '.'))
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

static int
oneline_split(const char *s, struct dec *dec, struct dn_part *parts)
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
		if (*p == '/' || *p == '+') {
			if (cur != NULL && (intype || !type_ok(dec->data + cur->type,
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
	if (cur != NULL && (intype || !type_ok(dec->data + cur->type, cur->typelen)))
		return -1;
	return n;
}

/* Joins parts given in DER order as RFC 4514 (last RDN first): the length
 * is counted first, so the result is one allocation. */
static char *
format_parts(const char *dec, const struct dn_part *parts, int n)
{
	int end = n, start, i;
	const char *v[DN_MAX_ATTRS];
	char *rep[DN_MAX_ATTRS], *out, *o;
	size_t vlen[DN_MAX_ATTRS], elen[DN_MAX_ATTRS], total = 1;

	for (i = 0; i < n; i++) {
		rep[i] = NULL;
		v[i] = dec + parts[i].value;
		vlen[i] = parts[i].valuelen;
		if ((parts[i].flags & VAL_HIGH) && !text_utf8_valid(v[i], vlen[i])) {
			v[i] = rep[i] = utf8_repair((const unsigned char *)v[i], vlen[i]);
			vlen[i] = strlen(rep[i]);
		}
		if (rep[i] != NULL || (parts[i].flags & VAL_ESCAPE))
			elen[i] = dn_escaped_len(v[i], vlen[i]);
		else		/* only the ends may need a backslash */
			elen[i] = vlen[i] + (vlen[i] > 0 && (v[i][0] == '#' ||
			    v[i][0] == ' ')) + (vlen[i] > 1 && v[i][vlen[i] - 1] == ' ');
		total += parts[i].typelen + 2 + elen[i];
	}
	o = out = xmalloc(total);
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
			if (elen[i] == vlen[i]) {	/* nothing to escape */
				memcpy(o, v[i], vlen[i]);
				o += vlen[i];
			} else
				o = dn_escape_to(o, v[i], vlen[i]);
			free(rep[i]);
		}
		end = start;
	}
	*o = '\0';
	return out;
}

/* Parses s (NUL-terminated, slen bytes); dec has room for slen + 1. */
static int
oneline_parse(const char *s, char *decbuf, char **subject, char **cn)
{
	struct dn_part parts[DN_MAX_ATTRS];
	struct dec dec;
	int n, i;

	dec.data = decbuf;
	dec.len = 0;
	if ((n = oneline_split(s, &dec, parts)) < 0)
		return 0;
	if (cn != NULL) {
		*cn = NULL;
		for (i = 0; i < n; i++) {
			if (parts[i].typelen == 2 &&
			    (dec.data[parts[i].type] | 0x20) == 'c' &&
			    (dec.data[parts[i].type + 1] | 0x20) == 'n') {
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
	if (subject != NULL)
		*subject = format_parts(dec.data, parts, n);
	return 1;
}

int
dn_oneline_parse(const char *s, char **subject, char **cn)
{
	size_t len = strlen(s);
	char fixed[512], *dec;
	int r;

	dec = len < sizeof(fixed) ? fixed : xmalloc(len + 1);
	r = oneline_parse(s, dec, subject, cn);
	if (dec != fixed)
		free(dec);
	return r;
}

int
dn_oneline_parse_n(const char *s, size_t len, char **subject, char **cn)
{
	char fixed[1024], *buf;
	const char *nul;
	int r;

	if ((nul = memchr(s, '\0', len)) != NULL)
		len = (size_t)(nul - s);
	if (len < sizeof(fixed) / 2) {
		memcpy(fixed, s, len);
		fixed[len] = '\0';
		return oneline_parse(fixed, fixed + len + 1, subject, cn);
	}
	buf = xmalloc(2 * len + 2);
	memcpy(buf, s, len);
	buf[len] = '\0';
	r = oneline_parse(buf, buf + len + 1, subject, cn);
	free(buf);
	return r;
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

/* ------------------------------------------------------------ Windows form */

static void
skip_ws(const char **p, const char *e)
{
	while (*p < e && (**p == ' ' || **p == '\t'))
		(*p)++;
}

char *
dn_from_windows(const char *s, size_t n, char **cnp)
{
	struct buf b = { 0 }, val = { 0 };
	const char *p = s, *e = s + n, *t;
	size_t tlen, vend;
	char *cn = NULL, sep = 0;
	int first = 1;

	buf_addstr(&b, "");
	for (;;) {
		skip_ws(&p, e);
		if (p == e && first)
			break;
		t = p;
		while (p < e && *p != '=' && *p != ',' && *p != '+')
			p++;
		tlen = (size_t)(p - t);
		while (tlen > 0 && (t[tlen - 1] == ' ' || t[tlen - 1] == '\t'))
			tlen--;
		if (p == e || *p != '=' || !type_ok(t, tlen))
			goto fail;
		p++;
		skip_ws(&p, e);
		val.len = 0;
		buf_addstr(&val, "");
		if (p < e && *p == '"') {
			for (p++;; p++) {
				if (p == e)
					goto fail;
				if (*p == '"') {
					if (p + 1 < e && p[1] == '"') {
						buf_addc(&val, '"');
						p++;
						continue;
					}
					p++;
					break;
				}
				buf_addc(&val, *p);
			}
			skip_ws(&p, e);
		} else {
			while (p < e && *p != ',' && *p != '+' && *p != ';' &&
			    *p != '\n' && *p != '\r')
				buf_addc(&val, *p++);
			vend = val.len;
			while (vend > 0 && (val.data[vend - 1] == ' ' ||
			    val.data[vend - 1] == '\t'))
				vend--;
			val.len = vend;
			val.data[vend] = '\0';
		}
		if (!first)
			buf_addc(&b, sep == '+' ? '+' : ',');
		first = 0;
		buf_add(&b, t, tlen);
		buf_addc(&b, '=');
		dn_escape_value(&b, val.data, val.len);
		if (tlen == 2 && strncasecmp(t, "CN", 2) == 0) {
			free(cn);	/* the last one in this order is the first in DER */
			cn = xstrndup(val.data, val.len);
		}
		while (p < e && (*p == '\r' || *p == '\n'))
			p++;
		if (p == e)
			break;
		sep = *p;
		if (sep != ',' && sep != '+' && sep != ';') {
			/* a line break separated the RDNs */
			sep = ',';
			continue;
		}
		p++;
	}
	buf_free(&val);
	if (cnp != NULL)
		*cnp = cn;
	else
		free(cn);
	return buf_release(&b);
fail:
	buf_free(&val);
	buf_free(&b);
	free(cn);
	return NULL;
}
