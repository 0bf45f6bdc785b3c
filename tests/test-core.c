/* Unit tests of the core helpers: ranges, times, base64, PEM scanning,
 * sanitising, JSON escaping, UTF-8, regular expressions, state order, the
 * row identity hash. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "extern.h"
#include "tests/b64-oracle.h"
#include "tests/tap.h"

static void
test_ranges(void)
{
	static const struct {
		const char *spec;
		double v;
		int alert;	/* -1: spec invalid */
	} t[] = {
		{ "30", 29.99, 1 }, { "30", 30, 0 }, { "30", 400, 0 }, { "30", -5, 1 },
		{ "30:", 29.99, 1 }, { "30:", 30, 0 },
		{ "7", 6.999, 1 }, { "0", -0.01, 1 }, { "0", 0, 0 },
		{ "10:20", 9, 1 }, { "10:20", 10, 0 }, { "10:20", 20, 0 }, { "10:20", 21, 1 },
		{ "~:20", -1000, 0 }, { "~:20", 21, 1 },
		{ "@10:20", 15, 1 }, { "@10:20", 9, 0 }, { "@0:5", 3.5, 1 },
		{ ":20", -1, 1 }, { ":20", 0, 0 },
		{ "1.5", 1.4, 1 }, { "1.5", 1.5, 0 },
		{ "abc", 0, -1 }, { "", 0, -1 }, { "20:10", 0, -1 }, { "1:2:3", 0, -1 },
		{ "@", 0, -1 }, { "~", 0, -1 }, { "nan", 0, -1 }, { "inf", 0, -1 },
		{ "10x", 0, -1 },
	};
	struct range r;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int okp = range_parse(t[i].spec, &r);

		if (t[i].alert < 0)
			ok(!okp, "range '%s' is rejected", t[i].spec);
		else
			ok(okp && range_alert(&r, t[i].v) == t[i].alert,
			    "range '%s' at %.3f: %s", t[i].spec, t[i].v,
			    t[i].alert ? "alert" : "no alert");
	}
	range_parse("30", &r);
	is_str(r.text, "30:", "plain 30 prints as 30: in perfdata");
	range_parse("@0:5", &r);
	is_str(r.text, "@0:5", "ranges print as given");
}

static void
test_times(void)
{
	static const struct {
		const char *s;
		int64_t t;	/* -1: invalid */
	} now[] = {
		{ "2026-11-24", 1795478400 }, { "1970-01-01", 0 },
		{ "2026-11-24T12:34:56Z", 1795478400 + 45296 },
		{ "@0", 0 }, { "@1795478400", 1795478400 }, { "2000-02-29", 951782400 },
		{ "2026-13-01", -1 }, { "2026-02-29", -1 }, { "2026-11-24T24:00:00Z", -1 },
		{ "2026-11-24T12:00:00", -1 }, { "26-11-24", -1 }, { "@", -1 }, { "@12x", -1 },
		{ "", -1 }, { "2026-11-24 ", -1 },
	};
	int64_t t, day;
	size_t i;
	int y, mo, d, h, mi, s;
	char buf[64];

	for (i = 0; i < sizeof(now) / sizeof(now[0]); i++) {
		int okp = parse_now(now[i].s, &t);

		if (now[i].t < 0)
			ok(!okp, "--now '%s' is rejected", now[i].s);
		else
			ok(okp && t == now[i].t, "--now '%s' = %lld", now[i].s, (long long)now[i].t);
	}
	/* calendar round trip over 600 years, one day every 97 */
	for (t = -11644473600LL, i = 0; t < 16725225600LL; t += 97 * 86400 + 3671)
		{
			gmtime64(t, &y, &mo, &d, &h, &mi, &s);
			if (timegm64(y, mo, d, h, mi, s) != t)
				i++;
		}
	ok(i == 0, "gmtime64/timegm64 round trip 1601..2500 (%zu mismatches)", i);
	fmt_iso8601(NO_EXPIRY_TIME, buf, sizeof(buf));
	is_str(buf, "9999-12-31T23:59:59Z", "NO_EXPIRY_TIME is 99991231235959Z");
	fmt_utc_minute(1795478400 + 45296, buf, sizeof(buf));
	is_str(buf, "2026-11-24 12:34 UTC", "minute format");
	ok(days_from_civil(2026, 11, 24, &day) && day == 20781, "days_from_civil");
	ok(!days_from_civil(2100, 2, 29, &day), "2100 is not a leap year");
	ok(days_from_civil(1900, 3, 1, &day) && day == -25508, "1900 is not a leap year");
	/* every day of 1899..2101 (where the counted form and the era form
	 * meet), against a calendar walked day by day */
	{
		static const int ml[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
		int64_t want = -25567 - 365;	/* 1899-01-01 */
		int yy = 1899, mm = 1, dd = 1, bad = 0, len;

		for (; yy <= 2101; want++) {
			if (!days_from_civil(yy, mm, dd, &day) || day != want)
				bad++;
			len = ml[mm - 1] + (mm == 2 && yy % 4 == 0 && yy != 1900 && yy != 2100);
			if (dd == len && !days_from_civil(yy, mm, dd + 1, &day) == 0)
				bad++;	/* the day after the last is refused */
			if (++dd > len) {
				dd = 1;
				if (++mm > 12) {
					mm = 1;
					yy++;
				}
			}
		}
		ok(bad == 0, "days_from_civil, every day of 1899..2101 (%d wrong)", bad);
	}
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	ok(local_day(1795478400 - 1800, &day) && day == 20781,
	    "23:30 UTC is the next local day in Berlin");
	ok(local_to_utc(2027, 4, 25, 19, 36, 0, &t) && t == 1808674560,
	    "local 2027-04-25 19:36 Berlin (CEST) is 17:36 UTC");
	setenv("TZ", "UTC", 1);
	tzset();
}

static void
test_base64(void)
{
	static const struct {
		const char *in, *out;	/* out NULL: invalid */
	} t[] = {
		{ "", "" }, { "Zg==", "f" }, { "Zm8=", "fo" }, { "Zm9v", "foo" },
		{ "Zm9v\r\nYmFy", "foobar" }, { " Z m 9 v ", "foo" }, { "Zg", "f" },
		{ "Zg=", NULL }, { "Z", NULL }, { "Zm9v=", NULL }, { "Zg==Zg==", NULL },
		{ "Zm9*", NULL }, { "Zh==", NULL }, { "Zg===", NULL }, { "=", NULL },
	};
	unsigned char *o;
	size_t i, n;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int r = base64_decode((const unsigned char *)t[i].in, strlen(t[i].in), &o, &n);

		if (t[i].out == NULL)
			ok(!r, "base64 '%s' is rejected", t[i].in);
		else {
			ok(r && n == strlen(t[i].out) && memcmp(o, t[i].out, n) == 0,
			    "base64 '%s' decodes", t[i].in);
		}
		if (r)
			free(o);
	}
}

/* The decoder against the oracle: every byte value at every place of a
 * 40-letter run, then random mixes of letters, spaces, padding and other
 * bytes. */
static void
test_base64_fast(void)
{
	static const char abc[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned char in[300], want[300], *got;
	size_t len, i, wn, gn, diff = 0, cases = 0;
	unsigned int seed = 12345, r;
	int a, b, c;

	for (c = 0; c < 256; c++)
		for (i = 0; i < 40; i++) {
			for (len = 0; len < 40; len++)
				in[len] = (unsigned char)abc[(len * 7 + i) % 64];
			in[i] = (unsigned char)c;
			a = b64_oracle(in, 40, want, &wn);
			b = base64_decode(in, 40, &got, &gn);
			diff += a != b || (a && (wn != gn || memcmp(want, got, wn) != 0));
			if (b)
				free(got);
			cases++;
		}
	for (c = 0; c < 20000; c++) {
		seed = seed * 1103515245 + 12345;
		len = (seed >> 8) % 260;
		for (i = 0; i < len; i++) {
			seed = seed * 1103515245 + 12345;
			r = (seed >> 8) % 1000;
			in[i] = r < 960 ? (unsigned char)abc[r % 64] : r < 985 ? (unsigned char)"\n \r\t"[r % 4] :
			    r < 993 ? '=' : (unsigned char)(seed >> 16);
		}
		a = b64_oracle(in, len, want, &wn);
		b = base64_decode(in, len, &got, &gn);
		diff += a != b || (a && (wn != gn || memcmp(want, got, wn) != 0));
		if (b)
			free(got);
		cases++;
	}
	ok(diff == 0, "base64 as the rules read, %zu inputs (%zu differ)", cases, diff);
}

static void
test_pem(void)
{
	static const char two[] = "\xef\xbb\xbftext\r\n-----BEGIN CERTIFICATE-----\r\nAAAA\r\n"
	    "-----END CERTIFICATE-----\r\nbetween\n-----BEGIN PRIVATE KEY-----\nBBBB\n"
	    "-----END PRIVATE KEY-----\n";
	static const char open_end[] = "x\n-----BEGIN CERTIFICATE-----\nAAAA\n";
	static const char mismatch[] = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END X-----\n";
	struct pem_block b;
	size_t off = 0;

	ok(pem_next((const unsigned char *)two, sizeof(two) - 1, &off, &b) == 1 &&
	    pem_label_is(&b, "CERTIFICATE") && b.b64len == 8, "first block (BOM, CRLF)");
	ok(pem_line((const unsigned char *)two, &b) == 2, "first block starts on line 2");
	ok(pem_next((const unsigned char *)two, sizeof(two) - 1, &off, &b) == 1 &&
	    pem_label_is(&b, "PRIVATE KEY"), "second block is the key");
	ok(pem_next((const unsigned char *)two, sizeof(two) - 1, &off, &b) == 0, "then the end");
	off = 0;
	ok(pem_next((const unsigned char *)open_end, sizeof(open_end) - 1, &off, &b) == -1 &&
	    b.line == 2, "BEGIN without END is reported with its line");
	off = 0;
	ok(pem_next((const unsigned char *)mismatch, sizeof(mismatch) - 1, &off, &b) == -1,
	    "END with another label does not close the block");
}

static void
test_sanitize(void)
{
	static const struct {
		const char *in, *out;
	} t[] = {
		{ "web01.example", "web01.example" },
		{ "a|b", "a!b" },
		{ "line1\nCRITICAL: fake", "line1 CRITICAL: fake" },
		{ "cr\rx", "cr x" },
		{ "esc\x1b[31mred", "esc [31mred" },
		{ "bad\xff\xfeutf8", "bad\xef\xbf\xbd\xef\xbf\xbdutf8" },
		{ "M\xc3\xbcller", "M\xc3\xbcller" },
		{ "c1\xc2\x85x", "c1 x" },
		{ "del\x7f", "del " },
	};
	char *s, big[70000];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		s = sanitize_name(t[i].in, 100);
		is_str(s, t[i].out, "sanitize case %zu", i);
		free(s);
	}
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	s = sanitize_name(big, 200);
	ok(strlen(s) == 203 && strcmp(s + 200, "...") == 0, "a 64 KiB name is cut at 200 bytes");
	free(s);
	s = sanitize_name("\xc3\xbc\xc3\xbc\xc3\xbc", 5);
	is_str(s, "\xc3\xbc\xc3\xbc...", "cut never splits a UTF-8 sequence");
	free(s);
}

static void
test_json(void)
{
	static const struct {
		const char *in, *out;
	} t[] = {
		{ "plain", "\"plain\"" },
		{ "q\"b\\", "\"q\\\"b\\\\\"" },
		{ "nl\ncr\rtab\t", "\"nl\\ncr\\rtab\\t\"" },
		{ "\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"" },
		{ "\xe2\x80\xa8", "\"\\u2028\"" },
		{ "bad\xff", "\"bad\xef\xbf\xbd\"" },
		{ NULL, "null" },
	};
	struct buf b = { 0 };
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		b.len = 0;
		json_string(&b, t[i].in);
		is_str(b.data, t[i].out, "json_string case %zu", i);
	}
	buf_free(&b);
}

static void
test_utf8(void)
{
	ok(utf8_valid((const unsigned char *)"M\xc3\xbcller", 7), "valid UTF-8");
	ok(!utf8_valid((const unsigned char *)"\xc0\xaf", 2), "overlong rejected");
	ok(!utf8_valid((const unsigned char *)"\xed\xa0\x80", 3), "surrogate rejected");
	ok(!utf8_valid((const unsigned char *)"\xf4\x90\x80\x80", 4), "beyond U+10FFFF rejected");
	ok(!utf8_valid((const unsigned char *)"\xe2\x82", 2), "truncated sequence rejected");
	ok(utf8_valid((const unsigned char *)"\xf0\x9f\x94\x92", 4), "4-byte sequence");
}

static void
test_regex(void)
{
	struct rx *rx;
	char err[300], name[20001];
	int r;

	rx = rx_compile("^PC", err, sizeof(err));
	ok(rx && rx_match(rx, "pc001.corp", err, sizeof(err)) == 1, "^PC is case-insensitive");
	ok(rx && rx_match(rx, "SRV01", err, sizeof(err)) == 0, "^PC does not match SRV01");
	rx_free(rx);
	rx = rx_compile("^(?!PC)", err, sizeof(err));
	ok(rx && rx_match(rx, "SRV01", err, sizeof(err)) == 1 &&
	    rx_match(rx, "Pc01", err, sizeof(err)) == 0, "^(?!PC) keeps what is not PC");
	rx_free(rx);
	rx = rx_compile("^m\xc3\xbcller$", err, sizeof(err));
	ok(rx && rx_match(rx, "M\xc3\x9cLLER", err, sizeof(err)) == 1,
	    "caseless matching is UTF-8 aware (\xc3\xbc = \xc3\x9c)");
	rx_free(rx);
	ok(rx_compile("(unclosed", err, sizeof(err)) == NULL && strstr(err, "offset 9"),
	    "an invalid pattern names the offset: %s", err);
	/* catastrophic backtracking ends with an error, not a hang */
	rx = rx_compile("^(a+)+$", err, sizeof(err));
	memset(name, 'a', sizeof(name) - 2);
	name[sizeof(name) - 2] = '!';
	name[sizeof(name) - 1] = '\0';
	r = rx ? rx_match(rx, name, err, sizeof(err)) : 0;
	ok(r == -1 || r == 0, "catastrophic pattern is bounded (result %d)", r);
	rx_free(rx);
}

static void
test_states(void)
{
	ok(state_worse(STATE_CRITICAL, STATE_UNKNOWN) == STATE_CRITICAL, "CRITICAL > UNKNOWN");
	ok(state_worse(STATE_WARNING, STATE_UNKNOWN) == STATE_UNKNOWN, "UNKNOWN > WARNING");
	ok(state_worse(STATE_OK, STATE_WARNING) == STATE_WARNING, "WARNING > OK");
	is_str(state_name(STATE_UNKNOWN), "UNKNOWN", "state names");
}

static void
test_name_choice(void)
{
	struct certinfo ci;
	char *dns[] = { "san.example" };

	memset(&ci, 0, sizeof(ci));
	ci.subject = "CN=x,O=y";
	ci.cn = "x";
	ci.dns = dns;
	ci.ndns = 1;
	is_str(certinfo_name(&ci), "x", "name is the CN");
	ci.cn = NULL;
	is_str(certinfo_name(&ci), "san.example", "without CN: the first DNS name");
	ci.ndns = 0;
	ci.subject = "O=y";
	is_str(certinfo_name(&ci), "O=y", "without either: the subject DN");
}

/* Identities (cert_identity): the first half of the DER's SHA-256 for a
 * certificate, the XXH3-128 of the canonical row key for a CA-export row. */
static void
test_identity(void)
{
	static const unsigned char der[] = "not really a certificate";
	unsigned char md[32], a[CERT_ID_LEN], b[CERT_ID_LEN];
	struct certinfo x, y;
	struct buf scratch = { 0 };

	ossl_init();
	memset(&x, 0, sizeof(x));
	ossl_sha256(der, sizeof(der), x.sha256);
	x.has_sha256 = 1;
	x.not_after = 1;
	cert_identity(&x, &scratch, a);
	ossl_sha256(der, sizeof(der), md);
	ok(memcmp(a, md, CERT_ID_LEN) == 0, "a certificate's identity: its DER's SHA-256");
	memset(&x, 0, sizeof(x));
	memset(&y, 0, sizeof(y));
	x.issuer = y.issuer = "CN=CA";
	x.serial = y.serial = "01";
	x.subject = "CN=a";
	y.subject = "CN=b";
	x.not_after = 1;
	y.not_after = 2;
	cert_identity(&x, &scratch, a);
	cert_identity(&y, &scratch, b);
	ok(memcmp(a, b, CERT_ID_LEN) == 0, "rows: issuer and serial decide");
	y.serial = "02";
	cert_identity(&y, &scratch, b);
	ok(memcmp(a, b, CERT_ID_LEN) != 0, "rows: another serial, another identity");
	x.serial = y.serial = NULL;
	x.subject = y.subject = "CN=a";
	x.not_after = y.not_after = 5;
	x.request_id = "7";
	y.request_id = "8";
	cert_identity(&x, &scratch, a);
	cert_identity(&y, &scratch, b);
	ok(memcmp(a, b, CERT_ID_LEN) != 0, "rows without serial: the Request ID tells apart");
	y.request_id = "7";
	cert_identity(&y, &scratch, b);
	ok(memcmp(a, b, CERT_ID_LEN) == 0, "rows without serial: same Request ID, same row");
	x.request_id = y.request_id = NULL;
	x.unique = y.unique = 1;
	cert_identity(&x, &scratch, a);
	cert_identity(&y, &scratch, b);
	ok(memcmp(a, b, CERT_ID_LEN) != 0, "rows with neither serial nor Request ID: unique");
	buf_free(&scratch);
}

/* The arena: what it gave stays put and intact while more is allocated
 * (small, growing and oversized requests), every string is followed by
 * RX_SLACK readable bytes within its block, and reset and take keep what
 * they should. Run under ASan and valgrind, a bad block size shows here. */
static void
test_arena(void)
{
	struct arena a = { 0 }, b = { 0 };
	char *s[600], *big, *t;
	size_t i, bad = 0;

	for (i = 0; i < 600; i++) {
		char v[64];

		snprintf(v, sizeof(v), "string %zu", i);
		s[i] = arena_strdup(&a, v);
	}
	big = arena_alloc(&a, 3 * 1024 * 1024);
	memset(big, 'x', 3 * 1024 * 1024);
	t = arena_strndup(&a, "after the big one", 9);
	for (i = 0; i < 600; i++) {
		char v[64];

		snprintf(v, sizeof(v), "string %zu", i);
		bad += strcmp(s[i], v) != 0;
	}
	ok(bad == 0, "arena: 600 strings intact after 3 MiB more");
	ok(strcmp(t, "after the") == 0, "arena_strndup: cut at n and terminated");
	ok(((uintptr_t)arena_alloc(&a, 1) % sizeof(void *)) == 0 &&
	    ((uintptr_t)arena_alloc(&a, 8) % sizeof(void *)) == 0, "arena: aligned blocks");
	ok(arena_strdup(&a, NULL) == NULL, "arena_strdup(NULL): NULL");
	t = arena_strdup(&a, "slack");
	for (i = 0; i < RX_SLACK && t[6 + i] == '\0'; i++)
		;
	ok(i == RX_SLACK, "arena: the RX_SLACK bytes after a string in a fresh block are "
	    "zeros (and readable: ASan and valgrind run this too)");
	arena_reset(&a);
	t = arena_strdup(&a, "again");
	ok(strcmp(t, "again") == 0, "arena_reset: the kept block serves again");
	(void)arena_strdup(&b, "from b");
	arena_take(&a, &b);
	ok(b.block == NULL, "arena_take: the other arena is left empty");
	ok(strcmp(t, "again") == 0, "arena_take: what a holds stays");
	arena_free(&a);
	arena_free(&b);
	ok(a.block == NULL, "arena_free: empty");
}

int
main(void)
{
	setenv("TZ", "UTC", 1);
	test_ranges();
	test_times();
	test_base64();
	test_base64_fast();
	test_pem();
	test_sanitize();
	test_json();
	test_utf8();
	test_regex();
	test_states();
	test_name_choice();
	test_identity();
	test_arena();
	return tap_done();
}
