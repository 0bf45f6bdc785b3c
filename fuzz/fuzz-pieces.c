/*
 * Fuzz target, differential: one input read whole and read in pieces
 * (plugin/par/pieces.c, cut by pieces_test_set as in tests/pieces-run.c) must
 * give the same report: the same JSON (certificates, locations, records,
 * errors, skips) and the same notes; and with the Nagios output's
 * collector (-o nagios without -v) the same output, also with -f or -x
 * (its top bit picks which). The last
 * byte picks the piece size (1 to 64 bytes) and, with its low bit,
 * --include-revoked.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/* The report of data read with pieces of n bytes (0: whole), as JSON and
 * notes, in *out (to free). */
static char *
read_as(const struct config *cfg, const uint8_t *data, size_t size, size_t n)
{
	struct report rep;
	char err[256], *s = NULL;
	size_t len = 0, i;
	FILE *f;

	pieces_test_set(n, 0);
	memset(&rep, 0, sizeof(rep));
	rep.collector = collector_for(cfg);
	rep.cfg = cfg;
	scan_buffer(cfg, &rep, "fuzz-input", data, size);
	if ((f = open_memstream(&s, &len)) == NULL)
		abort();
	if (report_finish(cfg, &rep, err, sizeof(err))) {
		if (rep.collector == &collect_nagios)
			output_nagios(f, cfg, &rep);
		else
			output_json(f, cfg, &rep);
	} else
		fprintf(f, "select: %s\n", err);
	for (i = 0; i < rep.nnotes; i++)
		fprintf(f, "note: %s\n", rep.notes[i]);
	fclose(f);
	report_free(&rep);
	return s;
}

/* Whole against pieces of n bytes with cfg; aborts if they differ. */
static void
compare(const struct config *cfg, const uint8_t *data, size_t size, size_t n)
{
	char *whole, *cut;

	whole = read_as(cfg, data, size, 0);
	cut = read_as(cfg, data, size, n);
	if (strcmp(whole, cut) != 0) {
		fprintf(stderr, "fuzz-pieces: pieces of %zu bytes differ from a whole "
		    "read\n--- whole\n%s\n--- pieces\n%s\n", n, whole, cut);
		abort();
	}
	free(whole);
	free(cut);
}

FUZZ_ENTRY(pieces)
{
	static struct config cfg, lean;
	static struct rx *names;
	static int inited;
	char err[256];
	size_t n;

	if (!inited) {
		ossl_init();
		/* -f on rows: matched in the reading threads where the name
		 * is plain, else read in full */
		if ((names = rx_compile("^[a-m]|\xc3\xa9|^$", err, sizeof(err))) == NULL)
			abort();
		cfg.now = INT64_C(1790000000);	/* 2026-09-21 */
		cfg.verbose = 2;
		cfg.timeout = 60;
		cfg.jobs = 1;
		if (!range_parse("30", &cfg.warning) || !range_parse("7", &cfg.critical))
			abort();
		inited = 1;
	}
	if (size == 0)
		return 0;
	cfg.include_revoked = data[size - 1] & 1;
	n = 1 + (size_t)(data[size - 1] >> 1) % 64;
	compare(&cfg, data, size, n);
	lean = cfg;
	lean.verbose = 0;
	lean.output = OUTPUT_NAGIOS;
	compare(&lean, data, size, n);
	if (data[size - 1] & 0x80)
		lean.exclude = names;
	else
		lean.filter = names;
	compare(&lean, data, size, n);
	pieces_test_set(0, 0);
	return 0;
}
