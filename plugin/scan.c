/* Sources: walks paths (files, directories, "-"), hands each input to the
 * first reader that recognises it, and collects what the readers report
 * through a per-input sink, merged into the report in a fixed order.
 *
 * Threads (-j N, N > 1): the main thread walks the tree in sorted order and
 * queues one job per file; N workers read and parse the files, each into
 * its own sink (a list of events: certificates, errors, skips, notes); the
 * main thread merges finished jobs into the report strictly in queue order,
 * so the report is the same whatever the scheduling. Only the main thread
 * touches the report. Large files are mapped by the main thread when their
 * turn comes; the readers that can cut their input have it read in pieces
 * by threads of its own (pieces.c), the others read it straight into the
 * report; the pages behind the reader's cursor (sink_consumed) are given
 * back, so memory does not grow with the file size. With -j 1 every file
 * is read by the main thread.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extern.h"
#include "sink.h"

/* Largest single input read into memory. */
#define INPUT_MAX_BYTES	(1024UL * 1024 * 1024)
/* Files at least this large are mapped and read by the main thread. */
#define MAP_MIN_BYTES	(4UL * 1024 * 1024)
/* Mapped pages behind the cursor are released in steps of this size. */
#define RELEASE_STEP	(1UL * 1024 * 1024)
/* A mapped input whose reader never says how far it got (sink_consumed) is
 * dropped from memory as a whole every this many certificates: the pages are
 * clean and read-only, so what the reader touches again faults back in from
 * the page cache with the same bytes. Resident memory then stays at what the
 * reader touched lately, not the file size. */
#define RELEASE_EVERY	8192
/* Lean mode: certificates added to the report a batch at a time, their
 * table slots fetched this many ahead. */
#define SINK_BATCH	64
#define MERGE_AHEAD	8
/* Jobs queued ahead of the merge, per worker. */
#define QUEUE_PER_WORKER 512

/* ----------------------------------------------------------- the sink API */

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

/* Frees the sink's buffers of events, rows and DER (emptied already). */
static void
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

/* 1 if a sink into rep may take certificates by their dates (der_row):
 * collect_nagios, and a selection that reads the dates only. */
static int
dates_will_do(const struct config *cfg, const struct report *rep)
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

/* sink_der in lean mode: a certificate by its dates and identity (the
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

/* Records a message event (or adds it to the report straight away). */
static void
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

static void
map_consumed(struct sink *s, const unsigned char *upto)
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

/* Lean mode: the identity of a waiting certificate, and its table slot
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
	sink_merge_as(s, rep, 0);
}

void
sink_merge_as(struct sink *s, struct report *rep, int borrowed)
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
			if (borrowed)
				report_add_cert_borrowed(rep, &e->ci, &loc,
				    e->has_id ? e->id : NULL);
			else
				report_add_cert_id(rep, &e->ci, &loc,
				    e->has_id ? e->id : NULL);
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
	if (borrowed)
		return;		/* the certinfos (and scratch) are the caller's to free */
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
sink_recycle(struct sink *into, struct sink *spent)
{
	events_free(spent);
	if (into->ev == NULL && into->rows == NULL && into->scratch.data == NULL) {
		into->ev = spent->ev;
		into->evcap = spent->evcap;
		into->rows = spent->rows;
		into->rowcap = spent->rowcap;
		into->scratch = spent->scratch;
		into->scratch.len = 0;
		spent->ev = NULL;
		spent->rows = NULL;
		memset(&spent->scratch, 0, sizeof(spent->scratch));
	}
	sink_buffers_free(spent);
	buf_free(&spent->scratch);
}

void
sink_absorb(struct sink *parent, struct sink *child, long base, int borrowed)
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
		sink_merge_as(child, parent->rep, borrowed);
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

/* ------------------------------------------------------------- one input */

static void scan_sink_1(struct sink *, const unsigned char *, size_t);

/* Reads one input into s; a sink that goes into the report is flushed. */
static void
scan_sink(struct sink *s, const unsigned char *p, size_t len)
{
	scan_sink_1(s, p, len);
	if (s->rep != NULL && s->nev > 0)
		sink_merge(s, s->rep);
	if (s->rep != NULL)
		sink_buffers_free(s);
}

static void
scan_sink_1(struct sink *s, const unsigned char *p, size_t len)
{
	size_t i;

	if (len == 0) {
		sink_skip(s, "empty file");
		return;
	}
	for (i = 0; readers[i] != NULL; i++) {
		if (readers[i]->probe(p, len)) {
			sink_note(s, "%s: read as %s", s->path, readers[i]->name);
			if (pieces_wanted(readers[i], len, s->map != NULL))
				pieces_read(s, readers[i], p, len);
			else
				readers[i]->read(s, p, len);
			if (s->count == 0 && s->errors == 0 && s->skipped == 0)
				sink_skip(s, "no certificate in %s input", readers[i]->name);
			return;
		}
	}
	sink_unrecognised(s, p, len, "content not recognised");
}

void
scan_buffer(const struct config *cfg, struct report *rep, const char *path,
    const unsigned char *p, size_t len)
{
	struct sink s;

	memset(&s, 0, sizeof(s));
	s.cfg = cfg;
	s.path = path;
	s.rep = rep;
	s.quick_der = dates_will_do(cfg, rep);
	scan_sink(&s, p, len);
}

/* ------------------------------------------------------------ file input */

/* The path being read from a mapping, for the SIGBUS message. */
static const char *volatile mapped_path;

static void
on_sigbus(int sig)
{
	static const char a[] = "CERT_EXPIRY UNKNOWN - a file shrank while it was read: ";
	static const char b[] = " (run again)\n";
	const char *p = mapped_path;

	(void)sig;
	if (write(STDOUT_FILENO, a, sizeof(a) - 1) < 0 ||
	    (p != NULL && write(STDOUT_FILENO, p, strlen(p)) < 0) ||
	    write(STDOUT_FILENO, b, sizeof(b) - 1) < 0)
		_exit(STATE_UNKNOWN);
	_exit(STATE_UNKNOWN);
}

/* A worker's file buffer, reused from file to file. */
struct rbuf {
	unsigned char	*p;
	size_t		 cap;
};

/* Reads one opened file into the sink. */
static void
scan_fd(struct sink *s, int fd, size_t size, struct rbuf *rb)
{
	char err[256];
	size_t len;
	void *map;

	if (size >= MAP_MIN_BYTES &&
	    (map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0)) != MAP_FAILED) {
		(void)madvise(map, size, MADV_SEQUENTIAL);
		s->map = map;
		s->maplen = size;
		mapped_path = s->path;
		scan_sink(s, map, size);
		mapped_path = NULL;
		munmap(map, size);
		s->map = NULL;
		return;
	}
	if (!read_fd(fd, size, INPUT_MAX_BYTES, &rb->p, &rb->cap, &len, err, sizeof(err))) {
		sink_message(s, EV_ERROR, 0, xstrdup(err));
		s->errors++;
		return;
	}
	scan_sink(s, rb->p, len);
}

/* -------------------------------------------------------------- the queue */

enum job_kind { JOB_FILE, JOB_BIG, JOB_DONE };

/*
 * A directory kept open while the files found in it wait to be read: they
 * are opened relative to it (openat), which spares the kernel the walk of
 * the whole path for every file. Only for directories with at least
 * DIRREF_MIN_FILES files, and at most DIRREF_MAX at a time (each holds a
 * descriptor); the others are read by path.
 */
#define DIRREF_MIN_FILES	8
#define DIRREF_MAX		16

struct dirref {
	int	 fd;
	int	 refs;		/* the walk's and each waiting job's (atomic) */
	int	*live;		/* the scan's count of them (atomic) */
};

static struct dirref *
dirref_open(int *live, const char *path)
{
	struct dirref *d;
	int fd;

	if (__atomic_load_n(live, __ATOMIC_RELAXED) >= DIRREF_MAX ||
	    (fd = open(path, O_RDONLY | O_DIRECTORY | O_NOCTTY | O_CLOEXEC)) == -1)
		return NULL;
	d = xmalloc(sizeof(*d));
	d->fd = fd;
	d->refs = 1;
	d->live = live;
	__atomic_add_fetch(live, 1, __ATOMIC_RELAXED);
	return d;
}

static void
dirref_put(struct dirref *d)
{
	if (d == NULL || __atomic_sub_fetch(&d->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	close(d->fd);
	__atomic_sub_fetch(d->live, 1, __ATOMIC_RELAXED);
	free(d);
}

struct job {
	enum job_kind	 kind;
	char		*path;
	size_t		 pathcap;	/* kept when the job is reused */
	struct dirref	*dir;		/* NULL: opened by path */
	size_t		 base;		/* with dir: where the name starts in path */
	int		 done;
	int		 worker;	/* the worker that read it, or -1 */
	struct job	*next;		/* on that worker's spent list */
	struct sink	 sink;
};

/* A worker and its spent list: jobs merged (borrowing what their sinks
 * hold) for the worker to empty, so that memory goes back to the thread
 * that allocated it instead of crossing between threads on every file;
 * the emptied jobs go back to the main thread (scan->recycle). */
struct worker {
	struct scan	*sc;
	int		 idx;
	struct job	*spent;
};

struct scan {
	const struct config	*cfg;
	struct report		*rep;
	int			 nworkers;
	pthread_t		*threads;
	pthread_mutex_t		 mu;
	pthread_cond_t		 work;		/* workers: a job or the end */
	pthread_cond_t		 finished;	/* main: a job is done */
	struct job		**ring;
	size_t			 qcap;
	size_t			 head, take, tail;	/* merge <= take <= push */
	int			 closing;
	int			 idle;		/* workers waiting for work */
	int			 waiting;	/* main waits for a job */
	size_t			 ndone;		/* jobs workers have finished */
	size_t			 wake_at;	/* main waits for ndone to get here */
	struct rbuf		 mainbuf;
	struct worker		*workers;
	int			 started;	/* workers started (or none wanted) */
	struct job		*pending;	/* the first file, until a second comes */
	/* spent jobs whose sinks their worker has emptied: the job and its
	 * path go back to the main thread, which made them, to be reused */
	struct job		*recycle;
	struct job		*spare;		/* main thread only: to reuse */
	int			 ndirrefs;	/* open (atomic) */
};

static void
job_free(struct job *j)
{
	dirref_put(j->dir);
	free(j->path);
	free(j);
}

/* A job, reused when one is spare (made and freed by the main thread
 * only: no memory crosses threads, no allocation per file). */
static struct job *
job_new(struct scan *sc, enum job_kind kind, const char *path)
{
	struct job *j = sc->spare;
	size_t n = strlen(path) + 1, cap = 0;
	char *keep = NULL;

	if (j != NULL) {
		sc->spare = j->next;
		keep = j->path;
		cap = j->pathcap;
		memset(j, 0, sizeof(*j));
	} else
		j = xcalloc(1, sizeof(*j));
	if (cap < n) {
		free(keep);
		cap = n < 128 ? 128 : n;
		keep = xmalloc(cap);
	}
	memcpy(keep, path, n);
	j->path = keep;
	j->pathcap = cap;
	j->kind = kind;
	j->worker = -1;
	j->done = kind == JOB_DONE;
	j->sink.cfg = sc->cfg;
	j->sink.path = j->path;
	j->sink.ids = report_ids(sc->rep);
	j->sink.quick_der = dates_will_do(sc->cfg, sc->rep);
	return j;
}

/* A file that could not be opened: an error, or skipped when it cannot be
 * read and its name marks a private key (access.c). */
static void
open_failed(struct sink *s, const char *path, const char *err)
{
	const char *why;

	if (!access_denied(err)) {
		sink_message(s, EV_ERROR, 0, xstrdup(err));
		s->errors++;
	} else if ((why = access_key_reason(path, 0)) != NULL) {
		sink_message(s, EV_SKIP, 0, xstrdup(why));
		s->skipped++;
	} else {
		sink_message(s, EV_ERROR, 0, access_error(path, err, 0));
		s->errors++;
	}
}

/* Runs a file job into its sink (buffered, or straight into rep). A worker
 * (defer) hands a big file back to the main thread instead. */
static void
job_run(struct job *j, struct rbuf *rb, int defer)
{
	char err[256];
	int fd, ok;
	size_t size, len;

	if (j->dir != NULL) {
		/* listed as a regular file: most are read in one go, without
		 * an fstat (one system call less per file) */
		ok = read_listed_at(j->dir->fd, j->path + j->base, INPUT_MAX_BYTES, &rb->p,
		    &rb->cap, &len, &fd, &size, err, sizeof(err));
		if (ok == 0) {
			scan_sink(&j->sink, rb->p, len);
			dirref_put(j->dir);
			j->dir = NULL;
			return;
		}
		ok = ok == 1;
	} else
		ok = open_regular(j->path, INPUT_MAX_BYTES, &fd, &size, err, sizeof(err));
	if (!ok)
		open_failed(&j->sink, j->path, err);
	else if (defer && size >= MAP_MIN_BYTES) {
		j->kind = JOB_BIG;	/* read later: the directory stays open */
		close(fd);
		return;
	} else {
		scan_fd(&j->sink, fd, size, rb);
		close(fd);
	}
	dirref_put(j->dir);
	j->dir = NULL;
}

/* Takes up to WORKER_BATCH file jobs at once: fewer wake-ups. */
#define WORKER_BATCH	32

/* Empties the sink of the first spent job (what the worker made) and
 * moves the job to the front of *emptied; returns it, or NULL when there
 * is none. */
static struct job *
empty_one(struct job **spent, struct job **emptied)
{
	struct job *j = *spent;

	if (j == NULL)
		return NULL;
	*spent = j->next;
	sink_discard(&j->sink);
	j->next = *emptied;
	*emptied = j;
	return j;
}

/* Empties a list of spent jobs; returns them (in reverse order). */
static struct job *
empty_spent(struct job *spent)
{
	struct job *emptied = NULL;

	while (empty_one(&spent, &emptied) != NULL)
		;
	return emptied;
}

/* Frees a list of jobs (the main thread, which made them). */
static void
free_jobs(struct job *j)
{
	struct job *next;

	for (; j != NULL; j = next) {
		next = j->next;
		job_free(j);
	}
}

/* Keeps a list of emptied jobs (the main thread) for job_new. */
static void
spare_jobs(struct scan *sc, struct job *j)
{
	struct job *next;

	for (; j != NULL; j = next) {
		next = j->next;
		j->next = sc->spare;
		sc->spare = j;
	}
}

static void *
worker(void *arg)
{
	struct worker *w = arg;
	struct scan *sc = w->sc;
	struct rbuf rb = { NULL, 0 };
	struct job *batch[WORKER_BATCH], *spent, *emptied, *last, *j;
	size_t n, i;

	pthread_mutex_lock(&sc->mu);
	for (;;) {
		n = 0;
		while (n < WORKER_BATCH && sc->take < sc->tail) {
			if (sc->ring[sc->take % sc->qcap]->kind == JOB_FILE)
				batch[n++] = sc->ring[sc->take % sc->qcap];
			sc->take++;
		}
		spent = w->spent;
		w->spent = NULL;
		if (n == 0 && spent == NULL) {
			if (sc->closing)
				break;
			sc->idle++;
			pthread_cond_wait(&sc->work, &sc->mu);
			sc->idle--;
			continue;
		}
		pthread_mutex_unlock(&sc->mu);
		emptied = last = NULL;
		for (i = 0; i < n; i++) {
			/* a spent job emptied before each file: what it frees is
			 * what the file allocates (glibc's per-thread cache) */
			if ((j = empty_one(&spent, &emptied)) != NULL && last == NULL)
				last = j;
			batch[i]->worker = w->idx;
			job_run(batch[i], &rb, 1);
		}
		while ((j = empty_one(&spent, &emptied)) != NULL)
			if (last == NULL)
				last = j;
		pthread_mutex_lock(&sc->mu);
		if (last != NULL) {
			last->next = sc->recycle;
			sc->recycle = emptied;
		}
		for (i = 0; i < n; i++)
			batch[i]->done = 1;
		sc->ndone += n;
		/* main wakes when it asked to, or when no work is queued */
		if (n > 0 && sc->waiting && (sc->ndone >= sc->wake_at || sc->take == sc->tail))
			pthread_cond_signal(&sc->finished);
		if (n > 0) {
			/* the main thread walks and merges for all: if it
			 * waits for this CPU, it runs now (as in pieces.c) */
			pthread_mutex_unlock(&sc->mu);
			(void)sched_yield();
			pthread_mutex_lock(&sc->mu);
		}
	}
	pthread_mutex_unlock(&sc->mu);
	free(rb.p);
	return NULL;
}

/* Merges the job at the head of the queue; the lock is held on entry and
 * exit, released while a big file is read. Returns 0 if it is not done. */
static int
merge_head(struct scan *sc)
{
	struct job *j;

	if (sc->head == sc->tail)
		return 0;
	j = sc->ring[sc->head % sc->qcap];
	if (!j->done)
		return 0;
	if (j->kind == JOB_BIG) {
		/* handed back by a worker: read straight into the report */
		pthread_mutex_unlock(&sc->mu);
		j->sink.rep = sc->rep;
		job_run(j, &sc->mainbuf, 0);
		pthread_mutex_lock(&sc->mu);
	} else {
		pthread_mutex_unlock(&sc->mu);
		sink_merge_as(&j->sink, sc->rep, j->worker >= 0);
		pthread_mutex_lock(&sc->mu);
	}
	if (sc->take == sc->head)
		sc->take++;
	sc->head++;
	if (j->kind == JOB_FILE && j->worker >= 0) {
		/* back to the worker that made its certinfos */
		j->next = sc->workers[j->worker].spent;
		sc->workers[j->worker].spent = j;
	} else
		job_free(j);
	return 1;
}

/* The main thread waits until workers have finished n more jobs (or have
 * none left to take): a full queue waits for a quarter of it, so that the
 * main thread wakes once per many files, not per batch. */
static void
main_wait(struct scan *sc, size_t n)
{
	if (sc->idle > 0 && sc->take < sc->tail)
		pthread_cond_broadcast(&sc->work);
	sc->wake_at = sc->ndone + n;
	sc->waiting = 1;
	pthread_cond_wait(&sc->finished, &sc->mu);
	sc->waiting = 0;
}

static void start_workers(struct scan *);

/* Queues a job; with no workers runs it now, straight into the report. The
 * first file waits for a second one before the workers are started. */
static void
push(struct scan *sc, struct job *j)
{
	struct job *p, *recycled;

	if (!sc->started) {
		if (sc->pending == NULL && j->kind == JOB_FILE) {
			sc->pending = j;
			return;
		}
		if ((p = sc->pending) != NULL) {
			sc->pending = NULL;
			start_workers(sc);
			push(sc, p);
		}
	}
	if (sc->nworkers == 0) {
		if (j->kind != JOB_DONE) {
			j->sink.rep = sc->rep;
			job_run(j, &sc->mainbuf, 0);
		} else
			sink_merge(&j->sink, sc->rep);
		job_free(j);
		return;
	}
	pthread_mutex_lock(&sc->mu);
	/* the jobs workers have emptied: this thread made them, this thread
	 * reuses them (glibc's per-thread caches stay warm on both sides) */
	recycled = sc->recycle;
	sc->recycle = NULL;
	while (sc->tail - sc->head == sc->qcap) {
		if (!merge_head(sc))
			main_wait(sc, sc->qcap / 4);
	}
	sc->ring[sc->tail++ % sc->qcap] = j;
	/* wake a worker once a batch is ready (or it would starve) */
	if (j->kind == JOB_FILE && sc->idle > 0 &&
	    (sc->tail - sc->take >= WORKER_BATCH || sc->idle == sc->nworkers))
		pthread_cond_signal(&sc->work);
	/* merge what is ready, so that buffered events do not pile up */
	while (merge_head(sc))
		;
	pthread_mutex_unlock(&sc->mu);
	spare_jobs(sc, recycled);
}

static void
push_file(struct scan *sc, const char *path)
{
	push(sc, job_new(sc, JOB_FILE, path));
}

/* A file found in the directory dir, its name at path + base. */
static void
push_file_in(struct scan *sc, const char *path, struct dirref *dir, size_t base)
{
	struct job *j = job_new(sc, JOB_FILE, path);

	__atomic_add_fetch(&dir->refs, 1, __ATOMIC_RELAXED);
	j->dir = dir;
	j->base = base;
	push(sc, j);
}

/* A problem, skip or note found by the walk itself, in walk order. */
static void
push_event(struct scan *sc, enum ev_type type, const char *path, const char *msg)
{
	struct job *j = job_new(sc, JOB_DONE, path);

	sink_message(&j->sink, type, 0, xstrdup(msg));
	push(sc, j);
}

/* Starts the workers: when a second file is queued, so that a run over a
 * single file does not pay for threads. */
static void
start_workers(struct scan *sc)
{
	const struct config *cfg = sc->cfg;
	int i;

	sc->started = 1;
	sc->qcap = (size_t)cfg->jobs * QUEUE_PER_WORKER;
	sc->ring = xcalloc(sc->qcap, sizeof(*sc->ring));
	pthread_mutex_init(&sc->mu, NULL);
	pthread_cond_init(&sc->work, NULL);
	pthread_cond_init(&sc->finished, NULL);
	sc->threads = xcalloc((size_t)cfg->jobs, sizeof(*sc->threads));
	sc->workers = xcalloc((size_t)cfg->jobs, sizeof(*sc->workers));
	for (i = 0; i < cfg->jobs; i++) {
		sc->workers[i].sc = sc;
		sc->workers[i].idx = i;
		if (pthread_create(&sc->threads[i], NULL, worker, &sc->workers[i]) != 0)
			break;
		sc->nworkers++;
	}
	if (sc->nworkers == 0) {
		free(sc->workers);
		sc->workers = NULL;
		free(sc->threads);
		free(sc->ring);
		sc->threads = NULL;
		sc->ring = NULL;
		pthread_mutex_destroy(&sc->mu);
		pthread_cond_destroy(&sc->work);
		pthread_cond_destroy(&sc->finished);
	}
}

static void
scan_start(struct scan *sc, const struct config *cfg, struct report *rep)
{
	struct sigaction sa;

	memset(sc, 0, sizeof(*sc));
	sc->cfg = cfg;
	sc->rep = rep;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigbus;
	sigaction(SIGBUS, &sa, NULL);
	sink_consumed_hook = map_consumed;
	sc->started = cfg->jobs <= 1;	/* workers come with the second file */
}

static void
scan_finish(struct scan *sc)
{
	struct job *p;
	int i;

	if ((p = sc->pending) != NULL) {
		/* the only file: the main thread reads it */
		sc->pending = NULL;
		sc->started = 1;
		push(sc, p);
	}

	if (sc->nworkers > 0) {
		pthread_mutex_lock(&sc->mu);
		sc->closing = 1;
		pthread_cond_broadcast(&sc->work);
		while (sc->head < sc->tail)
			if (!merge_head(sc))
				main_wait(sc, 1);
		pthread_mutex_unlock(&sc->mu);
		for (i = 0; i < sc->nworkers; i++)
			pthread_join(sc->threads[i], NULL);
		for (i = 0; i < sc->nworkers; i++)
			free_jobs(empty_spent(sc->workers[i].spent));
		free_jobs(sc->recycle);
		sc->recycle = NULL;
		free_jobs(sc->spare);
		sc->spare = NULL;
		free(sc->workers);
		free(sc->threads);
		free(sc->ring);
		pthread_mutex_destroy(&sc->mu);
		pthread_cond_destroy(&sc->work);
		pthread_cond_destroy(&sc->finished);
	}
	free(sc->mainbuf.p);
}

/* --------------------------------------------------------- the directory walk */

struct devino {
	dev_t	dev;
	ino_t	ino;
};

struct walk {
	struct scan		*sc;
	const struct config	*cfg;
	struct devino		*stack;		/* directories on the current path */
	size_t			 depth;
	struct devino		*seen;		/* every directory scanned */
	size_t			 nseen;
	const char		*root;		/* real path of the operand (--no-follow) */
};

struct dentry {
	char		*name;
	unsigned char	 type;		/* d_type */
};

static int
devino_in(const struct devino *v, size_t n, const struct stat *st)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].dev == st->st_dev && v[i].ino == st->st_ino)
			return 1;
	return 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dentry *)a)->name, ((const struct dentry *)b)->name);
}

static void walk_path(struct walk *, const char *path, int operand, unsigned char type);

/* The walk could not open or stat path: an error, or skipped when access
 * was denied and its name marks a private key or a key directory. */
static void
walk_failed(struct walk *w, const char *path, const char *err, int is_dir)
{
	const char *why;
	char *msg;

	if (!access_denied(err))
		push_event(w->sc, EV_ERROR, path, err);
	else if ((why = access_key_reason(path, is_dir)) != NULL)
		push_event(w->sc, EV_SKIP, path, why);
	else {
		msg = access_error(path, err, is_dir);
		push_event(w->sc, EV_ERROR, path, msg);
		free(msg);
	}
}

/* 1 if --exclude-path leaves path out (said at -vv). */
static int
walk_excluded(struct walk *w, const char *path)
{
	const char *glob;
	char *msg;

	if (w->cfg->nexclude_paths == 0 || (glob = access_excluded(w->cfg, path)) == NULL)
		return 0;
	if (w->cfg->verbose >= 2) {
		msg = xasprintf("%s: left out (--exclude-path=%s)", path, glob);
		push_event(w->sc, EV_NOTE, path, msg);
		free(msg);
	}
	return 1;
}

/* 1 if the symlink at path resolves inside the operand's tree. */
static int
inside_root(const struct walk *w, const char *path)
{
	char *real = realpath(path, NULL);
	size_t n;
	int in;

	if (real == NULL || w->root == NULL) {
		free(real);
		return 0;
	}
	n = strlen(w->root);
	in = strncmp(real, w->root, n) == 0 &&
	    (real[n] == '/' || real[n] == '\0' || strcmp(w->root, "/") == 0);
	free(real);
	return in;
}

static void
walk_dir(struct walk *w, const char *path, const struct stat *st)
{
	DIR *d;
	struct dirent *de;
	struct dentry *names = NULL;
	struct dirref *dir;
	char *child, *msg;
	size_t n = 0, cap = 0, i, plen, nreg;

	if (devino_in(w->stack, w->depth, st)) {
		push_event(w->sc, EV_ERROR, path,
		    "directory loop: this directory contains itself (not followed again)");
		return;
	}
	if (devino_in(w->seen, w->nseen, st)) {
		if (w->cfg->verbose >= 2) {
			msg = xasprintf("%s: directory already scanned", path);
			push_event(w->sc, EV_NOTE, path, msg);
			free(msg);
		}
		return;
	}
	if ((d = opendir(path)) == NULL) {
		walk_failed(w, path, strerror(errno), 1);
		return;
	}
	w->seen = xreallocarray(w->seen, w->nseen + 1, sizeof(*w->seen));
	w->seen[w->nseen].dev = st->st_dev;
	w->seen[w->nseen++].ino = st->st_ino;
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = xreallocarray(names, cap, sizeof(*names));
		}
		names[n].name = xstrdup(de->d_name);
		names[n++].type = de->d_type;
	}
	if (errno != 0)
		push_event(w->sc, EV_ERROR, path, strerror(errno));
	closedir(d);
	if (n > 1)	/* qsort(NULL, 0) is undefined */
		qsort(names, n, sizeof(*names), name_cmp);
	w->stack = xreallocarray(w->stack, w->depth + 1, sizeof(*w->stack));
	w->stack[w->depth].dev = st->st_dev;
	w->stack[w->depth++].ino = st->st_ino;
	for (i = nreg = 0; i < n; i++)
		nreg += names[i].type == DT_REG;
	dir = nreg >= DIRREF_MIN_FILES ? dirref_open(&w->sc->ndirrefs, path) : NULL;
	/* "dir/", "dir//" and "/" join as "dir/name" and "/name" */
	for (plen = strlen(path); plen > 0 && path[plen - 1] == '/'; plen--)
		;
	for (i = 0; i < n; i++) {
		child = xmalloc(plen + strlen(names[i].name) + 2);
		memcpy(child, path, plen);
		child[plen] = '/';
		strcpy(child + plen + 1, names[i].name);
		if (walk_excluded(w, child))
			(void)0;	/* --exclude-path: not read, not entered */
		else if (dir != NULL && names[i].type == DT_REG)
			push_file_in(w->sc, child, dir, plen + 1);
		else
			walk_path(w, child, 0, names[i].type);
		free(child);
		free(names[i].name);
	}
	dirref_put(dir);
	w->depth--;
	free(names);
}

static void
walk_path(struct walk *w, const char *path, int operand, unsigned char type)
{
	struct stat lst, st;

	if (operand && walk_excluded(w, path))
		return;		/* the walk_dir loop asks for the others */
	/* a regular file as readdir tells: no stat here, the reader's open
	 * and fstat see what it is */
	if (type == DT_REG) {
		push_file(w->sc, path);
		return;
	}
	if (lstat(path, &lst) == -1) {
		walk_failed(w, path, strerror(errno), type == DT_DIR);
		return;
	}
	if (S_ISLNK(lst.st_mode)) {
		if (!operand && w->cfg->no_follow && !inside_root(w, path)) {
			push_event(w->sc, EV_SKIP, path,
			    "symbolic link leads out of the scanned tree (--no-follow)");
			return;
		}
		if (stat(path, &st) == -1) {
			if (errno == ENOENT)
				push_event(w->sc, EV_ERROR, path, "dangling symbolic link");
			else
				walk_failed(w, path, strerror(errno), 0);
			return;
		}
	} else
		st = lst;
	if (S_ISDIR(st.st_mode))
		walk_dir(w, path, &st);
	else if (S_ISREG(st.st_mode))
		push_file(w->sc, path);
	else
		push_event(w->sc, EV_ERROR, path, S_ISFIFO(st.st_mode) ?
		    "not a regular file (FIFO): not read" : S_ISCHR(st.st_mode) ||
		    S_ISBLK(st.st_mode) ? "not a regular file (device): not read" :
		    "not a regular file: not read");
}

/* Merges every job queued so far: what comes next may go straight into
 * the report. */
static void
drain(struct scan *sc)
{
	struct job *p;

	if ((p = sc->pending) != NULL) {
		/* the first file, held for the workers: read it now */
		sc->pending = NULL;
		p->sink.rep = sc->rep;
		job_run(p, &sc->mainbuf, 0);
		job_free(p);
	}
	if (sc->nworkers == 0)
		return;
	pthread_mutex_lock(&sc->mu);
	while (sc->head < sc->tail)
		if (!merge_head(sc))
			main_wait(sc, 1);
	pthread_mutex_unlock(&sc->mu);
}

/* Standard input is read by the main thread straight into the report (its
 * certificates are not buffered as events: a whole CA export can come
 * this way), after everything queued before it. */
static void
scan_stdin(struct scan *sc)
{
	struct sink s;
	unsigned char *data = NULL;
	size_t len = 0;
	char err[256];
	int ok;

	memset(&s, 0, sizeof(s));
	s.cfg = sc->cfg;
	s.path = "-";
	s.rep = sc->rep;
	s.quick_der = dates_will_do(sc->cfg, sc->rep);
	ok = read_file("-", INPUT_MAX_BYTES, &data, &len, err, sizeof(err));
	drain(sc);
	if (ok)
		scan_sink(&s, data, len);
	else
		sink_message(&s, EV_ERROR, 0, xstrdup(err));
	free(data);
}

void
scan_paths(const struct config *cfg, struct report *rep)
{
	struct scan sc;
	struct walk w;
	size_t i;

	scan_start(&sc, cfg, rep);
	memset(&w, 0, sizeof(w));
	w.sc = &sc;
	w.cfg = cfg;
	for (i = 0; i < cfg->npaths; i++) {
		if (strcmp(cfg->paths[i], "-") == 0) {
			scan_stdin(&sc);
			continue;
		}
		w.root = realpath(cfg->paths[i], NULL);
		walk_path(&w, cfg->paths[i], 1, DT_UNKNOWN);
		free((char *)w.root);
		w.root = NULL;
	}
	scan_finish(&sc);
	free(w.stack);
	free(w.seen);
}
