/* PEM: any number of blocks with text around them. Certificates in
 * CERTIFICATE, X509 CERTIFICATE and TRUSTED CERTIFICATE blocks (the last has
 * trust data after the certificate), PKCS#7 in PKCS7 blocks; other blocks
 * (keys, CSRs, CRLs, parameters) hold no certificate. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "extern.h"

static int
probe(const unsigned char *p, size_t len)
{
	static const char tag[] = "-----BEGIN ";
	const unsigned char *q = p, *e = p + len;

	while ((q = memchr(q, '-', (size_t)(e - q))) != NULL) {
		if ((size_t)(e - q) >= sizeof(tag) - 1 && memcmp(q, tag, sizeof(tag) - 1) == 0)
			return 1;
		q++;
	}
	return 0;
}

static int
cert_label(const struct pem_block *b)
{
	return pem_label_is(b, "CERTIFICATE") || pem_label_is(b, "X509 CERTIFICATE") ||
	    pem_label_is(b, "TRUSTED CERTIFICATE");
}

/* The number of the line holding offset to, counted on from (*at, *line)
 * (to >= *at): linear over a bundle. */
static long
line_at(const unsigned char *p, size_t to, size_t *at, long *line)
{
	const unsigned char *q = p + *at, *e = p + to;

	while ((q = memchr(q, '\n', (size_t)(e - q))) != NULL) {
		(*line)++;
		q++;
	}
	*at = to;
	return *line;
}

/* Line number of b's BEGIN line. */
static long
block_line(const unsigned char *p, const struct pem_block *b, size_t *at, long *line)
{
	return line_at(p, (size_t)((const unsigned char *)b->label - p), at, line);
}

static void
one_block(struct sink *s, long line, const struct pem_block *b)
{
	struct sink_cert_meta m = { "pem", 0, NULL, NULL };
	unsigned char small[8192], *der;
	size_t derlen, n;
	int ok;

	m.record = line;	/* errors name the line of the BEGIN line */
	/* most certificates fit on the stack */
	if (BASE64_OUTLEN(b->b64len) <= sizeof(small)) {
		der = small;
		ok = base64_decode_to(b->b64, b->b64len, der, &derlen);
	} else
		ok = base64_decode(b->b64, b->b64len, &der, &derlen);
	if (!ok) {
		sink_error(s, line, "invalid base64 in %.*s block", (int)b->labellen, b->label);
		return;
	}
	if (derlen == 0) {
		sink_error(s, line, "empty %.*s block", (int)b->labellen, b->label);
		if (der != small)
			free(der);
		return;
	}
	if (pem_label_is(b, "PKCS7"))
		pkcs7_read_der(s, der, derlen, line);
	else if (pem_label_is(b, "TRUSTED CERTIFICATE")) {
		/* the certificate, then OpenSSL's trust settings */
		if ((n = der_element_len(der, derlen)) == 0)
			sink_error(s, line, "invalid certificate: truncated DER in TRUSTED CERTIFICATE block");
		else
			sink_der(s, der, n, &m);
	} else
		sink_der(s, der, derlen, &m);
	if (der != small)
		free(der);
}

/* Reads the blocks of p[0..len), lines numbered from 1. A block without
 * its END line ends the reading: when more input follows (a part), *done
 * stops at the start of its line and nothing is said of it; otherwise it
 * is an error for a certificate block. whole: the whole input, which says
 * why it holds no certificate. Returns the lines before *done (of a part). */
static long
rd_blocks(struct sink *s, const unsigned char *p, size_t len, int last, int whole,
    size_t *done)
{
	struct pem_block b;
	struct buf others = { 0 };
	size_t off = 0, at = 0, start;
	long line = 1;
	int r, certs = 0, broken = 0;

	*done = len;
	while ((r = pem_next(p, len, &off, &b)) != 0) {
		if (r == -1) {
			if (!last) {
				/* it may end in the next piece: from its line on,
				 * the input is read whole */
				start = (size_t)((const unsigned char *)b.label - p);
				while (start > 0 && p[start - 1] != '\n')
					start--;
				*done = start;
			} else if (cert_label(&b) || pem_label_is(&b, "PKCS7")) {
				sink_error(s, b.line, "truncated PEM: BEGIN %.*s without END line",
				    (int)b.labellen, b.label);
				broken = 1;
			} else if (others.len < 200)
				buf_printf(&others, "%s%.*s without END line", others.len ?
				    ", " : "", (int)b.labellen, b.label);
			break;
		}
		if (cert_label(&b) || pem_label_is(&b, "PKCS7")) {
			certs++;
			one_block(s, block_line(p, &b, &at, &line), &b);
			sink_consumed(s, p + off);
		} else if (others.len < 200) {
			buf_printf(&others, "%s%.*s", others.len ? ", " : "",
			    (int)b.labellen, b.label);
		}
	}
	if (whole && certs == 0 && !broken && sink_count(s) == 0) {
		if (others.len > 0)
			sink_skip(s, "no certificate (%s)", others.data);
		else	/* a BEGIN line in text, but no block */
			sink_unrecognised(s, p, len, "no PEM block");
	}
	buf_free(&others);
	if (whole)
		return 0;	/* nobody counts on from here */
	return line_at(p, *done, &at, &line) - 1;
}

static void
rd(struct sink *s, const unsigned char *p, size_t len)
{
	struct part *part = sink_part(s);
	size_t done;
	long lines;

	lines = rd_blocks(s, p, len, part == NULL || !part->more, part == NULL, &done);
	if (part != NULL) {
		part->done = done;
		part->units = lines;
	}
}

/* A record starts at a line that starts a block. */
static size_t
next_block(const unsigned char *p, size_t len, size_t at)
{
	static const char tag[] = "\n-----BEGIN ";
	const unsigned char *q = p + at - 1, *e = p + len;

	while ((q = memchr(q, '\n', (size_t)(e - q))) != NULL) {
		if ((size_t)(e - q) >= sizeof(tag) - 1 && memcmp(q, tag, sizeof(tag) - 1) == 0)
			return (size_t)(q + 1 - p);
		q++;
	}
	return len;
}

const struct reader reader_pem = { "pem", probe, rd, next_block, NULL, NULL };
