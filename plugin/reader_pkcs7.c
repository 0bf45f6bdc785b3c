/* Placeholder until the reader is written: claims nothing. */
#include "extern.h"

static int
probe(const unsigned char *p, size_t len)
{
	(void)p;
	(void)len;
	return 0;
}

static void
rd(struct sink *s, const unsigned char *p, size_t len)
{
	(void)s;
	(void)p;
	(void)len;
}

const struct reader reader_pkcs7 = { "pkcs7", probe, rd };

void
pkcs7_read_der(struct sink *s, const unsigned char *p, size_t len, long record)
{
	(void)p;
	(void)len;
	sink_error(s, record, "PKCS#7 is not supported yet");
}
