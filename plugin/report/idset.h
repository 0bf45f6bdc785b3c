/* A set of identities (cert_identity()), numbered in the order they came:
 * what both collectors de-duplicate records with. */
#ifndef CCE_IDSET_H
#define CCE_IDSET_H

#include <stddef.h>
#include <stdint.h>

#include "extern.h"

struct idset {
	unsigned char	(*id)[CERT_ID_LEN];	/* identity i */
	size_t		  n, cap;
	uint32_t	 *slots;	/* i + 1 | fingerprint; 0 = empty */
	size_t		  nslots;
	uint32_t	  imask;	/* the bits of a slot that hold i + 1 */
};

/* The number of this identity (*ip), or adds it with the next number (cap
 * may grow); 1 if it was new. */
int	 idset_add(struct idset *, const unsigned char id[CERT_ID_LEN], size_t *ip);
/* Room for about n identities in all, so that the table does not grow
 * (and rehash) on the way there. */
void	 idset_expect(struct idset *, size_t n);
/* Starts loading the table slot of an identity (the table is far larger
 * than a cache). */
void	 idset_prefetch(const struct idset *, const unsigned char id[CERT_ID_LEN]);
void	 idset_free(struct idset *);

#endif
