/* certutil's column names (internal, English, German), how a row line
 * splits into name and value, and the "Row N:" headers of the text form. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "export.h"

static const struct {
	const char	*name;
	int		 col;
	int		 internal;
} names[] = {
	{ "RequestID", CU_REQID, 1 },
	{ "Request.RequestID", CU_REQID, 1 },
	{ "RequesterName", CU_REQUESTER, 1 },
	{ "Request.RequesterName", CU_REQUESTER, 1 },
	{ "SerialNumber", CU_SERIAL, 1 },
	{ "CommonName", CU_CN, 1 },
	{ "DistinguishedName", CU_DN, 1 },
	{ "NotBefore", CU_NOTBEFORE, 1 },
	{ "NotAfter", CU_NOTAFTER, 1 },
	{ "CertificateTemplate", CU_TEMPLATE, 1 },
	{ "Disposition", CU_DISP, 1 },
	{ "Request.Disposition", CU_DISP, 1 },
	{ "RawCertificate", CU_RAWCERT, 1 },
	{ "CertificateHash", CU_HASH, 1 },
	{ "RevokedReason", CU_REVREASON, 1 },
	{ "Request.RevokedReason", CU_REVREASON, 1 },
	/* English */
	{ "Request ID", CU_REQID, 0 },
	{ "Issued Request ID", CU_REQID, 0 },
	{ "Requester Name", CU_REQUESTER, 0 },
	{ "Serial Number", CU_SERIAL, 0 },
	{ "Issued Common Name", CU_CN, 0 },
	{ "Issued Distinguished Name", CU_DN, 0 },
	{ "Certificate Effective Date", CU_NOTBEFORE, 0 },
	{ "Certificate Expiration Date", CU_NOTAFTER, 0 },
	{ "Certificate Template", CU_TEMPLATE, 0 },
	{ "Request Disposition", CU_DISP, 0 },
	{ "Binary Certificate", CU_RAWCERT, 0 },
	{ "Certificate Hash", CU_HASH, 0 },
	{ "Revocation Reason", CU_REVREASON, 0 },
	/* German: seen in real exports */
	{ "Ausgestellt: Anforderungs-ID", CU_REQID, 0 },
	{ "Ausgestellt: Allgemeiner Name", CU_CN, 0 },
	{ "Ausgestellt: Definierter Name", CU_DN, 0 },
	{ "Antragstellername", CU_REQUESTER, 0 },
	{ "Anfangsdatum des Zertifikats", CU_NOTBEFORE, 0 },
	/* German (unverified: all known variants) */
	{ "Anforderungs-ID", CU_REQID, 0 },
	{ "Ausgestellte Anforderungs-ID", CU_REQID, 0 },
	{ "Name des Anforderers", CU_REQUESTER, 0 },
	{ "Anforderername", CU_REQUESTER, 0 },
	{ "Seriennummer", CU_SERIAL, 0 },
	{ "Ausgestellter allgemeiner Name", CU_CN, 0 },
	{ "Allgemeiner Name", CU_CN, 0 },
	{ "Ausgestellter definierter Name", CU_DN, 0 },
	{ "Definierter Name", CU_DN, 0 },
	{ "G\xc3\xbcltigkeitsbeginn des Zertifikats", CU_NOTBEFORE, 0 },
	{ "Startdatum des Zertifikats", CU_NOTBEFORE, 0 },
	{ "Ablaufdatum des Zertifikats", CU_NOTAFTER, 0 },
	{ "Zertifikatablaufdatum", CU_NOTAFTER, 0 },
	{ "Zertifikatvorlage", CU_TEMPLATE, 0 },
	{ "Anforderungsstatus", CU_DISP, 0 },
	{ "Anforderungsdisposition", CU_DISP, 0 },
	{ "Bin\xc3\xa4rzertifikat", CU_RAWCERT, 0 },
	{ "Zertifikathash", CU_HASH, 0 },
	{ "Sperrgrund", CU_REVREASON, 0 },
	{ "Sperrungsgrund", CU_REVREASON, 0 },
};

/* The "Issued ..." columns of German exports: "Ausgestellt: Seriennummer". */
#define CU_DE_ISSUED	"Ausgestellt:"

static int
lookup_1(const char *name, size_t n, int internal_only, int prefixed)
{
	size_t i, k = sizeof(CU_DE_ISSUED) - 1;

	while (n > 0 && (name[n - 1] == ' ' || name[n - 1] == '\t'))
		n--;
	while (n > 0 && (*name == ' ' || *name == '\t'))
		name++, n--;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (internal_only && !names[i].internal)
			continue;
		if (strlen(names[i].name) == n && strncasecmp(names[i].name, name, n) == 0)
			return names[i].col;
	}
	/* any other name with the prefix (once): the name after it */
	if (!internal_only && !prefixed && n > k && strncasecmp(name, CU_DE_ISSUED, k) == 0)
		return lookup_1(name + k, n - k, 0, 1);
	return -1;
}

static int
lookup(const char *name, size_t n, int internal_only)
{
	return lookup_1(name, n, internal_only, 0);
}

/* n bytes at s begin with name (case-insensitive), then blanks and ':'?
 * Returns the length up to and with that ':', 0 if not. */
size_t
cu_name_colon(const char *s, size_t n, const char *name, size_t nlen)
{
	size_t i = nlen;

	if (nlen == 0 || nlen >= n || strncasecmp(s, name, nlen) != 0)
		return 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i < n && s[i] == ':' ? i + 1 : 0;
}

/* The longest name of the table that begins s, followed by ':'. */
static int
split_known(const char *s, size_t n, size_t *split)
{
	size_t i, k, best = 0;
	int col = -1;

	*split = 0;
	if (n == 0)
		return -1;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if ((s[0] | 0x20) != (names[i].name[0] | 0x20))
			continue;
		k = cu_name_colon(s, n, names[i].name, strlen(names[i].name));
		if (k > best) {
			best = k;
			col = names[i].col;
		}
	}
	*split = best;
	return col;
}

int
cu_col_split(const char *s, size_t n, size_t *split)
{
	size_t k, pre = sizeof(CU_DE_ISSUED) - 1;
	int col;

	if ((col = split_known(s, n, split)) >= 0 || n <= pre ||
	    strncasecmp(s, CU_DE_ISSUED, pre) != 0)
		return col;
	/* "Ausgestellt: Seriennummer: ...", a name not listed with it */
	for (k = pre; k < n && (s[k] == ' ' || s[k] == '\t'); k++)
		;
	if ((col = split_known(s + k, n - k, split)) >= 0)
		*split += k;
	return col;
}

int
cu_empty(const char *s, size_t n)
{
	return (n == 5 && memcmp(s, "EMPTY", 5) == 0) || (n == 4 && memcmp(s, "LEER", 4) == 0);
}

int
cu_col_by_name(const char *name, size_t n)
{
	return lookup(name, n, 0);
}

int
cu_col_by_internal(const char *name, size_t n)
{
	return lookup(name, n, 1);
}

int
cu_row_header(const char *s, size_t len, long *n)
{
	struct cur c = { s, len };
	long v = 0;
	size_t d = 0;

	while (c.len > 0 && (c.p[0] == ' ' || c.p[0] == '\t'))
		cur_skip(&c, 1);
	if (c.len >= 4 && strncmp(c.p, "Row ", 4) == 0)
		cur_skip(&c, 4);
	else if (c.len >= 6 && strncmp(c.p, "Zeile ", 6) == 0)
		cur_skip(&c, 6);
	else
		return 0;
	while (c.len > 0 && c.p[0] >= '0' && c.p[0] <= '9' && d < 9) {
		v = v * 10 + (c.p[0] - '0');
		cur_skip(&c, 1);
		d++;
	}
	if (d == 0 || c.len == 0 || c.p[0] != ':')
		return 0;
	cur_skip(&c, 1);
	while (c.len > 0 && (c.p[0] == ' ' || c.p[0] == '\t' || c.p[0] == '\r'))
		cur_skip(&c, 1);
	if (c.len != 0)
		return 0;
	*n = v;
	return 1;
}
