/* The keyed 128-bit hash that gives a CA-export row its identity (see
 * idhash.c). The key is drawn once per run and never leaves the process. */
#ifndef IDHASH_H
#define IDHASH_H

#include <stddef.h>
#include <stdint.h>

/* Inputs up to this many bytes take the multilinear hash, longer ones
 * SipHash-1-3-128 (row keys). */
#define IDHASH_ML_BYTES		448
/* 7-byte chunks of such an input, and one for its length */
#define IDHASH_ML_WORDS		(IDHASH_ML_BYTES / 7 + 1)
/* Where the CPU can take the carry-less form, inputs up to this many
 * bytes take it instead (row keys, and the DER of a certificate: 1 to 2
 * KiB as a rule), longer ones SipHash-1-3-128. */
#define IDHASH_GF_BYTES		4096
/* 8-byte chunks, and one for the length (the carry-less form; its keys
 * have one more, for the zero chunk that makes an even count) */
#define IDHASH_GF_WORDS		(IDHASH_GF_BYTES / 8 + 1)

struct idkey {
	uint64_t	sip[2];				/* SipHash key, and the seed */
	uint64_t	ml[2][IDHASH_ML_WORDS + 1];	/* each < 2^61 - 1 */
	/* the carry-less form: the keys of chunk i at gf[0][i], gf[1][i] */
	uint64_t	gf[2][IDHASH_GF_WORDS + 1];
	int		clmul;	/* 1: the carry-less form (the CPU has it) */
};

/* A key from the seed (16 bytes: random, or anything for the tests). */
void	idkey_from_seed(struct idkey *, const uint64_t seed[2]);
/* A random key (getrandom(); time and pid if that fails). */
void	idkey_random(struct idkey *);
/* The run's key: random, made on first use, the same for every thread,
 * alone on its cache lines. */
const struct idkey *idkey_run(void);
/* The 16-byte hash of p[0..len) under key. */
void	idhash(const struct idkey *, const void *p, size_t len, unsigned char out[16]);
/* 1 if this CPU can take the carry-less form (idkey_from_seed sets clmul
 * from it; the tests set it either way). */
int	idhash_clmul_ok(void);
/* SipHash-1-3 with 128-bit output (the tests compare against it). */
void	idhash_sip(const uint64_t key[2], const void *p, size_t len, unsigned char out[16]);

#endif
