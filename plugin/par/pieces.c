/*
 * A large input read in pieces: after the header the reader reads first
 * (reader->header), the input is cut every PIECE_BYTES or so at a record
 * start (reader->next_record), worker threads read the pieces with the
 * reader's read function into buffered sinks (each a part, sink_part()),
 * the reader numbering lines or records from 1, and the calling thread
 * merges finished pieces into the input's sink strictly in input order,
 * adding the count of the pieces before, and gives back the mapped pages
 * behind them. While the oldest
 * piece is still being read, the calling thread reads a queued one itself
 * rather than wait.
 *
 * A cut is made by content alone, so it can fall inside a record that runs
 * over several lines (a quoted CSV value, a PEM block without its END
 * line). The piece before such a cut says so (part.done stops at the start
 * of that record); from there on the input is read whole, in order, and
 * what the later pieces found is thrown away. The pieces depend on the
 * content only and one job reads the same pieces in the same order, so
 * the report is the same whatever the number of threads, and the same as
 * a whole read.
 */
#include "config.h"

#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"
#include "par.h"

/* A piece is about this large (a cut moves it to the next record start). */
#define PIECE_BYTES	(256UL * 1024)
/* Inputs smaller than this are read in one go. */
#define PIECES_MIN	(4UL * 1024 * 1024)
/* Pieces read ahead of the merge, per thread: bounds the memory. */
#define AHEAD_PER_JOB	2

struct piece {
	size_t			 at, len;	/* in the input */
	int			 last;
	int			 done;
	struct part		 part;
	struct sink		 sink;
};

struct pieces {
	const struct reader	*r;
	const void		*ctx;
	const unsigned char	*p;		/* the input */
	size_t			 len;
	size_t			 body;		/* where the records start */
	size_t			 next;		/* where the next piece starts */
	long			 base;		/* units before the next merge */
	size_t			 npieces;	/* merged */
	int			 rest;		/* the rest was read whole */
	struct sink		*s;
	/* the threads */
	pthread_mutex_t		 mu;
	pthread_cond_t		 work, finished;
	struct piece		*ring;
	size_t			 cap;
	size_t			 head, take, tail;	/* merge <= take <= fill */
	int			 closing;
};

/*
 * Tests only (pieces_test_set, called by tests/pieces-run.c and the
 * fuzzers, never by the plugin): every input a reader can cut (mapped or
 * not, of any size) is read in pieces of about test_bytes bytes, so that
 * the test suite can compare pieces against whole reads on every small
 * input it has. 0: off.
 */
static size_t test_bytes;
static int test_say;		/* a line on stderr per input read in pieces */

void
pieces_test_set(size_t bytes, int say)
{
	test_bytes = bytes;
	test_say = bytes > 0 && say;
}

int
pieces_wanted(const struct reader *r, size_t len, int mapped)
{
	if (r->next_record == NULL)
		return 0;
	if (test_bytes > 0)
		return 1;
	return mapped && len >= PIECES_MIN;
}

static size_t
piece_bytes(void)
{
	return test_bytes > 0 ? test_bytes : PIECE_BYTES;
}

/* Sets up the next piece; 0 when the input is all handed out. */
static int
next_piece(struct pieces *ps, struct piece *pc)
{
	size_t at = ps->next, end;
	struct sink was;

	if (at >= ps->len)
		return 0;
	end = ps->len - at > piece_bytes() ?
	    ps->r->next_record(ps->p, ps->len, at + piece_bytes()) : ps->len;
	if (end <= at || end > ps->len)
		end = ps->len;
	/* a new sink, with the buffers of the last piece in this place */
	was = pc->sink;
	memset(pc, 0, sizeof(*pc));
	pc->sink.ev = was.ev;
	pc->sink.evcap = was.evcap;
	pc->sink.arena = was.arena;
	pc->sink.scratch = was.scratch;
	pc->at = at;
	pc->len = end - at;
	pc->last = end == ps->len;
	ps->next = end;
	return 1;
}

static void
read_one(const struct pieces *ps, struct piece *pc)
{
	pc->sink.cfg = ps->s->cfg;
	pc->sink.path = ps->s->path;
	pc->sink.part = &pc->part;
	pc->part.header = ps->ctx;
	pc->part.more = !pc->last;
	pc->part.done = pc->len;
	pc->part.units = 0;
	ps->r->read(&pc->sink, ps->p + pc->at, pc->len);
	if (pc->part.done > pc->len)
		pc->part.done = pc->len;
}

/* The first piece tells how many records the input holds, about: the
 * report makes room for them at once (at most one per EXPECT_MIN_BYTES and
 * EXPECT_MAX in all, whatever the first piece says: a table made for rows
 * that never come would cost memory wherever its few entries fall). */
#define EXPECT_MIN_BYTES	48
#define EXPECT_MAX		(1UL << 20)
static void
expect_rows(const struct pieces *ps, const struct piece *pc)
{
	double n = (double)pc->sink.count * (double)(ps->len - ps->body) / (double)pc->len;

	if (n > (double)(ps->len / EXPECT_MIN_BYTES))
		n = (double)(ps->len / EXPECT_MIN_BYTES);
	if (n > (double)EXPECT_MAX)
		n = (double)EXPECT_MAX;
	report_expect(ps->s->rep, (size_t)n);
}

/* Merges a read piece into the input's sink; 0 if the input must be read
 * whole from the end of what the piece read. */
static int
merge_one(struct pieces *ps, struct piece *pc)
{
	sink_absorb(ps->s, &pc->sink, ps->base);
	/* after the first records went in: the collector is there to size */
	if (ps->npieces == 0 && ps->s->rep != NULL && pc->len > 0)
		expect_rows(ps, pc);
	ps->npieces++;
	ps->base += pc->part.units;
	sink_consumed(ps->s, ps->p + pc->at + pc->part.done);
	return pc->last || pc->part.done >= pc->len;
}

/* After a piece that ended inside a record: the rest in one read. */
static void
read_rest(struct pieces *ps, const struct piece *pc)
{
	struct piece rest;

	ps->next = pc->at + pc->part.done;
	ps->rest = 1;
	memset(&rest, 0, sizeof(rest));
	rest.at = ps->next;
	rest.len = ps->len - ps->next;
	rest.last = 1;
	read_one(ps, &rest);
	(void)merge_one(ps, &rest);
	sink_buffers_free(&rest.sink);
}

/* Reads the next queued piece (the lock held, and held again after). */
static void
take_one(struct pieces *ps)
{
	struct piece *pc = &ps->ring[ps->take++ % ps->cap];

	pthread_mutex_unlock(&ps->mu);
	read_one(ps, pc);
	pthread_mutex_lock(&ps->mu);
	pc->done = 1;
	pthread_cond_signal(&ps->finished);
}

static void *
worker(void *arg)
{
	struct pieces *ps = arg;

	pthread_mutex_lock(&ps->mu);
	for (;;) {
		if (ps->take == ps->tail) {
			if (ps->closing)
				break;
			pthread_cond_wait(&ps->work, &ps->mu);
			continue;
		}
		take_one(ps);
		/* The merging thread is the one the others wait for; with
		 * more threads than CPUs it may be waiting for this one: let
		 * it run now (a large index.txt on fewer CPUs than threads
		 * reads faster so). Unlike a lower priority, this costs
		 * nothing on a busy host. */
		pthread_mutex_unlock(&ps->mu);
		(void)sched_yield();
		pthread_mutex_lock(&ps->mu);
	}
	pthread_mutex_unlock(&ps->mu);
	return NULL;
}

/* One thread: every piece in turn. */
static void
read_serial(struct pieces *ps)
{
	struct piece pc;

	memset(&pc, 0, sizeof(pc));
	while (next_piece(ps, &pc)) {
		read_one(ps, &pc);
		if (!merge_one(ps, &pc)) {
			read_rest(ps, &pc);
			break;
		}
	}
	sink_buffers_free(&pc.sink);
}

/* Threads read ahead, this one merges; 0 if no thread could start. */
static int
read_threads(struct pieces *ps, int jobs)
{
	struct piece *pc;
	pthread_t *th;
	int i, n = 0, rest = 0;

	ps->cap = (size_t)jobs * AHEAD_PER_JOB;
	ps->ring = xcalloc(ps->cap, sizeof(*ps->ring));
	pthread_mutex_init(&ps->mu, NULL);
	pthread_cond_init(&ps->work, NULL);
	pthread_cond_init(&ps->finished, NULL);
	th = xcalloc((size_t)jobs, sizeof(*th));
	for (i = 0; i < jobs; i++)
		if (pthread_create(&th[n], NULL, worker, ps) == 0)
			n++;
	pthread_mutex_lock(&ps->mu);
	while (n > 0 && !rest) {
		/* queue what the ring holds */
		while (ps->tail - ps->head < ps->cap &&
		    next_piece(ps, &ps->ring[ps->tail % ps->cap])) {
			ps->tail++;
			pthread_cond_signal(&ps->work);
		}
		if (ps->head == ps->tail)
			break;
		/* merge the oldest once it is read */
		pc = &ps->ring[ps->head % ps->cap];
		if (!pc->done) {
			if (ps->take < ps->tail) {
				/* rather than wait, read one the threads have
				 * not taken yet */
				take_one(ps);
				continue;
			}
			pthread_cond_wait(&ps->finished, &ps->mu);
			continue;
		}
		pthread_mutex_unlock(&ps->mu);
		rest = !merge_one(ps, pc);
		pthread_mutex_lock(&ps->mu);
		ps->head++;
	}
	ps->closing = 1;
	pthread_cond_broadcast(&ps->work);
	pthread_mutex_unlock(&ps->mu);
	for (i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	if (rest) {
		/* what the pieces after it found does not count */
		pc = &ps->ring[(ps->head - 1) % ps->cap];
		for (; ps->head < ps->tail; ps->head++)
			sink_discard(&ps->ring[ps->head % ps->cap].sink);
		read_rest(ps, pc);
	}
	free(th);
	for (i = 0; i < (int)ps->cap; i++)
		sink_buffers_free(&ps->ring[i].sink);
	free(ps->ring);
	pthread_mutex_destroy(&ps->mu);
	pthread_cond_destroy(&ps->work);
	pthread_cond_destroy(&ps->finished);
	return n > 0;
}

void
pieces_read(struct sink *s, const struct reader *r, const unsigned char *p, size_t len)
{
	struct pieces ps;
	void *ctx = NULL;
	size_t body = 0, count = s->count;
	int jobs = s->cfg->jobs, errors = s->errors, skipped = s->skipped;
	long notes = s->notes;

	if (r->header != NULL && (ctx = r->header(s, p, len, &body)) == NULL) {
		r->read(s, p, len);
		return;
	}
	memset(&ps, 0, sizeof(ps));
	ps.r = r;
	ps.ctx = ctx;
	ps.p = p;
	ps.len = len;
	ps.body = ps.next = body < len ? body : len;
	ps.s = s;
	if (jobs <= 1 || !read_threads(&ps, jobs))
		read_serial(&ps);
	if (r->header_free != NULL)
		r->header_free(ctx);
	/* nothing came of the pieces, not even a note: the whole read says
	 * why, in its own words (it finds nothing either, so reports nothing
	 * else) */
	if (s->count == count && s->errors == errors && s->skipped == skipped &&
	    s->notes == notes)
		r->read(s, p, len);
	if (test_say)	/* for the tests: pieces were read */
		fprintf(stderr, "pieces: %s: %zu pieces%s\n", s->path, ps.npieces,
		    ps.rest ? ", then the rest whole" : "");
}
