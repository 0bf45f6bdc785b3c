/*
 * A sink for the reader fuzz targets: every certificate a reader hands over
 * goes through the DER walk and OpenSSL, every message is formatted, then
 * everything is dropped. Replaces sink.c's sink (the targets do not link
 * sink.o), so each reader is driven directly.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

struct sink {
	const struct config	*cfg;
	const char		*path;
	size_t			 count;
};

static void
drop(struct certinfo *ci)
{
	(void)certinfo_name(ci);
	certinfo_free(ci);
}

int
sink_der(struct sink *s, const unsigned char *der, size_t len,
    const struct sink_cert_meta *m)
{
	struct certinfo a, b;
	char err[256];
	int walked, parsed;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	walked = der_cert_walk(der, len, &a, err, sizeof(err));
	parsed = ossl_cert_parse(der, len, &b, err, sizeof(err));
	if (walked)
		drop(&a);
	if (parsed)
		drop(&b);
	if (m->extra != NULL)
		certinfo_free(m->extra);
	if (walked || parsed) {
		s->count++;
		return 1;
	}
	return 0;
}

/* Rows by identity are sink.c's lean mode: here every row is read in full. */
int
sink_rows(const struct sink *s)
{
	(void)s;
	return 0;
}

int
sink_row_needs_name(const struct sink *s)
{
	(void)s;
	abort();	/* sink_rows() said no */
}

int
sink_row(struct sink *s, long record, const char *format, const struct sink_row *row,
    const unsigned char *p, size_t len)
{
	(void)s, (void)record, (void)format, (void)row, (void)p, (void)len;
	abort();	/* sink_rows() said no */
}

void
sink_certinfo(struct sink *s, struct certinfo *ci, const struct sink_cert_meta *m)
{
	(void)m;
	drop(ci);
	s->count++;
}

static void
format(const char *fmt, va_list ap)
{
	struct buf b = { 0 };

	buf_vprintf(&b, fmt, ap);
	buf_free(&b);
}

void
sink_error(struct sink *s, long record, const char *fmt, ...)
{
	va_list ap;

	(void)s;
	(void)record;
	va_start(ap, fmt);
	format(fmt, ap);
	va_end(ap);
}

void
sink_skip(struct sink *s, const char *fmt, ...)
{
	va_list ap;

	(void)s;
	va_start(ap, fmt);
	format(fmt, ap);
	va_end(ap);
}

void
sink_unrecognised(struct sink *s, const unsigned char *p, size_t len, const char *what)
{
	(void)p;
	(void)len;
	sink_skip(s, "no certificate (%s)", what);
}

void
sink_note(struct sink *s, const char *fmt, ...)
{
	va_list ap;

	(void)s;
	va_start(ap, fmt);
	format(fmt, ap);
	va_end(ap);
}

void
sink_note_at(struct sink *s, const char *unit, long record, const char *fmt, ...)
{
	va_list ap;

	(void)s;
	(void)unit;
	(void)record;
	va_start(ap, fmt);
	format(fmt, ap);
	va_end(ap);
}

const char *
sink_path(const struct sink *s)
{
	return s->path;
}

const struct config *
sink_config(const struct sink *s)
{
	return s->cfg;
}

size_t
sink_count(const struct sink *s)
{
	return s->count;
}

/*
 * Runs one reader over the input, as sink.c would: only when its probe
 * accepts the bytes. The last byte's low bit turns --include-revoked on.
 */
int
fuzz_reader(const struct reader *r, const uint8_t *data, size_t size)
{
	static int inited;
	struct config cfg;
	struct sink s;
	char pw[] = "fuzz";

	if (!inited) {
		ossl_init();
		inited = 1;
	}
	if (size == 0 || !r->probe(data, size))
		return 0;
	memset(&cfg, 0, sizeof(cfg));
	cfg.now = INT64_C(1790000000);
	cfg.verbose = 2;
	cfg.include_revoked = data[size - 1] & 1;
	cfg.pkcs12_password = pw;
	memset(&s, 0, sizeof(s));
	s.cfg = &cfg;
	s.path = "fuzz-input";
	r->read(&s, data, size);
	return 0;
}

char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = xmalloc(size + 1);

	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}
