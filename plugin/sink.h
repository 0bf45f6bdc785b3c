/* The insides of a sink, shared by scan.c (inputs, the queue of files) and
 * pieces.c (a large input read in pieces by several threads). Readers see
 * only the API in extern.h. */
#ifndef SINK_H
#define SINK_H

enum ev_type { EV_CERT, EV_ERROR, EV_SKIP, EV_NOTE, EV_ROWS };

/* A row given by sink_row, or a certificate by its dates (sink_der in lean
 * mode): what the report needs of it, and its bytes (p for a row; for a
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
	struct report		*rep;	/* non-NULL: into the report (in lean mode
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
	/* a piece of a CA export in lean mode (pieces.c): rows may be
	 * given by sink_row, read again in full by reader->row_full(ctx) */
	int			 quick;
	const struct reader	*reader;
	const void		*ctx;
	struct qrow		*rows;
	size_t			 nrows, rowcap;
	/* lean mode, selection by dates: a certificate is walked for its
	 * dates only and kept by identity, its DER copied to der, and walked
	 * in full only if the report keeps it for printing */
	int			 quick_der;
	struct buf		 der;
};

/* scan.c: replays a buffered sink into the report, in the order it was
 * filled, and empties it. */
void	 sink_merge(struct sink *, struct report *);
/* The same; borrowed: the certificates' certinfos stay in the sink, for
 * sink_discard() (then the thread that made them can free them). */
void	 sink_merge_as(struct sink *, struct report *, int borrowed);
/* scan.c: moves what child holds into parent (the report, or parent's own
 * buffer), with its counts; base is added to every record number. With
 * borrowed, a report leaves the certinfos in child (see sink_merge_as). */
void	 sink_absorb(struct sink *parent, struct sink *child, long base, int borrowed);
/* scan.c: throws away what a buffered sink holds. */
void	 sink_discard(struct sink *);
/* The same for spent, whose emptied arrays go to into (which has none), so
 * that the next piece read into a slot does not grow them again. */
void	 sink_recycle(struct sink *into, struct sink *spent);

/* pieces.c: 1 if r reads an input of len bytes (mapped or not) in pieces. */
int	 pieces_wanted(const struct reader *r, size_t len, int mapped);
/* pieces.c: reads p[0..len) in pieces with r into s, cfg->jobs threads
 * reading and this one merging in order; the pieces, so the report, are
 * the same for any number of threads. */
void	 pieces_read(struct sink *s, const struct reader *r, const unsigned char *p,
	    size_t len);

#endif
