/* Evaluation: days left, per-certificate state, counts and the overall
 * state. The state order of this project is CRITICAL > UNKNOWN > WARNING >
 * OK (a broken source must not hide behind a warning, and a critical
 * certificate must not hide behind a broken source). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "extern.h"

int
state_worse(int a, int b)
{
	static const int rank[4] = { 0, 1, 3, 2 };	/* OK, WARNING, CRITICAL, UNKNOWN */

	return rank[a & 3] >= rank[b & 3] ? a : b;
}

const char *
state_name(int s)
{
	static const char *const names[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

	return names[s & 3];
}

void
eval_one(const struct config *cfg, struct cert *c)
{
	c->days_left = (double)(c->ci.not_after - cfg->now) / 86400.0;
	c->expired = c->ci.not_after <= cfg->now;
	c->no_expiry = c->ci.not_after == NO_EXPIRY_TIME;
	c->not_yet_valid = c->ci.has_not_before && cfg->now < c->ci.not_before;
	if (c->vendor)
		c->state = CS_VENDOR;	/* the vendor's business, not alerted */
	else if (c->no_expiry)
		c->state = CS_OK;
	else if (c->expired && cfg->has_forget_after &&
	    cfg->now - c->ci.not_after > (int64_t)cfg->forget_after * 86400)
		c->state = CS_FORGOTTEN;
	else if (c->expired || range_alert(&cfg->critical, c->days_left))
		c->state = CS_CRITICAL;
	else if (range_alert(&cfg->warning, c->days_left))
		c->state = CS_WARNING;
	else
		c->state = CS_OK;
}

/* Adds one evaluated certificate to the counts (the one place that does). */
void
count_state(struct counts *n, const struct cert *c)
{
	switch (c->state) {
	case CS_OK:
		n->ok++;
		break;
	case CS_WARNING:
		n->warning++;
		break;
	case CS_CRITICAL:
		n->critical++;
		n->expired += c->expired;
		break;
	case CS_FORGOTTEN:
		n->forgotten++;
		break;
	case CS_VENDOR:
		n->vendor++;
		break;
	}
}

void
eval_count(const struct config *cfg, struct report *r, const struct cert *c)
{
	(void)cfg;
	count_state(&r->counts, c);
	r->counts.not_yet_valid += c->not_yet_valid;
	if (c->state != CS_FORGOTTEN && c->state != CS_VENDOR && !c->no_expiry &&
	    (!r->has_min_days || c->days_left < r->min_days)) {
		r->min_days = c->days_left;
		r->has_min_days = 1;
	}
}

void
eval_state(const struct config *cfg, struct report *r)
{
	struct counts *n = &r->counts;
	int st = STATE_OK;

	n->certificates = n->ok + n->warning + n->critical + n->forgotten + n->vendor;
	n->errors = r->nproblems;
	n->skipped = r->nskips;
	if (n->critical)
		st = STATE_CRITICAL;
	else if (n->errors || r->timed_out || n->found == 0 || r->mail_error ||
	    (n->certificates == 0 && !cfg->has_days))
		st = STATE_UNKNOWN;
	else if (n->warning)
		st = STATE_WARNING;
	r->state = st;
	sort_certs(r);
}

/* Every label cert_state_label() gives (the OpenMetrics counts list them
 * all, also those no certificate has): a new one goes here as well. */
const char *const cert_state_labels[] = {
	"OK", "WARNING", "CRITICAL", "FORGOTTEN", "VENDOR", "RENEWED", NULL
};

const char *
cert_state_label(const struct cert *c)
{
	if (!c->selected)
		return "RENEWED";
	switch (c->state) {
	case CS_WARNING:
		return "WARNING";
	case CS_CRITICAL:
		return "CRITICAL";
	case CS_FORGOTTEN:
		return "FORGOTTEN";
	case CS_VENDOR:
		return "VENDOR";
	default:
		return "OK";
	}
}

int
format_is_ca_export(const char *format)
{
	return strncmp(format, "certutil", 8) == 0 || strcmp(format, "index.txt") == 0;
}

int
cert_cmp(const struct cert *x, const struct cert *y)
{
	int r;

	if (x->ci.not_after != y->ci.not_after)
		return x->ci.not_after < y->ci.not_after ? -1 : 1;
	if ((r = strcmp(x->name, y->name)) != 0)
		return r;
	if ((r = strcmp(x->ci.serial ? x->ci.serial : "", y->ci.serial ? y->ci.serial : "")) != 0)
		return r;
	if (x->ci.has_sha256 != y->ci.has_sha256)
		return x->ci.has_sha256 ? -1 : 1;
	if ((r = memcmp(x->ci.sha256, y->ci.sha256, sizeof(x->ci.sha256))) != 0)
		return r;
	/* rows without DER can tie: first seen first (a stable sort did so) */
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int
cert_pcmp(const void *a, const void *b)
{
	return cert_cmp(*(const struct cert *const *)a, *(const struct cert *const *)b);
}

void
sort_certs(struct report *r)
{
	if (r->ncerts > 1)
		qsort(r->certs, r->ncerts, sizeof(*r->certs), cert_pcmp);
}
