/* One input: handed to the first reader that recognises it (readers.c),
 * read whole or, when large and the reader can cut it, in pieces
 * (pieces.c); an opened file is read into memory or mapped. */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "extern.h"
#include "par.h"

static void scan_sink_1(struct sink *, const unsigned char *, size_t);

void
input_read(struct sink *s, const unsigned char *p, size_t len)
{
	scan_sink_1(s, p, len);
	if (s->rep != NULL && s->nev > 0)
		sink_merge(s, s->rep);
	if (s->rep != NULL)
		sink_buffers_free(s);
}

static void
scan_sink_1(struct sink *s, const unsigned char *p, size_t len)
{
	size_t i;

	if (len == 0) {
		sink_skip(s, "empty file");
		return;
	}
	for (i = 0; readers[i] != NULL; i++) {
		if (readers[i]->probe(p, len)) {
			sink_note(s, "%s: read as %s", s->path, readers[i]->name);
			if (pieces_wanted(readers[i], len, s->map != NULL))
				pieces_read(s, readers[i], p, len);
			else
				readers[i]->read(s, p, len);
			if (s->count == 0 && s->errors == 0 && s->skipped == 0)
				sink_skip(s, "no certificate in %s input", readers[i]->name);
			return;
		}
	}
	sink_unrecognised(s, p, len, "content not recognised");
}

void
scan_buffer(const struct config *cfg, struct report *rep, const char *path,
    const unsigned char *p, size_t len)
{
	struct sink s;

	memset(&s, 0, sizeof(s));
	s.cfg = cfg;
	s.path = path;
	s.rep = rep;
	input_read(&s, p, len);
}

/* ------------------------------------------------------------ file input */

/* The path being read from a mapping, for the SIGBUS message. */
static const char *volatile mapped_path;

static void
on_sigbus(int sig)
{
	static const char a[] = "CERT_EXPIRY UNKNOWN - a file shrank while it was read: ";
	static const char b[] = " (run again)\n";
	const char *p = mapped_path;

	(void)sig;
	if (write(STDOUT_FILENO, a, sizeof(a) - 1) < 0 ||
	    (p != NULL && write(STDOUT_FILENO, p, strlen(p)) < 0) ||
	    write(STDOUT_FILENO, b, sizeof(b) - 1) < 0)
		_exit(STATE_UNKNOWN);
	_exit(STATE_UNKNOWN);
}

void
input_catch_sigbus(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigbus;
	sigaction(SIGBUS, &sa, NULL);
	sink_consumed_hook = sink_map_consumed;
}

void
input_fd(struct sink *s, int fd, size_t size, struct rbuf *rb)
{
	char err[256];
	size_t len;
	void *map;

	if (size >= MAP_MIN_BYTES &&
	    (map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0)) != MAP_FAILED) {
		(void)madvise(map, size, MADV_SEQUENTIAL);
		s->map = map;
		s->maplen = size;
		mapped_path = s->path;
		input_read(s, map, size);
		mapped_path = NULL;
		munmap(map, size);
		s->map = NULL;
		return;
	}
	if (!read_fd(fd, size, INPUT_MAX_BYTES, &rb->p, &rb->cap, &len, err, sizeof(err))) {
		sink_message(s, EV_ERROR, 0, xstrdup(err));
		s->errors++;
		return;
	}
	input_read(s, rb->p, len);
}


/* A file that could not be opened: an error, or skipped when it cannot be
 * read and its name marks a private key (access.c). */
void
input_open_failed(struct sink *s, const char *path, const char *err)
{
	const char *why;

	if (!access_denied(err)) {
		sink_message(s, EV_ERROR, 0, xstrdup(err));
		s->errors++;
	} else if ((why = access_key_reason(path, 0)) != NULL) {
		sink_message(s, EV_SKIP, 0, xstrdup(why));
		s->skipped++;
	} else {
		sink_message(s, EV_ERROR, 0, access_error(path, err, 0));
		s->errors++;
	}
}
