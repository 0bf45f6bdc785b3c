/*
 * Test helper (not a test): sends a file as it is through smtp_send().
 * mail-send SERVER SENDER RECIPIENT FILE
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"
#include "mail.h"

int
main(int argc, char *argv[])
{
	struct config cfg;
	unsigned char *data;
	size_t len;
	char err[1024];

	if (argc != 5) {
		fprintf(stderr, "usage: mail-send SERVER SENDER RECIPIENT FILE\n");
		return 2;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.smtp_server = argv[1];
	cfg.sender = argv[2];
	cfg.recipients = &argv[3];
	cfg.nrecipients = 1;
	cfg.timeout = 20;
	if (!read_file(argv[4], 1 << 20, &data, &len, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", argv[4], err);
		return 2;
	}
	if (!smtp_send(&cfg, (const char *)data, len, err, sizeof(err))) {
		printf("%s\n", err);
		free(data);
		return 1;
	}
	free(data);
	return 0;
}
