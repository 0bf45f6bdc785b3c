/*
 * Unit tests of the CA-export area: certutil dates, text encodings, DNs,
 * and the index.txt / certutil text / certutil CSV readers run through the
 * core's scan_buffer() (so the probes are tested in their real order).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "export.h"
#include "tap.h"

static struct config cfg;

static void
scan(struct report *r, const char *data, size_t len, int revoked)
{
	memset(r, 0, sizeof(*r));
	cfg.include_revoked = revoked;
	cfg.verbose = 2;
	scan_buffer(&cfg, r, "t", (const unsigned char *)data, len);
}

static const struct cert *
find(const struct report *r, const char *serial)
{
	size_t i;

	for (i = 0; i < r->ncerts; i++)
		if (r->certs[i]->ci.serial != NULL &&
		    strcmp(r->certs[i]->ci.serial, serial) == 0)
			return r->certs[i];
	return NULL;
}

static int
problem_at(const struct report *r, long record, const char *needle)
{
	size_t i;

	for (i = 0; i < r->nproblems; i++)
		if (r->problems[i].record == record &&
		    strstr(r->problems[i].message, needle) != NULL)
			return 1;
	return 0;
}

static char *
iso(int64_t t)
{
	static char b[32];

	fmt_iso8601(t, b, sizeof(b));
	return b;
}

/* ------------------------------------------------------------------- dates */
static void
test_dates(void)
{
	static const struct {
		const char *in, *want;
	} good[] = {
		{ "4/25/2027 7:36 PM", "2027-04-25T19:36:00Z" },
		{ "4/25/2027 7:36:12 PM", "2027-04-25T19:36:12Z" },
		{ "12/1/2030 12:05 AM", "2030-12-01T00:05:00Z" },
		{ "12/1/2030 12:05 PM", "2030-12-01T12:05:00Z" },
		{ "25.04.2027 19:36", "2027-04-25T19:36:00Z" },
		{ "25.04.2027 19:36:12", "2027-04-25T19:36:12Z" },
		{ "5.4.2027 09:36", "2027-04-05T09:36:00Z" },
		{ "2027-04-25 19:36", "2027-04-25T19:36:00Z" },
		{ "2027-04-25 19:36:12", "2027-04-25T19:36:12Z" },
		{ "2027-04-25T19:36:12Z", "2027-04-25T19:36:12Z" },
		{ " 4/25/2027 7:36 PM GMT", "2027-04-25T19:36:00Z" },
		{ "25/04/2027 19:36", "2027-04-25T19:36:00Z" },
		{ "2/29/2028 1:00 am", "2028-02-29T01:00:00Z" },
		{ "12/31/9999 11:59 PM", "9999-12-31T23:59:00Z" },
	};
	static const char *const bogus[] = {
		"", "EMPTY", "4/25/2027", "13/25/2027 7:36 PM", "4/31/2027 7:36 PM",
		"4/25/2027 13:36 PM", "4/25/2027 0:36 AM", "4/25/27 7:36 PM",
		"32.04.2027 19:36", "25.13.2027 19:36", "25.04.2027 24:00",
		"25.04.2027 19:60", "25.04.2027 19:36:60", "2027-4-25 19:36",
		"2027-04-25 19:36 XM", "2/29/2027 1:00 AM", "25.04.2027 19:36 +0200",
		"4/25/2027 7:36PMX", "25.04.2027\t19:36:1", "0x14 (20)", "web01",
		"4/25/2027 7:36 PM junk",
	};
	size_t i;
	int64_t t;
	struct cadate_cache *cache = calloc(1, sizeof(*cache));

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		t = 0;
		ok(cadate_parse(good[i].in, strlen(good[i].in), cache, &t) &&
		    strcmp(iso(t), good[i].want) == 0, "date '%s' is %s (got %s)",
		    good[i].in, good[i].want, iso(t));
	}
	for (i = 0; i < sizeof(bogus) / sizeof(bogus[0]); i++)
		ok(!cadate_parse(bogus[i], strlen(bogus[i]), cache, &t),
		    "bogus date '%s' rejected", bogus[i]);

	/* local time: TZ honoured unless GMT-marked; cached and uncached agree */
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	memset(cache, 0, sizeof(*cache));
	ok(cadate_parse("25.04.2027 19:36", 16, cache, &t) &&
	    strcmp(iso(t), "2027-04-25T17:36:00Z") == 0, "Berlin summer time: %s", iso(t));
	ok(cadate_parse("1/15/2027 7:36 PM", 17, cache, &t) &&
	    strcmp(iso(t), "2027-01-15T18:36:00Z") == 0, "Berlin winter time: %s", iso(t));
	ok(cadate_parse("25.04.2027 19:59:59", 19, cache, &t) &&
	    strcmp(iso(t), "2027-04-25T17:59:59Z") == 0, "cached hour: %s", iso(t));
	ok(cadate_parse("1/15/2027 7:36 PM GMT", 21, cache, &t) &&
	    strcmp(iso(t), "2027-01-15T19:36:00Z") == 0, "GMT-marked ignores TZ: %s",
	    iso(t));
	setenv("TZ", "UTC", 1);
	tzset();
	ok(cadate_shape("\"4/25/2027 7:36 PM\"" + 1, 17), "date shape");
	ok(!cadate_shape("6100000002a1", 12), "serial is not a date");
	free(cache);
}

/* --------------------------------------------------------------- encodings */
static void
check_enc(const char *what, const unsigned char *p, size_t len, int want_enc)
{
	const unsigned char *u;
	unsigned char *owned;
	size_t ulen;
	int enc = textenc_detect(p, len), trunc;
	char err[64];

	ok(enc == want_enc, "%s detected as %s (got %s)", what, textenc_name(want_enc),
	    textenc_name(enc));
	ok(textenc_to_utf8(p, len, enc, &u, &ulen, &owned, &trunc, err, sizeof(err)) &&
	    ulen >= 8 && memmem(u, ulen, "M\xc3\xbcller", 7) != NULL,
	    "%s: M\xc3\xbcller reads as M\xc3\xbcller", what);
	if (enc != TE_BINARY)
		free(owned);
}

static void
test_encodings(void)
{
	static const unsigned char u16le[] = "\xff\xfeM\0\xfc\0l\0l\0e\0r\0\n\0";
	static const unsigned char u16le_nobom[] = "M\0\xfc\0l\0l\0e\0r\0\n\0R\0o\0w\0";
	static const unsigned char u16be[] = "\xfe\xff\0M\0\xfc\0l\0l\0e\0r\0\n";
	static const unsigned char u16be_nobom[] = "\0M\0\xfc\0l\0l\0e\0r\0\n\0R\0o";
	static const unsigned char u8bom[] = "\xef\xbb\xbfM\xc3\xbcller\n";
	static const unsigned char u8[] = "Name: M\xc3\xbcller\n";
	static const unsigned char c1252[] = "Name: M\xfcller, J\xfcrgen M\xfc\xdfig\n";
	static const unsigned char c850[] = "Name: M\x81ller, J\x81rgen M\x81\xe1ig\n";
	static const unsigned char bin[] = "Name\0\x01\x02\x03\0\0\0M\xfcller";
	const unsigned char *u;
	unsigned char *owned;
	size_t ulen;
	int trunc;
	char err[128], pre[64];

	check_enc("UTF-16LE with BOM", u16le, sizeof(u16le) - 1, TE_UTF16LE);
	check_enc("UTF-16LE by NULs", u16le_nobom, sizeof(u16le_nobom) - 1, TE_UTF16LE);
	check_enc("UTF-16BE with BOM", u16be, sizeof(u16be) - 1, TE_UTF16BE);
	check_enc("UTF-16BE by NULs", u16be_nobom, sizeof(u16be_nobom) - 1, TE_UTF16BE);
	check_enc("UTF-8 with BOM", u8bom, sizeof(u8bom) - 1, TE_UTF8_BOM);
	check_enc("UTF-8", u8, sizeof(u8) - 1, TE_UTF8);
	check_enc("cp1252", c1252, sizeof(c1252) - 1, TE_CP1252);
	check_enc("cp850", c850, sizeof(c850) - 1, TE_CP850);
	ok(textenc_to_utf8(c850, sizeof(c850) - 1, TE_CP850, &u, &ulen, &owned, &trunc,
	    err, sizeof(err)) && strstr((const char *)u, "J\xc3\xbcrgen M\xc3\xbc\xc3\x9fig"),
	    "cp850 \xc3\x9f");
	free(owned);
	ok(textenc_detect(bin, sizeof(bin) - 1) == TE_BINARY, "NUL bytes: neither");
	ok(!textenc_to_utf8(bin, sizeof(bin) - 1, TE_BINARY, &u, &ulen, &owned, &trunc,
	    err, sizeof(err)) && strstr(err, "neither") != NULL, "binary refused: %s",
	    err);
	ok(textenc_to_utf8(u16le, sizeof(u16le) - 2, TE_UTF16LE, &u, &ulen, &owned,
	    &trunc, err, sizeof(err)) && trunc, "odd UTF-16 length flagged");
	free(owned);
	/* an unpaired surrogate becomes U+FFFD */
	ok(textenc_to_utf8((const unsigned char *)"\xff\xfe\x00\xd8\x41\x00", 6,
	    TE_UTF16LE, &u, &ulen, &owned, &trunc, err, sizeof(err)) &&
	    ulen == 4 && memcmp(u, "\xef\xbf\xbd" "A", 4) == 0, "lone surrogate");
	free(owned);
	ok(textenc_to_utf8((const unsigned char *)"\xff\xfe\x3d\xd8\x00\xde", 6,
	    TE_UTF16LE, &u, &ulen, &owned, &trunc, err, sizeof(err)) &&
	    ulen == 4 && memcmp(u, "\xf0\x9f\x98\x80", 4) == 0, "surrogate pair");
	free(owned);
	ok(textenc_prefix(u16le, sizeof(u16le) - 1, 4096, pre, sizeof(pre)) == 8 &&
	    strcmp(pre, "M\xc3\xbcller\n") == 0, "prefix of UTF-16");
}

/* --------------------------------------------------------------------- DNs */
/* The subject of a one-line DN as row identities have it (dn_oneline_subject,
 * a fast form for plain DNs) is what the full parse gives, or both refuse. */
static void
same_subject(const char *in, size_t len)
{
	struct buf fast = { 0 };
	char *full = NULL;
	int a, b;

	a = dn_oneline_subject(in, len, &fast);
	b = dn_oneline_parse_n(in, len, &full, NULL);
	ok(a == b && (!a || (fast.data != NULL && strcmp(fast.data, full) == 0 &&
	    fast.len == strlen(full))), "fast form of '%s': %s", in,
	    !a ? "refused, as by the full parse" : full);
	/* where the fast form takes it, the CN of its subject is the full
	 * parse's */
	{
		const char *pcn;
		char *cn = NULL, *sub = NULL;
		struct dn_prev pv;
		size_t pcnlen;
		int has;

		memset(&pv, 0, sizeof(pv));
		fast.len = 0;
		if (dn_oneline_append_next(&pv, in, len, &fast) && pv.plain) {
			has = dn_plain_subject_cn(fast.data, fast.len, &pcn, &pcnlen);
			(void)dn_oneline_parse_n(in, len, &sub, &cn);
			ok(a && (!has ? cn == NULL : cn != NULL &&
			    strlen(cn) == pcnlen && memcmp(cn, pcn, pcnlen) == 0),
			    "  its CN: %s", cn != NULL ? cn : "none");
			free(cn);
			free(sub);
		}
	}
	/* appended after a row key's start, as index.txt rows have it */
	fast.len = 0;
	buf_addstr(&fast, "S\n0A\n");
	a = dn_oneline_append(in, len, &fast);
	ok(a == b && (a ? fast.len == 5 + strlen(full) && strncmp(fast.data, "S\n0A\n", 5) == 0 &&
	    strcmp(fast.data + 5, full) == 0 : fast.len == 5),
	    "  appended after 5 bytes: %s", a ? "the same" : "refused, the 5 left");
	free(full);
	buf_free(&fast);
}

/* DNs one after the other, as the rows of an index.txt give them
 * (dn_oneline_append_next, which takes what a DN shares with the one
 * before from that one): each appended as dn_oneline_append has it on its
 * own, or refused as it is. */
static void
same_in_turn(const char *what, const char *const *in, size_t n)
{
	struct dn_prev pv;
	struct buf a = { 0 }, b = { 0 };
	size_t i, bad = 0;
	int ra, rb;

	memset(&pv, 0, sizeof(pv));
	for (i = 0; i < n; i++) {
		a.len = b.len = 0;
		buf_addstr(&a, "S\n0A\n");
		buf_addstr(&b, "S\n0A\n");
		ra = dn_oneline_append_next(&pv, in[i], strlen(in[i]), &a);
		rb = dn_oneline_append(in[i], strlen(in[i]), &b);
		if (ra != rb || a.len != b.len || memcmp(a.data, b.data, a.len + 1) != 0) {
			printf("# after '%s': '%s' gives %d '%s', on its own %d '%s'\n",
			    i > 0 ? in[i - 1] : "", in[i], ra, a.data, rb, b.data);
			bad++;
		}
	}
	ok(bad == 0, "%s: %zu DNs in turn as each on its own (%zu differ)", what, n, bad);
	buf_free(&a);
	buf_free(&b);
}

/* n attributes: 64 are taken, more are refused, by both. */
static void
many_attributes(int n)
{
	struct buf in = { 0 };
	int i;

	for (i = 0; i < n; i++)
		buf_printf(&in, "/OU=u%d", i);
	same_subject(in.data, in.len);
	buf_free(&in);
}

static void
test_dn(void)
{
	static const struct {
		const char *in, *want, *cn;
	} oneline[] = {
		{ "/C=DE/O=Corp/CN=name", "CN=name,O=Corp,C=DE", "name" },
		{ "/CN=M\\xC3\\xBCller, J\\xC3\\xBCrgen", "CN=M\xc3\xbcller\\, J\xc3\xbcrgen",
		    "M\xc3\xbcller, J\xc3\xbcrgen" },
		{ "/CN=a\\/b/emailAddress=x@y.z", "emailAddress=x@y.z,CN=a/b", "a/b" },
		{ "/O=x\\+y/CN=a+UID=b", "CN=a+UID=b,O=x\\+y", "a" },
		{ "/CN= lead#", "CN=\\ lead#", " lead#" },
		{ "/CN=#x;<>\"", "CN=\\#x\\;\\<\\>\\\"", "#x;<>\"" },
		{ "", "", NULL },
		{ "/O=NoCN", "O=NoCN", NULL },
		{ "/CN=\\xFF", "CN=\xef\xbf\xbd", "\xef\xbf\xbd" },
		/* Active Directory: the name is the last CN */
		{ "/DC=local/DC=corp/CN=Users/CN=Jane Doe",
		    "CN=Jane Doe,CN=Users,DC=corp,DC=local", "Jane Doe" },
		/* a '/' or '+' that starts no attribute is part of the value
		 * (older OpenSSL did not escape them) */
		{ "/CN=host/path", "CN=host/path", "host/path" },
		{ "/O=A/B Corp/CN=x", "CN=x,O=A/B Corp", "x" },
		{ "/CN=x/", "CN=x/", "x/" },
		{ "/CN=x+", "CN=x\\+", "x+" },
		{ "/CN=a+b/O=c", "O=c,CN=a\\+b", "a+b" },
		{ "/O=x//CN=y", "CN=y,O=x/", "y" },
		{ "/O=x/CN", "O=x/CN", NULL },
	};
	static const char *const bad[] = { "CN=x", "/CN", "/=x", "/C N=x", "/CN=x\\",
	    "/", "/CN/x" };
	/* plain and nearly plain, what the fast form must tell apart past the
	 * first 16 bytes it looks at at once */
	static const char *const wide[] = {
		"/C=DE/O=Bench Corp/OU=Servers/CN=host-0000000.bench.example",
		"/C=DE/O=Bench Corp/OU=Servers/CN=host-0000000.bench.example ",
		"/C=DE/O=Bench Corp/OU=Servers/CN=#host",
		"/C=DE/O=Bench Corp/OU=Servers/CN= host",
		"/C=DE/O=Bench Corp/OU=Servers/CN=a,b",
		"/C=DE/O=Bench Corp/OU=Servers/CN=a;b<c>d\"e",
		"/C=DE/O=Bench Corp/OU=Servers/CN=a=b=c",
		"/C=DE/O=Bench Corp/OU=Servers/CN=a+OU=b",
		"/C=DE/O=Bench Corp/OU=Servers/CN=a\\/b",
		"/C=DE/O=Bench Corp/OU=Servers/CN=tab\there",
		"/C=DE/O=Bench Corp/OU=Servers/CN=del\x7f",
		"/C=DE/O=Bench Corp/OU=Servers/CN=M\xc3\xbcller",
		"/C=DE/O=Bench Corp/OU=Servers/CN=bad\xff",
		"/2.5.4.3=oid.example/O=x",
		"/O=x//CN=y",
		"/O=abcdefghijklmnopqrstuvwxyz/CN=",
		"/O=abcdefghijklmnopqrstuvwxyz/CN= ",
		"/O=abcdefghijklmn/=y",
		"/O=abcdefghijklmn/C N=y",
		"/O=abcdefghijklmn/CN=y/",
		"/O=abcdefghijk/CN=y",
		"/O=abcdefghijkl/CN=y",
		"/",
		"/O=x/CN=first/CN=second",
		"/cn=lower/O=x",
		"/O=x/Cn=mixed/CNN=no/C=y",
		"/CNAME=no/O=x",
	};
	static const struct {
		const char *in, *want, *cn;
	} win[] = {
		{ "CN=web01.corp.example, OU=IT, O=Corp, C=DE",
		    "CN=web01.corp.example,OU=IT,O=Corp,C=DE", "web01.corp.example" },
		{ "CN=\"M\xc3\xbcller, J\xc3\xbcrgen\", O=Corp",
		    "CN=M\xc3\xbcller\\, J\xc3\xbcrgen,O=Corp", "M\xc3\xbcller, J\xc3\xbcrgen" },
		{ "CN=a + OU=b, O=c", "CN=a+OU=b,O=c", "a" },
		{ "CN=x\nOU=y", "CN=x,OU=y", "x" },
		{ "E=x@y.z, CN=\"q\"\"t\"", "E=x@y.z,CN=q\\\"t", "q\"t" },
		/* Active Directory, most specific first: the name is the
		 * first CN of this form (the last in DER order) */
		{ "CN=Jane Doe, CN=Users, DC=corp, DC=local",
		    "CN=Jane Doe,CN=Users,DC=corp,DC=local", "Jane Doe" },
	};
	size_t i;
	char *s, *cn;

	for (i = 0; i < sizeof(oneline) / sizeof(oneline[0]); i++) {
		s = dn_from_oneline(oneline[i].in);
		is_str(s, oneline[i].want, "one-line '%s'", oneline[i].in);
		free(s);
		s = dn_oneline_cn(oneline[i].in);
		is_str(s, oneline[i].cn, "CN of '%s'", oneline[i].in);
		free(s);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s = dn_from_oneline(bad[i]);
		ok(s == NULL, "bogus one-line DN '%s' rejected", bad[i]);
		free(s);
	}
	for (i = 0; i < sizeof(oneline) / sizeof(oneline[0]); i++)
		same_subject(oneline[i].in, strlen(oneline[i].in));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		same_subject(bad[i], strlen(bad[i]));
	for (i = 0; i < sizeof(wide) / sizeof(wide[0]); i++)
		same_subject(wide[i], strlen(wide[i]));
	same_subject("/CN=ab\0cd", 9);		/* a C string ends at NUL */
	/* each DN after a plain one with the same attributes but the last */
	{
		static const char *const turns[] = {
			"/O=x/CN=y", "/O=x/CN=z", "/O=x/CN=z/CN=w", "/O=x/CN=", "/O=x/",
			"/O=x/CN=a", "/O=x", "/O=x/CN=b", "/O=xx/CN=c", "/O=/CN=d",
			"/O=x/CN=e", "/CN=f", "/O=x/CN=g", "/O=x/CN=g\\/h", "/O=x/CN=i",
			"/O=x/CN=j+UID=k", "/O=x/CN=k", "/O=x/CN=M\xC3\xBCller",
			"/O=x/CN=l", "/O=x/CNAME", "/O=x/CN=m", "/O=x/ CN=n",
			"/O=x/CN=o", "/O=x/CN=\x7f",
		};
		const char *pairs[2 * sizeof(wide) / sizeof(wide[0])];
		struct buf longer = { 0 }, longest = { 0 };
		const char *edge[4];

		for (i = 0; i < sizeof(wide) / sizeof(wide[0]); i++) {
			pairs[2 * i] = wide[0];
			pairs[2 * i + 1] = wide[i];
		}
		same_in_turn("after the plain bench DN", pairs, 2 * i);
		same_in_turn("one-line DNs", wide, sizeof(wide) / sizeof(wide[0]));
		same_in_turn("one attribute more or less", turns,
		    sizeof(turns) / sizeof(turns[0]));
		/* attributes before the last of 120 and 140 bytes (the
		 * former kept, the latter not) */
		buf_printf(&longer, "/O=%0116d/CN=a", 0);
		buf_printf(&longest, "/O=%0136d/CN=a", 0);
		edge[0] = longer.data;
		edge[1] = longer.data;
		edge[2] = longest.data;
		edge[3] = longest.data;
		same_in_turn("long DNs", edge, 4);
		buf_free(&longer);
		buf_free(&longest);
	}
	many_attributes(64);
	many_attributes(65);
	for (i = 0; i < sizeof(win) / sizeof(win[0]); i++) {
		cn = NULL;
		s = dn_from_windows(win[i].in, strlen(win[i].in), &cn);
		is_str(s, win[i].want, "Windows DN %zu", i);
		is_str(cn, win[i].cn, "its CN");
		free(s);
		free(cn);
	}
	s = dn_from_windows("CN=\"open", 9, NULL);
	ok(s == NULL, "unterminated quote rejected");
	free(s);
}

/* --------------------------------------------------------------- index.txt */
static void
test_index(void)
{
	static const char idx[] =
	    "# comment\n"
	    "V\t290225235604Z\t\t9BD6A5248B776189\tunknown\t/C=DE/O=Corp/CN=web01\n"
	    "R\t261223235519Z\t261123235519Z,keyCompromise\t1001\tunknown\t/CN=mail\n"
	    "E\t210101000000Z\t\t1004\tunknown\t/CN=old\n"
	    "V\t20600101120000Z\t\t10aa\tunknown\t/CN=M\\xC3\\xBCller\r\n"
	    "\n"
	    "V\t2602300000Z\t\t1006\tunknown\t/CN=baddate\n"
	    "V\t260230000000Z\t\t1007\tunknown\t/CN=feb30\n"
	    "V\t290225235604Z\t\t10G7\tunknown\t/CN=badserial\n"
	    "X\t290225235604Z\t\t1008\tunknown\t/CN=badstatus\n"
	    "V\t290225235604Z\t\t1009\tunknown\n"
	    "V\t290225235604Z\t\t100A\tunknown\t/CN=x\textra\n"
	    "V\t290225235604Z\t\t100B\tunknown\tCN=noslash\n"
	    "S\t290225235604Z\t\t100C\tunknown\t/CN=suspended\n"
	    "R\t290225235604Z\t261123235524Z,keyTime,20260101000000Z\t100D\tunknown\t/CN=kt\n"
	    "V\t290225235604Z\t\t100E\tunknown\t/CN=last";	/* no final newline */
	struct report r;
	const struct cert *c;
	char *big;
	size_t n;

	scan(&r, idx, sizeof(idx) - 1, 0);
	ok(r.ncerts == 4, "index.txt: 4 certificates (got %zu)", r.ncerts);
	ok(r.nproblems == 7, "index.txt: 7 bad lines (got %zu)", r.nproblems);
	c = find(&r, "9BD6A5248B776189");
	ok(c != NULL && strcmp(c->ci.subject, "CN=web01,O=Corp,C=DE") == 0 &&
	    strcmp(c->ci.cn, "web01") == 0 && c->ci.issuer == NULL &&
	    strcmp(iso(c->ci.not_after), "2029-02-25T23:56:04Z") == 0 &&
	    c->nlocs == 1 && c->locs[0].record == 2 &&
	    strcmp(c->locs[0].format, "index.txt") == 0, "V row read");
	ok(find(&r, "1001") == NULL, "revoked row ignored");
	ok(find(&r, "1004") != NULL, "E row reported (expiry from the date)");
	c = find(&r, "10AA");
	ok(c != NULL && strcmp(iso(c->ci.not_after), "2060-01-01T12:00:00Z") == 0 &&
	    strcmp(c->ci.cn, "M\xc3\xbcller") == 0, "GeneralizedTime, UTF-8, CRLF, "
	    "serial upper-cased");
	ok(problem_at(&r, 7, "malformed expiry"), "line 7: short date");
	ok(problem_at(&r, 8, "malformed expiry"), "line 8: Feb 30");
	ok(problem_at(&r, 9, "malformed serial"), "line 9: serial");
	ok(problem_at(&r, 10, "unknown status"), "line 10: status");
	ok(problem_at(&r, 11, "found 5"), "line 11: five fields");
	ok(problem_at(&r, 12, "more than 6"), "line 12: seven fields");
	ok(problem_at(&r, 13, "malformed subject"), "line 13: subject");
	ok(find(&r, "100C") == NULL, "S row ignored");
	ok(find(&r, "100E") != NULL, "last line without newline");
	report_free(&r);

	scan(&r, idx, sizeof(idx) - 1, 1);
	ok(r.ncerts == 7, "--include-revoked: 7 certificates (got %zu)", r.ncerts);
	c = find(&r, "1001");
	ok(c != NULL && c->ci.revoked && strcmp(c->ci.revoke_reason, "keyCompromise") == 0,
	    "revocation reason");
	c = find(&r, "100D");
	ok(c != NULL && strcmp(c->ci.revoke_reason, "keyCompromise") == 0,
	    "keyTime means keyCompromise");
	report_free(&r);

	/* a 50 MB line among good ones */
	n = 50 * 1024 * 1024;
	big = malloc(n + 200);
	strcpy(big, "V\t290225235604Z\t\t01\tunknown\t/CN=a\nV\t290225235604Z\t\t02\tunknown\t/CN=");
	memset(big + strlen(big), 'x', n);
	strcpy(big + n + 60, "\nV\t290225235604Z\t\t03\tunknown\t/CN=c\n");
	scan(&r, big, n + 60 + strlen(big + n + 60), 0);
	ok(r.ncerts == 2 && problem_at(&r, 2, "longer than"), "50 MB line: error "
	    "on line 2, others read");
	report_free(&r);
	free(big);

	scan(&r, "hello\tworld\n", 12, 0);
	ok(r.ncerts == 0 && r.nproblems == 0 && r.nskips == 1, "plain text skipped");
	report_free(&r);
}

/* ----------------------------------------------------------- certutil text */
static const char text_en[] =
    "Schema:\n"
    "  Column Name                   Localized Name                Type    MaxLength\n"
    "  ----------------------------  ----------------------------  ------  ---------\n"
    "  RequestID                     Request ID                    Long    4 -- Indexed\n"
    "  Request.RequesterName         Requester Name                String  2048 -- Indexed\n"
    "  SerialNumber                  Serial Number                 String  128 -- Indexed\n"
    "  CommonName                    Issued Common Name            String  64 -- Indexed\n"
    "  NotAfter                      Certificate Expiration Date   Date    8 -- Indexed\n"
    "  CertificateTemplate           Certificate Template          String  254 -- Indexed\n"
    "  Request.Disposition           Request Disposition           Long    4 -- Indexed\n"
    "  DistinguishedName             Issued Distinguished Name     String  8192 -- Indexed\n"
    "\n"
    "Row 1:\n"
    "  Request ID: 0x2 (2)\n"
    "  Requester Name: \"CORP\\Administrator\"\n"
    "  Serial Number: \"6100000002a1b2c3\"\n"
    "  Issued Common Name: \"web01.corp.example\"\n"
    "  Certificate Expiration Date: 4/25/2027 7:36 PM\n"
    "  Certificate Template: \"WebServer\"\n"
    "  Request Disposition: 0x14 (20) -- Issued\n"
    "  Issued Distinguished Name: \"CN=web01.corp.example, O=Corp, C=DE\"\n"
    "\n"
    "Row 2:\n"
    "  Request ID: 0x3 (3)\n"
    "  Requester Name: \"CORP\\alice\"\n"
    "  Serial Number: \"6100000003\"\n"
    "  Issued Common Name: \"multi.corp.example\n"
    "second.corp.example\"\n"
    "    0000  6d 75 6c 74 69 3a 20 78   multi: x\n"
    "  Certificate Expiration Date: 4/26/2027 7:36:12 AM\n"
    "  Certificate Template: \"1.3.6.1.4.1.311.21.8.1.2\" Corp Web Server\n"
    "  Request Disposition: 0x15 (21) -- Revoked\n"
    "  Issued Distinguished Name: EMPTY\n"
    "\n"
    "Row 3:\n"
    "  Request ID: 0x4 (4)\n"
    "  Serial Number: \"6100000004\"\n"
    "  Issued Common Name: \"bad.corp.example\"\n"
    "  Certificate Expiration Date: 4/31/2027 7:36 PM\n"
    "  Request Disposition: 0x14 (20) -- Issued\n"
    "\n"
    "Row 4:\n"
    "  Request ID: 0x5 (5)\n"
    "  Issued Common Name: EMPTY\n"
    "  Certificate Expiration Date: EMPTY\n"
    "  Request Disposition: 0x1f (31) -- Denied\n"
    "\n"
    "Row 5:\n"
    "  Request ID: 0x6 (6)\n"
    "  Serial Number: \"zz\"\n"
    "  Certificate Expiration Date: 4/25/2027 7:36 PM\n"
    "\n"
    "Maximum Row Index: 5\n"
    "\n"
    "5 Rows\n"
    "  40 Row Properties, Total Size = 1234, Max Size = 64, Ave Size = 30\n"
    "   0 Request Attributes, Total Size = 0, Max Size = 0, Ave Size = 0\n"
    "   0 Certificate Extensions, Total Size = 0, Max Size = 0, Ave Size = 0\n"
    "  40 Total Fields, Total Size = 1234, Max Size = 64, Ave Size = 30\n"
    "CertUtil: -view command completed successfully.\n";

static const char text_de[] =
    "Zeile 1:\n"
    "  Anforderungs-ID: 0x7 (7)\n"
    "  Seriennummer: \"61000000a3f1\"\n"
    "  Ausgestellter allgemeiner Name: \"M\xc3\xbcller\"\n"
    "  Ablaufdatum des Zertifikats: 25.04.2027 19:36\n"
    "  Zertifikatvorlage: \"Benutzer\"\n"
    "  Anforderungsstatus: 0x14 (20) -- Ausgestellt\n"
    "\n"
    "Zeile 2:\n"
    "  Anforderungs-ID: 0x8 (8)\n"
    "  Seriennummer: \"61000000a3f2\"\n"
    "  Ausgestellter allgemeiner Name: \"trunc\"\n"
    "  Ablaufdatum des Zertifikats: 25.04.2027 19:36\n"
    "  Bin\xc3\xa4rzertifikat:\n"
    "-----BEGIN CERTIFICATE-----\n"
    "MIIB\n";

static void
test_text(void)
{
	struct report r;
	const struct cert *c;

	scan(&r, text_en, sizeof(text_en) - 1, 0);
	ok(r.ncerts == 1, "certutil text: 1 issued certificate (got %zu)", r.ncerts);
	c = find(&r, "6100000002A1B2C3");
	ok(c != NULL && strcmp(c->ci.cn, "web01.corp.example") == 0 &&
	    strcmp(iso(c->ci.not_after), "2027-04-25T19:36:00Z") == 0 &&
	    strcmp(c->ci.template, "WebServer") == 0 &&
	    strcmp(c->ci.request_id, "2") == 0 &&
	    strcmp(c->ci.requester, "CORP\\Administrator") == 0 &&
	    strcmp(c->ci.subject, "CN=web01.corp.example,O=Corp,C=DE") == 0 &&
	    c->locs[0].record == 1 && strcmp(c->locs[0].format, "certutil-text") == 0,
	    "row 1 fields");
	ok(problem_at(&r, 3, "malformed expiry date"), "row 3: bad date");
	ok(problem_at(&r, 5, "malformed serial"), "row 5: bad serial");
	ok(r.nproblems == 2, "two errors (got %zu)", r.nproblems);
	report_free(&r);

	scan(&r, text_en, sizeof(text_en) - 1, 1);
	c = find(&r, "6100000003");
	ok(c != NULL && c->ci.revoked && strcmp(c->ci.revoke_reason, "revoked") == 0 &&
	    strcmp(c->ci.cn, "second.corp.example") == 0 &&
	    strcmp(c->ci.template, "Corp Web Server") == 0 &&
	    strcmp(iso(c->ci.not_after), "2027-04-26T07:36:12Z") == 0,
	    "revoked row with multi-valued name (the last value) and OID template");
	ok(r.nproblems == 2, "denied row without a date is ignored even when "
	    "included (%zu problems)", r.nproblems);
	report_free(&r);

	scan(&r, text_de, sizeof(text_de) - 1, 0);
	c = find(&r, "61000000A3F1");
	ok(r.ncerts == 1 && c != NULL && strcmp(c->ci.cn, "M\xc3\xbcller") == 0 &&
	    strcmp(iso(c->ci.not_after), "2027-04-25T19:36:00Z") == 0 &&
	    strcmp(c->ci.template, "Benutzer") == 0, "German export without schema");
	ok(problem_at(&r, 2, "truncated"), "truncated PEM names row 2");
	report_free(&r);

	scan(&r, "Row 1: is what I wrote\nin my notes\n", 35, 0);
	ok(r.ncerts == 0 && r.nproblems == 0, "text that merely mentions rows: skipped");
	report_free(&r);
}

/* ------------------------------------------------------------ certutil CSV */
static const char csv_en[] =
    "\"Request ID\",\"Serial Number\",\"Issued Common Name\",\"Certificate Expiration "
    "Date\",\"Certificate Template\",\"Request Disposition\"\r\n"
    "\"2\",\"6100000002a1\",\"web01.corp.example\",\"4/25/2027 7:36 PM\",\"WebServer\","
    "\"20 -- Issued\"\r\n"
    "\"3\",\"6100000003a1\",\"say \"\"hi\"\"\",\"4/25/2027 7:36 PM\",EMPTY,"
    "\"0x14 (20) -- Issued\"\r\n"
    "\"4\",\"6100000004a1\",\"revoked\",\"4/25/2027 7:36 PM\",EMPTY,\"21 -- Revoked\"\r\n"
    "\"5\",\"6100000005a1\",\"baddate\",\"4/25/2027\",EMPTY,\"20 -- Issued\"\r\n"
    "\"6\",\"6100000006a1\",\"short\"\r\n"
    "\"7\",\"6100000007a1\",\"multi\nline\",\"4/25/2027 7:36 PM\",EMPTY,\"20\"\r\n";

static const char csv_unknown[] =
    "\"Nummer\",\"Serie\",\"Wer\",\"Von\",\"Bis\"\r\n"
    "\"2\",\"6100000002a1\",\"web01\",\"25.04.2025 19:36\",\"25.04.2027 19:36\"\r\n";

static void
test_csv(void)
{
	struct report r;
	const struct cert *c;
	static const char noexp[] = "\"Request ID\",\"Serial Number\"\r\n\"1\",\"01\"\r\n";

	scan(&r, csv_en, sizeof(csv_en) - 1, 0);
	ok(r.ncerts == 3, "CSV: 3 certificates (got %zu)", r.ncerts);
	c = find(&r, "6100000002A1");
	ok(c != NULL && strcmp(c->ci.cn, "web01.corp.example") == 0 &&
	    strcmp(c->ci.template, "WebServer") == 0 && c->locs[0].record == 1 &&
	    strcmp(c->locs[0].format, "certutil-csv") == 0 &&
	    strcmp(iso(c->ci.not_after), "2027-04-25T19:36:00Z") == 0, "CSV row 1");
	c = find(&r, "6100000003A1");
	ok(c != NULL && strcmp(c->ci.cn, "say \"hi\"") == 0 && c->ci.template == NULL,
	    "doubled quotes, EMPTY");
	c = find(&r, "6100000007A1");
	ok(c != NULL && strcmp(c->ci.cn, "line") == 0 && c->locs[0].record == 6,
	    "quoted line break: the last value names it");
	ok(problem_at(&r, 4, "malformed expiry"), "row 4: bad date");
	ok(problem_at(&r, 5, "expected 6 fields, found 3"), "row 5: short row");
	report_free(&r);

	scan(&r, csv_unknown, sizeof(csv_unknown) - 1, 0);
	c = find(&r, "6100000002A1");
	ok(r.ncerts == 1 && c != NULL && strcmp(c->ci.cn, "web01") == 0 &&
	    strcmp(iso(c->ci.not_after), "2027-04-25T19:36:00Z") == 0 &&
	    c->ci.has_not_before, "unknown headers: columns by shape");
	report_free(&r);

	scan(&r, noexp, sizeof(noexp) - 1, 0);
	ok(r.ncerts == 0 && problem_at(&r, 0, "no expiry date column"),
	    "CSV without an expiry column is an error");
	report_free(&r);

	scan(&r, "\"a\",\"b\"\n\"c\",\"d\"\n", 16, 0);
	ok(r.nproblems == 0 && r.nskips == 1, "unrelated quoted CSV skipped");
	report_free(&r);
}

/* ------------------------------------------------ certutil from real CAs */
/* German, no schema: the "Ausgestellt: " names split at the known name, not
 * at their first colon; LEER; a row goes on past blank lines */
static const char text_de_issued[] =
    "Zeile 1:\r\n"
    "  Ausgestellt: Anforderungs-ID: 0x9 (9)\r\n"
    "    0000  09 00 00 00                                       ....\r\n"
    "\r\n"
    "  Antragstellername: \"CORP\\jdoe\"\r\n"
    "\r\n"
    "  Ausgestellt: Allgemeiner Name: \"Users\r\n"
    "Jane Doe\"\r\n"
    "    0000  55 00 73 00 65 00 72 00  73 00 0a 00 4a 00 61 00  U.s.e.r.s...J.a.\r\n"
    "\r\n"
    "  Ausgestellt: Seriennummer: \"61000000b1\"\r\n"
    "  Anfangsdatum des Zertifikats: 25.04.2026 19:36 GMT\r\n"
    "\r\n"
    "  Ablaufdatum des Zertifikats: 25.04.2027 19:36 GMT\r\n"
    "  Zertifikatvorlage: LEER\r\n"
    "\r\n"
    "Maximaler Zeilenindex: 1\r\n";

/* a schema that names a column with ": " the reader does not know */
static const char text_schema_colon[] =
    "Schema:\n"
    "  RequestID             Ausgestellt: Anforderungs-ID  Long\n"
    "  SerialNumber          Ausgestellt: Serie: Nummer  String\n"
    "  CommonName            Ausgestellt: Allgemeiner Name  String\n"
    "  NotAfter              Ablauf: Datum  Date\n"
    "\n"
    "Zeile 1:\n"
    "  Ausgestellt: Anforderungs-ID: 0x9 (9)\n"
    "  Ausgestellt: Serie: Nummer: \"61000000b2\"\n"
    "  Ausgestellt: Allgemeiner Name: \"web: 1\"\n"
    "  Ablauf: Datum: 25.04.2027 19:36\n";

static void
scan_str(struct report *r, const char *s)
{
	scan(r, s, strlen(s), 0);
}

static void
test_real_ca(void)
{
	struct report r;
	const struct cert *c;
	struct buf b = { 0 };
	size_t split = 0, split2 = 0;
	int i, col, col2;

	col = cu_col_split("Ausgestellt: Allgemeiner Name: \"x\"", 34, &split);
	ok(col == CU_CN && split == 30, "split after 'Ausgestellt: Allgemeiner Name:' (%zu)",
	    split);
	col2 = cu_col_split("Ausgestellt: Seriennummer : 1", 29, &split2);
	ok(col2 == CU_SERIAL && split2 == 27, "'Ausgestellt: ' before a name listed "
	    "without it (%zu)", split2);
	ok(cu_col_split("Ausgestellt: Land: DE", 21, &split) < 0 && split == 0,
	    "unknown 'Ausgestellt: ' name: no split");
	ok(cu_col_by_name("Antragstellername", 17) == CU_REQUESTER &&
	    cu_col_by_name("Anfangsdatum des Zertifikats", 28) == CU_NOTBEFORE &&
	    cu_col_by_name("Ausgestellt: Anforderungs-ID", 28) == CU_REQID,
	    "German names seen in real exports");
	ok(cu_empty("LEER", 4) && cu_empty("EMPTY", 5) && !cu_empty("LEERE", 5),
	    "LEER and EMPTY are the empty marker");

	scan(&r, text_de_issued, sizeof(text_de_issued) - 1, 0);
	c = find(&r, "61000000B1");
	ok(r.ncerts == 1 && r.nproblems == 0 && c != NULL &&
	    strcmp(c->ci.cn, "Jane Doe") == 0 && strcmp(c->ci.request_id, "9") == 0 &&
	    strcmp(c->ci.requester, "CORP\\jdoe") == 0 && c->ci.template == NULL &&
	    c->ci.has_not_before &&
	    strcmp(iso(c->ci.not_after), "2027-04-25T19:36:00Z") == 0,
	    "German text without schema: Ausgestellt: names, blank lines, LEER, last CN");
	report_free(&r);

	scan(&r, text_schema_colon, sizeof(text_schema_colon) - 1, 0);
	c = find(&r, "61000000B2");
	ok(r.ncerts == 1 && c != NULL && strcmp(c->ci.cn, "web: 1") == 0 &&
	    strcmp(iso(c->ci.not_after), "2027-04-25T19:36:00Z") == 0,
	    "row lines split at the schema's names, colons and all");
	report_free(&r);

	/* the structure after 4 KiB of prompt and schema */
	buf_addstr(&b, "C:\\> certutil -view\r\n\r\nSchema:\r\n");
	for (i = 0; i < 80; i++)
		buf_printf(&b, "  Request.Column%-12d  Spalte %-20d  String  64\r\n", i, i);
	buf_addstr(&b, "  NotAfter                Ablaufdatum des Zertifikats  Date  8\r\n\r\n"
	    "Zeile 1:\r\n  Ablaufdatum des Zertifikats: 25.04.2027 19:36\r\n"
	    "  Spalte 1: \"-----BEGIN CERTIFICATE-----\"\r\n");
	ok(b.len > 4096 && reader_certutil_text.probe((unsigned char *)b.data, b.len),
	    "text probe: a schema after a prompt line, rows past 4 KiB");
	scan(&r, b.data, b.len, 0);
	ok(r.ncerts == 1 && r.nproblems == 0 && r.ncerts > 0 &&
	    strcmp(r.certs[0]->locs[0].format, "certutil-text") == 0,
	    "... read as certutil text");
	report_free(&r);
	buf_free(&b);

	/* rows that carry no identity, and rows told apart by Request ID */
	scan_str(&r, "\"Certificate Template\",\"Issued Common Name\",\"Certificate "
	    "Expiration Date\"\r\n\"M\",\"pc1\",\"4/25/2027 7:36 PM\"\r\n"
	    "\"M\",\"pc1\",\"4/25/2027 7:36 PM\"\r\n");
	ok(r.ncerts == 2 && r.certs[0]->nlocs == 1, "two rows without identity: two "
	    "certificates (%zu)", r.ncerts);
	report_free(&r);
	scan_str(&r, "\"Request ID\",\"Issued Common Name\",\"Certificate "
	    "Expiration Date\"\r\n\"7\",\"pc1\",\"4/25/2027 7:36 PM\"\r\n"
	    "\"8\",\"pc1\",\"4/25/2027 7:36 PM\"\r\n\"8\",\"pc1\",\"4/25/2027 7:36 PM\"\r\n");
	ok(r.ncerts == 2, "Request IDs 7, 8, 8: two certificates (%zu)", r.ncerts);
	report_free(&r);

	/* certutil prints a DN most specific first (CN=Jane Doe, CN=Users,
	 * DC=...): without a CN column its first CN is the last in DER order */
	scan_str(&r, "Row 1:\n  Serial Number: \"61000000ed\"\n"
	    "  Issued Distinguished Name: \"CN=Jane Doe, CN=Users, DC=corp, DC=local\"\n"
	    "  Certificate Expiration Date: 4/25/2027 7:36 PM\n");
	ok(r.ncerts == 1 && r.certs[0]->ci.cn != NULL &&
	    strcmp(r.certs[0]->ci.cn, "Jane Doe") == 0 &&
	    strcmp(r.certs[0]->ci.subject, "CN=Jane Doe,CN=Users,DC=corp,DC=local") == 0,
	    "AD user DN without a CN column: Jane Doe");
	report_free(&r);

	/* a row with an empty subject and no name: its serial */
	scan_str(&r, "Row 1:\n  Serial Number: \"61000000ee\"\n  Issued Common Name: \"\"\n"
	    "  Issued Distinguished Name: \"\"\n"
	    "  Certificate Expiration Date: 4/25/2027 7:36 PM\n");
	ok(r.ncerts == 1 && strcmp(certinfo_name(&r.certs[0]->ci), "61000000EE") == 0,
	    "empty subject: named by the serial");
	report_free(&r);
}

int
main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	test_dates();
	test_encodings();
	test_dn();
	test_index();
	test_text();
	test_csv();
	test_real_ca();
	return tap_done();
}
