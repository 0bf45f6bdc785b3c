/*
 * Unit tests of the container readers (JKS/JCEKS, PKCS#7, PKCS#12) through
 * the plugin's own sink (tests/container-sink.c): hand-made keystores and
 * PKCS#7 structures around a real certificate, every cut point of real
 * files, a damaged MAC.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "extern.h"
#include "container.h"
#include "container-sink.h"
#include "tests/tap.h"

static unsigned char *cert;	/* tests/data/container/ca.der */
static size_t certlen;

static int
load(const char *name, unsigned char **p, size_t *len)
{
	const char *top = getenv("TOP_SRCDIR");
	char path[4096], err[256];

	snprintf(path, sizeof(path), "%s/tests/data/container/%s", top ? top : ".", name);
	if (!read_file(path, 1 << 24, p, len, err, sizeof(err))) {
		printf("# %s: %s\n", path, err);
		return 0;
	}
	return 1;
}

/* ------------------------------------------------------------ byte builder */
static void
put_u16(struct buf *b, unsigned int v)
{
	buf_addc(b, (char)(v >> 8));
	buf_addc(b, (char)v);
}

static void
put_u32(struct buf *b, uint32_t v)
{
	put_u16(b, v >> 16);
	put_u16(b, v & 0xffff);
}

static void
put_utf(struct buf *b, const char *s, size_t n)
{
	put_u16(b, (unsigned int)n);
	buf_add(b, s, n);
}

static void
put_cert(struct buf *b, int version, const char *type)
{
	if (version == 2)
		put_utf(b, type, strlen(type));
	put_u32(b, (uint32_t)certlen);
	buf_add(b, cert, certlen);
}

static void
put_entry_head(struct buf *b, uint32_t tag, const char *alias, size_t aliaslen)
{
	put_u32(b, tag);
	put_utf(b, alias, aliaslen);
	put_u32(b, 0x0000019a);		/* creation time, ms */
	put_u32(b, 0x12345678);
}

/* JKS v2: "ca" trusted, "key" with a 2-certificate chain, "last" trusted. */
static void
make_jks(struct buf *b, uint32_t magic, int version)
{
	put_u32(b, magic);
	put_u32(b, (uint32_t)version);
	put_u32(b, 3);
	put_entry_head(b, 2, "ca", 2);
	put_cert(b, version, "X.509");
	put_entry_head(b, 1, "key", 3);
	put_u32(b, 5);
	buf_add(b, "\x01\x02\x03\x04\x05", 5);	/* "encrypted key" */
	put_u32(b, 2);
	put_cert(b, version, "X.509");
	put_cert(b, version, "X.509");
	put_entry_head(b, 2, "last", 4);
	put_cert(b, version, "X.509");
	buf_add(b, "01234567890123456789", 20);	/* integrity hash */
}

static void
run(struct csink *s, const char *name, const void *p, size_t len, const char *pw)
{
	csink_init(s, name, pw);
	if (!csink_read(s, p, len))
		printf("# %s: no container reader claims it\n", name);
}

static void
test_jks(void)
{
	struct buf b = { 0 };
	struct csink s;
	size_t cut, maxc;
	int bad;

	make_jks(&b, 0xfeedfeed, 2);
	ok(reader_jks.probe((unsigned char *)b.data, b.len), "jks: probe accepts FEEDFEED v2");
	ok(!reader_pkcs12.probe((unsigned char *)b.data, b.len) &&
	    !reader_pkcs7.probe((unsigned char *)b.data, b.len),
	    "jks: other container probes refuse it");
	run(&s, "a.jks", b.data, b.len, NULL);
	ok(s.ncerts == 4 && s.nerrors == 0, "jks v2: 4 certificates, no error (%zu, %zu)",
	    s.ncerts, s.nerrors);
	if (s.ncerts == 4) {
		is_str(s.certs[0].alias, "ca", "jks: alias of entry 1");
		ok(s.certs[0].record == 1 && s.certs[1].record == 2 &&
		    s.certs[2].record == 2 && s.certs[3].record == 3,
		    "jks: records are entry indices");
		is_str(s.certs[2].alias, "key", "jks: chain certificates carry the key alias");
		is_str(s.certs[0].format, "jks", "jks: format");
	}
	ok(s.nnotes > 0 && strstr(s.notes[0], "not verified") != NULL,
	    "jks: note says the integrity hash was not verified");
	csink_free(&s);

	/* every cut point: never a crash, never more certificates, an error */
	bad = 0;
	maxc = 0;
	for (cut = 0; cut < b.len; cut++) {
		unsigned char *copy = xmalloc(cut ? cut : 1);

		memcpy(copy, b.data, cut);
		csink_init(&s, "cut.jks", NULL);
		if (reader_jks.probe(copy, cut)) {
			csink_run(&s, &reader_jks, copy, cut);
			if (s.nerrors == 0 || s.ncerts > 4)
				bad++;
			if (s.ncerts > maxc)
				maxc = s.ncerts;
		}
		csink_free(&s);
		free(copy);
	}
	ok(bad == 0, "jks: every cut point gives an error (%d bad)", bad);
	ok(maxc == 4, "jks: cut in the hash still reports the 4 certificates");
	buf_free(&b);

	/* version 1: no certificate type strings */
	make_jks(&b, 0xfeedfeed, 1);
	run(&s, "v1.jks", b.data, b.len, NULL);
	ok(s.ncerts == 4 && s.nerrors == 0, "jks v1: 4 certificates");
	csink_free(&s);
	buf_free(&b);

	/* JCEKS */
	make_jks(&b, 0xcececece, 2);
	run(&s, "a.jceks", b.data, b.len, NULL);
	ok(s.ncerts == 4 && s.nerrors == 0 && strcmp(s.certs[0].format, "jceks") == 0,
	    "jceks: 4 certificates, format jceks");
	csink_free(&s);
	buf_free(&b);

	/* version 3 is not a keystore we know */
	make_jks(&b, 0xfeedfeed, 3);
	ok(!reader_jks.probe((unsigned char *)b.data, b.len), "jks: probe refuses version 3");
	buf_free(&b);

	/* entry 2's certificate length past the end */
	put_u32(&b, 0xfeedfeed);
	put_u32(&b, 2);
	put_u32(&b, 2);
	put_entry_head(&b, 2, "first", 5);
	put_cert(&b, 2, "X.509");
	put_entry_head(&b, 2, "second", 6);
	put_utf(&b, "X.509", 5);
	put_u32(&b, 0x7ffffff0);
	buf_add(&b, cert, 100);
	run(&s, "long.jks", b.data, b.len, NULL);
	ok(s.ncerts == 1, "jks: certificate before the bad entry reported");
	ok(csink_error_has(&s, "long.jks:2: jks entry 2 (\"second\"): certificate "
	    "length 2147483632 goes past the end"), "jks: error names file, entry, alias");
	csink_free(&s);
	buf_free(&b);

	/* an absurd entry count ends at the end of the data */
	put_u32(&b, 0xfeedfeed);
	put_u32(&b, 2);
	put_u32(&b, 0xffffffff);
	put_entry_head(&b, 2, "only", 4);
	put_cert(&b, 2, "X.509");
	run(&s, "count.jks", b.data, b.len, NULL);
	ok(s.ncerts == 1 && csink_error_has(&s, "entry 2: truncated"),
	    "jks: huge entry count: one certificate, then truncated");
	csink_free(&s);
	buf_free(&b);

	/* JCEKS secret-key entry: cannot be skipped */
	put_u32(&b, 0xcececece);
	put_u32(&b, 2);
	put_u32(&b, 2);
	put_entry_head(&b, 2, "ca", 2);
	put_cert(&b, 2, "X.509");
	put_entry_head(&b, 3, "aes", 3);
	buf_add(&b, "\xac\xed\x00\x05", 4);
	run(&s, "secret.jceks", b.data, b.len, NULL);
	ok(s.ncerts == 1 && csink_error_has(&s, "secret-key entry"),
	    "jceks: secret-key entry: certificates before it, then an error");
	csink_free(&s);
	buf_free(&b);

	/* modified UTF-8 alias (U+1F600 as two surrogates, NUL as C0 80) and a
	 * certificate of another type */
	put_u32(&b, 0xfeedfeed);
	put_u32(&b, 2);
	put_u32(&b, 2);
	put_entry_head(&b, 2, "a\xed\xa0\xbd\xed\xb8\x80\xc0\x80z", 10);
	put_cert(&b, 2, "X.509");
	put_entry_head(&b, 2, "pgp", 3);
	put_cert(&b, 2, "PGP");
	buf_add(&b, "01234567890123456789", 20);
	run(&s, "utf.jks", b.data, b.len, NULL);
	ok(s.ncerts == 1 && s.nerrors == 0, "jks: non-X.509 certificate skipped, no error");
	if (s.ncerts == 1)
		ok(memcmp(s.certs[0].alias, "a\xf0\x9f\x98\x80", 5) == 0 &&
		    utf8_valid((unsigned char *)s.certs[0].alias, strlen(s.certs[0].alias)),
		    "jks: modified UTF-8 alias decoded to UTF-8");
	csink_free(&s);
	buf_free(&b);

	/* only keys without chain: skipped, not an error */
	put_u32(&b, 0xfeedfeed);
	put_u32(&b, 2);
	put_u32(&b, 1);
	put_entry_head(&b, 1, "k", 1);
	put_u32(&b, 0);
	put_u32(&b, 0);
	buf_add(&b, "01234567890123456789", 20);
	run(&s, "empty.jks", b.data, b.len, NULL);
	ok(s.ncerts == 0 && s.nerrors == 0 && s.nskips == 1,
	    "jks: no certificate at all: skipped");
	csink_free(&s);
	buf_free(&b);
}

/* ------------------------------------------------------------------ PKCS#7 */
static void
put_hdr(struct buf *b, unsigned int tag, size_t len)
{
	buf_addc(b, (char)tag);
	if (len < 0x80)
		buf_addc(b, (char)len);
	else if (len < 0x100) {
		buf_addc(b, (char)0x81);
		buf_addc(b, (char)len);
	} else {
		buf_addc(b, (char)0x82);
		put_u16(b, (unsigned int)len);
	}
}

static const char oid_sd[] = "\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02";
static const char oid_data[] = "\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x01";

/* certs-only SignedData holding the given certificates set contents; with
 * indef, every container uses BER indefinite lengths. */
static void
make_p7(struct buf *out, const struct buf *set, int with_certs, int indef)
{
	struct buf sd = { 0 }, ct = { 0 };

	buf_add(&sd, "\x02\x01\x01\x31\x00", 5);
	put_hdr(&sd, 0x30, 11);
	buf_add(&sd, oid_data, 11);
	if (with_certs) {
		if (indef) {
			buf_add(&sd, "\xa0\x80", 2);
			buf_add(&sd, set->data, set->len);
			buf_add(&sd, "\0\0", 2);
		} else {
			put_hdr(&sd, 0xa0, set->len);
			buf_add(&sd, set->data, set->len);
		}
	}
	buf_add(&sd, "\x31\x00", 2);
	if (indef) {
		buf_add(&ct, "\x30\x80", 2);
		buf_add(&ct, oid_sd, 11);
		buf_add(&ct, "\xa0\x80\x30\x80", 4);
		buf_add(&ct, sd.data, sd.len);
		buf_add(&ct, "\0\0\0\0\0\0", 6);
	} else {
		struct buf c0 = { 0 }, sq = { 0 };

		put_hdr(&sq, 0x30, sd.len);
		buf_add(&sq, sd.data, sd.len);
		put_hdr(&c0, 0xa0, sq.len);
		buf_add(&c0, sq.data, sq.len);
		put_hdr(&ct, 0x30, 11 + c0.len);
		buf_add(&ct, oid_sd, 11);
		buf_add(&ct, c0.data, c0.len);
		buf_free(&c0);
		buf_free(&sq);
	}
	buf_add(out, ct.data, ct.len);
	buf_free(&sd);
	buf_free(&ct);
}

static void
test_pkcs7(void)
{
	struct buf set = { 0 }, b = { 0 };
	struct csink s;
	unsigned char *p;
	size_t len, cut;
	int bad, i;

	buf_add(&set, cert, certlen);
	buf_add(&set, cert, certlen);
	buf_add(&set, cert, certlen);
	make_p7(&b, &set, 1, 0);
	ok(reader_pkcs7.probe((unsigned char *)b.data, b.len) &&
	    !reader_pkcs12.probe((unsigned char *)b.data, b.len) &&
	    !reader_jks.probe((unsigned char *)b.data, b.len), "pkcs7: probe");
	run(&s, "a.p7b", b.data, b.len, NULL);
	ok(s.ncerts == 3 && s.nerrors == 0, "pkcs7: 3 certificates");
	csink_free(&s);

	/* cut points: complete certificates before the cut, and an error */
	bad = 0;
	for (cut = 1; cut < b.len; cut++) {
		size_t want = 0;
		size_t start = b.len - 2 - 3 * certlen;	/* first certificate */

		for (i = 1; i <= 3; i++)
			if (cut >= start + i * certlen)
				want = (size_t)i;
		csink_init(&s, "cut.p7b", NULL);
		if (reader_pkcs7.probe((unsigned char *)b.data, cut))
			csink_run(&s, &reader_pkcs7, (unsigned char *)b.data, cut);
		else if (cut >= 8)
			bad++;
		if (cut >= 8 && (s.nerrors != 1 || s.ncerts != want ||
		    strstr(s.errors[0], "truncated PKCS#7") == NULL)) {
			if (bad++ < 3)
				printf("# cut %zu: %zu certs (want %zu), %zu errors\n",
				    cut, s.ncerts, want, s.nerrors);
		}
		csink_free(&s);
	}
	ok(bad == 0, "pkcs7: every cut point: complete certificates and one error");
	buf_free(&b);

	make_p7(&b, &set, 1, 1);
	run(&s, "indef.p7b", b.data, b.len, NULL);
	ok(s.ncerts == 3 && s.nerrors == 0, "pkcs7: BER indefinite lengths: 3 certificates");
	csink_free(&s);
	buf_free(&b);

	make_p7(&b, &set, 0, 0);
	run(&s, "none.p7b", b.data, b.len, NULL);
	ok(s.ncerts == 0 && csink_error_has(&s, "none.p7b: PKCS#7 SignedData holds "
	    "no certificates"), "pkcs7: no certificates field: error naming the file");
	csink_free(&s);
	buf_free(&b);

	buf_free(&set);
	make_p7(&b, &set, 1, 0);
	run(&s, "empty.p7b", b.data, b.len, NULL);
	ok(s.ncerts == 0 && csink_error_has(&s, "holds no certificates"),
	    "pkcs7: empty certificates set: error");
	csink_free(&s);
	buf_free(&b);

	/* an attribute certificate ([2]) beside a certificate */
	buf_add(&set, "\xa2\x03\x02\x01\x00", 5);
	buf_add(&set, cert, certlen);
	make_p7(&b, &set, 1, 0);
	buf_add(&b, "junk", 4);
	run(&s, "other.p7b", b.data, b.len, NULL);
	ok(s.ncerts == 1 && s.nerrors == 0 && s.nnotes == 2,
	    "pkcs7: other certificate choice and trailing bytes: notes");
	csink_free(&s);
	buf_free(&b);
	buf_free(&set);

	/* a certificate that is not one: the sink's error */
	buf_add(&set, "\x30\x03\x02\x01\x00", 5);
	make_p7(&b, &set, 1, 0);
	run(&s, "bad.p7b", b.data, b.len, NULL);
	ok(s.ncerts == 0 && s.nerrors == 1, "pkcs7: invalid certificate: one error");
	csink_free(&s);
	buf_free(&b);
	buf_free(&set);

	/* the real sample (openssl crl2pkcs7 -nocrl -outform DER) */
	if (load("b_der.p7b", &p, &len)) {
		run(&s, "b_der.p7b", p, len, NULL);
		ok(s.ncerts == 1 && s.nerrors == 0, "pkcs7: b_der.p7b: 1 certificate");
		csink_free(&s);
		free(p);
	}
	/* deep BER nesting is bounded */
	for (i = 0; i < 200; i++)
		buf_add(&b, "\x30\x80", 2);
	ok(cont_ber_len((unsigned char *)b.data, b.len) == 0, "ber: deep nesting refused");
	buf_free(&b);
	ok(cont_ber_len((const unsigned char *)"\x04\x84\xff\xff\xff\xff", 6) == 0 &&
	    cont_ber_len((const unsigned char *)"\x04\x85\x01\x01\x01\x01\x01", 7) == 0 &&
	    cont_ber_len((const unsigned char *)"\x04\x80", 2) == 0,
	    "ber: long, oversized and primitive-indefinite lengths refused");
}

/* ----------------------------------------------------------------- PKCS#12 */
static void
test_pkcs12(void)
{
	struct csink s;
	unsigned char *p, *copy;
	size_t len, cut, i;
	int bad;

	if (!load("leaf.pfx", &p, &len)) {
		ok(0, "leaf.pfx readable");
		return;
	}
	ok(reader_pkcs12.probe(p, len) && !reader_pkcs7.probe(p, len), "pkcs12: probe");
	run(&s, "leaf.pfx", p, len, NULL);
	ok(s.ncerts == 0 && csink_error_has(&s, "leaf.pfx: PKCS#12 password required"),
	    "pkcs12: no password: password required");
	csink_free(&s);
	run(&s, "leaf.pfx", p, len, "nope");
	ok(s.ncerts == 0 && csink_error_has(&s, "leaf.pfx: PKCS#12 wrong password") &&
	    !csink_error_has(&s, "nope"), "pkcs12: wrong password, not printed");
	csink_free(&s);
	run(&s, "leaf.pfx", p, len, "secret");
	ok(s.ncerts == 2 && s.nerrors == 0, "pkcs12: right password: 2 certificates");
	if (s.ncerts == 2) {
		is_str(s.certs[0].alias, "exchange cert", "pkcs12: friendlyName is the alias");
		is_str(s.certs[1].alias, NULL, "pkcs12: no friendlyName: no alias");
	}
	csink_free(&s);

	/* damage the MAC digest: the last OCTET STRING of 32 bytes */
	copy = xmalloc(len);
	memcpy(copy, p, len);
	for (i = len - 34; i > len - 80; i--)
		if (copy[i] == 0x04 && copy[i + 1] == 0x20)
			break;
	copy[i + 2] ^= 0x01;
	run(&s, "mac.pfx", copy, len, "secret");
	ok(csink_error_has(&s, "mac.pfx: PKCS#12 MAC verification failed"),
	    "pkcs12: damaged MAC with the right password: MAC failure");
	ok(s.ncerts == 2, "pkcs12: damaged MAC: certificates still reported");
	csink_free(&s);
	run(&s, "mac.pfx", copy, len, NULL);
	ok(s.ncerts == 0 && s.nerrors == 1, "pkcs12: damaged MAC without password: one error");
	csink_free(&s);

	/* flip a byte inside the encrypted certificates */
	memcpy(copy, p, len);
	copy[200] ^= 0x55;
	run(&s, "flip.pfx", copy, len, "secret");
	ok(s.nerrors >= 1, "pkcs12: damaged contents: an error");
	csink_free(&s);

	/* a MAC iteration count meant to make the reader spin */
	{
		struct buf mac = { 0 }, out = { 0 };
		const unsigned char *q;
		unsigned int tag;
		size_t hl, cl, n1, n2, n3;
		int indef;

		cont_der_header(p, len, &tag, &hl, &cl, &indef);
		q = p + hl + 3;				/* past the version */
		n1 = cont_ber_len(q, len - (size_t)(q - p));	/* authSafe */
		cont_der_header(q + n1, len - (size_t)(q + n1 - p), &tag, &hl, &cl, &indef);
		n2 = cont_ber_len(q + n1 + hl, cl);	/* DigestInfo */
		n3 = cont_ber_len(q + n1 + hl + n2, cl - n2);	/* salt */
		buf_add(&mac, q + n1 + hl, n2 + n3);
		buf_add(&mac, "\x02\x04\x7f\xff\xff\xff", 6);
		put_hdr(&out, 0x30, 3 + n1 + 2 + mac.len);
		buf_add(&out, "\x02\x01\x03", 3);
		buf_add(&out, q, n1);
		put_hdr(&out, 0x30, mac.len);
		buf_add(&out, mac.data, mac.len);
		run(&s, "iter.pfx", out.data, out.len, "secret");
		ok(s.ncerts == 0 && csink_error_has(&s, "iter.pfx: PKCS#12 MAC "
		    "iteration count 2147483647 is above the limit"),
		    "pkcs12: absurd MAC iteration count refused, not computed");
		csink_free(&s);
		buf_free(&mac);
		buf_free(&out);
	}

	bad = 0;
	for (cut = 0; cut < len; cut += 7) {
		csink_init(&s, "cut.pfx", "secret");
		if (reader_pkcs12.probe(p, cut)) {
			csink_run(&s, &reader_pkcs12, p, cut);
			if (s.nerrors == 0 || s.ncerts != 0)
				bad++;
		}
		csink_free(&s);
	}
	ok(bad == 0, "pkcs12: every 7th cut point: an error, no certificate");
	free(copy);
	free(p);

	if (load("t.p12", &p, &len)) {
		run(&s, "t.p12", p, len, "changeit");
		ok(s.ncerts == 1 && s.nerrors == 0, "pkcs12: keytool store: 1 certificate");
		if (s.ncerts == 1)
			is_str(s.certs[0].alias, "root", "pkcs12: keytool alias");
		csink_free(&s);
		free(p);
	}
}

int
main(void)
{
	if (!load("ca.der", &cert, &certlen)) {
		printf("1..0 # SKIP tests/data/container/ca.der not found (TOP_SRCDIR?)\n");
		return 0;
	}
	test_jks();
	test_pkcs7();
	test_pkcs12();
	free(cert);
	return tap_done();
}
