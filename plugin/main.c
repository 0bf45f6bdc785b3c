/* check_cert_expiry: wires the pipeline together and decides the exit code.
 * options → sources → collector (selection, evaluation) → mail → metrics
 * file → output. */
#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mail.h"
#include "net/net.h"
#include "options.h"

static char timeout_msg[160];

static void
on_alarm(int sig)
{
	(void)sig;
	/* only async-signal-safe calls here */
	if (write(STDOUT_FILENO, timeout_msg, strlen(timeout_msg)) < 0)
		_exit(STATE_UNKNOWN);
	_exit(STATE_UNKNOWN);
}

static void
arm_timeout(int seconds)
{
	struct sigaction sa;

	snprintf(timeout_msg, sizeof(timeout_msg),
	    "CERT_EXPIRY UNKNOWN - timed out after %d seconds before the scan finished "
	    "(raise -t or narrow the paths)\n", seconds);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	alarm((unsigned)seconds);
}

static int
usage_error(const char *msg)
{
	printf("CERT_EXPIRY UNKNOWN - %s\n", msg);
	printf("Usage: check_cert_expiry [OPTION]... -p PATH [-p PATH]... [PATH]...\n"
	    "Try 'check_cert_expiry --help' for more information.\n");
	return STATE_UNKNOWN;
}

static int
run_test_mail(const struct config *cfg)
{
	char err[512], *server;

	if (!mail_test(cfg, err, sizeof(err))) {
		printf("CERT_EXPIRY UNKNOWN - test mail not sent: %s\n", err);
		return STATE_UNKNOWN;
	}
	server = smtp_display(cfg->smtp_server);	/* without user:password@ */
	printf("CERT_EXPIRY OK - test mail sent through %s to %zu recipient%s\n",
	    server, cfg->nrecipients, cfg->nrecipients == 1 ? "" : "s");
	free(server);
	return STATE_OK;
}

int
main(int argc, char **argv)
{
	struct config cfg;
	struct report rep;
	char err[600];
	int rc;

	memset(&cfg, 0, sizeof(cfg));
	memset(&rep, 0, sizeof(rep));
	cfg.now = (int64_t)time(NULL);	/* the one read of the clock */
	switch (options_parse(argc, argv, &cfg, err, sizeof(err))) {
	case OPT_EXIT_OK:
		options_free(&cfg);
		return STATE_OK;
	case OPT_USAGE:
		options_free(&cfg);
		return usage_error(err);
	case OPT_RUN:
		break;
	}
	if (!endpoints_parse(&cfg, &rep, err, sizeof(err))) {
		endpoints_free(&rep);
		options_free(&cfg);
		return usage_error(err);
	}
	arm_timeout(cfg.timeout);
	ossl_init();
	xxh_init();
	/* Without TZ, glibc's mktime() looks at /etc/localtime again on every
	 * call (a stat() per CA export row); with it set, once. */
	if (getenv("TZ") == NULL)
		(void)setenv("TZ", ":/etc/localtime", 0);

	if (cfg.smtp_server && (cfg.test_mail || (cfg.npaths == 0 && cfg.nconnects == 0))) {
		rc = run_test_mail(&cfg);
		options_free(&cfg);
		return rc;
	}

	rep.collector = collector_for(&cfg);	/* what the output needs */
	rep.cfg = &cfg;
	vendor_load(&cfg, &rep);	/* --skip-vendor-roots */
	scan_paths(&cfg, &rep);
	endpoints_fetch(&cfg, &rep);	/* served certificates, as a source */
	if (!report_finish(&cfg, &rep, err, sizeof(err))) {
		report_free(&rep);
		options_free(&cfg);
		printf("CERT_EXPIRY UNKNOWN - %s\n", err);
		return STATE_UNKNOWN;
	}
	endpoints_eval(&cfg, &rep);	/* stale join, --verify */
	if (cfg.smtp_server) {
		mail_digest(&cfg, &rep);
		if (rep.mail_error) {
			fprintf(stderr, "check_cert_expiry: mail failed: %s\n", rep.mail_error);
			rep.state = state_worse(rep.state, STATE_UNKNOWN);
		}
	}
	alarm(0);
	if (cfg.metrics_file != NULL && !metrics_file_write(&cfg, &rep, err, sizeof(err)))
		report_late_error(&rep, cfg.metrics_file, err);	/* in the output below */

	switch (cfg.output) {
	case OUTPUT_NAGIOS:
		output_nagios(stdout, &cfg, &rep);
		rc = rep.state;
		break;
	case OUTPUT_JSON:
		output_json(stdout, &cfg, &rep);
		rc = rep.state;
		break;
	case OUTPUT_OPENMETRICS:
		output_openmetrics(stdout, &cfg, &rep);
		rc = rep.state;
		break;
	case OUTPUT_LIST:
	default:
		output_list(stdout, &cfg, &rep);
		rc = rep.nproblems || rep.mail_error || rep.counts.found == 0 ?
		    STATE_UNKNOWN : STATE_OK;
		break;
	}
	if (fflush(stdout) != 0)
		rc = STATE_UNKNOWN;
	endpoints_free(&rep);
	report_free(&rep);
	options_free(&cfg);
	return rc;
}
