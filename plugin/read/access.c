/* Access for the monitoring user: which unreadable files are private keys
 * by convention (skipped), what the error for the others says (the user
 * the plugin runs as, and how to give it access), and --exclude-path. */
#include "config.h"

#include <errno.h>
#include <fnmatch.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extern.h"

int
access_denied(const char *err)
{
	return strcmp(err, strerror(EACCES)) == 0 || strcmp(err, strerror(EPERM)) == 0;
}

static int
ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n >= k && strncmp(s + n - k, suffix, k) == 0;
}

/* 1 if the file name (no '/') marks a private key. */
static int
key_name(const char *name)
{
	size_t n = strlen(name);

	return ends_with(name, n, ".key") || ends_with(name, n, ".key.pem") ||
	    ends_with(name, n, "-key.pem") || ends_with(name, n, "_key.pem") ||
	    (strncmp(name, "privkey", 7) == 0 && ends_with(name, n, ".pem"));
}

/* The last component of path (without trailing '/'), and its length;
 * *parent, *plen: the one before it (empty if none). */
static void
last_two(const char *path, const char **base, size_t *blen, const char **parent,
    size_t *plen)
{
	const char *e = path + strlen(path), *b, *p;

	while (e > path + 1 && e[-1] == '/')
		e--;
	for (b = e; b > path && b[-1] != '/'; b--)
		;
	*base = b;
	*blen = (size_t)(e - b);
	for (e = b; e > path && e[-1] == '/'; e--)
		;
	for (p = e; p > path && p[-1] != '/'; p--)
		;
	*parent = p;
	*plen = (size_t)(e - p);
}

const char *
access_key_reason(const char *path, int is_dir)
{
	const char *base, *parent;
	size_t blen, plen;
	char *name;
	int key;

	last_two(path, &base, &blen, &parent, &plen);
	if (blen == 7 && strncmp(base, "private", 7) == 0)
		return is_dir ? "key directory, not readable by this user: skipped" :
		    "private key by its name, not readable by this user: skipped";
	if (!is_dir && plen == 7 && strncmp(parent, "private", 7) == 0)
		return "in a key directory, not readable by this user: skipped";
	if (is_dir)
		return NULL;
	name = xstrndup(base, blen);
	key = key_name(name);
	free(name);
	return key ? "private key by its name, not readable by this user: skipped" : NULL;
}

/* The name of the user the plugin runs as ("uid N" without one). */
static char *
run_user(void)
{
	struct passwd pw, *res = NULL;
	char buf[1024];
	uid_t uid = geteuid();

	if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) == 0 && res != NULL &&
	    res->pw_name != NULL && *res->pw_name != '\0')
		return xstrdup(res->pw_name);
	return xasprintf("uid %lu", (unsigned long)uid);
}

char *
access_error(const char *path, const char *err, int is_dir)
{
	char *user = run_user(), *s;
	const char *u = strncmp(user, "uid ", 4) == 0 ? user + 4 : user;

	/* a directory needs r and x, a file r: on that one only (a recursive
	 * rX would open the keys inside as well) */
	s = xasprintf("%s (the plugin runs as user %s; give it read access, e.g. "
	    "setfacl -m u:%s:%s '%s', or leave it out with --exclude-path)", err, user, u,
	    is_dir ? "rx" : "r", path);
	free(user);
	return s;
}

const char *
access_excluded(const struct config *cfg, const char *path)
{
	size_t i;

	/* no FNM_PATHNAME: '*' crosses '/', the glob covers the whole path */
	for (i = 0; i < cfg->nexclude_paths; i++)
		if (fnmatch(cfg->exclude_paths[i], path, 0) == 0)
			return cfg->exclude_paths[i];
	return NULL;
}
