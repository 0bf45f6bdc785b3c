/* The report's certificate set: one entry per certificate, found by SHA-256
 * of the DER (or issuer + serial for CA-export rows without the bytes), with
 * every location it was seen at. Open addressing, power-of-two table.
 *
 * Lean mode (report->lean, -o nagios without -v): each certificate is
 * selected, evaluated and counted as it arrives, and only a 16-byte identity
 * stays for every one: the first half of the DER's SHA-256, or for a row
 * a keyed 128-bit hash of its row key under a per-run random key
 * (idhash.c; collisions cannot be chosen by an input either way). Table
 * positions are a keyed mix of the identity, so an input cannot crowd one
 * slot either.
 * Full details stay only for what the output can print: the first
 * LEAN_KEEP CRITICAL and WARNING certificates in sort order (the 8 KiB cap
 * prints fewer lines than that) and the first OK one (the status line).
 * A CA-export row read in pieces may come by its identity and dates alone
 * (report_add_row): it is counted from them, and given in full
 * (report_keep_row) only if it could be kept, which its expiry tells, as
 * it is the first key of the sort. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "extern.h"
#include "idhash.h"

/* More lines than an 8 KiB long output can hold (every line is > 50 bytes). */
#define LEAN_KEEP	256

struct heap {			/* max-heap by cert_cmp: the root goes first */
	struct cert	**v;
	size_t		  n;
};

/* A set of 16-byte identities, numbered in the order they came: open
 * addressing on a power-of-two table of slots (see slot_of, pos_of). */
struct idset {
	unsigned char	(*id)[16];	/* identity i */
	size_t		  n, cap;
	uint32_t	 *slots;	/* i + 1 | fingerprint; 0 = empty */
	size_t		  nslots;
	uint32_t	  imask;	/* the bits of a slot that hold i + 1 */
	uint64_t	  key[2];	/* the run's key, for positions */
};

struct lean {
	struct idset	  ids;		/* identity of certificate i (seq) */
	unsigned char	 *kept;		/* bit i: certificate i is kept */
	size_t		  keptcap;	/* bits */
	/* for row identities: the run's key (idhash.c), which every reading
	 * thread reads, alone on its cache lines */
	const struct idkey *key;
	struct heap	  crit, warn;
	struct cert	 *ok;		/* the first OK one in sort order */
	int64_t		  min_after;	/* for min_days */
	int64_t		  today;	/* for -d: select_today() */
	int		  has_min;
};

struct certindex {
	size_t		*slots;		/* cert index + 1; 0 = empty */
	size_t		 nslots;
	uint64_t	*hash;		/* hash of the key of certs[i] */
	size_t		 cap;		/* of r->certs and hash */
	struct buf	 k, k2;		/* key scratch space, reused */
	char		**paths;	/* location paths, each stored once */
	size_t		 npaths;
	const char	*issuer;	/* last issuer stored, shared by the next */
	struct lean	*lean;		/* lean mode; early mode: dropped identities */
	int		 own_paths;	/* lean: each location owns its path */
	int		 frees;		/* lean, prune: certificates are freed early,
					 * so none shares another's issuer */
	int		 borrowed;	/* the certinfo being added stays the
					 * caller's (report_add_cert_borrowed) */
	/* prune mode: the groups of --skip-renewed (name and issuer), each with
	 * its latest expiry and the certificates that have it */
	struct idset	 gids;		/* group i's identity */
	struct group	*groups;
	size_t		 gcap;
	uint32_t	*next;		/* next certificate of its group + 1 */
};

struct group {
	int64_t		 max;		/* latest expiry */
	uint32_t	 head;		/* certificates with it (index + 1) */
};

/* Done with the certinfo being added: freed, unless it is borrowed. */
static void
ci_release(struct certindex *ix, struct certinfo *ci)
{
	if (!ix->borrowed)
		certinfo_free(ci);
}

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

	share = !ix->frees && ci->issuer != NULL && ix->issuer != NULL &&
	    strcmp(ci->issuer, ix->issuer) == 0;
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
	if (c->ci.issuer != NULL && !ix->frees)
		ix->issuer = c->ci.issuer;
	ci_release(ix, ci);
	return c;
}

/* The end of a row key: the expiry as 8 bytes (so the name before it may
 * hold anything). */
void
row_key_end(struct buf *key, int64_t not_after)
{
	char *o = buf_room(key, 1 + sizeof(not_after));

	*o++ = '\n';
	memcpy(o, &not_after, sizeof(not_after));
	o[sizeof(not_after)] = '\0';
	key->len += 1 + sizeof(not_after);
}

/* The identity key of a record without the DER's SHA-256, written to key:
 * issuer and serial, and when one is missing the name and expiry (issuer,
 * serial: NULL when unknown). row_key_begin writes the same start for a row
 * without issuer; row_key_end is the end of both. */
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

char *
row_key_begin(struct buf *key, size_t slen)
{
	char *o;

	key->len = 0;
	o = buf_room(key, 3 + slen);
	o[0] = 'S';
	o[1] = '\n';
	o[2 + slen] = '\n';
	key->len = 3 + slen;
	return o + 2;
}


static void
row_key(const struct certinfo *ci, struct buf *key)
{
	const char *name = ci->subject ? ci->subject : ci->cn ? ci->cn : "";

	row_key_of(key, ci->issuer, ci->issuer ? strlen(ci->issuer) : 0, ci->serial,
	    ci->serial ? strlen(ci->serial) : 0, name, strlen(name), ci->not_after,
	    ci->request_id, ci->request_id ? strlen(ci->request_id) : 0);
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
	if (a->unique || b->unique)
		return 0;
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

/* Room for one more location: the first one lives in the cert itself. */
static struct location *
location_new(struct cert *c)
{
	if (c->nlocs == 0)
		c->locs = &c->loc1;
	else if (c->locs == &c->loc1) {
		c->locs = xreallocarray(NULL, 2, sizeof(*c->locs));
		c->locs[0] = c->loc1;
	} else
		c->locs = xreallocarray(c->locs, c->nlocs + 1, sizeof(*c->locs));
	return &c->locs[c->nlocs++];
}

static void
add_location(struct certindex *ix, struct cert *c, const struct location *loc)
{
	struct location *l;

	if (ix->own_paths && c->nlocs > 0) {
		/* lean: the output names the first place and counts the others */
		c->nlocs++;
		return;
	}
	l = location_new(c);
	if (ix->own_paths) {
		l->path = xstrdup(loc->path);
		l->format = loc->format;
		l->record = loc->record;
		l->alias = loc->alias ? xstrdup(loc->alias) : NULL;
		return;
	}
	/* locations come file by file: one copy of each path */
	if (ix->npaths == 0 || strcmp(ix->paths[ix->npaths - 1], loc->path) != 0) {
		if ((ix->npaths & (ix->npaths - 1)) == 0)
			ix->paths = xreallocarray(ix->paths, ix->npaths ? ix->npaths * 2 : 1,
			    sizeof(*ix->paths));
		ix->paths[ix->npaths++] = xstrdup(loc->path);
	}
	l->path = ix->paths[ix->npaths - 1];
	l->format = loc->format;
	l->record = loc->record;
	l->alias = loc->alias ? xstrdup(loc->alias) : NULL;
}

/* ------------------------------------------------------------- lean mode */

static uint64_t
rotl(uint64_t x, int b)
{
	return (x << b) | (x >> (64 - b));
}

static void
lean_init(struct certindex *ix, int own_paths)
{
	struct lean *ln = xcalloc(1, sizeof(*ln));

	ln->key = idkey_run();
	memcpy(ln->ids.key, ln->key->sip, sizeof(ln->ids.key));
	memcpy(ix->gids.key, ln->key->sip, sizeof(ix->gids.key));
	ix->lean = ln;
	ix->own_paths = own_paths;
}

/* A slot holds the index + 1 in as many low bits as the table has slots
 * (set->imask: the index is below half of that), and in the bits above,
 * bits of the identity, so that a probe reads the identity table only when
 * those match: an insert (the common case) costs one cache miss, not two.
 * Four bytes a slot: at a million certificates, the 2^21 slots leave 11
 * bits (one probe in 2048 reads an identity for nothing), and half of the
 * table's 16 MiB is half as many pages to miss the TLB on. */
static uint32_t
slot_of(const struct idset *set, const unsigned char id[16], size_t i)
{
	uint32_t fp;

	memcpy(&fp, id + 8, sizeof(fp));
	return (fp & ~set->imask) | (uint32_t)(i + 1);
}

/* Where an identity goes in the table: a keyed mix of its 16 bytes, so
 * that certificates made to share a slot (a SHA-256 prefix is known to
 * whoever makes the certificate) cannot pile up in one place. */
static uint64_t
pos_of(const struct idset *set, const unsigned char id[16])
{
	uint64_t a, b, x;

	memcpy(&a, id, sizeof(a));
	memcpy(&b, id + 8, sizeof(b));
	x = (a ^ set->key[0]) + rotl(b ^ set->key[1], 29);
	x ^= x >> 32;
	x *= 0xd6e8feb86659fd93ULL;
	x ^= x >> 32;
	x *= (set->key[1] | 1);
	x ^= x >> 29;
	return x;
}

/* slot_of keeps the index + 1 in 32 bits: 2^32 slots (2^31 on a 32-bit
 * size_t, where that is all memory) */
#if SIZE_MAX > UINT32_MAX
#define IDSET_MAX_SLOTS	((size_t)UINT32_MAX + 1)
#else
#define IDSET_MAX_SLOTS	((size_t)1 << 31)
#endif

static void
slots_alloc(struct idset *set, size_t n)
{
	set->slots = xcalloc(n, sizeof(uint32_t));
	set->nslots = n;
	set->imask = (uint32_t)(n - 1);
}

static void
slots_free(struct idset *set)
{
	free(set->slots);
	set->slots = NULL;
}

static void
idset_free(struct idset *set)
{
	slots_free(set);
	free(set->id);
	memset(set, 0, sizeof(*set));
}

/* A table of n slots (a power of two, more than twice set->n). */
static void
idset_resize(struct idset *set, size_t n)
{
	uint64_t h;
	size_t i, s;

	if (n > IDSET_MAX_SLOTS)	/* 2^31 certificates: 32 GiB of them */
		oom();
	slots_free(set);
	slots_alloc(set, n);
	for (i = 0; i < set->n; i++) {
		h = pos_of(set, set->id[i]);
		for (s = h & (n - 1); set->slots[s]; s = (s + 1) & (n - 1))
			;
		set->slots[s] = slot_of(set, set->id[i], i);
	}
}

/* The slot of this identity, or the empty one where it goes. */
static size_t
idset_probe(const struct idset *set, const unsigned char id[16])
{
	uint64_t h = pos_of(set, id);
	uint32_t fp = slot_of(set, id, 0) & ~set->imask, v;
	size_t s;

	for (s = h & (set->nslots - 1); (v = set->slots[s]) != 0; s = (s + 1) & (set->nslots - 1))
		if ((v & ~set->imask) == fp && memcmp(set->id[(v & set->imask) - 1], id, 16) == 0)
			break;
	return s;
}

/* The number of this identity, or adds it (set->cap may grow); 1 if new. */
static int
idset_add(struct idset *set, const unsigned char id[16], size_t *ip)
{
	size_t s;

	if ((set->n + 1) * 2 > set->nslots)
		idset_resize(set, set->nslots ? set->nslots * 2 : 1024);
	s = idset_probe(set, id);
	if (set->slots[s] != 0) {
		*ip = (set->slots[s] & set->imask) - 1;
		return 0;
	}
	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 1024;
		set->id = xreallocarray(set->id, set->cap, sizeof(*set->id));
	}
	memcpy(set->id[set->n], id, 16);
	set->slots[s] = slot_of(set, id, set->n);
	*ip = set->n++;
	return 1;
}

/* Room for about n identities in all, so that the table does not grow
 * (and rehash) on the way there. */
static void
idset_expect(struct idset *set, size_t n)
{
	size_t slots = set->nslots ? set->nslots : 1024;

	while (slots / 2 < n && slots < IDSET_MAX_SLOTS)
		slots *= 2;
	if (slots > set->nslots)
		idset_resize(set, slots);
	if (set->cap < n) {
		set->cap = n;
		set->id = xreallocarray(set->id, set->cap, sizeof(*set->id));
	}
}

/* 1 if the set holds this identity. */
static int
idset_has(const struct idset *set, const unsigned char id[16])
{
	return set->nslots > 0 && set->slots[idset_probe(set, id)] != 0;
}

/* Index of the certificate with this identity, or adds it; 1 if it was new. */
static int
lean_lookup(struct lean *ln, const unsigned char id[16], size_t *ip)
{
	size_t n;

	if (!idset_add(&ln->ids, id, ip))
		return 0;
	if (ln->keptcap < ln->ids.cap) {
		/* whole bytes: ids.cap need not be a multiple of 8
		 * (report_expect) */
		n = ln->keptcap / 8;
		ln->keptcap = (ln->ids.cap + 7) / 8 * 8;
		ln->kept = xreallocarray(ln->kept, ln->keptcap / 8, 1);
		memset(ln->kept + n, 0, ln->keptcap / 8 - n);
	}
	return 1;
}

static void
kept_set(struct lean *ln, size_t i, int on)
{
	if (on)
		ln->kept[i / 8] |= (unsigned char)(1U << (i % 8));
	else
		ln->kept[i / 8] &= (unsigned char)~(1U << (i % 8));
}

static void
cert_free(struct cert *c, int own_paths)
{
	size_t j;

	/* lean (own_paths) stores the first location only */
	for (j = 0; j < (own_paths && c->nlocs > 1 ? 1 : c->nlocs); j++) {
		if (own_paths)
			free(c->locs[j].path);
		free(c->locs[j].alias);
	}
	if (c->locs != &c->loc1)
		free(c->locs);
	free(c);
}

static void
heap_down(struct heap *hp, size_t i)
{
	struct cert *t;
	size_t m, l;

	for (;;) {
		m = i;
		l = 2 * i + 1;
		if (l < hp->n && cert_cmp(hp->v[l], hp->v[m]) > 0)
			m = l;
		if (l + 1 < hp->n && cert_cmp(hp->v[l + 1], hp->v[m]) > 0)
			m = l + 1;
		if (m == i)
			return;
		t = hp->v[i];
		hp->v[i] = hp->v[m];
		hp->v[m] = t;
		i = m;
	}
}

static void
heap_push(struct heap *hp, struct cert *c)
{
	struct cert *t;
	size_t i, p;

	if (hp->v == NULL)
		hp->v = xreallocarray(NULL, LEAN_KEEP, sizeof(*hp->v));
	i = hp->n++;
	hp->v[i] = c;
	while (i > 0 && cert_cmp(hp->v[p = (i - 1) / 2], hp->v[i]) < 0) {
		t = hp->v[p];
		hp->v[p] = hp->v[i];
		hp->v[i] = t;
		i = p;
	}
}

/* Keeps t (a stack copy of the arriving certificate) when it is among the
 * first LEAN_KEEP of its state; returns the kept copy or NULL. */
static struct cert *
heap_offer(struct report *r, struct certindex *ix, struct heap *hp, struct cert *t,
    struct certinfo *ci)
{
	struct cert *c;

	if (hp->n == LEAN_KEEP) {
		r->nomitted++;
		if (cert_cmp(t, hp->v[0]) >= 0)
			return NULL;
		kept_set(ix->lean, hp->v[0]->seq, 0);
		cert_free(hp->v[0], 1);
		hp->v[0] = hp->v[--hp->n];
		heap_down(hp, 0);
	}
	c = cert_pack(ix, ci);
	c->name = certinfo_name(&c->ci);
	c->seq = t->seq;
	c->selected = t->selected;
	heap_push(hp, c);
	return c;
}

static struct cert *
kept_find(struct lean *ln, size_t seq)
{
	size_t i;

	if (ln->ok != NULL && ln->ok->seq == seq)
		return ln->ok;
	for (i = 0; i < ln->crit.n; i++)
		if (ln->crit.v[i]->seq == seq)
			return ln->crit.v[i];
	for (i = 0; i < ln->warn.n; i++)
		if (ln->warn.v[i]->seq == seq)
			return ln->warn.v[i];
	return NULL;
}

static void
lean_id(struct certindex *ix, const struct certinfo *ci, unsigned char id[16])
{
	cert_identity(ix->lean->key, ci, &ix->k, id);
}

/* Full mode with filters: 1 if the filters drop this new certificate (then
 * only its identity stays, so that its duplicates are dropped too), or if
 * it is a duplicate of a dropped one; 0 if it is kept, -1 if it is kept
 * with a regex error (the first one is what select_certs() reports). */
static int
early_drop(struct report *r, struct certindex *ix, struct certinfo *ci)
{
	unsigned char id[16];
	struct cert t;
	char err[600];
	size_t seq;
	int k;

	lean_id(ix, ci, id);
	if (idset_has(&ix->lean->ids, id))
		return 1;	/* a duplicate of a dropped one */
	memset(&t, 0, sizeof(t));
	t.ci = *ci;
	t.name = certinfo_name(&t.ci);
	if ((k = select_keep(r->early, &t, err, sizeof(err))) != 0) {
		if (k < 0 && r->select_error == NULL)
			r->select_error = xstrdup(err);
		return k > 0 ? 0 : -1;
	}
	(void)lean_lookup(ix->lean, id, &seq);
	r->ndropped++;
	return 1;
}

/* Prune mode: the group of a certificate (as select.c's skip_renewed
 * groups them: the name without regard to ASCII case, and the issuer). */
static struct group *
group_of(struct certindex *ix, const struct cert *c)
{
	unsigned char id[16];
	const char *p;
	struct group *g;
	size_t i;

	ix->k.len = 0;
	for (p = c->name; *p != '\0'; p++)
		buf_addc(&ix->k, *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p);
	buf_add(&ix->k, "", 1);
	buf_addstr(&ix->k, c->ci.issuer ? c->ci.issuer : "");
	idhash(ix->lean->key, ix->k.data, ix->k.len, id);
	if (!idset_add(&ix->gids, id, &i))
		return &ix->groups[i];
	if (ix->gcap < ix->gids.cap) {
		ix->gcap = ix->gids.cap;
		ix->groups = xreallocarray(ix->groups, ix->gcap, sizeof(*ix->groups));
	}
	g = &ix->groups[i];
	g->max = INT64_MIN;
	g->head = 0;
	return g;
}

/* Prune mode: frees certificate i, renewed; its identity stays. */
static void
prune(struct report *r, struct certindex *ix, size_t i)
{
	unsigned char id[16];
	size_t seq;

	lean_id(ix, &r->certs[i]->ci, id);
	(void)lean_lookup(ix->lean, id, &seq);
	cert_free(r->certs[i], ix->own_paths);
	r->certs[i] = NULL;
	r->ndropped++;
}

/* Lean mode: a new certificate t (t->ci holds at least its dates, t->seq
 * is set) selected, evaluated and counted; 0 if it is not selected. kept:
 * the verdict of -f and -x on it when known already, else -1. */
static int
lean_count(struct report *r, struct lean *ln, struct cert *t, int kept,
    const unsigned char id[16])
{
	struct counts *n = &r->counts;
	char err[600];

	n->found++;
	if (r->select_error != NULL)
		t->selected = 0;	/* the run ends UNKNOWN anyway */
	else if (kept >= 0)
		select_one_kept(r->lean, t, ln->today, kept);
	else if (!select_one(r->lean, t, ln->today, err, sizeof(err))) {
		r->select_error = xstrdup(err);
		t->selected = 0;
	}
	if (!t->selected)
		return 0;
	/* id: the DER's identity for a certificate, as vendor.c keeps them */
	t->vendor = r->vendor != NULL && vendor_has_id(r->vendor, id);
	eval_one(r->lean, t);
	count_state(n, t);
	n->not_yet_valid += t->not_yet_valid;
	if (t->state != CS_FORGOTTEN && t->state != CS_VENDOR && !t->no_expiry &&
	    (!ln->has_min || t->ci.not_after < ln->min_after)) {
		ln->min_after = t->ci.not_after;
		ln->has_min = 1;
	}
	return 1;
}

/* Lean mode: keeps a counted certificate t (t->ci a copy of ci, t->name
 * set) if it is among what may be printed; takes ci. */
static void
lean_keep(struct report *r, struct certindex *ix, struct cert *t, struct certinfo *ci,
    const struct location *loc)
{
	struct lean *ln = ix->lean;
	struct cert *c = NULL;

	if (t->state == CS_CRITICAL)
		c = heap_offer(r, ix, &ln->crit, t, ci);
	else if (t->state == CS_WARNING)
		c = heap_offer(r, ix, &ln->warn, t, ci);
	else if (t->state == CS_OK && !t->no_expiry &&
	    (ln->ok == NULL || cert_cmp(t, ln->ok) < 0)) {
		if (ln->ok != NULL) {
			kept_set(ln, ln->ok->seq, 0);
			cert_free(ln->ok, 1);
		}
		c = ln->ok = cert_pack(ix, ci);
		c->name = certinfo_name(&c->ci);
		c->seq = t->seq;
		c->selected = 1;
	}
	if (c == NULL) {
		ci_release(ix, ci);
		return;
	}
	kept_set(ln, t->seq, 1);
	add_location(ix, c, loc);
}

/* Lean mode: whether lean_keep() could keep a counted t, from its expiry
 * alone (equal expiries go by name, so they may); counts what the heap of
 * its state omits, as heap_offer() does. */
static int
lean_may_keep(struct report *r, const struct lean *ln, const struct cert *t)
{
	const struct heap *hp;

	if (t->state == CS_CRITICAL)
		hp = &ln->crit;
	else if (t->state == CS_WARNING)
		hp = &ln->warn;
	else
		return t->state == CS_OK && !t->no_expiry &&
		    (ln->ok == NULL || t->ci.not_after <= ln->ok->ci.not_after);
	if (hp->n < LEAN_KEEP || t->ci.not_after <= hp->v[0]->ci.not_after)
		return 1;
	r->nomitted++;
	return 0;
}

/* Lean mode: a certificate seen before; only a kept one shows its
 * locations. */
static void
lean_again(struct certindex *ix, size_t seq, const struct location *loc)
{
	struct lean *ln = ix->lean;
	struct cert *c;

	if (ln->kept[seq / 8] & (1U << (seq % 8)) && (c = kept_find(ln, seq)) != NULL)
		add_location(ix, c, loc);
}

static void
lean_add(struct report *r, struct certindex *ix, struct certinfo *ci,
    const struct location *loc, const unsigned char *given)
{
	struct lean *ln = ix->lean;
	unsigned char id[16];
	struct cert t;
	size_t seq;

	if (given != NULL)
		memcpy(id, given, sizeof(id));
	else
		lean_id(ix, ci, id);
	if (!lean_lookup(ln, id, &seq)) {
		lean_again(ix, seq, loc);
		ci_release(ix, ci);
		return;
	}
	memset(&t, 0, sizeof(t));
	t.ci = *ci;
	t.name = certinfo_name(&t.ci);
	t.seq = seq;
	if (!lean_count(r, ln, &t, -1, id)) {
		ci_release(ix, ci);
		return;
	}
	lean_keep(r, ix, &t, ci, loc);
}

int
report_add_row(struct report *r, const unsigned char id[16], const struct certinfo *dates,
    int kept, const struct location *loc, struct cert *t)
{
	struct certindex *ix;
	size_t seq;

	report_prepare(r);
	ix = r->index;
	if (!lean_lookup(ix->lean, id, &seq)) {
		lean_again(ix, seq, loc);
		return 0;
	}
	/* t is zero but for what the last row set (no memset per row) */
	t->ci.not_after = dates->not_after;
	t->ci.not_before = dates->not_before;
	t->ci.has_not_before = dates->has_not_before;
	t->seq = seq;
	return lean_count(r, ix->lean, t, kept, id) && lean_may_keep(r, ix->lean, t);
}

void
report_keep_row(struct report *r, struct cert *t, struct certinfo *ci,
    const struct location *loc)
{
	t->ci = *ci;
	t->name = certinfo_name(&t->ci);
	lean_keep(r, r->index, t, ci, loc);
	memset(t, 0, sizeof(*t));	/* for the next report_add_row() */
}

/* The lean state of a report that works out identities, or NULL. */
static const struct lean *
lean_of(const struct report *r)
{
	const struct certindex *ix;

	if (r == NULL || r->lean == NULL || (ix = r->index) == NULL)
		return NULL;
	return ix->lean;
}

void
row_identity(const struct idkey *key, const struct sink_row *row, struct buf *scratch,
    unsigned char id[16])
{
	if (row->key != NULL) {
		idhash(key, row->key->data, row->key->len, id);
		return;
	}
	row_key_of(scratch, row->issuer, row->issuer_len, row->serial, row->serial_len,
	    row->name, row->name_len, row->not_after, row->request_id, row->request_id_len);
	idhash(key, scratch->data, scratch->len, id);
}

static void
lean_free(struct lean *ln)
{
	size_t i;

	for (i = 0; i < ln->crit.n; i++)
		cert_free(ln->crit.v[i], 1);
	for (i = 0; i < ln->warn.n; i++)
		cert_free(ln->warn.v[i], 1);
	if (ln->ok != NULL)
		cert_free(ln->ok, 1);
	free(ln->crit.v);
	free(ln->warn.v);
	idset_free(&ln->ids);
	free(ln->kept);
	free(ln);
}

void
report_finish(struct report *r)
{
	struct certindex *ix = r->index;
	struct lean *ln;
	struct counts *n = &r->counts;
	size_t i, j;

	if (r->lean == NULL) {
		if (r->prune) {
			/* pruned ones leave holes; first-seen order stays */
			for (i = j = 0; i < r->ncerts; i++)
				if (r->certs[i] != NULL)
					r->certs[j++] = r->certs[i];
			r->ncerts = j;
			r->prune = 0;
		}
		return;
	}
	n->certificates = n->ok + n->warning + n->critical + n->forgotten + n->vendor;
	if (ix == NULL || (ln = ix->lean) == NULL)
		return;
	r->has_min_days = ln->has_min;
	if (ln->has_min)
		r->min_days = (double)(ln->min_after - r->lean->now) / 86400.0;
	free(r->certs);
	r->certs = xreallocarray(NULL, ln->crit.n + ln->warn.n + 1, sizeof(*r->certs));
	r->ncerts = 0;
	for (i = 0; i < ln->crit.n; i++)
		r->certs[r->ncerts++] = ln->crit.v[i];
	for (i = 0; i < ln->warn.n; i++)
		r->certs[r->ncerts++] = ln->warn.v[i];
	if (ln->ok != NULL)
		r->certs[r->ncerts++] = ln->ok;
	ln->crit.n = ln->warn.n = 0;
	ln->ok = NULL;
	lean_free(ln);
	ix->lean = NULL;	/* own_paths stays: report_free frees the paths */
}

void
report_prepare(struct report *r)
{
	struct certindex *ix;

	if (r->index != NULL)
		return;
	r->index = ix = xcalloc(1, sizeof(*ix));
	if (r->lean != NULL || r->early != NULL)
		lean_init(ix, r->lean != NULL);
	if (r->lean != NULL)	/* once per run, not per certificate */
		(void)select_today(r->lean, &ix->lean->today);
	ix->frees = r->lean != NULL || r->prune;
}

const struct idkey *
report_idkey(const struct report *r)
{
	const struct lean *ln = lean_of(r);

	return ln != NULL ? ln->key : NULL;
}

void
cert_identity(const struct idkey *key, const struct certinfo *ci, struct buf *scratch,
    unsigned char id[16])
{
	static uint64_t rows_unique;	/* atomic */
	uint64_t n;

	if (ci->unique) {
		/* a certificate of its own: a number no other has */
		n = __atomic_add_fetch(&rows_unique, 1, __ATOMIC_RELAXED);
		scratch->len = 0;
		buf_add(scratch, "U", 1);
		buf_add(scratch, &n, sizeof(n));
		idhash(key, scratch->data, scratch->len, id);
	} else if (ci->has_der_id)
		memcpy(id, ci->der_id, 16);	/* a hash already */
	else if (ci->has_sha256)
		memcpy(id, ci->sha256, 16);
	else {
		row_key(ci, scratch);
		idhash(key, scratch->data, scratch->len, id);
	}
}

void
report_expect(struct report *r, size_t n)
{
	struct certindex *ix;

	if (r->lean == NULL)
		return;
	report_prepare(r);
	ix = r->index;
	if (ix->lean != NULL && n > ix->lean->ids.n)
		idset_expect(&ix->lean->ids, n);
}

void
report_prefetch(const struct report *r, const unsigned char id[16])
{
	const struct lean *ln = lean_of(r);

	if (ln == NULL || ln->ids.nslots == 0)
		return;
#if defined(__GNUC__)
	__builtin_prefetch(&ln->ids.slots[pos_of(&ln->ids, id) & (ln->ids.nslots - 1)]);
#endif
}

void
report_add_cert(struct report *r, struct certinfo *ci, const struct location *loc)
{
	report_add_cert_id(r, ci, loc, NULL);
}

void
report_add_cert_borrowed(struct report *r, struct certinfo *ci, const struct location *loc,
    const unsigned char *id16)
{
	struct certindex *ix;

	report_prepare(r);
	ix = r->index;
	ix->borrowed = 1;
	report_add_cert_id(r, ci, loc, id16);
	ix->borrowed = 0;
}

void
report_add_cert_id(struct report *r, struct certinfo *ci, const struct location *loc,
    const unsigned char *id16)
{
	struct certindex *ix;
	struct cert *c;
	struct group *g;
	unsigned char id[16];
	uint64_t hv;
	size_t h, i;
	int k;

	report_prepare(r);
	ix = r->index;
	if (r->lean != NULL) {
		lean_add(r, ix, ci, loc, id16);
		return;
	}
	if ((r->ncerts + 1) * 2 > ix->nslots || ix->cap < r->ncerts + 1) {
		if (ix->cap < r->ncerts + 1) {
			ix->cap = ix->cap ? ix->cap * 2 : 1024;
			if (ix->cap < r->ncerts + 1)
				ix->cap = r->ncerts + 1;
			r->certs = xreallocarray(r->certs, ix->cap, sizeof(*r->certs));
			ix->hash = xreallocarray(ix->hash, ix->cap, sizeof(*ix->hash));
			if (r->prune)
				ix->next = xreallocarray(ix->next, ix->cap, sizeof(*ix->next));
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
		if ((c = r->certs[i]) == NULL)
			continue;	/* pruned: its identity is in ix->lean */
		if (same_cert(&c->ci, ci, ix)) {
			add_location(ix, c, loc);
			ci_release(ix, ci);
			return;
		}
	}
	k = 0;
	if (ix->lean != NULL && (k = early_drop(r, ix, ci)) == 1) {
		ci_release(ix, ci);
		return;
	}
	if (r->prune && k == 0) {
		struct cert t;

		memset(&t, 0, sizeof(t));
		t.ci = *ci;
		t.name = certinfo_name(&t.ci);
		g = group_of(ix, &t);
		if (ci->not_after < g->max) {
			/* renewed already: only its identity stays */
			lean_id(ix, ci, id);
			(void)lean_lookup(ix->lean, id, &i);
			r->ndropped++;
			ci_release(ix, ci);
			return;
		}
		if (ci->not_after > g->max) {
			/* renews every one the group had */
			for (i = g->head; i != 0; i = ix->next[i - 1])
				prune(r, ix, i - 1);
			g->max = ci->not_after;
			g->head = 0;
		}
		ix->next[r->ncerts] = g->head;
		g->head = (uint32_t)(r->ncerts + 1);
	}
	c = cert_pack(ix, ci);
	c->name = certinfo_name(&c->ci);
	c->seq = r->ncerts;
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
	size_t i;

	/* packed by cert_pack: the strings go with the struct */
	for (i = 0; i < r->ncerts; i++)
		if (r->certs[i] != NULL)	/* pruned */
			cert_free(r->certs[i], ix != NULL && ix->own_paths);
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
		if (ix->lean != NULL)
			lean_free(ix->lean);
		free(ix->groups);
		idset_free(&ix->gids);
		free(ix->next);
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
	free(r->select_error);
	vendor_free(r->vendor);
	memset(r, 0, sizeof(*r));
}
