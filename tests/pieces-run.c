/*
 * pieces-run BYTES [OPTION]... [PATH]...: the plugin, with every input a
 * reader can cut (PEM, index.txt, UTF-8 certutil CSV) read in pieces of
 * about BYTES bytes whatever its size, and a line on standard error per
 * input read in pieces ("pieces: PATH: N pieces[, then the rest whole]").
 * Built by `make check` only: the tests compare its output with the
 * plugin's, byte for byte (tests/pieces-diff.sh, tests/perf-collectors.sh).
 *
 * It is plugin/main.c itself, compiled here with its main() renamed, so
 * the options, the pipeline and the exit code are the plugin's own; the
 * piece size goes to the pieces module through pieces_test_set(), which
 * the plugin never calls.
 */
#define main plugin_main
int	 main(int argc, char **argv);
#include "main.c"
#undef main

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int	 main(int argc, char **argv);

int
main(int argc, char **argv)
{
	unsigned long n;
	char *end;

	if (argc < 2) {
		fprintf(stderr, "usage: pieces-run BYTES [check_cert_expiry option]...\n");
		return 3;
	}
	errno = 0;
	n = strtoul(argv[1], &end, 10);
	if (errno != 0 || end == argv[1] || *end != '\0' || n == 0) {
		fprintf(stderr, "pieces-run: %s: not a piece size in bytes (1 or more)\n",
		    argv[1]);
		return 3;
	}
	pieces_test_set((size_t)n, 1);	/* before any thread */
	argv[1] = argv[0];
	return plugin_main(argc - 1, argv + 1);
}
