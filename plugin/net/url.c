/* Endpoint URLs: the scheme table (default port, how TLS starts) and
 * SCHEME://HOST[:PORT][/PATH] with IPv6 literals in brackets. */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "net/net.h"

static const struct scheme schemes[] = {
	{ "https", 443, TLS_AT_ONCE, "http", NULL },
	{ "sips", 5061, TLS_AT_ONCE, "http", NULL },
	{ "tls", 0, TLS_AT_ONCE, "http", NULL },
	{ "smtps", 465, TLS_AT_ONCE, "http", NULL },
	{ "imaps", 993, TLS_AT_ONCE, "http", NULL },
	{ "pop3s", 995, TLS_AT_ONCE, "http", NULL },
	{ "ftps", 990, TLS_AT_ONCE, "http", NULL },
	{ "ldaps", 636, TLS_AT_ONCE, "http", NULL },
	{ "smtp", 25, TLS_CURL_STARTTLS, "smtp", NULL },
	{ "submission", 587, TLS_CURL_STARTTLS, "smtp", NULL },
	{ "imap", 143, TLS_CURL_STARTTLS, "imap", NULL },
	{ "pop3", 110, TLS_CURL_STARTTLS, "pop3", NULL },
	{ "ftp", 21, TLS_OWN_DIALOG, "http", starttls_ftp },
	{ "ldap", 389, TLS_OWN_DIALOG, "http", starttls_ldap },
	{ "postgres", 5432, TLS_OWN_DIALOG, "http", starttls_postgres },
	{ "postgresql", 5432, TLS_OWN_DIALOG, "http", starttls_postgres },
	{ "xmpp", 5222, TLS_OWN_DIALOG, "http", starttls_xmpp },
};

const struct scheme *
scheme_find(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (strlen(schemes[i].name) == len && strncasecmp(schemes[i].name, name, len) == 0)
			return &schemes[i];
	return NULL;
}

static int
parse_port(const char *p, size_t len, int *port)
{
	size_t i;
	long v = 0;

	if (len == 0 || len > 5)
		return 0;
	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)p[i]))
			return 0;
		v = v * 10 + (p[i] - '0');
	}
	if (v < 1 || v > 65535)
		return 0;
	*port = (int)v;
	return 1;
}

/* host (brackets stripped) and the rest after it (":PORT", "/...", "") */
static int
split_host(const char *a, char **host, const char **rest, int *v6)
{
	const char *e;

	if (*a == '[') {
		if ((e = strchr(a, ']')) == NULL)
			return 0;
		*host = xstrndup(a + 1, (size_t)(e - a - 1));
		*rest = e + 1;
		*v6 = 1;
		return 1;
	}
	e = a + strcspn(a, ":/?#");
	*host = xstrndup(a, (size_t)(e - a));
	*rest = e;
	*v6 = 0;
	return 1;
}

static int
is_ip_literal(const char *host)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1;
}

/* A host as the URL may hold it: a DNS name (letters, digits, '-', '.',
 * '_'; an IDN in its xn-- form, the form SNI sends and certificates name)
 * or, in brackets, an IPv6 literal. Nothing else reaches the resolver, a
 * message or a perfdata label. */
static int
host_chars_ok(const char *host, int v6)
{
	const unsigned char *p;

	for (p = (const unsigned char *)host; *p; p++)
		if (v6 ? !(isxdigit(*p) || *p == ':' || *p == '.') :
		    !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_'))
			return 0;
	return 1;
}

static int
bad(char *err, size_t errlen, const char *url, const char *why)
{
	snprintf(err, errlen, "invalid endpoint '%s': %s", url, why);
	return 0;
}

int
endpoint_parse(const char *url, struct endpoint *e, char *err, size_t errlen)
{
	const char *sep = strstr(url, "://"), *rest, *pe;
	char *host;
	int v6, port;

	if (sep == NULL)
		return bad(err, errlen, url, "not SCHEME://HOST[:PORT]");
	if ((e->scheme = scheme_find(url, (size_t)(sep - url))) == NULL)
		return bad(err, errlen, url, "unknown scheme (https, sips, tls, smtps, imaps, "
		    "pop3s, ftps, ldaps, smtp, submission, imap, pop3, ftp, ldap, postgres, "
		    "xmpp)");
	if (strchr(sep + 3, '@') != NULL)
		return bad(err, errlen, url, "no user name or password in an endpoint URL");
	if (!split_host(sep + 3, &host, &rest, &v6))
		return bad(err, errlen, url, "'[' without ']'");
	if (*host == '\0' || (v6 && strchr(host, ':') == NULL) ||
	    (!v6 && strchr(host, ' ') != NULL)) {
		free(host);
		return bad(err, errlen, url, "no host name");
	}
	if (!host_chars_ok(host, v6)) {
		free(host);
		return bad(err, errlen, url, v6 ? "an IPv6 literal holds only hex digits, "
		    "':' and '.'" : "a host name holds only letters, digits, '-', '.' and '_' "
		    "(an IDN in its xn-- form)");
	}
	port = e->scheme->port;
	if (*rest == ':') {
		pe = rest + 1 + strcspn(rest + 1, "/?#");
		if (!parse_port(rest + 1, (size_t)(pe - rest - 1), &port)) {
			free(host);
			return bad(err, errlen, url, "the port is not a number from 1 to 65535");
		}
		rest = pe;
	} else if (*rest != '\0' && *rest != '/') {
		free(host);
		return bad(err, errlen, url, "unexpected text after the host");
	}
	if (port == 0) {
		free(host);
		return bad(err, errlen, url, "this scheme needs a port (tls://HOST:PORT)");
	}
	e->host = host;
	e->port = port;
	e->ip_literal = is_ip_literal(host);
	e->path = xstrdup(*rest == '/' ? rest + 1 : "");
	e->hostport = strchr(host, ':') ? xasprintf("[%s]:%d", host, port) :
	    xasprintf("%s:%d", host, port);
	e->url = xasprintf("%s://%s", e->scheme->name, e->hostport);
	return 1;
}

/* One field of HOST:PORT:ADDR:PORT from *p to the next ':' outside
 * brackets; *p is moved past it and the ':'. */
static size_t
field(const char **p, int *last)
{
	const char *s = *p, *e = s;

	if (*e == '[')
		while (*e && *e != ']')
			e++;
	while (*e && *e != ':')
		e++;
	*last = *e == '\0';
	*p = *e ? e + 1 : e;
	return (size_t)(e - s);
}

int
connect_to_check(const char *spec, char *err, size_t errlen)
{
	const char *p = spec, *f[4];
	size_t len[4];
	int i, last = 0, port;

	for (i = 0; i < 4; i++) {
		if (last)
			break;
		f[i] = p;
		len[i] = field(&p, &last);
	}
	if (i != 4 || !last || (len[1] && !parse_port(f[1], len[1], &port)) ||
	    (len[3] && !parse_port(f[3], len[3], &port))) {
		snprintf(err, errlen, "invalid --connect-to '%s' (HOST:PORT:ADDR:PORT, "
		    "ports 1 to 65535)", spec);
		return 0;
	}
	return 1;
}
