/*
 * A bounded byte cursor in the shape of LibreSSL's CBS (bytestring.h):
 * { data, len } plus the start of the outermost buffer, so that errors can
 * name a byte offset.
 *
 *  - cbs_get() is the only function that advances a cursor;
 *  - every function returns 1 on success and 0 on failure, writes its
 *    outputs only on success and never allocates;
 *  - "get" consumes, "peek" does not, "_element" keeps the header,
 *    "optional_" allows absence.
 *
 * ASN.1 support is DER only: one-byte tags (no high tag numbers), definite
 * lengths in minimal form, at most 4 length octets.
 */
#ifndef CCE_CBS_H
#define CCE_CBS_H

#include <stddef.h>
#include <stdint.h>

struct cbs {
	const unsigned char	*data;
	size_t			 len;
	const unsigned char	*base;	/* start of the outermost buffer */
};

#define CBS_ASN1_BOOLEAN		0x01
#define CBS_ASN1_INTEGER		0x02
#define CBS_ASN1_BITSTRING		0x03
#define CBS_ASN1_OCTETSTRING		0x04
#define CBS_ASN1_OBJECT			0x06
#define CBS_ASN1_UTF8STRING		0x0c
#define CBS_ASN1_NUMERICSTRING		0x12
#define CBS_ASN1_PRINTABLESTRING	0x13
#define CBS_ASN1_T61STRING		0x14
#define CBS_ASN1_IA5STRING		0x16
#define CBS_ASN1_UTCTIME		0x17
#define CBS_ASN1_GENERALIZEDTIME	0x18
#define CBS_ASN1_VISIBLESTRING		0x1a
#define CBS_ASN1_UNIVERSALSTRING	0x1c
#define CBS_ASN1_BMPSTRING		0x1e
#define CBS_ASN1_SEQUENCE		0x30
#define CBS_ASN1_SET			0x31
#define CBS_ASN1_CONSTRUCTED		0x20
#define CBS_ASN1_CONTEXT		0x80

/* Why the next ASN.1 element cannot be read (cbs_asn1_check). */
enum cbs_asn1_err {
	CBS_ASN1_OK = 0,
	CBS_ASN1_EMPTY,		/* no bytes left at all */
	CBS_ASN1_TRUNCATED,	/* header incomplete */
	CBS_ASN1_HIGHTAG,	/* tag number >= 31 (not supported) */
	CBS_ASN1_INDEFINITE,	/* 0x80: BER indefinite length */
	CBS_ASN1_RESERVED,	/* 0xff */
	CBS_ASN1_LENLEN,	/* more than 4 length octets */
	CBS_ASN1_NONMINIMAL,	/* length not in its shortest form */
	CBS_ASN1_PASTEND	/* contents run past the end */
};

static inline void
cbs_init(struct cbs *c, const unsigned char *p, size_t len)
{
	c->data = p;
	c->len = len;
	c->base = p;
}

static inline size_t
cbs_len(const struct cbs *c)
{
	return c->len;
}

static inline const unsigned char *
cbs_data(const struct cbs *c)
{
	return c->data;
}

/* Offset of the cursor from the start of the outermost buffer. */
static inline size_t
cbs_offset(const struct cbs *c)
{
	return (size_t)(c->data - c->base);
}

/* The only place that advances a cursor. */
static inline int
cbs_get(struct cbs *c, const unsigned char **p, size_t n)
{
	if (c->len < n)
		return 0;
	*p = c->data;
	c->data += n;
	c->len -= n;
	return 1;
}

static inline int
cbs_skip(struct cbs *c, size_t n)
{
	const unsigned char *p;

	return cbs_get(c, &p, n);
}

static inline int
cbs_get_u8(struct cbs *c, uint8_t *out)
{
	const unsigned char *p;

	if (!cbs_get(c, &p, 1))
		return 0;
	*out = p[0];
	return 1;
}

static inline int
cbs_peek_u8(const struct cbs *c, uint8_t *out)
{
	if (c->len < 1)
		return 0;
	*out = c->data[0];
	return 1;
}

/* A sub-cursor over the next n bytes (which it keeps the base of). */
static inline int
cbs_get_bytes(struct cbs *c, struct cbs *out, size_t n)
{
	const unsigned char *p;
	const unsigned char *base = c->base;

	if (!cbs_get(c, &p, n))
		return 0;
	out->data = p;
	out->len = n;
	out->base = base;
	return 1;
}

/*
 * Parses the header of the next element without consuming anything.
 * Returns CBS_ASN1_OK and sets tag, header length and contents length, or
 * says what is wrong.
 */
static inline enum cbs_asn1_err
cbs_asn1_header(const struct cbs *c, unsigned int *tag, size_t *hdrlen,
    size_t *contlen)
{
	struct cbs h = *c;
	uint8_t t, lb, b;
	size_t n, i, l = 0;

	if (cbs_len(&h) == 0)
		return CBS_ASN1_EMPTY;
	if (!cbs_get_u8(&h, &t) || !cbs_get_u8(&h, &lb))
		return CBS_ASN1_TRUNCATED;
	if ((t & 0x1f) == 0x1f)
		return CBS_ASN1_HIGHTAG;
	if ((lb & 0x80) == 0) {
		l = lb;
		n = 0;
	} else {
		n = lb & 0x7f;
		if (n == 0)
			return CBS_ASN1_INDEFINITE;
		if (n == 0x7f)
			return CBS_ASN1_RESERVED;
		if (n > 4)
			return CBS_ASN1_LENLEN;
		for (i = 0; i < n; i++) {
			if (!cbs_get_u8(&h, &b))
				return CBS_ASN1_TRUNCATED;
			if (i == 0 && b == 0)
				return CBS_ASN1_NONMINIMAL;
			l = (l << 8) | b;
		}
		if (l < 0x80)
			return CBS_ASN1_NONMINIMAL;
	}
	/* 2 + n <= 6 header bytes are present, so no overflow below. */
	if (l > cbs_len(&h))
		return CBS_ASN1_PASTEND;
	*tag = t;
	*hdrlen = 2 + n;
	*contlen = l;
	return CBS_ASN1_OK;
}

/* What cbs_get_any_asn1_element() would complain about, or CBS_ASN1_OK. */
static inline enum cbs_asn1_err
cbs_asn1_check(const struct cbs *c)
{
	unsigned int tag;
	size_t hl, cl;

	return cbs_asn1_header(c, &tag, &hl, &cl);
}

/* The next element, header included. */
static inline int
cbs_get_any_asn1_element(struct cbs *c, struct cbs *out, unsigned int *out_tag,
    size_t *out_hdrlen)
{
	unsigned int tag;
	size_t hl, cl;
	struct cbs e;

	if (cbs_asn1_header(c, &tag, &hl, &cl) != CBS_ASN1_OK)
		return 0;
	if (!cbs_get_bytes(c, &e, hl + cl))
		return 0;
	*out = e;
	if (out_tag != NULL)
		*out_tag = tag;
	if (out_hdrlen != NULL)
		*out_hdrlen = hl;
	return 1;
}

/* The next element's contents, whatever its tag. */
static inline int
cbs_get_any_asn1(struct cbs *c, struct cbs *out, unsigned int *out_tag)
{
	struct cbs e, d = *c;
	unsigned int tag;
	size_t hl;

	/* fast path: a low tag number with a short-form length that fits
	 * (what cbs_asn1_header() would accept with a one-byte length) */
	if (d.len >= 2 && (d.data[0] & 0x1f) != 0x1f && d.data[1] < 0x80 &&
	    d.data[1] <= d.len - 2) {
		tag = d.data[0];
		if (!cbs_skip(&d, 2) || !cbs_get_bytes(&d, &e, c->data[1]))
			return 0;
	} else if (!cbs_get_any_asn1_element(&d, &e, &tag, &hl) ||
	    !cbs_skip(&e, hl))
		return 0;
	*c = d;
	*out = e;
	if (out_tag != NULL)
		*out_tag = tag;
	return 1;
}

static inline int
cbs_peek_asn1_tag(const struct cbs *c, unsigned int tag)
{
	if (c->len < 1 || (tag & 0x1f) == 0x1f)
		return 0;
	return c->data[0] == tag;
}

/* The next element, header included, if it has this tag. */
static inline int
cbs_get_asn1_element(struct cbs *c, struct cbs *out, unsigned int tag)
{
	if (!cbs_peek_asn1_tag(c, tag))
		return 0;
	return cbs_get_any_asn1_element(c, out, NULL, NULL);
}

/* The contents of the next element, if it has this tag. */
static inline int
cbs_get_asn1(struct cbs *c, struct cbs *out, unsigned int tag)
{
	if (!cbs_peek_asn1_tag(c, tag))
		return 0;
	return cbs_get_any_asn1(c, out, NULL);
}

/* Like cbs_get_asn1(), but absence (another tag, or no bytes) is fine. */
static inline int
cbs_get_optional_asn1(struct cbs *c, struct cbs *out, int *present, unsigned int tag)
{
	struct cbs e;

	if (!cbs_peek_asn1_tag(c, tag)) {
		*present = 0;
		return 1;
	}
	if (!cbs_get_asn1(c, &e, tag))
		return 0;
	if (out != NULL)
		*out = e;
	*present = 1;
	return 1;
}

#endif
