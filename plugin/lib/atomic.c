/*
 * A file replaced atomically (the --state-file, the --metrics-file): a
 * reader sees the old file or the new one, never half of one. The new
 * content goes to a temporary file in the same directory (rename() only
 * replaces in one step within a file system), is flushed and fsynced, and
 * is then renamed over the file; on any failure the temporary file is
 * removed and the file is left as it was.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extern.h"

static void
clear(struct atomic_file *af)
{
	memset(af, 0, sizeof(*af));
}

int
atomic_begin(const char *path, int mode, struct atomic_file *af, char *err, size_t errlen)
{
	struct stat sb;
	int fd;

	clear(af);
	af->tmp = xasprintf("%s.tmpXXXXXX", path);
	if ((fd = mkstemp(af->tmp)) == -1) {
		snprintf(err, errlen, "cannot create temporary file: %s", strerror(errno));
		free(af->tmp);
		clear(af);
		return 0;
	}
	af->path = xstrdup(path);
	if (mode >= 0) {
		if (fchmod(fd, (mode_t)mode) == -1) {
			snprintf(err, errlen, "chmod of the temporary file: %s", strerror(errno));
			close(fd);
			atomic_abort(af);
			return 0;
		}
	} else if (stat(path, &sb) == 0)	/* keep the mode of the file */
		(void)fchmod(fd, sb.st_mode & 0777);
	if ((af->fp = fdopen(fd, "w")) == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		close(fd);
		atomic_abort(af);
		return 0;
	}
	return 1;
}

void
atomic_abort(struct atomic_file *af)
{
	if (af->fp != NULL)
		fclose(af->fp);
	if (af->tmp != NULL)
		(void)unlink(af->tmp);
	free(af->tmp);
	free(af->path);
	clear(af);
}

/* The rename is on the disk once the directory is. */
static void
sync_dir(const char *path)
{
	char *copy = xstrdup(path);
	int fd;

	if ((fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		(void)fsync(fd);
		close(fd);
	}
	free(copy);
}

/* Flushes, fsyncs and closes af->fp (set to NULL even on failure). */
static int
finish(struct atomic_file *af, char *err, size_t errlen)
{
	FILE *fp = af->fp;
	int rc = 1;

	af->fp = NULL;
	if (fflush(fp) == EOF || ferror(fp)) {	/* ferror: an earlier write failed */
		snprintf(err, errlen, "write: %s",
		    strerror(ferror(fp) && errno == 0 ? EIO : errno));
		rc = 0;
	} else if (fsync(fileno(fp)) == -1) {
		snprintf(err, errlen, "fsync: %s", strerror(errno));
		rc = 0;
	}
	if (fclose(fp) == EOF && rc) {
		snprintf(err, errlen, "close: %s", strerror(errno));
		rc = 0;
	}
	return rc;
}

int
atomic_commit(struct atomic_file *af, char *err, size_t errlen)
{
	int rc = 0;

	if (!finish(af, err, errlen))
		goto out;
	if (rename(af->tmp, af->path) == -1) {
		snprintf(err, errlen, "rename: %s", strerror(errno));
		goto out;
	}
	free(af->tmp);
	af->tmp = NULL;
	sync_dir(af->path);
	rc = 1;
out:
	atomic_abort(af);
	return rc;
}
