/* Identities: what makes two records the same certificate. A certificate's
 * is the SHA-256 of its DER (its first CERT_ID_LEN bytes; OpenSSL's,
 * through ossl.c); a CA-export row without the DER has a canonical key
 * (issuer + serial; without one of them the name and the expiry, and the
 * Request ID where there is no serial), and its identity is the 128-bit
 * XXH3 of that key (xxh.c: SHA-256 made a 1M-row index.txt slower than
 * mawk in `make bench`). A row with neither certificate, serial nor
 * Request ID is a certificate of its own. */
#include "config.h"

#include <string.h>

#include "collect.h"

static void
key_id(const char *p, size_t n, unsigned char id[CERT_ID_LEN])
{
	xxh128(p, n, id);
}

/* The end of a row key: the expiry as 8 bytes (so the name before it may
 * hold anything). */
static void
row_key_end(struct buf *key, int64_t not_after)
{
	char *o = buf_room(key, 1 + sizeof(not_after));

	*o++ = '\n';
	memcpy(o, &not_after, sizeof(not_after));
	o[sizeof(not_after)] = '\0';
	key->len += 1 + sizeof(not_after);
}

/* The key of a record without the DER, written to key: issuer and serial,
 * and when one is missing the name and expiry (issuer, serial: NULL when
 * unknown), and the Request ID when there is no serial. */
static void
row_key_of(struct buf *key, const char *issuer, size_t ilen, const char *serial,
    size_t slen, const char *name, size_t nlen, int64_t not_after, const char *reqid,
    size_t rlen)
{
	/* without issuer or serial, the name and expiry tell rows apart */
	int more = issuer == NULL || serial == NULL;
	char *o;

	key->len = 0;
	o = buf_room(key, 3 + ilen + slen + (more ? nlen : 0));
	*o++ = 'S';
	if (ilen > 0)
		memcpy(o, issuer, ilen);
	o += ilen;
	*o++ = '\n';
	if (slen > 0)
		memcpy(o, serial, slen);
	o += slen;
	*o++ = '\n';
	if (more && nlen > 0) {
		memcpy(o, name, nlen);
		o += nlen;
	}
	*o = '\0';
	key->len = (size_t)(o - key->data);
	if (more)
		row_key_end(key, not_after);
	if (serial == NULL && reqid != NULL) {
		/* different Request IDs are different certificates */
		o = buf_room(key, 2 + rlen);
		*o++ = 'R';
		memcpy(o, reqid, rlen);
		o[rlen] = '\0';
		key->len += 1 + rlen;
	}
}

static void
row_key(const struct certinfo *ci, struct buf *key)
{
	const char *name = ci->subject ? ci->subject : ci->cn ? ci->cn : "";

	row_key_of(key, ci->issuer, ci->issuer ? strlen(ci->issuer) : 0, ci->serial,
	    ci->serial ? strlen(ci->serial) : 0, name, strlen(name), ci->not_after,
	    ci->request_id, ci->request_id ? strlen(ci->request_id) : 0);
}

void
cert_identity(const struct certinfo *ci, struct buf *scratch, unsigned char id[CERT_ID_LEN])
{
	static uint64_t rows_unique;	/* atomic */
	uint64_t n;

	if (ci->unique) {
		/* a certificate of its own: a number no other has */
		n = __atomic_add_fetch(&rows_unique, 1, __ATOMIC_RELAXED);
		scratch->len = 0;
		buf_add(scratch, "U", 1);
		buf_add(scratch, &n, sizeof(n));
		key_id(scratch->data, scratch->len, id);
	} else if (ci->has_sha256)
		memcpy(id, ci->sha256, CERT_ID_LEN);
	else {
		row_key(ci, scratch);
		key_id(scratch->data, scratch->len, id);
	}
}
