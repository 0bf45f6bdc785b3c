/* The insides of a sink, shared by the sources: sink.c (the sink), input.c
 * (one input), pool.c (the queue of files), walk.c (the paths) and pieces.c
 * (a large input read in pieces by several threads). Readers see
 * only the API in extern.h. */
#ifndef SINK_H
#define SINK_H

enum ev_type { EV_CERT, EV_ERROR, EV_SKIP, EV_NOTE };

struct event {
	enum ev_type	 type;
	long		 record;
	const char	*format;	/* a note: its unit ("line"), or NULL */
	char		*text;		/* a message (allocated), or the alias of
					 * a certificate (in the sink's arena) */
	struct certinfo	 ci;		/* its strings in the sink's arena */
	unsigned char	 id[CERT_ID_LEN];	/* cert_identity() of ci */
};

/*
 * A sink gathers what a reader reports as events, in order: the records
 * (their strings copied into the sink's arena), the messages. Buffered
 * (rep NULL: a file or a part read by another thread) until it is merged
 * into the report in a fixed order; into rep, a batch at a time. The
 * arena is reset whenever its records have been handed to the collector.
 */
struct sink {
	const struct config	*cfg;
	const char		*path;
	struct report		*rep;	/* non-NULL: into the report */
	struct event		*ev;
	size_t			 nev, evcap;
	struct arena		 arena;
	struct buf		 scratch;	/* for the identities */
	struct part		*part;	/* reading a part of an input (pieces.c) */
	size_t			 count;
	int			 skipped;
	int			 errors;
	long			 notes;	/* also those -vv is needed to show */
	/* a mapped input: pages before released are given back */
	const unsigned char	*map;
	size_t			 maplen, released;
	int			 cursor_known;	/* the reader calls sink_consumed */
	size_t			 unreleased;	/* certificates since the last release */
};

/* sink.c: replays a buffered sink into the report, in the order it was
 * filled, and empties it. */
void	 sink_merge(struct sink *, struct report *);
/* sink.c: moves what child holds into parent (the report, or parent's own
 * buffer), with its counts; base is added to every record number. */
void	 sink_absorb(struct sink *parent, struct sink *child, long base);
/* sink.c: throws away what a buffered sink holds. */
void	 sink_discard(struct sink *);

/* sink.c, for the sources (input.c, pool.c, walk.c) */
/* Records a message event (or adds it to the report straight away). */
void	 sink_message(struct sink *, enum ev_type, long record, char *msg);
/* Frees the sink's events and arena (emptied already). */
void	 sink_buffers_free(struct sink *);
/* The pages of a mapped input before upto are given back (the hook of
 * sink_consumed()). */
void	 sink_map_consumed(struct sink *, const unsigned char *upto);

/* input.c: one input */
/* Largest single input read into memory. */
#define INPUT_MAX_BYTES	(1024UL * 1024 * 1024)
/* Files at least this large are mapped and read by the calling thread. */
#define MAP_MIN_BYTES	(4UL * 1024 * 1024)
/* A file buffer, reused from file to file. */
struct rbuf {
	unsigned char	*p;
	size_t		 cap;
};
/* Reads one input into s (the first reader that recognises it); a sink
 * that goes into the report is flushed. */
void	 input_read(struct sink *, const unsigned char *p, size_t len);
/* Reads one opened file of size bytes into s: mapped when large. */
void	 input_fd(struct sink *, int fd, size_t size, struct rbuf *);
/* A file that could not be opened: an error, or skipped when it cannot be
 * read and its name marks a private key (access.c). */
void	 input_open_failed(struct sink *, const char *path, const char *err);
/* Reads from a mapping end the run with a message on SIGBUS (a file that
 * shrank), and sink_consumed() gives mapped pages back. */
void	 input_catch_sigbus(void);

#endif
