/* A tiny stand-in for the core's sink, for the container area's tests. */
#ifndef CCE_CONTAINER_SINK_H
#define CCE_CONTAINER_SINK_H

#include "extern.h"

struct fake_cert {
	unsigned char	 sha256[32];
	char		*format;
	long		 record;
	char		*alias;
	int		 valid;		/* parsed by OpenSSL as a certificate */
};

struct sink {
	const char		*path;
	struct config		 cfg;
	struct fake_cert	*certs;
	size_t			 ncerts;
	char			**errors;
	size_t			 nerrors;
	char			**notes;
	size_t			 nnotes;
	char			**skips;
	size_t			 nskips;
};

void	 fake_sink_init(struct sink *, const char *path, const char *password);
void	 fake_sink_free(struct sink *);
/* Runs the first container reader whose probe accepts p; 0 if none. */
int	 fake_sink_read(struct sink *, const unsigned char *p, size_t len);
/* 1 if some error message contains needle. */
int	 fake_sink_error_has(const struct sink *, const char *needle);

#endif
