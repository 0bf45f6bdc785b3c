/* The one home of libcurl for endpoints: connects one endpoint
 * (resolving, -4/-6, --connect-to, --proxy, timeouts). For smtp, imap and
 * pop3 libcurl also does the STARTTLS and the handshake (CONNECT_ONLY with
 * CURLUSESSL_ALL upgrades without sending mail), the chain captured by
 * tls.c's SSL_CTX callback; for TLS at once and the own dialogs it makes
 * a plain connection (tunnelled through --proxy) whose socket the dialog
 * and tls.c take over, so that every such handshake shares one SSL_CTX
 * instead of a new one per connection. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "net/net.h"

struct ctxarg {
	const struct config	*cfg;
	struct endpoint		*e;
};

void
fetch_global_init(void)
{
	(void)curl_global_init(CURL_GLOBAL_DEFAULT);
}

static CURLcode
on_ssl_ctx(CURL *h, void *ssl_ctx, void *arg)
{
	struct ctxarg *a = arg;

	(void)h;
	return tls_ctx_capture(ssl_ctx, a->cfg, a->e) ? CURLE_OK : CURLE_SSL_CERTPROBLEM;
}

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The step that failed and why, as the contract names them. */
static char *
failure(const struct endpoint *e, CURL *h, CURLcode rc, const char *ebuf, int timeout)
{
	long oserr = 0;
	const char *why = *ebuf ? ebuf : curl_easy_strerror(rc);

	switch (rc) {
	case CURLE_COULDNT_RESOLVE_HOST:
		return xasprintf("resolve: cannot resolve %s", e->host);
	case CURLE_COULDNT_RESOLVE_PROXY:
		return xasprintf("resolve: cannot resolve the proxy: %s", why);
	case CURLE_OPERATION_TIMEDOUT:
		return xasprintf("timeout: no answer within %d seconds (%s)", timeout, why);
	case CURLE_COULDNT_CONNECT:
		(void)curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &oserr);
		if (oserr == ECONNREFUSED)
			return xstrdup("connect: refused");
		return xasprintf("connect: %s", oserr ? strerror((int)oserr) : why);
	case CURLE_USE_SSL_FAILED:
		return xasprintf("starttls: the server does not offer STARTTLS (%s)", why);
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
		return xasprintf("tls: %s", why);
	default:
		if (e->scheme->start == TLS_CURL_STARTTLS)
			return xasprintf("starttls: %s", why);
		return xasprintf("tls: %s", why);
	}
}

static void
setup(CURL *h, const struct config *cfg, struct endpoint *e, struct ctxarg *a,
    struct curl_slist *to, char *ebuf)
{
	char *url = xasprintf("%s://%s/%s", e->scheme->curl_scheme, e->hostport,
	    e->scheme->start == TLS_CURL_STARTTLS ? e->path : "");

	(void)curl_easy_setopt(h, CURLOPT_URL, url);
	free(url);
	(void)curl_easy_setopt(h, CURLOPT_CONNECT_ONLY, 1L);
	(void)curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	(void)curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	(void)curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)cfg->connect_timeout);
	(void)curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)cfg->connect_timeout);
	/* never the environment's proxies: a check does not change with the
	 * shell it runs in */
	(void)curl_easy_setopt(h, CURLOPT_PROXY, cfg->proxy ? cfg->proxy : "");
	(void)curl_easy_setopt(h, CURLOPT_NOPROXY, "");
	if (cfg->proxy)
		(void)curl_easy_setopt(h, CURLOPT_HTTPPROXYTUNNEL, 1L);
	if (to)
		(void)curl_easy_setopt(h, CURLOPT_CONNECT_TO, to);
	(void)curl_easy_setopt(h, CURLOPT_IPRESOLVE, cfg->ip_version == 4 ?
	    CURL_IPRESOLVE_V4 : cfg->ip_version == 6 ? CURL_IPRESOLVE_V6 :
	    CURL_IPRESOLVE_WHATEVER);
	/* tls.c verifies and records; libcurl lets every handshake go on */
	(void)curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
	(void)curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	(void)curl_easy_setopt(h, CURLOPT_SSL_SESSIONID_CACHE, 0L);
	/* tls.c's store is the trust: libcurl loads no CA bundle of its own */
	(void)curl_easy_setopt(h, CURLOPT_CAINFO, NULL);
	(void)curl_easy_setopt(h, CURLOPT_CAPATH, NULL);
	if (e->scheme->start == TLS_CURL_STARTTLS) {
		(void)curl_easy_setopt(h, CURLOPT_SSL_CTX_FUNCTION, on_ssl_ctx);
		(void)curl_easy_setopt(h, CURLOPT_SSL_CTX_DATA, a);
		(void)curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	}
}

static void
address(CURL *h, struct endpoint *e)
{
	char *ip = NULL;
	long port = 0;

	if (curl_easy_getinfo(h, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip && *ip &&
	    curl_easy_getinfo(h, CURLINFO_PRIMARY_PORT, &port) == CURLE_OK)
		e->address = strchr(ip, ':') ? xasprintf("[%s]:%ld", ip, port) :
		    xasprintf("%s:%ld", ip, port);
}

/* The own dialog (if any) over libcurl's socket, then the handshake. */
static void
dialog(CURL *h, const struct config *cfg, struct endpoint *e, long t0)
{
	curl_socket_t fd = CURL_SOCKET_BAD;
	char err[512];
	long left = (long)cfg->connect_timeout * 1000 - (now_ms() - t0);

	if (curl_easy_getinfo(h, CURLINFO_ACTIVESOCKET, &fd) != CURLE_OK ||
	    fd == CURL_SOCKET_BAD) {
		e->error = xstrdup("connect: no socket after connecting");
		return;
	}
	if (left < 1)
		left = 1;
	if (!sock_prepare((int)fd, left, err, sizeof(err)) ||
	    (e->scheme->dialog && !e->scheme->dialog((int)fd, e->host, err, sizeof(err))) ||
	    !tls_handshake_fd((int)fd, cfg, e, err, sizeof(err)))
		e->error = xstrdup(err);
}

void
fetch_endpoint(const struct config *cfg, struct endpoint *e)
{
	struct curl_slist *to = NULL;
	struct ctxarg a = { cfg, e };
	char ebuf[CURL_ERROR_SIZE];
	CURLcode rc;
	CURL *h;
	size_t i;
	long t0 = now_ms();

	if ((h = curl_easy_init()) == NULL) {
		e->error = xstrdup("connect: cannot set up libcurl");
		return;
	}
	for (i = 0; i < cfg->nconnect_to; i++)
		to = curl_slist_append(to, cfg->connect_to[i]);
	ebuf[0] = '\0';
	setup(h, cfg, e, &a, to, ebuf);
	rc = curl_easy_perform(h);
	address(h, e);
	if (rc == CURLE_OK && e->scheme->start != TLS_CURL_STARTTLS)
		dialog(h, cfg, e, t0);
	else if (rc != CURLE_OK && e->nchain > 0)
		/* the chain arrived: a server demanding a client certificate
		 * ends the handshake after it */
		e->note = xasprintf("handshake ended after the certificates: %s",
		    *ebuf ? ebuf : curl_easy_strerror(rc));
	else if (rc != CURLE_OK)
		e->error = failure(e, h, rc, ebuf, cfg->connect_timeout);
	else if (e->nchain == 0)
		e->error = xstrdup("tls: no certificate received");
	curl_easy_cleanup(h);
	curl_slist_free_all(to);
}
