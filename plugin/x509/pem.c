/* PEM block scanner: finds "-----BEGIN X-----" ... "-----END X-----" with
 * any text around, CRLF line ends and a UTF-8 BOM. Never reads past len. */
#include "config.h"

#include <string.h>

#include "extern.h"

static long line_of(const unsigned char *, size_t);

static const char begin[] = "-----BEGIN ";
static const char end[] = "-----END ";

/* Finds needle in p[from..len); returns its offset or len. */
static size_t
find(const unsigned char *p, size_t len, size_t from, const char *needle)
{
	size_t n = strlen(needle);
	const unsigned char *hit;

	while (from + n <= len) {
		hit = memchr(p + from, needle[0], len - from - n + 1);
		if (hit == NULL)
			break;
		if (memcmp(hit, needle, n) == 0)
			return (size_t)(hit - p);
		from = (size_t)(hit - p) + 1;
	}
	return len;
}

long
pem_line(const unsigned char *p, const struct pem_block *b)
{
	return line_of(p, (size_t)((const unsigned char *)b->label - p));
}

static long
line_of(const unsigned char *p, size_t off)
{
	long line = 1;
	const unsigned char *q = p, *e = p + off;

	while ((q = memchr(q, '\n', (size_t)(e - q))) != NULL) {
		line++;
		q++;
	}
	return line;
}

int
pem_next(const unsigned char *p, size_t len, size_t *off, struct pem_block *b)
{
	size_t s, lab, labend, body, e, elab;

	for (s = *off; (s = find(p, len, s, begin)) < len; s++) {
		/* the label runs to "-----" on the same line */
		lab = s + strlen(begin);
		for (labend = lab; labend < len && p[labend] != '-' && p[labend] != '\n'; labend++)
			;
		if (labend + 5 > len || memcmp(p + labend, "-----", 5) != 0 || labend == lab)
			continue;
		body = labend + 5;
		/* the matching END line */
		e = body;
		for (;;) {
			e = find(p, len, e, end);
			if (e >= len) {
				*off = len;
				b->label = (const char *)p + lab;
				b->labellen = labend - lab;
				b->line = line_of(p, s);
				return -1;
			}
			elab = e + strlen(end);
			if (elab + (labend - lab) + 5 <= len &&
			    memcmp(p + elab, p + lab, labend - lab) == 0 &&
			    memcmp(p + elab + (labend - lab), "-----", 5) == 0)
				break;
			e++;
		}
		b->label = (const char *)p + lab;
		b->labellen = labend - lab;
		b->b64 = p + body;
		b->b64len = e - body;
		b->line = 0;	/* pem_line() computes it when an error needs it */
		*off = elab + (labend - lab) + 5;
		return 1;
	}
	*off = len;
	return 0;
}

int
pem_label_is(const struct pem_block *b, const char *label)
{
	return b->labellen == strlen(label) && memcmp(b->label, label, b->labellen) == 0;
}
