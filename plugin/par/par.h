/*
 * Parallelism, behind one interface: the file pool (pool.c), large inputs
 * read in pieces (pieces.c) and a plain "each of n on threads" (each.c,
 * for the endpoints). Each merges what its threads did in a fixed order,
 * so the report is the same for any -j and any cut. Nothing else in the
 * plugin starts a thread.
 */
#ifndef CCE_PAR_H
#define CCE_PAR_H

#include <stddef.h>

#include "sink.h"

struct pool;
struct dirref;

/* A pool for the run: files queued with pool_file* are read by cfg->jobs
 * threads and merged into rep in the order they were queued. */
struct pool	*pool_start(const struct config *, struct report *rep);
void		 pool_file(struct pool *, const char *path);
/* A directory whose nfiles listed files are read relative to it (openat),
 * or NULL (then they go by path); pool_dir_put drops the walk's hold. */
struct dirref	*pool_dir(struct pool *, const char *path, size_t nfiles);
void		 pool_dir_put(struct dirref *);
/* A file found in dir, its name at path + base. */
void		 pool_file_in(struct pool *, const char *path, struct dirref *dir,
		    size_t base);
/* A problem, skip or note found by the walk itself, in walk order. */
void		 pool_event(struct pool *, enum ev_type, const char *path, const char *msg);
/* Merges everything queued so far. */
void		 pool_drain(struct pool *);
/* Merges the rest, stops the threads and frees the pool. */
void		 pool_finish(struct pool *);

/* pieces.c: 1 if r reads an input of len bytes (mapped or not) in pieces. */
int	 pieces_wanted(const struct reader *r, size_t len, int mapped);
/* pieces.c: reads p[0..len) in pieces with r into s, cfg->jobs threads
 * reading and this one merging in order; the pieces, so the report, are
 * the same for any number of threads. */
void	 pieces_read(struct sink *s, const struct reader *r, const unsigned char *p,
	    size_t len);

/* each.c: fn(arg, i) for every i below n, on up to maxthreads threads;
 * returns when all are done (on this thread alone if none starts). */
void	 par_each(size_t n, size_t maxthreads, void (*fn)(void *, size_t), void *arg);

#endif
