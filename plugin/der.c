/*
 * The bounded DER walk over one X.509 certificate (RFC 5280 section 4.1):
 *
 *   Certificate ::= SEQUENCE {
 *        tbsCertificate       TBSCertificate,
 *        signatureAlgorithm   AlgorithmIdentifier,
 *        signatureValue       BIT STRING }
 *
 *   TBSCertificate ::= SEQUENCE {
 *        version         [0]  EXPLICIT Version DEFAULT v1,
 *        serialNumber         CertificateSerialNumber,
 *        signature            AlgorithmIdentifier,
 *        issuer               Name,
 *        validity             Validity,
 *        subject              Name,
 *        subjectPublicKeyInfo SubjectPublicKeyInfo,
 *        issuerUniqueID  [1]  IMPLICIT UniqueIdentifier OPTIONAL,
 *        subjectUniqueID [2]  IMPLICIT UniqueIdentifier OPTIONAL,
 *        extensions      [3]  EXPLICIT Extensions OPTIONAL }
 *
 * Only what the plugin reports is decoded: serial, issuer, validity,
 * subject, and the dNSName entries of subjectAltName. Anything the walk
 * does not understand makes it fail with a reason; the caller then asks
 * OpenSSL (ossl.c), which prints the same fields the same way.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cbs.h"
#include "extern.h"

struct walk {
	char			*err;
	size_t			 errlen;
	const unsigned char	*end;	/* end of the input */
	/* der_cert_salvage: a name value that does not decode falls back,
	 * and note says what fell back ("; " between) */
	int			 lenient;
	char			*note;
	size_t			 notelen;
};

/*
 * Attributes of one Name, in DER order. The attribute arrays and the text
 * (values and unknown OIDs, NUL-terminated, back to back) live on the stack
 * unless the Name is large; the text is sized once from the Name's length,
 * so pointers into it stay valid.
 */
#define NAME_ATTRS	32
#define NAME_TEXT	2048
struct names {
	struct dn_attr	*a;
	int		*set;
	size_t		 n, max;
	char		*text;
	size_t		 tlen, tmax;
	long		 cn;		/* index of the last CN, -1 if none */
	struct dn_attr	 a_fixed[NAME_ATTRS];
	int		 set_fixed[NAME_ATTRS];
	char		 text_fixed[NAME_TEXT];
};

struct strlist {
	char	**v;
	size_t	  n;
};

static int __attribute__((format(printf, 2, 3)))
walk_fail(struct walk *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w->err, w->errlen, fmt, ap);
	va_end(ap);
	return 0;
}

/* Adds to what the salvage walk says fell back. */
static void __attribute__((format(printf, 2, 3)))
walk_note(struct walk *w, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (w->note == NULL || w->notelen < 4)
		return;
	n = strlen(w->note);
	if (n > 0 && n + 3 < w->notelen) {
		memcpy(w->note + n, "; ", 3);
		n += 2;
	}
	if (n + 1 >= w->notelen)
		return;
	va_start(ap, fmt);
	vsnprintf(w->note + n, w->notelen - n, fmt, ap);
	va_end(ap);
}

/* Says why the element `what` with tag `tag` could not be read at c. */
static int
elem_fail(struct walk *w, const struct cbs *c, unsigned int tag, const char *what)
{
	size_t off = cbs_offset(c), endoff = off + cbs_len(c);
	unsigned int t;
	size_t hl, cl;

	switch (cbs_asn1_header(c, &t, &hl, &cl)) {
	case CBS_ASN1_OK:
		return walk_fail(w, "%s: expected tag 0x%02x, found 0x%02x at byte %zu",
		    what, tag, t, off);
	case CBS_ASN1_EMPTY:
		if (c->data == w->end)
			return walk_fail(w, "%s: truncated at byte %zu", what, off);
		return walk_fail(w, "%s: missing at byte %zu", what, off);
	case CBS_ASN1_TRUNCATED:
		return walk_fail(w, "%s: truncated at byte %zu", what, endoff);
	case CBS_ASN1_HIGHTAG:
		return walk_fail(w, "%s: unsupported tag 0x%02x at byte %zu", what,
		    c->data[0], off);
	case CBS_ASN1_INDEFINITE:
		return walk_fail(w, "%s: indefinite length (BER) at byte %zu", what, off);
	case CBS_ASN1_RESERVED:
	case CBS_ASN1_LENLEN:
		return walk_fail(w, "%s: unsupported length form 0x%02x at byte %zu",
		    what, c->data[1], off + 1);
	case CBS_ASN1_NONMINIMAL:
		return walk_fail(w, "%s: non-minimal length at byte %zu", what, off + 1);
	case CBS_ASN1_PASTEND:
		if (cbs_offset(c) == 0 && c->data + c->len == w->end)
			return walk_fail(w, "%s: truncated at byte %zu (length past end)",
			    what, endoff);
		return walk_fail(w, "%s: length past end at byte %zu", what, off + 1);
	}
	return walk_fail(w, "%s: invalid at byte %zu", what, off);
}

/* Contents of the next element, which must have this tag. */
static int
need(struct walk *w, struct cbs *c, struct cbs *out, unsigned int tag, const char *what)
{
	if (cbs_get_asn1(c, out, tag))
		return 1;
	return elem_fail(w, c, tag, what);
}

/* The cursor must be used up. */
static int
need_end(struct walk *w, const struct cbs *c, const char *what)
{
	if (cbs_len(c) == 0)
		return 1;
	return walk_fail(w, "%s: trailing %zu bytes at byte %zu", what, cbs_len(c),
	    cbs_offset(c));
}

/* Decimal digits of v at o; returns the end. */
static char *
put_u64(char *o, uint64_t v)
{
	char tmp[20];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0)
		*o++ = tmp[--n];
	return o;
}

/*
 * Dotted text of an OBJECT IDENTIFIER's contents (n >= 1 bytes) at o, which
 * has room for 4 * n + 1 bytes (a one-byte arc takes at most 4 characters,
 * a k-byte arc fewer than 3 * k + 1). Returns the end, NUL-terminated, or
 * NULL if the encoding is invalid.
 */
static char *
oid_dotted(const unsigned char *p, size_t n, char *o)
{
	size_t i = 0;
	uint64_t v;
	uint8_t x;
	int first = 1;

	if (n == 0)
		return NULL;
	while (i < n) {
		if (p[i] == 0x80)
			return NULL;	/* non-minimal */
		v = 0;
		do {
			if (i >= n || v > (UINT64_MAX >> 7))
				return NULL;
			x = p[i++];
			v = (v << 7) | (x & 0x7f);
		} while (x & 0x80);
		if (first) {
			if (v < 80) {
				*o++ = (char)('0' + v / 40);
				*o++ = '.';
				o = put_u64(o, v % 40);
			} else {
				*o++ = '2';
				*o++ = '.';
				o = put_u64(o, v - 80);
			}
			first = 0;
		} else {
			*o++ = '.';
			o = put_u64(o, v);
		}
	}
	*o = '\0';
	return o;
}

/* Code point cp as UTF-8 at o (U+0000 becomes U+FFFD so that no value is
 * cut short); returns the end, or NULL for an invalid code point. */
static char *
put_cp(char *o, uint32_t cp)
{
	return utf8_encode(o, cp == 0 ? 0xfffd : cp);
}

/* Length of the run of bytes 0x01..0x7f at p. */
static size_t
ascii_run(const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i < n && (unsigned char)(p[i] - 1) < 0x7f)
		i++;
	return i;
}

/*
 * A directory string (or IA5String) as UTF-8 at o, which has room for
 * 3 * len + 1 bytes; sets *end to the end (NUL-terminated). Returns 1 on
 * success, 0 if the contents are invalid for the type, -1 if the type is
 * not supported. Single-byte types are read as Latin-1, as OpenSSL's
 * ASN1_STRING_to_UTF8 does. ASCII runs are copied whole.
 */
static int
string_utf8(unsigned int tag, const struct cbs *v, char *o, char **end)
{
	const unsigned char *p = cbs_data(v);
	size_t n = cbs_len(v), i, r;
	uint32_t cp, lo;

	switch (tag) {
	case CBS_ASN1_PRINTABLESTRING:
	case CBS_ASN1_IA5STRING:
	case CBS_ASN1_T61STRING:
	case CBS_ASN1_VISIBLESTRING:
	case CBS_ASN1_NUMERICSTRING:
	case CBS_ASN1_CONTEXT | 2:	/* dNSName */
		for (i = 0; i < n; i++) {
			if ((r = ascii_run(p + i, n - i)) > 0) {
				memcpy(o, p + i, r);
				o += r;
				if ((i += r) == n)
					break;
			}
			o = put_cp(o, p[i]);
		}
		break;
	case CBS_ASN1_UTF8STRING:
		r = ascii_run(p, n);
		if (r < n && !utf8_valid(p + r, n - r))
			return 0;
		for (i = 0; i < n; i++) {
			if ((r = strnlen((const char *)p + i, n - i)) > 0) {
				memcpy(o, p + i, r);
				o += r;
				if ((i += r) == n)
					break;
			}
			o = put_cp(o, 0);
		}
		break;
	case CBS_ASN1_BMPSTRING:
		if (n % 2 != 0)
			return 0;
		for (i = 0; i < n; i += 2) {
			cp = (uint32_t)p[i] << 8 | p[i + 1];
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (i + 3 >= n)
					return 0;
				lo = (uint32_t)p[i + 2] << 8 | p[i + 3];
				if (lo < 0xdc00 || lo > 0xdfff)
					return 0;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				i += 2;
			}
			if ((o = put_cp(o, cp)) == NULL)
				return 0;
		}
		break;
	case CBS_ASN1_UNIVERSALSTRING:
		if (n % 4 != 0)
			return 0;
		for (i = 0; i < n; i += 4) {
			cp = (uint32_t)p[i] << 24 | (uint32_t)p[i + 1] << 16 |
			    (uint32_t)p[i + 2] << 8 | p[i + 3];
			if ((o = put_cp(o, cp)) == NULL)
				return 0;
		}
		break;
	default:
		return -1;
	}
	*o = '\0';
	*end = o;
	return 1;
}

/* Room for the attributes and text of a Name of len bytes: an attribute
 * takes at least 7 bytes of the Name, its text at most 4 per byte. */
static void
names_init(struct names *nm, size_t len)
{
	nm->n = 0;
	nm->cn = -1;
	nm->max = len / 7 + 1;
	if (nm->max <= NAME_ATTRS) {
		nm->max = NAME_ATTRS;
		nm->a = nm->a_fixed;
		nm->set = nm->set_fixed;
	} else {
		nm->a = xreallocarray(NULL, nm->max, sizeof(*nm->a));
		nm->set = xreallocarray(NULL, nm->max, sizeof(*nm->set));
	}
	nm->tlen = 0;
	nm->tmax = len * 4 + 16;
	if (nm->tmax <= NAME_TEXT) {
		nm->tmax = NAME_TEXT;
		nm->text = nm->text_fixed;
	} else
		nm->text = xmalloc(nm->tmax);
}

static void
names_free(struct names *nm)
{
	if (nm->a != nm->a_fixed) {
		free(nm->a);
		free(nm->set);
	}
	if (nm->text != nm->text_fixed)
		free(nm->text);
}

/* "#" and the hex of the n bytes at p at o, NUL-terminated (RFC 4514's
 * form of a value of no string type); returns the end. */
static char *
put_hex(char *o, const unsigned char *p, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i;

	*o++ = '#';
	for (i = 0; i < n; i++) {
		*o++ = hex[p[i] >> 4];
		*o++ = hex[p[i] & 0x0f];
	}
	*o = '\0';
	return o;
}

/* The n bytes at p as UTF-8 at o, U+FFFD for each byte that does not
 * decode (and for NUL); room for 3 * n + 1. Returns the end. */
static char *
put_repaired(char *o, const unsigned char *p, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		k = p[i] < 0x80 ? 1 : p[i] >= 0xf0 ? 4 : p[i] >= 0xe0 ? 3 : 2;
		if (p[i] != 0 && i + k <= n && utf8_valid(p + i, k)) {
			memcpy(o, p + i, k);
			o += k;
			i += k;
			continue;
		}
		o = utf8_encode(o, 0xfffd);
		i++;
	}
	*o = '\0';
	return o;
}

/* An element with a tag in the long form (0x1f, then base-128 digits) that
 * fills c: its tag number, whether it is universal and primitive, and its
 * contents. */
static int
long_tag(const struct cbs *c, unsigned int *num, int *universal, struct cbs *contents)
{
	const unsigned char *p = cbs_data(c);
	size_t n = cbs_len(c), i = 1, l = 0, k;
	unsigned int t = 0;

	if (n < 3 || (p[0] & 0x1f) != 0x1f)
		return 0;
	do {
		if (i >= n || i > 4)
			return 0;
		t = t << 7 | (p[i] & 0x7f);
	} while (p[i++] & 0x80);
	if (i >= n)
		return 0;
	if (p[i] < 0x80)
		l = p[i++];
	else {
		k = p[i++] & 0x7f;
		if (k == 0 || k > 4 || i + k > n)
			return 0;
		while (k-- > 0)
			l = l << 8 | p[i++];
	}
	if (l != n - i)
		return 0;
	*num = t;
	*universal = (p[0] & 0xe0) == 0;
	*contents = *c;
	return cbs_skip(contents, i);
}

/*
 * The salvage walk's value of an attribute `name` that the walk refused,
 * the element raw (filling the rest of the AttributeTypeAndValue) at v:
 * a long-form tag of a string type read as that type, invalid UTF-8 with
 * U+FFFD, anything else as "#" + hex (*hex set). v has room for
 * 3 * cbs_len(raw) + 1 bytes. Returns 0 (and why) if raw is no element.
 */
static int
value_fallback(struct walk *w, const struct cbs *raw, const char *where, const char *name,
    char *v, char **end, int *hex)
{
	struct cbs val = *raw, in;
	unsigned int tag, num;
	size_t hl;
	int universal;

	*hex = 0;
	if (cbs_asn1_check(raw) == CBS_ASN1_HIGHTAG) {
		if (!long_tag(raw, &num, &universal, &in))
			return walk_fail(w, "%s: invalid long-form tag at byte %zu", where,
			    cbs_offset(raw));
		if (universal && num < 31 && string_utf8(num, &in, v, end) == 1) {
			walk_note(w, "%s: %s value with tag %u in the long form at byte %zu, "
			    "read as that type", where, name, num, cbs_offset(raw));
			return 1;
		}
		walk_note(w, "%s: %s value with tag number %u (long form) at byte %zu, "
		    "shown as #hex", where, name, num, cbs_offset(raw));
	} else {
		if (!cbs_get_any_asn1_element(&val, &in, &tag, &hl) || !cbs_skip(&in, hl))
			return elem_fail(w, raw, 0, where);
		if (tag == CBS_ASN1_UTF8STRING) {
			*end = put_repaired(v, cbs_data(&in), cbs_len(&in));
			walk_note(w, "%s: %s value is not valid UTF-8 at byte %zu, read "
			    "with U+FFFD", where, name, cbs_offset(&in));
			return 1;
		}
		walk_note(w, "%s: %s value of type 0x%02x that does not decode at byte "
		    "%zu, shown as #hex", where, name, tag, cbs_offset(raw));
	}
	*end = put_hex(v, cbs_data(raw), cbs_len(raw));
	*hex = 1;
	return 1;
}

/* One AttributeTypeAndValue of RDN number set. */
static int
walk_atv(struct walk *w, struct cbs *atv, int set, const char *where, struct names *nm)
{
	struct cbs oid, val, raw;
	unsigned int tag;
	const char *name;
	char *o, *v, *end;
	int r = 0, hex = 0;

	if (!need(w, atv, &oid, CBS_ASN1_OBJECT, where))
		return 0;
	if (nm->n == nm->max || nm->tmax - nm->tlen < 4 * cbs_len(&oid) + 1)
		return walk_fail(w, "%s: too many attributes", where);	/* cannot happen */
	o = nm->text + nm->tlen;
	if (cbs_len(&oid) > 0 &&
	    (name = dn_oid_name_der(cbs_data(&oid), cbs_len(&oid))) != NULL)
		v = o;
	else if ((end = oid_dotted(cbs_data(&oid), cbs_len(&oid), o)) != NULL) {
		name = o;
		v = end + 1;
	} else
		return walk_fail(w, "%s: invalid attribute OID at byte %zu", where,
		    cbs_offset(&oid));
	raw = *atv;
	if (!cbs_get_any_asn1(atv, &val, &tag)) {
		if (!w->lenient || cbs_asn1_check(atv) != CBS_ASN1_HIGHTAG)
			return elem_fail(w, atv, 0, where);
		val = *atv;	/* value_fallback takes it */
		(void)cbs_skip(atv, cbs_len(atv));
	}
	if (!need_end(w, atv, where))
		return 0;
	if ((size_t)(nm->text + nm->tmax - v) < 3 * cbs_len(&raw) + 1)
		return walk_fail(w, "%s: too many attributes", where);	/* cannot happen */
	if (cbs_data(&val) == cbs_data(&raw) ||
	    (r = string_utf8(tag, &val, v, &end)) != 1) {
		if (w->lenient) {
			if (!value_fallback(w, &raw, where, name, v, &end, &hex))
				return 0;
		} else if (r < 0)
			return walk_fail(w, "unsupported string type 0x%02x in %s", tag,
			    where);
		else
			return walk_fail(w, "invalid string (type 0x%02x) in %s at byte %zu",
			    tag, where, cbs_offset(&val));
	}
	nm->tlen = (size_t)(end + 1 - nm->text);
	/* the name is the most specific CN: the last in DER order */
	if (cbs_len(&oid) == 3 && memcmp(cbs_data(&oid), "\x55\x04\x03", 3) == 0)
		nm->cn = (long)nm->n;	/* 2.5.4.3 */
	nm->a[nm->n].oid = name;
	nm->a[nm->n].value = v;
	nm->a[nm->n].hex = hex;
	nm->set[nm->n] = set;
	nm->n++;
	return 1;
}

/* Name ::= SEQUENCE OF SET OF AttributeTypeAndValue. With dn NULL (and cn
 * NULL) the Name is checked only. */
static int
walk_name(struct walk *w, struct cbs *name, const char *where, char **dn, char **cn)
{
	struct names nm;
	struct cbs rdn, atv;
	int set = 0;

	names_init(&nm, cbs_len(name));
	while (cbs_len(name) > 0) {
		if (!need(w, name, &rdn, CBS_ASN1_SET, where))
			goto fail;
		if (cbs_len(&rdn) == 0) {
			walk_fail(w, "%s: empty RDN at byte %zu", where, cbs_offset(&rdn));
			goto fail;
		}
		while (cbs_len(&rdn) > 0) {
			if (!need(w, &rdn, &atv, CBS_ASN1_SEQUENCE, where) ||
			    !walk_atv(w, &atv, set, where, &nm))
				goto fail;
		}
		set++;
	}
	/* a CN that did not decode (shown as #hex) names nothing: the next
	 * name source does (certinfo_name) */
	if (cn != NULL)
		*cn = nm.cn >= 0 && !nm.a[nm.cn].hex ? xstrdup(nm.a[nm.cn].value) : NULL;
	if (dn != NULL)
		*dn = dn_format_named(nm.a, nm.set, nm.n);
	names_free(&nm);
	return 1;
fail:
	names_free(&nm);
	return 0;
}

static int
walk_time(struct walk *w, struct cbs *validity, const char *what, int64_t *t)
{
	struct cbs v;
	unsigned int tag;

	if (!cbs_get_any_asn1(validity, &v, &tag))
		return elem_fail(w, validity, CBS_ASN1_UTCTIME, what);
	if (tag != CBS_ASN1_UTCTIME && tag != CBS_ASN1_GENERALIZEDTIME)
		return walk_fail(w, "%s: not a UTCTime or GeneralizedTime (tag 0x%02x)",
		    what, tag);
	if (!asn1_time_parse((int)tag, cbs_data(&v), cbs_len(&v), t))
		return walk_fail(w, "%s: not an RFC 5280 %s at byte %zu", what,
		    tag == CBS_ASN1_UTCTIME ? "UTCTime" : "GeneralizedTime",
		    cbs_offset(&v));
	return 1;
}

/*
 * A serial as `openssl x509 -serial` prints it: upper-case hex of the
 * INTEGER's magnitude in whole bytes (the 0x00 sign pad dropped), and a
 * leading '-' when it is negative (the two's complement undone).
 */
static char *
serial_text(const unsigned char *p, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	unsigned char small[64], *m = (unsigned char *)p;
	unsigned int carry = 1, v;
	size_t i, skip = 0;
	char *out, *o;
	int neg = n > 0 && (p[0] & 0x80) != 0;

	if (neg) {
		/* the magnitude: ~x + 1, from the last byte on */
		m = n <= sizeof(small) ? small : xmalloc(n);
		for (i = n; i-- > 0;) {
			v = (unsigned int)(unsigned char)~p[i] + carry;
			m[i] = (unsigned char)v;
			carry = v >> 8;
		}
	}
	while (skip + 1 < n && m[skip] == 0x00)
		skip++;
	o = out = xmalloc(2 * (n - skip) + 2);
	if (neg)
		*o++ = '-';
	for (i = skip; i < n; i++) {
		*o++ = hex[m[i] >> 4];
		*o++ = hex[m[i] & 0x0f];
	}
	*o = '\0';
	if (m != p && m != small)
		free(m);
	return out;
}

/* The serialNumber INTEGER, as serial_text() prints it. */
static int
walk_serial(struct walk *w, struct cbs *tbs, char **serial)
{
	struct cbs s;
	const unsigned char *p;
	size_t n;

	if (!need(w, tbs, &s, CBS_ASN1_INTEGER, "serialNumber"))
		return 0;
	p = cbs_data(&s);
	n = cbs_len(&s);
	if (n == 0)
		return walk_fail(w, "serialNumber: empty INTEGER at byte %zu",
		    cbs_offset(&s));
	if (n > 1 && ((p[0] == 0x00 && (p[1] & 0x80) == 0) ||
	    (p[0] == 0xff && (p[1] & 0x80) != 0)))
		return walk_fail(w, "serialNumber: non-minimal INTEGER at byte %zu",
		    cbs_offset(&s));
	if (serial != NULL)	/* else checked only */
		*serial = serial_text(p, n);
	return 1;
}

static void
strlist_free(struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* GeneralNames ::= SEQUENCE OF GeneralName; keeps the dNSName ones (dns
 * NULL: checks them only). */
static int
walk_san(struct walk *w, struct cbs *octets, struct strlist *dns)
{
	struct cbs seq, gn;
	unsigned int tag;
	char tmp[768], *t, *v, *end;
	int r;

	if (!need(w, octets, &seq, CBS_ASN1_SEQUENCE, "subjectAltName") ||
	    !need_end(w, octets, "subjectAltName"))
		return 0;
	while (cbs_len(&seq) > 0) {
		if (!cbs_get_any_asn1(&seq, &gn, &tag))
			return elem_fail(w, &seq, CBS_ASN1_CONTEXT | 2, "subjectAltName");
		switch (tag) {
		case 0xa0: case 0x81: case 0xa3: case 0xa4:	/* other, rfc822, */
		case 0xa5: case 0x86: case 0x87: case 0x88:	/* x400, dir, ... */
			continue;
		case 0x82:					/* dNSName */
			break;
		default:
			return walk_fail(w, "subjectAltName: unknown GeneralName tag "
			    "0x%02x at byte %zu", tag, cbs_offset(&gn) - 2);
		}
		t = 3 * cbs_len(&gn) + 1 <= sizeof(tmp) ? tmp :
		    xmalloc(3 * cbs_len(&gn) + 1);
		r = string_utf8(tag, &gn, t, &end);
		v = r == 1 && dns != NULL ? xstrndup(t, (size_t)(end - t)) : NULL;
		if (t != tmp)
			free(t);
		if (r != 1)
			return walk_fail(w, "subjectAltName: invalid dNSName");
		if (dns == NULL)
			continue;	/* checked only */
		dns->v = xreallocarray(dns->v, dns->n + 1, sizeof(*dns->v));
		dns->v[dns->n++] = v;
	}
	return 1;
}

/* Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension */
static int
walk_extensions(struct walk *w, struct cbs *tbs, struct strlist *dns)
{
	static const unsigned char san_oid[] = { 0x55, 0x1d, 0x11 };
	struct cbs wrap, exts, ext, oid, crit, val;
	int present, have_crit, seen_san = 0;

	if (!cbs_get_optional_asn1(tbs, &wrap, &present,
	    CBS_ASN1_CONTEXT | CBS_ASN1_CONSTRUCTED | 3))
		return elem_fail(w, tbs, 0xa3, "extensions");
	if (!present)
		return 1;
	if (!need(w, &wrap, &exts, CBS_ASN1_SEQUENCE, "extensions") ||
	    !need_end(w, &wrap, "extensions"))
		return 0;
	while (cbs_len(&exts) > 0) {
		if (!need(w, &exts, &ext, CBS_ASN1_SEQUENCE, "extension") ||
		    !need(w, &ext, &oid, CBS_ASN1_OBJECT, "extension"))
			return 0;
		if (!cbs_get_optional_asn1(&ext, &crit, &have_crit, CBS_ASN1_BOOLEAN))
			return elem_fail(w, &ext, CBS_ASN1_BOOLEAN, "extension");
		if (have_crit && cbs_len(&crit) != 1)
			return walk_fail(w, "extension: invalid BOOLEAN at byte %zu",
			    cbs_offset(&crit));
		if (!need(w, &ext, &val, CBS_ASN1_OCTETSTRING, "extension") ||
		    !need_end(w, &ext, "extension"))
			return 0;
		if (cbs_len(&oid) != sizeof(san_oid) ||
		    memcmp(cbs_data(&oid), san_oid, sizeof(san_oid)) != 0)
			continue;
		if (seen_san++)
			return walk_fail(w, "duplicate subjectAltName extension");
		if (!walk_san(w, &val, dns))
			return 0;
	}
	return 1;
}

/* The outer Certificate: returns the tbsCertificate contents. */
static int
walk_outer(struct walk *w, const unsigned char *der, size_t len, struct cbs *tbs)
{
	struct cbs top, cert, t, alg, sig;

	cbs_init(&top, der, len);
	if (len == 0)
		return walk_fail(w, "empty input");
	if (!need(w, &top, &cert, CBS_ASN1_SEQUENCE, "Certificate"))
		return 0;
	if (cbs_len(&top) != 0)
		return walk_fail(w, "trailing %zu bytes after the certificate",
		    cbs_len(&top));
	if (!need(w, &cert, &t, CBS_ASN1_SEQUENCE, "tbsCertificate") ||
	    !need(w, &cert, &alg, CBS_ASN1_SEQUENCE, "signatureAlgorithm") ||
	    !need(w, &cert, &sig, CBS_ASN1_BITSTRING, "signatureValue") ||
	    !need_end(w, &cert, "Certificate"))
		return 0;
	if (cbs_len(&sig) == 0 || cbs_data(&sig)[0] > 7)
		return walk_fail(w, "signatureValue: invalid BIT STRING at byte %zu",
		    cbs_offset(&sig));
	*tbs = t;
	return 1;
}

static int
walk_version(struct walk *w, struct cbs *tbs)
{
	struct cbs wrap, v;
	int present;

	if (!cbs_get_optional_asn1(tbs, &wrap, &present,
	    CBS_ASN1_CONTEXT | CBS_ASN1_CONSTRUCTED | 0))
		return elem_fail(w, tbs, 0xa0, "version");
	if (!present)
		return 1;
	if (!need(w, &wrap, &v, CBS_ASN1_INTEGER, "version") ||
	    !need_end(w, &wrap, "version"))
		return 0;
	if (cbs_len(&v) != 1 || cbs_data(&v)[0] > 2)
		return walk_fail(w, "version: unsupported at byte %zu", cbs_offset(&v));
	return 1;
}

/* The walk; with full 0 every part is checked the same, but only the
 * validity is kept (ci->not_before, ci->not_after): nothing is allocated
 * for the names, the serial or the dNSNames. */
static int
cert_walk(const unsigned char *der, size_t len, struct certinfo *ci, int full,
    char *err, size_t errlen)
{
	struct walk w = { err, errlen, der + len, 0, NULL, 0 };
	struct cbs tbs, alg, issuer, validity, subject, spki, uid;
	struct strlist dns = { 0 };
	char *serial = NULL, *iss = NULL, *sub = NULL, *cn = NULL;
	int64_t nb, na;
	int present, rc = 0;

	if (!walk_outer(&w, der, len, &tbs) ||
	    !walk_version(&w, &tbs) ||
	    !walk_serial(&w, &tbs, full ? &serial : NULL) ||
	    !need(&w, &tbs, &alg, CBS_ASN1_SEQUENCE, "signature") ||
	    !need(&w, &tbs, &issuer, CBS_ASN1_SEQUENCE, "issuer") ||
	    !need(&w, &tbs, &validity, CBS_ASN1_SEQUENCE, "validity") ||
	    !need(&w, &tbs, &subject, CBS_ASN1_SEQUENCE, "subject") ||
	    !need(&w, &tbs, &spki, CBS_ASN1_SEQUENCE, "subjectPublicKeyInfo"))
		goto out;
	if (!walk_time(&w, &validity, "notBefore", &nb) ||
	    !walk_time(&w, &validity, "notAfter", &na) ||
	    !need_end(&w, &validity, "validity"))
		goto out;
	if (!cbs_get_optional_asn1(&tbs, &uid, &present, CBS_ASN1_CONTEXT | 1)) {
		elem_fail(&w, &tbs, 0x81, "issuerUniqueID");
		goto out;
	}
	if (!cbs_get_optional_asn1(&tbs, &uid, &present, CBS_ASN1_CONTEXT | 2)) {
		elem_fail(&w, &tbs, 0x82, "subjectUniqueID");
		goto out;
	}
	if (!walk_extensions(&w, &tbs, full ? &dns : NULL) ||
	    !need_end(&w, &tbs, "tbsCertificate"))
		goto out;
	if (!walk_name(&w, &issuer, "issuer", full ? &iss : NULL, NULL) ||
	    !walk_name(&w, &subject, "subject", full ? &sub : NULL, full ? &cn : NULL))
		goto out;
	ci->serial = serial;
	ci->issuer = iss;
	ci->subject = sub;
	ci->cn = cn;
	ci->dns = dns.v;
	ci->ndns = dns.n;
	ci->not_before = nb;
	ci->has_not_before = 1;
	ci->not_after = na;
	serial = iss = sub = cn = NULL;
	dns.v = NULL;
	dns.n = 0;
	rc = 1;
out:
	free(serial);
	free(iss);
	free(sub);
	free(cn);
	strlist_free(&dns);
	return rc;
}

int
der_cert_walk(const unsigned char *der, size_t len, struct certinfo *ci,
    char *err, size_t errlen)
{
	return cert_walk(der, len, ci, 1, err, errlen);
}

int
der_cert_dates(const unsigned char *der, size_t len, int64_t *not_before,
    int64_t *not_after, char *err, size_t errlen)
{
	struct certinfo ci;

	memset(&ci, 0, sizeof(ci));
	if (!cert_walk(der, len, &ci, 0, err, errlen))
		return 0;
	*not_before = ci.not_before;
	*not_after = ci.not_after;
	return 1;
}

/*
 * What the salvage walk reads of a part the walk refused: the parts before
 * the validity must be there (their shape, to find it), the validity must
 * read; a name, the subjectAltName, the key, the extensions, the signature
 * that do not are noted and left out.
 */
static void
salvage_rest(struct walk *w, struct cbs *tbs, struct cbs *subject, int *have_subject,
    struct strlist *dns)
{
	struct cbs spki, uid;
	int present;

	*have_subject = need(w, tbs, subject, CBS_ASN1_SEQUENCE, "subject");
	if (!*have_subject) {
		walk_note(w, "%s", w->err);
		return;
	}
	if (!need(w, tbs, &spki, CBS_ASN1_SEQUENCE, "subjectPublicKeyInfo") ||
	    (!cbs_get_optional_asn1(tbs, &uid, &present, CBS_ASN1_CONTEXT | 1) &&
	    !elem_fail(w, tbs, 0x81, "issuerUniqueID")) ||
	    (!cbs_get_optional_asn1(tbs, &uid, &present, CBS_ASN1_CONTEXT | 2) &&
	    !elem_fail(w, tbs, 0x82, "subjectUniqueID")) ||
	    !walk_extensions(w, tbs, dns) || !need_end(w, tbs, "tbsCertificate")) {
		walk_note(w, "%s (the rest of tbsCertificate left out)", w->err);
		strlist_free(dns);
	}
}

/* A name for der_cert_salvage: NULL (noted) if it does not read. */
static char *
salvage_name(struct walk *w, struct cbs *name, const char *where, char **cn)
{
	char *dn = NULL;

	if (!walk_name(w, name, where, &dn, cn)) {
		walk_note(w, "%s (the %s left out)", w->err, where);
		return NULL;
	}
	return dn;
}

int
der_cert_salvage(const unsigned char *der, size_t len, struct certinfo *ci,
    char *note, size_t notelen, char *err, size_t errlen)
{
	struct walk w = { err, errlen, der + len, 1, note, notelen };
	struct cbs top, cert, tbs, alg, sig, s, issuer, validity, subject;
	struct strlist dns = { 0 };
	char *serial = NULL, *cn = NULL;
	int64_t nb, na;
	int have_subject;

	note[0] = err[0] = '\0';
	cbs_init(&top, der, len);
	if (len == 0)
		return walk_fail(&w, "empty input");
	if (!need(&w, &top, &cert, CBS_ASN1_SEQUENCE, "Certificate") ||
	    !need(&w, &cert, &tbs, CBS_ASN1_SEQUENCE, "tbsCertificate"))
		return 0;
	if (cbs_len(&top) != 0)
		return walk_fail(&w, "trailing %zu bytes after the certificate", cbs_len(&top));
	if (!need(&w, &cert, &alg, CBS_ASN1_SEQUENCE, "signatureAlgorithm") ||
	    !need(&w, &cert, &sig, CBS_ASN1_BITSTRING, "signatureValue") ||
	    !need_end(&w, &cert, "Certificate"))
		walk_note(&w, "%s (not needed)", err);
	if (!walk_version(&w, &tbs))
		walk_note(&w, "%s (read on)", err);
	if (!need(&w, &tbs, &s, CBS_ASN1_INTEGER, "serialNumber"))
		return 0;
	if (cbs_len(&s) > 0)
		serial = serial_text(cbs_data(&s), cbs_len(&s));
	else
		walk_note(&w, "serialNumber: empty INTEGER (no serial)");
	if (!need(&w, &tbs, &alg, CBS_ASN1_SEQUENCE, "signature") ||
	    !need(&w, &tbs, &issuer, CBS_ASN1_SEQUENCE, "issuer") ||
	    !need(&w, &tbs, &validity, CBS_ASN1_SEQUENCE, "validity") ||
	    !walk_time(&w, &validity, "notBefore", &nb) ||
	    !walk_time(&w, &validity, "notAfter", &na)) {
		free(serial);
		return 0;
	}
	salvage_rest(&w, &tbs, &subject, &have_subject, &dns);
	memset(ci, 0, sizeof(*ci));
	ci->serial = serial;
	ci->issuer = salvage_name(&w, &issuer, "issuer", NULL);
	if (have_subject)
		ci->subject = salvage_name(&w, &subject, "subject", &cn);
	ci->cn = cn;
	ci->dns = dns.v;
	ci->ndns = dns.n;
	ci->not_before = nb;
	ci->has_not_before = 1;
	ci->not_after = na;
	return 1;
}

size_t
der_element_len(const unsigned char *p, size_t len)
{
	struct cbs c, e;

	cbs_init(&c, p, len);
	if (!cbs_get_any_asn1_element(&c, &e, NULL, NULL))
		return 0;
	return cbs_len(&e);
}
