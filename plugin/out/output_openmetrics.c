/*
 * The OpenMetrics text format (what Prometheus scrapes and node_exporter's
 * textfile collector reads), for -o openmetrics and --metrics-file. It
 * prints the certificates JSON prints (selected ones, and renewed ones),
 * from the same report. Families, in this order, each with # HELP and
 * # TYPE (and # UNIT for the _seconds ones), their samples together:
 *
 *	cert_expiry_not_after_seconds{LABELS}	 per certificate
 *	cert_expiry_not_before_seconds{LABELS}	 where it is known
 *	cert_expiry_state{LABELS}		 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN
 *	cert_expiry_watched{LABELS}		 1 alerted on, 0 counted only
 *	cert_expiry_certificates{state}		 for every label of cert_state_labels
 *	cert_expiry_errors, cert_expiry_last_run_seconds
 *	# EOF
 *
 * LABELS are name, serial, issuer, sha256 (lower-case hex) and source (the
 * first location; "PATH:RECORD" for a CA-export row), "" where unknown.
 * Labels must tell the samples of a family apart: with a SHA-256 they do;
 * rows without one are told apart by issuer and serial or by their row
 * (the report merges rows that agree in all of these). Should two still
 * agree, the later ones' source ends in " #2", " #3", ... (a guard: a
 * scrape with a repeated label set is refused as a whole).
 *
 * cert_expiry_state follows the JSON state: WARNING 1, CRITICAL (expired
 * included) 2; OK and the states that are counted but not alerted
 * (RENEWED, FORGOTTEN, VENDOR) 0, which cert_expiry_watched 0 marks.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"
#include "net/net.h"

#define OM_CHUNK	65536	/* bytes buffered before they are written */
#define METRICS_MODE	0644	/* node_exporter runs as another user */

/* A label value with OpenMetrics escaping (\\, \", \n); invalid UTF-8
 * (which certinfo never holds) is repaired first. Other control characters
 * are legal inside the quotes and pass unchanged, so names round-trip. */
static void
om_value(struct buf *b, const char *s)
{
	char *fixed = NULL;
	const char *p;

	if (s == NULL)
		s = "";
	if (!utf8_valid((const unsigned char *)s, strlen(s)))
		s = fixed = utf8_repair((const unsigned char *)s, strlen(s));
	for (p = s; *p != '\0'; p++) {
		switch (*p) {
		case '\\':
			buf_addstr(b, "\\\\");
			break;
		case '"':
			buf_addstr(b, "\\\"");
			break;
		case '\n':
			buf_addstr(b, "\\n");
			break;
		default:
			buf_addc(b, *p);
		}
	}
	free(fixed);
}

static void
label(struct buf *b, const char *key, const char *val, int first)
{
	buf_printf(b, "%s%s=\"", first ? "" : ",", key);
	om_value(b, val);
	buf_addc(b, '"');
}

static void
family(struct buf *b, const char *name, const char *unit, const char *help)
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
	if (unit != NULL)
		buf_printf(b, "# UNIT %s %s\n", name, unit);
}

static int
printed(const struct cert *c)
{
	return c->selected || c->renewed_by != NULL;	/* as JSON */
}

static long
src_record(const struct location *l)
{
	return l->record > 0 && format_is_ca_export(l->format) ? l->record : 0;
}

/* ---------------------------------------------------- unique label sets */
/* Certificates without a SHA-256, whose labels could agree. */
struct twin {
	const struct cert	*c;
	size_t			 pos;	/* in report->certs */
};

static int
str_cmp(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "");
}

static int
labels_cmp(const struct cert *x, const struct cert *y)
{
	int r;

	if ((r = strcmp(x->name, y->name)) != 0 ||
	    (r = str_cmp(x->ci.serial, y->ci.serial)) != 0 ||
	    (r = str_cmp(x->ci.issuer, y->ci.issuer)) != 0 ||
	    (r = strcmp(x->locs[0].path, y->locs[0].path)) != 0)
		return r;
	return (src_record(&x->locs[0]) > src_record(&y->locs[0])) -
	    (src_record(&x->locs[0]) < src_record(&y->locs[0]));
}

static int
twin_cmp(const void *a, const void *b)
{
	const struct twin *x = a, *y = b;
	int r = labels_cmp(x->c, y->c);

	return r != 0 ? r : (x->pos > y->pos) - (x->pos < y->pos);
}

/* dup[i]: 0, or n >= 2 when certs[i] is the n-th with its labels (NULL
 * when no two agree). */
static size_t *
find_twins(const struct report *r)
{
	struct twin *t = NULL;
	size_t *dup = NULL, i, n = 0, k;

	for (i = 0; i < r->ncerts; i++)
		if (printed(r->certs[i]) && !r->certs[i]->ci.has_sha256)
			n++;
	if (n < 2)
		return NULL;
	t = xcalloc(n, sizeof(*t));
	for (i = 0, n = 0; i < r->ncerts; i++)
		if (printed(r->certs[i]) && !r->certs[i]->ci.has_sha256) {
			t[n].c = r->certs[i];
			t[n++].pos = i;
		}
	qsort(t, n, sizeof(*t), twin_cmp);
	for (i = 1, k = 1; i < n; i++) {
		k = labels_cmp(t[i - 1].c, t[i].c) == 0 ? k + 1 : 1;
		if (k > 1) {
			if (dup == NULL)
				dup = xcalloc(r->ncerts, sizeof(*dup));
			dup[t[i].pos] = k;
		}
	}
	free(t);
	return dup;
}

/* ------------------------------------------------------------- samples */
static void
cert_labels(struct buf *b, const struct cert *c, size_t dup)
{
	static const char hex[] = "0123456789abcdef";
	char sha[65], *src;
	const struct location *l = &c->locs[0];
	size_t i;

	sha[0] = '\0';
	if (c->ci.has_sha256) {
		for (i = 0; i < sizeof(c->ci.sha256); i++) {
			sha[2 * i] = hex[c->ci.sha256[i] >> 4];
			sha[2 * i + 1] = hex[c->ci.sha256[i] & 15];
		}
		sha[64] = '\0';
	}
	if (src_record(l) > 0)
		src = dup ? xasprintf("%s:%ld #%zu", l->path, l->record, dup) :
		    xasprintf("%s:%ld", l->path, l->record);
	else
		src = dup ? xasprintf("%s #%zu", l->path, dup) : xstrdup(l->path);
	buf_addc(b, '{');
	label(b, "name", c->name, 1);
	label(b, "serial", c->ci.serial, 0);
	label(b, "issuer", c->ci.issuer, 0);
	label(b, "sha256", sha, 0);
	label(b, "source", src, 0);
	buf_addc(b, '}');
	free(src);
}

/* The JSON state as a number. */
static int
state_value(const struct cert *c)
{
	const char *s = cert_state_label(c);

	if (strcmp(s, "WARNING") == 0)
		return STATE_WARNING;
	if (strcmp(s, "CRITICAL") == 0)
		return STATE_CRITICAL;
	return STATE_OK;
}

/* 1 unless the certificate is counted only (RENEWED, FORGOTTEN, VENDOR). */
static int
watched(const struct cert *c)
{
	const char *s = cert_state_label(c);

	return strcmp(s, "OK") == 0 || strcmp(s, "WARNING") == 0 ||
	    strcmp(s, "CRITICAL") == 0;
}

enum per_cert { PC_NOT_AFTER, PC_NOT_BEFORE, PC_STATE, PC_WATCHED };

static void
flush_some(FILE *out, struct buf *b)
{
	if (b->len >= OM_CHUNK) {	/* memory stays small for big reports */
		fwrite(b->data, 1, b->len, out);
		b->len = 0;
		b->data[0] = '\0';
	}
}

static int64_t
sample(const struct cert *c, enum per_cert what)
{
	switch (what) {
	case PC_NOT_AFTER:
		return c->ci.not_after;
	case PC_NOT_BEFORE:
		return c->ci.not_before;
	case PC_STATE:
		return state_value(c);
	default:
		return watched(c);
	}
}

static void
per_cert(FILE *out, struct buf *b, const struct report *r, const size_t *dup,
    enum per_cert what)
{
	static const char *const names[] = {
		"cert_expiry_not_after_seconds", "cert_expiry_not_before_seconds",
		"cert_expiry_state", "cert_expiry_watched"
	};
	size_t i;

	for (i = 0; i < r->ncerts; i++) {
		const struct cert *c = r->certs[i];

		if (!printed(c) || (what == PC_NOT_BEFORE && !c->ci.has_not_before))
			continue;
		buf_addstr(b, names[what]);
		cert_labels(b, c, dup != NULL ? dup[i] : 0);
		buf_printf(b, " %" PRId64 "\n", sample(c, what));
		flush_some(out, b);
	}
}

/* Counts for every label of cert_state_labels, in lower case. */
static void
state_counts(struct buf *b, const struct report *r)
{
	size_t *n, nl = 0, i, k;
	const char *s;

	while (cert_state_labels[nl] != NULL)
		nl++;
	n = xcalloc(nl, sizeof(*n));
	for (i = 0; i < r->ncerts; i++) {
		if (!printed(r->certs[i]))
			continue;
		s = cert_state_label(r->certs[i]);
		for (k = 0; k < nl; k++)
			if (strcmp(cert_state_labels[k], s) == 0)
				n[k]++;
	}
	for (k = 0; k < nl; k++) {
		buf_addstr(b, "cert_expiry_certificates{state=\"");
		for (s = cert_state_labels[k]; *s != '\0'; s++)
			buf_addc(b, (char)(*s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a' : *s));
		buf_printf(b, "\"} %zu\n", n[k]);
	}
	free(n);
}

void
output_openmetrics(FILE *out, const struct config *cfg, const struct report *r)
{
	struct buf b = { 0 };
	size_t *dup = find_twins(r), i;

	family(&b, "cert_expiry_not_after_seconds", "seconds",
	    "When the certificate expires (Unix time).");
	per_cert(out, &b, r, dup, PC_NOT_AFTER);
	family(&b, "cert_expiry_not_before_seconds", "seconds",
	    "When the certificate becomes valid (Unix time), where known.");
	per_cert(out, &b, r, dup, PC_NOT_BEFORE);
	family(&b, "cert_expiry_state", NULL,
	    "State of the certificate: 0 OK, 1 WARNING, 2 CRITICAL (expired included), "
	    "3 UNKNOWN; 0 for those counted but not alerted.");
	per_cert(out, &b, r, dup, PC_STATE);
	family(&b, "cert_expiry_watched", NULL,
	    "1 if the check alerts on the certificate, 0 if it only counts it "
	    "(renewed, forgotten).");
	per_cert(out, &b, r, dup, PC_WATCHED);
	family(&b, "cert_expiry_certificates", NULL, "Certificates by state.");
	state_counts(&b, r);
	family(&b, "cert_expiry_errors", NULL,
	    "Errors of the run (sources that could not be read or parsed).");
	buf_printf(&b, "cert_expiry_errors %zu\n", r->nproblems);
	if (r->nendpoints) {
		family(&b, "cert_expiry_endpoint_up", NULL,
		    "1 if the endpoint was checked (its certificates read), 0 if it failed.");
		for (i = 0; i < r->nendpoints; i++) {
			buf_addstr(&b, "cert_expiry_endpoint_up{");
			label(&b, "url", r->endpoints[i].url, 1);
			buf_printf(&b, "} %d\n", r->endpoints[i].error == NULL);
		}
	}
	family(&b, "cert_expiry_last_run_seconds", "seconds",
	    "When the check ran (Unix time; --now when given).");
	buf_printf(&b, "cert_expiry_last_run_seconds %" PRId64 "\n", cfg->now);
	buf_addstr(&b, "# EOF\n");
	fwrite(b.data, 1, b.len, out);
	buf_free(&b);
	free(dup);
}

int
metrics_file_write(const struct config *cfg, const struct report *r, char *err,
    size_t errlen)
{
	struct atomic_file af;
	char e[300];

	if (atomic_begin(cfg->metrics_file, METRICS_MODE, &af, e, sizeof(e))) {
		output_openmetrics(af.fp, cfg, r);
		if (atomic_commit(&af, e, sizeof(e)))
			return 1;
	}
	snprintf(err, errlen, "metrics file not written: %s", e);
	return 0;
}
