/* Sources: walks the paths (files, directories, "-") in sorted order and
 * hands every file to the pool (pool.c), which reads it (input.c) and
 * merges what the readers report into the report in that order. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "extern.h"
#include "par.h"
#include "sink.h"

struct devino {
	dev_t	dev;
	ino_t	ino;
};

struct walk {
	struct pool		*pl;
	const struct config	*cfg;
	struct devino		*stack;		/* directories on the current path */
	size_t			 depth;
	struct devino		*seen;		/* every directory scanned */
	size_t			 nseen;
	const char		*root;		/* real path of the operand (--no-follow) */
};

struct dentry {
	char		*name;
	unsigned char	 type;		/* d_type */
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
	return strcmp(((const struct dentry *)a)->name, ((const struct dentry *)b)->name);
}

static void walk_path(struct walk *, const char *path, int operand, unsigned char type);

/* The walk could not open or stat path: an error, or skipped when access
 * was denied and its name marks a private key or a key directory. */
static void
walk_failed(struct walk *w, const char *path, const char *err, int is_dir)
{
	const char *why;
	char *msg;

	if (!access_denied(err))
		pool_event(w->pl, EV_ERROR, path, err);
	else if ((why = access_key_reason(path, is_dir)) != NULL)
		pool_event(w->pl, EV_SKIP, path, why);
	else {
		msg = access_error(path, err, is_dir);
		pool_event(w->pl, EV_ERROR, path, msg);
		free(msg);
	}
}

/* 1 if --exclude-path leaves path out (said at -vv). */
static int
walk_excluded(struct walk *w, const char *path)
{
	const char *glob;
	char *msg;

	if (w->cfg->nexclude_paths == 0 || (glob = access_excluded(w->cfg, path)) == NULL)
		return 0;
	if (w->cfg->verbose >= 2) {
		msg = xasprintf("%s: left out (--exclude-path=%s)", path, glob);
		pool_event(w->pl, EV_NOTE, path, msg);
		free(msg);
	}
	return 1;
}

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
	struct dentry *names = NULL;
	struct dirref *dir;
	char *child, *msg;
	size_t n = 0, cap = 0, i, plen, nreg;

	if (devino_in(w->stack, w->depth, st)) {
		pool_event(w->pl, EV_ERROR, path,
		    "directory loop: this directory contains itself (not followed again)");
		return;
	}
	if (devino_in(w->seen, w->nseen, st)) {
		if (w->cfg->verbose >= 2) {
			msg = xasprintf("%s: directory already scanned", path);
			pool_event(w->pl, EV_NOTE, path, msg);
			free(msg);
		}
		return;
	}
	if ((d = opendir(path)) == NULL) {
		walk_failed(w, path, strerror(errno), 1);
		return;
	}
	w->seen = xreallocarray(w->seen, w->nseen + 1, sizeof(*w->seen));
	w->seen[w->nseen].dev = st->st_dev;
	w->seen[w->nseen++].ino = st->st_ino;
	while ((errno = 0, de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = xreallocarray(names, cap, sizeof(*names));
		}
		names[n].name = xstrdup(de->d_name);
		names[n++].type = de->d_type;
	}
	if (errno != 0)
		pool_event(w->pl, EV_ERROR, path, strerror(errno));
	closedir(d);
	if (n > 1)	/* qsort(NULL, 0) is undefined */
		qsort(names, n, sizeof(*names), name_cmp);
	w->stack = xreallocarray(w->stack, w->depth + 1, sizeof(*w->stack));
	w->stack[w->depth].dev = st->st_dev;
	w->stack[w->depth++].ino = st->st_ino;
	for (i = nreg = 0; i < n; i++)
		nreg += names[i].type == DT_REG;
	dir = pool_dir(w->pl, path, nreg);
	/* "dir/", "dir//" and "/" join as "dir/name" and "/name" */
	for (plen = strlen(path); plen > 0 && path[plen - 1] == '/'; plen--)
		;
	for (i = 0; i < n; i++) {
		child = xmalloc(plen + strlen(names[i].name) + 2);
		memcpy(child, path, plen);
		child[plen] = '/';
		strcpy(child + plen + 1, names[i].name);
		if (walk_excluded(w, child))
			(void)0;	/* --exclude-path: not read, not entered */
		else if (dir != NULL && names[i].type == DT_REG)
			pool_file_in(w->pl, child, dir, plen + 1);
		else
			walk_path(w, child, 0, names[i].type);
		free(child);
		free(names[i].name);
	}
	pool_dir_put(dir);
	w->depth--;
	free(names);
}

static void
walk_path(struct walk *w, const char *path, int operand, unsigned char type)
{
	struct stat lst, st;

	if (operand && walk_excluded(w, path))
		return;		/* the walk_dir loop asks for the others */
	/* a regular file as readdir tells: no stat here, the reader's open
	 * and fstat see what it is */
	if (type == DT_REG) {
		pool_file(w->pl, path);
		return;
	}
	if (lstat(path, &lst) == -1) {
		walk_failed(w, path, strerror(errno), type == DT_DIR);
		return;
	}
	if (S_ISLNK(lst.st_mode)) {
		if (!operand && w->cfg->no_follow && !inside_root(w, path)) {
			pool_event(w->pl, EV_SKIP, path,
			    "symbolic link leads out of the scanned tree (--no-follow)");
			return;
		}
		if (stat(path, &st) == -1) {
			if (errno == ENOENT)
				pool_event(w->pl, EV_ERROR, path, "dangling symbolic link");
			else
				walk_failed(w, path, strerror(errno), 0);
			return;
		}
	} else
		st = lst;
	if (S_ISDIR(st.st_mode))
		walk_dir(w, path, &st);
	else if (S_ISREG(st.st_mode))
		pool_file(w->pl, path);
	else
		pool_event(w->pl, EV_ERROR, path, S_ISFIFO(st.st_mode) ?
		    "not a regular file (FIFO): not read" : S_ISCHR(st.st_mode) ||
		    S_ISBLK(st.st_mode) ? "not a regular file (device): not read" :
		    "not a regular file: not read");
}

/* Standard input is read by the main thread straight into the report (its
 * certificates are not buffered as events: a whole CA export can come
 * this way), after everything queued before it. */
static void
scan_stdin(struct pool *pl, const struct config *cfg, struct report *rep)
{
	struct sink s;
	unsigned char *data = NULL;
	size_t len = 0;
	char err[256];
	int ok;

	memset(&s, 0, sizeof(s));
	s.cfg = cfg;
	s.path = "-";
	s.rep = rep;
	ok = read_file("-", INPUT_MAX_BYTES, &data, &len, err, sizeof(err));
	pool_drain(pl);
	if (ok)
		input_read(&s, data, len);
	else
		sink_message(&s, EV_ERROR, 0, xstrdup(err));
	free(data);
}

void
scan_paths(const struct config *cfg, struct report *rep)
{
	struct walk w;
	size_t i;

	memset(&w, 0, sizeof(w));
	w.pl = pool_start(cfg, rep);
	w.cfg = cfg;
	for (i = 0; i < cfg->npaths; i++) {
		if (strcmp(cfg->paths[i], "-") == 0) {
			scan_stdin(w.pl, cfg, rep);
			continue;
		}
		w.root = realpath(cfg->paths[i], NULL);
		walk_path(&w, cfg->paths[i], 1, DT_UNKNOWN);
		free((char *)w.root);
		w.root = NULL;
	}
	pool_finish(w.pl);
	free(w.stack);
	free(w.seen);
}

