/* The one home of xxHash (libxxhash): the 128-bit XXH3 of a CA-export
 * row's canonical key, seeded once per run (getentropy), so that rows
 * cannot be made to collide by someone who knows the seed-free function.
 * Certificates go by the SHA-256 of their DER (ossl.c). */
#include "config.h"

#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#include "extern.h"

static XXH64_hash_t seed;
static int seeded;	/* atomic */

void
xxh_init(void)
{
	if (__atomic_load_n(&seeded, __ATOMIC_ACQUIRE))
		return;
	if (getentropy(&seed, sizeof(seed)) != 0)
		seed = 0;	/* still a hash; only the seed is lost */
	__atomic_store_n(&seeded, 1, __ATOMIC_RELEASE);
}

void
xxh128(const void *p, size_t len, unsigned char out[16])
{
	XXH128_hash_t h = XXH3_128bits_withSeed(p, len, seed);

	memcpy(out, &h.low64, 8);
	memcpy(out + 8, &h.high64, 8);
}
