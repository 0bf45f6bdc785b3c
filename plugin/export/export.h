/*
 * CA-export area (certutil text/CSV, index.txt): what its files share.
 * Private to plugin/export/ (textenc.c, cadate.c, dn_oneline.c, dn_windows.c,
 * certutil.c, certutil_cols.c) and the
 * three readers; the rest of the plugin sees only extern.h.
 */
#ifndef CCE_EXPORT_H
#define CCE_EXPORT_H

#include <string.h>

#include "extern.h"

/* utf8_valid with a fast path for ASCII (eight bytes at a time). */
static inline int
text_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	uint64_t w;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		if (w & UINT64_C(0x8080808080808080))
			return utf8_valid(p + i, n - i);
	}
	for (; i < n; i++)
		if (p[i] >= 0x80)
			return utf8_valid(p + i, n - i);
	return 1;
}

/* Eight bytes at a time: bit 7 of byte i of the result is set when byte i
 * of w is c (exact: no borrow runs between bytes). */
static inline uint64_t
byte_mask(uint64_t w, unsigned char c)
{
	const uint64_t lo7 = UINT64_C(0x7f7f7f7f7f7f7f7f);
	uint64_t x = w ^ (UINT64_C(0x0101010101010101) * c);

	return ~(((x & lo7) + lo7) | x | lo7);
}

/* ----------------------------------------------------------------- textenc.c */
enum textenc {
	TE_UTF8,	/* no BOM, valid UTF-8 (includes plain ASCII) */
	TE_UTF8_BOM,
	TE_UTF16LE,	/* by BOM or by NUL pattern */
	TE_UTF16BE,
	TE_CP1252,	/* Windows ANSI */
	TE_CP850,	/* Windows OEM (cmd.exe redirection); cp437 letters agree */
	TE_BINARY	/* NUL bytes without a UTF-16 pattern: neither */
};
/* Guesses the encoding of the whole input. */
int		 textenc_detect(const unsigned char *p, size_t len);
/* The same, calling step(arg, upto) after each few MiB it has looked at
 * (a mapped input gives those pages back). */
int		 textenc_detect_steps(const unsigned char *p, size_t len,
		    void (*step)(void *, const unsigned char *), void *arg);
const char	*textenc_name(int enc);
/*
 * The input as UTF-8. For UTF-8 input *out points into p (BOM skipped) and
 * *owned is NULL; otherwise *out == *owned is a NUL-terminated copy to
 * free(). Returns 0 (with err) for TE_BINARY. A UTF-16 input with an odd
 * byte count is converted without its last byte and *truncated is set.
 */
int	 textenc_to_utf8(const unsigned char *p, size_t len, int enc,
	    const unsigned char **out, size_t *outlen, unsigned char **owned,
	    int *truncated, char *err, size_t errlen);
/*
 * For probes: converts at most the first inmax bytes of the input (any
 * encoding guessed from that prefix alone) to UTF-8 in out (outlen bytes,
 * NUL-terminated). Returns the number of bytes written.
 */
size_t	 textenc_prefix(const unsigned char *p, size_t len, size_t inmax,
	    char *out, size_t outlen);

/* ------------------------------------------------------------------ cadate.c */
/* Remembers local-time conversions (mktime is slow) per date and hour:
 * direct-mapped, so any 7 years of hours fit without a collision. Each slot
 * is read and written whole (atomically), so the threads reading pieces of
 * one export share one cache. */
#define CADATE_CACHE	65536
struct cadate_cache {
	/* CADATE_KEY(days * 24 + hour) << 32 | (uint32_t)offset, where the
	 * offset is the UTC seconds of that local hour minus the same wall
	 * clock read as UTC; 0 = empty */
	uint64_t slot[CADATE_CACHE];
};
/*
 * A certutil date: en-US "4/25/2027 7:36 PM" (seconds optional), de-DE
 * "25.04.2027 19:36[:12]", ISO "2027-04-25 19:36[:12]" (or 'T'), 24-hour
 * "25/04/2027 19:36" (D/M/Y, en-GB). Local time (TZ) unless followed by
 * "GMT", "UTC" or "Z". cache may be NULL.
 */
int	 cadate_parse(const char *s, size_t len, struct cadate_cache *cache, int64_t *t);
/* 1 if the text has the shape of a certutil date (for CSV column guessing). */
int	 cadate_shape(const char *s, size_t len);

/* --------------------------------------------------------------- dn_oneline.c */
/* Appends an attribute value escaped as RFC 4514 asks. */
void	 dn_escape_value(struct buf *, const char *v, size_t n);
/*
 * A Windows DN as certutil prints it ("CN=web01, OU=IT, O=Corp, C=DE",
 * values with commas in double quotes) to RFC 4514 form. NULL if malformed.
 * If cn is not NULL, *cn receives the most specific CN (the first in this
 * order, the last in DER order), or NULL.
 */
char	*dn_from_windows(const char *s, size_t n, char **cn);
/* dn_from_oneline (extern.h) and the last CN of a one-line DN (the most
 * specific: the name). */
char	*dn_oneline_cn(const char *s);
/* Both at once (either may be NULL); 0 on a syntax error. *cn may be NULL
 * when there is no CN. */
int	 dn_oneline_parse(const char *s, char **subject, char **cn);
/* The same for len bytes at s (up to a NUL byte, as a C string would end). */
int	 dn_oneline_parse_n(const char *s, size_t len, char **subject, char **cn);
/* The same; *loose is set to 1 when a '/' or '+' inside a value was not
 * escaped ("/CN=host/path": read as CN=host/path), else 0. */
int	 dn_oneline_parse_loose(const char *s, size_t len, char **subject, char **cn,
	    int *loose);
/* The subject of dn_oneline_parse_n, written to into (its data replaced). */
int	 dn_oneline_subject(const char *s, size_t len, struct buf *into);
/* The same, appended to into's data (unchanged on failure). */
int	 dn_oneline_append(const char *s, size_t len, struct buf *into);
/* What dn_oneline_append_next keeps of the DN before (zeroed at first):
 * its bytes up to the '/' of its last attribute (plen of them, 0 if none),
 * and the RFC 4514 form of the attributes before that one, with the ','
 * that leads them. */
#define DN_PREV_MAX	128
struct dn_prev {
	char	 pre[DN_PREV_MAX];
	char	 rev[DN_PREV_MAX];
	size_t	 plen;
	int	 plain;	/* the last DN was plain: taken without the full parse */
};
/* dn_oneline_append for the DNs of an input in turn: faster when one has
 * all but the last attribute of the one before (pv keeps that one). */
int	 dn_oneline_append_next(struct dn_prev *pv, const char *s, size_t len,
	    struct buf *into);
/* The CN of a plain DN (pv->plain), from the subject of len bytes that
 * dn_oneline_append_next wrote for it: its first CN (the most specific),
 * as the full parse gives it (*cn not NUL-terminated). 0 if it has none. */
int	 dn_plain_subject_cn(const char *subject, size_t len, const char **cn,
	    size_t *cnlen);

/* What dn_windows.c shares of dn_oneline.c: 1 if the attribute type t of n
 * bytes is CN (any case); 1 if it is a type at all. */
int	 dn_is_cn(const char *t, size_t n);
int	 dn_type_ok(const char *t, size_t n);

/* ---------------------------------------------------------------- certutil.c */
enum cu_col {
	CU_REQID, CU_REQUESTER, CU_SERIAL, CU_CN, CU_DN, CU_NOTBEFORE, CU_NOTAFTER,
	CU_TEMPLATE, CU_DISP, CU_RAWCERT, CU_HASH, CU_REVREASON, CU_NCOLS
};
/* Column of a certutil column name (internal, English, German), -1 if unknown. */
int	 cu_col_by_name(const char *name, size_t n);
/* Column of an internal name such as "Request.Disposition", -1 if unknown. */
int	 cu_col_by_internal(const char *name, size_t n);
/* n bytes at s begin with name (nlen bytes, case-insensitive), blanks and
 * ':'? The length up to and with that ':', else 0. */
size_t	 cu_name_colon(const char *s, size_t n, const char *name, size_t nlen);
/* A row line "Name: value" split after the longest known column name that
 * begins it (a name may hold ": " itself, "Ausgestellt: Anforderungs-ID"):
 * its column, *split the length up to and with its ':'; -1 (*split 0) if
 * no known name begins it. */
int	 cu_col_split(const char *s, size_t n, size_t *split);
/* certutil's marker for no value: EMPTY, German LEER. */
int	 cu_empty(const char *s, size_t n);

struct cu_val {
	const char	*p;	/* raw value text (NULL: column absent) */
	size_t		 len;
	int		 csv;	/* CSV value: unquoted already, "" inside */
};

struct cu_ctx {
	struct sink		*sink;
	const char		*format;	/* "certutil-text" or "certutil-csv" */
	int			 include_revoked;
	struct cadate_cache	*cache;		/* NULL: none */
	size_t			 reported;	/* rows that reached the sink */
	size_t			 ignored;	/* rows ignored for their disposition */
	int			 noexp_said;	/* "no expiry date column" reported */
};
void	 cu_ctx_init(struct cu_ctx *, struct sink *, const char *format);
/* Reports one row (values in certutil's value syntax). Returns 1 if it was
 * reported or deliberately ignored, 0 if it was reported as an error. */
int	 cu_row(struct cu_ctx *, long record, const struct cu_val vals[CU_NCOLS]);
/* The first non-blank bytes of s are "Row N:"/"Zeile N:"? Sets *n. */
int	 cu_row_header(const char *s, size_t len, long *n);

/* Bounded cursor (CBS-style): the one place that advances is cur_skip. */
struct cur {
	const char	*p;
	size_t		 len;
};
/* The encoding of a whole export (textenc_detect), giving back the mapped
 * pages it has looked at. */
int	 cu_detect(struct sink *, const unsigned char *p, size_t len);
/* Decodes the export's text encoding to UTF-8 (reporting an encoding that
 * is neither, or truncated UTF-16) and runs parse over it. */
void	 cu_read(struct sink *, const unsigned char *p, size_t len, const char *format,
	    void (*parse)(struct cu_ctx *, struct cur));
static inline void
cur_skip(struct cur *c, size_t n)
{
	c->p += n;
	c->len -= n;
}
/* A value quoted in a message: printable ASCII ('?' for the rest), at most
 * 40 bytes, "..." when cut; out has room for outlen bytes. */
static inline const char *
cur_shown(const struct cur *v, char *out, size_t outlen)
{
	size_t i, n = 0;

	for (i = 0; i < v->len && n + 4 < outlen && i < 40; i++)
		out[n++] = v->p[i] >= 0x20 && v->p[i] < 0x7f ? v->p[i] : '?';
	if (i < v->len && n + 4 < outlen)
		out[n++] = '.', out[n++] = '.', out[n++] = '.';
	out[n] = '\0';
	return out;
}
/* Takes the next line (without its LF and a CR before it) from c. */
static inline int
cur_get_line(struct cur *c, struct cur *line)
{
	const char *nl;
	size_t n;

	if (c->len == 0)
		return 0;
	nl = memchr(c->p, '\n', c->len);
	n = nl != NULL ? (size_t)(nl - c->p) : c->len;
	line->p = c->p;
	line->len = n;
	if (n > 0 && line->p[n - 1] == '\r')
		line->len--;
	cur_skip(c, nl != NULL ? n + 1 : n);
	return 1;
}

#endif
