/* fn(arg, i) for i in 0..n-1 on up to maxthreads threads, each taking the
 * next i in turn (the endpoints: each bounded by its own timeout). What fn
 * writes for one i is its own; the caller reads the results in order
 * after par_each returns, so they do not depend on the scheduling. */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>

#include "extern.h"
#include "par.h"

struct each {
	void		(*fn)(void *, size_t);
	void		 *arg;
	size_t		  n, next;
	pthread_mutex_t	  mu;
};

static void *
each_worker(void *arg)
{
	struct each *e = arg;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&e->mu);
		i = e->next++;
		pthread_mutex_unlock(&e->mu);
		if (i >= e->n)
			return NULL;
		e->fn(e->arg, i);
	}
}

void
par_each(size_t n, size_t maxthreads, void (*fn)(void *, size_t), void *arg)
{
	struct each e;
	pthread_t *th;
	size_t i, k;

	if (n == 0)
		return;
	e.fn = fn;
	e.arg = arg;
	e.n = n;
	e.next = 0;
	pthread_mutex_init(&e.mu, NULL);
	k = n < maxthreads ? n : maxthreads;
	th = xcalloc(k, sizeof(*th));
	for (i = 0; i < k; i++)
		if (pthread_create(&th[i], NULL, each_worker, &e) != 0)
			break;
	if (i == 0)
		(void)each_worker(&e);	/* no thread at all: one by one here */
	k = i;
	for (i = 0; i < k; i++)
		pthread_join(th[i], NULL);
	free(th);
	pthread_mutex_destroy(&e.mu);
}
