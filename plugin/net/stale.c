/* An endpoint after evaluation: the fewest days left in its served chain,
 * "renewed on disk, old one still served" (a scanned file holds a
 * certificate with the leaf's subject and DNS names, valid now, expiring
 * later: the service was never reloaded), and --verify. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/net.h"

static int
has_dns(const struct certinfo *ci, const char *name)
{
	size_t i;

	for (i = 0; i < ci->ndns; i++)
		if (strcasecmp(ci->dns[i], name) == 0)
			return 1;
	return 0;
}

static int
same_dns(const struct certinfo *a, const struct certinfo *b)
{
	size_t i;

	for (i = 0; i < a->ndns; i++)
		if (!has_dns(b, a->dns[i]))
			return 0;
	for (i = 0; i < b->ndns; i++)
		if (!has_dns(a, b->dns[i]))
			return 0;
	return 1;
}

/* The first location of c that is a file, not an endpoint; NULL if none. */
static const struct location *
file_location(const struct cert *c)
{
	size_t i;

	for (i = 0; i < c->nlocs; i++)
		if (strcmp(c->locs[i].format, "tls") != 0)
			return &c->locs[i];
	return NULL;
}

/* The latest renewal of leaf among the run's files, or NULL. */
static const struct cert *
renewal(const struct config *cfg, const struct report *rep, const struct certinfo *leaf,
    const struct location **where)
{
	const struct cert *best = NULL;
	const struct location *l;
	size_t i;

	for (i = 0; i < rep->ncerts; i++) {
		const struct cert *c = rep->certs[i];

		if (c->ci.subject == NULL || leaf->subject == NULL ||
		    strcmp(c->ci.subject, leaf->subject) != 0 || !same_dns(&c->ci, leaf) ||
		    c->ci.not_after <= leaf->not_after || c->ci.not_after <= cfg->now ||
		    (c->ci.has_not_before && c->ci.not_before > cfg->now) ||
		    (l = file_location(c)) == NULL)
			continue;
		if (best == NULL || c->ci.not_after > best->ci.not_after) {
			best = c;
			*where = l;
		}
	}
	return best;
}

static void
in_days(struct buf *b, double d)
{
	long n = (long)floor(fabs(d));

	if (d >= 0)
		buf_printf(b, "(in %ld day%s)", n, n == 1 ? "" : "s");
	else
		buf_printf(b, "(%ld day%s ago)", n, n == 1 ? "" : "s");
}

static void
stale(const struct config *cfg, const struct report *rep, struct endpoint *e,
    const struct certinfo *leaf)
{
	const struct location *where = NULL;
	const struct cert *r = renewal(cfg, rep, leaf, &where);
	struct buf b = { 0 };
	char d1[32], d2[32];

	if (r == NULL)
		return;
	e->stale_path = xstrdup(where->path);
	e->stale_serial = xstrdup(r->ci.serial ? r->ci.serial : "");
	e->stale_not_after = r->ci.not_after;
	fmt_utc_day(leaf->not_after, d1, sizeof(d1));
	fmt_utc_day(r->ci.not_after, d2, sizeof(d2));
	buf_printf(&b, "WARNING: %s serves %s expiring %s ", e->url, certinfo_name(leaf), d1);
	in_days(&b, (double)(leaf->not_after - cfg->now) / 86400.0);
	buf_printf(&b, ", but %s holds its renewal expiring %s: reload the service",
	    where->path, d2);
	e->stale_alert = buf_release(&b);
	e->state = state_worse(e->state, STATE_WARNING);
}

static void
verify(const struct config *cfg, struct endpoint *e)
{
	struct buf b = { 0 };

	if (!cfg->verify || (strcmp(e->verify, "ok") == 0 && e->name_match))
		return;
	buf_printf(&b, "CRITICAL: %s:", e->url);
	if (strcmp(e->verify, "ok") != 0)
		buf_printf(&b, " the chain does not verify: %s", e->verify);
	if (!e->name_match)
		buf_printf(&b, "%s the certificate does not match %s",
		    strcmp(e->verify, "ok") != 0 ? ";" : "", e->host);
	e->verify_alert = buf_release(&b);
	e->state = state_worse(e->state, STATE_CRITICAL);
}

void
endpoint_eval(const struct config *cfg, const struct report *rep, struct endpoint *e)
{
	struct certinfo ci;
	char err[256];
	size_t d;

	e->state = STATE_OK;
	if (e->error != NULL || e->nchain == 0)
		return;
	for (d = 0; d < e->nchain; d++) {
		memset(&ci, 0, sizeof(ci));
		if (!der_cert_walk(e->chain[d].der, e->chain[d].len, &ci, err, sizeof(err)))
			continue;
		if (!e->has_days || (double)(ci.not_after - cfg->now) / 86400.0 < e->min_days) {
			e->min_days = (double)(ci.not_after - cfg->now) / 86400.0;
			e->has_days = 1;
		}
		certinfo_free(&ci);
	}
	memset(&ci, 0, sizeof(ci));
	if (der_cert_walk(e->chain[0].der, e->chain[0].len, &ci, err, sizeof(err)) ||
	    ossl_cert_parse(e->chain[0].der, e->chain[0].len, &ci, err, sizeof(err))) {
		stale(cfg, rep, e, &ci);
		certinfo_free(&ci);
	}
	if (e->verify)
		verify(cfg, e);
}

char *
endpoint_line(const struct endpoint *e)
{
	struct buf b = { 0 };

	buf_printf(&b, "ENDPOINT: %s", e->url);
	if (e->address)
		buf_printf(&b, " (%s)", e->address);
	if (e->error) {
		buf_printf(&b, " failed: %s", e->error);
		return buf_release(&b);
	}
	buf_printf(&b, " %s, %zu certificate%s sent, verify %s, name %s",
	    e->tls_version ? e->tls_version : "?", e->nchain, e->nchain == 1 ? "" : "s",
	    e->verify ? e->verify : "?", e->name_match ? "matches" : "does not match");
	if (e->has_days)
		buf_printf(&b, ", %.2f days left", e->min_days);
	if (e->note)
		buf_printf(&b, " (%s)", e->note);
	return buf_release(&b);
}
