/* Output invariants (fuzz/check-output.c). */
#ifndef CCE_CHECK_OUTPUT_H
#define CCE_CHECK_OUTPUT_H

#include <stddef.h>

#include "extern.h"

/* 1 if s[0..len) is one valid JSON value (UTF-8, no raw controls). */
int		 json_valid(const char *s, size_t len);
/* NULL if the plugin text output is intact, else what is wrong. */
const char	*nagios_output_problem(const char *s, size_t len, int want_perfdata);

#endif
