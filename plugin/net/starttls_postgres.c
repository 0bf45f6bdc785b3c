/* PostgreSQL SSLRequest: eight bytes (length 8, code 80877103), one byte
 * back: 'S' for TLS, 'N' for none. */
#include "config.h"

#include "net/net.h"

int
starttls_postgres(int fd, const char *host, char *err, size_t errlen)
{
	static const unsigned char req[8] = { 0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f };
	unsigned char c;

	(void)host;
	if (!sock_send(fd, req, sizeof(req), err, errlen) ||
	    !sock_recv_all(fd, &c, 1, err, errlen))
		return 0;
	if (c == 'S')
		return 1;
	if (c == 'N')
		snprintf(err, errlen, "starttls: the server does not accept SSL (SSLRequest "
		    "answered 'N')");
	else
		snprintf(err, errlen, "starttls: the server does not answer the SSLRequest as "
		    "PostgreSQL does");
	return 0;
}
