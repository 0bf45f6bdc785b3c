/* A connected socket for the own STARTTLS dialogs: blocking, each send and
 * receive bounded by what is left of --connect-timeout. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "net/net.h"

static int
sock_err(char *err, size_t errlen, const char *what)
{
	if (errno == EAGAIN || errno == EWOULDBLOCK)
		snprintf(err, errlen, "timeout: no answer while %s", what);
	else
		snprintf(err, errlen, "starttls: %s: %s", what,
		    errno ? strerror(errno) : "connection closed");
	return 0;
}

int
sock_prepare(int fd, long ms, char *err, size_t errlen)
{
	struct timeval tv;
	int fl = fcntl(fd, F_GETFL);

	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0)
		return sock_err(err, errlen, "setting the socket up");
	return 1;
}

int
sock_send(int fd, const void *p, size_t len, char *err, size_t errlen)
{
	const char *c = p;
	ssize_t n;

	while (len > 0) {
		if ((n = send(fd, c, len, MSG_NOSIGNAL)) <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			return sock_err(err, errlen, "sending");
		}
		c += n;
		len -= (size_t)n;
	}
	return 1;
}

size_t
sock_recv(int fd, void *p, size_t cap, char *err, size_t errlen)
{
	ssize_t n;

	for (;;) {
		errno = 0;
		if ((n = recv(fd, p, cap, 0)) > 0)
			return (size_t)n;
		if (n < 0 && errno == EINTR)
			continue;
		sock_err(err, errlen, "waiting for the server");
		return 0;
	}
}

int
sock_recv_all(int fd, void *p, size_t need, char *err, size_t errlen)
{
	char *c = p;
	size_t n;

	while (need > 0) {
		if ((n = sock_recv(fd, c, need, err, errlen)) == 0)
			return 0;
		c += n;
		need -= n;
	}
	return 1;
}
