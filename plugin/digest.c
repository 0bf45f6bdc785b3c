/* Placeholder until mail is written. */
#include "extern.h"
#include <string.h>

int
mail_test(const struct config *cfg, char *err, size_t errlen)
{
	(void)cfg;
	snprintf(err, errlen, "mail is not implemented yet");
	return 0;
}

void
mail_digest(const struct config *cfg, struct report *r)
{
	(void)cfg;
	r->mail_error = xstrdup("mail is not implemented yet");
}
