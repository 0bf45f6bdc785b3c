/* The bounded cursor (plugin/x509/cbs.h): DER headers, tables of good and bad. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cbs.h"
#include "extern.h"
#include "tap.h"

static const struct {
	const char		*name;
	const unsigned char	*p;
	size_t			 len;
	int			 ok;		/* parses */
	enum cbs_asn1_err	 err;
	unsigned int		 tag;
	size_t			 hdr, cont;
} hdrs[] = {
#define B(...) (const unsigned char[]){ __VA_ARGS__ }, sizeof((const unsigned char[]){ __VA_ARGS__ })
	{ "short form 0", B(0x05, 0x00), 1, CBS_ASN1_OK, 0x05, 2, 0 },
	{ "short form 3", B(0x04, 0x03, 1, 2, 3), 1, CBS_ASN1_OK, 0x04, 2, 3 },
	{ "short form 127 past end", B(0x04, 0x7f, 1), 0, CBS_ASN1_PASTEND, 0, 0, 0 },
	{ "long form 0x81 0x80", B(0x30, 0x81, 0x80), 0, CBS_ASN1_PASTEND, 0, 0, 0 },
	{ "long form 0x81 0x7f non-minimal", B(0x30, 0x81, 0x7f), 0, CBS_ASN1_NONMINIMAL, 0, 0, 0 },
	{ "long form 0x81 0x00 non-minimal", B(0x30, 0x81, 0x00), 0, CBS_ASN1_NONMINIMAL, 0, 0, 0 },
	{ "long form 0x82 0x00 0x80 non-minimal", B(0x30, 0x82, 0x00, 0x80), 0, CBS_ASN1_NONMINIMAL, 0, 0, 0 },
	{ "long form 0x82 0x01 0x00 past end", B(0x30, 0x82, 0x01, 0x00, 0), 0, CBS_ASN1_PASTEND, 0, 0, 0 },
	{ "indefinite 0x80", B(0x30, 0x80, 0x00, 0x00), 0, CBS_ASN1_INDEFINITE, 0, 0, 0 },
	{ "reserved 0xff", B(0x30, 0xff, 0, 0, 0), 0, CBS_ASN1_RESERVED, 0, 0, 0 },
	{ "5-byte length", B(0x30, 0x85, 0x01, 0, 0, 0, 0), 0, CBS_ASN1_LENLEN, 0, 0, 0 },
	{ "8-byte length", B(0x30, 0x88, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff), 0, CBS_ASN1_LENLEN, 0, 0, 0 },
	{ "4-byte length 0xffffffff (overflow)", B(0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0), 0, CBS_ASN1_PASTEND, 0, 0, 0 },
	{ "4-byte length truncated", B(0x30, 0x84, 0x01, 0x00), 0, CBS_ASN1_TRUNCATED, 0, 0, 0 },
	{ "tag only", B(0x30), 0, CBS_ASN1_TRUNCATED, 0, 0, 0 },
	{ "high tag number", B(0x1f, 0x81, 0x00), 0, CBS_ASN1_HIGHTAG, 0, 0, 0 },
	{ "context tag [3] constructed", B(0xa3, 0x02, 0x05, 0x00), 1, CBS_ASN1_OK, 0xa3, 2, 2 },
	{ "exact end", B(0x02, 0x01, 0x00), 1, CBS_ASN1_OK, 0x02, 2, 1 },
	{ "empty", B(0x00), 0, CBS_ASN1_EMPTY, 0, 0, 0 },
#undef B
};

static void
test_headers(void)
{
	size_t i, hl, cl, len;
	unsigned int tag;
	struct cbs c, e;
	enum cbs_asn1_err r;

	for (i = 0; i < sizeof(hdrs) / sizeof(hdrs[0]); i++) {
		len = strcmp(hdrs[i].name, "empty") == 0 ? 0 : hdrs[i].len;
		cbs_init(&c, hdrs[i].p, len);
		tag = 999;
		hl = cl = 999;
		r = cbs_asn1_header(&c, &tag, &hl, &cl);
		if (hdrs[i].ok)
			ok(r == CBS_ASN1_OK && tag == hdrs[i].tag && hl == hdrs[i].hdr &&
			    cl == hdrs[i].cont, "%s: tag %02x hdr %zu len %zu", hdrs[i].name,
			    tag, hl, cl);
		else
			ok(r == hdrs[i].err && tag == 999 && hl == 999 && cl == 999,
			    "%s: error %d, outputs untouched", hdrs[i].name, (int)r);
		e.data = NULL;
		ok(cbs_get_any_asn1_element(&c, &e, NULL, NULL) == hdrs[i].ok &&
		    (hdrs[i].ok ? cbs_len(&c) == len - hl - cl && cbs_len(&e) == hl + cl :
		    cbs_len(&c) == len && e.data == NULL),
		    "%s: get_any_asn1_element %s", hdrs[i].name,
		    hdrs[i].ok ? "consumes the element" : "fails, cursor untouched");
		ok(der_element_len(hdrs[i].p, len) == (hdrs[i].ok ? hl + cl : 0),
		    "%s: der_element_len", hdrs[i].name);
	}
}

static void
test_cursor(void)
{
	static const unsigned char d[] = { 0x30, 0x06, 0x02, 0x01, 0x05, 0x04, 0x01, 0xaa,
	    0x31, 0x00 };
	struct cbs c, s, i, o, x;
	uint8_t u = 0;
	int present = 7;

	cbs_init(&c, d, sizeof(d));
	ok(cbs_peek_asn1_tag(&c, 0x30) && !cbs_peek_asn1_tag(&c, 0x31), "peek tag");
	ok(!cbs_get_asn1(&c, &s, 0x31) && cbs_len(&c) == sizeof(d), "wrong tag: nothing consumed");
	ok(cbs_get_asn1(&c, &s, 0x30) && cbs_len(&s) == 6 && cbs_offset(&s) == 2,
	    "SEQUENCE contents at offset 2");
	ok(cbs_get_optional_asn1(&s, &x, &present, 0xa0) && present == 0 && cbs_len(&s) == 6,
	    "optional [0] absent");
	ok(cbs_get_asn1(&s, &i, 0x02) && cbs_len(&i) == 1 && cbs_data(&i)[0] == 5,
	    "INTEGER 5");
	ok(cbs_get_optional_asn1(&s, &o, &present, 0x04) && present == 1 &&
	    cbs_len(&o) == 1 && cbs_offset(&o) == 7, "optional OCTET STRING present, offset 7");
	ok(cbs_len(&s) == 0 && !cbs_get_u8(&s, &u) && u == 0, "sub-cursor used up");
	ok(cbs_get_asn1_element(&c, &x, 0x31) && cbs_len(&x) == 2 && cbs_len(&c) == 0,
	    "element keeps the header");
	ok(!cbs_peek_asn1_tag(&c, 0x30), "peek on empty");
	cbs_init(&c, d, 3);
	ok(cbs_skip(&c, 3) && !cbs_skip(&c, 1) && cbs_offset(&c) == 3, "skip bounded");
	cbs_init(&c, d, 2);
	ok(cbs_get_bytes(&c, &x, 2) && !cbs_get_bytes(&c, &x, 1), "get_bytes bounded");
	cbs_init(&c, d, 2);
	ok(!cbs_get_bytes(&c, &x, SIZE_MAX) && cbs_len(&c) == 2, "get_bytes SIZE_MAX");
	ok(cbs_peek_u8(&c, &u) && u == 0x30 && cbs_len(&c) == 2, "peek_u8");
	/* a nested length larger than its parent */
	{
		static const unsigned char n[] = { 0x30, 0x03, 0x30, 0x05, 0x00 };

		cbs_init(&c, n, sizeof(n));
		ok(cbs_get_asn1(&c, &s, 0x30) && !cbs_get_asn1(&s, &x, 0x30) &&
		    cbs_asn1_check(&s) == CBS_ASN1_PASTEND,
		    "inner length past the end of its parent");
	}
	/* a truncated buffer inside valid bytes: every prefix is handled */
	{
		static const unsigned char n[] = { 0x30, 0x82, 0x01, 0x00 };
		size_t k;
		int all = 1;

		for (k = 0; k <= sizeof(n); k++)
			all &= der_element_len(n, k) == 0;
		ok(all, "no prefix of a 256-byte header parses");
	}
}

int
main(void)
{
	(void)tap_is_str;
	test_headers();
	test_cursor();
	return tap_done();
}
