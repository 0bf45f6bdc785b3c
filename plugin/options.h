/* Command line → struct config. */
#ifndef CCE_OPTIONS_H
#define CCE_OPTIONS_H

#include "extern.h"

enum opt_result { OPT_RUN, OPT_EXIT_OK, OPT_USAGE };

/* Parses argv into cfg (cfg->now must be set by the caller). On OPT_USAGE
 * err holds what is wrong. Warnings (e.g. a world-readable password file)
 * go to standard error. */
enum opt_result options_parse(int argc, char **argv, struct config *cfg, char *err,
	    size_t errlen);
void	 options_free(struct config *);
void	 print_help(FILE *);

#endif
