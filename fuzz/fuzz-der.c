/* Fuzz target: one DER certificate through the bounded walk
 * (der_cert_walk) and the OpenSSL parse (ossl_cert_parse); the salvage
 * walk (der_cert_salvage) must accept all that the walk accepts, with the
 * same fields and nothing noted. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

FUZZ_ENTRY(der)
{
	static int inited;
	struct certinfo ci;
	char err[256], err2[256];
	int walked;

	if (!inited) {
		ossl_init();
		inited = 1;
	}
	(void)der_element_len(data, size);
	memset(&ci, 0, sizeof(ci));
	walked = der_cert_walk(data, size, &ci, err, sizeof(err));
	if (walked) {
		struct certinfo sv;
		char note[512];

		memset(&sv, 0, sizeof(sv));
		if (!der_cert_salvage(data, size, &sv, note, sizeof(note), err2,
		    sizeof(err2)) || note[0] != '\0' || sv.not_after != ci.not_after ||
		    sv.not_before != ci.not_before || strcmp(sv.serial, ci.serial) != 0 ||
		    strcmp(sv.subject, ci.subject) != 0 || strcmp(sv.issuer, ci.issuer) != 0 ||
		    (sv.cn == NULL) != (ci.cn == NULL) || sv.ndns != ci.ndns)
			abort();
		certinfo_free(&sv);
		(void)certinfo_name(&ci);
		certinfo_free(&ci);
	} else {
		memset(&ci, 0, sizeof(ci));
		if (der_cert_salvage(data, size, &ci, err, sizeof(err), err2, sizeof(err2))) {
			(void)certinfo_name(&ci);
			certinfo_free(&ci);
		}
	}
	memset(&ci, 0, sizeof(ci));
	if (ossl_cert_parse(data, size, &ci, err, sizeof(err))) {
		(void)certinfo_name(&ci);
		certinfo_free(&ci);
	}
	return 0;
}
