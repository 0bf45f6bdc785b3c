/* A record as the collectors store it (cert_pack: one allocation with its
 * strings), and what every certinfo has (certinfo_copy into an arena,
 * certinfo_free, certinfo_name). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "collect.h"

/* Every stored record is one allocation: struct cert, then its strings. */
static size_t
slen(const char *s)
{
	return s != NULL ? strlen(s) + 1 : 0;
}

static char *
scopy(char **at, const char *s)
{
	size_t n;
	char *d;

	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	d = *at;
	memcpy(d, s, n);
	*at += n;
	return d;
}

struct cert *
cert_pack(const struct certinfo *ci, const char **last_issuer)
{
	struct cert *c;
	size_t n, i;
	char *at;
	int share;

	share = last_issuer != NULL && ci->issuer != NULL && *last_issuer != NULL &&
	    strcmp(ci->issuer, *last_issuer) == 0;
	n = sizeof(*c) + ci->ndns * sizeof(char *) + slen(ci->serial) + slen(ci->subject) +
	    (share ? 0 : slen(ci->issuer)) + slen(ci->cn) + slen(ci->template) +
	    slen(ci->request_id) + slen(ci->requester) + slen(ci->revoke_reason);
	for (i = 0; i < ci->ndns; i++)
		n += slen(ci->dns[i]);
	/* zeros past the last string: a JIT-compiled -f/-x pattern may load
	 * up to 32 bytes at a time from the name, which lies in this block */
	c = xcalloc(1, n + RX_SLACK);
	c->ci = *ci;
	at = (char *)(c + 1);
	if (ci->ndns > 0) {
		c->ci.dns = (char **)(void *)at;
		at += ci->ndns * sizeof(char *);
		for (i = 0; i < ci->ndns; i++)
			c->ci.dns[i] = scopy(&at, ci->dns[i]);
	} else
		c->ci.dns = NULL;
	c->ci.serial = scopy(&at, ci->serial);
	c->ci.subject = scopy(&at, ci->subject);
	c->ci.issuer = share ? (char *)*last_issuer : scopy(&at, ci->issuer);
	c->ci.cn = scopy(&at, ci->cn);
	c->ci.template = scopy(&at, ci->template);
	c->ci.request_id = scopy(&at, ci->request_id);
	c->ci.requester = scopy(&at, ci->requester);
	c->ci.revoke_reason = scopy(&at, ci->revoke_reason);
	if (last_issuer != NULL && c->ci.issuer != NULL)
		*last_issuer = c->ci.issuer;
	c->name = certinfo_name(&c->ci);
	return c;
}

void
cert_free(struct cert *c, int own_paths)
{
	size_t j;

	/* keep_nagios.c (own_paths) stores the first location only */
	for (j = 0; j < (own_paths && c->nlocs > 1 ? 1 : c->nlocs); j++) {
		if (own_paths)
			free(c->locs[j].path);
		free(c->locs[j].alias);
	}
	if (c->locs != &c->loc1)
		free(c->locs);
	free(c);
}

struct location *
location_new(struct cert *c)
{
	if (c->nlocs == 0)
		c->locs = &c->loc1;
	else if (c->locs == &c->loc1) {
		c->locs = xreallocarray(NULL, 2, sizeof(*c->locs));
		c->locs[0] = c->loc1;
	} else
		c->locs = xreallocarray(c->locs, c->nlocs + 1, sizeof(*c->locs));
	return &c->locs[c->nlocs++];
}

void
certinfo_copy(struct arena *a, struct certinfo *dst, const struct certinfo *src)
{
	char **str[8] = { &dst->serial, &dst->subject, &dst->issuer, &dst->cn,
	    &dst->template, &dst->request_id, &dst->requester, &dst->revoke_reason };
	size_t len[8], n, i;
	char *at;

	*dst = *src;	/* then each string moved to the copy */
	n = src->ndns * sizeof(char *);
	for (i = 0; i < src->ndns; i++)
		n += slen(src->dns[i]);
	for (i = 0; i < 8; i++)
		n += len[i] = slen(*str[i]);
	at = arena_alloc(a, n);
	if (src->ndns > 0) {
		dst->dns = (char **)(void *)at;
		at += src->ndns * sizeof(char *);
		for (i = 0; i < src->ndns; i++)
			dst->dns[i] = scopy(&at, src->dns[i]);
	}
	for (i = 0; i < 8; i++) {
		if (*str[i] == NULL)
			continue;
		memcpy(at, *str[i], len[i]);
		*str[i] = at;
		at += len[i];
	}
}

void
certinfo_free(struct certinfo *ci)
{
	size_t i;

	free(ci->serial);
	free(ci->subject);
	free(ci->issuer);
	free(ci->cn);
	for (i = 0; i < ci->ndns; i++)
		free(ci->dns[i]);
	free(ci->dns);
	free(ci->template);
	free(ci->request_id);
	free(ci->requester);
	free(ci->revoke_reason);
	memset(ci, 0, sizeof(*ci));
}

const char *
certinfo_name(const struct certinfo *ci)
{
	if (ci->cn != NULL && ci->cn[0] != '\0')
		return ci->cn;
	if (ci->ndns > 0)
		return ci->dns[0];
	if (ci->subject != NULL && ci->subject[0] != '\0')
		return ci->subject;
	return ci->serial ? ci->serial : "(unnamed)";
}
