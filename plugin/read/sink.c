/* The sink: what a reader reports through (certificates, errors, skips,
 * notes), buffered as events while a file or a piece is read by another
 * thread and merged into the report in a fixed order, or handed to the
 * report a batch at a time. Each record lives in the sink's arena (a
 * reader writes its strings there, sink_der copies the DER walk's) with
 * its identity (cert_identity()); the collector copies what it keeps, and
 * the arena is reset once the records are handed over. */
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
/* Into a report, certificates go a batch at a time, their table slots
 * fetched this many ahead. */
#define SINK_BATCH	64
#define MERGE_AHEAD	8

/* The next event (not cleared). */
static struct event *
event_new(struct sink *s)
{
	if (s->nev == s->evcap) {
		s->evcap = s->evcap ? s->evcap * 2 : 4;
		s->ev = xreallocarray(s->ev, s->evcap, sizeof(*s->ev));
	}
	return &s->ev[s->nev++];
}

static struct event *
sink_event(struct sink *s, enum ev_type type, long record)
{
	struct event *e = event_new(s);

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
	arena_free(&s->arena);
	buf_free(&s->scratch);
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

/* A record into the sink, with its identity; copy: its strings are not in
 * the arena yet. */
static void
sink_add(struct sink *s, const struct certinfo *ci, const struct sink_cert_meta *m, int copy)
{
	struct event *e;

	note_cert(s);
	e = event_new(s);	/* every field set here */
	e->type = EV_CERT;
	e->record = m->record;
	e->format = m->format;
	e->text = arena_strdup(&s->arena, m->alias);
	if (copy)
		certinfo_copy(&s->arena, &e->ci, ci);
	else
		e->ci = *ci;
	cert_identity(&e->ci, &s->scratch, e->id);
	if (s->rep != NULL && s->nev >= SINK_BATCH)
		sink_merge(s, s->rep);
}

/* The CA-export fields of x in ci (lent: taken out again by
 * extra_out). */
static void
extra_in(struct certinfo *ci, const struct certinfo *x)
{
	if (x == NULL)
		return;
	ci->template = x->template;
	ci->request_id = x->request_id;
	ci->requester = x->requester;
	ci->revoked = x->revoked;
	ci->revoke_reason = x->revoke_reason;
}

static void
extra_out(struct certinfo *ci)
{
	ci->template = ci->request_id = ci->requester = ci->revoke_reason = NULL;
}

int
sink_der(struct sink *s, const unsigned char *der, size_t len, const struct sink_cert_meta *m)
{
	struct certinfo ci;
	char err[256], err2[256], err3[256], note[512];

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
			return 0;
		}
	}
	ossl_sha256(der, len, ci.sha256);
	ci.has_sha256 = 1;
	extra_in(&ci, m->extra);
	sink_add(s, &ci, m, 1);
	extra_out(&ci);
	certinfo_free(&ci);
	return 1;
}

void
sink_certinfo(struct sink *s, const struct certinfo *ci, const struct sink_cert_meta *m)
{
	sink_add(s, ci, m, 0);
}

struct arena *
sink_arena(struct sink *s)
{
	return &s->arena;
}

struct part *
sink_part(struct sink *s)
{
	return s->part;
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

	s->notes++;	/* said, even if not shown */
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

/* sink_merge, base added to every record number. */
static void
merge(struct sink *s, struct report *rep, long base)
{
	struct location loc;
	struct event *e;
	size_t i;

	for (i = 0; i < s->nev && i < MERGE_AHEAD; i++)
		if (s->ev[i].type == EV_CERT)
			report_prefetch(rep, s->ev[i].id);
	for (i = 0; i < s->nev; i++) {
		e = &s->ev[i];
		if (i + MERGE_AHEAD < s->nev && e[MERGE_AHEAD].type == EV_CERT)
			report_prefetch(rep, e[MERGE_AHEAD].id);
		if (e->record > 0)
			e->record += base;
		switch (e->type) {
		case EV_CERT:
			loc.path = (char *)s->path;
			loc.format = e->format;
			loc.record = e->record;
			loc.alias = e->text;
			report_add_cert(rep, &e->ci, &loc, e->id);
			continue;	/* its strings are the arena's */
		case EV_ERROR:
			report_add_problem(rep, s->path, e->record, e->text);
			break;
		case EV_SKIP:
			report_add_skip(rep, s->path, e->text);
			break;
		case EV_NOTE:
			note_with_record(rep, e->format, e->record, e->text);
			break;
		}
		free(e->text);
	}
	/* the buffers serve what comes next (sink_buffers_free ends them) */
	s->nev = 0;
	arena_reset(&s->arena);
}

void
sink_merge(struct sink *s, struct report *rep)
{
	merge(s, rep, 0);
}

/* Frees what the sink's events hold (not the events). */
static void
events_free(struct sink *s)
{
	size_t i;

	for (i = 0; i < s->nev; i++)
		if (s->ev[i].type != EV_CERT)
			free(s->ev[i].text);
	s->nev = 0;
}

void
sink_discard(struct sink *s)
{
	events_free(s);
	sink_buffers_free(s);
}

void
sink_absorb(struct sink *parent, struct sink *child, long base)
{
	size_t n, i;

	parent->count += child->count;
	parent->errors += child->errors;
	parent->skipped += child->skipped;
	parent->notes += child->notes;
	if (parent->rep != NULL) {
		if (parent->nev > 0)
			sink_merge(parent, parent->rep);
		merge(child, parent->rep, base);
		return;
	}
	for (i = 0; i < child->nev; i++)
		if (child->ev[i].record > 0)
			child->ev[i].record += base;
	/* the events and the arena their records live in */
	arena_take(&parent->arena, &child->arena);
	if (parent->nev + child->nev > parent->evcap) {
		n = parent->nev + child->nev;
		parent->ev = xreallocarray(parent->ev, n, sizeof(*parent->ev));
		parent->evcap = n;
	}
	if (child->nev > 0)
		memcpy(parent->ev + parent->nev, child->ev, child->nev * sizeof(*child->ev));
	parent->nev += child->nev;
	child->nev = 0;
}
