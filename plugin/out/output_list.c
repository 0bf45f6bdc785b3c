/* A table for people: name, expiry, days left, state, where; soonest first.
 * Errors go to standard error. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "extern.h"

#define NAME_COL_MAX	60

static size_t
width(const char *s)		/* code points, a fair guess at columns */
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static int
listed(const struct cert *c)
{
	return c->selected || c->renewed_by != NULL;
}

static const char *
label(const struct cert *c)
{
	if (!c->selected)
		return "RENEWED";
	if (c->state == CS_FORGOTTEN)
		return "FORGOTTEN";
	if (c->state == CS_VENDOR)
		return "VENDOR";
	if (c->expired)
		return "EXPIRED";
	return c->state == CS_CRITICAL ? "CRITICAL" : c->state == CS_WARNING ? "WARNING" :
	    c->not_yet_valid ? "NOT-YET-VALID" : "OK";
}

static char *
where(const struct cert *c)
{
	struct buf b = { 0 };
	char *p = sanitize_name(c->locs[0].path, 300), t[32];

	buf_addstr(&b, p);
	free(p);
	if (c->locs[0].record > 0 && format_is_ca_export(c->locs[0].format))
		buf_printf(&b, " record %ld", c->locs[0].record);
	if (c->nlocs > 1)
		buf_printf(&b, " (+%zu more)", c->nlocs - 1);
	if (!c->selected && c->renewed_by) {
		fmt_utc_day(c->renewed_by->ci.not_after, t, sizeof(t));
		buf_printf(&b, " renewed by serial %s (expires %s)",
		    c->renewed_by->ci.serial ? c->renewed_by->ci.serial : "?", t);
	}
	return buf_release(&b);
}

void
output_list(FILE *out, const struct config *cfg, const struct report *r)
{
	size_t i, wn = 4, w;
	char t[40], days[32], *name, *loc;

	(void)cfg;
	for (i = 0; i < r->ncerts; i++)
		if (listed(r->certs[i])) {
			name = sanitize_name(r->certs[i]->name, 240);
			if ((w = width(name)) > wn)
				wn = w > NAME_COL_MAX ? NAME_COL_MAX : w;
			free(name);
		}
	fprintf(out, "%-*s  %-20s  %9s  %-13s  %s\n", (int)wn, "NAME", "EXPIRES (UTC)",
	    "DAYS LEFT", "STATE", "WHERE");
	for (i = 0; i < r->ncerts; i++) {
		const struct cert *c = r->certs[i];

		if (!listed(c))
			continue;
		name = sanitize_name(c->name, 240);
		loc = where(c);
		fmt_utc_minute(c->ci.not_after, t, sizeof(t));
		if (c->no_expiry)
			snprintf(days, sizeof(days), "never");
		else
			snprintf(days, sizeof(days), "%.2f", c->days_left);
		/* pad by code points so UTF-8 names line up */
		fprintf(out, "%s%*s  %-20s  %9s  %-13s  %s\n", name,
		    (int)(wn > width(name) ? wn - width(name) : 0), "", t, days, label(c), loc);
		free(name);
		free(loc);
	}
	for (i = 0; i < r->nproblems; i++) {
		char *p = sanitize_name(r->problems[i].path, 300);
		char *m = sanitize_name(r->problems[i].message, 400);

		if (r->problems[i].record > 0)
			fprintf(stderr, "check_cert_expiry: %s:%ld: %s\n", p, r->problems[i].record, m);
		else
			fprintf(stderr, "check_cert_expiry: %s: %s\n", p, m);
		free(p);
		free(m);
	}
}
