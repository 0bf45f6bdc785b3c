/*
 * Output invariants shared by the scan fuzz target and tests/integrity:
 * the Nagios/list text has one status line with perfdata intact and no
 * control characters; JSON is valid (RFC 8259) and ASCII-control free.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check-output.h"

/* ------------------------------------------------------------ JSON syntax */

struct js {
	const unsigned char	*p;
	size_t			 len, off;
	int			 depth;
};

static void
ws(struct js *j)
{
	while (j->off < j->len && (j->p[j->off] == ' ' || j->p[j->off] == '\t' ||
	    j->p[j->off] == '\n' || j->p[j->off] == '\r'))
		j->off++;
}

static int value(struct js *);

static int
lit(struct js *j, const char *w)
{
	size_t n = strlen(w);

	if (j->len - j->off < n || memcmp(j->p + j->off, w, n) != 0)
		return 0;
	j->off += n;
	return 1;
}

static int
hex4(struct js *j)
{
	int i;

	for (i = 0; i < 4; i++, j->off++)
		if (j->off >= j->len || strchr("0123456789abcdefABCDEF",
		    j->p[j->off]) == NULL || j->p[j->off] == '\0')
			return 0;
	return 1;
}

static int
string(struct js *j)
{
	if (j->off >= j->len || j->p[j->off] != '"')
		return 0;
	j->off++;
	while (j->off < j->len) {
		unsigned char c = j->p[j->off++];

		if (c == '"')
			return 1;
		if (c < 0x20)
			return 0;
		if (c == '\\') {
			if (j->off >= j->len)
				return 0;
			c = j->p[j->off++];
			if (c == 'u') {
				if (!hex4(j))
					return 0;
			} else if (strchr("\"\\/bfnrt", c) == NULL || c == '\0')
				return 0;
		}
	}
	return 0;
}

static int
number(struct js *j)
{
	size_t start = j->off, digits;

	if (j->off < j->len && j->p[j->off] == '-')
		j->off++;
	for (digits = 0; j->off < j->len && j->p[j->off] >= '0' &&
	    j->p[j->off] <= '9'; j->off++)
		digits++;
	if (digits == 0 || (digits > 1 && j->p[j->off - digits] == '0'))
		return 0;
	if (j->off < j->len && j->p[j->off] == '.') {
		j->off++;
		for (digits = 0; j->off < j->len && j->p[j->off] >= '0' &&
		    j->p[j->off] <= '9'; j->off++)
			digits++;
		if (digits == 0)
			return 0;
	}
	if (j->off < j->len && (j->p[j->off] == 'e' || j->p[j->off] == 'E')) {
		j->off++;
		if (j->off < j->len && (j->p[j->off] == '+' || j->p[j->off] == '-'))
			j->off++;
		for (digits = 0; j->off < j->len && j->p[j->off] >= '0' &&
		    j->p[j->off] <= '9'; j->off++)
			digits++;
		if (digits == 0)
			return 0;
	}
	return j->off > start;
}

static int
container(struct js *j, char open, char close, int object)
{
	if (++j->depth > 64)
		return 0;
	j->off++;	/* open */
	(void)open;
	ws(j);
	if (j->off < j->len && j->p[j->off] == close) {
		j->off++;
		j->depth--;
		return 1;
	}
	for (;;) {
		ws(j);
		if (object) {
			if (!string(j))
				return 0;
			ws(j);
			if (j->off >= j->len || j->p[j->off] != ':')
				return 0;
			j->off++;
		}
		if (!value(j))
			return 0;
		ws(j);
		if (j->off >= j->len)
			return 0;
		if (j->p[j->off] == ',') {
			j->off++;
			continue;
		}
		if (j->p[j->off] != close)
			return 0;
		j->off++;
		j->depth--;
		return 1;
	}
}

static int
value(struct js *j)
{
	ws(j);
	if (j->off >= j->len)
		return 0;
	switch (j->p[j->off]) {
	case '{':
		return container(j, '{', '}', 1);
	case '[':
		return container(j, '[', ']', 0);
	case '"':
		return string(j);
	case 't':
		return lit(j, "true");
	case 'f':
		return lit(j, "false");
	case 'n':
		return lit(j, "null");
	default:
		return number(j);
	}
}

int
json_valid(const char *s, size_t len)
{
	struct js j = { (const unsigned char *)s, len, 0, 0 };

	if (!utf8_valid(j.p, len) || !value(&j))
		return 0;
	ws(&j);
	return j.off == len;
}

/* ------------------------------------------------------------ text output */

/*
 * Plugin text output: valid UTF-8, no control character but LF, a first
 * line starting with "CERT_EXPIRY ", at most one '|' (between status and
 * perfdata, on the first line) and less than 8 KiB in all.
 */
const char *
nagios_output_problem(const char *s, size_t len, int want_perfdata)
{
	const char *nl, *bar;
	size_t i, bars = 0;

	if (len >= 8192)
		return "output of 8 KiB or more";
	if (!utf8_valid((const unsigned char *)s, len))
		return "invalid UTF-8";
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\n') || c == 0x7f)
			return "control character";
		if (c == '|')
			bars++;
	}
	if (len < 12 || memcmp(s, "CERT_EXPIRY ", 12) != 0)
		return "no status line";
	nl = memchr(s, '\n', len);
	bar = memchr(s, '|', len);
	if (want_perfdata) {
		if (bars != 1)
			return "not exactly one '|'";
		if (nl != NULL && bar > nl)
			return "'|' not on the status line";
	} else if (bars != 0)
		return "'|' in the output";
	return NULL;
}
