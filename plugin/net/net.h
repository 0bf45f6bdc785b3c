/* Endpoints: the certificates that services serve (--connect, SCHEME://
 * sources). The rest of the plugin sees this interface only:
 * endpoints_parse (command line), endpoints_fetch (network, into the
 * report through the sink like any file), endpoints_eval (after
 * evaluation: the stale join, --verify) and struct endpoint for outputs. */
#ifndef CCE_NET_H
#define CCE_NET_H

#include "extern.h"

/* How TLS starts on a scheme (url.c's table). */
enum tls_start {
	TLS_AT_ONCE,		/* https, sips, tls, smtps, ...: our handshake */
	TLS_CURL_STARTTLS,	/* smtp, submission, imap, pop3: libcurl's upgrade */
	TLS_OWN_DIALOG,		/* ldap, ftp, postgres, xmpp: a dialog of ours */
};

/* An own STARTTLS dialog over a connected, blocking socket (timeouts set):
 * 1 when the peer is ready for the TLS handshake; else 0 with err. */
typedef int	 (*starttls_fn)(int fd, const char *host, char *err, size_t errlen);

struct scheme {
	const char	*name;
	int		 port;		/* 0: the URL must give one */
	enum tls_start	 start;
	const char	*curl_scheme;	/* what libcurl is asked to connect: "http"
					 * for a plain connect (TLS and dialogs are
					 * ours), "smtp" etc. for its STARTTLS */
	starttls_fn	 dialog;	/* TLS_OWN_DIALOG */
};

struct served {			/* one certificate as sent, depth order */
	unsigned char	*der;
	size_t		 len;
	unsigned char	 sha256[32];
};

struct endpoint {
	/* from the URL (url.c) */
	const struct scheme *scheme;
	char		*url;		/* normalised: scheme://host:port */
	char		*host;		/* without brackets */
	char		*hostport;	/* host:port, [v6]:port: the perfdata label */
	char		*path;		/* the URL's path after '/', or "" */
	int		 port;
	int		 ip_literal;
	/* what the check found (fetch.c, tls.c) */
	char		*address;	/* the address dialed, ADDR:PORT */
	char		*tls_version;
	struct served	*chain;
	size_t		 nchain;
	long		 verify_code;	/* X509_V_OK (0) or the first error */
	int		 verify_depth;
	char		*verify;	/* "ok" or the reason */
	int		 name_match;
	int		 name_checked;	/* name_match set during the handshake */
	char		*error;		/* NULL, or "step: why" */
	char		*note;		/* handshake ended after the chain arrived */
	/* evaluation (stale.c) */
	int		 has_days;
	double		 min_days;	/* fewest days left in the chain */
	char		*stale_path, *stale_serial;
	int64_t		 stale_not_after;
	int		 state;		/* STATE_* of the endpoint's own alerts */
	char		*verify_alert;	/* --verify: "CRITICAL: URL: why", or NULL */
	char		*stale_alert;	/* "WARNING: URL serves ...", or NULL */
};

/* url.c: parses a URL into e (zeroed by the caller); 0 with err when the
 * scheme is unknown, the port missing or wrong, the host empty. */
int	 endpoint_parse(const char *url, struct endpoint *e, char *err, size_t errlen);
const struct scheme *scheme_find(const char *name, size_t len);
/* url.c: 1 if spec is HOST:PORT:ADDR:PORT (fields may be empty, as in
 * curl; ports 1 to 65535); else 0 with err. */
int	 connect_to_check(const char *spec, char *err, size_t errlen);

/* endpoints.c: every cfg->connects into rep->endpoints; 0 with err (a
 * usage error) when one cannot be parsed. */
int	 endpoints_parse(const struct config *, struct report *, char *err, size_t errlen);
/* Checks all endpoints concurrently and adds what they serve to the
 * report (after scan_paths: the report is prepared). */
void	 endpoints_fetch(const struct config *, struct report *);
/* After report_finish: days, the stale join, --verify; folds the endpoints'
 * states into rep->state. */
void	 endpoints_eval(const struct config *, struct report *);
void	 endpoints_free(struct report *);

/* stale.c: one endpoint's days, stale join and alerts (endpoints_eval). */
void	 endpoint_eval(const struct config *, const struct report *, struct endpoint *);
/* The -v line about an endpoint ("ENDPOINT: URL address ..."). */
char	*endpoint_line(const struct endpoint *);

/* fetch.c (libcurl): connects e, starts TLS, fills chain, tls_version,
 * verify_code or error. Thread-safe after fetch_global_init(). */
void	 fetch_global_init(void);
void	 fetch_endpoint(const struct config *, struct endpoint *);

/* tls.c (OpenSSL): */
/* The run's trust store (cfg's --cafile/--capath or the system's) and the
 * client context of our own handshakes, made once before the threads;
 * tls_done frees them. */
int	 tls_init(const struct config *);
void	 tls_done(void);
/* Sets up an SSL_CTX (void * for libcurl's callback) to capture into e:
 * the trust of cfg, a verify callback recording the served chain and the
 * first verification error, letting the handshake go on. */
int	 tls_ctx_capture(void *ssl_ctx, const struct config *, struct endpoint *);
/* Handshake over a connected socket (TLS at once and after the own
 * dialogs): 0 with err ("tls: ..." or "timeout: ...") when no certificate
 * arrived. */
int	 tls_handshake_fd(int fd, const struct config *, struct endpoint *, char *err,
	    size_t errlen);
/* After the chain arrived: e->verify (text) and e->name_match. */
void	 tls_judge(struct endpoint *);

/* sock.c: a socket for the dialogs: blocking, with send and receive
 * timeouts of ms. */
int	 sock_prepare(int fd, long ms, char *err, size_t errlen);
int	 sock_send(int fd, const void *p, size_t len, char *err, size_t errlen);
/* Reads at least one byte, at most cap: the count, or 0 with err. */
size_t	 sock_recv(int fd, void *p, size_t cap, char *err, size_t errlen);
/* Reads until need bytes are in p[0..need). */
int	 sock_recv_all(int fd, void *p, size_t need, char *err, size_t errlen);

/* The own dialogs, one file each. */
int	 starttls_ldap(int fd, const char *host, char *err, size_t errlen);
int	 starttls_ftp(int fd, const char *host, char *err, size_t errlen);
int	 starttls_postgres(int fd, const char *host, char *err, size_t errlen);
int	 starttls_xmpp(int fd, const char *host, char *err, size_t errlen);

#endif
