/* Fuzz target: the index reader (reader_index.read behind its probe), and
 * the one-line DN: the fast form for plain DNs (dn_oneline_subject, and
 * dn_plain_subject_cn for the CN of its subject) must be what the full
 * parse gives, and two DNs in turn (the input cut at its first LF) the
 * same with dn_oneline_append_next as each on its own. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "export.h"

static void
dn_same(const uint8_t *data, size_t size)
{
	struct buf fast = { 0 };
	char *full = NULL, *cn = NULL;
	struct dn_prev pv;
	const char *pcn;
	size_t pcnlen;
	int a, b, has;

	a = dn_oneline_subject((const char *)data, size, &fast);
	b = dn_oneline_parse_n((const char *)data, size, &full, &cn);
	if (a != b || (a && (fast.data == NULL || strcmp(fast.data, full) != 0 ||
	    fast.len != strlen(full))))
		abort();
	/* the CN of a plain DN's subject (the reader's) is the full parse's */
	memset(&pv, 0, sizeof(pv));
	fast.len = 0;
	if (dn_oneline_append_next(&pv, (const char *)data, size, &fast) && pv.plain) {
		has = dn_plain_subject_cn(fast.data, fast.len, &pcn, &pcnlen);
		if (!b || has != (cn != NULL) ||
		    (has && (strlen(cn) != pcnlen || memcmp(cn, pcn, pcnlen) != 0)))
			abort();
	}
	free(full);
	free(cn);
	buf_free(&fast);
}

/* DNs one after the other: each as dn_oneline_append has it. */
static void
dn_in_turn(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	struct dn_prev pv;
	struct buf a = { 0 }, b = { 0 };
	size_t at[3], len[3];
	int i, ra, rb;

	if (nl == NULL)
		return;
	at[0] = 0;
	len[0] = (size_t)(nl - data);
	at[1] = len[0] + 1;
	len[1] = size - at[1];
	at[2] = 0;		/* the first again */
	len[2] = len[0];
	memset(&pv, 0, sizeof(pv));
	for (i = 0; i < 3; i++) {
		a.len = b.len = 0;
		ra = dn_oneline_append_next(&pv, (const char *)data + at[i], len[i], &a);
		rb = dn_oneline_append((const char *)data + at[i], len[i], &b);
		if (ra != rb || a.len != b.len || (a.len > 0 && memcmp(a.data, b.data, a.len) != 0))
			abort();
	}
	buf_free(&a);
	buf_free(&b);
}

FUZZ_ENTRY(reader_index)
{
	dn_same(data, size);
	dn_in_turn(data, size);
	return fuzz_reader(&reader_index, data, size);
}
