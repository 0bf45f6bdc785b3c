/* Endpoints as a source: parsed from the command line, checked
 * concurrently (par_each: a thread each, up to MAX_THREADS at a time,
 * every one bounded by --connect-timeout), and what each serves added to the report
 * through a sink, as a file's certificates are: de-duplicated with the
 * files by the DER, selected and evaluated alike. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "net/net.h"
#include "par.h"
#include "sink.h"

#define MAX_THREADS	64

int
endpoints_parse(const struct config *cfg, struct report *rep, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < cfg->nconnect_to; i++)
		if (!connect_to_check(cfg->connect_to[i], err, errlen))
			return 0;
	if (cfg->nconnects == 0)
		return 1;
	rep->endpoints = xcalloc(cfg->nconnects, sizeof(*rep->endpoints));
	for (i = 0; i < cfg->nconnects; i++) {
		if (!endpoint_parse(cfg->connects[i], &rep->endpoints[i], err, errlen))
			return 0;
		rep->nendpoints++;
	}
	return 1;
}

struct fetch {
	const struct config	*cfg;
	struct report		*rep;
};

/* One endpoint, on a thread of par_each(). */
static void
fetch_one(void *arg, size_t i)
{
	struct fetch *f = arg;

	fetch_endpoint(f->cfg, &f->rep->endpoints[i]);
	tls_judge(&f->rep->endpoints[i]);
}

/* The served chain into the report, a sink per certificate: location
 * "URL depth N", format "tls", the depth as its record. */
static void
add_chain(const struct config *cfg, struct report *rep, struct endpoint *e)
{
	struct sink_cert_meta m;
	struct sink s;
	size_t d;
	char *where;

	for (d = 0; d < e->nchain; d++) {
		where = xasprintf("%s depth %zu", e->url, d);
		memset(&s, 0, sizeof(s));
		s.cfg = cfg;
		s.path = where;
		s.rep = rep;
		memset(&m, 0, sizeof(m));
		m.format = "tls";
		m.record = (long)d;
		(void)sink_der(&s, e->chain[d].der, e->chain[d].len, &m);
		sink_merge(&s, rep);
		sink_buffers_free(&s);
		free(where);
	}
}

void
endpoints_fetch(const struct config *cfg, struct report *rep)
{
	struct fetch f;
	size_t i;
	char *msg;

	if (rep->nendpoints == 0)
		return;
	fetch_global_init();
	if (!tls_init(cfg))
		oom();
	f.cfg = cfg;
	f.rep = rep;
	par_each(rep->nendpoints, MAX_THREADS, fetch_one, &f);
	tls_done();
	/* in command-line order, so the report does not depend on timing */
	for (i = 0; i < rep->nendpoints; i++) {
		struct endpoint *e = &rep->endpoints[i];

		if (e->error) {
			msg = xasprintf("%s", e->error);
			report_add_problem(rep, e->url, 0, msg);
			free(msg);
		} else
			add_chain(cfg, rep, e);
		if (e->note && cfg->verbose >= 2) {
			msg = xasprintf("%s: %s", e->url, e->note);
			report_add_note(rep, msg);
			free(msg);
		}
	}
}

void
endpoints_eval(const struct config *cfg, struct report *rep)
{
	size_t i;

	for (i = 0; i < rep->nendpoints; i++) {
		endpoint_eval(cfg, rep, &rep->endpoints[i]);
		rep->state = state_worse(rep->state, rep->endpoints[i].state);
	}
}

void
endpoints_free(struct report *rep)
{
	size_t i, d;

	for (i = 0; i < rep->nendpoints; i++) {
		struct endpoint *e = &rep->endpoints[i];

		for (d = 0; d < e->nchain; d++)
			free(e->chain[d].der);
		free(e->chain);
		free(e->url);
		free(e->host);
		free(e->hostport);
		free(e->path);
		free(e->address);
		free(e->tls_version);
		free(e->verify);
		free(e->error);
		free(e->note);
		free(e->stale_path);
		free(e->stale_serial);
		free(e->verify_alert);
		free(e->stale_alert);
	}
	free(rep->endpoints);
	rep->endpoints = NULL;
	rep->nendpoints = 0;
}
