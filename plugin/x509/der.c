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

#include "der_walk.h"

struct strlist {
	char	**v;
	size_t	  n;
};

static int
walk_time(struct walk *w, struct cbs *validity, const char *what, int64_t *t)
{
	struct cbs v;
	unsigned int tag;

	if (!cbs_get_any_asn1(validity, &v, &tag))
		return der_elem_fail(w, validity, CBS_ASN1_UTCTIME, what);
	if (tag != CBS_ASN1_UTCTIME && tag != CBS_ASN1_GENERALIZEDTIME)
		return der_fail(w, "%s: not a UTCTime or GeneralizedTime (tag 0x%02x)",
		    what, tag);
	if (!asn1_time_parse((int)tag, cbs_data(&v), cbs_len(&v), t))
		return der_fail(w, "%s: not an RFC 5280 %s at byte %zu", what,
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

	if (!der_need(w, tbs, &s, CBS_ASN1_INTEGER, "serialNumber"))
		return 0;
	p = cbs_data(&s);
	n = cbs_len(&s);
	if (n == 0)
		return der_fail(w, "serialNumber: empty INTEGER at byte %zu",
		    cbs_offset(&s));
	if (n > 1 && ((p[0] == 0x00 && (p[1] & 0x80) == 0) ||
	    (p[0] == 0xff && (p[1] & 0x80) != 0)))
		return der_fail(w, "serialNumber: non-minimal INTEGER at byte %zu",
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

	if (!der_need(w, octets, &seq, CBS_ASN1_SEQUENCE, "subjectAltName") ||
	    !der_need_end(w, octets, "subjectAltName"))
		return 0;
	while (cbs_len(&seq) > 0) {
		if (!cbs_get_any_asn1(&seq, &gn, &tag))
			return der_elem_fail(w, &seq, CBS_ASN1_CONTEXT | 2, "subjectAltName");
		switch (tag) {
		case 0xa0: case 0x81: case 0xa3: case 0xa4:	/* other, rfc822, */
		case 0xa5: case 0x86: case 0x87: case 0x88:	/* x400, dir, ... */
			continue;
		case 0x82:					/* dNSName */
			break;
		default:
			return der_fail(w, "subjectAltName: unknown GeneralName tag "
			    "0x%02x at byte %zu", tag, cbs_offset(&gn) - 2);
		}
		t = 3 * cbs_len(&gn) + 1 <= sizeof(tmp) ? tmp :
		    xmalloc(3 * cbs_len(&gn) + 1);
		r = der_string_utf8(tag, &gn, t, &end);
		v = r == 1 && dns != NULL ? xstrndup(t, (size_t)(end - t)) : NULL;
		if (t != tmp)
			free(t);
		if (r != 1)
			return der_fail(w, "subjectAltName: invalid dNSName");
		if (dns == NULL)
			continue;	/* checked only */
		dns->v = xreallocarray(dns->v, dns->n + 1, sizeof(*dns->v));
		dns->v[dns->n++] = v;
	}
	return 1;
}

/* An optional [num] EXPLICIT wrapper around one element of tag inner:
 * *present says whether it was there, out is the element's contents. */
static int
der_explicit(struct walk *w, struct cbs *c, unsigned int num, unsigned int inner,
    struct cbs *out, int *present, const char *what)
{
	struct cbs wrap;

	*present = 0;
	if (!cbs_get_optional_asn1(c, &wrap, present,
	    CBS_ASN1_CONTEXT | CBS_ASN1_CONSTRUCTED | num))
		return der_elem_fail(w, c, 0xa0 | num, what);
	return !*present ||
	    (der_need(w, &wrap, out, inner, what) && der_need_end(w, &wrap, what));
}

/* Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension */
static int
walk_extensions(struct walk *w, struct cbs *tbs, struct strlist *dns)
{
	static const unsigned char san_oid[] = { 0x55, 0x1d, 0x11 };
	struct cbs exts, ext, oid, crit, val;
	int present, have_crit, seen_san = 0;

	if (!der_explicit(w, tbs, 3, CBS_ASN1_SEQUENCE, &exts, &present, "extensions"))
		return 0;
	if (!present)
		return 1;
	while (cbs_len(&exts) > 0) {
		if (!der_need(w, &exts, &ext, CBS_ASN1_SEQUENCE, "extension") ||
		    !der_need(w, &ext, &oid, CBS_ASN1_OBJECT, "extension"))
			return 0;
		if (!cbs_get_optional_asn1(&ext, &crit, &have_crit, CBS_ASN1_BOOLEAN))
			return der_elem_fail(w, &ext, CBS_ASN1_BOOLEAN, "extension");
		if (have_crit && cbs_len(&crit) != 1)
			return der_fail(w, "extension: invalid BOOLEAN at byte %zu",
			    cbs_offset(&crit));
		if (!der_need(w, &ext, &val, CBS_ASN1_OCTETSTRING, "extension") ||
		    !der_need_end(w, &ext, "extension"))
			return 0;
		if (cbs_len(&oid) != sizeof(san_oid) ||
		    memcmp(cbs_data(&oid), san_oid, sizeof(san_oid)) != 0)
			continue;
		if (seen_san++)
			return der_fail(w, "duplicate subjectAltName extension");
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
		return der_fail(w, "empty input");
	if (!der_need(w, &top, &cert, CBS_ASN1_SEQUENCE, "Certificate"))
		return 0;
	if (cbs_len(&top) != 0)
		return der_fail(w, "trailing %zu bytes after the certificate",
		    cbs_len(&top));
	if (!der_need(w, &cert, &t, CBS_ASN1_SEQUENCE, "tbsCertificate") ||
	    !der_need(w, &cert, &alg, CBS_ASN1_SEQUENCE, "signatureAlgorithm") ||
	    !der_need(w, &cert, &sig, CBS_ASN1_BITSTRING, "signatureValue") ||
	    !der_need_end(w, &cert, "Certificate"))
		return 0;
	if (cbs_len(&sig) == 0 || cbs_data(&sig)[0] > 7)
		return der_fail(w, "signatureValue: invalid BIT STRING at byte %zu",
		    cbs_offset(&sig));
	*tbs = t;
	return 1;
}

static int
walk_version(struct walk *w, struct cbs *tbs)
{
	struct cbs v;
	int present;

	if (!der_explicit(w, tbs, 0, CBS_ASN1_INTEGER, &v, &present, "version"))
		return 0;
	if (!present)
		return 1;
	if (cbs_len(&v) != 1 || cbs_data(&v)[0] > 2)
		return der_fail(w, "version: unsupported at byte %zu", cbs_offset(&v));
	return 1;
}

int
der_cert_walk(const unsigned char *der, size_t len, struct certinfo *ci,
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
	    !walk_serial(&w, &tbs, &serial) ||
	    !der_need(&w, &tbs, &alg, CBS_ASN1_SEQUENCE, "signature") ||
	    !der_need(&w, &tbs, &issuer, CBS_ASN1_SEQUENCE, "issuer") ||
	    !der_need(&w, &tbs, &validity, CBS_ASN1_SEQUENCE, "validity") ||
	    !der_need(&w, &tbs, &subject, CBS_ASN1_SEQUENCE, "subject") ||
	    !der_need(&w, &tbs, &spki, CBS_ASN1_SEQUENCE, "subjectPublicKeyInfo"))
		goto out;
	if (!walk_time(&w, &validity, "notBefore", &nb) ||
	    !walk_time(&w, &validity, "notAfter", &na) ||
	    !der_need_end(&w, &validity, "validity"))
		goto out;
	if (!cbs_get_optional_asn1(&tbs, &uid, &present, CBS_ASN1_CONTEXT | 1)) {
		der_elem_fail(&w, &tbs, 0x81, "issuerUniqueID");
		goto out;
	}
	if (!cbs_get_optional_asn1(&tbs, &uid, &present, CBS_ASN1_CONTEXT | 2)) {
		der_elem_fail(&w, &tbs, 0x82, "subjectUniqueID");
		goto out;
	}
	if (!walk_extensions(&w, &tbs, &dns) ||
	    !der_need_end(&w, &tbs, "tbsCertificate"))
		goto out;
	if (!der_walk_name(&w, &issuer, "issuer", &iss, NULL) ||
	    !der_walk_name(&w, &subject, "subject", &sub, &cn))
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

	*have_subject = der_need(w, tbs, subject, CBS_ASN1_SEQUENCE, "subject");
	if (!*have_subject) {
		der_note(w, "%s", w->err);
		return;
	}
	if (!der_need(w, tbs, &spki, CBS_ASN1_SEQUENCE, "subjectPublicKeyInfo") ||
	    (!cbs_get_optional_asn1(tbs, &uid, &present, CBS_ASN1_CONTEXT | 1) &&
	    !der_elem_fail(w, tbs, 0x81, "issuerUniqueID")) ||
	    (!cbs_get_optional_asn1(tbs, &uid, &present, CBS_ASN1_CONTEXT | 2) &&
	    !der_elem_fail(w, tbs, 0x82, "subjectUniqueID")) ||
	    !walk_extensions(w, tbs, dns) || !der_need_end(w, tbs, "tbsCertificate")) {
		der_note(w, "%s (the rest of tbsCertificate left out)", w->err);
		strlist_free(dns);
	}
}

/* A name for der_cert_salvage: NULL (noted) if it does not read. */
static char *
salvage_name(struct walk *w, struct cbs *name, const char *where, char **cn)
{
	char *dn = NULL;

	if (!der_walk_name(w, name, where, &dn, cn)) {
		der_note(w, "%s (the %s left out)", w->err, where);
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
		return der_fail(&w, "empty input");
	if (!der_need(&w, &top, &cert, CBS_ASN1_SEQUENCE, "Certificate") ||
	    !der_need(&w, &cert, &tbs, CBS_ASN1_SEQUENCE, "tbsCertificate"))
		return 0;
	if (cbs_len(&top) != 0)
		return der_fail(&w, "trailing %zu bytes after the certificate", cbs_len(&top));
	if (!der_need(&w, &cert, &alg, CBS_ASN1_SEQUENCE, "signatureAlgorithm") ||
	    !der_need(&w, &cert, &sig, CBS_ASN1_BITSTRING, "signatureValue") ||
	    !der_need_end(&w, &cert, "Certificate"))
		der_note(&w, "%s (not needed)", err);
	if (!walk_version(&w, &tbs))
		der_note(&w, "%s (read on)", err);
	if (!der_need(&w, &tbs, &s, CBS_ASN1_INTEGER, "serialNumber"))
		return 0;
	if (cbs_len(&s) > 0)
		serial = serial_text(cbs_data(&s), cbs_len(&s));
	else
		der_note(&w, "serialNumber: empty INTEGER (no serial)");
	if (!der_need(&w, &tbs, &alg, CBS_ASN1_SEQUENCE, "signature") ||
	    !der_need(&w, &tbs, &issuer, CBS_ASN1_SEQUENCE, "issuer") ||
	    !der_need(&w, &tbs, &validity, CBS_ASN1_SEQUENCE, "validity") ||
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
