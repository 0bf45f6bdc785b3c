/*
 * The identity of a CA-export row: a keyed 128-bit hash of its row key
 * (certset.c), under a key drawn once per run that never leaves the
 * process, so that no input can choose two rows that collide. The same
 * hash of a certificate's DER is its identity where the Nagios output
 * keeps no more than identities (scan.c: cheaper than SHA-256).
 *
 * Row keys (serial, subject, expiry: under 200 bytes as a rule) take a
 * multilinear hash modulo the prime p = 2^61 - 1, twice with independent
 * keys: the input as 7-byte little-endian chunks m_1..m_n (the last one
 * zero-padded) and m_{n+1} = length + 1, and
 *
 *	h_j = sum(i = 1 .. n + 1) m_i * k_j[i]  mod p		(j = 0, 1)
 *
 * Two different inputs give different chunk vectors (the length chunk is
 * never 0 and sits where the other input has data or nothing), so they
 * collide with probability 1/p for each j over the key, 2^-122 for both
 * (Carter and Wegman's universal hashing; Halevi and Krawczyk's MMH is the
 * same sum modulo a prime). The products are independent, so the sum runs
 * at the multiplier's throughput, well ahead of SipHash on short keys.
 * Longer inputs, and compilers without a 128-bit integer,
 * take SipHash-1-3-128; its output and a multilinear one are equal with
 * probability 1/p over the key too (the length chunk's key term makes the
 * multilinear hash uniform).
 *
 * On x86-64 CPUs with carry-less multiplication (PCLMULQDQ) the carry-less
 * form of NH (the hash of Black et al.'s UMAC, over GF(2)[x]) is taken
 * instead: 8-byte chunks m_0..m_n-1, then m_n = length + 1, then a zero
 * chunk if that makes an odd count; each chunk XORed (+) with its key, the
 * two of each pair multiplied carry-less, the products XORed, and the sum
 * reduced once modulo P = x^64 + x^4 + x^3 + x + 1 (irreducible):
 *
 *	h_j = sum(i) (m_2i + k_j[2i]) * (m_2i+1 + k_j[2i+1])  mod P	(j = 0, 1)
 *
 * Two different inputs give different chunk vectors. Where two of the same
 * length differ in a pair (a, b) and (a', b'), their difference is, for
 * one key of that pair with the others fixed, c * k + e with c = a + a'
 * (or b + b') not 0 and of degree < 64, so invertible modulo P: one k of
 * the 2^64 makes it 0 modulo P. A pair only the longer input has adds
 * (a + k)(b + k'), the same for k' unless k = a. So two inputs collide with
 * probability at most 2^-63 for each j, 2^-126 for both; one carry-less
 * multiplication per 16 bytes and key, half of what a multilinear sum in
 * GF(2^64) takes. It takes inputs of up to IDHASH_GF_BYTES (a DER, too);
 * one run takes one form for each length; the SipHash of a longer input
 * equals either with probability 2^-63 or less (the last pair's keys, as
 * above).
 */
#include "config.h"

#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/random.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#define HAVE_CLMUL_FORM 1
#include <immintrin.h>
#endif

#include "idhash.h"

#define P61	((UINT64_C(1) << 61) - 1)
#define MASK56	((UINT64_C(1) << 56) - 1)

static uint64_t
rotl(uint64_t x, int b)
{
	return (x << b) | (x >> (64 - b));
}

#define SIPROUND do {							\
	v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32);	\
	v2 += v3; v3 = rotl(v3, 16); v3 ^= v2;				\
	v0 += v3; v3 = rotl(v3, 21); v3 ^= v0;				\
	v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32);	\
} while (0)

/* SipHash-1-3 with 128-bit output (the 1-3 variant, as in Rust's HashMap:
 * the inputs are names and serials, not secrets). Byte order is the
 * host's: the output never leaves the process. */
void
idhash_sip(const uint64_t key[2], const void *data, size_t len, unsigned char out[16])
{
	const unsigned char *p = data;
	uint64_t v0 = key[0] ^ 0x736f6d6570736575ULL, v1 = key[1] ^ 0x646f72616e646f6dULL;
	uint64_t v2 = key[0] ^ 0x6c7967656e657261ULL, v3 = key[1] ^ 0x7465646279746573ULL;
	uint64_t m;
	unsigned char last[8];
	size_t i;
	int r;

	v1 ^= 0xee;
	for (i = 0; i + 8 <= len; i += 8) {
		memcpy(&m, p + i, sizeof(m));
		v3 ^= m;
		SIPROUND;
		v0 ^= m;
	}
	memset(last, 0, sizeof(last));
	if (len > i)
		memcpy(last, p + i, len - i);
	memcpy(&m, last, sizeof(m));
	m |= (uint64_t)len << 56;
	v3 ^= m;
	SIPROUND;
	v0 ^= m;
	v2 ^= 0xee;
	for (r = 0; r < 3; r++)
		SIPROUND;
	m = v0 ^ v1 ^ v2 ^ v3;
	memcpy(out, &m, 8);
	v1 ^= 0xdd;
	for (r = 0; r < 3; r++)
		SIPROUND;
	m = v0 ^ v1 ^ v2 ^ v3;
	memcpy(out + 8, &m, 8);
}

#if defined(__SIZEOF_INT128__) || defined(HAVE_CLMUL_FORM)
/* Eight bytes at p as a little-endian number. */
static uint64_t
load_le64(const unsigned char *p)
{
	uint64_t m;

	memcpy(&m, p, sizeof(m));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	m = __builtin_bswap64(m);
#endif
	return m;
}

/* The last 1 to 8 bytes p[i..len) as a little-endian number, without
 * reading outside p[0..len). */
static uint64_t
load_tail(const unsigned char *p, size_t i, size_t len)
{
	size_t r = len - i, b;
	uint64_t m = 0;

	if (len >= 8)
		return load_le64(p + len - 8) >> (8 * (8 - r));
	for (b = r; b-- > 0;)
		m = m << 8 | p[i + b];
	return m;
}
#endif

/* The multilinear keys: SipHash of a counter under the seed, each drawn
 * uniformly below p (a value of p or more is drawn again). */
void
idkey_from_seed(struct idkey *k, const uint64_t seed[2])
{
	unsigned char h[16];
	uint64_t ctr = 0, v;
	size_t j, i;

	k->sip[0] = seed[0];
	k->sip[1] = seed[1];
	for (j = 0; j < 2; j++)
		for (i = 0; i < IDHASH_ML_WORDS + 1; i++) {
			do {
				idhash_sip(seed, &ctr, sizeof(ctr), h);
				ctr++;
				memcpy(&v, h, sizeof(v));
				v >>= 3;
			} while (v >= P61);
			k->ml[j][i] = v;
		}
	for (j = 0; j < 2; j++)
		for (i = 0; i < IDHASH_GF_WORDS + 1; i++) {
			idhash_sip(seed, &ctr, sizeof(ctr), h);
			ctr++;
			memcpy(&k->gf[j][i], h, sizeof(uint64_t));
		}
	k->clmul = idhash_clmul_ok();
}

int
idhash_clmul_ok(void)
{
#ifdef HAVE_CLMUL_FORM
	return __builtin_cpu_supports("pclmul") != 0;
#else
	return 0;
#endif
}

#ifdef HAVE_CLMUL_FORM
/* hi * x^64 + lo modulo x^64 + x^4 + x^3 + x + 1 (x^64 is x^4 + x^3 + x
 * + 1 there). */
__attribute__((always_inline))
static inline uint64_t
gf_reduce(uint64_t lo, uint64_t hi)
{
	/* hi * (x^4 + x^3 + x + 1): its low 64 bits, and c, the bits above */
	uint64_t t = hi ^ (hi << 1) ^ (hi << 3) ^ (hi << 4);
	uint64_t c = (hi >> 63) ^ (hi >> 61) ^ (hi >> 60);

	/* c has degree 3 at most: c * (x^4 + x^3 + x + 1) fits in 8 bits */
	return lo ^ t ^ c ^ (c << 1) ^ (c << 3) ^ (c << 4);
}

/* One pair of chunks x (low, high) with the keys of chunks c, c + 1, its
 * product added (XORed) to a0 and a1. */
#define NH_PAIR(x, c) do {						\
	__m128i y0_ = _mm_xor_si128((x),					\
	    _mm_loadu_si128((const __m128i *)(const void *)&k->gf[0][c])); \
	__m128i y1_ = _mm_xor_si128((x),					\
	    _mm_loadu_si128((const __m128i *)(const void *)&k->gf[1][c])); \
	a0 = _mm_xor_si128(a0, _mm_clmulepi64_si128(y0_, y0_, 0x10));	\
	a1 = _mm_xor_si128(a1, _mm_clmulepi64_si128(y1_, y1_, 0x10));	\
} while (0)

/* The carry-less form (see the top), both keys in one pass. */
__attribute__((target("pclmul,sse4.1")))
static void
idhash_gf(const struct idkey *k, const unsigned char *p, size_t len, unsigned char out[16])
{
	__m128i a0 = _mm_setzero_si128(), a1 = _mm_setzero_si128();
	uint64_t h0, h1, n = (uint64_t)len + 1, m;
	size_t i = 0, c = 0;

	for (; i + 16 <= len; i += 16, c += 2)
		NH_PAIR(_mm_loadu_si128((const __m128i *)(const void *)(p + i)), c);
	/* 0 to 15 bytes left, then length + 1, then 0 for an even count */
	if (i == len)
		NH_PAIR(_mm_set_epi64x(0, (long long)n), c);
	else if (i + 8 >= len)
		NH_PAIR(_mm_set_epi64x((long long)n, (long long)load_tail(p, i, len)), c);
	else {
		m = load_le64(p + i);
		NH_PAIR(_mm_set_epi64x((long long)load_tail(p, i + 8, len), (long long)m), c);
		NH_PAIR(_mm_set_epi64x(0, (long long)n), c + 2);
	}
	h0 = gf_reduce((uint64_t)_mm_cvtsi128_si64(a0), (uint64_t)_mm_extract_epi64(a0, 1));
	h1 = gf_reduce((uint64_t)_mm_cvtsi128_si64(a1), (uint64_t)_mm_extract_epi64(a1, 1));
	memcpy(out, &h0, sizeof(h0));
	memcpy(out + 8, &h1, sizeof(h1));
}
#endif

void
idkey_random(struct idkey *k)
{
	uint64_t seed[2];
	ssize_t got = -1;

#if defined(__linux__)
	got = getrandom(seed, sizeof(seed), GRND_NONBLOCK);
#endif
	if (got != (ssize_t)sizeof(seed)) {
		seed[0] = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)k;
		seed[1] = (uint64_t)getpid() * 0x9e3779b97f4a7c15ULL ^ (uint64_t)clock();
	}
	idkey_from_seed(k, seed);
}

#ifdef __SIZEOF_INT128__
/* x mod p for x < 2^125. */
static uint64_t
mod_p61(unsigned __int128 x)
{
	uint64_t s = ((uint64_t)x & P61) + (uint64_t)(x >> 61);	/* < 2^64 */

	s = (s & P61) + (s >> 61);
	return s >= P61 ? s - P61 : s;
}

/* The multilinear form modulo 2^61 - 1 (see the top), both keys in one
 * pass. */
static void
idhash_ml(const struct idkey *k, const unsigned char *p, size_t len, unsigned char out[16])
{
	const uint64_t *k0 = k->ml[0], *k1 = k->ml[1];
	/* at most IDHASH_ML_WORDS products of < 2^117 each: < 2^124 */
	unsigned __int128 a0 = 0, a1 = 0;
	uint64_t m, h0, h1;
	size_t i = 0, c = 0;

	for (; i + 8 <= len; i += 7, c++) {	/* 8 loaded, 7 taken */
		m = load_le64(p + i) & MASK56;
		a0 += (unsigned __int128)m * k0[c];
		a1 += (unsigned __int128)m * k1[c];
	}
	if (i < len) {				/* the last 1 to 7 bytes */
		m = load_tail(p, i, len);
		a0 += (unsigned __int128)m * k0[c];
		a1 += (unsigned __int128)m * k1[c];
		c++;
	}
	m = (uint64_t)len + 1;
	a0 += (unsigned __int128)m * k0[c];
	a1 += (unsigned __int128)m * k1[c];
	h0 = mod_p61(a0);
	h1 = mod_p61(a1);
	memcpy(out, &h0, sizeof(h0));
	memcpy(out + 8, &h1, sizeof(h1));
}
#endif

/* The run's key, on cache lines of its own (every thread reads it). */
static struct {
	struct idkey	k;
	char		pad[64];
} run_key __attribute__((aligned(64)));
static pthread_once_t run_once = PTHREAD_ONCE_INIT;

static void
run_key_make(void)
{
	idkey_random(&run_key.k);
}

const struct idkey *
idkey_run(void)
{
	(void)pthread_once(&run_once, run_key_make);
	return &run_key.k;
}

void
idhash(const struct idkey *k, const void *data, size_t len, unsigned char out[16])
{
#ifdef HAVE_CLMUL_FORM
	if (k->clmul && len <= IDHASH_GF_BYTES) {
		idhash_gf(k, data, len, out);
		return;
	}
#endif
	if (len > IDHASH_ML_BYTES) {
		idhash_sip(k->sip, data, len, out);
		return;
	}
#ifdef __SIZEOF_INT128__
	idhash_ml(k, data, len, out);
#else
	idhash_sip(k->sip, data, len, out);
#endif
}
