/*
 * container-dump FILE: runs the container readers (JKS, PKCS#12, PKCS#7) on
 * FILE through the plugin's own sink and prints, one per line:
 *	cert<TAB>FORMAT<TAB>RECORD<TAB>SHA256-HEX<TAB>ALIAS
 *	error<TAB>MESSAGE   note<TAB>MESSAGE   skip<TAB>MESSAGE
 * The PKCS#12 password comes from CHECK_CERT_EXPIRY_PKCS12_PASSWORD.
 * Exit 0, or 2 when no container reader claims the file.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "extern.h"
#include "container-sink.h"

int
main(int argc, char *argv[])
{
	struct csink s;
	unsigned char *data;
	size_t len, i, j;
	char err[256];
	int claimed;

	if (argc != 2) {
		fprintf(stderr, "usage: container-dump FILE\n");
		return 2;
	}
	if (!read_file(argv[1], 64 << 20, &data, &len, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", argv[1], err);
		return 2;
	}
	csink_init(&s, argv[1], getenv("CHECK_CERT_EXPIRY_PKCS12_PASSWORD"));
	claimed = csink_read(&s, data, len);
	for (i = 0; i < s.ncerts; i++) {
		printf("cert\t%s\t%ld\t", s.certs[i].format, s.certs[i].record);
		for (j = 0; j < 32; j++)
			printf("%02X", s.certs[i].sha256[j]);
		printf("\t%s\n", s.certs[i].alias ? s.certs[i].alias : "");
	}
	for (i = 0; i < s.nerrors; i++)
		printf("error\t%s\n", s.errors[i]);
	for (i = 0; i < s.nnotes; i++)
		printf("note\t%s\n", s.notes[i]);
	for (i = 0; i < s.nskips; i++)
		printf("skip\t%s\n", s.skips[i]);
	csink_free(&s);
	free(data);
	return claimed ? 0 : 2;
}
