/* The report's certificate set: one entry per certificate, found by SHA-256
 * of the DER (or issuer + serial for CA-export rows without the bytes), with
 * every location it was seen at. Open addressing, power-of-two table. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "extern.h"

struct certindex {
	size_t		*slots;		/* cert index + 1; 0 = empty */
	size_t		 nslots;
	uint64_t	*hash;		/* hash of the key of certs[i] */
	size_t		 cap;		/* of r->certs and hash */
	struct buf	 k, k2;		/* key scratch space, reused */
	char		**paths;	/* location paths, each stored once */
	size_t		 npaths;
	const char	*issuer;	/* last issuer stored, shared by the next */
};

/* Every certificate of the report is one allocation: struct cert, then its
 * strings (the issuer shared with the previous certificate when equal).
 * Nothing but report_free() frees them. */
static size_t
slen(const char *s)
{
	return s != NULL ? strlen(s) + 1 : 0;
}

static char *
scopy(char **at, const char *s)
{
	size_t n;
	char *d;

	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	d = *at;
	memcpy(d, s, n);
	*at += n;
	return d;
}

static struct cert *
cert_pack(struct certindex *ix, struct certinfo *ci)
{
	struct cert *c;
	size_t n, i;
	char *at;
	int share;

	share = ci->issuer != NULL && ix->issuer != NULL && strcmp(ci->issuer, ix->issuer) == 0;
	n = sizeof(*c) + ci->ndns * sizeof(char *) + slen(ci->serial) + slen(ci->subject) +
	    (share ? 0 : slen(ci->issuer)) + slen(ci->cn) + slen(ci->template) +
	    slen(ci->request_id) + slen(ci->requester) + slen(ci->revoke_reason);
	for (i = 0; i < ci->ndns; i++)
		n += slen(ci->dns[i]);
	c = xcalloc(1, n);
	c->ci = *ci;
	at = (char *)(c + 1);
	if (ci->ndns > 0) {
		c->ci.dns = (char **)(void *)at;
		at += ci->ndns * sizeof(char *);
		for (i = 0; i < ci->ndns; i++)
			c->ci.dns[i] = scopy(&at, ci->dns[i]);
	} else
		c->ci.dns = NULL;
	c->ci.serial = scopy(&at, ci->serial);
	c->ci.subject = scopy(&at, ci->subject);
	c->ci.issuer = share ? (char *)ix->issuer : scopy(&at, ci->issuer);
	c->ci.cn = scopy(&at, ci->cn);
	c->ci.template = scopy(&at, ci->template);
	c->ci.request_id = scopy(&at, ci->request_id);
	c->ci.requester = scopy(&at, ci->requester);
	c->ci.revoke_reason = scopy(&at, ci->revoke_reason);
	if (c->ci.issuer != NULL)
		ix->issuer = c->ci.issuer;
	certinfo_free(ci);
	return c;
}

/* The identity key of a certinfo without the DER's SHA-256, written to key:
 * issuer and serial, and when one is missing the name and expiry. */
static void
row_key(const struct certinfo *ci, struct buf *key)
{
	key->len = 0;
	buf_addc(key, 'S');
	buf_addstr(key, ci->issuer ? ci->issuer : "");
	buf_addc(key, '\n');
	buf_addstr(key, ci->serial ? ci->serial : "");
	buf_addc(key, '\n');
	/* without issuer or serial, the name and expiry tell rows apart */
	if (ci->issuer == NULL || ci->serial == NULL)
		buf_printf(key, "%s\n%lld", ci->subject ? ci->subject :
		    ci->cn ? ci->cn : "", (long long)ci->not_after);
}

static uint64_t
hash_bytes(const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	while (n--) {
		h ^= (unsigned char)*p++;
		h *= 1099511628211ULL;
	}
	return h;
}

/* The key's hash: the SHA-256 is a hash already. */
static uint64_t
cert_hash(const struct certinfo *ci, struct buf *k)
{
	uint64_t h;

	if (ci->has_sha256) {
		memcpy(&h, ci->sha256, sizeof(h));
		return h;
	}
	row_key(ci, k);
	return hash_bytes(k->data, k->len);
}

/* Same identity; k holds b's row key when b has no SHA-256. */
static int
same_cert(const struct certinfo *a, const struct certinfo *b, struct certindex *ix)
{
	if (a->has_sha256 || b->has_sha256)
		return a->has_sha256 && b->has_sha256 &&
		    memcmp(a->sha256, b->sha256, sizeof(a->sha256)) == 0;
	row_key(a, &ix->k2);
	return ix->k2.len == ix->k.len && memcmp(ix->k2.data, ix->k.data, ix->k.len) == 0;
}

static void
index_grow(struct report *r)
{
	struct certindex *ix = r->index;
	size_t i, n = ix->nslots ? ix->nslots * 2 : 1024, h;

	free(ix->slots);
	ix->slots = xcalloc(n, sizeof(*ix->slots));
	ix->nslots = n;
	for (i = 0; i < r->ncerts; i++) {
		h = ix->hash[i] & (n - 1);
		while (ix->slots[h])
			h = (h + 1) & (n - 1);
		ix->slots[h] = i + 1;
	}
}

static void
add_location(struct certindex *ix, struct cert *c, const struct location *loc)
{
	struct location *l;

	/* locations come file by file: one copy of each path */
	if (ix->npaths == 0 || strcmp(ix->paths[ix->npaths - 1], loc->path) != 0) {
		if ((ix->npaths & (ix->npaths - 1)) == 0)
			ix->paths = xreallocarray(ix->paths, ix->npaths ? ix->npaths * 2 : 1,
			    sizeof(*ix->paths));
		ix->paths[ix->npaths++] = xstrdup(loc->path);
	}
	c->locs = xreallocarray(c->locs, c->nlocs + 1, sizeof(*c->locs));
	l = &c->locs[c->nlocs++];
	l->path = ix->paths[ix->npaths - 1];
	l->format = loc->format;
	l->record = loc->record;
	l->alias = loc->alias ? xstrdup(loc->alias) : NULL;
}

void
report_add_cert(struct report *r, struct certinfo *ci, const struct location *loc)
{
	struct certindex *ix;
	struct cert *c;
	uint64_t hv;
	size_t h, i;

	if (r->index == NULL)
		r->index = xcalloc(1, sizeof(struct certindex));
	ix = r->index;
	if ((r->ncerts + 1) * 2 > ix->nslots || ix->cap < r->ncerts + 1) {
		if (ix->cap < r->ncerts + 1) {
			ix->cap = ix->cap ? ix->cap * 2 : 1024;
			if (ix->cap < r->ncerts + 1)
				ix->cap = r->ncerts + 1;
			r->certs = xreallocarray(r->certs, ix->cap, sizeof(*r->certs));
			ix->hash = xreallocarray(ix->hash, ix->cap, sizeof(*ix->hash));
		}
		if ((r->ncerts + 1) * 2 > ix->nslots)
			index_grow(r);
	}
	hv = cert_hash(ci, &ix->k);
	h = hv & (ix->nslots - 1);
	for (; ix->slots[h]; h = (h + 1) & (ix->nslots - 1)) {
		i = ix->slots[h] - 1;
		if (ix->hash[i] != hv)
			continue;
		c = r->certs[i];
		if (same_cert(&c->ci, ci, ix)) {
			add_location(ix, c, loc);
			certinfo_free(ci);
			return;
		}
	}
	c = cert_pack(ix, ci);
	c->name = certinfo_name(&c->ci);
	add_location(ix, c, loc);
	ix->hash[r->ncerts] = hv;
	r->certs[r->ncerts++] = c;
	ix->slots[h] = r->ncerts;
}

void
report_add_problem(struct report *r, const char *path, long record, const char *msg)
{
	struct problem *p;

	r->problems = xreallocarray(r->problems, r->nproblems + 1, sizeof(*r->problems));
	p = &r->problems[r->nproblems++];
	p->path = xstrdup(path);
	p->record = record;
	p->message = xstrdup(msg);
}

void
report_add_skip(struct report *r, const char *path, const char *reason)
{
	struct skipped *s;

	r->skips = xreallocarray(r->skips, r->nskips + 1, sizeof(*r->skips));
	s = &r->skips[r->nskips++];
	s->path = xstrdup(path);
	s->reason = xstrdup(reason);
}

void
report_add_note(struct report *r, const char *note)
{
	r->notes = xreallocarray(r->notes, r->nnotes + 1, sizeof(*r->notes));
	r->notes[r->nnotes++] = xstrdup(note);
}

void
certinfo_free(struct certinfo *ci)
{
	size_t i;

	free(ci->serial);
	free(ci->subject);
	free(ci->issuer);
	free(ci->cn);
	for (i = 0; i < ci->ndns; i++)
		free(ci->dns[i]);
	free(ci->dns);
	free(ci->template);
	free(ci->request_id);
	free(ci->requester);
	free(ci->revoke_reason);
	memset(ci, 0, sizeof(*ci));
}

const char *
certinfo_name(const struct certinfo *ci)
{
	if (ci->cn != NULL && ci->cn[0] != '\0')
		return ci->cn;
	if (ci->ndns > 0)
		return ci->dns[0];
	if (ci->subject != NULL && ci->subject[0] != '\0')
		return ci->subject;
	return ci->serial ? ci->serial : "(unnamed)";
}

void
report_free(struct report *r)
{
	struct certindex *ix = r->index;
	size_t i, j;

	for (i = 0; i < r->ncerts; i++) {
		/* packed by cert_pack: the strings go with the struct */
		for (j = 0; j < r->certs[i]->nlocs; j++)
			free(r->certs[i]->locs[j].alias);
		free(r->certs[i]->locs);
		free(r->certs[i]);
	}
	free(r->certs);
	for (i = 0; i < r->nproblems; i++) {
		free(r->problems[i].path);
		free(r->problems[i].message);
	}
	free(r->problems);
	for (i = 0; i < r->nskips; i++) {
		free(r->skips[i].path);
		free(r->skips[i].reason);
	}
	free(r->skips);
	for (i = 0; i < r->nnotes; i++)
		free(r->notes[i]);
	free(r->notes);
	if (ix) {
		free(ix->slots);
		free(ix->hash);
		for (i = 0; i < ix->npaths; i++)
			free(ix->paths[i]);
		free(ix->paths);
		buf_free(&ix->k);
		buf_free(&ix->k2);
		free(ix);
	}
	free(r->mail_error);
	free(r->mail_summary);
	memset(r, 0, sizeof(*r));
}
