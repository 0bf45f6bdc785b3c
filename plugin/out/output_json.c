/* One JSON document (schema in the README and the man page). Strings go
 * through json_string(), the one escaping function. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "extern.h"
#include "net/net.h"

#define JSON_CHUNK	65536	/* bytes buffered before they are written */

static void
hex(struct buf *b, const unsigned char *p, size_t n)
{
	static const char d[] = "0123456789abcdef";
	size_t i;

	buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		buf_addc(b, d[p[i] >> 4]);
		buf_addc(b, d[p[i] & 15]);
	}
	buf_addc(b, '"');
}

static void
time_or_null(struct buf *b, int have, int64_t t)
{
	char s[40];

	if (!have) {
		buf_addstr(b, "null");
		return;
	}
	fmt_iso8601(t, s, sizeof(s));
	json_string(b, s);
}

static void
sources(struct buf *b, const struct cert *c)
{
	size_t i;

	buf_addstr(b, "[");
	for (i = 0; i < c->nlocs; i++) {
		const struct location *l = &c->locs[i];

		if (strcmp(l->format, "tls") == 0) {	/* "URL depth N" */
			const char *d = strstr(l->path, " depth ");
			char *url = d ? xstrndup(l->path, (size_t)(d - l->path)) :
			    xstrdup(l->path);

			buf_addstr(b, i ? ", {\"endpoint\": " : "{\"endpoint\": ");
			json_string(b, url);
			buf_printf(b, ", \"depth\": %ld, \"format\": \"tls\"}", l->record);
			free(url);
			continue;
		}
		buf_addstr(b, i ? ", {\"path\": " : "{\"path\": ");
		json_string(b, l->path);
		buf_addstr(b, ", \"format\": ");
		json_string(b, l->format);
		if (l->record > 0 && format_is_ca_export(l->format))
			buf_printf(b, ", \"record\": %ld", l->record);
		if (l->alias) {
			buf_addstr(b, ", \"alias\": ");
			json_string(b, l->alias);
		}
		buf_addstr(b, "}");
	}
	buf_addstr(b, "]");
}

static void
one_endpoint(struct buf *b, const struct endpoint *e)
{
	char t[32];
	size_t d;
	int ok = e->error == NULL;

	buf_addstr(b, "    {\"url\": ");
	json_string(b, e->url);
	buf_addstr(b, ", \"address\": ");
	json_string(b, e->address);
	buf_addstr(b, ", \"sni\": ");
	json_string(b, e->ip_literal ? NULL : e->host);
	buf_addstr(b, ", \"tls_version\": ");
	json_string(b, ok ? e->tls_version : NULL);
	buf_addstr(b, ", \"verify\": ");
	json_string(b, ok ? e->verify : NULL);
	buf_addstr(b, ok ? (e->name_match ? ", \"name_match\": true" :
	    ", \"name_match\": false") : ", \"name_match\": null");
	buf_addstr(b, ", \"chain\": [");
	for (d = 0; d < e->nchain && ok; d++) {
		if (d)
			buf_addstr(b, ", ");
		hex(b, e->chain[d].sha256, 32);
	}
	buf_addstr(b, "], \"stale\": ");
	if (e->stale_path) {
		buf_addstr(b, "{\"path\": ");
		json_string(b, e->stale_path);
		buf_addstr(b, ", \"serial\": ");
		json_string(b, e->stale_serial);
		fmt_iso8601(e->stale_not_after, t, sizeof(t));
		buf_addstr(b, ", \"not_after\": ");
		json_string(b, t);
		buf_addstr(b, "}");
	} else
		buf_addstr(b, "null");
	buf_addstr(b, ", \"error\": ");
	json_string(b, e->error);
	buf_addstr(b, "}");
}

static void
endpoints(struct buf *b, const struct report *r)
{
	size_t i;

	buf_addstr(b, ",\n  \"endpoints\": [\n");
	for (i = 0; i < r->nendpoints; i++) {
		if (i)
			buf_addstr(b, ",\n");
		one_endpoint(b, &r->endpoints[i]);
	}
	buf_addstr(b, "\n  ]");
}

static void
field(struct buf *b, const char *key, const char *val)
{
	buf_printf(b, ", \"%s\": ", key);
	json_string(b, val);
}

static void
one_cert(struct buf *b, const struct cert *c)
{
	const struct certinfo *ci = &c->ci;
	size_t i;

	buf_addstr(b, "    {\"name\": ");
	json_string(b, c->name);
	field(b, "cn", ci->cn);
	field(b, "subject", ci->subject);
	field(b, "issuer", ci->issuer);
	field(b, "serial", ci->serial);
	buf_addstr(b, ", \"not_before\": ");
	time_or_null(b, ci->has_not_before, ci->not_before);
	buf_addstr(b, ", \"not_after\": ");
	time_or_null(b, 1, ci->not_after);
	buf_printf(b, ", \"days_left\": %.2f", c->days_left);
	field(b, "state", cert_state_label(c));
	buf_printf(b, ", \"expired\": %s", c->expired ? "true" : "false");
	if (c->not_yet_valid)
		buf_addstr(b, ", \"not_yet_valid\": true");
	if (c->no_expiry)
		buf_addstr(b, ", \"no_expiry\": true");
	buf_addstr(b, ", \"sha256\": ");
	if (ci->has_sha256)
		hex(b, ci->sha256, sizeof(ci->sha256));
	else
		buf_addstr(b, "null");
	buf_addstr(b, ", \"dns\": [");
	for (i = 0; i < ci->ndns; i++) {
		if (i)
			buf_addstr(b, ", ");
		json_string(b, ci->dns[i]);
	}
	buf_addstr(b, "]");
	if (ci->template)
		field(b, "template", ci->template);
	if (ci->request_id)
		field(b, "request_id", ci->request_id);
	if (ci->requester)
		field(b, "requester", ci->requester);
	if (ci->revoked) {
		buf_addstr(b, ", \"revoked\": true");
		field(b, "revocation_reason", ci->revoke_reason);
	}
	if (!c->selected && c->renewed_by) {
		const struct cert *n = c->renewed_by;

		buf_addstr(b, ", \"renewed_by\": {\"serial\": ");
		json_string(b, n->ci.serial);
		buf_addstr(b, ", \"not_after\": ");
		time_or_null(b, 1, n->ci.not_after);
		buf_addstr(b, ", \"sha256\": ");
		if (n->ci.has_sha256)
			hex(b, n->ci.sha256, sizeof(n->ci.sha256));
		else
			buf_addstr(b, "null");
		buf_addstr(b, "}");
	}
	buf_addstr(b, ", \"sources\": ");
	sources(b, c);
	buf_addstr(b, "}");
}

void
output_json(FILE *out, const struct config *cfg, const struct report *r)
{
	const struct counts *n = &r->counts;
	struct buf b = { 0 };
	char now[40];
	size_t i, k = 0;

	fmt_iso8601(cfg->now, now, sizeof(now));
	buf_addstr(&b, "{\n  \"status\": ");
	json_string(&b, state_name(r->state));
	buf_printf(&b, ", \"exit_code\": %d, \"now\": \"%s\",\n", r->state, now);
	buf_printf(&b, "  \"counts\": {\"certificates\": %zu, \"ok\": %zu, \"warning\": %zu, "
	    "\"critical\": %zu, \"expired\": %zu, \"forgotten\": %zu, \"vendor\": %zu, "
	    "\"not_yet_valid\": %zu, \"errors\": %zu, \"skipped\": %zu, \"found\": %zu},\n",
	    n->certificates, n->ok, n->warning, n->critical, n->expired, n->forgotten,
	    n->vendor, n->not_yet_valid, n->errors, n->skipped, n->found);
	buf_addstr(&b, "  \"certificates\": [");
	for (i = 0; i < r->ncerts; i++) {
		const struct cert *c = r->certs[i];

		if (!c->selected && c->renewed_by == NULL)
			continue;
		buf_addstr(&b, k++ ? ",\n" : "\n");
		one_cert(&b, c);
		if (b.len >= JSON_CHUNK) {	/* memory stays small for big reports */
			fwrite(b.data, 1, b.len, out);
			b.len = 0;
			b.data[0] = '\0';
		}
	}
	buf_addstr(&b, k ? "\n  ],\n" : "],\n");
	buf_addstr(&b, "  \"errors\": [");
	for (i = 0; i < r->nproblems; i++) {
		buf_addstr(&b, i ? ",\n    {\"path\": " : "\n    {\"path\": ");
		json_string(&b, r->problems[i].path);
		if (r->problems[i].record > 0)
			buf_printf(&b, ", \"record\": %ld", r->problems[i].record);
		buf_addstr(&b, ", \"message\": ");
		json_string(&b, r->problems[i].message);
		buf_addstr(&b, "}");
	}
	buf_addstr(&b, r->nproblems ? "\n  ],\n" : "],\n");
	buf_addstr(&b, "  \"skipped\": [");
	for (i = 0; i < r->nskips; i++) {
		buf_addstr(&b, i ? ",\n    {\"path\": " : "\n    {\"path\": ");
		json_string(&b, r->skips[i].path);
		buf_addstr(&b, ", \"reason\": ");
		json_string(&b, r->skips[i].reason);
		buf_addstr(&b, "}");
	}
	buf_addstr(&b, r->nskips ? "\n  ]" : "]");
	if (r->nendpoints)
		endpoints(&b, r);
	if (r->mail_error || r->mail_summary) {
		buf_addstr(&b, ",\n  \"mail\": {\"ok\": ");
		buf_addstr(&b, r->mail_error ? "false" : "true");
		field(&b, "message", r->mail_error ? r->mail_error : r->mail_summary);
		buf_addstr(&b, "}");
	}
	buf_addstr(&b, "\n}\n");
	fwrite(b.data, 1, b.len, out);
	buf_free(&b);
}
