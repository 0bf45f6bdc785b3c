/* The container area's tests through the plugin's own sink: a reader reads
 * into a buffered sink (as a file read by a worker thread is), and its
 * events (certificates with their SHA-256, errors, notes, skips) are
 * gathered in order for the tests to look at. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "extern.h"
#include "container-sink.h"

static void
push(char ***v, size_t *n, char *s)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = s;
}

void
csink_init(struct csink *c, const char *path, const char *password)
{
	memset(c, 0, sizeof(*c));
	c->path = path;
	c->cfg.verbose = 2;	/* every note is kept */
	c->cfg.jobs = 1;
	c->cfg.pkcs12_password = password ? xstrdup(password) : NULL;
	c->sink.cfg = &c->cfg;
	c->sink.path = path;
}

/* What the sink holds, into c's lists; the sink is emptied. */
static void
gather(struct csink *c)
{
	struct sink *s = &c->sink;
	struct csink_cert *k;
	struct event *e;
	size_t i;

	for (i = 0; i < s->nev; i++) {
		e = &s->ev[i];
		switch (e->type) {
		case EV_CERT:
			c->certs = xreallocarray(c->certs, c->ncerts + 1, sizeof(*c->certs));
			k = &c->certs[c->ncerts++];
			memcpy(k->sha256, e->ci.sha256, sizeof(k->sha256));
			k->format = xstrdup(e->format);
			k->record = e->record;
			k->alias = e->text != NULL ? xstrdup(e->text) : NULL;
			continue;
		case EV_ERROR:
			push(&c->errors, &c->nerrors, e->record ?
			    xasprintf("%s:%ld: %s", c->path, e->record, e->text) :
			    xasprintf("%s: %s", c->path, e->text));
			break;
		case EV_NOTE:
			push(&c->notes, &c->nnotes, e->format != NULL ?
			    xasprintf("%s %ld: %s", e->format, e->record, e->text) :
			    xstrdup(e->text));
			break;
		case EV_SKIP:
			push(&c->skips, &c->nskips, xstrdup(e->text));
			break;
		}
	}
	sink_discard(s);
}

void
csink_run(struct csink *c, const struct reader *r, const unsigned char *p, size_t len)
{
	r->read(&c->sink, p, len);
	gather(c);
}

int
csink_read(struct csink *c, const unsigned char *p, size_t len)
{
	const struct reader *const mine[] = {
		&reader_jks, &reader_pkcs12, &reader_pkcs7, NULL
	};
	size_t i;

	for (i = 0; mine[i] != NULL; i++)
		if (mine[i]->probe(p, len)) {
			csink_run(c, mine[i], p, len);
			return 1;
		}
	return 0;
}

static void
freev(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
csink_free(struct csink *c)
{
	size_t i;

	for (i = 0; i < c->ncerts; i++) {
		free(c->certs[i].format);
		free(c->certs[i].alias);
	}
	free(c->certs);
	freev(c->errors, c->nerrors);
	freev(c->notes, c->nnotes);
	freev(c->skips, c->nskips);
	sink_discard(&c->sink);
	if (c->cfg.pkcs12_password != NULL) {
		explicit_clear(c->cfg.pkcs12_password, strlen(c->cfg.pkcs12_password));
		free(c->cfg.pkcs12_password);
	}
	memset(c, 0, sizeof(*c));
}

int
csink_error_has(const struct csink *c, const char *needle)
{
	size_t i;

	for (i = 0; i < c->nerrors; i++)
		if (strstr(c->errors[i], needle) != NULL)
			return 1;
	return 0;
}
