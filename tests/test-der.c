/*
 * The DER walk over the fixture certificates ($FIXTURES/der, made by
 * tests/gen-der-fixtures.sh): expected fields, every truncation, mutated
 * length bytes, trailing bytes, and the reasons it gives.
 */
#include "config.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"
#include "tap.h"

static const char *fx;

static int
ci_empty(const struct certinfo *ci)
{
	static const struct certinfo zero;

	return memcmp(ci, &zero, sizeof(zero)) == 0;
}

static int
ci_same(const struct certinfo *a, const struct certinfo *b)
{
	size_t i;

	if (strcmp(a->serial, b->serial) || strcmp(a->subject, b->subject) ||
	    strcmp(a->issuer, b->issuer) || (a->cn == NULL) != (b->cn == NULL) ||
	    (a->cn && strcmp(a->cn, b->cn)) || a->ndns != b->ndns ||
	    a->not_before != b->not_before || a->not_after != b->not_after)
		return 0;
	for (i = 0; i < a->ndns; i++)
		if (strcmp(a->dns[i], b->dns[i]))
			return 0;
	return 1;
}

static char *
slurp(const char *path, size_t *len)
{
	unsigned char *p;
	char err[256];

	if (!read_file(path, 1 << 20, &p, len, err, sizeof(err)))
		return NULL;
	return (char *)p;
}

/* Names of *.der files in dir, sorted. */
static size_t
list_der(const char *dir, char ***out)
{
	DIR *d;
	struct dirent *e;
	char **v = NULL;
	size_t n = 0, l, i, j;
	char *t;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		l = strlen(e->d_name);
		if (l > 4 && strcmp(e->d_name + l - 4, ".der") == 0) {
			v = xreallocarray(v, n + 1, sizeof(*v));
			v[n++] = xasprintf("%s/%s", dir, e->d_name);
		}
	}
	closedir(d);
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	*out = v;
	return n;
}

static void
free_list(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Checks the walk's fields against NAME.want (key=value lines). */
static void
check_want(const char *der_path, const struct certinfo *ci)
{
	char *wpath, *w, *line, *next, *eq, t[32];
	size_t len, ndns = 0;

	wpath = xasprintf("%.*s.want", (int)(strlen(der_path) - 4), der_path);
	if ((w = slurp(wpath, &len)) == NULL) {
		free(wpath);
		return;
	}
	for (line = w; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if ((eq = strchr(line, '=')) == NULL)
			continue;
		*eq++ = '\0';
		if (strcmp(line, "serial") == 0)
			is_str(ci->serial, eq, "%s: serial", der_path);
		else if (strcmp(line, "subject") == 0)
			is_str(ci->subject, eq, "%s: subject", der_path);
		else if (strcmp(line, "issuer") == 0)
			is_str(ci->issuer, eq, "%s: issuer", der_path);
		else if (strcmp(line, "cn") == 0)
			is_str(ci->cn ? ci->cn : "(none)", eq, "%s: cn", der_path);
		else if (strcmp(line, "dns") == 0) {
			is_str(ndns < ci->ndns ? ci->dns[ndns] : NULL, eq,
			    "%s: dns #%zu", der_path, ndns + 1);
			ndns++;
		} else if (strcmp(line, "ndns") == 0)
			ok(ci->ndns == strtoul(eq, NULL, 10), "%s: %s DNS names",
			    der_path, eq);
		else if (strcmp(line, "not_before") == 0) {
			fmt_iso8601(ci->not_before, t, sizeof(t));
			is_str(t, eq, "%s: not_before", der_path);
		} else if (strcmp(line, "not_after") == 0) {
			fmt_iso8601(ci->not_after, t, sizeof(t));
			is_str(t, eq, "%s: not_after", der_path);
		} else
			ok(0, "%s: unknown key %s", wpath, line);
	}
	free(w);
	free(wpath);
}

/* Fields, truncations, trailing bytes and mutations of one certificate. */
static void
check_cert(const char *path, int differential)
{
	struct certinfo ci = { 0 }, cj = { 0 }, co = { 0 };
	unsigned char *der, *m;
	char err[256] = "", *p;
	size_t len, k, hl;
	static const unsigned char flips[] = { 0x01, 0x80 };
	size_t f, runs = 0, accepted = 0, differ = 0, silent = 0;
	int all, wok;

	if ((p = slurp(path, &len)) == NULL) {
		ok(0, "%s: unreadable", path);
		return;
	}
	der = (unsigned char *)p;
	if (!ok(der_cert_walk(der, len, &ci, err, sizeof(err)), "%s: walks (%s)", path,
	    err))
		goto out;
	check_want(path, &ci);

	/* every truncation fails, names a reason, leaves ci alone */
	all = 1;
	for (k = len; k-- > 0;) {
		err[0] = '\0';
		if (der_cert_walk(der, k, &cj, err, sizeof(err)) || !ci_empty(&cj) ||
		    err[0] == '\0') {
			all = 0;
			printf("# truncation to %zu: %s\n", k, err);
			certinfo_free(&cj);
		}
	}
	ok(all, "%s: all %zu truncations fail cleanly", path, len);
	/* the salvage walk reads what the walk reads, the same, noting
	 * nothing; and no truncation either */
	{
		char note[512];

		ok(der_cert_salvage(der, len, &cj, note, sizeof(note), err, sizeof(err)) &&
		    note[0] == '\0' && ci_same(&ci, &cj), "%s: the salvage walk reads the same",
		    path);
		certinfo_free(&cj);
		for (all = 1, k = len; k-- > 0;) {
			if (der_cert_salvage(der, k, &cj, note, sizeof(note), err, sizeof(err))) {
				all = 0;
				printf("# salvaged truncation to %zu\n", k);
				certinfo_free(&cj);
			}
		}
		ok(all, "%s: the salvage walk refuses every truncation", path);
	}
	der_cert_walk(der, len - 1, &cj, err, sizeof(err));
	ok(strstr(err, "truncated at byte") != NULL, "%s: len-1: %s", path, err);

	/* trailing bytes */
	m = xmalloc(len + 3);
	memcpy(m, der, len);
	m[len] = 0;
	m[len + 1] = 0;
	ok(!der_cert_walk(m, len + 2, &cj, err, sizeof(err)) &&
	    strstr(err, "trailing 2 bytes") != NULL, "%s: %s", path, err);

	/* the outer length pointing one byte past the end */
	hl = der[1] & 0x80 ? 2 + (der[1] & 0x7f) : 2;
	memcpy(m, der, len);
	m[hl - 1]++;
	ok(!der_cert_walk(m, len, &cj, err, sizeof(err)) &&
	    strstr(err, "truncated at byte") != NULL && strstr(err, "length past end"),
	    "%s: outer length +1: %s", path, err);

	/* tbsCertificate claiming 0xffff bytes (nested length overflowing) */
	memcpy(m, der, len);
	if (m[hl] == 0x30 && m[hl + 1] == 0x82) {
		m[hl + 2] = m[hl + 3] = 0xff;
		ok(!der_cert_walk(m, len, &cj, err, sizeof(err)) &&
		    strstr(err, "tbsCertificate: length past end at byte") != NULL,
		    "%s: nested length overflow: %s", path, err);
	}

	/* flipped bits in every byte: no crash, no leak, and where both
	 * parsers accept the result they agree */
	for (k = 0; k < len; k++) {
		for (f = 0; f < sizeof(flips); f++) {
			memcpy(m, der, len);
			m[k] ^= flips[f];
			runs++;
			err[0] = '\0';
			wok = der_cert_walk(m, len, &cj, err, sizeof(err));
			if (!wok && err[0] == '\0')
				silent++;
			if (!wok)
				continue;
			accepted++;
			if (differential && ossl_cert_parse(m, len, &co, err, sizeof(err))) {
				if (!ci_same(&cj, &co)) {
					differ++;
					printf("# byte %zu ^ %02x: walk '%s' / openssl '%s'\n",
					    k, flips[f], cj.subject, co.subject);
				}
				certinfo_free(&co);
			}
			certinfo_free(&cj);
		}
	}
	ok(silent == 0, "%s: %zu mutations, every rejection gives a reason", path, runs);
	if (differential)
		ok(differ == 0, "%s: %zu mutants accepted, walk and OpenSSL agree on all",
		    path, accepted);
	free(m);
out:
	certinfo_free(&ci);
	free(der);
}

/* A certificate the walk must refuse with the reason in NAME.err. */
static void
check_refused(const char *path, int openssl_reads)
{
	struct certinfo ci = { 0 };
	unsigned char *der;
	char *p, *epath, *want, err[256] = "";
	size_t len, wl;

	epath = xasprintf("%.*s.err", (int)(strlen(path) - 4), path);
	if ((p = slurp(path, &len)) == NULL || (want = slurp(epath, &wl)) == NULL) {
		ok(0, "%s: unreadable", path);
		free(p);
		free(epath);
		return;
	}
	der = (unsigned char *)p;
	want[strcspn(want, "\n")] = '\0';
	ok(!der_cert_walk(der, len, &ci, err, sizeof(err)) && ci_empty(&ci) &&
	    strstr(err, want) != NULL, "%s: walk refuses: %s", path, err);
	ok(ossl_cert_parse(der, len, &ci, err, sizeof(err)) == openssl_reads,
	    "%s: OpenSSL %s", path, openssl_reads ? "reads it" : "refuses it too");
	if (openssl_reads)
		ok(ci.subject != NULL && ci.not_after != 0, "%s: OpenSSL: %s", path,
		    ci.subject);
	certinfo_free(&ci);
	free(der);
	free(want);
	free(epath);
}

static void
test_inputs(void)
{
	struct certinfo ci = { 0 };
	char err[128] = "";
	static const unsigned char junk[] = { 0x30, 0x03, 0x02, 0x01, 0x01 };
	static const unsigned char indef[] = { 0x30, 0x80, 0x30, 0x00, 0x00, 0x00 };

	ok(!der_cert_walk((const unsigned char *)"", 0, &ci, err, sizeof(err)) &&
	    strcmp(err, "empty input") == 0, "empty input: %s", err);
	ok(!der_cert_walk(junk, sizeof(junk), &ci, err, sizeof(err)) &&
	    strstr(err, "tbsCertificate: expected tag 0x30, found 0x02 at byte 2"),
	    "SEQUENCE of INTEGER: %s", err);
	ok(!der_cert_walk(indef, sizeof(indef), &ci, err, sizeof(err)) &&
	    strstr(err, "indefinite length"), "BER indefinite length: %s", err);
	ok(!ossl_cert_parse(junk, sizeof(junk), &ci, err, sizeof(err)) && err[0] != '\0',
	    "OpenSSL refuses junk: %s", err);
	ok(ci_empty(&ci), "nothing written on failure");
}

/* What both parsers refuse but the dates of which read: the salvage walk
 * reports it, the name falling back, and says why. */
static void
test_salvage(void)
{
	struct certinfo ci = { 0 };
	char *path, *p, note[512], err[256];
	size_t len;

	path = xasprintf("%s/der/bad/badutf8.der", fx);
	if ((p = slurp(path, &len)) == NULL) {
		ok(0, "%s: unreadable", path);
		free(path);
		return;
	}
	ok(der_cert_salvage((unsigned char *)p, len, &ci, note, sizeof(note), err,
	    sizeof(err)), "%s: the salvage walk reads it", path);
	is_str(ci.cn, "M\xef\xbf\xbdller", "  CN with U+FFFD for the Latin-1 byte");
	is_str(ci.subject, "CN=M\xef\xbf\xbdller", "  the subject too");
	ok(strstr(note, "subject: CN value is not valid UTF-8 at byte") != NULL,
	    "  noted: %s", note);
	ok(ci.not_after != 0 && ci.serial != NULL && strcmp(ci.serial, "08") == 0,
	    "  dates and serial read");
	certinfo_free(&ci);
	free(p);
	free(path);
}

int
main(void)
{
	char **v, *dir;
	size_t n, i;

	ossl_init();
	test_inputs();
	if ((fx = getenv("FIXTURES")) == NULL) {
		printf("# FIXTURES not set: fixture tests skipped\n");
		return tap_done();
	}
	dir = xasprintf("%s/der", fx);
	n = list_der(dir, &v);
	ok(n >= 20, "%zu fixture certificates in %s", n, dir);
	for (i = 0; i < n; i++)
		check_cert(v[i], 1);
	free_list(v, n);
	free(dir);

	dir = xasprintf("%s/der/walk-only", fx);
	n = list_der(dir, &v);
	for (i = 0; i < n; i++)
		check_cert(v[i], 0);
	free_list(v, n);
	free(dir);

	dir = xasprintf("%s/der/decline", fx);
	n = list_der(dir, &v);
	ok(n >= 2, "%zu certificates the walk declines", n);
	for (i = 0; i < n; i++)
		check_refused(v[i], 1);
	free_list(v, n);
	free(dir);

	dir = xasprintf("%s/der/bad", fx);
	n = list_der(dir, &v);
	for (i = 0; i < n; i++)
		check_refused(v[i], 0);
	free_list(v, n);
	free(dir);
	test_salvage();
	return tap_done();
}
