/*
 * PKCS#12 (.pfx, .p12): recognised here, read through OpenSSL in ossl_p12.c.
 *
 *   PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo (data or
 *	signedData), macData MacData OPTIONAL }
 */
#include "config.h"

#include <string.h>

#include "extern.h"
#include "container.h"

static const unsigned char oid_pkcs7_data[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01
};
static const unsigned char oid_pkcs7_signed[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02
};

/*
 * SEQUENCE { INTEGER 3, SEQUENCE { OID pkcs7-data (or signedData) ...
 * A file cut inside that prefix is still claimed (the read then says it is
 * truncated): "30 .. 02 01 03 30" is specific enough.
 */
static int
pkcs12_probe(const unsigned char *p, size_t len)
{
	unsigned int tag;
	size_t hlen, clen, n;
	int indef;

	if (!cont_der_header(p, len, &tag, &hlen, &clen, &indef) || tag != 0x30)
		return 0;
	p += hlen;
	len -= hlen;
	if (len < 4 || memcmp(p, "\x02\x01\x03\x30", 4) != 0)
		return 0;
	p += 3;
	len -= 3;
	if (!cont_der_header(p, len, &tag, &hlen, &clen, &indef))
		return 1;			/* cut inside the header */
	p += hlen;
	len -= hlen;
	n = len < 2 + sizeof(oid_pkcs7_data) ? len : 2 + sizeof(oid_pkcs7_data);
	if (n == 0)
		return 1;
	if (p[0] != 0x06 || (n > 1 && p[1] != sizeof(oid_pkcs7_data)))
		return 0;
	if (n <= 2)
		return 1;
	return memcmp(p + 2, oid_pkcs7_data, n - 2) == 0 ||
	    memcmp(p + 2, oid_pkcs7_signed, n - 2) == 0;
}

static void
pkcs12_read(struct sink *s, const unsigned char *p, size_t len)
{
	size_t n;

	/* A cut file fails inside OpenSSL with an opaque ASN.1 error: say
	 * what it is first. */
	if ((n = cont_ber_len(p, len)) == 0) {
		unsigned int tag;
		size_t hlen, clen;
		int indef;

		if (cont_der_header(p, len, &tag, &hlen, &clen, &indef) && !indef &&
		    clen > len - hlen)
			sink_error(s, 0, "truncated PKCS#12: the file has %zu bytes, "
			    "its structure needs %zu", len, hlen + clen);
		else
			sink_error(s, 0, "truncated or damaged PKCS#12 (%zu bytes)", len);
		return;
	}
	if (n < len)
		sink_note(s, "%s: PKCS#12: %zu trailing bytes ignored",
		    sink_path(s), len - n);
	ossl_p12_read(s, p, n);
}

const struct reader reader_pkcs12 = { "pkcs12", pkcs12_probe, pkcs12_read, NULL, NULL, NULL };
