/* FTP AUTH TLS (RFC 4217): the greeting, AUTH TLS, a 234, then TLS; no
 * login at all. */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include "net/net.h"

#define FTP_MAX	8192	/* a greeting banner and one reply */

/* Reads one whole reply ("220-...\r\n ... 220 ...\r\n"): its code, or 0. */
static int
reply(int fd, char *err, size_t errlen)
{
	char buf[FTP_MAX + 1], *line;
	size_t len = 0, n;

	for (;;) {
		buf[len] = '\0';
		/* the last line: three digits and a space */
		for (line = buf; *line; ) {
			char *eol = strstr(line, "\n");

			if (eol == NULL)
				break;
			if (isdigit((unsigned char)line[0]) && isdigit((unsigned char)line[1]) &&
			    isdigit((unsigned char)line[2]) && line[3] == ' ')
				return (line[0] - '0') * 100 + (line[1] - '0') * 10 + line[2] - '0';
			line = eol + 1;
		}
		if (len == FTP_MAX) {
			snprintf(err, errlen, "starttls: the server's FTP reply is too long");
			return 0;
		}
		if ((n = sock_recv(fd, buf + len, FTP_MAX - len, err, errlen)) == 0)
			return 0;
		len += n;
	}
}

int
starttls_ftp(int fd, const char *host, char *err, size_t errlen)
{
	int code;

	(void)host;
	if ((code = reply(fd, err, errlen)) == 0)
		return 0;
	if (code != 220) {
		snprintf(err, errlen, "starttls: FTP greeting %d, not 220", code);
		return 0;
	}
	if (!sock_send(fd, "AUTH TLS\r\n", 10, err, errlen) ||
	    (code = reply(fd, err, errlen)) == 0)
		return 0;
	if (code != 234) {
		snprintf(err, errlen, "starttls: AUTH TLS refused (FTP reply %d)", code);
		return 0;
	}
	return 1;
}
