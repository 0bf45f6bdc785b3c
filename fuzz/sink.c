/*
 * The reader fuzz targets' driver: one reader over the input, through the
 * plugin's own sink (read/sink.c) into a report that keeps every record,
 * which is then freed. Every certificate a reader hands over goes through
 * the DER walk (OpenSSL as its fallback) and the collector, every message
 * is formatted and stored, as in the plugin.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sink.h"

/*
 * Runs one reader over the input, as input.c would: only when its probe
 * accepts the bytes. The last byte's low bit turns --include-revoked on.
 */
int
fuzz_reader(const struct reader *r, const uint8_t *data, size_t size)
{
	static int inited;
	struct config cfg;
	struct report rep;
	struct sink s;
	char pw[] = "fuzz";

	if (!inited) {
		ossl_init();
		inited = 1;
	}
	if (size == 0 || !r->probe(data, size))
		return 0;
	memset(&cfg, 0, sizeof(cfg));
	cfg.now = INT64_C(1790000000);
	cfg.verbose = 2;
	cfg.jobs = 1;
	cfg.include_revoked = data[size - 1] & 1;
	cfg.pkcs12_password = pw;
	memset(&rep, 0, sizeof(rep));
	memset(&s, 0, sizeof(s));
	s.cfg = &cfg;
	s.path = "fuzz-input";
	s.rep = &rep;
	r->read(&s, data, size);
	if (s.nev > 0)
		sink_merge(&s, &rep);
	sink_buffers_free(&s);
	report_free(&rep);
	return 0;
}

char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = xmalloc(size + 1);

	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}
