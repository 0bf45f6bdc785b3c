/* The one home of OpenSSL for endpoints: the capture of what a server
 * sends (a verify callback that records the served chain and the first
 * verification error and lets the handshake go on, so that a failed
 * verification or a demanded client certificate still yields the chain),
 * the handshake of the own STARTTLS dialogs, and the host-name match. */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "net/net.h"

/* One trust store for the run, loaded once and shared by every
 * connection (X509_STORE locks itself). */
static X509_STORE *trust;
static int trust_failed;
static SSL_CTX *client;		/* our handshakes */
static int ex_index = -1;	/* the endpoint, on an SSL_CTX or an SSL */
static int ssl_index = -1;

static int	 on_verify(int, X509_STORE_CTX *);

/* 1 if dir holds c_rehash links (8 hex digits, ".0"): OpenSSL then reads
 * only the issuers a chain asks for, instead of parsing the whole bundle
 * (Debian's /etc/ssl/certs holds both, kept in step by
 * update-ca-certificates). */
static int
hashed_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int found = 0;
	size_t i;

	if (d == NULL)
		return 0;
	while (!found && (de = readdir(d)) != NULL) {
		for (i = 0; i < 8 && isxdigit((unsigned char)de->d_name[i]); i++)
			;
		found = i == 8 && strcmp(de->d_name + 8, ".0") == 0;
	}
	closedir(d);
	return found;
}

/* 1 if a and b name the same file. */
static int
same_file(const char *a, const char *b)
{
	char *ra = realpath(a, NULL), *rb = realpath(b, NULL);
	int same = ra != NULL && rb != NULL && strcmp(ra, rb) == 0;

	free(ra);
	free(rb);
	return same;
}

/* The system's trust: its hashed directory where there is one and the CA
 * file is the system's own bundle (whose certificates the directory also
 * holds), else OpenSSL's defaults (SSL_CERT_FILE, SSL_CERT_DIR honoured). */
static int
system_trust(X509_STORE *st)
{
	const char *file = getenv(X509_get_default_cert_file_env());
	const char *dir = getenv(X509_get_default_cert_dir_env());

	if (dir == NULL)
		dir = X509_get_default_cert_dir();
	if (hashed_dir(dir) &&
	    (file == NULL || same_file(file, X509_get_default_cert_file())))
		return X509_STORE_load_path(st, dir);
	return X509_STORE_set_default_paths(st);
}

/*
 * OpenSSL works out a certificate's extension data (key identifiers, CA
 * flag) the first time a verification needs it, and stores it in the
 * shared certificate; two handshakes checking against the same trust
 * anchor at once then race on it. Worked out here, before the threads
 * start, for every certificate the store holds already (a --cafile, a
 * bundle), verification only reads it.
 */
static void
settle_store(X509_STORE *st)
{
	STACK_OF(X509_OBJECT) *objs;
	X509 *x;
	int i;

	if (!X509_STORE_lock(st))
		return;
	objs = X509_STORE_get0_objects(st);
	for (i = 0; i < sk_X509_OBJECT_num(objs); i++)
		if ((x = X509_OBJECT_get0_X509(sk_X509_OBJECT_value(objs, i))) != NULL)
			(void)X509_check_purpose(x, -1, 0);
	X509_STORE_unlock(st);
	ERR_clear_error();
}

int
tls_init(const struct config *cfg)
{
	int ok = 1;

	if ((ex_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL)) < 0 ||
	    (ssl_index = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL)) < 0 ||
	    (trust = X509_STORE_new()) == NULL || (client = SSL_CTX_new(TLS_client_method())) == NULL)
		return 0;
	SSL_CTX_set1_cert_store(client, trust);
	SSL_CTX_set_verify(client, SSL_VERIFY_PEER, on_verify);
	SSL_CTX_set_session_cache_mode(client, SSL_SESS_CACHE_OFF);
	if (cfg->cafile || cfg->capath) {
		if (cfg->cafile && !X509_STORE_load_file(trust, cfg->cafile))
			ok = 0;
		if (cfg->capath && !X509_STORE_load_path(trust, cfg->capath))
			ok = 0;
	} else if (!system_trust(trust))
		ok = 0;
	ERR_clear_error();
	settle_store(trust);
	trust_failed = !ok;	/* chains cannot verify; they are still read */
	return 1;
}

void
tls_done(void)
{
	SSL_CTX_free(client);
	client = NULL;
	X509_STORE_free(trust);
	trust = NULL;
}

static int
name_matches(X509 *leaf, const struct endpoint *e)
{
	return e->ip_literal ? X509_check_ip_asc(leaf, e->host, 0) == 1 :
	    X509_check_host(leaf, e->host, 0, 0, NULL) == 1;
}

static void
capture_chain(X509_STORE_CTX *x, SSL *ssl, struct endpoint *e)
{
	STACK_OF(X509) *sk = X509_STORE_CTX_get0_untrusted(x);
	X509 *leaf = X509_STORE_CTX_get0_cert(x);
	int i, n = sk ? sk_X509_num(sk) : 0;
	unsigned char *p;
	int len;

	if (n == 0 && leaf == NULL)
		return;
	e->chain = xcalloc(n ? (size_t)n : 1, sizeof(*e->chain));
	for (i = 0; i < (n ? n : 1); i++) {
		X509 *c = n ? sk_X509_value(sk, i) : leaf;

		p = NULL;
		if ((len = i2d_X509(c, &p)) <= 0)
			continue;
		e->chain[e->nchain].der = xmalloc((size_t)len);
		memcpy(e->chain[e->nchain].der, p, (size_t)len);
		e->chain[e->nchain].len = (size_t)len;
		ossl_sha256(p, (size_t)len, e->chain[e->nchain].sha256);
		e->nchain++;
		OPENSSL_free(p);
	}
	free(e->tls_version);
	e->tls_version = xstrdup(SSL_get_version(ssl));
	if (leaf != NULL) {	/* matched here, on the leaf libssl parsed */
		e->name_match = name_matches(leaf, e);
		e->name_checked = 1;
	}
}

static int
on_verify(int ok, X509_STORE_CTX *x)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(x, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct endpoint *e = NULL;

	if (ssl != NULL && (e = SSL_get_ex_data(ssl, ssl_index)) == NULL)
		e = SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), ex_index);
	if (e == NULL)
		return ok;
	if (e->nchain == 0)
		capture_chain(x, ssl, e);
	if (!ok && e->verify_code == X509_V_OK) {
		e->verify_code = X509_STORE_CTX_get_error(x);
		e->verify_depth = X509_STORE_CTX_get_error_depth(x);
		if (e->verify_code == X509_V_OK)
			e->verify_code = X509_V_ERR_UNSPECIFIED;
	}
	return 1;	/* recorded; the handshake goes on */
}

int
tls_ctx_capture(void *ssl_ctx, const struct config *cfg, struct endpoint *e)
{
	SSL_CTX *ctx = ssl_ctx;

	(void)cfg;
	if (trust == NULL || ex_index < 0)
		return 0;
	SSL_CTX_set1_cert_store(ctx, trust);
	if (trust_failed && e->verify_code == X509_V_OK) {
		e->verify_code = X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY;
		e->verify_depth = -1;
	}
	SSL_CTX_set_ex_data(ctx, ex_index, e);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, on_verify);
	return 1;
}

static const char *
ossl_reason(void)
{
	unsigned long c = ERR_peek_last_error();
	const char *r = c ? ERR_reason_error_string(c) : NULL;

	return r ? r : "connection closed";
}

int
tls_handshake_fd(int fd, const struct config *cfg, struct endpoint *e, char *err,
    size_t errlen)
{
	SSL *ssl = NULL;
	int rc = 0;

	ERR_clear_error();
	if (trust_failed && e->verify_code == X509_V_OK) {
		e->verify_code = X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY;
		e->verify_depth = -1;
	}
	if (client == NULL || (ssl = SSL_new(client)) == NULL ||
	    !SSL_set_ex_data(ssl, ssl_index, e) || !SSL_set_fd(ssl, fd) ||
	    (!e->ip_literal && !SSL_set_tlsext_host_name(ssl, e->host))) {
		snprintf(err, errlen, "tls: cannot set up OpenSSL");
		goto out;
	}
	errno = 0;
	if (SSL_connect(ssl) == 1)
		rc = 1;
	else if (e->nchain > 0) {
		e->note = xasprintf("handshake ended after the certificates: %s",
		    ossl_reason());
		rc = 1;
	} else if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINPROGRESS)
		snprintf(err, errlen, "timeout: no answer within %d seconds (TLS handshake)",
		    cfg->connect_timeout);
	else
		snprintf(err, errlen, "tls: handshake failed: %s", ossl_reason());
out:
	SSL_free(ssl);
	ERR_clear_error();
	return rc;
}

void
tls_judge(struct endpoint *e)
{
	const unsigned char *p;
	X509 *x;

	if (e->nchain == 0)
		return;
	e->verify = e->verify_code == X509_V_OK ? xstrdup("ok") : e->verify_depth >= 0 ?
	    xasprintf("%s (depth %d)", X509_verify_cert_error_string(e->verify_code),
	    e->verify_depth) : xasprintf("%s (the trust store could not be loaded)",
	    X509_verify_cert_error_string(e->verify_code));
	if (e->name_checked)
		return;
	p = e->chain[0].der;
	if ((x = d2i_X509(NULL, &p, (long)e->chain[0].len)) == NULL)
		return;
	e->name_match = name_matches(x, e);
	X509_free(x);
}
