/* Fuzz target: PEM block splitting (pem_next, pem_line, pem_label_is) and
 * base64 decoding of every block body. */
#include "config.h"

#include <stdlib.h>

#include "fuzz.h"

FUZZ_ENTRY(pem)
{
	struct pem_block b;
	unsigned char *der;
	size_t off = 0, derlen, prev;
	int r, n = 0;

	for (;;) {
		prev = off;
		r = pem_next(data, size, &off, &b);
		if (r == 0)
			break;
		if (off > size || (r == 1 && off <= prev))
			abort();	/* the cursor must move forward */
		if (r < 0)
			break;
		(void)pem_line(data, &b);
		(void)pem_label_is(&b, "CERTIFICATE");
		if (base64_decode(b.b64, b.b64len, &der, &derlen))
			free(der);
		if (++n > 100000)
			abort();
	}
	return 0;
}
