/*
 * Replays saved fuzz inputs through the normal build:
 *   fuzz/replay TARGET FILE...     (every target but scan)
 *   fuzz/replay-scan scan FILE...  (scan: the real sink, report and outputs)
 *   fuzz/replay-scan pieces FILE... (pieces against whole reads)
 * Prints TAP, one assertion per file: the input was processed and the
 * program is still alive (a crash or sanitizer report kills it).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#define E(n)	int fuzz_entry_##n(const uint8_t *, size_t);
#ifdef CCE_REPLAY_SCAN
E(scan) E(pieces)
#else
E(der) E(pem) E(base64) E(range) E(dates)
E(reader_pkcs7) E(reader_pkcs12) E(reader_jks) E(reader_certutil_text)
E(reader_certutil_csv) E(reader_index) E(reader_pem) E(reader_der)
#endif
#undef E

static const struct {
	const char	*name;
	int		(*fn)(const uint8_t *, size_t);
} targets[] = {
#define T(n, f)	{ n, fuzz_entry_##f },
#ifdef CCE_REPLAY_SCAN
	T("scan", scan) T("pieces", pieces)
#else
	T("der", der) T("pem", pem) T("base64", base64) T("range", range)
	T("dates", dates) T("pkcs7", reader_pkcs7) T("pkcs12", reader_pkcs12)
	T("jks", reader_jks) T("certutil-text", reader_certutil_text)
	T("certutil-csv", reader_certutil_csv) T("index", reader_index)
	T("reader-pem", reader_pem) T("reader-der", reader_der)
#endif
#undef T
};

int
main(int argc, char **argv)
{
	int (*fn)(const uint8_t *, size_t) = NULL;
	unsigned char *data;
	size_t i, len;
	char err[256];
	int n = 0, bad = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: replay TARGET FILE...\n");
		return 2;
	}
	for (i = 0; i < sizeof(targets) / sizeof(targets[0]); i++)
		if (strcmp(targets[i].name, argv[1]) == 0)
			fn = targets[i].fn;
	if (fn == NULL) {
		fprintf(stderr, "replay: unknown target %s\n", argv[1]);
		return 2;
	}
	for (i = 2; i < (size_t)argc; i++) {
		n++;
		if (!read_file(argv[i], 64UL << 20, &data, &len, err, sizeof(err))) {
			printf("not ok %d - %s %s: %s\n", n, argv[1], argv[i], err);
			bad++;
			continue;
		}
		fflush(stdout);
		fn(data, len);
		free(data);
		printf("ok %d - %s %s\n", n, argv[1], argv[i]);
	}
	printf("1..%d\n", n);
	return bad != 0;
}
