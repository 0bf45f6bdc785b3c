/* A tiny stand-in for the core's sink, for the container area's tests:
 * records certificates (SHA-256, alias), errors, notes and skips. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "extern.h"
#include "container-sink.h"

static char *
vfmt(const char *fmt, va_list ap)
{
	struct buf b = { 0 };

	buf_vprintf(&b, fmt, ap);
	return buf_release(&b);
}

static void
push(char ***v, size_t *n, char *s)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = s;
}

int
sink_der(struct sink *s, const unsigned char *der, size_t len,
    const struct sink_cert_meta *meta)
{
	const unsigned char *q = der;
	struct fake_cert *c;
	unsigned int mdlen;
	X509 *x;

	x = d2i_X509(NULL, &q, (long)len);
	if (x == NULL || q != der + len) {
		X509_free(x);
		sink_error(s, meta->record, "not a valid certificate (%zu bytes)", len);
		return 0;
	}
	X509_free(x);
	s->certs = xreallocarray(s->certs, s->ncerts + 1, sizeof(*s->certs));
	c = &s->certs[s->ncerts++];
	memset(c, 0, sizeof(*c));
	EVP_Digest(der, len, c->sha256, &mdlen, EVP_sha256(), NULL);
	c->format = xstrdup(meta->format);
	c->record = meta->record;
	c->alias = meta->alias ? xstrdup(meta->alias) : NULL;
	c->valid = 1;
	return 1;
}

void
sink_certinfo(struct sink *s, struct certinfo *ci, const struct sink_cert_meta *meta)
{
	(void)s;
	(void)ci;
	(void)meta;
	abort();
}

void
sink_error(struct sink *s, long record, const char *fmt, ...)
{
	va_list ap;
	char *m;

	va_start(ap, fmt);
	m = vfmt(fmt, ap);
	va_end(ap);
	if (record)
		push(&s->errors, &s->nerrors, xasprintf("%s:%ld: %s", s->path, record, m));
	else
		push(&s->errors, &s->nerrors, xasprintf("%s: %s", s->path, m));
	free(m);
}

void
sink_skip(struct sink *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	push(&s->skips, &s->nskips, vfmt(fmt, ap));
	va_end(ap);
}

/* As the real sink, but for the name rule (the fake sink has no name to
 * go by): a skip. */
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

	va_start(ap, fmt);
	push(&s->notes, &s->nnotes, vfmt(fmt, ap));
	va_end(ap);
}

void
sink_note_at(struct sink *s, const char *unit, long record, const char *fmt, ...)
{
	struct buf b = { 0 };
	char *text;
	va_list ap;

	va_start(ap, fmt);
	text = vfmt(fmt, ap);
	va_end(ap);
	buf_printf(&b, "%s %ld: %s", unit, record, text);
	free(text);
	push(&s->notes, &s->nnotes, buf_release(&b));
}

const char *
sink_path(const struct sink *s)
{
	return s->path;
}

const struct config *
sink_config(const struct sink *s)
{
	return &s->cfg;
}

size_t
sink_count(const struct sink *s)
{
	return s->ncerts;
}

void
fake_sink_init(struct sink *s, const char *path, const char *password)
{
	memset(s, 0, sizeof(*s));
	s->path = path;
	s->cfg.pkcs12_password = password ? xstrdup(password) : NULL;
}

static void
freev(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
fake_sink_free(struct sink *s)
{
	size_t i;

	for (i = 0; i < s->ncerts; i++) {
		free(s->certs[i].format);
		free(s->certs[i].alias);
	}
	free(s->certs);
	freev(s->errors, s->nerrors);
	freev(s->notes, s->nnotes);
	freev(s->skips, s->nskips);
	if (s->cfg.pkcs12_password != NULL) {
		explicit_clear(s->cfg.pkcs12_password, strlen(s->cfg.pkcs12_password));
		free(s->cfg.pkcs12_password);
	}
	memset(s, 0, sizeof(*s));
}

int
fake_sink_read(struct sink *s, const unsigned char *p, size_t len)
{
	const struct reader *const mine[] = {
		&reader_jks, &reader_pkcs12, &reader_pkcs7, NULL
	};
	size_t i;

	for (i = 0; mine[i] != NULL; i++)
		if (mine[i]->probe(p, len)) {
			mine[i]->read(s, p, len);
			return 1;
		}
	return 0;
}

int
fake_sink_error_has(const struct sink *s, const char *needle)
{
	size_t i;

	for (i = 0; i < s->nerrors; i++)
		if (strstr(s->errors[i], needle) != NULL)
			return 1;
	return 0;
}
