/* The collector that keeps what the Nagios output prints (-o nagios
 * without -v, mail, --metrics-file or --skip-renewed): each record is
 * selected and evaluated as it arrives (select_eval), counted, and kept
 * only if the long output can show it: the first KEEP CRITICAL and WARNING
 * records in sort order (the 8 KiB cap prints fewer lines than that) and
 * the first OK one (the status line). Of every other record only its
 * identity stays, for de-duplication. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "idset.h"

/* More lines than an 8 KiB long output can hold (every line is > 50 bytes). */
#define KEEP	256

struct heap {			/* max-heap by cert_cmp: the root goes first */
	struct cert	**v;
	size_t		  n;
};

struct nagios {
	struct idset	  ids;		/* first: see report_expect(); record i (seq) */
	unsigned char	 *kept;		/* bit i: record i is kept */
	size_t		  keptcap;	/* bits */
	struct heap	  crit, warn;
	struct cert	 *ok;		/* the first OK one in sort order */
	struct judge	  j;
	char		 *error;	/* the first regex error */
	struct buf	  k;		/* identity scratch */
	/* the record being judged: select_eval and eval_one set every field
	 * they judge, the rest stays zero (no clearing per record) */
	struct cert	  t;
};

static struct nagios *
nagios_of(struct report *r)
{
	struct nagios *ng;

	if (r->index == NULL) {
		r->index = ng = xcalloc(1, sizeof(*ng));
		select_judge(r->cfg, r->vendor, &ng->j);
	}
	return r->index;
}

static void
kept_set(struct nagios *ng, size_t i, int on)
{
	if (on)
		ng->kept[i / 8] |= (unsigned char)(1U << (i % 8));
	else
		ng->kept[i / 8] &= (unsigned char)~(1U << (i % 8));
}

/* The number of the record of this identity, or adds it; 1 if new. */
static int
lookup(struct nagios *ng, const unsigned char id[CERT_ID_LEN], size_t *ip)
{
	size_t n;

	if (!idset_add(&ng->ids, id, ip))
		return 0;
	if (ng->keptcap < ng->ids.cap) {
		/* whole bytes: ids.cap need not be a multiple of 8 */
		n = ng->keptcap / 8;
		ng->keptcap = (ng->ids.cap + 7) / 8 * 8;
		ng->kept = xreallocarray(ng->kept, ng->keptcap / 8, 1);
		memset(ng->kept + n, 0, ng->keptcap / 8 - n);
	}
	return 1;
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
		hp->v = xreallocarray(NULL, KEEP, sizeof(*hp->v));
	i = hp->n++;
	hp->v[i] = c;
	while (i > 0 && cert_cmp(hp->v[p = (i - 1) / 2], hp->v[i]) < 0) {
		t = hp->v[p];
		hp->v[p] = hp->v[i];
		hp->v[i] = t;
		i = p;
	}
}

/* A stored copy of the judged t, from ci. */
static struct cert *
keep_copy(const struct cert *t, const struct certinfo *ci)
{
	struct cert *c = cert_pack(ci, NULL);

	c->seq = t->seq;
	c->matched = t->matched;
	c->on_day = t->on_day;
	c->selected = t->selected;
	c->vendor = t->vendor;
	c->days_left = t->days_left;
	c->expired = t->expired;
	c->not_yet_valid = t->not_yet_valid;
	c->no_expiry = t->no_expiry;
	c->state = t->state;
	return c;
}

/* Keeps t when it is among the first KEEP of its state; the kept copy or
 * NULL. */
static struct cert *
heap_offer(struct report *r, struct nagios *ng, struct heap *hp, struct cert *t,
    const struct certinfo *ci)
{
	struct cert *c;

	if (hp->n == KEEP) {
		r->nomitted++;
		if (cert_cmp(t, hp->v[0]) >= 0)
			return NULL;
		kept_set(ng, hp->v[0]->seq, 0);
		cert_free(hp->v[0], 1);
		hp->v[0] = hp->v[--hp->n];
		heap_down(hp, 0);
	}
	c = keep_copy(t, ci);
	heap_push(hp, c);
	return c;
}

static struct cert *
kept_find(struct nagios *ng, size_t seq)
{
	size_t i;

	if (ng->ok != NULL && ng->ok->seq == seq)
		return ng->ok;
	for (i = 0; i < ng->crit.n; i++)
		if (ng->crit.v[i]->seq == seq)
			return ng->crit.v[i];
	for (i = 0; i < ng->warn.n; i++)
		if (ng->warn.v[i]->seq == seq)
			return ng->warn.v[i];
	return NULL;
}

/* The output names the first place of a record and counts the others. */
static void
add_location(struct cert *c, const struct location *loc)
{
	struct location *l;

	if (c->nlocs > 0) {
		c->nlocs++;
		return;
	}
	l = location_new(c);
	l->path = xstrdup(loc->path);
	l->format = loc->format;
	l->record = loc->record;
	l->alias = loc->alias ? xstrdup(loc->alias) : NULL;
}

/* A new record t (t->ci and t->seq set) selected, evaluated and counted;
 * 0 if it is not selected. */
static int
count(struct report *r, struct nagios *ng, struct cert *t, const unsigned char id[CERT_ID_LEN])
{
	char err[600];

	r->counts.found++;
	if (ng->error != NULL)
		return 0;	/* the run ends UNKNOWN anyway */
	if (!select_eval(r->cfg, &ng->j, t, id, err, sizeof(err))) {
		ng->error = xstrdup(err);
		return 0;
	}
	if (!t->selected)
		return 0;
	eval_count(r->cfg, r, t);
	return 1;
}

/* Keeps a copy of a counted t (t->ci a view of ci) if it is among what
 * may be printed. */
static void
keep(struct report *r, struct nagios *ng, struct cert *t, const struct certinfo *ci,
    const struct location *loc)
{
	struct cert *c = NULL;

	if (t->state == CS_CRITICAL)
		c = heap_offer(r, ng, &ng->crit, t, ci);
	else if (t->state == CS_WARNING)
		c = heap_offer(r, ng, &ng->warn, t, ci);
	else if (t->state == CS_OK && !t->no_expiry &&
	    (ng->ok == NULL || cert_cmp(t, ng->ok) < 0)) {
		if (ng->ok != NULL) {
			kept_set(ng, ng->ok->seq, 0);
			cert_free(ng->ok, 1);
		}
		c = ng->ok = keep_copy(t, ci);
	}
	if (c == NULL)
		return;
	kept_set(ng, t->seq, 1);
	add_location(c, loc);
}

/* A record seen before: only a kept one shows its locations. */
static void
again(struct nagios *ng, size_t seq, const struct location *loc)
{
	struct cert *c;

	if (ng->kept[seq / 8] & (1U << (seq % 8)) && (c = kept_find(ng, seq)) != NULL)
		add_location(c, loc);
}

static void
nagios_add(struct report *r, const struct certinfo *ci, const struct location *loc,
    const unsigned char *given)
{
	struct nagios *ng = nagios_of(r);
	unsigned char id[CERT_ID_LEN];
	struct cert *t = &ng->t;
	size_t seq;

	if (given != NULL)
		memcpy(id, given, sizeof(id));
	else
		cert_identity(ci, &ng->k, id);
	if (!lookup(ng, id, &seq)) {
		again(ng, seq, loc);
		return;
	}
	t->ci = *ci;
	t->name = certinfo_name(&t->ci);
	t->seq = seq;
	if (count(r, ng, t, id))
		keep(r, ng, t, ci, loc);
}

static int
nagios_finish(const struct config *cfg, struct report *r, char *err, size_t errlen)
{
	struct nagios *ng = r->index;
	size_t i;

	(void)cfg;
	if (ng == NULL)
		return 1;
	if (ng->error != NULL) {
		snprintf(err, errlen, "%s", ng->error);
		return 0;
	}
	free(r->certs);
	r->certs = xreallocarray(NULL, ng->crit.n + ng->warn.n + 1, sizeof(*r->certs));
	r->ncerts = 0;
	for (i = 0; i < ng->crit.n; i++)
		r->certs[r->ncerts++] = ng->crit.v[i];
	for (i = 0; i < ng->warn.n; i++)
		r->certs[r->ncerts++] = ng->warn.v[i];
	if (ng->ok != NULL)
		r->certs[r->ncerts++] = ng->ok;
	ng->crit.n = ng->warn.n = 0;
	ng->ok = NULL;
	return 1;
}

static void
nagios_free(struct report *r)
{
	struct nagios *ng = r->index;
	size_t i;

	for (i = 0; i < r->ncerts; i++)
		cert_free(r->certs[i], 1);
	free(r->certs);
	if (ng == NULL)
		return;
	for (i = 0; i < ng->crit.n; i++)
		cert_free(ng->crit.v[i], 1);
	for (i = 0; i < ng->warn.n; i++)
		cert_free(ng->warn.v[i], 1);
	if (ng->ok != NULL)
		cert_free(ng->ok, 1);
	free(ng->crit.v);
	free(ng->warn.v);
	idset_free(&ng->ids);
	free(ng->kept);
	free(ng->error);
	buf_free(&ng->k);
	free(ng);
}

const struct collector collect_nagios = { "nagios", nagios_add, nagios_finish, nagios_free };
