/*
 * Java KeyStore (JKS, magic FE ED FE ED, version 1 or 2) and JCEKS (magic
 * CE CE CE CE, version 2), as written by sun.security.provider.JavaKeyStore:
 *
 *   u32 magic, u32 version, u32 count, then count entries:
 *     u32 tag (1 private key, 2 trusted certificate, 3 JCEKS secret key)
 *     UTF alias (u16 length + modified UTF-8), u64 creation time (ms)
 *     tag 1: u32 keylen, key bytes (encrypted), u32 chain length, certs
 *     tag 2: one cert
 *     cert:  (version 2: UTF type, "X.509"), u32 length, DER bytes
 *   20 bytes: SHA-1 integrity hash (keyed with the store password).
 *
 * Certificates are stored in clear: they are read without the password and
 * the hash is not verified (a -vv note says so). Encrypted key bytes are
 * skipped by their length. A JCEKS secret-key entry is a serialized Java
 * object without a length prefix: reading stops there, with an error.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "extern.h"
#include "container.h"

#define JKS_MAGIC	0xfeedfeedU
#define JCEKS_MAGIC	0xcecececeU
#define JKS_HASH_LEN	20

struct jcur {
	const unsigned char	*p;
	size_t			 len;
};

struct jks {
	struct sink	*s;
	const char	*format;	/* "jks" or "jceks" */
	uint32_t	 version;
	size_t		 total;		/* file size */
	size_t		 ncerts;
};

/* The only function that advances the cursor. */
static int
jget_bytes(struct jcur *c, size_t n, const unsigned char **out)
{
	if (c->len < n)
		return 0;
	*out = c->p;
	c->p += n;
	c->len -= n;
	return 1;
}

static int
jget_u16(struct jcur *c, uint32_t *v)
{
	const unsigned char *b;

	if (!jget_bytes(c, 2, &b))
		return 0;
	*v = (uint32_t)b[0] << 8 | b[1];
	return 1;
}

static int
jget_u32(struct jcur *c, uint32_t *v)
{
	const unsigned char *b;

	if (!jget_bytes(c, 4, &b))
		return 0;
	*v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	return 1;
}

static int
jget_utf(struct jcur *c, const unsigned char **s, size_t *n)
{
	uint32_t l;

	if (!jget_u16(c, &l) || !jget_bytes(c, l, s))
		return 0;
	*n = l;
	return 1;
}

/*
 * Java's modified UTF-8 (NUL as C0 80, supplementary characters as two
 * 3-byte surrogates) to standard UTF-8; anything invalid becomes U+FFFD.
 */
static char *
java_utf_to_utf8(const unsigned char *s, size_t n)
{
	struct buf b = { 0 };
	uint32_t cp, lo;
	size_t i = 0;

	while (i < n) {
		if (s[i] < 0x80) {
			cp = s[i++];
		} else if ((s[i] & 0xe0) == 0xc0 && i + 1 < n &&
		    (s[i + 1] & 0xc0) == 0x80) {
			cp = (uint32_t)(s[i] & 0x1f) << 6 | (s[i + 1] & 0x3f);
			i += 2;
		} else if ((s[i] & 0xf0) == 0xe0 && i + 2 < n &&
		    (s[i + 1] & 0xc0) == 0x80 && (s[i + 2] & 0xc0) == 0x80) {
			cp = (uint32_t)(s[i] & 0x0f) << 12 |
			    (uint32_t)(s[i + 1] & 0x3f) << 6 | (s[i + 2] & 0x3f);
			i += 3;
			if (cp >= 0xd800 && cp <= 0xdbff && i + 2 < n &&
			    s[i] == 0xed && (s[i + 1] & 0xf0) == 0xb0 &&
			    (s[i + 2] & 0xc0) == 0x80) {
				lo = (uint32_t)(s[i + 1] & 0x3f) << 6 | (s[i + 2] & 0x3f);
				lo |= 0xd000;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				i += 3;
			}
		} else {
			cp = 0xfffd;
			i++;
		}
		if (!utf8_put(&b, cp))
			(void)utf8_put(&b, 0xfffd);
	}
	return buf_release(&b);
}

/* One stored certificate of entry idx; 0 when the store ends inside it (an
 * error was reported). */
static int
jks_cert(struct jks *k, struct jcur *c, uint32_t idx, const char *alias)
{
	struct sink_cert_meta meta = { k->format, (long)idx, alias, NULL };
	const unsigned char *type, *der;
	size_t typelen;
	uint32_t len;

	if (k->version == 2 && !jget_utf(c, &type, &typelen)) {
		sink_error(k->s, idx, "%s entry %u (\"%s\"): truncated before the "
		    "certificate type", k->format, idx, alias);
		return 0;
	}
	if (!jget_u32(c, &len)) {
		sink_error(k->s, idx, "%s entry %u (\"%s\"): truncated before the "
		    "certificate length", k->format, idx, alias);
		return 0;
	}
	if (!jget_bytes(c, len, &der)) {
		sink_error(k->s, idx, "%s entry %u (\"%s\"): certificate length %u "
		    "goes past the end of the file (%zu bytes left)", k->format,
		    idx, alias, len, c->len);
		return 0;
	}
	if (k->version == 2 && (typelen != 5 || memcmp(type, "X.509", 5) != 0)) {
		sink_note(k->s, "%s: %s entry %u (\"%s\"): skipped a certificate of "
		    "type \"%.*s\"", sink_path(k->s), k->format, idx, alias,
		    (int)(typelen > 64 ? 64 : typelen), (const char *)type);
		return 1;
	}
	k->ncerts++;
	(void)sink_der(k->s, der, len, &meta);
	return 1;
}

/* One entry; 0 when reading must stop (an error was reported). */
static int
jks_entry(struct jks *k, struct jcur *c, uint32_t idx)
{
	const unsigned char *name, *skip;
	char *alias = NULL;
	size_t namelen;
	uint32_t tag, keylen, nchain, i;
	int rc = 0;

	if (!jget_u32(c, &tag) || !jget_utf(c, &name, &namelen)) {
		sink_error(k->s, idx, "%s entry %u: truncated (the file ends at "
		    "byte %zu)", k->format, idx, k->total);
		return 0;
	}
	alias = java_utf_to_utf8(name, namelen);
	if (!jget_bytes(c, 8, &skip)) {
		sink_error(k->s, idx, "%s entry %u (\"%s\"): truncated", k->format,
		    idx, alias);
		goto out;
	}
	switch (tag) {
	case 1:		/* private key + chain */
		if (!jget_u32(c, &keylen) || !jget_bytes(c, keylen, &skip)) {
			sink_error(k->s, idx, "%s entry %u (\"%s\"): key length goes "
			    "past the end of the file", k->format, idx, alias);
			goto out;
		}
		if (!jget_u32(c, &nchain)) {
			sink_error(k->s, idx, "%s entry %u (\"%s\"): truncated before "
			    "the certificate chain", k->format, idx, alias);
			goto out;
		}
		for (i = 0; i < nchain; i++)
			if (!jks_cert(k, c, idx, alias))
				goto out;
		break;
	case 2:		/* trusted certificate */
		if (!jks_cert(k, c, idx, alias))
			goto out;
		break;
	case 3:
		sink_error(k->s, idx, "%s entry %u (\"%s\"): secret-key entry (a "
		    "serialized Java object) cannot be skipped; later entries "
		    "not read", k->format, idx, alias);
		goto out;
	default:
		sink_error(k->s, idx, "%s entry %u (\"%s\"): unknown entry type %u",
		    k->format, idx, alias, tag);
		goto out;
	}
	rc = 1;
out:
	free(alias);
	return rc;
}

static int
jks_probe(const unsigned char *p, size_t len)
{
	if (len < 12)
		return 0;
	if (memcmp(p, "\xfe\xed\xfe\xed\0\0\0", 7) == 0)
		return p[7] == 1 || p[7] == 2;
	if (memcmp(p, "\xce\xce\xce\xce\0\0\0", 7) == 0)
		return p[7] == 2;
	return 0;
}

static void
jks_read(struct sink *s, const unsigned char *p, size_t len)
{
	struct jcur c = { p, len };
	struct jks k = { s, "jks", 0, len, 0 };
	uint32_t magic, count, i;

	if (!jget_u32(&c, &magic) || !jget_u32(&c, &k.version) ||
	    !jget_u32(&c, &count)) {
		sink_error(s, 0, "truncated Java keystore header");
		return;
	}
	if (magic == JCEKS_MAGIC)
		k.format = "jceks";
	else if (magic != JKS_MAGIC) {
		sink_error(s, 0, "not a Java keystore");
		return;
	}
	if (k.version != 1 && k.version != 2) {
		sink_error(s, 0, "%s version %u is not supported", k.format, k.version);
		return;
	}
	for (i = 1; i <= count; i++)
		if (!jks_entry(&k, &c, i))
			return;
	if (c.len < JKS_HASH_LEN) {
		sink_error(s, 0, "truncated %s: the integrity hash after the %u "
		    "entries is missing", k.format, count);
		return;
	}
	sink_note(s, "%s: %s: %u entries, %zu certificates read without the "
	    "store password; integrity hash not verified", sink_path(s),
	    k.format, count, k.ncerts);
	if (c.len > JKS_HASH_LEN)
		sink_note(s, "%s: %s: %zu trailing bytes after the integrity hash "
		    "ignored", sink_path(s), k.format, c.len - JKS_HASH_LEN);
	if (k.ncerts == 0)
		sink_skip(s, "%s keystore with %u entries holds no certificate",
		    k.format, count);
}

const struct reader reader_jks = { "jks", jks_probe, jks_read, NULL, NULL, NULL };
