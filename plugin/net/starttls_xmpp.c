/* XMPP STARTTLS (RFC 6120 5.4): a client stream to the URL's host as the
 * domain, <starttls/> among the stream features, <proceed/>, then TLS. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "net/net.h"

#define XMPP_MAX	16384	/* stream header and features */

/* Reads until one of the marks is in buf; the index of the first found,
 * or -1 (err set). */
static int
wait_for(int fd, char *buf, size_t *len, const char *const *marks, char *err,
    size_t errlen)
{
	size_t n;
	int k;

	for (;;) {
		buf[*len] = '\0';
		for (k = 0; marks[k]; k++)
			if (strstr(buf, marks[k]))
				return k;
		if (*len == XMPP_MAX) {
			snprintf(err, errlen, "starttls: the XMPP stream features are too long");
			return -1;
		}
		if ((n = sock_recv(fd, buf + *len, XMPP_MAX - *len, err, errlen)) == 0)
			return -1;
		*len += n;
	}
}

int
starttls_xmpp(int fd, const char *host, char *err, size_t errlen)
{
	static const char *const features[] = { "<starttls", "features>", "features/>",
		"</stream:stream>", NULL };
	static const char *const answer[] = { "<proceed", "<failure", NULL };
	static const char tls[] = "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";
	char *open, *buf;
	size_t len = 0;
	int k, ok = 0;

	if (strpbrk(host, "<>&'\"") != NULL) {
		snprintf(err, errlen, "starttls: the host is no XMPP domain");
		return 0;
	}
	open = xasprintf("<?xml version='1.0'?><stream:stream to='%s' "
	    "xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' "
	    "version='1.0'>", host);
	buf = xmalloc(XMPP_MAX + 1);
	if (!sock_send(fd, open, strlen(open), err, errlen) ||
	    (k = wait_for(fd, buf, &len, features, err, errlen)) < 0)
		goto out;
	if (k == 3) {
		snprintf(err, errlen, "starttls: the XMPP server closed the stream (is %s "
		    "its domain?)", host);
		goto out;
	}
	if (k != 0) {
		snprintf(err, errlen, "starttls: the XMPP server does not offer STARTTLS");
		goto out;
	}
	len = 0;
	if (!sock_send(fd, tls, sizeof(tls) - 1, err, errlen) ||
	    (k = wait_for(fd, buf, &len, answer, err, errlen)) < 0)
		goto out;
	if (k != 0)
		snprintf(err, errlen, "starttls: the XMPP server refused STARTTLS (<failure/>)");
	else
		ok = 1;
out:
	free(open);
	free(buf);
	return ok;
}
