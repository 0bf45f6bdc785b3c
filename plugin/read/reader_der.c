/* A single DER certificate (.cer/.crt/.der), and what else starts as a DER
 * SEQUENCE. The probe claims any binary input that starts with a SEQUENCE
 * header; the read then tells certificates (read, and reported as broken
 * when they are) from the DER objects that hold none (keys, parameters,
 * CRLs, CSRs: skipped) and from a SEQUENCE that is damaged (its length runs
 * past the end of the file, or its inside is no DER or no known object: an
 * error, since a damaged certificate file must not turn into a silent OK). */
#include "config.h"

#include <string.h>

#include "cbs.h"
#include "extern.h"

/* Reads one tag + length header at p[*off]; tolerant of contents running
 * past the end (truncation), strict about the header itself. */
static int
hdr(const unsigned char *p, size_t len, size_t *off, unsigned char *tag, size_t *clen)
{
	size_t o = *off, n, i, l = 0;

	if (o + 2 > len)
		return 0;
	*tag = p[o++];
	if ((*tag & 0x1f) == 0x1f)
		return 0;
	if (p[o] < 0x80)
		l = p[o++];
	else {
		n = p[o++] & 0x7f;
		if (n == 0 || n > 4 || o + n > len)
			return 0;
		for (i = 0; i < n; i++)
			l = (l << 8) | p[o++];
	}
	*clen = l;
	*off = o;
	return 1;
}

/* DK_NONE and DK_OTHER: no certificate by its first elements (der_object
 * says what it is) */
enum der_kind { DK_NONE, DK_CERT, DK_OTHER };

static enum der_kind
classify(const unsigned char *p, size_t len)
{
	unsigned char tag, tags[4];
	size_t off = 0, clen, i;

	if (!hdr(p, len, &off, &tag, &clen) || tag != 0x30)
		return DK_NONE;
	if (!hdr(p, len, &off, &tag, &clen) || tag != 0x30)
		return DK_NONE;	/* not SEQUENCE { SEQUENCE ... }: keys, PKCS#12 */
	for (i = 0; i < 4; i++) {
		if (!hdr(p, len, &off, &tags[i], &clen))
			break;
		if (i == 0 && tags[0] == 0xa0)
			return DK_CERT;		/* [0] version: only certificates */
		if ((tags[i] & 0x20) == 0 || tags[i] == 0xa0 || tags[i] == 0x30) {
			/* skip contents of this element to reach the next */
			if (clen > len - off)
				break;
			off += clen;
		}
	}
	if (i >= 4 && tags[0] == 0x02 && tags[1] == 0x30 && tags[2] == 0x30 && tags[3] == 0x30)
		return DK_CERT;			/* v1: serial, alg, issuer, validity */
	if (i < 4 && i >= 1 && tags[0] == 0x02)
		return DK_CERT;			/* truncated after the serial */
	return DK_OTHER;			/* CRL, CSR, ... */
}

/* 1 if the first bytes of p read as text (no control bytes but TAB, CR,
 * LF, FF; UTF-8, a sequence cut at the end allowed): a text file that
 * starts with '0' is no DER. */
static int
text_like(const unsigned char *p, size_t len)
{
	size_t n = len < 256 ? len : 256, i = 0, k, need;

	while (i < n) {
		if (p[i] < 0x80) {
			if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r' &&
			    p[i] != '\f') || p[i] == 0x7f)
				return 0;
			i++;
			continue;
		}
		need = p[i] >= 0xf0 && p[i] <= 0xf4 ? 3 : p[i] >= 0xe0 ? 2 :
		    p[i] >= 0xc2 && p[i] <= 0xdf ? 1 : 0;
		if (need == 0 || p[i] > 0xf4)
			return 0;
		for (k = 1; k <= need && i + k < n; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
		i += need + 1;
	}
	return 1;
}

static int
probe(const unsigned char *p, size_t len)
{
	size_t off = 0, clen;
	unsigned char tag;

	if (len >= 2 && p[0] == 0x06)	/* EC parameters: a curve's OID alone */
		return len <= 64 && der_element_len(p, len) == len;
	return len >= 2 && p[0] == 0x30 && hdr(p, len, &off, &tag, &clen) &&
	    !text_like(p, len);
}

/*
 * What a DER SEQUENCE that is not a certificate holds, by the tags of its
 * elements: sets *what and returns 1 for a known object, or writes why it
 * is damaged and returns 0. Bytes after the SEQUENCE are not looked at.
 */
static int
der_object(const unsigned char *p, size_t len, const char **what, char *why, size_t whylen)
{
	unsigned int t[3] = { 0 }, tag;
	size_t off = 0, clen, n = 0;
	unsigned char tag0;
	struct cbs c, e;

	if (!hdr(p, len, &off, &tag0, &clen)) {
		snprintf(why, whylen, "damaged DER: SEQUENCE header cut short or invalid");
		return 0;
	}
	if (clen > len - off) {
		snprintf(why, whylen, "damaged DER: the SEQUENCE at byte 0 claims %zu bytes, "
		    "the file ends after %zu (truncated or overwritten)", off + clen, len);
		return 0;
	}
	cbs_init(&c, p, off + clen);
	(void)cbs_skip(&c, off);
	while (cbs_len(&c) > 0) {
		if (!cbs_get_any_asn1_element(&c, &e, &tag, NULL)) {
			snprintf(why, whylen, "damaged DER: the SEQUENCE's contents are not "
			    "DER at byte %zu", cbs_offset(&c));
			return 0;
		}
		if (n < 3)
			t[n] = tag;
		n++;
	}
	*what = NULL;
	if (n >= 1 && t[0] == CBS_ASN1_INTEGER)
		*what = "private key or parameters";
	else if (n >= 1 && t[0] == CBS_ASN1_OBJECT)
		*what = "content info";
	else if (n >= 1 && t[0] == 0x0a)		/* ENUMERATED */
		*what = "OCSP response";
	else if (n == 2 && t[0] == CBS_ASN1_SEQUENCE && t[1] == CBS_ASN1_BITSTRING)
		*what = "public key";
	else if (n == 2 && t[0] == CBS_ASN1_SEQUENCE && t[1] == CBS_ASN1_OCTETSTRING)
		*what = "encrypted private key";
	else if (n >= 3 && t[0] == CBS_ASN1_SEQUENCE && t[1] == CBS_ASN1_SEQUENCE &&
	    t[2] == CBS_ASN1_BITSTRING)
		*what = "CRL or certificate request";
	if (*what != NULL)
		return 1;
	snprintf(why, whylen, "damaged DER: a SEQUENCE of %zu bytes that holds no known "
	    "object", off + clen);
	return 0;
}

static void
rd(struct sink *s, const unsigned char *p, size_t len)
{
	struct sink_cert_meta m = { "der", 0, NULL, NULL };
	const char *what;
	char why[160];

	if (p[0] == 0x06)
		sink_skip(s, "no certificate (DER EC parameters)");
	else if (classify(p, len) == DK_CERT)
		sink_der(s, p, len, &m);
	else if (der_object(p, len, &what, why, sizeof(why)))
		sink_skip(s, "no certificate (DER %s)", what);
	else
		sink_error(s, 0, "%s", why);
}

const struct reader reader_der = { "der", probe, rd, NULL, NULL, NULL };
