/*
 * The collectors' private parts (report.c, record.c, keep_all.c, keep_nagios.c,
 * identity.c, idset.c): how a record is stored once a collector keeps it.
 * The rest of the plugin sees the collector interface in extern.h.
 */
#ifndef CCE_COLLECT_H
#define CCE_COLLECT_H

#include "extern.h"

/* One interface, two implementations (keep_all.c, keep_nagios.c). */
struct collector {
	const char	*name;
	/* a record that arrives, ci lent (what is kept is copied); id: its
	 * cert_identity() when worked out already, else NULL */
	void		(*add)(struct report *, const struct certinfo *ci,
			    const struct location *, const unsigned char *id);
	/* the adding is over: selection, evaluation, counts, min_days;
	 * 0 on a regex error (err set) */
	int		(*finish)(const struct config *, struct report *, char *err,
			    size_t errlen);
	/* frees what the collector holds besides report->certs */
	void		(*free)(struct report *);
};

/* Every stored record is one allocation: struct cert, then a copy of ci's
 * strings. last_issuer: the issuer of the record stored before, shared
 * when equal and updated (NULL: no sharing, for a collector that frees
 * records before the end). */
struct cert	*cert_pack(const struct certinfo *ci, const char **last_issuer);
/* Frees c; own_paths: its locations own their path (keep_nagios.c). */
void		 cert_free(struct cert *c, int own_paths);
/* Room for one more location of c. */
struct location	*location_new(struct cert *c);


#endif
