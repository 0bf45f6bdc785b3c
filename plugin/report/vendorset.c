/* The set of the vendor's certificates (--skip-vendor-roots): identities
 * only, looked up by selection (select.c). Filled by vendor.c. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "extern.h"

struct vendorset {
	unsigned char	(*ids)[CERT_ID_LEN];	/* cert_identity() of each, sorted */
	size_t		  nids;
};

static int
cmp16(const void *a, const void *b)
{
	return memcmp(a, b, 16);
}

/* The identities of what a report of the vendor's directories holds. */
struct vendorset *
vendor_set_from(const struct report *vr)
{
	struct vendorset *v = xcalloc(1, sizeof(*v));
	size_t i, n = vr->ncerts ? vr->ncerts : 1;

	v->ids = xreallocarray(NULL, n, sizeof(*v->ids));
	for (i = 0; i < vr->ncerts; i++) {
		const struct certinfo *ci = &vr->certs[i]->ci;

		/* certificates only: a vendor's directory holds no CA export */
		if (ci->has_sha256)
			cert_identity(ci, NULL, v->ids[v->nids++]);
	}
	if (v->nids > 1)
		qsort(v->ids, v->nids, sizeof(*v->ids), cmp16);
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
	unsigned char id[CERT_ID_LEN];

	if (v == NULL || !ci->has_sha256)
		return 0;
	cert_identity(ci, NULL, id);
	return vendor_has_id(v, id);
}

void
vendor_free(struct vendorset *v)
{
	if (v == NULL)
		return;
	free(v->ids);
	free(v);
}
