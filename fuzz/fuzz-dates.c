/*
 * Fuzz target: the date parsers. The first byte picks the parser:
 * --now (parse_now), ASN.1 UTCTime/GeneralizedTime (asn1_time_parse, the
 * byte's low bit picks the tag) or a certutil date (cadate_parse, with and
 * without the cache: both must agree).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "fuzz.h"

FUZZ_ENTRY(dates)
{
	static struct cadate_cache cache;
	int64_t t, u;
	char *s;
	int a, b;

	if (size < 1)
		return 0;
	switch (data[0] % 3) {
	case 0:
		s = fuzz_cstr(data + 1, size - 1);
		if (parse_now(s, &t)) {
			char out[64];

			fmt_iso8601(t, out, sizeof(out));
			fmt_utc_minute(t, out, sizeof(out));
			fmt_utc_day(t, out, sizeof(out));
		}
		free(s);
		break;
	case 1:
		if (asn1_time_parse(data[0] & 4 ? 0x18 : 0x17, data + 1, size - 1, &t)) {
			char out[64];

			fmt_iso8601(t, out, sizeof(out));
		}
		break;
	default:
		a = cadate_parse((const char *)data + 1, size - 1, NULL, &t);
		b = cadate_parse((const char *)data + 1, size - 1, &cache, &u);
		if (a != b || (a && t != u))
			abort();	/* the cache changed the answer */
		(void)cadate_shape((const char *)data + 1, size - 1);
		break;
	}
	return 0;
}
