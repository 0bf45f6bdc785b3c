/* The reader table, in probe order: the most specific magic first, PEM last
 * (a certutil text export also holds PEM blocks). */
#include "extern.h"

const struct reader *const readers[] = {
	&reader_jks,
	&reader_pkcs12,
	&reader_pkcs7,
	&reader_der,
	&reader_certutil_text,
	&reader_certutil_csv,
	&reader_index,
	&reader_pem,
	NULL,
};
