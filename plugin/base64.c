/* Base64 (RFC 4648) decoding for PEM bodies: whitespace ignored, padding
 * checked, anything else rejected. */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>

#include "extern.h"

static const signed char b64val[256] = {
	['A'] = 1, ['B'] = 2, ['C'] = 3, ['D'] = 4, ['E'] = 5, ['F'] = 6, ['G'] = 7,
	['H'] = 8, ['I'] = 9, ['J'] = 10, ['K'] = 11, ['L'] = 12, ['M'] = 13,
	['N'] = 14, ['O'] = 15, ['P'] = 16, ['Q'] = 17, ['R'] = 18, ['S'] = 19,
	['T'] = 20, ['U'] = 21, ['V'] = 22, ['W'] = 23, ['X'] = 24, ['Y'] = 25,
	['Z'] = 26, ['a'] = 27, ['b'] = 28, ['c'] = 29, ['d'] = 30, ['e'] = 31,
	['f'] = 32, ['g'] = 33, ['h'] = 34, ['i'] = 35, ['j'] = 36, ['k'] = 37,
	['l'] = 38, ['m'] = 39, ['n'] = 40, ['o'] = 41, ['p'] = 42, ['q'] = 43,
	['r'] = 44, ['s'] = 45, ['t'] = 46, ['u'] = 47, ['v'] = 48, ['w'] = 49,
	['x'] = 50, ['y'] = 51, ['z'] = 52, ['0'] = 53, ['1'] = 54, ['2'] = 55,
	['3'] = 56, ['4'] = 57, ['5'] = 58, ['6'] = 59, ['7'] = 60, ['8'] = 61,
	['9'] = 62, ['+'] = 63, ['/'] = 64,
};	/* value + 1; 0 = not a base64 letter */

static int
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/*
 * The four-letter fast path: each table gives a letter's value already
 * shifted into its place in the 24-bit group; anything else sets bit 24.
 * Filled once from b64val.
 */
#define B64_BAD	0x1000000u
static uint32_t b64q[4][256];
static pthread_once_t b64q_once = PTHREAD_ONCE_INIT;

static void
b64q_init(void)
{
	size_t i, k;

	for (i = 0; i < 256; i++)
		for (k = 0; k < 4; k++)
			b64q[k][i] = b64val[i] == 0 ? B64_BAD :
			    (uint32_t)(b64val[i] - 1) << (6 * (3 - k));
}

int
base64_decode(const unsigned char *in, size_t inlen, unsigned char **out, size_t *outlen)
{
	unsigned char *o = xmalloc(BASE64_OUTLEN(inlen));

	if (!base64_decode_to(in, inlen, o, outlen)) {
		free(o);
		return 0;
	}
	*out = o;
	return 1;
}

int
base64_decode_to(const unsigned char *in, size_t inlen, unsigned char *o, size_t *outlen)
{
	uint32_t acc = 0;
	size_t i, n = 0, q = 0, pad = 0;

	pthread_once(&b64q_once, b64q_init);
	for (i = 0; i < inlen; i++) {
		unsigned char c;

		/* fast path: groups of four letters at a group boundary */
		if (q == 0 && !pad) {
			while (i + 4 <= inlen) {
				acc = b64q[0][in[i]] | b64q[1][in[i + 1]] |
				    b64q[2][in[i + 2]] | b64q[3][in[i + 3]];
				if (acc & B64_BAD)
					break;
				o[n++] = acc >> 16;
				o[n++] = (acc >> 8) & 0xff;
				o[n++] = acc & 0xff;
				i += 4;
			}
			acc = 0;
			if (i >= inlen)
				break;
		}
		c = in[i];

		if (is_space(c))
			continue;
		if (c == '=') {
			pad++;
			if (pad > 2)
				goto bad;
			continue;
		}
		if (pad || b64val[c] == 0)
			goto bad;
		acc = (acc << 6) | (uint32_t)(b64val[c] - 1);
		if (++q == 4) {
			o[n++] = acc >> 16;
			o[n++] = (acc >> 8) & 0xff;
			o[n++] = acc & 0xff;
			q = 0;
			acc = 0;
		}
	}
	/* q letters left over: 2 → 1 byte (pad 2 or 0), 3 → 2 bytes (pad 1 or 0) */
	if (q == 1 || (q == 0 && pad) || (q == 2 && pad != 0 && pad != 2) ||
	    (q == 3 && pad > 1))
		goto bad;
	if (q == 2) {
		if (acc & 0xf)
			goto bad;
		o[n++] = (acc >> 4) & 0xff;
	} else if (q == 3) {
		if (acc & 0x3)
			goto bad;
		o[n++] = (acc >> 10) & 0xff;
		o[n++] = (acc >> 2) & 0xff;
	}
	*outlen = n;
	return 1;
bad:
	return 0;
}
