/*
 * Dates as certutil prints them: the CA's short date format and local time,
 * minute precision unless exported with -seconds, UTC when exported with -gmt.
 */
#include "config.h"

#include <string.h>

#include "export.h"

/* Reads 1..max digits. */
static int
num(struct cur *c, size_t min, size_t max, int *v)
{
	size_t n = 0;
	int r = 0;

	while (n < max && n < c->len && c->p[n] >= '0' && c->p[n] <= '9')
		r = r * 10 + (c->p[n++] - '0');
	if (n < min)
		return 0;
	cur_skip(c, n);
	*v = r;
	return 1;
}

static int
get_char(struct cur *c, char ch)
{
	if (c->len == 0 || c->p[0] != ch)
		return 0;
	cur_skip(c, 1);
	return 1;
}

static size_t
skip_spaces(struct cur *c)
{
	size_t n = 0;

	while (c->len > 0 && (c->p[0] == ' ' || c->p[0] == '\t')) {
		cur_skip(c, 1);
		n++;
	}
	return n;
}

/* Case-insensitive ASCII word (AM, PM, GMT, UTC) of n letters. */
static int
get_word(struct cur *c, const char *w, size_t n)
{
	size_t i;

	if (c->len < n)
		return 0;
	for (i = 0; i < n; i++)
		if ((c->p[i] | 0x20) != (w[i] | 0x20))
			return 0;
	cur_skip(c, n);
	return 1;
}

/* The date part: sets y, mo, d and whether it was a slash form. */
static int
date_part(struct cur *c, int *y, int *mo, int *d, int *slash)
{
	int a, b, e;

	*slash = 0;
	if (!num(c, 1, 4, &a) || c->len == 0)
		return 0;
	if (c->p[0] == '-') {			/* ISO YYYY-MM-DD */
		if (a < 1000 || !get_char(c, '-') || !num(c, 2, 2, &b) ||
		    !get_char(c, '-') || !num(c, 2, 2, &e))
			return 0;
		*y = a, *mo = b, *d = e;
		return 1;
	}
	if (c->p[0] == '.') {			/* de-DE DD.MM.YYYY */
		if (a > 31 || !get_char(c, '.') || !num(c, 1, 2, &b) ||
		    !get_char(c, '.') || !num(c, 4, 4, &e))
			return 0;
		*y = e, *mo = b, *d = a;
		return 1;
	}
	if (c->p[0] == '/') {			/* en-US M/D/YYYY, en-GB D/M/YYYY */
		if (a > 31 || !get_char(c, '/') || !num(c, 1, 2, &b) ||
		    !get_char(c, '/') || !num(c, 4, 4, &e))
			return 0;
		*y = e, *mo = a, *d = b;
		*slash = 1;
		return 1;
	}
	return 0;
}

/* Cache keys: hours from year 0 to 9999 are -17.5M..70.1M, so adding 2^28
 * keeps every key positive (0 marks an empty slot). */
#define CADATE_KEY(hours)	((int32_t)((hours) + (INT64_C(1) << 28)))

/* days: days_from_civil(y, mo, d), already known to be valid. */
static int
local_cached(struct cadate_cache *cache, int64_t days, int y, int mo, int d,
    int h, int mi, int s, int64_t *t)
{
	int64_t hours, base, naive;
	int32_t key, off;
	uint64_t v;
	size_t slot;

	if (cache == NULL || days < -800000 || days > 3000000)
		return local_to_utc(y, mo, d, h, mi, s, t);
	hours = days * 24 + h;
	key = CADATE_KEY(hours);
	naive = hours * 3600;
	slot = (size_t)key % CADATE_CACHE;
	v = __atomic_load_n(&cache->slot[slot], __ATOMIC_RELAXED);
	if ((int32_t)(v >> 32) == key)
		off = (int32_t)(uint32_t)v;
	else {
		if (!local_to_utc(y, mo, d, h, 0, 0, &base))
			return 0;
		if (base - naive < INT32_MIN || base - naive > INT32_MAX)
			return local_to_utc(y, mo, d, h, mi, s, t);
		off = (int32_t)(base - naive);
		v = (uint64_t)(uint32_t)key << 32 | (uint32_t)off;
		__atomic_store_n(&cache->slot[slot], v, __ATOMIC_RELAXED);
	}
	*t = naive + off + mi * 60 + s;
	return 1;
}

int
cadate_parse(const char *str, size_t len, struct cadate_cache *cache, int64_t *t)
{
	struct cur c = { str, len };
	int y, mo, d, h, mi, s = 0, slash, ampm = 0, pm = 0, gmt = 0, tmp;
	int64_t days;

	skip_spaces(&c);
	if (!date_part(&c, &y, &mo, &d, &slash))
		return 0;
	if (!get_char(&c, 'T') && skip_spaces(&c) == 0)
		return 0;
	if (!num(&c, 1, 2, &h) || !get_char(&c, ':') || !num(&c, 2, 2, &mi))
		return 0;
	if (get_char(&c, ':') && !num(&c, 2, 2, &s))
		return 0;
	if (skip_spaces(&c) > 0 || c.len > 0) {
		if (get_word(&c, "AM", 2))
			ampm = 1;
		else if (get_word(&c, "PM", 2))
			ampm = pm = 1;
		skip_spaces(&c);
		if (get_word(&c, "GMT", 3) || get_word(&c, "UTC", 3) || get_char(&c, 'Z'))
			gmt = 1;
		skip_spaces(&c);
	}
	if (c.len != 0)
		return 0;
	if (ampm) {
		if (h < 1 || h > 12)
			return 0;
		h = h % 12 + (pm ? 12 : 0);
	} else if (slash) {		/* 24-hour clock with slashes: D/M/Y */
		tmp = mo;
		mo = d;
		d = tmp;
	}
	if (h > 23 || mi > 59 || s > 59 || !days_from_civil(y, mo, d, &days))
		return 0;
	if (gmt) {
		*t = days * 86400 + h * 3600 + mi * 60 + s;
		return 1;
	}
	return local_cached(cache, days, y, mo, d, h, mi, s, t);
}

int
cadate_shape(const char *s, size_t len)
{
	int64_t t;

	return cadate_parse(s, len, NULL, &t);
}
