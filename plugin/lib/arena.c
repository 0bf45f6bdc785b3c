/* An arena: strings and small blocks that live until the arena is reset
 * (the sink keeps its records' strings in one until they are handed over).
 * Blocks are never moved, so what arena_alloc gave stays where it is; each
 * block ends in RX_SLACK zero bytes, so a pattern matched against the last
 * string of a block loads only bytes of the block. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "extern.h"

#define ARENA_FIRST	1024
#define ARENA_MAX	(1024UL * 1024)
#define ARENA_ALIGN	sizeof(void *)

struct arena_block {
	struct arena_block	*next;	/* the older ones */
	size_t			 size;	/* of data, slack not counted */
	size_t			 used;
	char			 data[];
};

static struct arena_block *
block_new(size_t size)
{
	struct arena_block *b;

	if (size > SIZE_MAX - sizeof(*b) - RX_SLACK)
		oom();
	/* zeroed: the bytes after the last string are read as its slack */
	b = xcalloc(1, sizeof(*b) + size + RX_SLACK);
	b->size = size;
	return b;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_block *b = a->block;
	size_t at, size;
	void *p;

	at = b != NULL ? (b->used + ARENA_ALIGN - 1) / ARENA_ALIGN * ARENA_ALIGN : 0;
	if (b == NULL || at > b->size || n > b->size - at) {
		/* each block twice the last, up to ARENA_MAX */
		size = b == NULL ? ARENA_FIRST : b->size < ARENA_MAX / 2 ? 2 * b->size : ARENA_MAX;
		if (size < n)
			size = n;
		b = block_new(size);
		b->next = a->block;
		a->block = b;
		at = 0;
	}
	p = b->data + at;
	b->used = at + n;
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *d = arena_alloc(a, n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return s != NULL ? arena_strndup(a, s, strlen(s)) : NULL;
}

void
arena_reset(struct arena *a)
{
	struct arena_block *b, *next;

	if (a->block == NULL)
		return;
	/* the newest block is the largest: kept, and the rest freed */
	for (b = a->block->next; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	a->block->next = NULL;
	a->block->used = 0;	/* what is left there is defined: zeros, or old strings */
}

void
arena_free(struct arena *a)
{
	struct arena_block *b, *next;

	for (b = a->block; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	a->block = NULL;
}

void
arena_take(struct arena *a, struct arena *from)
{
	struct arena_block *last;

	if (from->block == NULL)
		return;
	if (a->block == NULL) {
		a->block = from->block;
		from->block = NULL;
		return;
	}
	/* behind the block a fills, which stays the newest */
	for (last = from->block; last->next != NULL; last = last->next)
		;
	last->next = a->block->next;
	a->block->next = from->block;
	from->block = NULL;
}
