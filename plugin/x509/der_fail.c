/* The DER walk's steps that can fail (der.c, der_name.c): each writes
 * why, with the byte offset, to the walk's err and returns 0. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "der_walk.h"

int __attribute__((format(printf, 2, 3)))
der_fail(struct walk *w, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w->err, w->errlen, fmt, ap);
	va_end(ap);
	return 0;
}

/* Adds to what the salvage walk says fell back. */
void __attribute__((format(printf, 2, 3)))
der_note(struct walk *w, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (w->note == NULL || w->notelen < 4)
		return;
	n = strlen(w->note);
	if (n > 0 && n + 3 < w->notelen) {
		memcpy(w->note + n, "; ", 3);
		n += 2;
	}
	if (n + 1 >= w->notelen)
		return;
	va_start(ap, fmt);
	vsnprintf(w->note + n, w->notelen - n, fmt, ap);
	va_end(ap);
}

/* Says why the element `what` with tag `tag` could not be read at c. */
int
der_elem_fail(struct walk *w, const struct cbs *c, unsigned int tag, const char *what)
{
	size_t off = cbs_offset(c), endoff = off + cbs_len(c);
	unsigned int t;
	size_t hl, cl;

	switch (cbs_asn1_header(c, &t, &hl, &cl)) {
	case CBS_ASN1_OK:
		return der_fail(w, "%s: expected tag 0x%02x, found 0x%02x at byte %zu",
		    what, tag, t, off);
	case CBS_ASN1_EMPTY:
		if (c->data == w->end)
			return der_fail(w, "%s: truncated at byte %zu", what, off);
		return der_fail(w, "%s: missing at byte %zu", what, off);
	case CBS_ASN1_TRUNCATED:
		return der_fail(w, "%s: truncated at byte %zu", what, endoff);
	case CBS_ASN1_HIGHTAG:
		return der_fail(w, "%s: unsupported tag 0x%02x at byte %zu", what,
		    c->data[0], off);
	case CBS_ASN1_INDEFINITE:
		return der_fail(w, "%s: indefinite length (BER) at byte %zu", what, off);
	case CBS_ASN1_RESERVED:
	case CBS_ASN1_LENLEN:
		return der_fail(w, "%s: unsupported length form 0x%02x at byte %zu",
		    what, c->data[1], off + 1);
	case CBS_ASN1_NONMINIMAL:
		return der_fail(w, "%s: non-minimal length at byte %zu", what, off + 1);
	case CBS_ASN1_PASTEND:
		if (cbs_offset(c) == 0 && c->data + c->len == w->end)
			return der_fail(w, "%s: truncated at byte %zu (length past end)",
			    what, endoff);
		return der_fail(w, "%s: length past end at byte %zu", what, off + 1);
	}
	return der_fail(w, "%s: invalid at byte %zu", what, off);
}

/* Contents of the next element, which must have this tag. */
int
der_need(struct walk *w, struct cbs *c, struct cbs *out, unsigned int tag, const char *what)
{
	if (cbs_get_asn1(c, out, tag))
		return 1;
	return der_elem_fail(w, c, tag, what);
}

/* The cursor must be used up. */
int
der_need_end(struct walk *w, const struct cbs *c, const char *what)
{
	if (cbs_len(c) == 0)
		return 1;
	return der_fail(w, "%s: trailing %zu bytes at byte %zu", what, cbs_len(c),
	    cbs_offset(c));
}
