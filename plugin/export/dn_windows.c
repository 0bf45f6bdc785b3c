/*
 * Distinguished names in the Windows form certutil prints ("CN=x, OU=IT,
 * O=Corp, C=DE", values with commas in double quotes), turned into RFC 4514
 * form. The one-line form of index.txt is dn_oneline.c's.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "export.h"

static void
skip_ws(const char **p, const char *e)
{
	while (*p < e && (**p == ' ' || **p == '\t'))
		(*p)++;
}

char *
dn_from_windows(const char *s, size_t n, char **cnp)
{
	struct buf b = { 0 }, val = { 0 };
	const char *p = s, *e = s + n, *t;
	size_t tlen, vend;
	char *cn = NULL, sep = 0;
	int first = 1;

	buf_addstr(&b, "");
	for (;;) {
		skip_ws(&p, e);
		if (p == e && first)
			break;
		t = p;
		while (p < e && *p != '=' && *p != ',' && *p != '+')
			p++;
		tlen = (size_t)(p - t);
		while (tlen > 0 && (t[tlen - 1] == ' ' || t[tlen - 1] == '\t'))
			tlen--;
		if (p == e || *p != '=' || !dn_type_ok(t, tlen))
			goto fail;
		p++;
		skip_ws(&p, e);
		val.len = 0;
		buf_addstr(&val, "");
		if (p < e && *p == '"') {
			for (p++;; p++) {
				if (p == e)
					goto fail;
				if (*p == '"') {
					if (p + 1 < e && p[1] == '"') {
						buf_addc(&val, '"');
						p++;
						continue;
					}
					p++;
					break;
				}
				buf_addc(&val, *p);
			}
			skip_ws(&p, e);
		} else {
			while (p < e && *p != ',' && *p != '+' && *p != ';' &&
			    *p != '\n' && *p != '\r')
				buf_addc(&val, *p++);
			vend = val.len;
			while (vend > 0 && (val.data[vend - 1] == ' ' ||
			    val.data[vend - 1] == '\t'))
				vend--;
			val.len = vend;
			val.data[vend] = '\0';
		}
		if (!first)
			buf_addc(&b, sep == '+' ? '+' : ',');
		first = 0;
		buf_add(&b, t, tlen);
		buf_addc(&b, '=');
		dn_escape_value(&b, val.data, val.len);
		/* the most specific CN, the last in DER order, comes first
		 * in this one */
		if (cn == NULL && dn_is_cn(t, tlen))
			cn = xstrndup(val.data, val.len);
		while (p < e && (*p == '\r' || *p == '\n'))
			p++;
		if (p == e)
			break;
		sep = *p;
		if (sep != ',' && sep != '+' && sep != ';') {
			/* a line break separated the RDNs */
			sep = ',';
			continue;
		}
		p++;
	}
	buf_free(&val);
	if (cnp != NULL)
		*cnp = cn;
	else
		free(cn);
	return buf_release(&b);
fail:
	buf_free(&val);
	buf_free(&b);
	free(cn);
	return NULL;
}
