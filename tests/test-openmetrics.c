/* Unit tests of output_openmetrics.c and atomic.c: what the command line
 * cannot reach (label sets that would agree, invalid UTF-8 in a name) and
 * the atomic writer's own failure paths. tests/openmetrics.sh tests the
 * rest through the plugin and the real Prometheus tools. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "extern.h"
#include "tap.h"

/* One CA-export row as the report holds it: no SHA-256, no not_before. */
static void
row(struct cert *c, const char *name, const char *path, long record, int64_t not_after)
{
	memset(c, 0, sizeof(*c));
	c->ci.cn = (char *)name;
	c->ci.not_after = not_after;
	c->name = name;
	c->loc1.path = (char *)path;
	c->loc1.format = "index.txt";
	c->loc1.record = record;
	c->locs = &c->loc1;
	c->nlocs = 1;
	c->selected = 1;
	c->state = CS_OK;
}

static char *
render(const struct report *r)
{
	struct config cfg;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	memset(&cfg, 0, sizeof(cfg));
	cfg.now = 1795478400;
	output_openmetrics(f, &cfg, r);
	fclose(f);
	return text;
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (; (hay = strstr(hay, needle)) != NULL; hay++)
		n++;
	return n;
}

static void
test_twins(void)
{
	struct cert c[4], *v[4];
	struct report r;
	char *t;

	/* the same row read twice (two certificates by the report's rules),
	 * a third with the same labels, and one that differs in its record */
	row(&c[0], "same", "/ca/index.txt", 7, 1830297540);
	row(&c[1], "same", "/ca/index.txt", 7, 1830297600);
	row(&c[2], "same", "/ca/index.txt", 7, 1830297540);
	row(&c[3], "same", "/ca/index.txt", 8, 1830297540);
	memset(&r, 0, sizeof(r));
	for (size_t i = 0; i < 4; i++)
		v[i] = &c[i];
	r.certs = v;
	r.ncerts = 4;
	t = render(&r);
	ok(count(t, "source=\"/ca/index.txt:7\"") == 3, "first of the twins: PATH:RECORD");
	ok(count(t, "source=\"/ca/index.txt:7 #2\"") == 3, "second: ' #2'");
	ok(count(t, "source=\"/ca/index.txt:7 #3\"") == 3, "third: ' #3'");
	ok(count(t, "source=\"/ca/index.txt:8\"") == 3, "another record: as it is");
	ok(strstr(t, "cert_expiry_not_before_seconds{") == NULL, "no not_before where unknown");
	ok(strstr(t, "cert_expiry_certificates{state=\"ok\"} 4\n") != NULL, "four counted");
	free(t);

	/* one alone: no suffix */
	r.ncerts = 1;
	t = render(&r);
	ok(count(t, " #") == 0, "a single row has no suffix");
	free(t);
}

static void
test_escaping(void)
{
	struct cert c, *v = &c;
	struct report r;
	char *t;

	row(&c, "bad\xff utf8 \"q\" \\ \n end", "/x\n\"y\".pem", 0, 1830297540);
	c.loc1.format = "pem";
	c.ci.serial = (char *)"0A";
	memset(&r, 0, sizeof(r));
	r.certs = &v;
	r.ncerts = 1;
	t = render(&r);
	ok(strstr(t, "{name=\"bad\xef\xbf\xbd utf8 \\\"q\\\" \\\\ \\n end\",serial=\"0A\","
	    "issuer=\"\",sha256=\"\",source=\"/x\\n\\\"y\\\".pem\"} 1830297540\n") != NULL,
	    "invalid UTF-8 repaired, \\ \" and LF escaped, in name and source");
	ok(t[strlen(t) - 1] == '\n' && strstr(t, "\n# EOF\n") + 7 == t + strlen(t),
	    "# EOF last");
	free(t);
}

static void
test_atomic(void)
{
	char dir[] = "/tmp/test-openmetrics.XXXXXX", err[300], *path;
	struct atomic_file af;
	struct stat sb;
	FILE *f;

	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp");
		return;
	}
	path = xasprintf("%s/m.prom", dir);
	ok(atomic_begin(path, 0644, &af, err, sizeof(err)), "begin");
	fputs("new\n", af.fp);
	ok(stat(path, &sb) == -1, "nothing at the path before the commit");
	ok(atomic_commit(&af, err, sizeof(err)), "commit");
	ok(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0644 && sb.st_size == 4,
	    "the file, 0644, 4 bytes");
	ok(af.tmp == NULL && af.fp == NULL && af.path == NULL, "commit ends the transaction");

	/* aborted: the old file stays, the temporary goes */
	ok(atomic_begin(path, 0644, &af, err, sizeof(err)), "begin again");
	fputs("half", af.fp);
	atomic_abort(&af);
	f = fopen(path, "r");
	ok(f != NULL && fgetc(f) == 'n', "abort keeps the old file");
	if (f != NULL)
		fclose(f);
	{
		char *cmd = xasprintf("test \"$(ls -A %s)\" = m.prom", dir);

		ok(system(cmd) == 0, "abort leaves no temporary file");
		free(cmd);
	}

	/* mode -1 keeps the mode of the file */
	chmod(path, 0640);
	ok(atomic_begin(path, -1, &af, err, sizeof(err)) && atomic_commit(&af, err, sizeof(err)) &&
	    stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0640, "mode -1 keeps 0640");

	/* a missing directory: found at begin, said without the path */
	free(path);
	path = xasprintf("%s/no/m.prom", dir);
	ok(!atomic_begin(path, 0644, &af, err, sizeof(err)), "missing directory fails");
	is_str(err, "cannot create temporary file: No such file or directory", "and says why");
	free(path);

	path = xasprintf("%s/m.prom", dir);
	unlink(path);
	free(path);
	rmdir(dir);
}

int
main(void)
{
	test_twins();
	test_escaping();
	test_atomic();
	return tap_done();
}
