/* Nagios ranges (monitoring-plugins guidelines, "Threshold and ranges"). */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

static int
number(const char *s, size_t n, double *v)
{
	char tmp[64], *end;

	if (n == 0 || n >= sizeof(tmp))
		return 0;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	*v = strtod(tmp, &end);
	return *end == '\0' && isfinite(*v) &&
	    (isdigit((unsigned char)tmp[0]) || tmp[0] == '-' || tmp[0] == '+' || tmp[0] == '.');
}

int
range_parse(const char *s, struct range *r)
{
	struct range t;
	const char *p = s, *colon;

	memset(&t, 0, sizeof(t));
	if (strlen(s) >= sizeof(t.text) || *s == '\0')
		return 0;
	if (strchr(s, ':') == NULL && strchr(s, '~') == NULL && strchr(s, '@') == NULL) {
		/* plain N: alert when fewer than N days are left */
		if (!number(s, strlen(s), &t.start))
			return 0;
		t.end_inf = 1;
		snprintf(t.text, sizeof(t.text), "%s:", s);
		*r = t;
		return 1;
	}
	snprintf(t.text, sizeof(t.text), "%s", s);
	if (*p == '@') {
		t.inside = 1;
		p++;
	}
	if ((colon = strchr(p, ':')) == NULL) {
		/* "@10" or "~"-less single number after '@': 0..N */
		if (!number(p, strlen(p), &t.end))
			return 0;
		t.start = 0;
	} else {
		if (colon == p)
			t.start = 0;
		else if (colon - p == 1 && *p == '~')
			t.start_inf = 1;
		else if (!number(p, (size_t)(colon - p), &t.start))
			return 0;
		if (colon[1] == '\0')
			t.end_inf = 1;
		else if (!number(colon + 1, strlen(colon + 1), &t.end))
			return 0;
	}
	if (!t.start_inf && !t.end_inf && t.start > t.end)
		return 0;
	*r = t;
	return 1;
}
