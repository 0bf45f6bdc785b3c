/* The insides of a sink, shared by the sources: sink.c (the sink), input.c
 * (one input), pool.c (the queue of files), walk.c (the paths) and pieces.c
 * (a large input read in pieces by several threads). Readers see
 * only the API in extern.h. */
#ifndef SINK_H
#define SINK_H

enum ev_type { EV_CERT, EV_ERROR, EV_SKIP, EV_NOTE, EV_ROWS };

/* A row given by sink_row, or a certificate by its dates (sink_der into
 * collect_nagios): what the report needs of it, and its bytes (p for a row; for a
 * certificate p is NULL and its DER is at off in the sink's der). */
struct qrow {
	const unsigned char	*p;
	size_t			 off, len;
	long			 record;
	int64_t			 not_after, not_before;
	int			 has_not_before;
	signed char		 kept;	/* -f and -x on its name (row_kept) */
	unsigned char		 id[16];
};

struct event {
	enum ev_type	 type;
	long		 record;
	const char	*format;
	char		*text;		/* message, or the alias of a certificate */
	struct certinfo	 ci;
	int		 has_id;	/* id holds cert_identity() of ci */
	unsigned char	 id[16];
	size_t		 row0, nrows;	/* EV_ROWS: rows[row0..row0 + nrows) */
};

struct sink {
	const struct config	*cfg;
	const char		*path;
	struct report		*rep;	/* non-NULL: into the report (with collect_nagios
					 * a few certificates at a time) */
	struct event		*ev;	/* otherwise: buffered */
	int			 ids;	/* buffered: identities worked out
					 * here (report_ids) */
	struct buf		 scratch;	/* for them */
	size_t			 nev, evcap;
	size_t			 count;
	int			 skipped;
	int			 errors;
	/* a mapped input: pages before released are given back */
	const unsigned char	*map;
	size_t			 maplen, released;
	int			 cursor_known;	/* the reader calls sink_consumed */
	size_t			 unreleased;	/* certificates since the last release */
	/* a piece of a CA export into collect_nagios (pieces.c): rows may be
	 * given by sink_row, read again in full by reader->row_full(ctx) */
	int			 quick;
	const struct reader	*reader;
	const void		*ctx;
	struct qrow		*rows;
	size_t			 nrows, rowcap;
	/* collect_nagios, selection by dates: a certificate is walked for its
	 * dates only and kept by identity, its DER copied to der, and walked
	 * in full only if the report keeps it for printing */
	int			 quick_der;
	struct buf		 der;
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
/* 1 if a sink into rep may take certificates by their dates (der_row):
 * collect_nagios, and a selection that reads the dates only. */
int	 sink_takes_dates(const struct config *, const struct report *);
/* Records a message event (or adds it to the report straight away). */
void	 sink_message(struct sink *, enum ev_type, long record, char *msg);
/* Frees the sink's buffers of events, rows and DER (emptied already). */
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
