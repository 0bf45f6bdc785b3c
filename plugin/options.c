/* Options, as documented in --help, the man page and the README. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "options.h"

enum {
	OPT_SKIP_RENEWED = 256, OPT_INCLUDE_REVOKED, OPT_FORGET_AFTER, OPT_TEMPLATE,
	OPT_EXCLUDE_TEMPLATE, OPT_ISSUER, OPT_NO_FOLLOW, OPT_NOW, OPT_P12_PWFILE,
	OPT_SMTP_USER, OPT_SMTP_PWFILE, OPT_SMTP_CAFILE, OPT_SMTP_TLS, OPT_TEST_MAIL,
	OPT_STATE_FILE, OPT_METRICS_FILE, OPT_EXCLUDE_PATH, OPT_SKIP_VENDOR_ROOTS,
	OPT_VENDOR_ROOTS, OPT_CONNECT, OPT_CONNECT_TO, OPT_PROXY,
	OPT_CONNECT_TIMEOUT, OPT_VERIFY, OPT_CAFILE, OPT_CAPATH,
};

static const struct option longopts[] = {
	{ "path", required_argument, NULL, 'p' },
	{ "warning", required_argument, NULL, 'w' },
	{ "critical", required_argument, NULL, 'c' },
	{ "filter", required_argument, NULL, 'f' },
	{ "exclude", required_argument, NULL, 'x' },
	{ "days", required_argument, NULL, 'd' },
	{ "skip-renewed", no_argument, NULL, OPT_SKIP_RENEWED },
	{ "include-revoked", no_argument, NULL, OPT_INCLUDE_REVOKED },
	{ "forget-after", required_argument, NULL, OPT_FORGET_AFTER },
	{ "template", required_argument, NULL, OPT_TEMPLATE },
	{ "exclude-template", required_argument, NULL, OPT_EXCLUDE_TEMPLATE },
	{ "issuer", required_argument, NULL, OPT_ISSUER },
	{ "no-follow", no_argument, NULL, OPT_NO_FOLLOW },
	{ "exclude-path", required_argument, NULL, OPT_EXCLUDE_PATH },
	{ "skip-vendor-roots", no_argument, NULL, OPT_SKIP_VENDOR_ROOTS },
	{ "vendor-roots", required_argument, NULL, OPT_VENDOR_ROOTS },
	{ "jobs", required_argument, NULL, 'j' },
	{ "timeout", required_argument, NULL, 't' },
	{ "now", required_argument, NULL, OPT_NOW },
	{ "output", required_argument, NULL, 'o' },
	{ "list", no_argument, NULL, 'l' },
	{ "metrics-file", required_argument, NULL, OPT_METRICS_FILE },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "pkcs12-password-file", required_argument, NULL, OPT_P12_PWFILE },
	{ "smtp-server", required_argument, NULL, 'm' },
	{ "sender", required_argument, NULL, 's' },
	{ "recipient", required_argument, NULL, 'r' },
	{ "smtp-user", required_argument, NULL, OPT_SMTP_USER },
	{ "smtp-password-file", required_argument, NULL, OPT_SMTP_PWFILE },
	{ "smtp-cafile", required_argument, NULL, OPT_SMTP_CAFILE },
	{ "smtp-tls", required_argument, NULL, OPT_SMTP_TLS },
	{ "test-mail", no_argument, NULL, OPT_TEST_MAIL },
	{ "state-file", required_argument, NULL, OPT_STATE_FILE },
	{ "connect", required_argument, NULL, OPT_CONNECT },
	{ "connect-to", required_argument, NULL, OPT_CONNECT_TO },
	{ "proxy", required_argument, NULL, OPT_PROXY },
	{ "connect-timeout", required_argument, NULL, OPT_CONNECT_TIMEOUT },
	{ "verify", no_argument, NULL, OPT_VERIFY },
	{ "cafile", required_argument, NULL, OPT_CAFILE },
	{ "capath", required_argument, NULL, OPT_CAPATH },
	{ "ipv4", no_argument, NULL, '4' },
	{ "ipv6", no_argument, NULL, '6' },
	{ NULL, 0, NULL, 0 },
};

static const char shortopts[] = ":p:w:c:f:x:d:j:t:o:lvhVm:s:r:46";

void
print_help(FILE *out)
{
	fputs(
"check_cert_expiry " PACKAGE_VERSION " - certificate expiry check for Nagios and Icinga\n"
"\n"
"Reports certificates that expire soon, from certificate files and folders\n"
"(PEM, DER, PKCS#7, PKCS#12, Java keystores) and CA database exports\n"
"(Windows certutil -view text/CSV in English or German, OpenSSL/Easy-RSA\n"
"index.txt). Formats are recognised by content.\n"
"\n"
"Usage: check_cert_expiry [OPTION]... -p PATH [-p PATH]... [PATH]...\n"
"\n"
"Sources:\n"
"  -p, --path=PATH          file, directory (recursive) or - for standard input;\n"
"                           repeatable; operands after the options are more paths\n"
"      --no-follow          do not follow symbolic links that lead out of a\n"
"                           scanned directory\n"
"      --exclude-path=GLOB  leave out files and directories whose whole path\n"
"                           matches GLOB ('*' also crosses '/'; a directory is\n"
"                           not entered); repeatable\n"
"  -j, --jobs=N             worker threads (default: number of CPUs)\n"
"      --include-revoked    also report revoked, denied, pending and failed rows\n"
"                           of CA exports\n"
"      --pkcs12-password-file=FILE\n"
"                           password for PKCS#12 files (or the environment\n"
"                           variable CHECK_CERT_EXPIRY_PKCS12_PASSWORD); the\n"
"                           empty password is always tried\n"
"\n"
"Selection:\n"
"  -f, --filter=REGEX       keep certificates whose name matches (PCRE2,\n"
"                           case-insensitive; e.g. '^PC' or '^(?!PC)'); the name\n"
"                           is the subject's most specific CN (the last one:\n"
"                           'Jane Doe' for DC=local,DC=corp,CN=Users,CN=Jane Doe),\n"
"                           else the first DNS name, else the subject DN, else\n"
"                           the serial\n"
"  -x, --exclude=REGEX      drop certificates whose name matches\n"
"  -d, --days=N             keep only certificates that expire on the calendar\n"
"                           day N days from today (local time, TZ)\n"
"      --skip-renewed       drop a certificate when another one with the same\n"
"                           name and issuer expires later\n"
"      --forget-after=DAYS  certificates expired more than DAYS days ago are\n"
"                           counted as forgotten, not alerted\n"
"      --skip-vendor-roots  certificates the OS CA package ships (the same DER\n"
"                           under /usr/share/ca-certificates/ or\n"
"                           /usr/share/pki/ca-trust-source/) are counted as\n"
"                           vendor, not alerted; roots the admin added alert\n"
"      --vendor-roots=DIR   look for the vendor's certificates in DIR instead\n"
"                           (repeatable; implies --skip-vendor-roots)\n"
"      --template=REGEX     keep CA-export rows whose certificate template\n"
"                           matches (certificates without a template are dropped)\n"
"      --exclude-template=REGEX\n"
"                           drop CA-export rows whose template matches\n"
"      --issuer=REGEX       keep certificates whose issuer DN matches\n"
"\n"
"Evaluation:\n"
"  -w, --warning=DAYS       warn when fewer than DAYS days are left (default 30);\n"
"                           a Nagios range (with ':', '~' or '@') applies to\n"
"                           the days left\n"
"  -c, --critical=DAYS      critical when fewer than DAYS days are left\n"
"                           (default 7); expired certificates are always critical\n"
"      --now=TIME           evaluate as if now were TIME: YYYY-MM-DD (midnight\n"
"                           UTC), YYYY-MM-DDTHH:MM:SSZ or @EPOCH\n"
"  -t, --timeout=SECONDS    give up with UNKNOWN after SECONDS (default 60)\n"
"\n"
"Output:\n"
"  -o, --output=FORMAT      nagios (default), list, json or openmetrics\n"
"                           (Prometheus text format)\n"
"  -l, --list               same as --output=list\n"
"      --metrics-file=FILE  also write the openmetrics document to FILE,\n"
"                           replaced atomically, mode 0644 (node_exporter's\n"
"                           textfile collector); the output and exit code stay\n"
"                           as they are; a file not written is UNKNOWN\n"
"  -v, --verbose            -v lists every certificate, -vv also skipped files\n"
"                           and diagnostics\n"
"  -h, --help               this help\n"
"  -V, --version            version\n"
"\n"
"Mail:\n"
"  -m, --smtp-server=HOST[:PORT]|URL\n"
"                           SMTP relay (smtp:// or smtps:// URLs too)\n"
"  -s, --sender=ADDR        envelope and From address\n"
"  -r, --recipient=ADDR[;ADDR...]\n"
"                           recipients, repeatable; ';' and ',' separate\n"
"      --smtp-user=USER     authenticate as USER; the password comes from\n"
"      --smtp-password-file=FILE or CHECK_CERT_EXPIRY_SMTP_PASSWORD\n"
"      --smtp-cafile=FILE   CA certificates to verify the server with (default:\n"
"                           the system trust store; verification is always on)\n"
"      --smtp-tls=require   refuse to send unless STARTTLS or smtps is used\n"
"                           (STARTTLS is used whenever the server offers it)\n"
"      --test-mail          send a test message and exit (also the default when\n"
"                           -m, -s and -r are given without any source)\n"
"      --state-file=FILE    remember what was mailed: each certificate is mailed\n"
"                           once when it becomes WARNING, CRITICAL and expired\n"
"  With sources and -m, one digest message lists the WARNING and CRITICAL\n"
"  certificates (with -d: every selected certificate).\n"
"\n"
"Access: the plugin usually runs as the monitoring user (nagios). A file it\n"
"cannot read is an error naming the file, the user and how to grant access\n"
"(e.g. setfacl -m u:nagios:rx DIR), except private keys by their name\n"
"(*.key, *.key.pem, *-key.pem, *_key.pem, privkey*.pem) and key directories\n"
"(private): those are skipped (shown with -vv).\n"
"\n"
"Endpoints (served certificates):\n"
"      --connect=URL        check the certificates a service serves; repeatable;\n"
"                           a -p value or operand SCHEME://... is one too.\n"
"                           Schemes: https (443), sips (5061), tls (port\n"
"                           required), smtps (465), imaps (993), pop3s (995),\n"
"                           ftps (990), ldaps (636): TLS at once; smtp (25) and\n"
"                           submission (587): STARTTLS; imap (143), pop3 (110):\n"
"                           STARTTLS/STLS; ftp (21): AUTH TLS (no login); ldap\n"
"                           (389): StartTLS; postgres (5432): SSLRequest; xmpp\n"
"                           (5222): <starttls/>. IPv6: https://[::1]:8443;\n"
"                           an IDN host in its xn-- form\n"
"      --connect-to=HOST:PORT:ADDR:PORT\n"
"                           dial ADDR:PORT for HOST:PORT, keeping the name (SNI\n"
"                           and name match): one backend behind a load balancer\n"
"  -4, --ipv4               connect over IPv4 only\n"
"  -6, --ipv6               connect over IPv6 only\n"
"      --proxy=URL          through this HTTP proxy (CONNECT); proxy environment\n"
"                           variables are always ignored\n"
"      --connect-timeout=SECONDS\n"
"                           bound for each endpoint: connect, STARTTLS dialog\n"
"                           and handshake (default 10); endpoints are checked\n"
"                           concurrently\n"
"      --verify             a chain that does not verify or a name that does\n"
"                           not match makes the endpoint CRITICAL\n"
"      --cafile=FILE        CA certificates to verify endpoints with (default:\n"
"                           the system trust store)\n"
"      --capath=DIR         a hashed directory of CA certificates (c_rehash)\n"
"  A file of the same run holding the renewal of an endpoint's certificate\n"
"  (same subject and DNS names, valid, later expiry) makes the endpoint at\n"
"  least WARNING: renewed on disk, but the service was never reloaded.\n"
"\n"
"Exit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (a source could not be\n"
"read, no certificate was found, timeout, mail failure, wrong command line).\n"
"State order: CRITICAL > UNKNOWN > WARNING > OK.\n", out);
}

static int
parse_long(const char *s, long min, long max, long *v)
{
	char *end;
	long r;

	errno = 0;
	r = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || r < min || r > max)
		return 0;
	*v = r;
	return 1;
}

static void
add_to(char ***list, size_t *n, const char *s)
{
	*list = xreallocarray(*list, *n + 1, sizeof(**list));
	(*list)[(*n)++] = xstrdup(s);
}

/* "SCHEME://..." with a scheme of letters, digits, '+', '-', '.' */
static int
is_url(const char *p)
{
	const char *s = p;

	while (isalnum((unsigned char)*s) || *s == '+' || *s == '-' || *s == '.')
		s++;
	return s > p && strncmp(s, "://", 3) == 0;
}

static void
add_path(struct config *cfg, const char *p)
{
	if (is_url(p)) {
		add_to(&cfg->connects, &cfg->nconnects, p);
		return;
	}
	cfg->paths = xreallocarray(cfg->paths, cfg->npaths + 1, sizeof(*cfg->paths));
	cfg->paths[cfg->npaths++] = xstrdup(p);
}

/* One more string of a repeatable option; trailing '/' removed (paths as
 * the walk writes them have none). */
static void
add_dir_string(char ***v, size_t *n, const char *s)
{
	size_t l = strlen(s);

	while (l > 1 && s[l - 1] == '/')
		l--;
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = xstrndup(s, l);
}

static void
free_strings(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* "a@x;b@y, c@z" → three recipients */
static void
add_recipients(struct config *cfg, const char *list)
{
	const char *p = list, *e;

	while (*p) {
		while (*p == ';' || *p == ',' || isspace((unsigned char)*p))
			p++;
		for (e = p; *e && *e != ';' && *e != ','; e++)
			;
		while (e > p && isspace((unsigned char)e[-1]))
			e--;
		if (e > p) {
			cfg->recipients = xreallocarray(cfg->recipients, cfg->nrecipients + 1,
			    sizeof(*cfg->recipients));
			cfg->recipients[cfg->nrecipients++] = xstrndup(p, (size_t)(e - p));
		}
		for (p = e; *p && *p != ';' && *p != ','; p++)
			;
	}
}

/* Reads a secret: first line of FILE, without the line end. */
static int
read_secret(const char *path, char **out, char *err, size_t errlen)
{
	unsigned char *data;
	size_t len, n;
	struct stat st;
	char e[200];

	if (!read_file(path, 4096, &data, &len, e, sizeof(e))) {
		snprintf(err, errlen, "cannot read password file %s: %s", path, e);
		return 0;
	}
	if (stat(path, &st) == 0 && (st.st_mode & S_IROTH))
		fprintf(stderr, "check_cert_expiry: warning: password file %s is readable "
		    "by everyone (chmod o-r)\n", path);
	for (n = 0; n < len && data[n] != '\n' && data[n] != '\r'; n++)
		;
	*out = xstrndup((char *)data, n);
	explicit_clear(data, len);
	free(data);
	return 1;
}

static int
compile(struct rx **rx, const char *pat, const char *opt, char *err, size_t errlen)
{
	char e[400];

	rx_free(*rx);
	if ((*rx = rx_compile(pat, e, sizeof(e))) == NULL) {
		snprintf(err, errlen, "%s: %s", opt, e);
		return 0;
	}
	return 1;
}

static int
default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

enum opt_result
options_parse(int argc, char **argv, struct config *cfg, char *err, size_t errlen)
{
	const char *p12file = NULL, *smtpfile = NULL, *env;
	long v;
	int c;

	range_parse("30", &cfg->warning);
	range_parse("7", &cfg->critical);
	cfg->timeout = 60;
	cfg->connect_timeout = 10;
	cfg->jobs = default_jobs();
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			add_path(cfg, optarg);
			break;
		case 'w':
		case 'c':
			if (!range_parse(optarg, c == 'w' ? &cfg->warning : &cfg->critical)) {
				snprintf(err, errlen, "invalid %s threshold '%s' (a number of "
				    "days or a Nagios range)", c == 'w' ? "warning" : "critical",
				    optarg);
				return OPT_USAGE;
			}
			break;
		case 'f':
			if (!compile(&cfg->filter, optarg, "--filter", err, errlen))
				return OPT_USAGE;
			break;
		case 'x':
			if (!compile(&cfg->exclude, optarg, "--exclude", err, errlen))
				return OPT_USAGE;
			break;
		case OPT_TEMPLATE:
			if (!compile(&cfg->template_rx, optarg, "--template", err, errlen))
				return OPT_USAGE;
			break;
		case OPT_EXCLUDE_TEMPLATE:
			if (!compile(&cfg->exclude_template_rx, optarg, "--exclude-template",
			    err, errlen))
				return OPT_USAGE;
			break;
		case OPT_ISSUER:
			if (!compile(&cfg->issuer_rx, optarg, "--issuer", err, errlen))
				return OPT_USAGE;
			break;
		case 'd':
			if (!parse_long(optarg, -100000, 100000, &cfg->days)) {
				snprintf(err, errlen, "invalid --days '%s' (a whole number)", optarg);
				return OPT_USAGE;
			}
			cfg->has_days = 1;
			break;
		case OPT_SKIP_RENEWED:
			cfg->skip_renewed = 1;
			break;
		case OPT_INCLUDE_REVOKED:
			cfg->include_revoked = 1;
			break;
		case OPT_FORGET_AFTER:
			if (!parse_long(optarg, 0, 1000000, &cfg->forget_after)) {
				snprintf(err, errlen, "invalid --forget-after '%s' (days, 0 or more)",
				    optarg);
				return OPT_USAGE;
			}
			cfg->has_forget_after = 1;
			break;
		case OPT_NO_FOLLOW:
			cfg->no_follow = 1;
			break;
		case OPT_EXCLUDE_PATH:
			if (*optarg == '\0') {
				snprintf(err, errlen, "empty --exclude-path");
				return OPT_USAGE;
			}
			add_dir_string(&cfg->exclude_paths, &cfg->nexclude_paths, optarg);
			break;
		case OPT_SKIP_VENDOR_ROOTS:
			cfg->skip_vendor_roots = 1;
			break;
		case OPT_VENDOR_ROOTS:
			if (*optarg == '\0') {
				snprintf(err, errlen, "empty --vendor-roots");
				return OPT_USAGE;
			}
			add_dir_string(&cfg->vendor_roots, &cfg->nvendor_roots, optarg);
			cfg->skip_vendor_roots = 1;
			break;
		case 'j':
			if (!parse_long(optarg, 1, 256, &v)) {
				snprintf(err, errlen, "invalid --jobs '%s' (1 to 256)", optarg);
				return OPT_USAGE;
			}
			cfg->jobs = (int)v;
			break;
		case 't':
			if (!parse_long(optarg, 1, 86400, &v)) {
				snprintf(err, errlen, "invalid --timeout '%s' (1 to 86400 seconds)",
				    optarg);
				return OPT_USAGE;
			}
			cfg->timeout = (int)v;
			break;
		case OPT_NOW:
			if (!parse_now(optarg, &cfg->now)) {
				snprintf(err, errlen, "invalid --now '%s' (YYYY-MM-DD, "
				    "YYYY-MM-DDTHH:MM:SSZ or @EPOCH)", optarg);
				return OPT_USAGE;
			}
			break;
		case 'o':
			if (strcmp(optarg, "nagios") == 0)
				cfg->output = OUTPUT_NAGIOS;
			else if (strcmp(optarg, "list") == 0)
				cfg->output = OUTPUT_LIST;
			else if (strcmp(optarg, "json") == 0)
				cfg->output = OUTPUT_JSON;
			else if (strcmp(optarg, "openmetrics") == 0)
				cfg->output = OUTPUT_OPENMETRICS;
			else {
				snprintf(err, errlen, "invalid --output '%s' (nagios, list, json or "
				    "openmetrics)", optarg);
				return OPT_USAGE;
			}
			break;
		case 'l':
			cfg->output = OUTPUT_LIST;
			break;
		case OPT_METRICS_FILE:
			if (*optarg == '\0') {
				snprintf(err, errlen, "--metrics-file needs a file name");
				return OPT_USAGE;
			}
			free(cfg->metrics_file);
			cfg->metrics_file = xstrdup(optarg);
			break;
		case 'v':
			cfg->verbose++;
			break;
		case 'h':
			print_help(stdout);
			return OPT_EXIT_OK;
		case 'V':
			printf("check_cert_expiry %s\n", PACKAGE_VERSION);
			return OPT_EXIT_OK;
		case OPT_P12_PWFILE:
			p12file = optarg;
			break;
		case 'm':
			free(cfg->smtp_server);
			cfg->smtp_server = xstrdup(optarg);
			break;
		case 's':
			free(cfg->sender);
			cfg->sender = xstrdup(optarg);
			break;
		case 'r':
			add_recipients(cfg, optarg);
			break;
		case OPT_SMTP_USER:
			free(cfg->smtp_user);
			cfg->smtp_user = xstrdup(optarg);
			break;
		case OPT_SMTP_PWFILE:
			smtpfile = optarg;
			break;
		case OPT_SMTP_CAFILE:
			free(cfg->smtp_cafile);
			cfg->smtp_cafile = xstrdup(optarg);
			break;
		case OPT_SMTP_TLS:
			if (strcmp(optarg, "require") == 0)
				cfg->smtp_tls_require = 1;
			else if (strcmp(optarg, "try") == 0)
				cfg->smtp_tls_require = 0;
			else {
				snprintf(err, errlen, "invalid --smtp-tls '%s' (require or try)", optarg);
				return OPT_USAGE;
			}
			break;
		case OPT_TEST_MAIL:
			cfg->test_mail = 1;
			break;
		case OPT_STATE_FILE:
			free(cfg->state_file);
			cfg->state_file = xstrdup(optarg);
			break;
		case OPT_CONNECT:
			add_to(&cfg->connects, &cfg->nconnects, optarg);
			break;
		case OPT_CONNECT_TO:
			add_to(&cfg->connect_to, &cfg->nconnect_to, optarg);
			break;
		case OPT_PROXY:
			free(cfg->proxy);
			cfg->proxy = xstrdup(optarg);
			break;
		case OPT_CONNECT_TIMEOUT:
			if (!parse_long(optarg, 1, 3600, &v)) {
				snprintf(err, errlen, "invalid --connect-timeout '%s' (1 to 3600 "
				    "seconds)", optarg);
				return OPT_USAGE;
			}
			cfg->connect_timeout = (int)v;
			break;
		case OPT_VERIFY:
			cfg->verify = 1;
			break;
		case OPT_CAFILE:
			free(cfg->cafile);
			cfg->cafile = xstrdup(optarg);
			break;
		case OPT_CAPATH:
			free(cfg->capath);
			cfg->capath = xstrdup(optarg);
			break;
		case '4':
		case '6':
			cfg->ip_version = c - '0';
			break;
		case ':':
			snprintf(err, errlen, "option %s needs an argument",
			    optopt ? (char[]){ '-', (char)optopt, '\0' } : argv[optind - 1]);
			return OPT_USAGE;
		default:
			if (optopt)
				snprintf(err, errlen, "unknown option -%c", optopt);
			else
				snprintf(err, errlen, "unknown option %s", argv[optind - 1]);
			return OPT_USAGE;
		}
	}
	for (; optind < argc; optind++)
		add_path(cfg, argv[optind]);

	if (p12file) {
		if (!read_secret(p12file, &cfg->pkcs12_password, err, errlen))
			return OPT_USAGE;
	} else if ((env = getenv("CHECK_CERT_EXPIRY_PKCS12_PASSWORD")) != NULL)
		cfg->pkcs12_password = xstrdup(env);
	if (smtpfile) {
		if (!read_secret(smtpfile, &cfg->smtp_password, err, errlen))
			return OPT_USAGE;
	} else if ((env = getenv("CHECK_CERT_EXPIRY_SMTP_PASSWORD")) != NULL)
		cfg->smtp_password = xstrdup(env);

	if (cfg->smtp_server || cfg->sender || cfg->nrecipients || cfg->test_mail) {
		if (!cfg->smtp_server || !cfg->sender || !cfg->nrecipients) {
			snprintf(err, errlen, "mail needs --smtp-server, --sender and --recipient");
			return OPT_USAGE;
		}
	}
	if (cfg->smtp_user && !cfg->smtp_password) {
		snprintf(err, errlen, "--smtp-user needs --smtp-password-file or "
		    "CHECK_CERT_EXPIRY_SMTP_PASSWORD");
		return OPT_USAGE;
	}
	if (cfg->state_file && !cfg->smtp_server) {
		snprintf(err, errlen, "--state-file needs --smtp-server");
		return OPT_USAGE;
	}
	if (cfg->npaths == 0 && cfg->nconnects == 0 && !cfg->smtp_server) {
		snprintf(err, errlen, "no certificate source given (use -p PATH or "
		    "--connect=URL)");
		return OPT_USAGE;
	}
	return OPT_RUN;
}

static void
free_secret(char *s)
{
	if (s) {
		explicit_clear(s, strlen(s));
		free(s);
	}
}

void
options_free(struct config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->npaths; i++)
		free(cfg->paths[i]);
	free(cfg->paths);
	for (i = 0; i < cfg->nrecipients; i++)
		free(cfg->recipients[i]);
	free(cfg->recipients);
	free_strings(cfg->exclude_paths, cfg->nexclude_paths);
	free_strings(cfg->vendor_roots, cfg->nvendor_roots);
	rx_free(cfg->filter);
	rx_free(cfg->exclude);
	rx_free(cfg->template_rx);
	rx_free(cfg->exclude_template_rx);
	rx_free(cfg->issuer_rx);
	free_secret(cfg->pkcs12_password);
	free_secret(cfg->smtp_password);
	free(cfg->smtp_server);
	free(cfg->sender);
	free(cfg->smtp_user);
	free(cfg->smtp_cafile);
	free(cfg->state_file);
	free(cfg->metrics_file);
	for (i = 0; i < cfg->nconnects; i++)
		free(cfg->connects[i]);
	free(cfg->connects);
	for (i = 0; i < cfg->nconnect_to; i++)
		free(cfg->connect_to[i]);
	free(cfg->connect_to);
	free(cfg->proxy);
	free(cfg->cafile);
	free(cfg->capath);
	memset(cfg, 0, sizeof(*cfg));
}
