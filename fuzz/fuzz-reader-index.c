/* Fuzz target: the index reader (reader_index.read behind its probe), and
 * the one-line DN: the fast form for plain DNs (dn_oneline_subject, used
 * for row identities, and dn_oneline_plain_cn, for -f and -x on rows) must
 * be what the full parse gives. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "export.h"

static void
dn_same(const uint8_t *data, size_t size)
{
	struct buf fast = { 0 };
	char *full = NULL, *cn = NULL;
	const char *pcn;
	size_t pcnlen;
	int a, b;

	a = dn_oneline_subject((const char *)data, size, &fast);
	b = dn_oneline_parse_n((const char *)data, size, &full, &cn);
	if (a != b || (a && (fast.data == NULL || strcmp(fast.data, full) != 0 ||
	    fast.len != strlen(full))))
		abort();
	/* the CN of a plain DN (-f and -x on rows) is the full parse's */
	if (dn_oneline_plain_cn((const char *)data, size, &pcn, &pcnlen) &&
	    (!b || (pcn == NULL) != (cn == NULL) ||
	    (pcn != NULL && (strlen(cn) != pcnlen || memcmp(cn, pcn, pcnlen) != 0))))
		abort();
	free(full);
	free(cn);
	buf_free(&fast);
}

FUZZ_ENTRY(reader_index)
{
	dn_same(data, size);
	return fuzz_reader(&reader_index, data, size);
}
