/* Base64 (RFC 4648) decoding for PEM bodies: whitespace ignored, padding
 * checked, anything else rejected. */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__) && defined(__GNUC__)
#define HAVE_B64_SSSE3 1
#include <immintrin.h>
#endif

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

static int b64_simd;	/* the CPU has SSSE3: sixteen letters at a time */

static void
b64q_init(void)
{
	size_t i, k;

	for (i = 0; i < 256; i++)
		for (k = 0; k < 4; k++)
			b64q[k][i] = b64val[i] == 0 ? B64_BAD :
			    (uint32_t)(b64val[i] - 1) << (6 * (3 - k));
#ifdef HAVE_B64_SSSE3
	b64_simd = __builtin_cpu_supports("ssse3") != 0;
#endif
}

#ifdef HAVE_B64_SSSE3
/*
 * Sixteen letters at in decoded to twelve bytes at out (sixteen stored:
 * out needs four more of room); 0, with nothing stored, if one of them is
 * not a base64 letter.
 *
 * A byte is a letter by its two nibbles: each high nibble is a column
 * (one bit: 2, 3, 4 or 6, 5 or 7, anything else), each low nibble sets the
 * bits of the columns where it is not a letter; a byte is bad when the two
 * share a bit. Its value is the byte plus an offset that the high nibble
 * decides ('/' moved down a column, apart from '+'): 'A'-'Z' -65,
 * 'a'-'z' -71, '0'-'9' +4, '+' +19, '/' +16. Four 6-bit values then make
 * three bytes: (a << 6 | b) and (c << 6 | d) by a multiply-add of byte
 * pairs, those two by one of word pairs, and a shuffle puts the three
 * bytes of each 32-bit lane in big-endian order.
 */
__attribute__((target("ssse3")))
static int
b64_block16(const unsigned char *in, unsigned char *out)
{
	const __m128i lo_bad = _mm_setr_epi8(0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
	    0x11, 0x11, 0x13, 0x1a, 0x1b, 0x1b, 0x1b, 0x1a);
	const __m128i hi_col = _mm_setr_epi8(0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08,
	    0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10);
	const __m128i offset = _mm_setr_epi8(0, 16, 19, 4, -65, -65, -71, -71,
	    0, 0, 0, 0, 0, 0, 0, 0);
	const __m128i order = _mm_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12,
	    -1, -1, -1, -1);
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)in);
	__m128i nib = _mm_set1_epi8(0x0f), hi, lo, v;

	hi = _mm_and_si128(_mm_srli_epi32(x, 4), nib);
	lo = _mm_and_si128(x, nib);
	if (_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(_mm_shuffle_epi8(lo_bad, lo),
	    _mm_shuffle_epi8(hi_col, hi)), _mm_setzero_si128())) != 0xffff)
		return 0;
	/* '/' (0x2f) takes the offset one column down */
	hi = _mm_add_epi8(hi, _mm_cmpeq_epi8(x, _mm_set1_epi8('/')));
	v = _mm_add_epi8(x, _mm_shuffle_epi8(offset, hi));
	v = _mm_maddubs_epi16(v, _mm_set1_epi32(0x01400140));
	v = _mm_madd_epi16(v, _mm_set1_epi32(0x00011000));
	_mm_storeu_si128((__m128i *)(void *)out, _mm_shuffle_epi8(v, order));
	return 1;
}
#endif

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
#ifdef HAVE_B64_SSSE3
			/* sixteen at a time while o keeps room for the four
			 * extra bytes stored (see BASE64_OUTLEN) */
			if (b64_simd)
				while (inlen - i >= 28 && b64_block16(in + i, o + n)) {
					i += 16;
					n += 12;
				}
#endif
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
