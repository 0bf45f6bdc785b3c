/* The collector that keeps every record (lists, JSON, OpenMetrics, mail,
 * --skip-renewed, -v): one entry per identity, in first-seen order, with
 * every location it was seen at. Selected and evaluated at the end, when
 * --skip-renewed can see every record. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "idset.h"

struct all {
	struct idset	 ids;		/* first: see report_expect() */
	size_t		 cap;		/* of report->certs */
	char		**paths;	/* location paths, each stored once */
	size_t		 npaths;
	const char	*issuer;	/* last issuer stored, shared by the next */
	struct buf	 k;		/* identity scratch */
};

static struct all *
all_of(struct report *r)
{
	if (r->index == NULL)
		r->index = xcalloc(1, sizeof(struct all));
	return r->index;
}

static void
add_location(struct all *a, struct cert *c, const struct location *loc)
{
	struct location *l = location_new(c);

	/* locations come file by file: one copy of each path */
	if (a->npaths == 0 || strcmp(a->paths[a->npaths - 1], loc->path) != 0) {
		if ((a->npaths & (a->npaths - 1)) == 0)
			a->paths = xreallocarray(a->paths, a->npaths ? a->npaths * 2 : 1,
			    sizeof(*a->paths));
		a->paths[a->npaths++] = xstrdup(loc->path);
	}
	l->path = a->paths[a->npaths - 1];
	l->format = loc->format;
	l->record = loc->record;
	l->alias = loc->alias ? xstrdup(loc->alias) : NULL;
}

static void
all_add(struct report *r, const struct certinfo *ci, const struct location *loc,
    const unsigned char *id)
{
	struct all *a = all_of(r);
	unsigned char own[CERT_ID_LEN];
	struct cert *c;
	size_t i;

	if (id == NULL) {
		cert_identity(ci, &a->k, own);
		id = own;
	}
	if (!idset_add(&a->ids, id, &i)) {
		add_location(a, r->certs[i], loc);
		return;
	}
	if (r->ncerts == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 1024;
		r->certs = xreallocarray(r->certs, a->cap, sizeof(*r->certs));
	}
	c = cert_pack(ci, &a->issuer);
	c->seq = r->ncerts;
	add_location(a, c, loc);
	r->certs[r->ncerts++] = c;
}

static int
all_finish(const struct config *cfg, struct report *r, char *err, size_t errlen)
{
	struct judge j;
	size_t i;

	select_judge(cfg, r->vendor, &j);
	for (i = 0; i < r->ncerts; i++)
		if (!select_eval(cfg, &j, r->certs[i], NULL, err, errlen))
			return 0;
	if (cfg->skip_renewed)
		select_renewed(r);
	memset(&r->counts, 0, sizeof(r->counts));
	r->counts.found = r->ncerts;
	r->has_min_days = 0;
	for (i = 0; i < r->ncerts; i++)
		if (r->certs[i]->selected)
			eval_count(cfg, r, r->certs[i]);
	return 1;
}

static void
all_free(struct report *r)
{
	struct all *a = r->index;
	size_t i;

	for (i = 0; i < r->ncerts; i++)
		cert_free(r->certs[i], 0);
	free(r->certs);
	if (a == NULL)
		return;
	idset_free(&a->ids);
	for (i = 0; i < a->npaths; i++)
		free(a->paths[i]);
	free(a->paths);
	buf_free(&a->k);
	free(a);
}

const struct collector collect_all = { "all", all_add, all_finish, all_free };
