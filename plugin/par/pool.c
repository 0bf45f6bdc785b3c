/*
 * The file pool (-j N, N > 1): the walk (walk.c) queues one job per file in
 * sorted order; N workers read and parse the files, each into its own sink
 * (a list of events); the calling thread merges finished jobs into the
 * report strictly in queue order, so the report is the same whatever the
 * scheduling. Only the calling thread touches the report. Large files are
 * read by the calling thread when their turn comes (input.c maps them,
 * pieces.c reads them in pieces with threads of its own). With -j 1 every
 * file is read by the calling thread. The interface is par.h.
 */
#include "config.h"

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extern.h"
#include "par.h"
#include "sink.h"

/* Jobs queued ahead of the merge, per worker. */
#define QUEUE_PER_WORKER 512

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

void
pool_dir_put(struct dirref *d)
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
	struct job	*next;		/* on the spare list */
	struct sink	 sink;
};

struct pool {
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
	int			 started;	/* workers started (or none wanted) */
	struct job		*pending;	/* the first file, until a second comes */
	struct job		*spare;		/* main thread only: to reuse */
	int			 ndirrefs;	/* open (atomic) */
};

static void
job_free(struct job *j)
{
	pool_dir_put(j->dir);
	free(j->path);
	free(j);
}

/* A job, reused when one is spare (made and freed by the main thread
 * only: no memory crosses threads, no allocation per file). */
static struct job *
job_new(struct pool *pl, enum job_kind kind, const char *path)
{
	struct job *j = pl->spare;
	size_t n = strlen(path) + 1, cap = 0;
	char *keep = NULL;

	if (j != NULL) {
		pl->spare = j->next;
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
	j->done = kind == JOB_DONE;
	j->sink.cfg = pl->cfg;
	j->sink.path = j->path;
	return j;
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
			input_read(&j->sink, rb->p, len);
			pool_dir_put(j->dir);
			j->dir = NULL;
			return;
		}
		ok = ok == 1;
	} else
		ok = open_regular(j->path, INPUT_MAX_BYTES, &fd, &size, err, sizeof(err));
	if (!ok)
		input_open_failed(&j->sink, j->path, err);
	else if (defer && size >= MAP_MIN_BYTES) {
		j->kind = JOB_BIG;	/* read later: the directory stays open */
		close(fd);
		return;
	} else {
		input_fd(&j->sink, fd, size, rb);
		close(fd);
	}
	pool_dir_put(j->dir);
	j->dir = NULL;
}

/* Takes up to WORKER_BATCH file jobs at once: fewer wake-ups. */
#define WORKER_BATCH	32

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

static void *
worker(void *arg)
{
	struct pool *pl = arg;
	struct rbuf rb = { NULL, 0 };
	struct job *batch[WORKER_BATCH];
	size_t n, i;

	pthread_mutex_lock(&pl->mu);
	for (;;) {
		n = 0;
		while (n < WORKER_BATCH && pl->take < pl->tail) {
			if (pl->ring[pl->take % pl->qcap]->kind == JOB_FILE)
				batch[n++] = pl->ring[pl->take % pl->qcap];
			pl->take++;
		}
		if (n == 0) {
			if (pl->closing)
				break;
			pl->idle++;
			pthread_cond_wait(&pl->work, &pl->mu);
			pl->idle--;
			continue;
		}
		pthread_mutex_unlock(&pl->mu);
		for (i = 0; i < n; i++)
			job_run(batch[i], &rb, 1);
		pthread_mutex_lock(&pl->mu);
		for (i = 0; i < n; i++)
			batch[i]->done = 1;
		pl->ndone += n;
		/* main wakes when it asked to, or when no work is queued */
		if (pl->waiting && (pl->ndone >= pl->wake_at || pl->take == pl->tail))
			pthread_cond_signal(&pl->finished);
		/* the main thread walks and merges for all: if it waits for
		 * this CPU, it runs now (as in pieces.c) */
		pthread_mutex_unlock(&pl->mu);
		(void)sched_yield();
		pthread_mutex_lock(&pl->mu);
	}
	pthread_mutex_unlock(&pl->mu);
	free(rb.p);
	return NULL;
}

/* Merges the job at the head of the queue; the lock is held on entry and
 * exit, released while a big file is read. Returns 0 if it is not done. */
static int
merge_head(struct pool *pl)
{
	struct job *j;

	if (pl->head == pl->tail)
		return 0;
	j = pl->ring[pl->head % pl->qcap];
	if (!j->done)
		return 0;
	if (j->kind == JOB_BIG) {
		/* handed back by a worker: read straight into the report */
		pthread_mutex_unlock(&pl->mu);
		j->sink.rep = pl->rep;
		job_run(j, &pl->mainbuf, 0);
		pthread_mutex_lock(&pl->mu);
	} else {
		pthread_mutex_unlock(&pl->mu);
		sink_merge(&j->sink, pl->rep);
		sink_buffers_free(&j->sink);
		pthread_mutex_lock(&pl->mu);
	}
	if (pl->take == pl->head)
		pl->take++;
	pl->head++;
	/* kept for job_new (the main thread made it, and reuses it) */
	j->next = pl->spare;
	pl->spare = j;
	return 1;
}

/* The main thread waits until workers have finished n more jobs (or have
 * none left to take): a full queue waits for a quarter of it, so that the
 * main thread wakes once per many files, not per batch. */
static void
main_wait(struct pool *pl, size_t n)
{
	if (pl->idle > 0 && pl->take < pl->tail)
		pthread_cond_broadcast(&pl->work);
	pl->wake_at = pl->ndone + n;
	pl->waiting = 1;
	pthread_cond_wait(&pl->finished, &pl->mu);
	pl->waiting = 0;
}

static void start_workers(struct pool *);

/* Queues a job; with no workers runs it now, straight into the report. The
 * first file waits for a second one before the workers are started. */
static void
push(struct pool *pl, struct job *j)
{
	struct job *p;

	if (!pl->started) {
		if (pl->pending == NULL && j->kind == JOB_FILE) {
			pl->pending = j;
			return;
		}
		if ((p = pl->pending) != NULL) {
			pl->pending = NULL;
			start_workers(pl);
			push(pl, p);
		}
	}
	if (pl->nworkers == 0) {
		if (j->kind != JOB_DONE) {
			j->sink.rep = pl->rep;
			job_run(j, &pl->mainbuf, 0);
		} else {
			sink_merge(&j->sink, pl->rep);
			sink_buffers_free(&j->sink);
		}
		job_free(j);
		return;
	}
	pthread_mutex_lock(&pl->mu);
	while (pl->tail - pl->head == pl->qcap) {
		if (!merge_head(pl))
			main_wait(pl, pl->qcap / 4);
	}
	pl->ring[pl->tail++ % pl->qcap] = j;
	/* wake a worker once a batch is ready (or it would starve) */
	if (j->kind == JOB_FILE && pl->idle > 0 &&
	    (pl->tail - pl->take >= WORKER_BATCH || pl->idle == pl->nworkers))
		pthread_cond_signal(&pl->work);
	/* merge what is ready, so that buffered events do not pile up */
	while (merge_head(pl))
		;
	pthread_mutex_unlock(&pl->mu);
}

void
pool_file(struct pool *pl, const char *path)
{
	push(pl, job_new(pl, JOB_FILE, path));
}

/* A file found in the directory dir, its name at path + base. */
void
pool_file_in(struct pool *pl, const char *path, struct dirref *dir, size_t base)
{
	struct job *j = job_new(pl, JOB_FILE, path);

	__atomic_add_fetch(&dir->refs, 1, __ATOMIC_RELAXED);
	j->dir = dir;
	j->base = base;
	push(pl, j);
}

/* A problem, skip or note found by the walk itself, in walk order. */
void
pool_event(struct pool *pl, enum ev_type type, const char *path, const char *msg)
{
	struct job *j = job_new(pl, JOB_DONE, path);

	sink_message(&j->sink, type, 0, xstrdup(msg));
	push(pl, j);
}

/* Starts the workers: when a second file is queued, so that a run over a
 * single file does not pay for threads. */
static void
start_workers(struct pool *pl)
{
	const struct config *cfg = pl->cfg;
	int i;

	pl->started = 1;
	pl->qcap = (size_t)cfg->jobs * QUEUE_PER_WORKER;
	pl->ring = xcalloc(pl->qcap, sizeof(*pl->ring));
	pthread_mutex_init(&pl->mu, NULL);
	pthread_cond_init(&pl->work, NULL);
	pthread_cond_init(&pl->finished, NULL);
	pl->threads = xcalloc((size_t)cfg->jobs, sizeof(*pl->threads));
	for (i = 0; i < cfg->jobs; i++) {
		if (pthread_create(&pl->threads[i], NULL, worker, pl) != 0)
			break;
		pl->nworkers++;
	}
	if (pl->nworkers == 0) {
		free(pl->threads);
		free(pl->ring);
		pl->threads = NULL;
		pl->ring = NULL;
		pthread_mutex_destroy(&pl->mu);
		pthread_cond_destroy(&pl->work);
		pthread_cond_destroy(&pl->finished);
	}
}

struct pool *
pool_start(const struct config *cfg, struct report *rep)
{
	struct pool *pl = xcalloc(1, sizeof(*pl));

	pl->cfg = cfg;
	pl->rep = rep;
	input_catch_sigbus();
	pl->started = cfg->jobs <= 1;	/* workers come with the second file */
	return pl;
}

struct dirref *
pool_dir(struct pool *pl, const char *path, size_t nfiles)
{
	return nfiles >= DIRREF_MIN_FILES ? dirref_open(&pl->ndirrefs, path) : NULL;
}

void
pool_finish(struct pool *pl)
{
	struct job *p;
	int i;

	if ((p = pl->pending) != NULL) {
		/* the only file: the main thread reads it */
		pl->pending = NULL;
		pl->started = 1;
		push(pl, p);
	}

	if (pl->nworkers > 0) {
		pthread_mutex_lock(&pl->mu);
		pl->closing = 1;
		pthread_cond_broadcast(&pl->work);
		while (pl->head < pl->tail)
			if (!merge_head(pl))
				main_wait(pl, 1);
		pthread_mutex_unlock(&pl->mu);
		for (i = 0; i < pl->nworkers; i++)
			pthread_join(pl->threads[i], NULL);
		free_jobs(pl->spare);
		pl->spare = NULL;
		free(pl->threads);
		free(pl->ring);
		pthread_mutex_destroy(&pl->mu);
		pthread_cond_destroy(&pl->work);
		pthread_cond_destroy(&pl->finished);
	}
	free(pl->mainbuf.p);
	free(pl);
}


/* Merges every job queued so far: what comes next may go straight into
 * the report. */
void
pool_drain(struct pool *pl)
{
	struct job *p;

	if ((p = pl->pending) != NULL) {
		/* the first file, held for the workers: read it now */
		pl->pending = NULL;
		p->sink.rep = pl->rep;
		job_run(p, &pl->mainbuf, 0);
		job_free(p);
	}
	if (pl->nworkers == 0)
		return;
	pthread_mutex_lock(&pl->mu);
	while (pl->head < pl->tail)
		if (!merge_head(pl))
			main_wait(pl, 1);
	pthread_mutex_unlock(&pl->mu);
}

