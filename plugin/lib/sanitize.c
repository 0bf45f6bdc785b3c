/* Text from certificates and exports is untrusted: before it reaches the
 * Nagios or list output, control characters, '|' (the perfdata separator)
 * and invalid UTF-8 are replaced, and the length is bounded. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "extern.h"

char *
sanitize_name(const char *s, size_t maxbytes)
{
	struct buf b = { 0 };
	char *fixed;
	const unsigned char *p;
	size_t n;

	if (s == NULL)
		return xstrdup("");
	fixed = utf8_repair((const unsigned char *)s, strlen(s));
	for (p = (const unsigned char *)fixed; *p; p += n) {
		n = 1;
		if (*p >= 0x80)		/* copy a whole UTF-8 sequence */
			while ((p[n] & 0xc0) == 0x80)
				n++;
		if (b.len + n > maxbytes) {
			buf_addstr(&b, "...");
			break;
		}
		if (*p < 0x20 || *p == 0x7f || *p == '|')
			buf_addc(&b, *p == '|' ? '!' : ' ');
		else if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0)
			buf_addc(&b, ' ');	/* C1 control characters */
		else
			buf_add(&b, p, n);
	}
	free(fixed);
	return buf_release(&b);
}
