/* Base64 as the rules read, one character at a time: the oracle that
 * test-core and fuzz-base64 hold the decoder's fast paths (four letters
 * by table, sixteen with SSSE3) to. Whitespace anywhere is skipped, at
 * most two '=' and nothing but whitespace after them, the bits left over
 * zero. o has room for len / 4 * 3 + 3 bytes. */
#ifndef CCE_B64_ORACLE_H
#define CCE_B64_ORACLE_H

#include <stddef.h>
#include <string.h>

static int
b64_oracle(const unsigned char *in, size_t len, unsigned char *o, size_t *n)
{
	static const char abc[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned long acc = 0;
	size_t i, q = 0, pad = 0;
	const char *p;

	*n = 0;
	for (i = 0; i < len; i++) {
		if (in[i] != 0 && strchr(" \t\r\n\f\v", in[i]) != NULL)
			continue;
		if (in[i] == '=') {
			if (++pad > 2)
				return 0;
			continue;
		}
		if (pad || in[i] == 0 || (p = strchr(abc, in[i])) == NULL)
			return 0;
		acc = acc << 6 | (unsigned long)(p - abc);
		if (++q == 4) {
			o[(*n)++] = (unsigned char)(acc >> 16);
			o[(*n)++] = (unsigned char)(acc >> 8);
			o[(*n)++] = (unsigned char)acc;
			q = 0;
			acc = 0;
		}
	}
	if (q == 1 || (q == 0 && pad) || (q == 2 && pad == 1) || (q == 3 && pad == 2))
		return 0;
	if (q == 2) {
		if (acc & 0xf)
			return 0;
		o[(*n)++] = (unsigned char)(acc >> 4);
	} else if (q == 3) {
		if (acc & 0x3)
			return 0;
		o[(*n)++] = (unsigned char)(acc >> 10);
		o[(*n)++] = (unsigned char)(acc >> 2);
	}
	return 1;
}

#endif
