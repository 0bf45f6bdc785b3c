/* The one home of PCRE2: case-insensitive UTF-8 patterns with bounded
 * matching, so that no pattern can hang the plugin. */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

/* Bounds on backtracking: a catastrophic pattern fails fast, not forever. */
#define RX_MATCH_LIMIT	1000000
#define RX_DEPTH_LIMIT	10000

struct rx {
	pcre2_code		*code;
	pcre2_match_context	*mctx;
	char			*pattern;
};

struct rx *
rx_compile(const char *pattern, char *err, size_t errlen)
{
	struct rx *rx;
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off;
	int code;

	rx = xcalloc(1, sizeof(*rx));
	rx->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	    PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP, &code, &off, NULL);
	if (rx->code == NULL) {
		pcre2_get_error_message(code, msg, sizeof(msg));
		snprintf(err, errlen, "invalid regular expression '%s' at offset %zu: %s",
		    pattern, (size_t)off, (char *)msg);
		free(rx);
		return NULL;
	}
	/* JIT when the platform has it; the limits below still apply. */
	(void)pcre2_jit_compile(rx->code, PCRE2_JIT_COMPLETE);
	rx->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(rx->mctx, RX_MATCH_LIMIT);
	pcre2_set_depth_limit(rx->mctx, RX_DEPTH_LIMIT);
	rx->pattern = xstrdup(pattern);
	return rx;
}

int
rx_match(const struct rx *rx, const char *subject, char *err, size_t errlen)
{
	pcre2_match_data *md;
	PCRE2_UCHAR msg[256];
	int rc;

	md = pcre2_match_data_create_from_pattern(rx->code, NULL);
	/* Subjects are valid UTF-8 by construction; the check stays on. */
	rc = pcre2_match(rx->code, (PCRE2_SPTR)subject, strlen(subject), 0, 0, md,
	    rx->mctx);
	pcre2_match_data_free(md);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	pcre2_get_error_message(rc, msg, sizeof(msg));
	snprintf(err, errlen, "regular expression '%s' failed: %s", rx->pattern, (char *)msg);
	return -1;
}

void
rx_free(struct rx *rx)
{
	if (rx == NULL)
		return;
	pcre2_code_free(rx->code);
	pcre2_match_context_free(rx->mctx);
	free(rx->pattern);
	free(rx);
}
