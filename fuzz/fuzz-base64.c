/* Fuzz target: base64_decode (never more output than input), and exactly
 * what the rules give, read one character at a time (tests/b64-oracle.h):
 * the decoder's fast paths change nothing. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "tests/b64-oracle.h"

FUZZ_ENTRY(base64)
{
	unsigned char *out, *want;
	size_t outlen, wantlen;
	int a, b;

	want = malloc(size / 4 * 3 + 3);
	if (want == NULL)
		return 0;
	a = b64_oracle(data, size, want, &wantlen);
	b = base64_decode(data, size, &out, &outlen);
	if (a != b || (b && (outlen > size || outlen != wantlen ||
	    memcmp(out, want, outlen) != 0)))
		abort();
	if (b)
		free(out);
	free(want);
	return 0;
}
