/* The sink: what a reader reports through (certificates, errors, skips,
 * notes), buffered as events while a file or a piece is read by another
 * thread and merged into the report in a fixed order, or handed to the
 * report straight away. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#include "extern.h"
#include "sink.h"

/* Mapped pages behind the cursor are released in steps of this size. */
#define RELEASE_STEP	(1UL * 1024 * 1024)
/* A mapped input whose reader never says how far it got (sink_consumed) is
 * dropped from memory as a whole every this many certificates: the pages are
 * clean and read-only, so what the reader touches again faults back in from
 * the page cache with the same bytes. Resident memory then stays at what the
 * reader touched lately, not the file size. */
#define RELEASE_EVERY	8192
/* collect_nagios: certificates added to the report a batch at a time, their
 * table slots fetched this many ahead. */
#define SINK_BATCH	64
#define MERGE_AHEAD	8

static struct event *
sink_event(struct sink *s, enum ev_type type, long record)
{
	struct event *e;

	if (s->nev == s->evcap) {
		s->evcap = s->evcap ? s->evcap * 2 : 4;
		s->ev = xreallocarray(s->ev, s->evcap, sizeof(*s->ev));
	}
	e = &s->ev[s->nev++];
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->record = record;
	return e;
}

void
sink_buffers_free(struct sink *s)
{
	free(s->ev);
	s->ev = NULL;
	s->nev = s->evcap = 0;
	free(s->rows);
	s->rows = NULL;
	s->nrows = s->rowcap = 0;
	buf_free(&s->der);
}

static int der_row(struct sink *, const unsigned char *, size_t,
    const struct sink_cert_meta *);

int
sink_takes_dates(const struct config *cfg, const struct report *rep)
{
	return report_takes_rows(rep) && select_by_dates(cfg);
}

/* One more certificate: counted, and a mapped input without a cursor is
 * given back every RELEASE_EVERY. */
static void
note_cert(struct sink *s)
{
	s->count++;
	if (s->map != NULL && !s->cursor_known && ++s->unreleased >= RELEASE_EVERY) {
		(void)madvise((void *)s->map, s->maplen, MADV_DONTNEED);
		s->unreleased = 0;
	}
}

static void
sink_add(struct sink *s, struct certinfo *ci, const struct sink_cert_meta *m)
{
	struct location loc;
	struct event *e;

	note_cert(s);
	if (s->rep != NULL && !report_takes_rows(s->rep)) {
		loc.path = (char *)s->path;
		loc.format = m->format;
		loc.record = m->record;
		loc.alias = (char *)m->alias;
		report_add_cert(s->rep, ci, &loc);
		return;
	}
	e = sink_event(s, EV_CERT, m->record);
	e->format = m->format;
	e->text = m->alias ? xstrdup(m->alias) : NULL;
	e->ci = *ci;
	memset(ci, 0, sizeof(*ci));
	if (s->rep != NULL) {
		/* collect_nagios: a batch at a time, so that the merge can
		 * fetch the table slots ahead */
		if (s->nev >= SINK_BATCH)
			sink_merge(s, s->rep);
	} else if (s->ids) {
		cert_identity(&e->ci, &s->scratch, e->id);
		e->has_id = 1;
	}
}

static void
move_extra(struct certinfo *ci, struct certinfo *x)
{
	if (x == NULL)
		return;
	ci->template = x->template;
	ci->request_id = x->request_id;
	ci->requester = x->requester;
	ci->revoked = x->revoked;
	ci->revoke_reason = x->revoke_reason;
	x->template = x->request_id = x->requester = x->revoke_reason = NULL;
}

int
sink_der(struct sink *s, const unsigned char *der, size_t len, const struct sink_cert_meta *m)
{
	struct certinfo ci;
	char err[256], err2[256], err3[256], note[512];

	if (s->quick_der && m->alias == NULL && m->extra == NULL && der_row(s, der, len, m))
		return 1;
	memset(&ci, 0, sizeof(ci));
	if (!der_cert_walk(der, len, &ci, err, sizeof(err))) {
		if (ossl_cert_parse(der, len, &ci, err2, sizeof(err2)))
			sink_note(s, "%s: DER walk rejected the certificate (%s); used OpenSSL",
			    s->path, err);
		else if (der_cert_salvage(der, len, &ci, note, sizeof(note), err3,
		    sizeof(err3)))
			/* its dates read: reported, what fell back at -vv (a
			 * PEM block's record is its line) */
			sink_note_at(s, m->record <= 0 ? NULL : strcmp(m->format, "pem") == 0 ?
			    "line" : "record", m->record, "%s: certificate read with "
			    "fallbacks: %s", s->path, note[0] ? note : err);
		else {
			sink_error(s, m->record, "invalid certificate: %s (OpenSSL: %s)", err,
			    err2);
			if (m->extra)
				certinfo_free(m->extra);
			return 0;
		}
	}
	ossl_sha256(der, len, ci.sha256);
	ci.has_sha256 = 1;
	move_extra(&ci, m->extra);
	sink_add(s, &ci, m);
	return 1;
}

void
sink_certinfo(struct sink *s, struct certinfo *ci, const struct sink_cert_meta *m)
{
	sink_add(s, ci, m);
}

int
sink_rows(const struct sink *s)
{
	return s->quick;
}

/* A new row of the sink (in the EV_ROWS event at the end, or a new one). */
static struct qrow *
row_new(struct sink *s, long record, const char *format)
{
	struct event *e;
	struct qrow *q;

	if (s->nev == 0 || s->ev[s->nev - 1].type != EV_ROWS ||
	    s->ev[s->nev - 1].format != format) {
		e = sink_event(s, EV_ROWS, 0);
		e->format = format;
		e->row0 = s->nrows;
	}
	s->ev[s->nev - 1].nrows++;
	if (s->nrows == s->rowcap) {
		s->rowcap = s->rowcap ? s->rowcap * 2 : 4;
		s->rows = xreallocarray(s->rows, s->rowcap, sizeof(*s->rows));
	}
	q = &s->rows[s->nrows++];
	memset(q, 0, sizeof(*q));
	q->kept = -1;
	q->record = record;
	return q;
}

int
sink_row_needs_name(const struct sink *s)
{
	return s->cfg->filter != NULL || s->cfg->exclude != NULL;
}

/* -f and -x on the name of a row: 1 keep, 0 drop, -1 if matching failed. */
static int
row_kept(const struct sink *s, const char *name)
{
	struct cert t;
	char err[256];

	memset(&t, 0, sizeof(t));
	t.name = name;
	return select_keep(s->cfg, &t, err, sizeof(err));
}

int
sink_row(struct sink *s, long record, const char *format, const struct sink_row *row,
    const unsigned char *p, size_t len)
{
	struct qrow *q;
	int kept = -1;	/* no -f or -x */

	if (sink_row_needs_name(s) &&
	    (row->select_name == NULL || (kept = row_kept(s, row->select_name)) < 0))
		return 0;
	note_cert(s);
	q = row_new(s, record, format);
	q->kept = (signed char)kept;
	q->p = p;
	q->len = len;
	q->not_after = row->not_after;
	q->not_before = row->not_before;
	q->has_not_before = row->has_not_before;
	if (s->ids)
		row_identity(row, &s->scratch, q->id);
	return 1;
}

/* sink_der into collect_nagios: a certificate by its dates and identity (the
 * DER's SHA-256, as sink_der gives it), its DER kept for a full walk if
 * the report keeps it. 0 if the dates-only walk refuses it (the full walk
 * then says why, the same way). */
static int
der_row(struct sink *s, const unsigned char *der, size_t len, const struct sink_cert_meta *m)
{
	unsigned char sha[32];
	char err[256];
	int64_t nb, na;
	struct qrow *q;

	if (!der_cert_dates(der, len, &nb, &na, err, sizeof(err)))
		return 0;
	note_cert(s);
	q = row_new(s, m->record, m->format);
	q->off = s->der.len;
	q->len = len;
	buf_add(&s->der, der, len);
	q->not_before = nb;
	q->has_not_before = 1;
	q->not_after = na;
	ossl_sha256(der, len, sha);
	memcpy(q->id, sha, sizeof(q->id));
	if (s->rep != NULL && s->nrows >= SINK_BATCH)
		sink_merge(s, s->rep);	/* a batch at a time, as sink_add */
	return 1;
}

void
sink_message(struct sink *s, enum ev_type type, long record, char *msg)
{
	if (s->rep == NULL || s->nev > 0) {	/* after what is waiting */
		sink_event(s, type, record)->text = msg;
		return;
	}
	if (type == EV_ERROR)
		report_add_problem(s->rep, s->path, record, msg);
	else if (type == EV_SKIP)
		report_add_skip(s->rep, s->path, msg);
	else
		report_add_note(s->rep, msg);
	free(msg);
}

void
sink_error(struct sink *s, long record, const char *fmt, ...)
{
	struct buf b = { 0 };
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	sink_message(s, EV_ERROR, record, buf_release(&b));
	s->errors++;
}

void
sink_skip(struct sink *s, const char *fmt, ...)
{
	struct buf b = { 0 };
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	sink_message(s, EV_SKIP, 0, buf_release(&b));
	s->skipped++;
}

/* 1 if the name of path says it holds a certificate (INTERFACE: .crt,
 * .cer, .der, .pem, .p7b, .p7c, .pfx, .p12, .jks, .keystore, in any case). */
static int
cert_named(const char *path)
{
	static const char *const ext[] = { "crt", "cer", "der", "pem", "p7b", "p7c",
	    "pfx", "p12", "jks", "keystore" };
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
	size_t i;

	if (dot == NULL || (slash != NULL && dot < slash))
		return 0;
	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
		if (strcasecmp(dot + 1, ext[i]) == 0)
			return 1;
	return 0;
}

/* 1 if p holds white space only. */
static int
blank(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
			return 0;
	return 1;
}

void
sink_unrecognised(struct sink *s, const unsigned char *p, size_t len, const char *what)
{
	if (blank(p, len))
		sink_skip(s, "empty file (white space only)");
	else if (cert_named(s->path))
		sink_error(s, 0, "not a certificate: %s, although the name says it "
		    "holds one", what);
	else
		sink_skip(s, "no certificate (%s)", what);
}

/* A note about one record: "line 12: text". */
static void
note_with_record(struct report *rep, const char *unit, long record, const char *text)
{
	struct buf b = { 0 };

	if (unit == NULL) {
		report_add_note(rep, text);
		return;
	}
	buf_printf(&b, "%s %ld: %s", unit, record, text);
	report_add_note(rep, b.data);
	buf_free(&b);
}

/* A note, about one record when unit is set ("line 12: text"). */
static void
vnote(struct sink *s, const char *unit, long record, const char *fmt, va_list ap)
{
	struct buf b = { 0 };
	struct event *e;

	if (s->cfg->verbose < 2)
		return;
	buf_vprintf(&b, fmt, ap);
	if (s->rep == NULL || s->nev > 0) {
		/* the number is final once the sink is merged (pieces.c) */
		e = sink_event(s, EV_NOTE, record);
		e->format = unit;
		e->text = buf_release(&b);
		return;
	}
	note_with_record(s->rep, unit, record, b.data);
	buf_free(&b);
}

void
sink_note_at(struct sink *s, const char *unit, long record, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vnote(s, unit, record, fmt, ap);
	va_end(ap);
}

void
sink_note(struct sink *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vnote(s, NULL, 0, fmt, ap);
	va_end(ap);
}

const char *
sink_path(const struct sink *s)
{
	return s->path;
}

const struct config *
sink_config(const struct sink *s)
{
	return s->cfg;
}

size_t
sink_count(const struct sink *s)
{
	return s->count;
}

void
sink_map_consumed(struct sink *s, const unsigned char *upto)
{
	size_t off, pg, to;

	if (s->map == NULL || upto < s->map || upto > s->map + s->maplen)
		return;
	s->cursor_known = 1;
	off = (size_t)(upto - s->map);
	pg = (size_t)sysconf(_SC_PAGESIZE);
	if (off < s->released) {
		/* a second pass (a text export is checked for its encoding
		 * first): release behind this one from here on */
		s->released = off / pg * pg;
		return;
	}
	if (off < s->released + RELEASE_STEP)
		return;
	to = off / pg * pg;
	(void)madvise((void *)(s->map + s->released), to - s->released, MADV_DONTNEED);
	s->released = to;
}

/* The identity of a waiting certificate, and its table slot
 * on its way into the cache. */
static void
merge_ahead(struct report *rep, struct event *e, struct buf *scratch)
{
	if (e->type != EV_CERT)
		return;
	if (!e->has_id && report_ids(rep)) {
		cert_identity(&e->ci, scratch, e->id);
		e->has_id = 1;
	}
	if (e->has_id)
		report_prefetch(rep, e->id);
}

/* A row the report keeps for printing: read again in full. */
static void
row_again(const struct sink *s, struct report *rep, const struct qrow *q, struct cert *t,
    const struct location *loc)
{
	struct sink one;
	size_t i;

	memset(&one, 0, sizeof(one));
	one.cfg = s->cfg;
	one.path = s->path;
	if (q->p == NULL) {	/* a certificate: the full walk of its DER */
		struct sink_cert_meta m = { loc->format, q->record, NULL, NULL };

		(void)sink_der(&one, (const unsigned char *)s->der.data + q->off, q->len, &m);
	} else
		s->reader->row_full(&one, s->ctx, q->p, q->len, q->record);
	for (i = 0; i < one.nev && one.ev[i].type != EV_CERT; i++)
		;
	if (i < one.nev) {
		report_keep_row(rep, t, &one.ev[i].ci, loc);
		memset(&one.ev[i].ci, 0, sizeof(one.ev[i].ci));
	} else	/* the reader said otherwise the first time: a bug, shown */
		report_add_problem(rep, s->path, q->record,
		    "internal error: the row read again was not the same");
	sink_discard(&one);
}

/* Rows given by sink_row, their table slots fetched ahead. */
static void
merge_rows(const struct sink *s, struct report *rep, const struct event *e)
{
	const struct qrow *q = s->rows + e->row0;
	struct location loc;
	struct certinfo dates;
	struct cert t;
	size_t i, n = e->nrows;

	memset(&loc, 0, sizeof(loc));
	memset(&dates, 0, sizeof(dates));
	memset(&t, 0, sizeof(t));	/* once: see report_add_row() */
	loc.path = (char *)s->path;
	loc.format = e->format;
	for (i = 0; i < n && i < MERGE_AHEAD; i++)
		report_prefetch(rep, q[i].id);
	for (i = 0; i < n; i++) {
		if (i + MERGE_AHEAD < n)
			report_prefetch(rep, q[i + MERGE_AHEAD].id);
		loc.record = q[i].record;
		dates.not_after = q[i].not_after;
		dates.not_before = q[i].not_before;
		dates.has_not_before = q[i].has_not_before;
		if (report_add_row(rep, q[i].id, &dates, q[i].kept, &loc, &t))
			row_again(s, rep, &q[i], &t, &loc);
	}
}

void
sink_merge(struct sink *s, struct report *rep)
{
	struct location loc;
	struct event *e;
	struct buf scratch = { 0 };
	size_t i;

	for (i = 0; i < s->nev && i < MERGE_AHEAD; i++)
		merge_ahead(rep, &s->ev[i], &scratch);
	for (i = 0; i < s->nev; i++) {
		e = &s->ev[i];
		if (i + MERGE_AHEAD < s->nev)
			merge_ahead(rep, &s->ev[i + MERGE_AHEAD], &scratch);
		switch (e->type) {
		case EV_CERT:
			loc.path = (char *)s->path;
			loc.format = e->format;
			loc.record = e->record;
			loc.alias = e->text;
			report_add_cert_id(rep, &e->ci, &loc, e->has_id ? e->id : NULL);
			break;
		case EV_ERROR:
			report_add_problem(rep, s->path, e->record, e->text);
			break;
		case EV_SKIP:
			report_add_skip(rep, s->path, e->text);
			break;
		case EV_NOTE:
			note_with_record(rep, e->format, e->record, e->text);
			break;
		case EV_ROWS:
			merge_rows(s, rep, e);
			break;
		}
		free(e->text);
		e->text = NULL;
	}
	buf_free(&scratch);
	buf_free(&s->scratch);
	if (s->rep == NULL) {
		sink_buffers_free(s);
		return;
	}
	/* into the report a batch at a time: the buffers serve the next */
	if (s->evcap > 4 * SINK_BATCH) {
		free(s->ev);
		s->ev = NULL;
		s->evcap = 0;
	}
	s->nev = 0;
	s->nrows = 0;
	s->der.len = 0;
}

/* Frees what the sink's events hold (not the events). */
static void
events_free(struct sink *s)
{
	size_t i;

	for (i = 0; i < s->nev; i++) {
		if (s->ev[i].type == EV_CERT)
			certinfo_free(&s->ev[i].ci);
		free(s->ev[i].text);
	}
	s->nev = 0;
}

void
sink_discard(struct sink *s)
{
	events_free(s);
	sink_buffers_free(s);
	buf_free(&s->scratch);
}

void
sink_absorb(struct sink *parent, struct sink *child, long base)
{
	size_t n, i;

	for (i = 0; i < child->nev; i++)
		if (child->ev[i].record > 0)
			child->ev[i].record += base;
	/* rows (sink_row) come only from pieces that go into a report
	 * (pieces.c), so a buffered parent never takes them */
	for (i = 0; i < child->nrows; i++)
		child->rows[i].record += base;

	parent->count += child->count;
	parent->errors += child->errors;
	parent->skipped += child->skipped;
	buf_free(&child->scratch);
	if (parent->rep != NULL) {
		if (parent->nev > 0)
			sink_merge(parent, parent->rep);
		sink_merge(child, parent->rep);
		return;
	}
	if (parent->nev + child->nev > parent->evcap) {
		n = parent->nev + child->nev;
		parent->ev = xreallocarray(parent->ev, n, sizeof(*parent->ev));
		parent->evcap = n;
	}
	if (child->nev > 0)
		memcpy(parent->ev + parent->nev, child->ev, child->nev * sizeof(*child->ev));
	parent->nev += child->nev;
	free(child->ev);
	child->ev = NULL;
	child->nev = child->evcap = 0;
}

