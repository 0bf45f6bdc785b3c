/* The set of the vendor's certificates (--skip-vendor-roots): identities
 * only, looked up by selection (select.c, certset.c). Filled by vendor.c. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "extern.h"

struct vendorset {
	unsigned char	(*ids)[16];	/* der_id of each, sorted */
	size_t		  nids;
	unsigned char	(*sha)[32];	/* SHA-256 of each DER, sorted */
	size_t		  nsha;
};

static int
cmp16(const void *a, const void *b)
{
	return memcmp(a, b, 16);
}

static int
cmp32(const void *a, const void *b)
{
	return memcmp(a, b, 32);
}

/* The identities of what a report of the vendor's directories holds. */
struct vendorset *
vendor_set_from(const struct report *vr)
{
	struct vendorset *v = xcalloc(1, sizeof(*v));
	size_t i, n = vr->ncerts ? vr->ncerts : 1;

	v->ids = xreallocarray(NULL, n, sizeof(*v->ids));
	v->sha = xreallocarray(NULL, n, sizeof(*v->sha));
	for (i = 0; i < vr->ncerts; i++) {
		const struct certinfo *ci = &vr->certs[i]->ci;

		if (ci->has_der_id)
			memcpy(v->ids[v->nids++], ci->der_id, 16);
		if (ci->has_sha256)
			memcpy(v->sha[v->nsha++], ci->sha256, 32);
	}
	if (v->nids > 1)
		qsort(v->ids, v->nids, sizeof(*v->ids), cmp16);
	if (v->nsha > 1)
		qsort(v->sha, v->nsha, sizeof(*v->sha), cmp32);
	return v;
}

size_t
vendor_set_size(const struct vendorset *v)
{
	return v != NULL ? v->nids : 0;
}

int
vendor_has_id(const struct vendorset *v, const unsigned char id[16])
{
	return v != NULL && v->nids > 0 &&
	    bsearch(id, v->ids, v->nids, sizeof(*v->ids), cmp16) != NULL;
}

int
vendor_has_cert(const struct vendorset *v, const struct certinfo *ci)
{
	if (v == NULL)
		return 0;
	if (ci->has_der_id)
		return vendor_has_id(v, ci->der_id);
	return ci->has_sha256 && v->nsha > 0 &&
	    bsearch(ci->sha256, v->sha, v->nsha, sizeof(*v->sha), cmp32) != NULL;
}

void
vendor_free(struct vendorset *v)
{
	if (v == NULL)
		return;
	free(v->ids);
	free(v->sha);
	free(v);
}
