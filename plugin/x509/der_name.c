/* The DER walk's Names (der.c): attribute values decoded to UTF-8 as
 * OpenSSL prints them, OIDs named or dotted, RFC 4514 text. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "der_walk.h"

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
int
der_string_utf8(unsigned int tag, const struct cbs *v, char *o, char **end)
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
			return der_fail(w, "%s: invalid long-form tag at byte %zu", where,
			    cbs_offset(raw));
		if (universal && num < 31 && der_string_utf8(num, &in, v, end) == 1) {
			der_note(w, "%s: %s value with tag %u in the long form at byte %zu, "
			    "read as that type", where, name, num, cbs_offset(raw));
			return 1;
		}
		der_note(w, "%s: %s value with tag number %u (long form) at byte %zu, "
		    "shown as #hex", where, name, num, cbs_offset(raw));
	} else {
		if (!cbs_get_any_asn1_element(&val, &in, &tag, &hl) || !cbs_skip(&in, hl))
			return der_elem_fail(w, raw, 0, where);
		if (tag == CBS_ASN1_UTF8STRING) {
			*end = put_repaired(v, cbs_data(&in), cbs_len(&in));
			der_note(w, "%s: %s value is not valid UTF-8 at byte %zu, read "
			    "with U+FFFD", where, name, cbs_offset(&in));
			return 1;
		}
		der_note(w, "%s: %s value of type 0x%02x that does not decode at byte "
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
	unsigned int tag = 0;
	const char *name;
	char *o, *v, *end;
	int r = 0, hex = 0;

	if (!der_need(w, atv, &oid, CBS_ASN1_OBJECT, where))
		return 0;
	if (nm->n == nm->max || nm->tmax - nm->tlen < 4 * cbs_len(&oid) + 1)
		return der_fail(w, "%s: too many attributes", where);	/* cannot happen */
	o = nm->text + nm->tlen;
	if (cbs_len(&oid) > 0 &&
	    (name = dn_oid_name_der(cbs_data(&oid), cbs_len(&oid))) != NULL)
		v = o;
	else if ((end = oid_dotted(cbs_data(&oid), cbs_len(&oid), o)) != NULL) {
		name = o;
		v = end + 1;
	} else
		return der_fail(w, "%s: invalid attribute OID at byte %zu", where,
		    cbs_offset(&oid));
	raw = *atv;
	if (!cbs_get_any_asn1(atv, &val, &tag)) {
		if (!w->lenient || cbs_asn1_check(atv) != CBS_ASN1_HIGHTAG)
			return der_elem_fail(w, atv, 0, where);
		val = *atv;	/* value_fallback takes it */
		(void)cbs_skip(atv, cbs_len(atv));
	}
	if (!der_need_end(w, atv, where))
		return 0;
	if ((size_t)(nm->text + nm->tmax - v) < 3 * cbs_len(&raw) + 1)
		return der_fail(w, "%s: too many attributes", where);	/* cannot happen */
	if (cbs_data(&val) == cbs_data(&raw) ||
	    (r = der_string_utf8(tag, &val, v, &end)) != 1) {
		if (w->lenient) {
			if (!value_fallback(w, &raw, where, name, v, &end, &hex))
				return 0;
		} else if (r < 0)
			return der_fail(w, "unsupported string type 0x%02x in %s", tag,
			    where);
		else
			return der_fail(w, "invalid string (type 0x%02x) in %s at byte %zu",
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
int
der_walk_name(struct walk *w, struct cbs *name, const char *where, char **dn, char **cn)
{
	struct names nm;
	struct cbs rdn, atv;
	int set = 0;

	names_init(&nm, cbs_len(name));
	while (cbs_len(name) > 0) {
		if (!der_need(w, name, &rdn, CBS_ASN1_SET, where))
			goto fail;
		if (cbs_len(&rdn) == 0) {
			der_fail(w, "%s: empty RDN at byte %zu", where, cbs_offset(&rdn));
			goto fail;
		}
		while (cbs_len(&rdn) > 0) {
			if (!der_need(w, &rdn, &atv, CBS_ASN1_SEQUENCE, where) ||
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

