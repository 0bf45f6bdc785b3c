/* A single DER certificate (.cer/.crt/.der). The probe looks at the shape of
 * the first elements so that DER CRLs, CSRs and keys are skipped rather than
 * reported as broken certificates, while a truncated certificate is still
 * claimed (and reported as an error). */
#include "config.h"

#include <string.h>

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

static int
probe(const unsigned char *p, size_t len)
{
	return len >= 4 && p[0] == 0x30 && classify(p, len) != DK_NONE;
}

static void
rd(struct sink *s, const unsigned char *p, size_t len)
{
	struct sink_cert_meta m = { "der", 0, NULL, NULL };

	if (classify(p, len) != DK_CERT) {
		sink_skip(s, "no certificate (DER structure that is not a certificate)");
		return;
	}
	sink_der(s, p, len, &m);
}

const struct reader reader_der = { "der", probe, rd, NULL, NULL, NULL, NULL, NULL };
