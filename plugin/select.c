/* Selection: which certificates the run is about (-f, -x, --template,
 * --exclude-template, --issuer, --skip-renewed, -d). Pure: reads the
 * config and marks cert->selected, and cert->vendor (--skip-vendor-roots:
 * the report's set of the vendor's identities). */
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
		if (r->certs[i]->selected)
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

int
select_keep(const struct config *cfg, const struct cert *c, char *err, size_t errlen)
{
	return keep(cfg, c, err, errlen);
}

int
report_early(const struct config *cfg)
{
	/* the mail's state file looks at filtered certificates too */
	return cfg->smtp_server == NULL && !select_by_dates(cfg);
}

int
select_by_dates(const struct config *cfg)
{
	return cfg->filter == NULL && cfg->exclude == NULL && select_by_row(cfg);
}

int
select_by_row(const struct config *cfg)
{
	return cfg->template_rx == NULL && cfg->exclude_template_rx == NULL &&
	    cfg->issuer_rx == NULL;
}

/* -o nagios without -v, without mail and without --metrics-file (which
 * lists every certificate): the output prints little. Endpoints want the
 * full report (the stale join looks at every file's certificates). */
static int
prints_little(const struct config *cfg)
{
	return cfg->output == OUTPUT_NAGIOS && cfg->verbose == 0 && cfg->smtp_server == NULL &&
	    cfg->metrics_file == NULL && cfg->nconnects == 0;
}

int
report_prune(const struct config *cfg)
{
	return prints_little(cfg) && cfg->skip_renewed;
}

int
report_lean(const struct config *cfg)
{
	return prints_little(cfg) && !cfg->skip_renewed;
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

/* Lean mode: the same selection as select_certs(), one certificate at a
 * time (there is no --skip-renewed in lean mode). */
int
select_one(const struct config *cfg, struct cert *c, int64_t today, char *err,
    size_t errlen)
{
	int k;

	if ((k = keep(cfg, c, err, errlen)) < 0)
		return 0;
	select_one_kept(cfg, c, today, k);
	return 1;
}

void
select_one_kept(const struct config *cfg, struct cert *c, int64_t today, int kept)
{
	c->selected = kept && (!cfg->has_days || on_the_day(cfg, c, today));
}

int
select_certs(const struct config *cfg, struct report *r, char *err, size_t errlen)
{
	int64_t today;
	size_t i, n = 0;
	int k;

	report_finish(r);
	if (r->select_error != NULL) {	/* met on arrival (certset.c) */
		snprintf(err, errlen, "%s", r->select_error);
		return 0;
	}
	if (r->lean != NULL)
		return 1;	/* selected on arrival (certset.c) */

	for (i = 0; i < r->ncerts; i++) {
		if ((k = keep(cfg, r->certs[i], err, errlen)) < 0)
			return 0;
		r->certs[i]->selected = k;
		r->certs[i]->vendor = vendor_has_cert(r->vendor, &r->certs[i]->ci);
		n += k;
	}
	r->counts.found = r->ncerts + r->ndropped;	/* dropped: certset.c */
	r->counts.certificates = n;
	if (cfg->skip_renewed)
		skip_renewed(r);
	if (cfg->has_days) {
		(void)select_today(cfg, &today);
		for (i = 0; i < r->ncerts; i++) {
			struct cert *c = r->certs[i];

			if ((c->selected || c->renewed_by) && !on_the_day(cfg, c, today)) {
				c->selected = 0;
				c->renewed_by = NULL;	/* not listed as renewed either */
			}
		}
	}
	return 1;
}
