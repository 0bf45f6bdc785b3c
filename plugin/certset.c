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
};

/* The identity key of a certinfo, written to key (NUL-free for DER). */
static size_t
cert_key(const struct certinfo *ci, struct buf *key)
{
	key->len = 0;
	if (ci->has_sha256) {
		buf_addc(key, 'H');
		buf_add(key, ci->sha256, sizeof(ci->sha256));
	} else {
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
	return key->len;
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

static int
same_cert(const struct certinfo *a, const struct certinfo *b, struct buf *ka, struct buf *kb)
{
	cert_key(a, ka);
	cert_key(b, kb);
	return ka->len == kb->len && memcmp(ka->data, kb->data, ka->len) == 0;
}

static void
index_grow(struct report *r)
{
	struct certindex *ix = r->index;
	struct buf k = { 0 };
	size_t i, n = ix->nslots ? ix->nslots * 2 : 1024, h;

	free(ix->slots);
	ix->slots = xcalloc(n, sizeof(*ix->slots));
	ix->nslots = n;
	for (i = 0; i < r->ncerts; i++) {
		cert_key(&r->certs[i]->ci, &k);
		h = hash_bytes(k.data, k.len) & (n - 1);
		while (ix->slots[h])
			h = (h + 1) & (n - 1);
		ix->slots[h] = i + 1;
	}
	buf_free(&k);
}

static void
add_location(struct cert *c, const struct location *loc)
{
	struct location *l;

	c->locs = xreallocarray(c->locs, c->nlocs + 1, sizeof(*c->locs));
	l = &c->locs[c->nlocs++];
	l->path = xstrdup(loc->path);
	l->format = loc->format;
	l->record = loc->record;
	l->alias = loc->alias ? xstrdup(loc->alias) : NULL;
}

void
report_add_cert(struct report *r, struct certinfo *ci, const struct location *loc)
{
	struct certindex *ix;
	struct buf k = { 0 }, ka = { 0 }, kb = { 0 };
	struct cert *c;
	size_t h;

	if (r->index == NULL)
		r->index = xcalloc(1, sizeof(struct certindex));
	ix = r->index;
	if ((r->ncerts + 1) * 2 > ix->nslots)
		index_grow(r);
	cert_key(ci, &k);
	h = hash_bytes(k.data, k.len) & (ix->nslots - 1);
	for (; ix->slots[h]; h = (h + 1) & (ix->nslots - 1)) {
		c = r->certs[ix->slots[h] - 1];
		if (same_cert(&c->ci, ci, &ka, &kb)) {
			add_location(c, loc);
			certinfo_free(ci);
			goto out;
		}
	}
	c = xcalloc(1, sizeof(*c));
	c->ci = *ci;
	memset(ci, 0, sizeof(*ci));
	c->name = certinfo_name(&c->ci);
	add_location(c, loc);
	r->certs = xreallocarray(r->certs, r->ncerts + 1, sizeof(*r->certs));
	r->certs[r->ncerts++] = c;
	ix->slots[h] = r->ncerts;
out:
	buf_free(&k);
	buf_free(&ka);
	buf_free(&kb);
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
		certinfo_free(&r->certs[i]->ci);
		for (j = 0; j < r->certs[i]->nlocs; j++) {
			free(r->certs[i]->locs[j].path);
			free(r->certs[i]->locs[j].alias);
		}
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
		free(ix);
	}
	free(r->mail_error);
	free(r->mail_summary);
	memset(r, 0, sizeof(*r));
}
