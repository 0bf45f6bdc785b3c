/* Fuzz target: the index reader (reader_index.read behind its probe), and
 * the one-line DN: the fast form for plain DNs (dn_oneline_subject, used
 * for row identities) must be what the full parse gives. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "export.h"

static void
dn_same(const uint8_t *data, size_t size)
{
	struct buf fast = { 0 };
	char *full = NULL;
	int a, b;

	a = dn_oneline_subject((const char *)data, size, &fast);
	b = dn_oneline_parse_n((const char *)data, size, &full, NULL);
	if (a != b || (a && (fast.data == NULL || strcmp(fast.data, full) != 0 ||
	    fast.len != strlen(full))))
		abort();
	free(full);
	buf_free(&fast);
}

FUZZ_ENTRY(reader_index)
{
	dn_same(data, size);
	return fuzz_reader(&reader_index, data, size);
}
