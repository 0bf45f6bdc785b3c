/* Fuzz target: base64_decode (never more output than input). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

FUZZ_ENTRY(base64)
{
	unsigned char *out;
	size_t outlen;

	if (!base64_decode(data, size, &out, &outlen))
		return 0;
	if (outlen > size)
		abort();
	free(out);
	return 0;
}
