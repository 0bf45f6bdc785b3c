/*
 * The one home of OpenSSL's certificate API: initialisation, SHA-256, and
 * a full parse of one DER certificate. ossl_cert_parse() is deliberately an
 * independent implementation of what der_cert_walk() produces (the test
 * suite compares both over every certificate it can find); it is used when
 * the walk refuses a certificate.
 *
 * Serial numbers as `openssl x509 -serial` prints them: upper-case hex of
 * the magnitude in whole bytes, with a leading '-' for a negative serial
 * (a few old roots: the DER bytes FF7F print as -81); both paths print the
 * same.
 */
#include "config.h"

/* SHA256_Init and friends (see ossl_sha256) */
#define OPENSSL_SUPPRESS_DEPRECATED

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "extern.h"

/* Called once, before any thread starts. */
void
ossl_init(void)
{
	OPENSSL_init_crypto(0, NULL);
}

/*
 * The identity hash. OpenSSL's SHA256_* functions run the same code as the
 * EVP digest without looking the algorithm up in the provider store: on a
 * run over one certificate that first lookup, which builds the store, cost
 * more than everything else the plugin does. They are deprecated in OpenSSL
 * 3; a build without deprecated functions uses EVP.
 */
void
ossl_sha256(const unsigned char *p, size_t len, unsigned char out[32])
{
#ifdef OPENSSL_NO_DEPRECATED_3_0
	if (!EVP_Digest(p, len, out, NULL, EVP_sha256(), NULL)) {
		memset(out, 0, 32);
		ERR_clear_error();
	}
#else
	SHA256_CTX c;

	if (!SHA256_Init(&c) || !SHA256_Update(&c, p, len) || !SHA256_Final(out, &c))
		memset(out, 0, 32);
#endif
}

/* Names the failed step and OpenSSL's reason, then clears the queue. */
static int
ossl_fail(char *err, size_t errlen, const char *what)
{
	unsigned long e = ERR_peek_last_error();
	const char *r = e != 0 ? ERR_reason_error_string(e) : NULL;

	snprintf(err, errlen, "%s: %s", what, r != NULL ? r : "failed");
	ERR_clear_error();
	return 0;
}

/* As `openssl x509 -serial` prints it: OpenSSL keeps the magnitude, and the
 * sign in the type. */
static char *
ossl_serial(const ASN1_INTEGER *ai)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *m = ASN1_STRING_get0_data(ai);
	int n = ASN1_STRING_length(ai), i;
	struct buf out = { 0 };

	if (n <= 0 || m == NULL)
		return xstrdup("00");
	if (ASN1_STRING_type(ai) == V_ASN1_NEG_INTEGER)
		buf_addc(&out, '-');
	for (i = 0; i < n; i++) {
		buf_addc(&out, hex[m[i] >> 4]);
		buf_addc(&out, hex[m[i] & 0x0f]);
	}
	return buf_release(&out);
}

/* An ASN1_STRING as valid UTF-8; U+0000 becomes U+FFFD. */
static char *
ossl_string(const ASN1_STRING *s)
{
	unsigned char *u = NULL;
	struct buf b = { 0 };
	char *r;
	int n, i;

	n = ASN1_STRING_to_UTF8(&u, s);
	if (n < 0) {
		ERR_clear_error();
		return utf8_repair(ASN1_STRING_get0_data(s),
		    (size_t)(ASN1_STRING_length(s) > 0 ? ASN1_STRING_length(s) : 0));
	}
	for (i = 0; i < n; i++) {
		if (u[i] == 0)
			buf_addstr(&b, "\xef\xbf\xbd");
		else
			buf_addc(&b, (char)u[i]);
	}
	OPENSSL_free(u);
	if (b.data != NULL && !utf8_valid((unsigned char *)b.data, b.len)) {
		r = utf8_repair((unsigned char *)b.data, b.len);
		buf_free(&b);
		return r;
	}
	return buf_release(&b);
}

static char *
ossl_oid(const ASN1_OBJECT *o)
{
	char small[128], *big;
	int n;

	n = OBJ_obj2txt(small, sizeof(small), o, 1);
	if (n < 0)
		return NULL;
	if ((size_t)n < sizeof(small))
		return xstrdup(small);
	big = xmalloc((size_t)n + 1);
	OBJ_obj2txt(big, n + 1, o, 1);
	return big;
}

static int
ossl_name(const X509_NAME *name, char **dn, char **cn)
{
	struct dn_attr *a;
	int *set, n, i, rc = 0;
	const X509_NAME_ENTRY *e;
	const char *last_cn = NULL;

	n = X509_NAME_entry_count(name);
	if (n < 0)
		return 0;
	a = xcalloc((size_t)n + 1, sizeof(*a));
	set = xcalloc((size_t)n + 1, sizeof(*set));
	for (i = 0; i < n; i++) {
		e = X509_NAME_get_entry(name, i);
		if (e == NULL)
			goto out;
		if ((a[i].oid = ossl_oid(X509_NAME_ENTRY_get_object(e))) == NULL)
			goto out;
		a[i].value = ossl_string(X509_NAME_ENTRY_get_data(e));
		set[i] = X509_NAME_ENTRY_set(e);
		if (strcmp(a[i].oid, "2.5.4.3") == 0)
			last_cn = a[i].value;	/* the most specific CN */
	}
	*dn = dn_format(a, set, (size_t)n);
	if (cn != NULL)
		*cn = last_cn != NULL ? xstrdup(last_cn) : NULL;
	rc = 1;
out:
	for (i = 0; i < n; i++) {
		free((char *)a[i].oid);
		free((char *)a[i].value);
	}
	free(a);
	free(set);
	return rc;
}

static int
ossl_time(const ASN1_TIME *t, int64_t *out)
{
	struct tm tm;

	if (t == NULL || !ASN1_TIME_to_tm(t, &tm))
		return 0;
	*out = timegm64(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
	return 1;
}

static void
ossl_dns(X509 *x, char ***dns, size_t *ndns)
{
	GENERAL_NAMES *gens;
	GENERAL_NAME *gn;
	ASN1_STRING *s;
	char **v = NULL;
	size_t n = 0;
	int i, type;

	gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	if (gens == NULL) {
		ERR_clear_error();
		return;
	}
	for (i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
		gn = sk_GENERAL_NAME_value(gens, i);
		s = GENERAL_NAME_get0_value(gn, &type);
		if (type != GEN_DNS || s == NULL)
			continue;
		v = xreallocarray(v, n + 1, sizeof(*v));
		v[n++] = ossl_string(s);
	}
	GENERAL_NAMES_free(gens);
	*dns = v;
	*ndns = n;
}

int
ossl_cert_parse(const unsigned char *der, size_t len, struct certinfo *ci,
    char *err, size_t errlen)
{
	const unsigned char *p = der;
	X509 *x = NULL;
	char *serial = NULL, *sub = NULL, *iss = NULL, *cn = NULL, **dns = NULL;
	size_t ndns = 0, i;
	int64_t nb, na;
	int rc = 0;

	if (len > LONG_MAX) {
		snprintf(err, errlen, "certificate too large");
		return 0;
	}
	if ((x = d2i_X509(NULL, &p, (long)len)) == NULL) {
		ossl_fail(err, errlen, "d2i_X509");
		goto out;
	}
	if (p != der + len) {
		snprintf(err, errlen, "trailing %zu bytes after the certificate",
		    (size_t)(der + len - p));
		goto out;
	}
	if (!ossl_time(X509_get0_notBefore(x), &nb)) {
		ossl_fail(err, errlen, "notBefore");
		goto out;
	}
	if (!ossl_time(X509_get0_notAfter(x), &na)) {
		ossl_fail(err, errlen, "notAfter");
		goto out;
	}
	if (!ossl_name(X509_get_subject_name(x), &sub, &cn)) {
		ossl_fail(err, errlen, "subject");
		goto out;
	}
	if (!ossl_name(X509_get_issuer_name(x), &iss, NULL)) {
		ossl_fail(err, errlen, "issuer");
		goto out;
	}
	serial = ossl_serial(X509_get0_serialNumber(x));
	ossl_dns(x, &dns, &ndns);
	ci->serial = serial;
	ci->subject = sub;
	ci->issuer = iss;
	ci->cn = cn;
	ci->dns = dns;
	ci->ndns = ndns;
	ci->not_before = nb;
	ci->has_not_before = 1;
	ci->not_after = na;
	serial = sub = iss = cn = NULL;
	dns = NULL;
	ndns = 0;
	rc = 1;
out:
	free(serial);
	free(sub);
	free(iss);
	free(cn);
	for (i = 0; i < ndns; i++)
		free(dns[i]);
	free(dns);
	X509_free(x);
	ERR_clear_error();
	return rc;
}
