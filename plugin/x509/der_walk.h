/* The DER walk's private parts (der.c, der_name.c). */
#ifndef CCE_DER_WALK_H
#define CCE_DER_WALK_H

#include "cbs.h"
#include "extern.h"

struct walk {
	char			*err;
	size_t			 errlen;
	const unsigned char	*end;	/* end of the input */
	/* der_cert_salvage: a name value that does not decode falls back,
	 * and note says what fell back ("; " between) */
	int			 lenient;
	char			*note;
	size_t			 notelen;
};

/*
 * Attributes of one Name, in DER order. The attribute arrays and the text
 * (values and unknown OIDs, NUL-terminated, back to back) live on the stack
 * unless the Name is large; the text is sized once from the Name's length,
 * so pointers into it stay valid.
 */
#define NAME_ATTRS	32
#define NAME_TEXT	2048
struct names {
	struct dn_attr	*a;
	int		*set;
	size_t		 n, max;
	char		*text;
	size_t		 tlen, tmax;
	long		 cn;		/* index of the last CN, -1 if none */
	struct dn_attr	 a_fixed[NAME_ATTRS];
	int		 set_fixed[NAME_ATTRS];
	char		 text_fixed[NAME_TEXT];
};

/* Writes why the walk failed to w->err; returns 0. */
int	 der_fail(struct walk *, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A note about a fallback (lenient walks only). */
void	 der_note(struct walk *, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The element at c is not the tag wanted: says what it is instead; 0. */
int	 der_elem_fail(struct walk *, const struct cbs *c, unsigned int tag, const char *what);
/* Takes an element of that tag from c into out, or fails naming what. */
int	 der_need(struct walk *, struct cbs *c, struct cbs *out, unsigned int tag,
	    const char *what);
/* c must be empty now, or the walk fails naming what. */
int	 der_need_end(struct walk *, const struct cbs *c, const char *what);
/* der_name.c: a directory string (or IA5String) of that tag as UTF-8 at o
 * (room for 3 * len + 1 bytes), *end its end; 1, 0 if invalid, -1 if the
 * type is not supported. */
int	 der_string_utf8(unsigned int tag, const struct cbs *v, char *o, char **end);
/* der_name.c: a Name as RFC 4514 text (*dn) and its last CN (*cn, NULL if
 * none), where names the field ("issuer", "subject"). */
int	 der_walk_name(struct walk *, struct cbs *name, const char *where, char **dn,
	    char **cn);

#endif
