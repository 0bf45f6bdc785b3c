/* Selection: which certificates the run is about (-f, -x, --template,
 * --exclude-template, --issuer, --skip-renewed, -d). select_eval() is the
 * one select-and-evaluate function both collectors call for every record:
 * pure, it reads the config and marks cert->selected, cert->vendor
 * (--skip-vendor-roots: the run's set of the vendor's identities), and
 * has eval.c judge it. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extern.h"

/* 1 keep, 0 drop, -1 regex error (err set). */
static int
keep(const struct config *cfg, const struct cert *c, char *err, size_t errlen)
{
	int m;

	if (cfg->filter && (m = rx_match(cfg->filter, c->name, err, errlen)) != 1)
		return m;
	if (cfg->exclude && (m = rx_match(cfg->exclude, c->name, err, errlen)) != 0)
		return m == 1 ? 0 : -1;
	if (cfg->template_rx) {
		if (c->ci.template == NULL)
			return 0;
		if ((m = rx_match(cfg->template_rx, c->ci.template, err, errlen)) != 1)
			return m;
	}
	if (cfg->exclude_template_rx && c->ci.template != NULL &&
	    (m = rx_match(cfg->exclude_template_rx, c->ci.template, err, errlen)) != 0)
		return m == 1 ? 0 : -1;
	if (cfg->issuer_rx &&
	    (m = rx_match(cfg->issuer_rx, c->ci.issuer ? c->ci.issuer : "", err, errlen)) != 1)
		return m;
	return 1;
}

static int
renew_cmp(const void *a, const void *b)
{
	const struct cert *x = *(const struct cert *const *)a, *y = *(const struct cert *const *)b;
	int r;

	if ((r = strcasecmp(x->name, y->name)) != 0)
		return r;
	if ((r = strcmp(x->ci.issuer ? x->ci.issuer : "", y->ci.issuer ? y->ci.issuer : "")) != 0)
		return r;
	return x->ci.not_after < y->ci.not_after ? -1 : x->ci.not_after > y->ci.not_after;
}

/* Drops every selected certificate that a later one with the same name and
 * issuer supersedes; remembers which one. */
static void
skip_renewed(struct report *r)
{
	struct cert **v;
	size_t n = 0, i, j;

	v = xreallocarray(NULL, r->ncerts ? r->ncerts : 1, sizeof(*v));
	for (i = 0; i < r->ncerts; i++)
		if (r->certs[i]->matched)
			v[n++] = r->certs[i];
	qsort(v, n, sizeof(*v), renew_cmp);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && strcasecmp(v[i]->name, v[j]->name) == 0 &&
		    strcmp(v[i]->ci.issuer ? v[i]->ci.issuer : "",
		    v[j]->ci.issuer ? v[j]->ci.issuer : "") == 0; j++)
			;
		/* v[j-1] expires last; older ones with an earlier expiry go */
		for (size_t k = i; k + 1 < j; k++) {
			if (v[k]->ci.not_after < v[j - 1]->ci.not_after) {
				v[k]->selected = 0;
				v[k]->renewed_by = v[j - 1];
			}
		}
	}
	free(v);
}

/* -d: 1 if c expires on the local day cfg->days after today (the local day
 * of now). */
static int
on_the_day(const struct config *cfg, const struct cert *c, int64_t today)
{
	int64_t day;

	return local_day(c->ci.not_after, &day) && day == today + cfg->days;
}

int
select_today(const struct config *cfg, int64_t *today)
{
	*today = 0;
	return !cfg->has_days || local_day(cfg->now, today);
}

void
select_judge(const struct config *cfg, const struct vendorset *vendor, struct judge *j)
{
	memset(j, 0, sizeof(*j));
	(void)select_today(cfg, &j->today);
	j->vendor = vendor;
}

int
select_eval(const struct config *cfg, const struct judge *j, struct cert *c,
    const unsigned char *id, char *err, size_t errlen)
{
	int kept;

	if ((kept = keep(cfg, c, err, errlen)) < 0)
		return 0;
	c->matched = kept;
	c->on_day = !cfg->has_days || on_the_day(cfg, c, j->today);
	c->selected = kept && c->on_day;
	if (j->vendor != NULL)
		c->vendor = id != NULL ? vendor_has_id(j->vendor, id) :
		    vendor_has_cert(j->vendor, &c->ci);
	eval_one(cfg, c);
	return 1;
}

void
select_renewed(struct report *r)
{
	size_t i;

	skip_renewed(r);
	for (i = 0; i < r->ncerts; i++)
		if (!r->certs[i]->on_day)
			r->certs[i]->renewed_by = NULL;	/* not listed as renewed either */
}
