/* Memory, strings, buffers and whole-file reads. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extern.h"

void
oom(void)
{
	static const char msg[] = "CERT_EXPIRY UNKNOWN - out of memory\n";

	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(3);
	_exit(3);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xreallocarray(void *old, size_t n, size_t sz)
{
	void *p;

	if (sz != 0 && n > SIZE_MAX / sz)
		oom();
	p = realloc(old, (n * sz) != 0 ? n * sz : 1);
	if (p == NULL)
		oom();
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	struct buf b = { 0 };
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return buf_release(&b);
}

void
explicit_clear(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n--)
		*v++ = 0;
}

static void
buf_grow(struct buf *b, size_t more)
{
	size_t need;

	if (more > SIZE_MAX - b->len - 1)
		oom();
	need = b->len + more + 1;
	if (need <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < need)
		b->cap = b->cap > SIZE_MAX / 2 ? need : b->cap * 2;
	b->data = xreallocarray(b->data, b->cap, 1);
}

char *
buf_room_grow(struct buf *b, size_t n)
{
	buf_grow(b, n);
	return b->data + b->len;
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_addstr(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	buf_grow(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *
buf_release(struct buf *b)
{
	char *p = b->data ? b->data : xstrdup("");

	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

int
open_regular(const char *path, size_t max, int *fdp, size_t *size, char *err,
    size_t errlen)
{
	return open_regular_at(AT_FDCWD, path, max, fdp, size, err, errlen);
}

/* How inputs are opened: never waiting on a FIFO, never a terminal. */
#define OPEN_FLAGS	(O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)

/* fd (open) as a regular file of at most max bytes: its size; 0 (and fd
 * closed) if it is not one. */
static int
fd_regular(int fd, size_t max, size_t *size, char *err, size_t errlen)
{
	struct stat st;

	if (fstat(fd, &st) == -1) {
		snprintf(err, errlen, "%s", strerror(errno));
		close(fd);
		return 0;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "not a regular file");
		close(fd);
		return 0;
	}
	if ((uintmax_t)st.st_size > max) {
		snprintf(err, errlen, "file too large (%jd bytes, limit %zu)",
		    (intmax_t)st.st_size, max);
		close(fd);
		return 0;
	}
	*size = (size_t)st.st_size;
	return 1;
}

int
open_regular_at(int dirfd, const char *path, size_t max, int *fdp, size_t *size,
    char *err, size_t errlen)
{
	int fd;

	if ((fd = openat(dirfd, path, OPEN_FLAGS)) == -1) {
		snprintf(err, errlen, "%s", strerror(errno));
		return 0;
	}
	if (!fd_regular(fd, max, size, err, errlen))
		return 0;
	*fdp = fd;
	return 1;
}

/* The smallest read buffer (a certificate file fits in it in one read). */
#define READ_BUF_MIN	16384

/* *p grown to want bytes (READ_BUF_MIN at least); 0 if out of memory. */
static int
read_buf_grow(unsigned char **p, size_t *cap, size_t want, char *err, size_t errlen)
{
	unsigned char *q;

	if (want < READ_BUF_MIN)
		want = READ_BUF_MIN;
	if ((q = realloc(*p, want)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return 0;
	}
	*p = q;
	*cap = want;
	return 1;
}

int
read_listed_at(int dirfd, const char *path, size_t max, unsigned char **p, size_t *cap,
    size_t *len, int *fdp, size_t *size, char *err, size_t errlen)
{
	ssize_t r;
	int fd;

	if ((fd = openat(dirfd, path, OPEN_FLAGS)) == -1) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	if (*cap < READ_BUF_MIN && !read_buf_grow(p, cap, READ_BUF_MIN, err, errlen)) {
		close(fd);
		return -1;
	}
	while ((r = read(fd, *p, *cap - 1)) == -1 && errno == EINTR)
		;
	if (r == -1) {
		snprintf(err, errlen, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	if ((size_t)r < *cap - 1) {	/* short: the end (room left for NUL) */
		(*p)[r] = '\0';
		*len = (size_t)r;
		close(fd);
		return 0;
	}
	/* as large as the buffer or more: what it is, and from its start */
	if (!fd_regular(fd, max, size, err, errlen))
		return -1;
	if (lseek(fd, 0, SEEK_SET) == -1) {
		snprintf(err, errlen, "%s", strerror(errno));
		close(fd);
		return -1;
	}
	*fdp = fd;
	return 1;
}

int
read_fd(int fd, size_t size, size_t max, unsigned char **p, size_t *cap, size_t *len,
    char *err, size_t errlen)
{
	size_t n = 0;
	ssize_t r;

	for (;;) {
		if ((n == *cap || *cap < size + 1) &&
		    !read_buf_grow(p, cap, *cap < size + 1 ? size + 1 : *cap * 2, err, errlen))
			return 0;
		r = read(fd, *p + n, *cap - n);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "%s", strerror(errno));
			return 0;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		/* a regular file reads short only at its end: the whole file
		 * in one read needs no second one to see the end */
		if (n == size && n < *cap)
			break;
		if (n > max) {
			snprintf(err, errlen, "file too large (limit %zu bytes)", max);
			return 0;
		}
	}
	(*p)[n] = '\0';	/* n < *cap: the buffer grows before it is full */
	*len = n;
	return 1;
}

int
read_file(const char *path, size_t max, unsigned char **data, size_t *len,
    char *err, size_t errlen)
{
	unsigned char *p = NULL;
	size_t cap = 0, size = 0;
	int fd = STDIN_FILENO, rc;

	if (strcmp(path, "-") != 0 && !open_regular(path, max, &fd, &size, err, errlen))
		return 0;
	rc = read_fd(fd, size, max, &p, &cap, len, err, errlen);
	if (fd != STDIN_FILENO)
		close(fd);
	if (!rc) {
		free(p);
		return 0;
	}
	*data = p;
	return 1;
}
