/*
 * RFC 5280 times (section 4.1.2.5): UTCTime "YYMMDDHHMMSSZ" and
 * GeneralizedTime "YYYYMMDDHHMMSSZ", nothing else: no fractions, no
 * offsets, no missing seconds. Every field is range-checked.
 */
#include "config.h"

#include "cbs.h"
#include "extern.h"

/* Exactly n ASCII digits. */
static int
get_digits(struct cbs *c, size_t n, int *out)
{
	const unsigned char *p;
	size_t i;
	int v = 0;

	if (!cbs_get(c, &p, n))
		return 0;
	for (i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return 0;
		v = v * 10 + (p[i] - '0');
	}
	*out = v;
	return 1;
}

int
asn1_time_parse(int tag, const unsigned char *s, size_t len, int64_t *t)
{
	struct cbs c;
	int y, mo, d, h, mi, sec;
	uint8_t z;
	int64_t days;

	cbs_init(&c, s, len);
	switch (tag) {
	case CBS_ASN1_UTCTIME:
		if (len != 13 || !get_digits(&c, 2, &y))
			return 0;
		y += y >= 50 ? 1900 : 2000;
		break;
	case CBS_ASN1_GENERALIZEDTIME:
		if (len != 15 || !get_digits(&c, 4, &y))
			return 0;
		break;
	default:
		return 0;
	}
	if (!get_digits(&c, 2, &mo) || !get_digits(&c, 2, &d) ||
	    !get_digits(&c, 2, &h) || !get_digits(&c, 2, &mi) ||
	    !get_digits(&c, 2, &sec) || !cbs_get_u8(&c, &z))
		return 0;
	if (z != 'Z' || cbs_len(&c) != 0)
		return 0;
	if (h > 23 || mi > 59 || sec > 59)
		return 0;
	if (!days_from_civil(y, mo, d, &days))
		return 0;
	*t = days * 86400 + h * 3600 + mi * 60 + sec;
	return 1;
}
