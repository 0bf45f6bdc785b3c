/* RFC 5280 time parsing: good inputs with their epoch, and bogus ones. */
#include "config.h"

#include <string.h>

#include "extern.h"
#include "tap.h"

#define UTC	0x17
#define GEN	0x18

static const struct {
	int		 tag;
	const char	*s;
	int64_t		 t;
} good[] = {
	{ UTC, "700101000000Z", 0 },
	{ UTC, "500101000000Z", -631152000 },		/* YY 50 -> 1950 */
	{ UTC, "491231235959Z", INT64_C(2524607999) },	/* YY 49 -> 2049 */
	{ UTC, "991231235959Z", 946684799 },
	{ UTC, "000101000000Z", 946684800 },
	{ UTC, "000229000000Z", 951782400 },		/* 2000 is leap */
	{ UTC, "240229120000Z", 1709208000 },
	{ UTC, "380119031408Z", INT64_C(2147483648) },	/* past 2^31 - 1 */
	{ UTC, "261124080000Z", INT64_C(1795507200) },
	{ GEN, "19700101000000Z", 0 },
	{ GEN, "20500101000000Z", INT64_C(2524608000) },
	{ GEN, "20600229123456Z", INT64_C(2845283696) },
	{ GEN, "21000228235959Z", INT64_C(4107542399) },
	{ GEN, "19000101000000Z", INT64_C(-2208988800) },
	{ GEN, "16000229000000Z", INT64_C(-11670998400) },	/* 1600 is leap */
	{ GEN, "99991231235959Z", NO_EXPIRY_TIME },
	{ GEN, "20261124080000Z", INT64_C(1795507200) },
};

static const struct {
	int		 tag;
	const char	*s;
	const char	*why;
} bogus[] = {
	{ UTC, "", "empty" },
	{ UTC, "7001010000Z", "no seconds" },
	{ UTC, "700101000000", "missing Z" },
	{ UTC, "700101000000z", "lower-case z" },
	{ UTC, "700101000000+0100", "offset" },
	{ UTC, "700101000000-0000", "zero offset" },
	{ UTC, "700101000000.5Z", "fraction in UTCTime" },
	{ UTC, "700101000000ZZ", "trailing byte" },
	{ UTC, "700101000000Z\n", "trailing newline" },
	{ UTC, "70010100000Z", "short" },
	{ UTC, "7001010000000Z", "long" },
	{ UTC, "701301000000Z", "month 13" },
	{ UTC, "700001000000Z", "month 0" },
	{ UTC, "700100000000Z", "day 0" },
	{ UTC, "700132000000Z", "January 32" },
	{ UTC, "700431000000Z", "April 31" },
	{ UTC, "230229000000Z", "Feb 29 2023" },
	{ UTC, "700101240000Z", "hour 24" },
	{ UTC, "700101006000Z", "minute 60" },
	{ UTC, "700101000060Z", "second 60" },
	{ UTC, "7a0101000000Z", "letter" },
	{ UTC, "70 101000000Z", "space" },
	{ UTC, "-70101000000Z", "sign" },
	{ UTC, "20500101000000Z", "GeneralizedTime text as UTCTime" },
	{ GEN, "500101000000Z", "UTCTime text as GeneralizedTime" },
	{ GEN, "20500101000000", "missing Z" },
	{ GEN, "20500101000000.5Z", "fraction" },
	{ GEN, "20500101000000.Z", "empty fraction" },
	{ GEN, "20500101000000+0000", "offset" },
	{ GEN, "205001010000Z", "no seconds" },
	{ GEN, "2050010100Z", "no minutes" },
	{ GEN, "21000229000000Z", "Feb 29 2100 (not leap)" },
	{ GEN, "19000229000000Z", "Feb 29 1900 (not leap)" },
	{ GEN, "20501301000000Z", "month 13" },
	{ GEN, "20500631000000Z", "June 31" },
	{ GEN, "20500101240000Z", "hour 24" },
	{ GEN, "20500101235960Z", "second 60" },
	{ GEN, "2050010100000 Z", "space before Z" },
	{ GEN, "99991231235959", "no-expiry without Z" },
	{ GEN, "+2050101000000Z", "plus sign" },
	{ 0x04, "20500101000000Z", "wrong tag" },
	{ 0x13, "700101000000Z", "wrong tag" },
};

int
main(void)
{
	size_t i;
	int64_t t;
	int r;
	char nul[] = "700101000000Z";

	(void)tap_is_str;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		t = -1;
		r = asn1_time_parse(good[i].tag, (const unsigned char *)good[i].s,
		    strlen(good[i].s), &t);
		ok(r && t == good[i].t,
		    "good %s -> %lld (got %lld)", good[i].s, (long long)good[i].t,
		    (long long)t);
	}
	for (i = 0; i < sizeof(bogus) / sizeof(bogus[0]); i++) {
		t = 12345;
		ok(!asn1_time_parse(bogus[i].tag, (const unsigned char *)bogus[i].s,
		    strlen(bogus[i].s), &t) && t == 12345,
		    "bogus (%s) \"%s\" rejected, output untouched", bogus[i].why,
		    bogus[i].s);
	}
	/* an embedded NUL is not a digit */
	nul[5] = '\0';
	ok(!asn1_time_parse(UTC, (const unsigned char *)nul, 13, &t), "embedded NUL");
	/* the length is what counts, not the terminator */
	ok(!asn1_time_parse(UTC, (const unsigned char *)"700101000000Z", 12, &t),
	    "length one short");
	ok(NO_EXPIRY_TIME == timegm64(9999, 12, 31, 23, 59, 59),
	    "NO_EXPIRY_TIME is 9999-12-31 23:59:59");
	return tap_done();
}
