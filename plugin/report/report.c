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

/* ------------------------------------------------------ the interface */

/* The Nagios output without -v prints little: the first lines of each
 * state and the counts. Anything that looks at every record (-v, mail and
 * its state file, --metrics-file, --skip-renewed, and endpoints, whose
 * stale join looks at every file's certificates) needs all of them. */
const struct collector *
collector_for(const struct config *cfg)
{
	if (cfg->output == OUTPUT_NAGIOS && cfg->verbose == 0 && cfg->smtp_server == NULL &&
	    cfg->metrics_file == NULL && !cfg->skip_renewed && cfg->nconnects == 0)
		return &collect_nagios;
	return &collect_all;
}

static const struct collector *
collector_of(const struct report *r)
{
	return r->collector != NULL ? r->collector : &collect_all;
}

void
report_add_cert(struct report *r, const struct certinfo *ci, const struct location *loc,
    const unsigned char *id)
{
	collector_of(r)->add(r, ci, loc, id);
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
report_late_error(struct report *r, const char *path, const char *msg)
{
	report_add_problem(r, path, 0, msg);
	r->counts.errors = r->nproblems;
	r->state = state_worse(r->state, STATE_UNKNOWN);
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
