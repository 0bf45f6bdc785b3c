/* Calendar arithmetic in 64-bit seconds, UTC unless the name says local. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "extern.h"

static int
leap(int64_t y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int
mdays(int64_t y, int m)
{
	static const int d[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* Days before month m (1..12) in a common year. */
static const int month_start[13] = {
	0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334
};

/* Days since 1970-01-01 of a proleptic Gregorian date (era arithmetic;
 * 1901 to 2099, where every fourth year is a leap year, by counting). */
int
days_from_civil(int64_t y, int m, int d, int64_t *days)
{
	int64_t era, yoe, doy, doe;

	if (m < 1 || m > 12 || d < 1 || d > mdays(y, m))
		return 0;
	if (y >= 1901 && y <= 2099) {
		/* leap days since 1970 (floor division, kept positive) */
		*days = (y - 1970) * 365 + (y - 1969 + 400) / 4 - 100 + month_start[m] +
		    (m > 2 && y % 4 == 0) + d - 1;
		return 1;
	}
	if (y < -1000000 || y > 1000000)
		return 0;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	*days = era * 146097 + doe - 719468;
	return 1;
}

int64_t
timegm64(int y, int mo, int d, int h, int mi, int s)
{
	int64_t days = 0;

	days_from_civil(y, mo, d, &days);
	return days * 86400 + h * 3600 + mi * 60 + s;
}

void
gmtime64(int64_t t, int *y, int *mo, int *d, int *h, int *mi, int *s)
{
	int64_t days = t / 86400, secs = t % 86400, era, doe, yoe, doy, mp, yy;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	days += 719468;
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = days - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*mo = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*mo <= 2));
	*h = (int)(secs / 3600);
	*mi = (int)(secs / 60 % 60);
	*s = (int)(secs % 60);
}

void
fmt_iso8601(int64_t t, char *out, size_t outlen)
{
	int y, mo, d, h, mi, s;

	gmtime64(t, &y, &mo, &d, &h, &mi, &s);
	snprintf(out, outlen, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h, mi, s);
}

void
fmt_utc_minute(int64_t t, char *out, size_t outlen)
{
	int y, mo, d, h, mi, s;

	gmtime64(t, &y, &mo, &d, &h, &mi, &s);
	snprintf(out, outlen, "%04d-%02d-%02d %02d:%02d UTC", y, mo, d, h, mi);
}

void
fmt_utc_day(int64_t t, char *out, size_t outlen)
{
	int y, mo, d, h, mi, s;

	gmtime64(t, &y, &mo, &d, &h, &mi, &s);
	snprintf(out, outlen, "%04d-%02d-%02d", y, mo, d);
}

/* Reads exactly n digits. */
static int
digits(const char **p, int n, int *v)
{
	int r = 0;

	while (n--) {
		if (!isdigit((unsigned char)**p))
			return 0;
		r = r * 10 + (*(*p)++ - '0');
	}
	*v = r;
	return 1;
}

int
parse_now(const char *s, int64_t *t)
{
	int y, mo, d, h = 0, mi = 0, sec = 0;
	int64_t days;
	const char *p = s;
	char *end;
	long long v;

	if (*s == '@') {
		if (!isdigit((unsigned char)s[1]) && s[1] != '-')
			return 0;
		v = strtoll(s + 1, &end, 10);
		if (*end != '\0')
			return 0;
		*t = v;
		return 1;
	}
	if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' ||
	    !digits(&p, 2, &d))
		return 0;
	if (*p == 'T' || *p == ' ') {
		p++;
		if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi) ||
		    *p++ != ':' || !digits(&p, 2, &sec) || *p++ != 'Z')
			return 0;
	}
	if (*p != '\0' || h > 23 || mi > 59 || sec > 59)
		return 0;
	if (!days_from_civil(y, mo, d, &days))
		return 0;
	*t = days * 86400 + h * 3600 + mi * 60 + sec;
	return 1;
}

int
local_day(int64_t t, int64_t *day)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (localtime_r(&tt, &tm) == NULL)
		return 0;
	return days_from_civil((int64_t)tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, day);
}

int
local_to_utc(int y, int mo, int d, int h, int mi, int s, int64_t *t)
{
	struct tm tm;
	time_t r;
	int64_t days;

	if (!days_from_civil(y, mo, d, &days) || h < 0 || h > 23 || mi < 0 ||
	    mi > 59 || s < 0 || s > 60)
		return 0;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	tm.tm_isdst = -1;
	r = mktime(&tm);
	if (r == (time_t)-1 && !(y == 1969 && mo == 12 && d == 31))
		return 0;
	*t = (int64_t)r;
	return 1;
}
