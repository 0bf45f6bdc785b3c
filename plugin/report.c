/* The report: what the sources found (records, problems, skips, notes),
 * gathered by one of two collectors behind one interface (collect.h):
 * keep_all.c keeps every record (lists, JSON, OpenMetrics, mail,
 * --skip-renewed, -v), keep_nagios.c what the Nagios output prints. Both
 * select and evaluate a record with select_eval() (select.c). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "idset.h"

/* Every stored record is one allocation: struct cert, then its strings. */
static size_t
slen(const char *s)
{
	return s != NULL ? strlen(s) + 1 : 0;
}

static char *
scopy(char **at, const char *s)
{
	size_t n;
	char *d;

	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	d = *at;
	memcpy(d, s, n);
	*at += n;
	return d;
}

struct cert *
cert_pack(struct certinfo *ci, const char **last_issuer, int borrowed)
{
	struct cert *c;
	size_t n, i;
	char *at;
	int share;

	share = last_issuer != NULL && ci->issuer != NULL && *last_issuer != NULL &&
	    strcmp(ci->issuer, *last_issuer) == 0;
	n = sizeof(*c) + ci->ndns * sizeof(char *) + slen(ci->serial) + slen(ci->subject) +
	    (share ? 0 : slen(ci->issuer)) + slen(ci->cn) + slen(ci->template) +
	    slen(ci->request_id) + slen(ci->requester) + slen(ci->revoke_reason);
	for (i = 0; i < ci->ndns; i++)
		n += slen(ci->dns[i]);
	c = xcalloc(1, n);
	c->ci = *ci;
	at = (char *)(c + 1);
	if (ci->ndns > 0) {
		c->ci.dns = (char **)(void *)at;
		at += ci->ndns * sizeof(char *);
		for (i = 0; i < ci->ndns; i++)
			c->ci.dns[i] = scopy(&at, ci->dns[i]);
	} else
		c->ci.dns = NULL;
	c->ci.serial = scopy(&at, ci->serial);
	c->ci.subject = scopy(&at, ci->subject);
	c->ci.issuer = share ? (char *)*last_issuer : scopy(&at, ci->issuer);
	c->ci.cn = scopy(&at, ci->cn);
	c->ci.template = scopy(&at, ci->template);
	c->ci.request_id = scopy(&at, ci->request_id);
	c->ci.requester = scopy(&at, ci->requester);
	c->ci.revoke_reason = scopy(&at, ci->revoke_reason);
	if (last_issuer != NULL && c->ci.issuer != NULL)
		*last_issuer = c->ci.issuer;
	c->name = certinfo_name(&c->ci);
	if (!borrowed)
		certinfo_free(ci);
	return c;
}

void
cert_free(struct cert *c, int own_paths)
{
	size_t j;

	/* keep_nagios.c (own_paths) stores the first location only */
	for (j = 0; j < (own_paths && c->nlocs > 1 ? 1 : c->nlocs); j++) {
		if (own_paths)
			free(c->locs[j].path);
		free(c->locs[j].alias);
	}
	if (c->locs != &c->loc1)
		free(c->locs);
	free(c);
}

struct location *
location_new(struct cert *c)
{
	if (c->nlocs == 0)
		c->locs = &c->loc1;
	else if (c->locs == &c->loc1) {
		c->locs = xreallocarray(NULL, 2, sizeof(*c->locs));
		c->locs[0] = c->loc1;
	} else
		c->locs = xreallocarray(c->locs, c->nlocs + 1, sizeof(*c->locs));
	return &c->locs[c->nlocs++];
}

/* ------------------------------------------------------ the interface */

/* The Nagios output without -v prints little: the first lines of each
 * state and the counts. Anything that looks at every record (-v, mail and
 * its state file, --metrics-file, --skip-renewed) needs all of them. */
const struct collector *
collector_for(const struct config *cfg)
{
	if (cfg->output == OUTPUT_NAGIOS && cfg->verbose == 0 && cfg->smtp_server == NULL &&
	    cfg->metrics_file == NULL && !cfg->skip_renewed)
		return &collect_nagios;
	return &collect_all;
}

static const struct collector *
collector_of(const struct report *r)
{
	return r->collector != NULL ? r->collector : &collect_all;
}

int
report_ids(const struct report *r)
{
	(void)r;
	return 1;	/* both collectors go by identity */
}

int
report_takes_rows(const struct report *r)
{
	return r != NULL && r->collector == &collect_nagios;
}

void
report_add_cert(struct report *r, struct certinfo *ci, const struct location *loc)
{
	collector_of(r)->add(r, ci, loc, NULL, 0);
}

void
report_add_cert_id(struct report *r, struct certinfo *ci, const struct location *loc,
    const unsigned char *id)
{
	collector_of(r)->add(r, ci, loc, id, 0);
}

void
report_add_cert_borrowed(struct report *r, struct certinfo *ci, const struct location *loc,
    const unsigned char *id)
{
	collector_of(r)->add(r, ci, loc, id, 1);
}

/* Both collectors' state begins with their identity set. */
void
report_expect(struct report *r, size_t n)
{
	if (r->index != NULL && n > ((struct idset *)r->index)->n)
		idset_expect(r->index, n);
}

void
report_prefetch(const struct report *r, const unsigned char id[CERT_ID_LEN])
{
	if (r->index != NULL)
		idset_prefetch(r->index, id);
}

int
report_finish(const struct config *cfg, struct report *r, char *err, size_t errlen)
{
	if (!collector_of(r)->finish(cfg, r, err, errlen))
		return 0;
	eval_state(cfg, r);
	return 1;
}

void
report_add_problem(struct report *r, const char *path, long record, const char *msg)
{
	struct problem *p;

	r->problems = xreallocarray(r->problems, r->nproblems + 1, sizeof(*r->problems));
	p = &r->problems[r->nproblems++];
	p->path = xstrdup(path);
	p->record = record;
	p->message = xstrdup(msg);
}

void
report_add_skip(struct report *r, const char *path, const char *reason)
{
	struct skipped *s;

	r->skips = xreallocarray(r->skips, r->nskips + 1, sizeof(*r->skips));
	s = &r->skips[r->nskips++];
	s->path = xstrdup(path);
	s->reason = xstrdup(reason);
}

void
report_add_note(struct report *r, const char *note)
{
	r->notes = xreallocarray(r->notes, r->nnotes + 1, sizeof(*r->notes));
	r->notes[r->nnotes++] = xstrdup(note);
}

void
certinfo_free(struct certinfo *ci)
{
	size_t i;

	free(ci->serial);
	free(ci->subject);
	free(ci->issuer);
	free(ci->cn);
	for (i = 0; i < ci->ndns; i++)
		free(ci->dns[i]);
	free(ci->dns);
	free(ci->template);
	free(ci->request_id);
	free(ci->requester);
	free(ci->revoke_reason);
	memset(ci, 0, sizeof(*ci));
}

const char *
certinfo_name(const struct certinfo *ci)
{
	if (ci->cn != NULL && ci->cn[0] != '\0')
		return ci->cn;
	if (ci->ndns > 0)
		return ci->dns[0];
	if (ci->subject != NULL && ci->subject[0] != '\0')
		return ci->subject;
	return ci->serial ? ci->serial : "(unnamed)";
}

void
report_free(struct report *r)
{
	size_t i;

	collector_of(r)->free(r);	/* the records, and what it keeps */
	for (i = 0; i < r->nproblems; i++) {
		free(r->problems[i].path);
		free(r->problems[i].message);
	}
	free(r->problems);
	for (i = 0; i < r->nskips; i++) {
		free(r->skips[i].path);
		free(r->skips[i].reason);
	}
	free(r->skips);
	for (i = 0; i < r->nnotes; i++)
		free(r->notes[i]);
	free(r->notes);
	free(r->mail_error);
	free(r->mail_summary);
	vendor_free(r->vendor);
	memset(r, 0, sizeof(*r));
}
