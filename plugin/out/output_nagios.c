/* The Nagios/Icinga plugin output: one status line with perfdata, then long
 * output worst first, capped so the whole output stays under 8 KiB. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"
#include "net/net.h"

#define OUTPUT_CAP	8000	/* bytes of output, whole */
#define NAME_MAX_BYTES	200

/* "(in 3 days)", "(in 5 hours)", "(2 days ago)" */
static void
when(const struct cert *c, struct buf *b)
{
	double d = c->days_left;
	long n;

	if (c->no_expiry) {
		buf_addstr(b, "(no well-defined expiration)");
		return;
	}
	if (!c->expired) {
		if (d >= 1) {
			n = (long)floor(d);
			buf_printf(b, "(in %ld day%s)", n, n == 1 ? "" : "s");
		} else {
			n = (long)floor(d * 24);
			if (n == 0)
				buf_addstr(b, "(in less than 1 hour)");
			else
				buf_printf(b, "(in %ld hour%s)", n, n == 1 ? "" : "s");
		}
		return;
	}
	d = -d;
	if (d >= 1) {
		n = (long)floor(d);
		buf_printf(b, "(%ld day%s ago)", n, n == 1 ? "" : "s");
	} else {
		n = (long)floor(d * 24);
		if (n == 0)
			buf_addstr(b, "(less than 1 hour ago)");
		else
			buf_printf(b, "(%ld hour%s ago)", n, n == 1 ? "" : "s");
	}
}

/* "web01 expires 2026-11-25 (in 1 day)" for the status line. */
static void
headline(const struct cert *c, struct buf *b)
{
	char day[32];
	char *name = sanitize_name(c->name, NAME_MAX_BYTES);

	fmt_utc_day(c->ci.not_after, day, sizeof(day));
	buf_printf(b, "%s %s %s ", name, c->expired ? "expired" : "expires", day);
	when(c, b);
	free(name);
}

/* "CRITICAL: web01 expires 2026-11-25 08:00 UTC (in 1 day) [/etc/ssl/x.pem]" */
static char *
cert_line(const struct cert *c)
{
	struct buf b = { 0 };
	char t[40];
	char *name = sanitize_name(c->name, NAME_MAX_BYTES);
	char *where = sanitize_name(c->locs[0].path, 300);

	fmt_utc_minute(c->ci.not_after, t, sizeof(t));
	buf_printf(&b, "%s: %s %s %s ", cert_state_label(c), name,
	    c->expired ? "expired" : "expires", t);
	when(c, &b);
	if (c->not_yet_valid) {
		fmt_utc_minute(c->ci.not_before, t, sizeof(t));
		buf_printf(&b, " (not valid before %s)", t);
	}
	buf_printf(&b, " [%s", where);
	if (c->locs[0].record > 0 && format_is_ca_export(c->locs[0].format))
		buf_printf(&b, " record %ld", c->locs[0].record);
	if (c->nlocs > 1)
		buf_printf(&b, " +%zu more", c->nlocs - 1);
	buf_addc(&b, ']');
	if (!c->selected && c->renewed_by != NULL) {
		fmt_utc_day(c->renewed_by->ci.not_after, t, sizeof(t));
		buf_printf(&b, " renewed by serial %s (expires %s)",
		    c->renewed_by->ci.serial ? c->renewed_by->ci.serial : "?", t);
	}
	free(name);
	free(where);
	return buf_release(&b);
}

static char *
problem_line(const struct problem *p)
{
	char *path = sanitize_name(p->path, 300), *msg = sanitize_name(p->message, 400);
	char *s = p->record > 0 ? xasprintf("ERROR: %s:%ld: %s", path, p->record, msg) :
	    xasprintf("ERROR: %s: %s", path, msg);

	free(path);
	free(msg);
	return s;
}

/* The certificate the status line talks about: the soonest of the worst. */
static const struct cert *
worst(const struct report *r)
{
	static const enum cert_state order[] = { CS_CRITICAL, CS_WARNING, CS_OK };
	size_t i, k;

	for (k = 0; k < 3; k++)
		for (i = 0; i < r->ncerts; i++)
			if (r->certs[i]->selected && r->certs[i]->state == order[k] &&
			    !(order[k] == CS_OK && r->certs[i]->no_expiry))
				return r->certs[i];
	return NULL;
}

/* The worst endpoint alert (--verify, then a stale one) for the status
 * line, without its "STATE: "; NULL if none. */
static const char *
endpoint_alert(const struct report *r)
{
	const char *a = NULL;
	size_t i;

	for (i = 0; i < r->nendpoints && a == NULL; i++)
		a = r->endpoints[i].verify_alert;
	for (i = 0; i < r->nendpoints && a == NULL; i++)
		a = r->endpoints[i].stale_alert;
	return a ? strchr(a, ' ') + 1 : NULL;
}

static void
endpoint_headline(const char *a, struct buf *b)
{
	char *s;

	if (a == NULL)
		return;
	s = sanitize_name(a, 600);
	buf_printf(b, "; %s", s);
	free(s);
}

/* The long output's endpoint lines: pass 0 the --verify alerts, 1 the
 * stale ones, 2 (-v) one line per endpoint. */
static char *
endpoint_text(const struct endpoint *e, int pass)
{
	const char *a = pass == 0 ? e->verify_alert : e->stale_alert;
	char *l, *s;

	if (pass < 2)
		return a ? sanitize_name(a, 800) : NULL;
	l = endpoint_line(e);
	s = sanitize_name(l, 800);
	free(l);
	return s;
}

static void
status_line(const struct config *cfg, const struct report *r, struct buf *b)
{
	const struct counts *n = &r->counts;
	const struct cert *w = worst(r);
	const char *ea = endpoint_alert(r);

	buf_printf(b, "CERT_EXPIRY %s - ", state_name(r->state));
	if (n->found == 0 && n->errors == 0) {
		buf_addstr(b, "no certificate found");
		if (n->skipped)
			buf_printf(b, " (%zu file%s without certificates skipped)", n->skipped,
			    n->skipped == 1 ? "" : "s");
	}
	else {
		buf_printf(b, "%zu critical, %zu warning, %zu ok of %zu certificate%s",
		    n->critical, n->warning, n->ok, n->certificates,
		    n->certificates == 1 ? "" : "s");
		if (n->forgotten)
			buf_printf(b, ", %zu forgotten", n->forgotten);
		if (n->vendor)
			buf_printf(b, ", %zu vendor", n->vendor);
		if (n->errors)
			buf_printf(b, ", %zu error%s", n->errors, n->errors == 1 ? "" : "s");
		if (n->certificates == 0 && n->found > 0)
			buf_printf(b, "; %s", cfg->has_days ?
			    "none expires on that day" : "no certificate matches the selection");
		else if (w != NULL && !(ea != NULL && w->state == CS_OK)) {
			/* an endpoint's alert comes before an OK certificate */
			buf_addstr(b, "; ");
			headline(w, b);
		}
		if (n->critical == 0 && n->errors > 0) {
			char *pl = problem_line(&r->problems[0]);

			buf_printf(b, "; %s", pl + strlen("ERROR: "));
			free(pl);
		}
	}
	endpoint_headline(ea, b);
	if (r->mail_error) {
		char *m = sanitize_name(r->mail_error, 300);

		buf_printf(b, "; mail failed: %s", m);
		free(m);
	} else if (r->mail_summary)
		buf_printf(b, "; %s", r->mail_summary);
}

/* endpoints=N;;;0 and 'HOST:PORT'=DAYS;W;C (the fewest days in the chain) */
static void
endpoint_perfdata(const struct config *cfg, const struct report *r, struct buf *b)
{
	size_t i;
	char *label;

	if (r->nendpoints == 0)
		return;
	buf_printf(b, " endpoints=%zu;;;0", r->nendpoints);
	for (i = 0; i < r->nendpoints; i++) {
		const struct endpoint *e = &r->endpoints[i];
		double days = e->min_days;
		size_t j;
		int seen = 0;

		/* one label per HOST:PORT (smtp:// and submission:// to one
		 * port): the fewest days of them */
		for (j = 0; j < r->nendpoints; j++) {
			const struct endpoint *o = &r->endpoints[j];

			if (j == i || !o->has_days || strcmp(o->hostport, e->hostport) != 0)
				continue;
			if (j < i)
				seen = 1;
			else if (o->min_days < days)
				days = o->min_days;
		}
		if (!e->has_days || seen)
			continue;
		label = sanitize_name(e->hostport, 200);
		buf_printf(b, " '%s'=%.2f;%s;%s", label, days, cfg->warning.text,
		    cfg->critical.text);
		free(label);
	}
}

static void
perfdata(const struct config *cfg, const struct report *r, struct buf *b)
{
	const struct counts *n = &r->counts;

	buf_printf(b, "certificates=%zu;;;0 ok=%zu;;;0 warning=%zu;;;0 critical=%zu;;;0 "
	    "expired=%zu;;;0 errors=%zu;;;0", n->certificates, n->ok, n->warning,
	    n->critical, n->expired, n->errors);
	if (cfg->has_forget_after)
		buf_printf(b, " forgotten=%zu;;;0", n->forgotten);
	if (cfg->skip_vendor_roots)
		buf_printf(b, " vendor=%zu;;;0", n->vendor);
	if (r->has_min_days)	/* eval.c: selected, not forgotten or vendor, with expiry */
		buf_printf(b, " min_days=%.2f;%s;%s", r->min_days, cfg->warning.text,
		    cfg->critical.text);
	endpoint_perfdata(cfg, r, b);
}

/* Which certificates the long output lists, pass by pass. */
static int
shown(const struct config *cfg, const struct cert *c, int pass)
{
	if (pass == 4)		/* renewed ones, at -v */
		return !c->selected && c->renewed_by != NULL && cfg->verbose >= 1;
	if (!c->selected)
		return 0;
	switch (pass) {
	case 0:
		return c->state == CS_CRITICAL;
	case 1:
		return c->state == CS_WARNING;
	case 2:
		return c->state == CS_OK && cfg->verbose >= 1;
	case 3:
		return (c->state == CS_FORGOTTEN || c->state == CS_VENDOR) &&
		    cfg->verbose >= 1;
	}
	return 0;
}

/* The long output, line by line, until the cap: what no longer fits is
 * only counted (so -v over a million certificates formats a few dozen). */
struct longout {
	struct buf	*all;
	size_t		 used;
	int		 capped;
	size_t		 more;
};

static int
lo_full(struct longout *lo)
{
	if (lo->capped)
		lo->more++;
	return lo->capped;
}

static void
lo_add(struct longout *lo, char *s)
{
	size_t l = strlen(s) + 1;

	if (lo->capped || lo->used + l + 40 > OUTPUT_CAP) {
		lo->capped = 1;
		lo->more++;
	} else {
		buf_addstr(lo->all, s);
		buf_addc(lo->all, '\n');
		lo->used += l;
	}
	free(s);
}

static void
endpoint_lines(struct longout *lo, const struct report *r, int pass)
{
	size_t i;
	char *s;

	for (i = 0; i < r->nendpoints; i++)
		if ((s = endpoint_text(&r->endpoints[i], pass)) != NULL) {
			if (lo_full(lo))
				free(s);
			else
				lo_add(lo, s);
		}
}

void
output_nagios(FILE *out, const struct config *cfg, const struct report *r)
{
	struct buf all = { 0 }, line = { 0 };
	struct longout lo;
	char *s, *p, *m;
	size_t i, k;

	status_line(cfg, r, &line);
	buf_addstr(&line, " | ");
	perfdata(cfg, r, &line);
	buf_addc(&line, '\n');
	buf_add(&all, line.data, line.len);
	buf_free(&line);

	memset(&lo, 0, sizeof(lo));
	lo.all = &all;
	lo.used = all.len;
	/* worst first: CRITICAL, errors (UNKNOWN), WARNING, then -v extras */
	for (i = 0; i < r->ncerts; i++)
		if (shown(cfg, r->certs[i], 0) && !lo_full(&lo))
			lo_add(&lo, cert_line(r->certs[i]));
	endpoint_lines(&lo, r, 0);
	for (i = 0; i < r->nproblems; i++)
		if (!lo_full(&lo))
			lo_add(&lo, problem_line(&r->problems[i]));
	endpoint_lines(&lo, r, 1);
	for (k = 1; k <= 4; k++)
		for (i = 0; i < r->ncerts; i++)
			if (shown(cfg, r->certs[i], (int)k) && !lo_full(&lo))
				lo_add(&lo, cert_line(r->certs[i]));
	if (cfg->verbose >= 1)
		endpoint_lines(&lo, r, 2);
	if (cfg->verbose >= 2) {
		for (i = 0; i < r->nskips; i++) {
			if (lo_full(&lo))
				continue;
			p = sanitize_name(r->skips[i].path, 300);
			m = sanitize_name(r->skips[i].reason, 300);
			lo_add(&lo, xasprintf("SKIPPED: %s: %s", p, m));
			free(p);
			free(m);
		}
		for (i = 0; i < r->nnotes; i++) {
			if (lo_full(&lo))
				continue;
			s = sanitize_name(r->notes[i], 600);
			lo_add(&lo, xasprintf("NOTE: %s", s));
			free(s);
		}
	}
	/* collect_nagios kept only the lines that can fit: it counts the others */
	if (lo.capped || r->nomitted > 0)
		buf_printf(&all, "... and %zu more\n", lo.more + r->nomitted);
	fwrite(all.data, 1, all.len, out);
	buf_free(&all);
}
