/* Endpoints as a source: parsed from the command line, checked
 * concurrently (a thread each, up to MAX_THREADS at a time, every one
 * bounded by --connect-timeout), and what each serves added to the report
 * through a sink, as a file's certificates are: de-duplicated with the
 * files by the DER, selected and evaluated alike. */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "net/net.h"
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

struct pool {
	const struct config	*cfg;
	struct report		*rep;
	pthread_mutex_t		 mu;
	size_t			 next;
};

static void *
worker(void *arg)
{
	struct pool *p = arg;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&p->mu);
		i = p->next++;
		pthread_mutex_unlock(&p->mu);
		if (i >= p->rep->nendpoints)
			return NULL;
		fetch_endpoint(p->cfg, &p->rep->endpoints[i]);
		tls_judge(&p->rep->endpoints[i]);
	}
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
		free(where);
	}
}

void
endpoints_fetch(const struct config *cfg, struct report *rep)
{
	pthread_t th[MAX_THREADS];
	struct pool p;
	size_t i, n;
	char *msg;

	if (rep->nendpoints == 0)
		return;
	fetch_global_init();
	if (!tls_init(cfg))
		oom();
	memset(&p, 0, sizeof(p));
	p.cfg = cfg;
	p.rep = rep;
	pthread_mutex_init(&p.mu, NULL);
	n = rep->nendpoints < MAX_THREADS ? rep->nendpoints : MAX_THREADS;
	for (i = 0; i < n; i++)
		if (pthread_create(&th[i], NULL, worker, &p) != 0)
			break;
	if (i == 0)
		(void)worker(&p);	/* no thread at all: one by one here */
	n = i;
	for (i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	pthread_mutex_destroy(&p.mu);
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
