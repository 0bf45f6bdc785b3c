/*
 * bench-floor: what the plugin cannot go below on this machine, measured in
 * the same run as the plugin (see bench.sh).
 *
 *   bench-floor start
 *	calls one function of each library the plugin links (libcrypto,
 *	libssl, PCRE2, libcurl, xxHash) and exits: the start-up cost of
 *	those libraries (the dynamic loader and their constructors), which
 *	every run of the plugin pays before it reads anything.
 *   bench-floor handshakes N HOST PORT SNI
 *	N bare TLS handshakes one after another in one thread, one SSL_CTX,
 *	no verification, nothing recorded: the OpenSSL cost of N endpoints
 *	against that server, with neither libcurl nor threads.
 */
#include <sys/types.h>
#include <sys/socket.h>

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <curl/curl.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <pcre2.h>
#include <xxhash.h>

static int
start(void)
{
	uint32_t jit = 0;

	(void)pcre2_config(PCRE2_CONFIG_JIT, &jit);
	/* the values go nowhere: the calls keep every library needed */
	return OpenSSL_version_num() == 0 || TLS_client_method() == NULL ||
	    curl_version_info(CURLVERSION_NOW) == NULL || XXH_versionNumber() == 0;
}

static int
dial(const char *host, const char *port)
{
	struct addrinfo hints, *res, *ai;
	int fd = -1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, port, &hints, &res) != 0)
		return -1;
	for (ai = res; ai != NULL && fd == -1; ai = ai->ai_next) {
		if ((fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol)) == -1)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == -1) {
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	return fd;
}

static int
handshake(SSL_CTX *ctx, const char *host, const char *port, const char *sni)
{
	SSL *ssl;
	int fd, ok;

	if ((fd = dial(host, port)) == -1) {
		fprintf(stderr, "bench-floor: cannot connect to %s port %s\n", host, port);
		return 0;
	}
	if ((ssl = SSL_new(ctx)) == NULL) {
		close(fd);
		return 0;
	}
	ok = SSL_set_fd(ssl, fd) == 1 && SSL_set_tlsext_host_name(ssl, sni) == 1 &&
	    SSL_connect(ssl) == 1 && SSL_get_peer_cert_chain(ssl) != NULL;
	if (!ok)
		ERR_print_errors_fp(stderr);
	else
		(void)SSL_shutdown(ssl);
	SSL_free(ssl);
	close(fd);
	return ok;
}

static int
handshakes(int n, const char *host, const char *port, const char *sni)
{
	SSL_CTX *ctx;
	int i, ok = 1;

	if (n < 1 || (ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		return 2;
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	for (i = 0; i < n && ok; i++)
		ok = handshake(ctx, host, port, sni);
	SSL_CTX_free(ctx);
	return ok ? 0 : 1;
}

int
main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "start") == 0)
		return start();
	if (argc == 6 && strcmp(argv[1], "handshakes") == 0)
		return handshakes(atoi(argv[2]), argv[3], argv[4], argv[5]);
	fprintf(stderr, "usage: bench-floor start | handshakes N HOST PORT SNI\n");
	return 2;
}
