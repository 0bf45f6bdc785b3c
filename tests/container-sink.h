/* The container area's tests read through the plugin's own sink
 * (plugin/read/sink.c), buffered, and look at what came out of it. */
#ifndef CCE_CONTAINER_SINK_H
#define CCE_CONTAINER_SINK_H

#include "extern.h"
#include "sink.h"

struct csink_cert {
	unsigned char	 sha256[32];
	char		*format;
	long		 record;
	char		*alias;
};

/* A real sink, and its events once a reader is done. */
struct csink {
	struct sink		 sink;
	struct config		 cfg;
	const char		*path;
	struct csink_cert	*certs;
	size_t			 ncerts;
	char			**errors;	/* "PATH:RECORD: message", "PATH: message" */
	size_t			 nerrors;
	char			**notes;	/* "UNIT RECORD: text", or the text */
	size_t			 nnotes;
	char			**skips;
	size_t			 nskips;
};

void	 csink_init(struct csink *, const char *path, const char *password);
void	 csink_free(struct csink *);
/* Runs r over p[0..len) into the sink, then gathers what came out. */
void	 csink_run(struct csink *, const struct reader *r, const unsigned char *p, size_t len);
/* Runs the first container reader whose probe accepts p; 0 if none. */
int	 csink_read(struct csink *, const unsigned char *p, size_t len);
/* 1 if some error message contains needle. */
int	 csink_error_has(const struct csink *, const char *needle);

#endif
