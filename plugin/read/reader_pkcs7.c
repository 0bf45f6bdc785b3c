/*
 * PKCS#7 / CMS certs-only (.p7b, .p7c, "openssl crl2pkcs7 -nocrl", Windows
 * "export chain"): every certificate of SignedData.certificates.
 *
 *   ContentInfo ::= SEQUENCE {
 *	contentType	OBJECT IDENTIFIER (1.2.840.113549.1.7.2),
 *	content		[0] EXPLICIT SignedData }
 *   SignedData ::= SEQUENCE {
 *	version			INTEGER,
 *	digestAlgorithms	SET OF AlgorithmIdentifier,
 *	encapContentInfo	SEQUENCE,
 *	certificates		[0] IMPLICIT SET OF CertificateChoices OPTIONAL,
 *	crls			[1] IMPLICIT ... OPTIONAL,
 *	signerInfos		SET OF SignerInfo }
 *
 * A hand-written bounded walk, no OpenSSL. BER indefinite lengths are
 * accepted for the containers (some Java and Windows tools write them). A
 * structure cut short still yields the certificates that are complete
 * before the cut, then an error.
 */
#include "config.h"

#include <string.h>

#include "extern.h"
#include "container.h"

#define BER_MAX_DEPTH	32

static const unsigned char oid_signed_data[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02
};

/* A bounded cursor; cur_skip() and cur_enter() are the only places that
 * advance it. */
struct cur {
	const unsigned char	*p;
	size_t			 len;
};

int
cont_der_header(const unsigned char *p, size_t len, unsigned int *tag,
    size_t *hlen, size_t *clen, int *indef)
{
	size_t i, k, l;

	if (len < 2 || (p[0] & 0x1f) == 0x1f)
		return 0;
	if (p[1] < 0x80) {
		*tag = p[0];
		*hlen = 2;
		*clen = p[1];
		*indef = 0;
		return 1;
	}
	if (p[1] == 0x80) {
		if ((p[0] & 0x20) == 0)		/* primitive: never indefinite */
			return 0;
		*tag = p[0];
		*hlen = 2;
		*clen = 0;
		*indef = 1;
		return 1;
	}
	k = p[1] & 0x7f;
	if (k > 4 || len - 2 < k)
		return 0;
	for (l = 0, i = 0; i < k; i++)
		l = (l << 8) | p[2 + i];
	*tag = p[0];
	*hlen = 2 + k;
	*clen = l;
	*indef = 0;
	return 1;
}

static size_t
ber_len(const unsigned char *p, size_t len, int depth)
{
	unsigned int tag;
	size_t hlen, clen, off, n;
	int indef;

	if (depth > BER_MAX_DEPTH || !cont_der_header(p, len, &tag, &hlen, &clen, &indef))
		return 0;
	if (!indef)
		return clen > len - hlen ? 0 : hlen + clen;
	for (off = hlen; off < len;) {
		if (len - off >= 2 && p[off] == 0 && p[off + 1] == 0)
			return off + 2;
		if ((n = ber_len(p + off, len - off, depth + 1)) == 0)
			return 0;
		off += n;
	}
	return 0;
}

size_t
cont_ber_len(const unsigned char *p, size_t len)
{
	return ber_len(p, len, 0);
}

/* Skips one whole element. */
static int
cur_skip(struct cur *c)
{
	size_t n;

	if ((n = ber_len(c->p, c->len, 0)) == 0)
		return 0;
	c->p += n;
	c->len -= n;
	return 1;
}

/*
 * Enters the element at c with the wanted tag: *in gets its contents, c moves
 * past it. When the element claims more bytes than are left, *in gets what
 * is there, *cut is set and c becomes empty.
 */
static int
cur_enter(struct cur *c, unsigned int want, struct cur *in, int *cut)
{
	unsigned int tag;
	size_t hlen, clen, n;
	int indef;

	if (!cont_der_header(c->p, c->len, &tag, &hlen, &clen, &indef) || tag != want)
		return 0;
	in->p = c->p + hlen;
	if (indef) {
		/* Contents end at the end-of-contents octets. */
		in->len = c->len - hlen;
		if ((n = ber_len(c->p, c->len, 0)) == 0) {
			*cut = 1;
			c->p += c->len;
			c->len = 0;
		} else {
			in->len = n - hlen - 2;
			c->p += n;
			c->len -= n;
		}
		return 1;
	}
	if (clen > c->len - hlen) {
		*cut = 1;
		in->len = c->len - hlen;
		c->p += c->len;
		c->len = 0;
		return 1;
	}
	in->len = clen;
	c->p += hlen + clen;
	c->len -= hlen + clen;
	return 1;
}

static int
pkcs7_probe(const unsigned char *p, size_t len)
{
	unsigned int tag;
	size_t hlen, clen;
	int indef;

	if (!cont_der_header(p, len, &tag, &hlen, &clen, &indef) || tag != 0x30)
		return 0;
	p += hlen;
	len -= hlen;
	/* A file cut inside the OID is claimed when what is there matches
	 * (the read says it is truncated). */
	if (len < 4 || p[0] != 0x06 || p[1] != sizeof(oid_signed_data))
		return 0;
	if (len > 2 + sizeof(oid_signed_data))
		len = 2 + sizeof(oid_signed_data);
	return memcmp(p + 2, oid_signed_data, len - 2) == 0;
}

/* The other PKCS#7 content types (1.2.840.113549.1.7.N), or NULL. */
static const char *
other_type(const struct cur *oid)
{
	static const char *const names[] = { NULL, "data", NULL, "EnvelopedData",
		"SignedAndEnvelopedData", "DigestedData", "EncryptedData" };

	if (oid->len != sizeof(oid_signed_data) ||
	    memcmp(oid->p, oid_signed_data, sizeof(oid_signed_data) - 1) != 0 ||
	    oid->p[oid->len - 1] >= sizeof(names) / sizeof(names[0]))
		return NULL;
	return names[oid->p[oid->len - 1]];
}

/*
 * Walks ContentInfo down to the certificates [0]; *certs is empty when the
 * field is absent. Returns 2 for another PKCS#7 content type (noted). On failure, reports malformed structure itself, but
 * leaves a cut (*cut set) to the caller.
 */
static int
pkcs7_find_certs(struct sink *s, long record, struct cur *c, struct cur *certs,
    int *cut)
{
	struct cur ci, oid, content, sd;
	const char *name;

	certs->p = NULL;
	certs->len = 0;
	if (!cur_enter(c, 0x30, &ci, cut) || !cur_enter(&ci, 0x06, &oid, cut) ||
	    oid.len != sizeof(oid_signed_data) ||
	    memcmp(oid.p, oid_signed_data, sizeof(oid_signed_data)) != 0) {
		if (!*cut && (name = other_type(&oid)) != NULL) {
			/* well-formed, of a type that lists no certificates
			 * to check (a PayPal button's encrypted form field);
			 * the DER reader skips such content infos too */
			sink_note(s, "PKCS#7 %s (line %ld), not SignedData: no "
			    "certificates read from it", name, record);
			return 2;
		}
		if (!*cut)
			sink_error(s, record, "PKCS#7: not a SignedData ContentInfo");
		return 0;
	}
	/* content [0], SignedData, then version, digestAlgorithms and
	 * encapContentInfo */
	if (!cur_enter(&ci, 0xa0, &content, cut) ||
	    !cur_enter(&content, 0x30, &sd, cut) ||
	    !cur_skip(&sd) || !cur_skip(&sd) || !cur_skip(&sd)) {
		if (!*cut)
			sink_error(s, record, "PKCS#7: malformed SignedData");
		return 0;
	}
	if (sd.len == 0 || sd.p[0] != 0xa0)
		return 1;			/* no certificates field */
	if (!cur_enter(&sd, 0xa0, certs, cut)) {
		if (!*cut)
			sink_error(s, record, "PKCS#7: malformed certificates field");
		return 0;
	}
	return 1;
}

void
pkcs7_read_der(struct sink *s, const unsigned char *p, size_t len, long record)
{
	struct sink_cert_meta meta = { "pkcs7", record, NULL, NULL };
	struct cur c = { p, len }, certs;
	unsigned int tag;
	size_t hlen, clen, n, ncerts = 0, nother = 0, total = len;
	int indef, cut = 0, r;

	if ((r = pkcs7_find_certs(s, record, &c, &certs, &cut)) != 1) {
		if (r == 0 && cut)
			sink_error(s, record, "truncated PKCS#7 (%zu bytes): cut before "
			    "the certificates", total);
		return;
	}
	while (certs.len > 0) {
		if (certs.len >= 2 && certs.p[0] == 0 && certs.p[1] == 0)
			break;			/* end of an indefinite SET */
		if (!cont_der_header(certs.p, certs.len, &tag, &hlen, &clen, &indef) ||
		    (n = ber_len(certs.p, certs.len, 0)) == 0) {
			if (cut)
				sink_error(s, record, "truncated PKCS#7 (%zu bytes): "
				    "certificate %zu is cut off; %zu complete "
				    "certificate(s) before it", total,
				    ncerts + nother + 1, ncerts);
			else
				sink_error(s, record, "PKCS#7: malformed element %zu "
				    "in the certificates field", ncerts + nother + 1);
			return;
		}
		if (tag == 0x30) {
			ncerts++;
			(void)sink_der(s, certs.p, n, &meta);
		} else {
			nother++;
			sink_note(s, "%s: PKCS#7: skipped a non-X.509 certificate "
			    "choice (tag 0x%02x)", sink_path(s), tag);
		}
		certs.p += n;
		certs.len -= n;
	}
	if (cut) {
		sink_error(s, record, "truncated PKCS#7 (%zu bytes): cut after %zu "
		    "certificate(s)", total, ncerts);
		return;
	}
	if (ncerts == 0) {
		sink_error(s, record, "PKCS#7 SignedData holds no certificates");
		return;
	}
	if (record == 0 && c.len > 0)
		sink_note(s, "%s: PKCS#7: %zu trailing bytes ignored",
		    sink_path(s), c.len);
}

static void
pkcs7_read(struct sink *s, const unsigned char *p, size_t len)
{
	pkcs7_read_der(s, p, len, 0);
}

const struct reader reader_pkcs7 = { "pkcs7", pkcs7_probe, pkcs7_read, NULL, NULL, NULL };
