/* The identity set: open addressing on a power-of-two table of 4-byte
 * slots. An identity is a SHA-256 prefix, spread evenly already: its first
 * 8 bytes give the position, the next ones a fingerprint in the slot. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "idset.h"

/* A slot holds the index + 1 in as many low bits as the table has slots
 * (set->imask: the index is below half of that), and in the bits above,
 * bits of the identity, so that a probe reads the identity table only when
 * those match. */
static uint32_t
slot_of(const struct idset *set, const unsigned char id[CERT_ID_LEN], size_t i)
{
	uint32_t fp;

	memcpy(&fp, id + 8, sizeof(fp));
	return (fp & ~set->imask) | (uint32_t)(i + 1);
}

static uint64_t
pos_of(const unsigned char id[CERT_ID_LEN])
{
	uint64_t x;

	memcpy(&x, id, sizeof(x));
	return x;
}

/* slot_of keeps the index + 1 in 32 bits: 2^32 slots (2^31 on a 32-bit
 * size_t, where that is all memory) */
#if SIZE_MAX > UINT32_MAX
#define IDSET_MAX_SLOTS	((size_t)UINT32_MAX + 1)
#else
#define IDSET_MAX_SLOTS	((size_t)1 << 31)
#endif

/* A table of n slots (a power of two, more than twice set->n). */
static void
idset_resize(struct idset *set, size_t n)
{
	size_t i, s;

	if (n > IDSET_MAX_SLOTS)	/* 2^31 certificates: 32 GiB of them */
		oom();
	free(set->slots);
	set->slots = xcalloc(n, sizeof(uint32_t));
	set->nslots = n;
	set->imask = (uint32_t)(n - 1);
	for (i = 0; i < set->n; i++) {
		for (s = pos_of(set->id[i]) & (n - 1); set->slots[s]; s = (s + 1) & (n - 1))
			;
		set->slots[s] = slot_of(set, set->id[i], i);
	}
}

/* The slot of this identity, or the empty one where it goes. */
static size_t
idset_probe(const struct idset *set, const unsigned char id[CERT_ID_LEN])
{
	uint32_t fp = slot_of(set, id, 0) & ~set->imask, v;
	size_t s, m = set->nslots - 1;

	for (s = pos_of(id) & m; (v = set->slots[s]) != 0; s = (s + 1) & m)
		if ((v & ~set->imask) == fp &&
		    memcmp(set->id[(v & set->imask) - 1], id, CERT_ID_LEN) == 0)
			break;
	return s;
}

int
idset_add(struct idset *set, const unsigned char id[CERT_ID_LEN], size_t *ip)
{
	size_t s;

	if ((set->n + 1) * 2 > set->nslots)
		idset_resize(set, set->nslots ? set->nslots * 2 : 1024);
	s = idset_probe(set, id);
	if (set->slots[s] != 0) {
		*ip = (set->slots[s] & set->imask) - 1;
		return 0;
	}
	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 1024;
		set->id = xreallocarray(set->id, set->cap, sizeof(*set->id));
	}
	memcpy(set->id[set->n], id, CERT_ID_LEN);
	set->slots[s] = slot_of(set, id, set->n);
	*ip = set->n++;
	return 1;
}

void
idset_expect(struct idset *set, size_t n)
{
	size_t slots = set->nslots ? set->nslots : 1024;

	while (slots / 2 < n && slots < IDSET_MAX_SLOTS)
		slots *= 2;
	if (slots > set->nslots)
		idset_resize(set, slots);
	if (set->cap < n) {
		set->cap = n;
		set->id = xreallocarray(set->id, set->cap, sizeof(*set->id));
	}
}

void
idset_prefetch(const struct idset *set, const unsigned char id[CERT_ID_LEN])
{
	if (set->nslots == 0)
		return;
#if defined(__GNUC__)
	__builtin_prefetch(&set->slots[pos_of(id) & (set->nslots - 1)]);
#endif
}

void
idset_free(struct idset *set)
{
	free(set->slots);
	free(set->id);
	memset(set, 0, sizeof(*set));
}
