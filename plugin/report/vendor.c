/* --skip-vendor-roots: the certificates the operating system's CA package
 * ships. They are read from the package's own directory by the usual
 * readers (sources → certificates, in a report of their own) and kept as
 * identities only: a certificate of the run with the same DER is the
 * vendor's (select.c), counted but not alerted. A root the
 * admin added (/usr/local/share/ca-certificates/, the anchors of
 * /etc/pki/ca-trust/source/) is not there, so it alerts as usual. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "extern.h"

/* Where the CA packages keep what they ship: Debian and Ubuntu
 * (ca-certificates), Fedora and RHEL (ca-certificates, p11-kit format). */
static const char *const default_dirs[] = {
	"/usr/share/ca-certificates",
	"/usr/share/pki/ca-trust-source",
};

/* The directories to read: those named, else the defaults that exist. */
static size_t
vendor_dirs(const struct config *cfg, char ***dirs, int *named)
{
	struct stat st;
	size_t i, n = 0;

	*named = cfg->nvendor_roots > 0;
	*dirs = xreallocarray(NULL, cfg->nvendor_roots + 2, sizeof(**dirs));
	if (*named) {
		for (i = 0; i < cfg->nvendor_roots; i++)
			(*dirs)[n++] = cfg->vendor_roots[i];
		return n;
	}
	for (i = 0; i < sizeof(default_dirs) / sizeof(default_dirs[0]); i++)
		if (stat(default_dirs[i], &st) == 0 && S_ISDIR(st.st_mode))
			(*dirs)[n++] = (char *)default_dirs[i];
	return n;
}

void
vendor_load(const struct config *cfg, struct report *rep)
{
	struct config vc;
	struct report vr;
	char **dirs, *msg;
	size_t n, i;
	int named;

	if (!cfg->skip_vendor_roots)
		return;
	n = vendor_dirs(cfg, &dirs, &named);
	/* the same readers, walked as given: no selection, no -v, no
	 * exclusions, one thread (a few hundred small files) */
	memset(&vr, 0, sizeof(vr));
	vc = *cfg;
	vc.paths = dirs;
	vc.npaths = n;
	vc.verbose = 0;
	vc.no_follow = 0;
	vc.nexclude_paths = 0;
	vc.jobs = 1;
	vc.output = OUTPUT_LIST;
	if (n > 0)
		scan_paths(&vc, &vr);
	/* what cannot be read of a directory the admin named is an error;
	 * of the defaults, a note (its certificates then alert as usual) */
	for (i = 0; i < vr.nproblems; i++) {
		if (named) {
			msg = xasprintf("%s (reading --vendor-roots)", vr.problems[i].message);
			report_add_problem(rep, vr.problems[i].path, vr.problems[i].record, msg);
		} else {
			msg = xasprintf("%s: %s (reading the vendor's certificates)",
			    vr.problems[i].path, vr.problems[i].message);
			report_add_note(rep, msg);
		}
		free(msg);
	}
	rep->vendor = vendor_set_from(&vr);
	if (n == 0)
		msg = xasprintf("--skip-vendor-roots: neither %s nor %s exists: no "
		    "certificate is the vendor's", default_dirs[0], default_dirs[1]);
	else {
		struct buf b = { 0 };

		for (i = 0; i < n; i++)
			buf_printf(&b, "%s%s", i ? ", " : "", dirs[i]);
		msg = xasprintf("--skip-vendor-roots: %zu certificate%s shipped in %s",
		    vendor_set_size(rep->vendor), vendor_set_size(rep->vendor) == 1 ? "" : "s",
		    b.data);
		buf_free(&b);
	}
	report_add_note(rep, msg);
	free(msg);
	free(dirs);
	report_free(&vr);
}

