/*
 * Fuzz target: one input through every reader (scan_buffer probes them all),
 * then selection, evaluation and the three outputs, whose invariants are
 * checked: one status line with intact perfdata, no control characters,
 * valid JSON, less than 8 KiB. The last byte's low bit turns
 * --include-revoked on.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check-output.h"
#include "fuzz.h"

static void
check(const struct config *cfg, const struct report *rep, int fmt)
{
	char *s = NULL;
	size_t len = 0;
	const char *why = NULL;
	FILE *f;

	if ((f = open_memstream(&s, &len)) == NULL)
		abort();
	if (fmt == OUTPUT_NAGIOS)
		output_nagios(f, cfg, rep);
	else if (fmt == OUTPUT_LIST)
		output_list(f, cfg, rep);
	else
		output_json(f, cfg, rep);
	fclose(f);
	if (fmt == OUTPUT_NAGIOS)
		why = nagios_output_problem(s, len, 1);
	else if (fmt == OUTPUT_JSON && !json_valid(s, len))
		why = "invalid JSON";
	if (why != NULL) {
		fprintf(stderr, "fuzz-scan: %s output: %s\n%s\n",
		    fmt == OUTPUT_NAGIOS ? "nagios" : "json", why, s);
		abort();
	}
	free(s);
}

FUZZ_ENTRY(scan)
{
	static struct config cfg;
	static int inited;
	struct report rep;
	char err[256];

	if (!inited) {
		ossl_init();
		cfg.now = INT64_C(1790000000);	/* 2026-09-21 */
		cfg.verbose = 2;
		cfg.timeout = 60;
		if (!range_parse("30", &cfg.warning) || !range_parse("7", &cfg.critical))
			abort();
		inited = 1;
	}
	cfg.include_revoked = size > 0 && (data[size - 1] & 1);
	memset(&rep, 0, sizeof(rep));
	scan_buffer(&cfg, &rep, "fuzz-input", data, size);
	if (report_finish(&cfg, &rep, err, sizeof(err))) {
		check(&cfg, &rep, OUTPUT_NAGIOS);
		check(&cfg, &rep, OUTPUT_LIST);
		check(&cfg, &rep, OUTPUT_JSON);
	}
	report_free(&rep);
	return 0;
}
