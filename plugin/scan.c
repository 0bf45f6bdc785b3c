/* Sources: walks paths (files, directories, "-"), hands each input to the
 * first reader that recognises it, and collects what the readers report
 * through a per-input sink, merged into the report in a fixed order. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extern.h"

/* Largest single input read into memory. */
#define INPUT_MAX_BYTES	(1024UL * 1024 * 1024)

struct sink {
	const struct config	*cfg;
	const char		*path;
	struct report		*rep;
	size_t			 count;
	int			 skipped;
	int			 errors;
};

/* ----------------------------------------------------------- the sink API */

static void
sink_add(struct sink *s, struct certinfo *ci, const struct sink_cert_meta *m)
{
	struct location loc;

	loc.path = (char *)s->path;
	loc.format = m->format;
	loc.record = m->record;
	loc.alias = (char *)m->alias;
	report_add_cert(s->rep, ci, &loc);
	s->count++;
}

static void
move_extra(struct certinfo *ci, struct certinfo *x)
{
	if (x == NULL)
		return;
	ci->template = x->template;
	ci->request_id = x->request_id;
	ci->requester = x->requester;
	ci->revoked = x->revoked;
	ci->revoke_reason = x->revoke_reason;
	x->template = x->request_id = x->requester = x->revoke_reason = NULL;
}

int
sink_der(struct sink *s, const unsigned char *der, size_t len, const struct sink_cert_meta *m)
{
	struct certinfo ci;
	char err[256], err2[256];

	memset(&ci, 0, sizeof(ci));
	if (!der_cert_walk(der, len, &ci, err, sizeof(err))) {
		if (!ossl_cert_parse(der, len, &ci, err2, sizeof(err2))) {
			sink_error(s, m->record, "invalid certificate: %s (OpenSSL: %s)", err,
			    err2);
			if (m->extra)
				certinfo_free(m->extra);
			return 0;
		}
		sink_note(s, "%s: DER walk rejected the certificate (%s); used OpenSSL",
		    s->path, err);
	}
	ossl_sha256(der, len, ci.sha256);
	ci.has_sha256 = 1;
	move_extra(&ci, m->extra);
	sink_add(s, &ci, m);
	return 1;
}

void
sink_certinfo(struct sink *s, struct certinfo *ci, const struct sink_cert_meta *m)
{
	sink_add(s, ci, m);
}

void
sink_error(struct sink *s, long record, const char *fmt, ...)
{
	struct buf b = { 0 };
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	report_add_problem(s->rep, s->path, record, b.data ? b.data : "");
	buf_free(&b);
	s->errors++;
}

void
sink_skip(struct sink *s, const char *fmt, ...)
{
	struct buf b = { 0 };
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	report_add_skip(s->rep, s->path, b.data ? b.data : "");
	buf_free(&b);
	s->skipped++;
}

void
sink_note(struct sink *s, const char *fmt, ...)
{
	struct buf b = { 0 };
	va_list ap;

	if (s->cfg->verbose < 2)
		return;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	report_add_note(s->rep, b.data ? b.data : "");
	buf_free(&b);
}

const char *
sink_path(const struct sink *s)
{
	return s->path;
}

const struct config *
sink_config(const struct sink *s)
{
	return s->cfg;
}

size_t
sink_count(const struct sink *s)
{
	return s->count;
}

/* ------------------------------------------------------------- one input */

void
scan_buffer(const struct config *cfg, struct report *rep, const char *path,
    const unsigned char *p, size_t len)
{
	struct sink s;
	size_t i;

	memset(&s, 0, sizeof(s));
	s.cfg = cfg;
	s.path = path;
	s.rep = rep;
	if (len == 0) {
		sink_skip(&s, "empty file");
		return;
	}
	for (i = 0; readers[i] != NULL; i++) {
		if (readers[i]->probe(p, len)) {
			sink_note(&s, "%s: read as %s", path, readers[i]->name);
			readers[i]->read(&s, p, len);
			if (s.count == 0 && s.errors == 0 && s.skipped == 0)
				sink_skip(&s, "no certificate in %s input", readers[i]->name);
			return;
		}
	}
	sink_skip(&s, "no certificate (content not recognised)");
}

static void
scan_file(const struct config *cfg, struct report *rep, const char *path)
{
	unsigned char *data = NULL;
	size_t len = 0;
	char err[256];

	if (!read_file(path, INPUT_MAX_BYTES, &data, &len, err, sizeof(err))) {
		report_add_problem(rep, path, 0, err);
		return;
	}
	scan_buffer(cfg, rep, path, data, len);
	free(data);
}

/* --------------------------------------------------------- the directory walk */

struct devino {
	dev_t	dev;
	ino_t	ino;
};

struct walk {
	const struct config	*cfg;
	struct report		*rep;
	struct devino		*stack;		/* directories on the current path */
	size_t			 depth;
	struct devino		*seen;		/* every directory scanned */
	size_t			 nseen;
	const char		*root;		/* real path of the operand (--no-follow) */
};

static int
devino_in(const struct devino *v, size_t n, const struct stat *st)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].dev == st->st_dev && v[i].ino == st->st_ino)
			return 1;
	return 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk_path(struct walk *, const char *path, int operand);

/* 1 if the symlink at path resolves inside the operand's tree. */
static int
inside_root(const struct walk *w, const char *path)
{
	char *real = realpath(path, NULL);
	size_t n;
	int in;

	if (real == NULL || w->root == NULL) {
		free(real);
		return 0;
	}
	n = strlen(w->root);
	in = strncmp(real, w->root, n) == 0 &&
	    (real[n] == '/' || real[n] == '\0' || strcmp(w->root, "/") == 0);
	free(real);
	return in;
}

static void
walk_dir(struct walk *w, const char *path, const struct stat *st)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL, *child;
	size_t n = 0, i;

	if (devino_in(w->stack, w->depth, st)) {
		report_add_problem(w->rep, path, 0,
		    "directory loop: this directory contains itself (not followed again)");
		return;
	}
	if (devino_in(w->seen, w->nseen, st)) {
		if (w->cfg->verbose >= 2)
			report_add_note(w->rep, xasprintf("%s: directory already scanned", path));
		return;
	}
	if ((d = opendir(path)) == NULL) {
		report_add_problem(w->rep, path, 0, strerror(errno));
		return;
	}
	w->seen = xreallocarray(w->seen, w->nseen + 1, sizeof(*w->seen));
	w->seen[w->nseen].dev = st->st_dev;
	w->seen[w->nseen++].ino = st->st_ino;
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	if (errno != 0)
		report_add_problem(w->rep, path, 0, strerror(errno));
	closedir(d);
	qsort(names, n, sizeof(*names), name_cmp);
	w->stack = xreallocarray(w->stack, w->depth + 1, sizeof(*w->stack));
	w->stack[w->depth].dev = st->st_dev;
	w->stack[w->depth++].ino = st->st_ino;
	for (i = 0; i < n; i++) {
		child = strcmp(path, "/") == 0 ? xasprintf("/%s", names[i]) :
		    xasprintf("%s/%s", path, names[i]);
		walk_path(w, child, 0);
		free(child);
		free(names[i]);
	}
	w->depth--;
	free(names);
}

static void
walk_path(struct walk *w, const char *path, int operand)
{
	struct stat lst, st;

	if (lstat(path, &lst) == -1) {
		report_add_problem(w->rep, path, 0, strerror(errno));
		return;
	}
	if (S_ISLNK(lst.st_mode)) {
		if (!operand && w->cfg->no_follow && !inside_root(w, path)) {
			report_add_skip(w->rep, path,
			    "symbolic link leads out of the scanned tree (--no-follow)");
			return;
		}
		if (stat(path, &st) == -1) {
			report_add_problem(w->rep, path, 0, errno == ENOENT ?
			    "dangling symbolic link" : strerror(errno));
			return;
		}
	} else
		st = lst;
	if (S_ISDIR(st.st_mode))
		walk_dir(w, path, &st);
	else if (S_ISREG(st.st_mode))
		scan_file(w->cfg, w->rep, path);
	else
		report_add_problem(w->rep, path, 0, S_ISFIFO(st.st_mode) ?
		    "not a regular file (FIFO): not read" : S_ISCHR(st.st_mode) ||
		    S_ISBLK(st.st_mode) ? "not a regular file (device): not read" :
		    "not a regular file: not read");
}

void
scan_paths(const struct config *cfg, struct report *rep)
{
	struct walk w;
	size_t i;

	memset(&w, 0, sizeof(w));
	w.cfg = cfg;
	w.rep = rep;
	for (i = 0; i < cfg->npaths; i++) {
		if (strcmp(cfg->paths[i], "-") == 0) {
			scan_file(cfg, rep, "-");
			continue;
		}
		w.root = realpath(cfg->paths[i], NULL);
		walk_path(&w, cfg->paths[i], 1);
		free((char *)w.root);
		w.root = NULL;
	}
	free(w.stack);
	free(w.seen);
}
