/*
 * bench-gen: writes the benchmark corpora, deterministically.
 *
 *   bench-gen DIR
 *
 * One RSA-2048 key signs one template certificate; every other certificate
 * is that template with its serial, notAfter and CN/DNS name bytes patched
 * in place. The signatures of the patched certificates are therefore
 * INVALID: that does not matter for expiry scanning (neither the plugin nor
 * the references verify signatures), and keeps generation at a few seconds.
 * The key is random (RSA key generation), but nothing that is measured
 * depends on it: every other byte is a function of the certificate number.
 *
 * DIR/pem/NN/cert-NNNNNN.pem   100,000 PEM files, 1,000 per folder
 * DIR/der/NN/cert-NNNNNN.der   100,000 DER files
 * DIR/bundle.pem               one PEM bundle of 100,000 certificates
 * DIR/one.pem                  one certificate
 * DIR/index.txt                1,000,000-row OpenSSL CA database
 * DIR/certutil.csv             1,000,000-row certutil -view csv export
 * DIR/.done                    written last: the corpora are complete
 *
 * Counts can be lowered for quick runs with BENCH_FILES and BENCH_ROWS.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#define CN_MARK		"host-QQQQQQQ.bench.example"
#define BASE_EPOCH	INT64_C(1767225600)	/* 2026-01-01T00:00:00Z */

static unsigned char	*tpl;
static size_t		 tpllen;
static size_t		 off_serial, off_after, off_cn[4];
static int		 ncn;

static void
die(const char *what)
{
	fprintf(stderr, "bench-gen: %s: %s\n", what, strerror(errno));
	exit(1);
}

static size_t
find(const unsigned char *p, size_t len, const void *needle, size_t n, size_t from)
{
	size_t i;

	for (i = from; i + n <= len; i++)
		if (memcmp(p + i, needle, n) == 0)
			return i;
	return (size_t)-1;
}

/* RFC 5280 UTCTime text: YYMMDDHHMMSSZ. */
static void
utctime(const struct tm *tm, char *s, size_t len)
{
	snprintf(s, len, "%02u%02u%02u%02u%02u%02uZ", (unsigned)tm->tm_year % 100u,
	    (unsigned)(tm->tm_mon + 1) % 100u, (unsigned)tm->tm_mday % 100u,
	    (unsigned)tm->tm_hour % 100u, (unsigned)tm->tm_min % 100u,
	    (unsigned)tm->tm_sec % 100u);
}

static void
add_rdn(X509_NAME *name, const char *field, const char *value)
{
	X509_NAME_add_entry_by_txt(name, field, MBSTRING_ASC, (const unsigned char *)value,
	    -1, -1, 0);
}

static void
add_ext(X509 *x, int nid, const char *value)
{
	X509_EXTENSION *e;
	X509V3_CTX ctx;

	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	if ((e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value)) == NULL) {
		fprintf(stderr, "bench-gen: extension %d\n", nid);
		exit(1);
	}
	X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
}

static void
make_template(void)
{
	static const unsigned char serial_mark[] = {
		0x4b, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
		0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0x01 };
	EVP_PKEY *key;
	X509 *x;
	X509_NAME *sn, *in;
	BIGNUM *bn;
	unsigned char *p;
	size_t o;
	int n;

	if ((key = EVP_RSA_gen(2048)) == NULL || (x = X509_new()) == NULL) {
		fprintf(stderr, "bench-gen: key\n");
		exit(1);
	}
	X509_set_version(x, 2);
	bn = BN_bin2bn(serial_mark, sizeof(serial_mark), NULL);
	BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x));
	BN_free(bn);
	ASN1_TIME_set_string(X509_getm_notBefore(x), "250101000000Z");
	ASN1_TIME_set_string(X509_getm_notAfter(x), "261231235959Z");
	sn = X509_get_subject_name(x);
	add_rdn(sn, "C", "DE");
	add_rdn(sn, "O", "Bench Corp");
	add_rdn(sn, "OU", "Servers");
	add_rdn(sn, "CN", CN_MARK);
	in = X509_get_issuer_name(x);
	add_rdn(in, "C", "DE");
	add_rdn(in, "O", "Bench Corp");
	add_rdn(in, "CN", "Bench Corp Issuing CA 2025");
	X509_set_pubkey(x, key);
	add_ext(x, NID_basic_constraints, "critical,CA:FALSE");
	add_ext(x, NID_key_usage, "critical,digitalSignature,keyEncipherment");
	add_ext(x, NID_ext_key_usage, "serverAuth,clientAuth");
	add_ext(x, NID_subject_key_identifier, "hash");
	add_ext(x, NID_subject_alt_name, "DNS:" CN_MARK ",DNS:www." CN_MARK);
	if (!X509_sign(x, key, EVP_sha256())) {
		fprintf(stderr, "bench-gen: sign\n");
		exit(1);
	}
	p = NULL;
	if ((n = i2d_X509(x, &p)) <= 0)
		exit(1);
	tpl = p;
	tpllen = (size_t)n;
	off_serial = find(tpl, tpllen, serial_mark, sizeof(serial_mark), 0);
	off_after = find(tpl, tpllen, "261231235959Z", 13, 0);
	for (o = 0; ncn < 4 && (o = find(tpl, tpllen, "QQQQQQQ", 7, o)) != (size_t)-1; o++)
		off_cn[ncn++] = o;
	if (off_serial == (size_t)-1 || off_after == (size_t)-1 || ncn != 3) {
		fprintf(stderr, "bench-gen: template markers not found\n");
		exit(1);
	}
	X509_free(x);
	EVP_PKEY_free(key);
}

/* Certificate number i of corpus c: notAfter spread over four years from
 * 2026-01-01, so that any --now sees expired, critical, warning and ok. */
static void
patch(unsigned char *d, unsigned c, unsigned i)
{
	char s[16];
	struct tm tm;
	time_t t = (time_t)(BASE_EPOCH + (int64_t)(i % 1461) * 86400 + (i % 86400));
	int k;

	d[off_serial + 1] = (unsigned char)c;
	d[off_serial + 12] = (unsigned char)(i >> 24);
	d[off_serial + 13] = (unsigned char)(i >> 16);
	d[off_serial + 14] = (unsigned char)(i >> 8);
	d[off_serial + 15] = (unsigned char)i;
	gmtime_r(&t, &tm);
	utctime(&tm, s, sizeof(s));
	memcpy(d + off_after, s, 13);
	snprintf(s, sizeof(s), "%07u", i);
	for (k = 0; k < ncn; k++)
		memcpy(d + off_cn[k], s, 7);
}

static size_t
pem_encode(const unsigned char *d, size_t n, char *out)
{
	static const char a[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i, o = 0, col = 0;
	uint32_t v;

	o += (size_t)sprintf(out, "-----BEGIN CERTIFICATE-----\n");
	for (i = 0; i < n; i += 3) {
		v = (uint32_t)d[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)d[i + 1] << 8;
		if (i + 2 < n)
			v |= d[i + 2];
		out[o++] = a[v >> 18];
		out[o++] = a[(v >> 12) & 63];
		out[o++] = i + 1 < n ? a[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < n ? a[v & 63] : '=';
		if ((col += 4) == 64) {
			out[o++] = '\n';
			col = 0;
		}
	}
	if (col)
		out[o++] = '\n';
	o += (size_t)sprintf(out + o, "-----END CERTIFICATE-----\n");
	return o;
}

static void
write_file(const char *path, const void *p, size_t n)
{
	FILE *f;

	if ((f = fopen(path, "wb")) == NULL || fwrite(p, 1, n, f) != n || fclose(f) != 0)
		die(path);
}

static void
mkdir_p(const char *path)
{
	if (mkdir(path, 0755) == -1 && errno != EEXIST)
		die(path);
}

static void
gen_files(const char *dir, const char *kind, unsigned c, unsigned nfiles, int pem)
{
	unsigned char *d = malloc(tpllen);
	char path[4096], *out = malloc(tpllen * 2 + 128);
	unsigned i;

	snprintf(path, sizeof(path), "%s/%s", dir, kind);
	mkdir_p(path);
	memcpy(d, tpl, tpllen);
	for (i = 0; i < nfiles; i++) {
		if (i % 1000 == 0) {
			snprintf(path, sizeof(path), "%s/%s/%03u", dir, kind, i / 1000);
			mkdir_p(path);
		}
		patch(d, c, i);
		snprintf(path, sizeof(path), "%s/%s/%03u/cert-%06u.%s", dir, kind, i / 1000, i,
		    kind);
		if (pem)
			write_file(path, out, pem_encode(d, tpllen, out));
		else
			write_file(path, d, tpllen);
	}
	free(d);
	free(out);
}

static void
gen_bundle(const char *dir, const char *name, unsigned c, unsigned n)
{
	unsigned char *d = malloc(tpllen);
	char path[4096], *out = malloc(tpllen * 2 + 128);
	FILE *f;
	unsigned i;
	size_t k;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "wb")) == NULL)
		die(path);
	memcpy(d, tpl, tpllen);
	for (i = 0; i < n; i++) {
		patch(d, c, i);
		k = pem_encode(d, tpllen, out);
		if (fwrite(out, 1, k, f) != k)
			die(path);
	}
	if (fclose(f) != 0)
		die(path);
	free(d);
	free(out);
}

static void
gen_index(const char *dir, unsigned rows)
{
	char path[4096], s[16];
	FILE *f;
	struct tm tm;
	time_t t;
	unsigned i;

	snprintf(path, sizeof(path), "%s/index.txt", dir);
	if ((f = fopen(path, "wb")) == NULL)
		die(path);
	for (i = 0; i < rows; i++) {
		t = (time_t)(BASE_EPOCH + (int64_t)(i % 1461) * 86400 + (i % 86400));
		gmtime_r(&t, &tm);
		utctime(&tm, s, sizeof(s));
		fprintf(f, "V\t%s\t\t%016X%08X\tunknown\t/C=DE/O=Bench Corp/OU=Servers/"
		    "CN=host-%07u.bench.example\n", s, 0x4b112233u, i, i);
	}
	if (fclose(f) != 0)
		die(path);
}

static void
gen_csv(const char *dir, unsigned rows)
{
	char path[4096];
	FILE *f;
	struct tm tm;
	time_t t;
	unsigned i;
	int h;

	snprintf(path, sizeof(path), "%s/certutil.csv", dir);
	if ((f = fopen(path, "wb")) == NULL)
		die(path);
	fprintf(f, "\"Issued Request ID\",\"Serial Number\",\"Issued Common Name\","
	    "\"Certificate Expiration Date\",\"Certificate Template\"\r\n");
	for (i = 0; i < rows; i++) {
		t = (time_t)(BASE_EPOCH + (int64_t)(i % 1461) * 86400 + (i % 1440) * 60);
		gmtime_r(&t, &tm);
		h = tm.tm_hour % 12 == 0 ? 12 : tm.tm_hour % 12;
		fprintf(f, "\"%u\",\"61%08x%08x\",\"host-%07u.bench.example\","
		    "\"%d/%d/%d %d:%02d %s\",\"WebServer\"\r\n", i + 2, 0x4b1122u, i, i,
		    tm.tm_mon + 1, tm.tm_mday, tm.tm_year + 1900, h, tm.tm_min,
		    tm.tm_hour < 12 ? "AM" : "PM");
	}
	if (fclose(f) != 0)
		die(path);
}

static unsigned
env_count(const char *name, unsigned def)
{
	const char *s = getenv(name);
	unsigned long v;
	char *end;

	if (s == NULL || *s == '\0')
		return def;
	v = strtoul(s, &end, 10);
	return *end == '\0' && v > 0 && v < 100000000 ? (unsigned)v : def;
}

int
main(int argc, char **argv)
{
	unsigned nfiles = env_count("BENCH_FILES", 100000);
	unsigned nrows = env_count("BENCH_ROWS", 1000000);
	char path[4096];

	if (argc != 2) {
		fprintf(stderr, "usage: bench-gen DIR\n");
		return 2;
	}
	mkdir_p(argv[1]);
	make_template();
	fprintf(stderr, "bench-gen: template certificate of %zu bytes (RSA-2048)\n", tpllen);
	gen_files(argv[1], "pem", 1, nfiles, 1);
	gen_files(argv[1], "der", 2, nfiles, 0);
	gen_bundle(argv[1], "bundle.pem", 3, nfiles);
	gen_bundle(argv[1], "one.pem", 4, 1);
	gen_index(argv[1], nrows);
	gen_csv(argv[1], nrows);
	snprintf(path, sizeof(path), "%s/.done", argv[1]);
	write_file(path, "1\n", 2);
	return 0;
}
