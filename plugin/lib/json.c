/* The one place where JSON strings are escaped. Input is UTF-8 (repaired if
 * not); control characters, quotes and backslashes are escaped, and so are
 * U+2028/U+2029 so the output is also safe as JavaScript. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "extern.h"

void
json_string(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p;
	char *fixed;

	if (s == NULL) {
		buf_addstr(b, "null");
		return;
	}
	fixed = utf8_repair((const unsigned char *)s, strlen(s));
	buf_addc(b, '"');
	for (p = (const unsigned char *)fixed; *p; p++) {
		switch (*p) {
		case '"':
			buf_addstr(b, "\\\"");
			break;
		case '\\':
			buf_addstr(b, "\\\\");
			break;
		case '\n':
			buf_addstr(b, "\\n");
			break;
		case '\r':
			buf_addstr(b, "\\r");
			break;
		case '\t':
			buf_addstr(b, "\\t");
			break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				buf_addstr(b, "\\u00");
				buf_addc(b, hex[*p >> 4]);
				buf_addc(b, hex[*p & 0xf]);
			} else if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
				buf_addstr(b, p[2] == 0xa8 ? "\\u2028" : "\\u2029");
				p += 2;
			} else
				buf_addc(b, (char)*p);
		}
	}
	buf_addc(b, '"');
	free(fixed);
}
