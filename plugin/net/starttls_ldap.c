/* LDAP StartTLS (RFC 4511 4.14): the extended request
 * 1.3.6.1.4.1.1466.20037 and its response's resultCode, then TLS. */
#include "config.h"

#include <string.h>

#include "net/net.h"

#define LDAP_MAX	4096	/* a StartTLS response is a few dozen bytes */

/* One BER length at p[*i..n): the value, or -1. */
static long
ber_len(const unsigned char *p, size_t n, size_t *i)
{
	size_t k, c;
	long v = 0;

	if (*i >= n)
		return -1;
	if (p[*i] < 0x80)
		return p[(*i)++];
	c = p[(*i)++] & 0x7f;
	if (c == 0 || c > 2 || *i + c > n)
		return -1;
	for (k = 0; k < c; k++)
		v = v << 8 | p[(*i)++];
	return v;
}

/* The resultCode of an ExtendedResponse in p[0..n), or -1. */
static long
result_code(const unsigned char *p, size_t n)
{
	size_t i = 0;
	long l;

	if (n < 2 || p[i++] != 0x30 || ber_len(p, n, &i) < 0)
		return -1;
	if (i >= n || p[i++] != 0x02 || (l = ber_len(p, n, &i)) < 0 || i + (size_t)l > n)
		return -1;
	i += (size_t)l;		/* messageID */
	if (i >= n || p[i++] != 0x78 || ber_len(p, n, &i) < 0)
		return -1;
	if (i + 3 > n || p[i] != 0x0a || p[i + 1] != 1)
		return -1;
	return p[i + 2];
}

int
starttls_ldap(int fd, const char *host, char *err, size_t errlen)
{
	static const char oid[] = "1.3.6.1.4.1.1466.20037";
	unsigned char req[64], rsp[LDAP_MAX];
	size_t n = 0, i, olen = sizeof(oid) - 1;
	long len, code;

	(void)host;
	req[n++] = 0x30;
	req[n++] = (unsigned char)(3 + 2 + 2 + olen);
	req[n++] = 0x02; req[n++] = 0x01; req[n++] = 0x01;	/* messageID 1 */
	req[n++] = 0x77; req[n++] = (unsigned char)(2 + olen);	/* ExtendedRequest */
	req[n++] = 0x80; req[n++] = (unsigned char)olen;	/* requestName */
	memcpy(req + n, oid, olen);
	n += olen;
	if (!sock_send(fd, req, n, err, errlen) || !sock_recv_all(fd, rsp, 2, err, errlen))
		return 0;
	i = 1;
	if (rsp[0] != 0x30) {
		snprintf(err, errlen, "starttls: the server does not answer in LDAP");
		return 0;
	}
	/* the length may be in the long form: read what it needs */
	if ((rsp[1] & 0x80) && !sock_recv_all(fd, rsp + 2, rsp[1] & 0x7f, err, errlen))
		return 0;
	if ((len = ber_len(rsp, 2 + ((rsp[1] & 0x80) ? (rsp[1] & 0x7f) : 0), &i)) < 0 ||
	    i + (size_t)len > sizeof(rsp)) {
		snprintf(err, errlen, "starttls: the server's LDAP answer is malformed");
		return 0;
	}
	if (!sock_recv_all(fd, rsp + i, (size_t)len, err, errlen))
		return 0;
	if ((code = result_code(rsp, i + (size_t)len)) < 0) {
		snprintf(err, errlen, "starttls: the server's LDAP answer is malformed");
		return 0;
	}
	if (code != 0) {
		snprintf(err, errlen, "starttls: StartTLS refused (LDAP result code %ld)", code);
		return 0;
	}
	return 1;
}
