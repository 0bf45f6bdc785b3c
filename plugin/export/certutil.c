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

void
cu_ctx_free(struct cu_ctx *x)
{
	buf_free(&x->scratch);
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
	cu_ctx_free(x);
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

/* A NUL-terminated UTF-8 copy, one allocation; "" quotes collapsed for CSV
 * values, NUL bytes dropped. */
static char *
copy(const struct cur *v, int csv)
{
	char *o = xmalloc(v->len + 1), *r;
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
	if (!text_utf8_valid(o, n)) {
		r = utf8_repair((unsigned char *)o, n);
		free(o);
		return r;
	}
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

/* A value quoted in a message: printable ASCII, at most 40 bytes. */
static const char *
shown(const struct cur *v, char *out, size_t outlen)
{
	size_t i, n = 0;

	for (i = 0; i < v->len && n + 4 < outlen && i < 40; i++)
		out[n++] = v->p[i] >= 0x20 && v->p[i] < 0x7f ? v->p[i] : '?';
	if (i < v->len && n + 4 < outlen)
		out[n++] = '.', out[n++] = '.', out[n++] = '.';
	out[n] = '\0';
	return out;
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
template_copy(const struct cur *v, const struct cur *rest, int csv)
{
	struct cur c = *v;
	size_t i;
	int oid = c.len > 0 && c.p[0] >= '0' && c.p[0] <= '9';

	if (rest->len > 0)
		return copy(rest, csv);
	for (i = 0; oid && i < c.len && c.p[i] != ' '; i++)
		if (!((c.p[i] >= '0' && c.p[i] <= '9') || c.p[i] == '.'))
			oid = 0;
	if (oid && i < c.len) {
		cur_skip(&c, i);
		trim(&c);
		if (c.len > 0)
			return copy(&c, csv);
	}
	return copy(v, csv);
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
long_text(long n)
{
	char tmp[24];

	reqid_to(n, tmp);
	return xstrdup(tmp);
}

/* The extras every reported row carries. */
static void
row_extras(const struct cu_val vals[CU_NCOLS], struct certinfo *ci, int csv)
{
	struct cur v, rest;
	long n;

	if (value(&vals[CU_TEMPLATE], &v, &rest))
		ci->template = template_copy(&v, &rest, csv);
	if (value(&vals[CU_REQID], &v, &rest)) {
		if (parse_long(&v, &n))
			ci->request_id = long_text(n);
		else
			ci->request_id = copy(&v, csv);
	}
	if (value(&vals[CU_REQUESTER], &v, &rest))
		ci->requester = copy(&v, csv);
}

/* A row kept by --include-revoked: revoked, and why. */
static void
row_revoked(const struct cu_val vals[CU_NCOLS], long disp, struct certinfo *ci)
{
	struct cur v, rest;
	long reason;

	if (disp == 20)
		return;
	ci->revoked = 1;
	if (disp == 21 && value(&vals[CU_REVREASON], &v, &rest) && parse_long(&v, &reason))
		ci->revoke_reason = xstrdup(crl_reason(reason));
	else
		ci->revoke_reason = xstrdup(disposition_reason(disp));
}

static int
row_error(struct cu_ctx *x, long record, const char *what, const struct cur *v)
{
	char show[64];

	if (v != NULL)
		sink_error(x->sink, record, "%s '%s'", what, shown(v, show, sizeof(show)));
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
	struct cur v, rest;

	if (value(&vals[CU_DN], &v, &rest)) {
		char *tmp = copy(&v, csv);

		ci->subject = dn_from_windows(tmp, strlen(tmp), &ci->cn);
		if (ci->subject == NULL)
			sink_note_at(x->sink, "row", record, "distinguished name not understood");
		free(tmp);
	}
	if (value(&vals[CU_CN], &v, &rest)) {
		last_line(&v);
		if (v.len > 0) {
			free(ci->cn);
			ci->cn = copy(&v, csv);
		}
	}
}

/* A value copy() would give back as it is: ASCII without quotes or NUL
 * (eight bytes at a time: no high bit, no NUL byte, no '"' byte). */
static int
plain_ascii(const struct cur *v)
{
	uint64_t w;
	size_t i = 0;
	unsigned char c;

	for (; i + 8 <= v->len; i += 8) {
		memcpy(&w, v->p + i, 8);
		if ((w & UINT64_C(0x8080808080808080)) || byte_mask(w, '\0') ||
		    byte_mask(w, '"'))
			return 0;
	}
	for (; i < v->len; i++) {
		c = (unsigned char)v->p[i];
		if (c == '"' || c == '\0' || c >= 0x80)
			return 0;
	}
	return 1;
}

/* The row by its identity and dates (sink_row), for collect_nagios; 0 if it is
 * to be given in full instead (-f or -x need a name that is not a plain CN
 * column, or matching it failed). */
static int
row_quick(struct cu_ctx *x, long record, const struct cu_val vals[CU_NCOLS], int csv,
    struct certinfo *ci, const char *serial, size_t slen, const char *reqid)
{
	struct sink_row row;
	struct cur d, c, rest;
	char name[256];
	int dn, cn, plain, taken;

	/* the names row_names() would give, from the columns as they stand */
	dn = value(&vals[CU_DN], &d, &rest);
	if ((cn = value(&vals[CU_CN], &c, &rest)) != 0)
		last_line(&c);
	plain = cn && plain_ascii(&c);
	memset(&row, 0, sizeof(row));
	if (sink_row_needs_name(x->sink)) {
		/* -f and -x match the CN column, when it is plain */
		if (!plain || c.len == 0 || c.len >= sizeof(name))
			return 0;
		memcpy(name, c.p, c.len);
		/* NUL, and zeros past it (see reader_index.c) */
		memset(name + c.len, 0, sizeof(name) - c.len < 32 ? sizeof(name) - c.len : 32);
		row.select_name = name;
	}
	row.not_after = ci->not_after;
	row.not_before = ci->not_before;
	row.has_not_before = ci->has_not_before;
	row.serial = serial;
	row.serial_len = slen;
	row.request_id = reqid;
	row.request_id_len = reqid != NULL ? strlen(reqid) : 0;
	row.name = "";
	/* the identity's name: a plain DN put in RFC 4514 form here, else the
	 * CN column as it stands when it needs no copy */
	if (dn && dn_windows_subject(d.p, d.len, &x->scratch)) {
		row.name = x->scratch.data;
		row.name_len = x->scratch.len;
	} else if (!dn && (!cn || plain)) {
		if (cn && c.len > 0) {
			row.name = c.p;
			row.name_len = c.len;
		}
	} else {
		row_names(x, record, vals, csv, ci);
		row.name = ci->subject ? ci->subject : ci->cn ? ci->cn : "";
		row.name_len = strlen(row.name);
	}
	taken = sink_row(x->sink, record, x->format, &row, (const unsigned char *)x->row_p,
	    x->row_len);
	free(ci->subject);
	free(ci->cn);
	ci->subject = ci->cn = NULL;
	return taken;
}

int
cu_row(struct cu_ctx *x, long record, const struct cu_val vals[CU_NCOLS])
{
	struct sink_cert_meta meta = { x->format, record, NULL, NULL };
	struct certinfo ci, extra;
	struct cur v, rest;
	long disp = 20;
	unsigned char *der;
	size_t derlen, slen = 0;
	int csv = vals[CU_NOTAFTER].csv || vals[CU_RAWCERT].csv || vals[CU_DISP].csv;
	int rc, has_serial, quick;
	char serial[65], reqid[24];
	long n;

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
		row_revoked(vals, disp, &extra);
		row_extras(vals, &extra, csv);
		meta.extra = &extra;
		rc = sink_der(x->sink, der, derlen, &meta);	/* owns extra's members */
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
	/* without a serial the Request ID tells rows apart (the identity
	 * takes it as row_extras() writes it: a number, else the full path) */
	quick = has_serial;
	if (!has_serial && value(&vals[CU_REQID], &v, &rest) && parse_long(&v, &n)) {
		reqid_to(n, reqid);
		quick = 1;
	}
	if (quick && x->row_p != NULL && sink_rows(x->sink) &&
	    row_quick(x, record, vals, csv, &ci, has_serial ? serial : NULL, slen,
	    has_serial ? NULL : reqid))
		return 1;
	if (has_serial)
		ci.serial = xstrndup(serial, slen);
	row_revoked(vals, disp, &ci);
	row_names(x, record, vals, csv, &ci);
	row_extras(vals, &ci, csv);
	/* neither certificate, serial nor Request ID: one of its own */
	ci.unique = !has_serial && ci.request_id == NULL;
	sink_certinfo(x->sink, &ci, &meta);
	return 1;
}
