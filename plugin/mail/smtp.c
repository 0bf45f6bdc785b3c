/*
 * SMTP submission through libcurl: the one home of libcurl.
 *
 * STARTTLS whenever the server offers it (--smtp-tls=require: always, and
 * always when a password is to be sent), the server certificate verified
 * against the system store or --smtp-cafile, timeouts bounded by -t, and
 * the server's own answer kept for the error message.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "extern.h"
#include "mail.h"

struct upload {
	const char	*p;
	size_t		 len;
	size_t		 off;
};

struct answer {
	char	 line[512];	/* the last 4xx/5xx line the server sent */
};

static size_t
read_cb(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct upload *u = arg;
	size_t n = size * nmemb;

	if (n > u->len - u->off)
		n = u->len - u->off;
	memcpy(dst, u->p + u->off, n);
	u->off += n;
	return n;
}

/* Keeps the last error reply of the server (only what it sent us: our own
 * commands, which include AUTH, are never looked at). */
static int
debug_cb(CURL *h, curl_infotype type, char *data, size_t size, void *arg)
{
	struct answer *a = arg;
	size_t i, n = 0;

	(void)h;
	if (type != CURLINFO_HEADER_IN || size < 3)
		return 0;
	if (data[0] != '4' && data[0] != '5')
		return 0;
	for (i = 0; i < size && n + 1 < sizeof(a->line); i++) {
		unsigned char c = (unsigned char)data[i];

		if (c == '\r' || c == '\n')
			break;
		a->line[n++] = (c < 0x20 || c >= 0x7f) ? '?' : (char)c;
	}
	a->line[n] = '\0';
	return 0;
}

static int
has_scheme(const char *s, const char *scheme)
{
	return strncasecmp(s, scheme, strlen(scheme)) == 0;
}

/* -m HOST[:PORT] or an smtp:// / smtps:// URL into a URL for libcurl. */
static int
smtp_url(const char *server, char **url, char *err, size_t errlen)
{
	const unsigned char *p;
	size_t colons = 0;

	for (p = (const unsigned char *)server; *p != '\0'; p++) {
		if (*p <= 0x20 || *p == 0x7f) {
			snprintf(err, errlen, "invalid SMTP server (spaces or control "
			    "characters)");
			return 0;
		}
		if (*p == ':')
			colons++;
	}
	if (*server == '\0') {
		snprintf(err, errlen, "empty SMTP server");
		return 0;
	}
	if (has_scheme(server, "smtp://") || has_scheme(server, "smtps://")) {
		*url = xstrdup(server);
		return 1;
	}
	if (strstr(server, "://") != NULL) {
		snprintf(err, errlen, "unsupported SMTP server URL (use smtp:// or "
		    "smtps://)");
		return 0;
	}
	if (strchr(server, '/') != NULL || strchr(server, '@') != NULL) {
		snprintf(err, errlen, "invalid SMTP server (expected HOST[:PORT] or "
		    "an smtp:// URL)");
		return 0;
	}
	if (colons > 1 && server[0] != '[')	/* a bare IPv6 address */
		*url = xasprintf("smtp://[%s]", server);
	else
		*url = xasprintf("smtp://%s", server);
	return 1;
}

char *
smtp_display(const char *server)
{
	const char *s, *at, *slash;

	if (server == NULL)
		return xstrdup("(none)");
	if ((s = strstr(server, "://")) == NULL)
		return xstrdup(server);
	s += 3;
	slash = strchr(s, '/');
	at = strchr(s, '@');
	if (at == NULL || (slash != NULL && at > slash))
		return xstrdup(server);
	/* Drop user:password@. */
	return xasprintf("%.*s%s", (int)(s - server), server, at + 1);
}

static void
set_error(char *err, size_t errlen, const char *server, CURLcode rc,
    const char *errbuf, long code, const struct answer *a)
{
	char *shown = smtp_display(server);
	const char *what = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc);
	const char *hint = "";

	switch (rc) {
	case CURLE_LOGIN_DENIED:
		hint = "authentication failed: ";
		break;
	case CURLE_PEER_FAILED_VERIFICATION:
		hint = "server certificate not trusted: ";
		break;
	case CURLE_USE_SSL_FAILED:
		hint = "server does not offer STARTTLS: ";
		break;
	default:
		break;
	}
	if (a->line[0] != '\0')
		snprintf(err, errlen, "mail via %s failed: %s%s; server said: %s", shown,
		    hint, what, a->line);
	else if (code >= 400)
		snprintf(err, errlen, "mail via %s failed: %s%s (reply %ld)", shown, hint,
		    what, code);
	else
		snprintf(err, errlen, "mail via %s failed: %s%s", shown, hint, what);
	free(shown);
}

int
smtp_send(const struct config *cfg, const char *msg, size_t len, char *err,
    size_t errlen)
{
	char errbuf[CURL_ERROR_SIZE];
	struct curl_slist *rcpt = NULL, *n;
	struct upload up = { msg, len, 0 };
	struct answer ans;
	CURL *h = NULL;
	CURLcode rc;
	char *url = NULL, *from = NULL, *to;
	long code = 0, timeout, ctimeout;
	size_t i;
	int ok = 0;

	memset(&ans, 0, sizeof(ans));
	errbuf[0] = '\0';
	if (cfg->smtp_server == NULL || cfg->sender == NULL || cfg->nrecipients == 0) {
		snprintf(err, errlen, "mail needs --smtp-server, --sender and "
		    "--recipient");
		return 0;
	}
	if (!smtp_url(cfg->smtp_server, &url, err, errlen))
		return 0;
	timeout = cfg->timeout > 0 ? cfg->timeout : 60;
	ctimeout = timeout < 15 ? timeout : 15;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(err, errlen, "cannot initialise libcurl");
		free(url);
		return 0;
	}
	if ((h = curl_easy_init()) == NULL) {
		snprintf(err, errlen, "cannot initialise libcurl");
		goto out;
	}
	from = xasprintf("<%s>", cfg->sender);
	for (i = 0; i < cfg->nrecipients; i++) {
		to = xasprintf("<%s>", cfg->recipients[i]);
		n = curl_slist_append(rcpt, to);
		free(to);
		if (n == NULL) {
			snprintf(err, errlen, "out of memory");
			goto out;
		}
		rcpt = n;
	}

	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 1L);
	curl_easy_setopt(h, CURLOPT_URL, url);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#else
	curl_easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_SMTP | CURLPROTO_SMTPS));
#endif
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, ctimeout);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(h, CURLOPT_READDATA, &up);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	/* Never send a password in clear. */
	curl_easy_setopt(h, CURLOPT_USE_SSL, (long)(cfg->smtp_tls_require ||
	    cfg->smtp_user != NULL ? CURLUSESSL_ALL : CURLUSESSL_TRY));
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (cfg->smtp_cafile != NULL)
		curl_easy_setopt(h, CURLOPT_CAINFO, cfg->smtp_cafile);
	if (cfg->smtp_user != NULL) {
		curl_easy_setopt(h, CURLOPT_USERNAME, cfg->smtp_user);
		curl_easy_setopt(h, CURLOPT_PASSWORD,
		    cfg->smtp_password != NULL ? cfg->smtp_password : "");
	}
	curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, debug_cb);
	curl_easy_setopt(h, CURLOPT_DEBUGDATA, &ans);
	curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);

	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	if (rc != CURLE_OK) {
		set_error(err, errlen, cfg->smtp_server, rc, errbuf, code, &ans);
		goto out;
	}
	ok = 1;
out:
	if (h != NULL) {
		/* libcurl keeps its own copy of the password: wipe ours there. */
		curl_easy_setopt(h, CURLOPT_PASSWORD, "");
		curl_easy_cleanup(h);
	}
	curl_slist_free_all(rcpt);
	free(from);
	free(url);
	curl_global_cleanup();
	return ok;
}
