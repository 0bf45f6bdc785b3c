/*
 * bench-ref: the references the plugin is measured against, and the timer.
 *
 *   bench-ref read PATH...   the read limit: open/read/close of every file
 *                            (directories walked with readdir, unsorted)
 *   bench-ref ossl PATH...   OpenSSL's full parse, one thread:
 *                            PEM_read_bio_X509 per block, d2i_X509 for DER
 *   bench-ref walk PATH...   the bounded DER walk + hand base64, one thread,
 *                            each file whole in memory (plugin/x509/der.c)
 *   bench-ref time N CMD...  runs CMD N times (stdout to /dev/null) and
 *                            prints "MEDIAN_SECONDS MAX_RSS_KB" (ru_maxrss
 *                            of the child)
 *
 * read/ossl/walk print the number of certificates (files for read).
 */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "extern.h"

static int	mode;		/* 'r', 'o', 'w' */
static size_t	count;
static unsigned char *rbuf;
static size_t	rcap;

static size_t
slurp(const char *path, int *ok)
{
	ssize_t n;
	size_t len = 0;
	int fd;

	*ok = 0;
	if ((fd = open(path, O_RDONLY)) == -1)
		return 0;
	for (;;) {
		if (len == rcap) {
			rcap = rcap ? rcap * 2 : 65536;
			rbuf = realloc(rbuf, rcap);
		}
		if ((n = read(fd, rbuf + len, rcap - len)) <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	*ok = n == 0;
	return len;
}

static void
do_ossl(const unsigned char *p, size_t len)
{
	const unsigned char *q = p;
	struct tm tm;
	BIO *bio;
	X509 *x;

	if (len > 0 && p[0] == 0x30) {
		if ((x = d2i_X509(NULL, &q, (long)len)) != NULL) {
			if (ASN1_TIME_to_tm(X509_get0_notAfter(x), &tm))
				count++;
			X509_free(x);
		}
		return;
	}
	bio = BIO_new_mem_buf(p, (int)len);
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		if (ASN1_TIME_to_tm(X509_get0_notAfter(x), &tm))
			count++;
		X509_free(x);
	}
	BIO_free(bio);
}

static void
walk_one(const unsigned char *der, size_t len)
{
	struct certinfo ci;
	char err[256];

	memset(&ci, 0, sizeof(ci));
	if (der_cert_walk(der, len, &ci, err, sizeof(err))) {
		count++;
		certinfo_free(&ci);
	}
}

static void
do_walk(const unsigned char *p, size_t len)
{
	struct pem_block b;
	unsigned char *der;
	size_t off = 0, derlen;

	if (len > 0 && p[0] == 0x30) {
		walk_one(p, len);
		return;
	}
	while (pem_next(p, len, &off, &b) == 1) {
		if (base64_decode(b.b64, b.b64len, &der, &derlen)) {
			walk_one(der, derlen);
			free(der);
		}
	}
}

static void
one_file(const char *path)
{
	size_t len;
	int ok;

	len = slurp(path, &ok);
	if (!ok)
		return;
	if (mode == 'r')
		count++;
	else if (mode == 'o')
		do_ossl(rbuf, len);
	else
		do_walk(rbuf, len);
}

static void
walk_path(const char *path)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	char child[4096];

	if (stat(path, &st) == -1)
		return;
	if (!S_ISDIR(st.st_mode)) {
		one_file(path);
		return;
	}
	if ((d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(child, sizeof(child), "%s/%s", path, de->d_name);
		walk_path(child);
	}
	closedir(d);
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
do_time(int n, char **argv)
{
	double t[64], t0;
	long maxrss = 0;
	struct rusage ru;
	pid_t pid;
	int i, st, fd;

	if (n < 1 || n > 64)
		return 2;
	for (i = 0; i < n; i++) {
		t0 = now_s();
		if ((pid = fork()) == 0) {
			if ((fd = open("/dev/null", O_WRONLY)) != -1)
				dup2(fd, STDOUT_FILENO);
			execvp(argv[0], argv);
			_exit(127);
		}
		if (pid == -1 || wait4(pid, &st, 0, &ru) == -1)
			return 2;
		t[i] = now_s() - t0;
		if (ru.ru_maxrss > maxrss)
			maxrss = ru.ru_maxrss;
		if (!WIFEXITED(st) || WEXITSTATUS(st) == 127) {
			fprintf(stderr, "bench-ref: %s failed\n", argv[0]);
			return 2;
		}
	}
	qsort(t, (size_t)n, sizeof(t[0]), dcmp);
	printf("%.4f %ld\n", t[n / 2], maxrss);
	return 0;
}

int
main(int argc, char **argv)
{
	int i;

	if (argc >= 4 && strcmp(argv[1], "time") == 0)
		return do_time(atoi(argv[2]), argv + 3);
	if (argc < 3 || (strcmp(argv[1], "read") != 0 && strcmp(argv[1], "ossl") != 0 &&
	    strcmp(argv[1], "walk") != 0)) {
		fprintf(stderr, "usage: bench-ref read|ossl|walk PATH... | time N CMD...\n");
		return 2;
	}
	mode = argv[1][0];
	for (i = 2; i < argc; i++)
		walk_path(argv[i]);
	printf("%zu\n", count);
	return 0;
}
