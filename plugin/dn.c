/*
 * Distinguished names as RFC 4514 strings ("CN=x,O=y"): shared by the DER
 * walk (der.c) and the OpenSSL path (ossl.c), so that both print the same.
 */
#include "config.h"

#include <string.h>

#include "extern.h"

static const struct {
	const char	*oid;
	const char	*name;
} dn_names[] = {
	{ "2.5.4.3", "CN" },
	{ "2.5.4.6", "C" },
	{ "2.5.4.7", "L" },
	{ "2.5.4.8", "ST" },
	{ "2.5.4.10", "O" },
	{ "2.5.4.11", "OU" },
	{ "0.9.2342.19200300.100.1.25", "DC" },
	{ "0.9.2342.19200300.100.1.1", "UID" },
	{ "1.2.840.113549.1.9.1", "emailAddress" },
	{ "2.5.4.9", "street" },
	{ "2.5.4.5", "serialNumber" },
	{ "2.5.4.12", "title" },
	{ "2.5.4.42", "GN" },
	{ "2.5.4.4", "SN" },
	{ "2.5.4.43", "initials" },
	{ "2.5.4.65", "pseudonym" },
	{ "2.5.4.44", "generationQualifier" },
	{ "2.5.4.46", "dnQualifier" },
	{ "2.5.4.17", "postalCode" },
	{ "2.5.4.15", "businessCategory" },
	{ "1.3.6.1.4.1.311.60.2.1.3", "jurisdictionC" },
	{ "1.3.6.1.4.1.311.60.2.1.2", "jurisdictionST" },
	{ "1.3.6.1.4.1.311.60.2.1.1", "jurisdictionL" },
	{ "2.5.4.97", "organizationIdentifier" },
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

/* One attribute value with RFC 4514 section 2.4 escaping. */
static void
dn_value(struct buf *b, const char *v)
{
	size_t i, n = strlen(v);

	for (i = 0; i < n; i++) {
		switch (v[i]) {
		case ',': case '+': case '"': case '\\':
		case '<': case '>': case ';':
			buf_addc(b, '\\');
			break;
		case '#':
			if (i == 0)
				buf_addc(b, '\\');
			break;
		case ' ':
			if (i == 0 || i == n - 1)
				buf_addc(b, '\\');
			break;
		}
		buf_addc(b, v[i]);
	}
}

static void
dn_attr_add(struct buf *b, const struct dn_attr *a)
{
	const char *name = dn_oid_name(a->oid);

	buf_addstr(b, name != NULL ? name : a->oid);
	buf_addc(b, '=');
	dn_value(b, a->value);
}

char *
dn_format(const struct dn_attr *attrs, const int *set, size_t n)
{
	struct buf b = { 0 };
	size_t end = n, start, i;

	/* RDNs are runs of equal set numbers; the last RDN comes first. */
	while (end > 0) {
		start = end - 1;
		while (start > 0 && set != NULL && set[start - 1] == set[end - 1])
			start--;
		if (end != n)
			buf_addc(&b, ',');
		for (i = start; i < end; i++) {
			if (i != start)
				buf_addc(&b, '+');
			dn_attr_add(&b, &attrs[i]);
		}
		end = start;
	}
	return buf_release(&b);
}
