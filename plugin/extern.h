/*
 * check_cert_expiry: every type and function shared between files.
 *
 * Conventions (see README "Hacking"):
 *  - functions that can fail return 1 on success and 0 on failure, and write
 *    their outputs only on success;
 *  - diagnostics name their input: "path:record: what is wrong";
 *  - the time "now" is read once in main.c and passed down;
 *  - OpenSSL is used only from ossl.c and ossl_p12.c (and, for endpoints,
 *    net/tls.c), PCRE2 only from regex.c, libcurl only from smtp.c (and,
 *    for endpoints, net/fetch.c), xxHash only from xxh.c.
 */
#ifndef CCE_EXTERN_H
#define CCE_EXTERN_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ------------------------------------------------------------------ states */
/* Plugin states, in exit-code order. Severity order is a separate thing. */
enum state { STATE_OK = 0, STATE_WARNING = 1, STATE_CRITICAL = 2, STATE_UNKNOWN = 3 };
/* The one state order of this project: CRITICAL > UNKNOWN > WARNING > OK. */
int		 state_worse(int a, int b);	/* returns the worse of two */
const char	*state_name(int s);

/* ------------------------------------------------------------------- util.c */
/* "out of memory" as the status line, and exit 3 */
void		 oom(void) __attribute__((noreturn));
void		*xmalloc(size_t);
void		*xcalloc(size_t, size_t);
void		*xreallocarray(void *, size_t, size_t);
char		*xstrdup(const char *);
char		*xstrndup(const char *, size_t);
char		*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));
void		 explicit_clear(void *, size_t);	/* wipe secrets */

struct buf {
	char	*data;		/* always NUL-terminated when non-NULL */
	size_t	 len;
	size_t	 cap;
};
void	 buf_add(struct buf *, const void *, size_t);
/* Room for n more bytes and a NUL at the end of the data: write there,
 * then add to len. Inline when the room is there (rows call it a few
 * times each); buf_room_grow makes it. */
char	*buf_room_grow(struct buf *, size_t n);
static inline char *
buf_room(struct buf *b, size_t n)
{
	return n < b->cap - b->len ? b->data + b->len : buf_room_grow(b, n);
}
void	 buf_addstr(struct buf *, const char *);
void	 buf_addc(struct buf *, char);
void	 buf_printf(struct buf *, const char *, ...) __attribute__((format(printf, 2, 3)));
void	 buf_vprintf(struct buf *, const char *, va_list);
char	*buf_release(struct buf *);	/* hands over data, resets buf ("" if empty) */
void	 buf_free(struct buf *);

/* arena.c: blocks that live until arena_reset (which keeps the largest
 * block for what comes next) or arena_free; every block ends in RX_SLACK
 * zero bytes. Zero-initialise the struct. */
struct arena_block;
struct arena {
	struct arena_block	*block;
};
void	*arena_alloc(struct arena *, size_t);
char	*arena_strndup(struct arena *, const char *, size_t);
char	*arena_strdup(struct arena *, const char *);	/* NULL for NULL */
void	 arena_reset(struct arena *);
void	 arena_free(struct arena *);
/* What from holds becomes a's (to be freed with it); from is left empty. */
void	 arena_take(struct arena *a, struct arena *from);

/* Reads a whole file (or stdin for "-") up to max bytes, NUL-terminated;
 * on failure writes a message (strerror, "not a regular file", "file too
 * large ...") to err. */
int	 read_file(const char *path, size_t max, unsigned char **data, size_t *len,
	    char *err, size_t errlen);
/* Its two steps. open_regular: opens a regular file of at most max bytes
 * (fd and size). read_fd: reads fd to the end into *p (*cap bytes, grown
 * as needed, reused between calls), NUL-terminated; size: what fstat said
 * (0 for a pipe). */
int	 open_regular(const char *path, size_t max, int *fd, size_t *size, char *err,
	    size_t errlen);
/* The same for path relative to the directory dirfd (openat). */
int	 open_regular_at(int dirfd, const char *path, size_t max, int *fd, size_t *size,
	    char *err, size_t errlen);
int	 read_fd(int fd, size_t size, size_t max, unsigned char **p, size_t *cap,
	    size_t *len, char *err, size_t errlen);
/* A file a directory listing gives as regular, opened relative to dirfd
 * and read into *p (as read_fd) in one read when it is shorter than the
 * buffer (a regular file reads short only at its end): 0, *len set and the
 * file closed, without an fstat. When it fills the buffer: 1, as
 * open_regular_at (its fstat says what and how large it is), read from its
 * start again. -1 on failure, err set. */
int	 read_listed_at(int dirfd, const char *path, size_t max, unsigned char **p,
	    size_t *cap, size_t *len, int *fd, size_t *size, char *err, size_t errlen);

/* ----------------------------------------------------------------- atomic.c */
/* A file replaced atomically: atomic_begin() creates the temporary file
 * next to path (so a directory that cannot be written is found out at
 * once) with the given mode (-1: the mode of the existing file, else 0600);
 * write through fp; atomic_commit() flushes, fsyncs and renames it over
 * path; atomic_abort() removes it. Both end the transaction. err says
 * what failed ("cannot create temporary file: Permission denied"); the
 * caller names the file. */
struct atomic_file {
	char	*path;
	char	*tmp;
	FILE	*fp;
};
int	 atomic_begin(const char *path, int mode, struct atomic_file *, char *err,
	    size_t errlen);
int	 atomic_commit(struct atomic_file *, char *err, size_t errlen);
void	 atomic_abort(struct atomic_file *);

/* ------------------------------------------------------------------- utf8.c */
/* 1 if s[0..len) is valid UTF-8 (no overlongs, no surrogates). */
int	 utf8_valid(const unsigned char *s, size_t len);
/* Appends code point cp as UTF-8; returns 0 for an invalid code point. */
int	 utf8_put(struct buf *, uint32_t cp);
/* Code point cp as UTF-8 at o (room for 4 bytes); returns the end, or NULL
 * for a surrogate or a value past U+10FFFF. */
char	*utf8_encode(char *o, uint32_t cp);
/* Copy of s with invalid UTF-8 sequences replaced by U+FFFD. */
char	*utf8_repair(const unsigned char *s, size_t len);

/* ------------------------------------------------------------------- time.c */
/* Proleptic Gregorian calendar helpers, all UTC, 64-bit seconds. */
int	 days_from_civil(int64_t y, int m, int d, int64_t *days);
int64_t	 timegm64(int y, int mo, int d, int h, int mi, int s);
void	 gmtime64(int64_t t, int *y, int *mo, int *d, int *h, int *mi, int *s);
/* "2026-11-24T00:00:00Z" into out (>= 21 bytes). */
void	 fmt_iso8601(int64_t t, char *out, size_t outlen);
/* "2026-11-24 00:00 UTC" into out. */
void	 fmt_utc_minute(int64_t t, char *out, size_t outlen);
/* "2026-11-24" into out. */
void	 fmt_utc_day(int64_t t, char *out, size_t outlen);
/* Parses --now: YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ, @EPOCH. */
int	 parse_now(const char *s, int64_t *t);
/* Local calendar day (in TZ) of t, as days since 1970-01-01. */
int	 local_day(int64_t t, int64_t *day);
/* Converts a local (TZ) wall-clock time to UTC seconds. */
int	 local_to_utc(int y, int mo, int d, int h, int mi, int s, int64_t *t);

/* The special value 99991231235959Z: "no well-defined expiration". */
#define NO_EXPIRY_TIME	INT64_C(253402300799)

/* ---------------------------------------------------------------- asn1time.c */
/* RFC 5280 UTCTime (tag 0x17) / GeneralizedTime (tag 0x18) contents. */
int	 asn1_time_parse(int tag, const unsigned char *s, size_t len, int64_t *t);

/* ----------------------------------------------------------------- certinfo */
/* What one certificate (or one CA-export row) tells us: a record. All
 * strings are valid UTF-8 (they may hold control characters: outputs
 * sanitise). A record a reader hands over has its strings in the sink's
 * arena (sink_certinfo); a collector is lent each record and copies what
 * it keeps. */
struct certinfo {
	char		*serial;	/* upper-case hex, no separators; NULL if unknown */
	char		*subject;	/* DN, RFC 4514 order ("CN=x,O=y"); NULL if unknown */
	char		*issuer;	/* DN, same form; NULL if unknown */
	char		*cn;		/* last subject CN in DER order (the most
					 * specific); NULL if none */
	char		**dns;		/* subjectAltName dNSName values */
	size_t		 ndns;
	int64_t		 not_before;
	int		 has_not_before;
	int64_t		 not_after;	/* always set */
	unsigned char	 sha256[32];	/* of the DER: its identity (every sink_der) */
	int		 has_sha256;
	/* CA-export extras (NULL when absent) */
	char		*template;
	char		*request_id;
	char		*requester;
	int		 revoked;	/* revoked/denied/... row kept by --include-revoked */
	/* a CA-export row with neither certificate, serial nor Request ID:
	 * a certificate of its own, never the same as another */
	int		 unique;
	char		*revoke_reason;	/* e.g. "keyCompromise", "Revoked", "Denied" */
};
/* Frees the members of a certinfo whose strings were allocated one by one
 * (the DER walk's, OpenSSL's), not the struct. */
void	 certinfo_free(struct certinfo *);
/* A copy of src in dst whose strings live in a (one block). */
void	 certinfo_copy(struct arena *a, struct certinfo *dst, const struct certinfo *src);
/* Name used for display and -f/-x: cn, else the first DNS name, else the
 * subject, else the serial. */
const char *certinfo_name(const struct certinfo *);

/* --------------------------------------------------------------------- dn.c */
struct dn_attr {
	const char	*oid;	/* dotted OID text, e.g. "2.5.4.3" */
	const char	*value;	/* UTF-8 */
	int		 hex;	/* value is RFC 4514 "#" + hex of the BER
				 * (a value of no string type): not escaped */
};
/* Formats attributes given in DER order as an RFC 4514 string (reversed,
 * ',' between RDNs; multi-valued RDNs joined by '+' when set[i] equals the
 * previous one). Known OIDs get their short name (CN, O, OU, C, ...). */
char	*dn_format(const struct dn_attr *, const int *set, size_t n);
/* An attribute value with RFC 4514 section 2.4 escaping (NUL as \00): its
 * length, and the value written at o (room for that length; returns the
 * end, not NUL-terminated). */
size_t	 dn_escaped_len(const char *v, size_t n);
char	*dn_escape_to(char *o, const char *v, size_t n);
/* Short name for a dotted OID, NULL if unknown. */
const char *dn_oid_name(const char *oid);
/* Converts an OpenSSL one-line DN "/C=DE/O=Corp/CN=x" (with \/ \+ \xHH
 * escapes already decoded or not) to RFC 4514 form; NULL on syntax error. */
char	*dn_from_oneline(const char *s);
/* Short name for an OID given as its DER contents bytes (len >= 1), NULL if
 * unknown. */
const char *dn_oid_name_der(const unsigned char *p, size_t len);
/* dn_format, but each attribute's oid already holds the name to print
 * (short name or dotted OID). One allocation. */
char	*dn_format_named(const struct dn_attr *, const int *set, size_t n);

/* --------------------------------------------------------------------- der.c */
/* The bounded DER walk: fills ci (serial, issuer, subject, cn, dns,
 * validity) from one X.509 Certificate that must span exactly len bytes.
 * On failure writes why to err and leaves ci untouched. Never allocates on
 * failure paths that leak. */
int	 der_cert_walk(const unsigned char *der, size_t len, struct certinfo *ci,
	    char *err, size_t errlen);
/* For a certificate that both the walk and OpenSSL refuse: reads it if
 * its validity can be read, names that do not decode falling back (U+FFFD
 * for bytes that are not UTF-8, a long-form tag of a string type read as
 * that type, other values as RFC 4514 "#" + hex, which names nothing) and
 * parts that do not read left out (a name, the subjectAltName); note says
 * what fell back. On failure writes why to err, ci untouched. */
int	 der_cert_salvage(const unsigned char *der, size_t len, struct certinfo *ci,
	    char *note, size_t notelen, char *err, size_t errlen);
/* Length of the first DER element (header + contents) at p, 0 if malformed
 * or longer than len. */
size_t	 der_element_len(const unsigned char *p, size_t len);

/* --------------------------------------------------------------------- xxh.c */
/* The one home of xxHash: a row key's 128-bit XXH3 under the run's seed
 * (xxh_init, once before threads start). */
void	 xxh_init(void);
void	 xxh128(const void *p, size_t len, unsigned char out[16]);

/* -------------------------------------------------------------------- ossl.c */
/* The one home of OpenSSL. */
void	 ossl_init(void);
void	 ossl_sha256(const unsigned char *, size_t, unsigned char out[32]);
/* Full OpenSSL parse of one DER certificate into ci (same fields as the walk). */
int	 ossl_cert_parse(const unsigned char *der, size_t len, struct certinfo *ci,
	    char *err, size_t errlen);

/* ------------------------------------------------------------------ readers */
struct config;
struct sink;

/* Everything a reader needs to report what it found in one input. */
struct sink_cert_meta {
	const char	*format;	/* "pem", "der", "pkcs7", "pkcs12", "jks", ... */
	long		 record;	/* row / line number, 0 if none */
	const char	*alias;		/* friendly name or keystore alias, or NULL */
	/* CA-export fields (template, request_id, requester, revoked,
	 * revoke_reason) that sink_der puts into the certificate it parses;
	 * NULL when none. Lent, as the record of sink_certinfo. */
	const struct certinfo *extra;
};

/* A certificate's DER bytes: walked (OpenSSL as fallback), hashed and added.
 * Returns 1 if a certificate was added, 0 if it was reported as an error. */
int	 sink_der(struct sink *, const unsigned char *der, size_t len,
	    const struct sink_cert_meta *);
/* A record without DER (a CA-export row), its strings in the sink's arena
 * (or constants): the record is the sink's, the strings stay where they
 * are until the sink has handed the record on. */
void	 sink_certinfo(struct sink *, const struct certinfo *ci, const struct sink_cert_meta *);
/* Where a reader puts the strings of the records it hands to sink_certinfo
 * (nothing is allocated or freed per record). */
struct arena *sink_arena(struct sink *);
/* An error about this input; record 0 means the file as a whole. */
void	 sink_error(struct sink *, long record, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* The input holds no certificate at all (key, CSR, CRL, text): skipped. */
void	 sink_skip(struct sink *, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Input p[0..len) is nothing a reader knows (what says so): skipped, but an
 * error when the file's name says it holds a certificate (.crt, .pem, ...;
 * white space only is an empty file, skipped). */
void	 sink_unrecognised(struct sink *, const unsigned char *p, size_t len,
	    const char *what);
/* A diagnostic shown at -vv ("walker rejected ...; used OpenSSL"). */
void	 sink_note(struct sink *, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A note about one record, printed as "UNIT RECORD: text" (unit: a string
 * constant such as "line" or "row"). */
void	 sink_note_at(struct sink *, const char *unit, long record, const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));
const char *sink_path(const struct sink *);
const struct config *sink_config(const struct sink *);
/* Certificates added so far to this sink (readers use it for "no certificate
 * found" decisions). */
size_t	 sink_count(const struct sink *);
/* The reader is done with the input before upto (a pointer into the buffer
 * it was given): a large mapped input gives those pages back. Optional. */
void	 sink_consumed(struct sink *, const unsigned char *upto);
extern void (*sink_consumed_hook)(struct sink *, const unsigned char *);	/* sinkmap.c */

/*
 * A reader's buffer that is a part of a larger input (par/pieces.c reads
 * such an input in parts, at record starts that reader->next_record
 * gives): what the reader is told of it, and what it tells back. A reader
 * that reads its format in parts asks sink_part() for it; NULL: the buffer
 * is a whole input.
 */
struct part {
	const void	*header;	/* what reader->header made of the input */
	int		 more;		/* more of the input follows the buffer: a
					 * record that runs past its end is left
					 * alone (see done) */
	/* told back: the bytes read (less than the buffer only when its last
	 * record runs past its end, and more follows; nothing was said of
	 * that record), and the lines (or records) in them, which the next
	 * part numbers on from; the reader numbers its own from 1 */
	size_t		 done;
	long		 units;
};
struct part *sink_part(struct sink *);

/* One reader per input format (tmux-style command table). */
struct reader {
	const char	*name;
	/* 1 if the bytes look like this format (cheap: looks at a prefix). */
	int		(*probe)(const unsigned char *p, size_t len);
	/* Reads a buffer, a whole input or a part of one (sink_part), into
	 * the sink. */
	void		(*read)(struct sink *, const unsigned char *p, size_t len);
	/*
	 * Format facts for reading a large input in parts, NULL for a format
	 * read whole. next_record: the offset of the first record that starts
	 * at or after at, or len. header (optional: without it the records
	 * start at 0): reads what comes before the records and returns what
	 * the parts are read with (part->header), with *body the offset of
	 * the first record; NULL: the input is read whole instead (header
	 * reported nothing). header_free frees what header returned.
	 */
	size_t		(*next_record)(const unsigned char *p, size_t len, size_t at);
	void		*(*header)(struct sink *, const unsigned char *p, size_t len,
			    size_t *body);
	void		(*header_free)(void *);
};
extern const struct reader reader_jks;
extern const struct reader reader_pkcs12;
extern const struct reader reader_pkcs7;
extern const struct reader reader_der;
extern const struct reader reader_certutil_text;
extern const struct reader reader_certutil_csv;
extern const struct reader reader_index;
extern const struct reader reader_pem;
/* readers.c: the table, in probe order; NULL-terminated. */
extern const struct reader *const readers[];

/* pem.c: PEM blocks */
struct pem_block {
	const char		*label;		/* points into input, not NUL-terminated */
	size_t			 labellen;
	const unsigned char	*b64;		/* base64 body (with line breaks) */
	size_t			 b64len;
	long			 line;		/* BEGIN line; set only when pem_next returns -1 */
};
/* Line number (1-based) of a block's BEGIN line, computed on demand. */
long	 pem_line(const unsigned char *p, const struct pem_block *);
/* Finds the next "-----BEGIN X-----" ... "-----END X-----" block starting at
 * *off; advances *off past it. Returns 1 if found, 0 at end, -1 on a BEGIN
 * without its END (then *off is set to len). */
int	 pem_next(const unsigned char *p, size_t len, size_t *off, struct pem_block *);
int	 pem_label_is(const struct pem_block *, const char *);
/* base64.c: decodes, ignoring whitespace; 0 on invalid characters/padding. */
int	 base64_decode(const unsigned char *in, size_t inlen, unsigned char **out,
	    size_t *outlen);
/* The same into o, which has room for BASE64_OUTLEN(inlen) bytes. */
#define BASE64_OUTLEN(inlen)	((inlen) / 4 * 3 + 3)
int	 base64_decode_to(const unsigned char *in, size_t inlen, unsigned char *o,
	    size_t *outlen);
/* Reads the DER inside PKCS#7 SignedData (certs-only): calls sink_der for
 * each certificate. Used by the PKCS7 reader and PEM "PKCS7" blocks. */
void	 pkcs7_read_der(struct sink *, const unsigned char *p, size_t len, long record);

/* ------------------------------------------------------------------- regex.c */
struct rx;
/* Compiles a case-insensitive UTF-8 PCRE2 pattern; on error writes
 * "... at offset N" to err. */
struct rx *rx_compile(const char *pattern, char *err, size_t errlen);
/* 1 match, 0 no match, -1 error (match or depth limit: message in err). */
/* Bytes past a subject's NUL that a JIT-compiled pattern may load: a
 * subject stored in our own blocks has that many zeros after it. */
#define RX_SLACK	32
int	 rx_match(const struct rx *, const char *subject, char *err, size_t errlen);
void	 rx_free(struct rx *);

/* ------------------------------------------------------------------ range.c */
/* A Nagios range: alert when the value is outside [start, end] (or inside,
 * with '@'). */
struct range {
	double	 start, end;
	int	 start_inf;	/* "~:" */
	int	 end_inf;	/* "N:" */
	int	 inside;	/* "@" */
	char	 text[64];	/* as printed in perfdata ("30:") */
};
/* A plain number N becomes "N:" (alert when fewer than N days are left). */
int	 range_parse(const char *s, struct range *);
/* 1 = alert (inline: every CA-export row is evaluated) */
static inline int
range_alert(const struct range *r, double v)
{
	int in = (r->start_inf || v >= r->start) && (r->end_inf || v <= r->end);

	return r->inside ? in : !in;
}

/* ------------------------------------------------------------------ config */
enum output_format { OUTPUT_NAGIOS, OUTPUT_LIST, OUTPUT_JSON, OUTPUT_OPENMETRICS };

struct config {
	char		**paths;
	size_t		 npaths;
	enum output_format output;
	int		 verbose;
	struct range	 warning, critical;
	int64_t		 now;
	int		 has_days;
	long		 days;
	struct rx	*filter, *exclude;
	struct rx	*template_rx, *exclude_template_rx, *issuer_rx;
	int		 skip_renewed;
	int		 include_revoked;
	int		 has_forget_after;
	long		 forget_after;
	int		 no_follow;
	/* --exclude-path: globs matched against whole paths (access.c) */
	char		**exclude_paths;
	size_t		 nexclude_paths;
	/* --skip-vendor-roots, --vendor-roots (vendor.c) */
	int		 skip_vendor_roots;
	char		**vendor_roots;		/* NULL: the OS defaults */
	size_t		 nvendor_roots;
	int		 jobs;
	int		 timeout;
	char		*pkcs12_password;	/* NULL: none given; cleared at exit */
	/* mail */
	char		*smtp_server;
	char		*sender;
	char		**recipients;
	size_t		 nrecipients;
	char		*smtp_user;
	char		*smtp_password;		/* from file or environment */
	char		*smtp_cafile;
	int		 smtp_tls_require;
	int		 test_mail;
	char		*state_file;
	char		*metrics_file;		/* --metrics-file: OpenMetrics too */
	/* endpoints (plugin/net/): --connect and SCHEME:// sources */
	char		**connects;
	size_t		 nconnects;
	char		**connect_to;		/* --connect-to HOST:PORT:ADDR:PORT */
	size_t		 nconnect_to;
	int		 ip_version;		/* 0 any, 4 or 6 (-4, -6) */
	char		*proxy;			/* --proxy; NULL: none (never the environment) */
	int		 connect_timeout;	/* seconds per endpoint */
	int		 verify;		/* --verify: failures are CRITICAL */
	char		*cafile, *capath;	/* trust for endpoints; NULL: the system's */
};

/* ------------------------------------------------------------------ report */
struct location {
	char		*path;
	const char	*format;
	long		 record;
	char		*alias;
};

/* Per-certificate verdict. */
enum cert_state {
	CS_OK, CS_WARNING, CS_CRITICAL, CS_FORGOTTEN, CS_VENDOR
};

struct cert {
	struct certinfo	 ci;
	struct location	*locs;		/* &loc1 while there is one; collect_nagios
					 * stores only that one (counting the rest) */
	size_t		 nlocs;
	struct location	 loc1;
	const char	*name;		/* certinfo_name(&ci) */
	/* selection / evaluation (select_eval: select.c, eval.c) */
	int		 matched;	/* -f, -x, --template, --exclude-template, --issuer */
	int		 on_day;	/* -d (1 without it) */
	int		 selected;	/* matched, on the day, not renewed */
	const struct cert *renewed_by;	/* --skip-renewed */
	int		 vendor;	/* --skip-vendor-roots: the OS CA package ships it */
	double		 days_left;
	int		 expired;
	int		 not_yet_valid;
	int		 no_expiry;	/* 99991231235959Z */
	enum cert_state	 state;
	size_t		 seq;		/* first-seen order (the sort's last key) */
};

struct problem {			/* an error about a source */
	char	*path;
	long	 record;
	char	*message;
};

struct skipped {
	char	*path;
	char	*reason;
};

struct counts {
	size_t	 found;		/* unique certificates read */
	size_t	 certificates;	/* selected */
	size_t	 ok, warning, critical, expired, forgotten, not_yet_valid;
	size_t	 vendor;	/* --skip-vendor-roots */
	size_t	 errors, skipped;
};

struct report {
	struct cert	**certs;	/* unique, in first-seen order; sorted by eval */
	size_t		  ncerts;
	struct problem	 *problems;
	size_t		  nproblems;
	struct skipped	 *skips;
	size_t		  nskips;
	char		**notes;	/* -vv diagnostics */
	size_t		  nnotes;
	struct counts	  counts;
	int		  state;	/* overall plugin state */
	int		  timed_out;
	char		 *mail_error;	/* NULL when mail went fine or was not asked */
	char		 *mail_summary;	/* "mailed 3 certificates to 2 recipients" */
	/* The collector that gathers the records (collector_for(); NULL:
	 * collect_all), its private state, and the run's options for one that
	 * selects on arrival. With collect_nagios, certs holds only what the
	 * Nagios output can print (the first of each state in sort order);
	 * the counts are exact either way. */
	const struct collector *collector;
	void		 *index;
	const struct config *cfg;
	size_t		  nomitted;	/* selected CRITICAL/WARNING not kept */
	int		  has_min_days;	/* perfdata min_days (eval.c) */
	double		  min_days;
	/* --skip-vendor-roots: the identities of the OS CA package's
	 * certificates (vendor.c); NULL without the option */
	struct vendorset *vendor;
	/* endpoints (plugin/net/net.h), in command-line order */
	struct endpoint	 *endpoints;
	size_t		  nendpoints;
};

/* access.c: what the monitoring user cannot read, and --exclude-path. */
/* 1 if err (a strerror() text from opening path) says access was denied. */
int	 access_denied(const char *err);
/* The reason to skip path, which cannot be read, when its name marks a
 * private key (*.key, *.key.pem, *-key.pem, *_key.pem, privkey*.pem) or a
 * key directory (private, or a file in one); NULL: it is an error. */
const char *access_key_reason(const char *path, int is_dir);
/* The error for path, which cannot be read: err, the user the plugin runs
 * as and how to give it access. */
char	*access_error(const char *path, const char *err, int is_dir);
/* The --exclude-path glob that matches path, or NULL. */
const char *access_excluded(const struct config *, const char *path);

/* vendor.c: --skip-vendor-roots */
struct vendorset;
/* Reads the certificates the OS CA package ships (cfg->vendor_roots, else
 * the OS defaults that exist) into rep->vendor; what cannot be read of
 * a directory named with --vendor-roots is a problem of the report. */
void	 vendor_load(const struct config *, struct report *);
/* 1 if a certificate of that identity (cert_identity()) is the OS CA
 * package's. */
int	 vendor_has_id(const struct vendorset *, const unsigned char id[16]);
/* vendorset.c: the set, from what a report of the vendor's files holds */
struct vendorset *vendor_set_from(const struct report *);
size_t	 vendor_set_size(const struct vendorset *);
int	 vendor_has_cert(const struct vendorset *, const struct certinfo *);
void	 vendor_free(struct vendorset *);

/* walk.c: reads every path of cfg into the report. */
void	 scan_paths(const struct config *, struct report *);
/* pieces.c, for tests/pieces-run.c and the fuzzers only: every input a
 * reader can cut is read in pieces of about bytes bytes (0: as the plugin
 * reads), with a line on stderr per input if say; before threads. */
void	 pieces_test_set(size_t bytes, int say);
/* input.c: reads one in-memory input (tests and fuzzers). */
void	 scan_buffer(const struct config *, struct report *, const char *path,
	    const unsigned char *p, size_t len);

/* The collectors (report.c, keep_all.c, keep_nagios.c): one interface, two
 * implementations; the one the output needs (collector_for) goes into
 * report->collector before the sources are read. */
struct collector;
extern const struct collector collect_all;	/* every record */
extern const struct collector collect_nagios;	/* what -o nagios prints */
const struct collector *collector_for(const struct config *);
/* Adds a record (merging duplicates by identity): ci is lent, the
 * collector copies what it keeps. id: ci's identity (cert_identity()), or
 * NULL: worked out here. */
void	 report_add_cert(struct report *, const struct certinfo *ci, const struct location *,
	    const unsigned char *id);
/* Ends the adding: selection, evaluation, counts, the overall state and
 * the sort; 0 on a regex error (err set). */
int	 report_finish(const struct config *, struct report *, char *err, size_t errlen);
/* ci's 16-byte identity (identity.c): the first half of the DER's SHA-256
 * for a certificate, the XXH3-128 of the canonical row key (issuer +
 * serial, else the name, expiry and Request ID) for a CA-export row
 * without one (scratch: the caller's key space). */
#define CERT_ID_LEN	16
void	 cert_identity(const struct certinfo *ci, struct buf *scratch,
	    unsigned char id[CERT_ID_LEN]);
/* About n records are coming in all (a hint: the identity table is sized
 * for them once, instead of growing). */
void	 report_expect(struct report *, size_t n);
/* Starts loading the table slot of an identity, a few records before it
 * is added (the table is far larger than a cache). */
void	 report_prefetch(const struct report *, const unsigned char id[16]);
void	 report_add_problem(struct report *, const char *path, long record, const char *msg);
void	 report_add_skip(struct report *, const char *path, const char *reason);
void	 report_add_note(struct report *, const char *note);
void	 report_free(struct report *);

/* select.c and eval.c */
/* What select_eval needs besides the config: the local day of now (-d)
 * and the vendor's identities (--skip-vendor-roots; NULL without). */
struct judge {
	int64_t			 today;
	const struct vendorset	*vendor;
};
void	 select_judge(const struct config *, const struct vendorset *, struct judge *);
/* The one select-and-evaluate function of a record (c->ci and c->name
 * set; id: its identity, or NULL): matched, on_day, selected, vendor and
 * its state (eval_one). 0 on a regex error (err set). Pure. */
int	 select_eval(const struct config *, const struct judge *, struct cert *,
	    const unsigned char *id, char *err, size_t errlen);
/* --skip-renewed, over every record at the end (keep_all.c). */
void	 select_renewed(struct report *);
/* The local day of cfg->now, for -d (0 without -d); 0 if it has none. */
int	 select_today(const struct config *, int64_t *today);
void	 eval_one(const struct config *, struct cert *);
/* A selected, evaluated record into the counts and min_days. */
void	 eval_count(const struct config *, struct report *, const struct cert *);
/* The overall state from the counts, and the sort (report_finish). */
void	 eval_state(const struct config *, struct report *);
/* The sort order of report->certs (soonest first). */
int	 cert_cmp(const struct cert *, const struct cert *);
/* Adds one evaluated certificate to ok/warning/critical/expired/forgotten. */
void	 count_state(struct counts *, const struct cert *);
/* An error after evaluation (--metrics-file not written): a problem of
 * path like a source's, and the state at least UNKNOWN. */
void	 report_late_error(struct report *, const char *path, const char *msg);
/* "OK", "WARNING", "CRITICAL", "FORGOTTEN", "VENDOR" or "RENEWED". */
const char *cert_state_label(const struct cert *);
/* All of them, NULL-terminated. */
extern const char *const cert_state_labels[];
/* 1 for CA-export formats, whose sources carry a row number. */
int	 format_is_ca_export(const char *format);
/* Sorts report->certs by not_after (soonest first), stable by name. */
void	 sort_certs(struct report *);

/* outputs: one file each */
void	 output_nagios(FILE *, const struct config *, const struct report *);
void	 output_list(FILE *, const struct config *, const struct report *);
void	 output_json(FILE *, const struct config *, const struct report *);
void	 output_openmetrics(FILE *, const struct config *, const struct report *);
/* --metrics-file: output_openmetrics() into cfg->metrics_file, replaced
 * atomically and readable by others; 0 on failure (err says why, for a
 * problem of the file). */
int	 metrics_file_write(const struct config *, const struct report *, char *err,
	    size_t errlen);

/* sanitize.c: for the nagios and list outputs: no '|', no control
 * characters, no invalid UTF-8, at most maxbytes (then "..."). */
char	*sanitize_name(const char *s, size_t maxbytes);

/* json.c: the one place where JSON is escaped. */
void	 json_string(struct buf *, const char *s);	/* "..." or null for NULL */

/* mail: digest.c composes, smtp.c sends, statefile.c remembers. */
int	 mail_test(const struct config *, char *err, size_t errlen);
/* Sends the digest for the report when something qualifies; sets
 * report->mail_error / mail_summary. */
void	 mail_digest(const struct config *, struct report *);

#endif
