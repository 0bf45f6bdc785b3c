/*
 * Distinguished names as RFC 4514 strings ("CN=x,O=y"): shared by the DER
 * walk (der.c) and the OpenSSL path (ossl.c), so that both print the same.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "extern.h"

/* Known attribute types: dotted OID, short name, and the OID's DER
 * contents (the walk recognises those bytes without formatting them). */
static const struct {
	const char		*oid;
	const char		*name;
	size_t			 derlen;
	const unsigned char	 der[11];
} dn_names[] = {
	{ "2.5.4.3", "CN", 3,
	    { 0x55, 0x04, 0x03 } },
	{ "2.5.4.6", "C", 3,
	    { 0x55, 0x04, 0x06 } },
	{ "2.5.4.7", "L", 3,
	    { 0x55, 0x04, 0x07 } },
	{ "2.5.4.8", "ST", 3,
	    { 0x55, 0x04, 0x08 } },
	{ "2.5.4.10", "O", 3,
	    { 0x55, 0x04, 0x0a } },
	{ "2.5.4.11", "OU", 3,
	    { 0x55, 0x04, 0x0b } },
	{ "0.9.2342.19200300.100.1.25", "DC", 10,
	    { 0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19 } },
	{ "0.9.2342.19200300.100.1.1", "UID", 10,
	    { 0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x01 } },
	{ "1.2.840.113549.1.9.1", "emailAddress", 9,
	    { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01 } },
	{ "2.5.4.9", "street", 3,
	    { 0x55, 0x04, 0x09 } },
	{ "2.5.4.5", "serialNumber", 3,
	    { 0x55, 0x04, 0x05 } },
	{ "2.5.4.12", "title", 3,
	    { 0x55, 0x04, 0x0c } },
	{ "2.5.4.42", "GN", 3,
	    { 0x55, 0x04, 0x2a } },
	{ "2.5.4.4", "SN", 3,
	    { 0x55, 0x04, 0x04 } },
	{ "2.5.4.43", "initials", 3,
	    { 0x55, 0x04, 0x2b } },
	{ "2.5.4.65", "pseudonym", 3,
	    { 0x55, 0x04, 0x41 } },
	{ "2.5.4.44", "generationQualifier", 3,
	    { 0x55, 0x04, 0x2c } },
	{ "2.5.4.46", "dnQualifier", 3,
	    { 0x55, 0x04, 0x2e } },
	{ "2.5.4.17", "postalCode", 3,
	    { 0x55, 0x04, 0x11 } },
	{ "2.5.4.15", "businessCategory", 3,
	    { 0x55, 0x04, 0x0f } },
	{ "1.3.6.1.4.1.311.60.2.1.3", "jurisdictionC", 11,
	    { 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x3c, 0x02, 0x01, 0x03 } },
	{ "1.3.6.1.4.1.311.60.2.1.2", "jurisdictionST", 11,
	    { 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x3c, 0x02, 0x01, 0x02 } },
	{ "1.3.6.1.4.1.311.60.2.1.1", "jurisdictionL", 11,
	    { 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x3c, 0x02, 0x01, 0x01 } },
	{ "2.5.4.97", "organizationIdentifier", 3,
	    { 0x55, 0x04, 0x61 } },
};

const char *
dn_oid_name(const char *oid)
{
	size_t i;

	if (oid == NULL)
		return NULL;
	for (i = 0; i < sizeof(dn_names) / sizeof(dn_names[0]); i++)
		if (strcmp(dn_names[i].oid, oid) == 0)
			return dn_names[i].name;
	return NULL;
}

const char *
dn_oid_name_der(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(dn_names) / sizeof(dn_names[0]); i++)
		if (dn_names[i].derlen == len && dn_names[i].der[0] == p[0] &&
		    memcmp(dn_names[i].der, p, len) == 0)
			return dn_names[i].name;
	return NULL;
}

/* Bytes RFC 4514 section 2.4 escapes wherever they are (NUL as \00, the
 * others with a backslash). */
static const unsigned char dn_special[256] = {
	['\0'] = 1, ['"'] = 1, [','] = 1, ['+'] = 1, [';'] = 1, ['<'] = 1,
	['>'] = 1, ['\\'] = 1,
};

size_t
dn_escaped_len(const char *v, size_t n)
{
	size_t i, r = n;
	unsigned char c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)v[i];
		if (dn_special[c])
			r += c == '\0' ? 2 : 1;
	}
	if (n > 0 && (v[0] == '#' || v[0] == ' '))
		r++;
	if (n > 1 && v[n - 1] == ' ')
		r++;
	return r;
}

char *
dn_escape_to(char *o, const char *v, size_t n)
{
	size_t i;
	unsigned char c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)v[i];
		if (c == '\0') {
			memcpy(o, "\\00", 3);
			o += 3;
			continue;
		}
		if (dn_special[c] || (i == 0 && (c == '#' || c == ' ')) ||
		    (i == n - 1 && c == ' '))
			*o++ = '\\';
		*o++ = (char)c;
	}
	return o;
}

char *
dn_format_named(const struct dn_attr *attrs, const int *set, size_t n)
{
	size_t end, start, i, vl, total = 0, lens[2 * 32], *len = lens;
	char *out, *o;

	/* each value's length and escaped length, worked out once */
	if (n > 32)
		len = xreallocarray(NULL, n, 2 * sizeof(*len));
	for (i = 0; i < n; i++) {
		len[2 * i] = strlen(attrs[i].value);
		len[2 * i + 1] = attrs[i].hex ? len[2 * i] :
		    dn_escaped_len(attrs[i].value, len[2 * i]);
		total += strlen(attrs[i].oid) + 2 + len[2 * i + 1];
	}
	o = out = xmalloc(total + 1);
	/* RDNs are runs of equal set numbers; the last RDN comes first. */
	for (end = n; end > 0; end = start) {
		start = end - 1;
		while (start > 0 && set != NULL && set[start - 1] == set[end - 1])
			start--;
		if (end != n)
			*o++ = ',';
		for (i = start; i < end; i++) {
			if (i != start)
				*o++ = '+';
			o = stpcpy(o, attrs[i].oid);
			*o++ = '=';
			vl = len[2 * i];
			if (len[2 * i + 1] == vl) {
				memcpy(o, attrs[i].value, vl);	/* nothing to escape */
				o += vl;
			} else
				o = dn_escape_to(o, attrs[i].value, vl);
		}
	}
	*o = '\0';
	if (len != lens)
		free(len);
	return out;
}

char *
dn_format(const struct dn_attr *attrs, const int *set, size_t n)
{
	struct dn_attr fixed[16], *named;
	const char *name;
	size_t i;
	char *r;

	if (n == 0)
		return xstrdup("");
	named = n <= 16 ? fixed : xreallocarray(NULL, n, sizeof(*named));
	for (i = 0; i < n; i++) {
		name = dn_oid_name(attrs[i].oid);
		named[i].oid = name != NULL ? name : attrs[i].oid;
		named[i].value = attrs[i].value;
		named[i].hex = attrs[i].hex;
	}
	r = dn_format_named(named, set, n);
	if (named != fixed)
		free(named);
	return r;
}
