/* Fuzz target: one DER certificate through the bounded walk
 * (der_cert_walk) and the OpenSSL parse (ossl_cert_parse). */
#include "config.h"

#include <string.h>

#include "fuzz.h"

FUZZ_ENTRY(der)
{
	static int inited;
	struct certinfo ci;
	char err[256];

	if (!inited) {
		ossl_init();
		inited = 1;
	}
	(void)der_element_len(data, size);
	memset(&ci, 0, sizeof(ci));
	if (der_cert_walk(data, size, &ci, err, sizeof(err))) {
		(void)certinfo_name(&ci);
		certinfo_free(&ci);
	}
	memset(&ci, 0, sizeof(ci));
	if (ossl_cert_parse(data, size, &ci, err, sizeof(err))) {
		(void)certinfo_name(&ci);
		certinfo_free(&ci);
	}
	return 0;
}
