/*
 * The mail area's private interface: digest.c composes messages and drives
 * the run, smtp.c sends them (the one home of libcurl), statefile.c
 * remembers what was mailed. Only digest.c, smtp.c, statefile.c and their
 * tests include this file.
 */
#ifndef CCE_MAIL_H
#define CCE_MAIL_H

#include "extern.h"

/* ------------------------------------------------------------------ smtp.c */
/* Delivers one RFC 5322 message (CRLF line ends) to every recipient of
 * cfg through cfg->smtp_server. On failure writes the reason (with the
 * server's answer when there is one) to err. Never prints the password. */
int	 smtp_send(const struct config *, const char *msg, size_t len, char *err,
	    size_t errlen);
/* The server as shown in messages: the URL without user information. */
char	*smtp_display(const char *server);

/* -------------------------------------------------------------- statefile.c */
/* What was last mailed about a certificate, in increasing order. */
enum mail_level {
	ML_NONE = 0,		/* nothing (not stored) */
	ML_LISTED = 1,		/* listed in a --days digest while OK */
	ML_WARNING = 2,
	ML_CRITICAL = 3,
	ML_EXPIRED = 4
};
const char *mail_level_name(int);	/* "listed", "warning", ... */

struct state_entry {
	char	*key;		/* "sha256:<hex>" or "issuer-serial:<issuer>/<serial>" */
	int	 level;		/* enum mail_level, > ML_NONE */
	int64_t	 not_after;
	char	*name;		/* informational, encoded like the key */
	int	 seen;		/* used by the caller during a run */
};

struct mstate {
	struct state_entry	*e;	/* sorted by key */
	size_t			 n;
};

/* Stable identity of a certificate: SHA-256 of the DER, else issuer and
 * serial. Returns an allocated string without spaces or control bytes. */
char	*state_key(const struct cert *);
/* Reads path; a missing file is an empty state. A file that cannot be read
 * or does not parse is an error ("path:line: what is wrong" in err). */
int	 state_load(const char *path, struct mstate *, char *err, size_t errlen);
/* Parses a state file's contents (used by state_load and the tests). */
int	 state_parse(const char *path, const unsigned char *p, size_t len,
	    struct mstate *, char *err, size_t errlen);
/* Serialises the state (entries sorted by key). */
void	 state_format(const struct mstate *, struct buf *);
struct state_entry *state_find(struct mstate *, const char *key);
/* Adds or replaces an entry (takes copies of key and name); keeps order. */
void	 state_set(struct mstate *, const char *key, int level, int64_t not_after,
	    const char *name);
/* Removes the entry at index i. */
void	 state_remove(struct mstate *, size_t i);
void	 state_free(struct mstate *);

/* An atomic replacement of the state file: begin() creates the temporary
 * file next to it (so a directory we cannot write is found out before any
 * mail is sent), commit() writes, fsyncs and renames, abort() removes it. */
struct state_txn {
	struct atomic_file f;	/* extern.h, atomic.c */
};
int	 state_begin(const char *path, struct state_txn *, char *err, size_t errlen);
int	 state_commit(struct state_txn *, const struct mstate *, char *err, size_t errlen);
void	 state_abort(struct state_txn *);

/* ----------------------------------------------------------------- digest.c */
/* The level a certificate has now: ML_NONE when it does not qualify, -1 for
 * a forgotten certificate outside --days mode (left as it is). */
int	 mail_cert_level(const struct cert *, int days_mode);
/* 1 if addr is usable in an SMTP envelope and a header (ASCII, no spaces,
 * no control characters, no <>,;"()). */
int	 mail_address_ok(const char *addr);
/* Composes the test message / the digest. host and msgid are given so that
 * the tests get exact output. levels[i] is the level of certs[i]. */
char	*mail_compose_test(const struct config *, const char *host, const char *msgid);
char	*mail_compose_digest(const struct config *, struct cert *const *certs,
	    const int *levels, size_t n, const char *host, const char *msgid);
/* Appends s as safe body/header text: invalid UTF-8 repaired, control
 * characters (C0, DEL, C1, U+2028/2029) replaced by '?', at most max bytes
 * (then "..."). */
void	 mail_text(struct buf *, const char *s, size_t max);
/* Appends "Subject: ..." (RFC 2047 B-encoded words when not ASCII), CRLF. */
void	 mail_subject(struct buf *, const char *subject);

#endif
