/* Fuzz target: Nagios threshold ranges (range_parse, range_alert). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

FUZZ_ENTRY(range)
{
	struct range r;
	char *s = fuzz_cstr(data, size);

	if (range_parse(s, &r)) {
		if (memchr(r.text, '\0', sizeof(r.text)) == NULL)
			abort();	/* perfdata text must stay terminated */
		(void)range_alert(&r, 0);
		(void)range_alert(&r, -1e300);
		(void)range_alert(&r, 1e300);
	}
	free(s);
	return 0;
}
