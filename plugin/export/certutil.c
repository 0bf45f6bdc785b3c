/*
 * What the certutil text and CSV readers share: column names (internal,
 * English, German), certutil's value syntax, and turning one row into a
 * certificate for the sink.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "export.h"

void
cu_ctx_init(struct cu_ctx *x, struct sink *s, const char *format)
{
	const struct config *cfg = sink_config(s);

	memset(x, 0, sizeof(*x));
	x->sink = s;
	x->format = format;
	x->include_revoked = cfg != NULL && cfg->include_revoked;
}

static void
detect_step(void *arg, const unsigned char *upto)
{
	sink_consumed(arg, upto);
}

int
cu_detect(struct sink *s, const unsigned char *p, size_t len)
{
	return textenc_detect_steps(p, len, detect_step, s);
}

void
cu_read(struct sink *s, const unsigned char *p, size_t len, const char *format,
    void (*parse)(struct cu_ctx *, struct cur))
{
	const unsigned char *u;
	unsigned char *owned;
	size_t ulen;
	int enc, truncated;
	char err[128];
	struct cu_ctx *x;
	struct cur c;

	enc = cu_detect(s, p, len);
	if (!textenc_to_utf8(p, len, enc, &u, &ulen, &owned, &truncated, err,
	    sizeof(err))) {
		sink_error(s, 0, "%s", err);
		return;
	}
	if (truncated)
		sink_error(s, 0, "truncated %s text (odd number of bytes)",
		    textenc_name(enc));
	x = xmalloc(sizeof(*x));
	cu_ctx_init(x, s, format);
	x->cache = xcalloc(1, sizeof(*x->cache));
	c.p = (const char *)u;
	c.len = ulen;
	parse(x, c);
	free(x->cache);
	free(x);
	free(owned);
}

/* ------------------------------------------------------------------ values */

static void
trim(struct cur *c)
{
	while (c->len > 0 && (c->p[0] == ' ' || c->p[0] == '\t' || c->p[0] == '\r' ||
	    c->p[0] == '\n'))
		cur_skip(c, 1);
	while (c->len > 0 && (c->p[c->len - 1] == ' ' || c->p[c->len - 1] == '\t' ||
	    c->p[c->len - 1] == '\r' || c->p[c->len - 1] == '\n'))
		c->len--;
}

/*
 * The text of a value: absent and EMPTY give 0. Text form: a quoted string
 * gives its contents in *v and what follows the closing quote in *rest
 * (templates: the friendly name after the OID); CSV: the plain value with
 * doubled quotes still doubled (callers that care use cu_copy).
 */
static int
value(const struct cu_val *in, struct cur *v, struct cur *rest)
{
	struct cur c;
	const char *q;

	rest->p = NULL;
	rest->len = 0;
	if (in->p == NULL)
		return 0;
	c.p = in->p;
	c.len = in->len;
	trim(&c);
	if (c.len == 0 || cu_empty(c.p, c.len))
		return 0;
	if (c.p[0] == '"' && !in->csv) {
		cur_skip(&c, 1);
		if ((q = memchr(c.p, '"', c.len)) == NULL)
			q = c.p + c.len;
		v->p = c.p;
		v->len = (size_t)(q - c.p);
		if (q < c.p + c.len) {
			rest->p = q + 1;
			rest->len = c.len - v->len - 1;
			trim(rest);
		}
		return 1;
	}
	*v = c;
	return 1;
}

/* An allocated string moved into the arena. */
static char *
in_arena(struct arena *a, char *s)
{
	char *r = arena_strdup(a, s);

	free(s);
	return r;
}

/* A NUL-terminated UTF-8 copy in the arena; "" quotes collapsed for CSV
 * values, NUL bytes dropped. */
static char *
copy(struct arena *a, const struct cur *v, int csv)
{
	char *o = arena_alloc(a, v->len + 1);
	size_t i, n = 0;

	if ((!csv || memchr(v->p, '"', v->len) == NULL) &&
	    memchr(v->p, '\0', v->len) == NULL) {
		memcpy(o, v->p, v->len);
		n = v->len;
	} else {
		for (i = 0; i < v->len; i++) {
			if (csv && v->p[i] == '"' && i + 1 < v->len && v->p[i + 1] == '"')
				i++;
			if (v->p[i] == '\0')
				continue;
			o[n++] = v->p[i];
		}
	}
	o[n] = '\0';
	if (!text_utf8_valid(o, n))
		return in_arena(a, utf8_repair((unsigned char *)o, n));
	return o;
}

/* Last line of a value: a multi-valued name lists one value per line
 * ("Users", then "Jane Doe"), the most specific last. */
static void
last_line(struct cur *v)
{
	const char *nl;

	trim(v);
	nl = memrchr(v->p, '\n', v->len);
	if (nl != NULL)
		cur_skip(v, (size_t)(nl + 1 - v->p));
	trim(v);
}

/* certutil longs: "0x14 (20)", "0x3", "20", with "-- Word" after. */
static int
parse_long(const struct cur *v, long *out)
{
	struct cur c = *v;
	long r = 0;
	size_t d = 0;
	int hex = 0, dig;

	if (c.len >= 2 && c.p[0] == '0' && (c.p[1] | 0x20) == 'x') {
		cur_skip(&c, 2);
		hex = 1;
	}
	while (c.len > 0 && d < 15) {
		if (c.p[0] >= '0' && c.p[0] <= '9')
			dig = c.p[0] - '0';
		else if (hex && (c.p[0] | 0x20) >= 'a' && (c.p[0] | 0x20) <= 'f')
			dig = (c.p[0] | 0x20) - 'a' + 10;
		else
			break;
		r = r * (hex ? 16 : 10) + dig;
		cur_skip(&c, 1);
		d++;
	}
	if (d == 0 || (c.len > 0 && c.p[0] != ' ' && c.p[0] != '\t' && c.p[0] != '-'))
		return 0;
	*out = r;
	return 1;
}

static const char *
disposition_reason(long d)
{
	switch (d) {
	case 21:
		return "revoked";
	case 31:
		return "denied";
	case 30:
		return "failed";
	case 9:
		return "pending";
	case 8:
		return "active";
	case 12:
		return "foreign";
	case 15:
	case 16:
		return "CA certificate";
	case 17:
		return "KRA certificate";
	default:
		return "not issued";
	}
}

static const char *
crl_reason(long r)
{
	static const char *const n[] = { "revoked", "keyCompromise", "cACompromise",
	    "affiliationChanged", "superseded", "cessationOfOperation",
	    "certificateHold", "revoked", "removeFromCRL", "privilegeWithdrawn",
	    "aACompromise" };

	return r >= 0 && r <= 10 ? n[r] : "revoked";
}

/* A serial's bytes: a hex digit as its upper-case form, ' ' as 1 (left
 * out), anything else 0. */
static const unsigned char serial_byte[256] = {
	[' '] = 1,
	['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
	['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
	['A'] = 'A', ['B'] = 'B', ['C'] = 'C', ['D'] = 'D', ['E'] = 'E', ['F'] = 'F',
	['a'] = 'A', ['b'] = 'B', ['c'] = 'C', ['d'] = 'D', ['e'] = 'E', ['f'] = 'F',
};

/* Serial: hex, spaces allowed between bytes; upper-case at out (room for
 * 64 and a NUL), its length in *n. 0 if it is not one. */
static int
serial_to(const struct cur *v, char *out, size_t *np)
{
	size_t i, n = 0;
	unsigned char c;

	for (i = 0; i < v->len; i++) {
		if ((c = serial_byte[(unsigned char)v->p[i]]) == 1)
			continue;
		if (c == 0 || n >= 64)
			return 0;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	*np = n;
	return n > 0;
}

/* Template: "WebServer", or an OID followed by the friendly name. */
static char *
template_copy(struct arena *a, const struct cur *v, const struct cur *rest, int csv)
{
	struct cur c = *v;
	size_t i;
	int oid = c.len > 0 && c.p[0] >= '0' && c.p[0] <= '9';

	if (rest->len > 0)
		return copy(a, rest, csv);
	for (i = 0; oid && i < c.len && c.p[i] != ' '; i++)
		if (!((c.p[i] >= '0' && c.p[i] <= '9') || c.p[i] == '.'))
			oid = 0;
	if (oid && i < c.len) {
		cur_skip(&c, i);
		trim(&c);
		if (c.len > 0)
			return copy(a, &c, csv);
	}
	return copy(a, v, csv);
}

/* The DER of a certificate value: a PEM block, or bare base64. */
static int
cert_der(const struct cur *v, unsigned char **der, size_t *len)
{
	const char *b, *e, *end = v->p + v->len;
	const char *begin = "-----BEGIN", *endm = "-----END";

	b = v->p;
	for (e = v->p; e + 10 <= end; e++)
		if (memcmp(e, begin, 10) == 0)
			break;
	if (e + 10 <= end) {
		b = memchr(e, '\n', (size_t)(end - e));
		if (b == NULL)
			return 0;
		b++;
		for (e = b; e + 8 <= end; e++)
			if (memcmp(e, endm, 8) == 0)
				break;
		if (e + 8 > end)
			return 0;
	} else
		e = end;
	return base64_decode((const unsigned char *)b, (size_t)(e - b), der, len);
}

/* "%ld" of a non-negative n (parse_long reads no sign) at out, without
 * printf. */
static void
reqid_to(long n, char out[24])
{
	char tmp[24], *p = tmp + sizeof(tmp);

	*--p = '\0';
	do {
		*--p = (char)('0' + n % 10);
		n /= 10;
	} while (n > 0);
	memcpy(out, p, (size_t)(tmp + sizeof(tmp) - p));
}

static char *
long_text(struct arena *a, long n)
{
	char tmp[24];

	reqid_to(n, tmp);
	return arena_strdup(a, tmp);
}

/* The extras every reported row carries. */
static void
row_extras(struct arena *a, const struct cu_val vals[CU_NCOLS], struct certinfo *ci, int csv)
{
	struct cur v, rest;
	long n;

	if (value(&vals[CU_TEMPLATE], &v, &rest))
		ci->template = template_copy(a, &v, &rest, csv);
	if (value(&vals[CU_REQID], &v, &rest)) {
		if (parse_long(&v, &n))
			ci->request_id = long_text(a, n);
		else
			ci->request_id = copy(a, &v, csv);
	}
	if (value(&vals[CU_REQUESTER], &v, &rest))
		ci->requester = copy(a, &v, csv);
}

/* A row kept by --include-revoked: revoked, and why. */
static void
row_revoked(struct arena *a, const struct cu_val vals[CU_NCOLS], long disp,
    struct certinfo *ci)
{
	struct cur v, rest;
	long reason;

	if (disp == 20)
		return;
	ci->revoked = 1;
	if (disp == 21 && value(&vals[CU_REVREASON], &v, &rest) && parse_long(&v, &reason))
		ci->revoke_reason = arena_strdup(a, crl_reason(reason));
	else
		ci->revoke_reason = arena_strdup(a, disposition_reason(disp));
}

static int
row_error(struct cu_ctx *x, long record, const char *what, const struct cur *v)
{
	char show[64];

	if (v != NULL)
		sink_error(x->sink, record, "%s '%s'", what, cur_shown(v, show, sizeof(show)));
	else
		sink_error(x->sink, record, "%s", what);
	return 0;
}

/* Expiry and effective dates into ci; 1 to go on, 0 ignored (a row that
 * was never a certificate), -1 reported as an error. */
static int
row_dates(struct cu_ctx *x, long record, const struct cu_val vals[CU_NCOLS], long disp,
    struct certinfo *ci)
{
	struct cur v, rest;
	int64_t t;

	if (vals[CU_NOTAFTER].p == NULL && vals[CU_RAWCERT].p != NULL)
		return row_error(x, record, "no certificate and no expiry date column "
		    "(NotAfter, Certificate Expiration Date)", NULL) - 1;
	if (vals[CU_NOTAFTER].p == NULL) {
		/* the query's columns: said once, of the file */
		if (!x->noexp_said)
			sink_error(x->sink, 0, "no expiry date column (NotAfter, "
			    "Certificate Expiration Date, Ablaufdatum des Zertifikats) "
			    "and no certificate (RawCertificate) in the export");
		x->noexp_said = 1;
		return -1;
	}
	if (!value(&vals[CU_NOTAFTER], &v, &rest)) {
		if (disp != 20) {	/* denied, pending...: never a certificate */
			x->ignored++;
			sink_note_at(x->sink, "row", record, "disposition %ld (%s) without "
			    "expiry date ignored", disp, disposition_reason(disp));
			return 0;
		}
		return row_error(x, record, "no expiry date", NULL) - 1;
	}
	if (!cadate_parse(v.p, v.len, x->cache, &t))
		return row_error(x, record, "malformed expiry date", &v) - 1;
	ci->not_after = t;
	if (value(&vals[CU_NOTBEFORE], &v, &rest)) {
		if (!cadate_parse(v.p, v.len, x->cache, &t))
			return row_error(x, record, "malformed effective date", &v) - 1;
		ci->not_before = t;
		ci->has_not_before = 1;
	}
	return 1;
}

/* Subject (from the DN column) and CN (the CN column, else the DN's). */
static void
row_names(struct cu_ctx *x, long record, const struct cu_val vals[CU_NCOLS], int csv,
    struct certinfo *ci)
{
	struct arena *a = sink_arena(x->sink);
	struct cur v, rest;
	char *tmp, *cn = NULL;

	if (value(&vals[CU_DN], &v, &rest)) {
		tmp = copy(a, &v, csv);
		ci->subject = dn_from_windows(tmp, strlen(tmp), &cn);
		if (ci->subject == NULL)
			sink_note_at(x->sink, "row", record, "distinguished name not understood");
		else
			ci->subject = in_arena(a, ci->subject);
		if (cn != NULL)
			ci->cn = in_arena(a, cn);
	}
	if (value(&vals[CU_CN], &v, &rest)) {
		last_line(&v);
		if (v.len > 0)
			ci->cn = copy(a, &v, csv);
	}
}

int
cu_row(struct cu_ctx *x, long record, const struct cu_val vals[CU_NCOLS])
{
	struct sink_cert_meta meta = { x->format, record, NULL, NULL };
	struct arena *a = sink_arena(x->sink);	/* the strings of the record */
	struct certinfo ci, extra;
	struct cur v, rest;
	long disp = 20;
	unsigned char *der;
	size_t derlen, slen = 0;
	int csv = vals[CU_NOTAFTER].csv || vals[CU_RAWCERT].csv || vals[CU_DISP].csv;
	int rc, has_serial;
	char serial[65];

	if (value(&vals[CU_DISP], &v, &rest) && !parse_long(&v, &disp))
		return row_error(x, record, "malformed disposition", &v);
	memset(&ci, 0, sizeof(ci));
	if (disp != 20 && !x->include_revoked) {
		x->ignored++;
		sink_note_at(x->sink, "row", record, "disposition %ld (%s) ignored", disp,
		    disposition_reason(disp));
		return 1;
	}
	if (value(&vals[CU_RAWCERT], &v, &rest)) {
		if (!cert_der(&v, &der, &derlen))
			return row_error(x, record, "malformed Binary Certificate", NULL);
		memset(&extra, 0, sizeof(extra));
		row_revoked(a, vals, disp, &extra);
		row_extras(a, vals, &extra, csv);
		meta.extra = &extra;
		rc = sink_der(x->sink, der, derlen, &meta);
		free(der);
		x->reported += rc;
		return rc;
	}
	if ((rc = row_dates(x, record, vals, disp, &ci)) <= 0)
		return rc == 0;
	if ((has_serial = value(&vals[CU_SERIAL], &v, &rest)) &&
	    !serial_to(&v, serial, &slen))
		return row_error(x, record, "malformed serial number", &v);
	x->reported++;
	if (has_serial)
		ci.serial = arena_strndup(a, serial, slen);
	row_revoked(a, vals, disp, &ci);
	row_names(x, record, vals, csv, &ci);
	row_extras(a, vals, &ci, csv);
	/* neither certificate, serial nor Request ID: one of its own */
	ci.unique = !has_serial && ci.request_id == NULL;
	sink_certinfo(x->sink, &ci, &meta);
	return 1;
}
