/*
 * A large input read in pieces: the reader cuts the input at record starts
 * (reader->cut) every PIECE_BYTES or so, worker threads read pieces into
 * buffered sinks, and the calling thread merges finished pieces into the
 * input's sink strictly in input order, giving back the mapped pages behind
 * them. Where the cuts fall depends on the content only, and with one job
 * the same pieces are read in the same order by the calling thread, so the
 * report is the same whatever the number of threads.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"
#include "sink.h"

/* A piece is about this large (a cut moves it to the next record start). */
#define PIECE_BYTES	(1024UL * 1024)
/* Inputs smaller than this are read in one go. */
#define PIECES_MIN	(4 * PIECE_BYTES)
/* Pieces read ahead of the merge, per thread: bounds the memory. */
#define AHEAD_PER_JOB	3

struct piece {
	const unsigned char	*p;
	size_t			 len;
	long			 line0;
	int			 first;
	int			 done;
	struct sink		 sink;
};

struct pieces {
	const struct reader	*r;
	pthread_mutex_t		 mu;
	pthread_cond_t		 work, finished;
	struct piece		*ring;
	size_t			 cap;
	size_t			 head, take, tail;	/* merge <= take <= fill */
	int			 closing;
};

int
pieces_wanted(const struct reader *r, size_t len)
{
	return r->cut != NULL && r->read_piece != NULL && len >= PIECES_MIN;
}

static long
count_lines(const unsigned char *p, size_t len)
{
	const unsigned char *q = p, *e = p + len;
	long n = 0;

	while ((q = memchr(q, '\n', (size_t)(e - q))) != NULL) {
		n++;
		q++;
	}
	return n;
}

/* The next piece from *at: [*at, end) with its first line number. */
static void
next_piece(const struct reader *r, const unsigned char *p, size_t len, size_t *at,
    long *line, struct piece *pc)
{
	size_t end = len - *at > PIECE_BYTES ? r->cut(p, len, *at + PIECE_BYTES) : len;

	if (end <= *at || end > len)
		end = len;
	pc->p = p + *at;
	pc->len = end - *at;
	pc->line0 = *line;
	pc->first = *at == 0;
	*line += count_lines(pc->p, pc->len);
	*at = end;
}

static void *
worker(void *arg)
{
	struct pieces *ps = arg;
	struct piece *pc;

	pthread_mutex_lock(&ps->mu);
	for (;;) {
		if (ps->take == ps->tail) {
			if (ps->closing)
				break;
			pthread_cond_wait(&ps->work, &ps->mu);
			continue;
		}
		pc = &ps->ring[ps->take++ % ps->cap];
		pthread_mutex_unlock(&ps->mu);
		ps->r->read_piece(&pc->sink, pc->p, pc->len, pc->line0, pc->first);
		pthread_mutex_lock(&ps->mu);
		pc->done = 1;
		pthread_cond_signal(&ps->finished);
	}
	pthread_mutex_unlock(&ps->mu);
	return NULL;
}

/* One thread: every piece straight into s, in order. */
static void
read_serial(struct sink *s, const struct reader *r, const unsigned char *p, size_t len)
{
	struct piece pc;
	size_t at = 0;
	long line = 1;

	while (at < len) {
		next_piece(r, p, len, &at, &line, &pc);
		r->read_piece(s, pc.p, pc.len, pc.line0, pc.first);
		sink_consumed(s, pc.p + pc.len);
	}
}

void
pieces_read(struct sink *s, const struct reader *r, const unsigned char *p, size_t len)
{
	struct pieces ps;
	struct piece *pc;
	pthread_t *th;
	size_t at = 0;
	long line = 1;
	int i, n = 0, jobs = s->cfg->jobs;

	if (jobs <= 1) {
		read_serial(s, r, p, len);
		return;
	}
	memset(&ps, 0, sizeof(ps));
	ps.r = r;
	ps.cap = (size_t)jobs * AHEAD_PER_JOB;
	ps.ring = xcalloc(ps.cap, sizeof(*ps.ring));
	pthread_mutex_init(&ps.mu, NULL);
	pthread_cond_init(&ps.work, NULL);
	pthread_cond_init(&ps.finished, NULL);
	th = xcalloc((size_t)jobs, sizeof(*th));
	for (i = 0; i < jobs; i++)
		if (pthread_create(&th[n], NULL, worker, &ps) == 0)
			n++;
	if (n == 0) {
		free(th);
		free(ps.ring);
		pthread_mutex_destroy(&ps.mu);
		pthread_cond_destroy(&ps.work);
		pthread_cond_destroy(&ps.finished);
		read_serial(s, r, p, len);
		return;
	}
	pthread_mutex_lock(&ps.mu);
	while (at < len || ps.head < ps.tail) {
		/* queue what the ring holds */
		while (at < len && ps.tail - ps.head < ps.cap) {
			pc = &ps.ring[ps.tail % ps.cap];
			memset(pc, 0, sizeof(*pc));
			pc->sink.cfg = s->cfg;
			pc->sink.path = s->path;
			pc->sink.idrep = s->rep != NULL ? s->rep : s->idrep;
			next_piece(r, p, len, &at, &line, pc);
			ps.tail++;
			pthread_cond_signal(&ps.work);
		}
		/* merge the oldest once it is read */
		pc = &ps.ring[ps.head % ps.cap];
		if (!pc->done) {
			pthread_cond_wait(&ps.finished, &ps.mu);
			continue;
		}
		pthread_mutex_unlock(&ps.mu);
		sink_absorb(s, &pc->sink);
		sink_consumed(s, pc->p + pc->len);
		pthread_mutex_lock(&ps.mu);
		ps.head++;
	}
	ps.closing = 1;
	pthread_cond_broadcast(&ps.work);
	pthread_mutex_unlock(&ps.mu);
	for (i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	free(th);
	free(ps.ring);
	pthread_mutex_destroy(&ps.mu);
	pthread_cond_destroy(&ps.work);
	pthread_cond_destroy(&ps.finished);
}
