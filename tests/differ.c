/*
 * Differential check: der_cert_walk() against ossl_cert_parse().
 *
 *   differ FILE...        one TAP line per DER certificate file: both
 *                         parsers must report identical fields
 *   differ -e FILE        prints notAfter as "YYYY-MM-DD HH:MM:SSZ" (the
 *                         form of `openssl x509 -enddate -dateopt iso_8601`)
 *   differ -f FILE        prints every field the walk found, one per line
 *
 * A certificate the walk declines (it then falls back to OpenSSL) is a
 * skip that names the reason; a certificate OpenSSL rejects but the walk
 * accepts is a failure.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "extern.h"
#include "tap.h"

static int
same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static void
show(const char *what, const char *a, const char *b)
{
	if (!same(a, b))
		printf("#   %s: walk '%s' openssl '%s'\n", what, a ? a : "(null)",
		    b ? b : "(null)");
}

static void
compare(const char *path)
{
	struct certinfo w = { 0 }, o = { 0 };
	unsigned char *der = NULL;
	size_t len, i;
	char err[512], oerr[512];
	int wok, ook, eq;

	if (!read_file(path, 1 << 24, &der, &len, err, sizeof(err))) {
		ok(0, "%s: %s", path, err);
		return;
	}
	wok = der_cert_walk(der, len, &w, err, sizeof(err));
	ook = ossl_cert_parse(der, len, &o, oerr, sizeof(oerr));
	if (!wok && ook) {
		printf("ok %d - %s # SKIP walk declined (%s); OpenSSL is used\n",
		    ++tap_n, path, err);
		goto out;
	}
	if (wok && !ook) {
		ok(0, "%s: walk accepted what OpenSSL rejects (%s)", path, oerr);
		goto out;
	}
	if (!wok && !ook) {
		ok(0, "%s: neither parser accepts it (%s / %s)", path, err, oerr);
		goto out;
	}
	eq = same(w.serial, o.serial) && same(w.subject, o.subject) &&
	    same(w.issuer, o.issuer) && same(w.cn, o.cn) && w.ndns == o.ndns &&
	    w.not_before == o.not_before && w.not_after == o.not_after;
	for (i = 0; eq && i < w.ndns; i++)
		eq = same(w.dns[i], o.dns[i]);
	ok(eq, "%s: walk and OpenSSL agree (%s)", path, w.subject);
	if (!eq) {
		show("serial", w.serial, o.serial);
		show("subject", w.subject, o.subject);
		show("issuer", w.issuer, o.issuer);
		show("cn", w.cn, o.cn);
		printf("#   ndns %zu/%zu not_before %lld/%lld not_after %lld/%lld\n",
		    w.ndns, o.ndns, (long long)w.not_before, (long long)o.not_before,
		    (long long)w.not_after, (long long)o.not_after);
		for (i = 0; i < w.ndns && i < o.ndns; i++)
			show("dns", w.dns[i], o.dns[i]);
	}
out:
	certinfo_free(&w);
	certinfo_free(&o);
	free(der);
}

static int
fields(const char *path, int enddate_only)
{
	struct certinfo ci = { 0 };
	unsigned char *der;
	size_t len, i;
	char err[512], t[32];
	int y, mo, d, h, mi, s;

	if (!read_file(path, 1 << 24, &der, &len, err, sizeof(err)) ||
	    (!der_cert_walk(der, len, &ci, err, sizeof(err)) &&
	    !ossl_cert_parse(der, len, &ci, err, sizeof(err)))) {
		fprintf(stderr, "%s: %s\n", path, err);
		return 1;
	}
	free(der);
	gmtime64(ci.not_after, &y, &mo, &d, &h, &mi, &s);
	if (enddate_only) {
		printf("%04d-%02d-%02d %02d:%02d:%02dZ\n", y, mo, d, h, mi, s);
	} else {
		printf("serial=%s\nsubject=%s\nissuer=%s\ncn=%s\n", ci.serial,
		    ci.subject, ci.issuer, ci.cn ? ci.cn : "(none)");
		for (i = 0; i < ci.ndns; i++)
			printf("dns=%s\n", ci.dns[i]);
		fmt_iso8601(ci.not_before, t, sizeof(t));
		printf("not_before=%s\n", t);
		fmt_iso8601(ci.not_after, t, sizeof(t));
		printf("not_after=%s\n", t);
	}
	certinfo_free(&ci);
	return 0;
}

int
main(int argc, char **argv)
{
	int i;

	(void)tap_is_str;
	ossl_init();
	if (argc == 3 && strcmp(argv[1], "-e") == 0)
		return fields(argv[2], 1);
	if (argc == 3 && strcmp(argv[1], "-f") == 0)
		return fields(argv[2], 0);
	for (i = 1; i < argc; i++)
		compare(argv[i]);
	return tap_done();
}
