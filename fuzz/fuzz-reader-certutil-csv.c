/* Fuzz target: the certutil_csv reader (reader_certutil_csv.read behind its
 * probe), and the Windows DN: where the fast form for plain DNs
 * (dn_windows_subject, used for row identities) takes an input, it must be
 * what dn_from_windows gives. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "export.h"

static void
windows_same(const uint8_t *data, size_t size)
{
	struct buf fast = { 0 };
	char *full;

	if (dn_windows_subject((const char *)data, size, &fast)) {
		full = dn_from_windows((const char *)data, size, NULL);
		if (full == NULL || strcmp(full, fast.data) != 0 || fast.len != strlen(full))
			abort();
		free(full);
	}
	buf_free(&fast);
}

FUZZ_ENTRY(reader_certutil_csv)
{
	windows_same(data, size);
	return fuzz_reader(&reader_certutil_csv, data, size);
}
