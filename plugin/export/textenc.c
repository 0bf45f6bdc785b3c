/*
 * Text encodings of CA exports: UTF-16LE/BE (BOM or NUL pattern), UTF-8 with
 * or without BOM, and the Windows code pages cp1252 (ANSI) and cp850 (OEM),
 * told apart by which one turns the high bytes into letters.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "export.h"

/* cp850 0x80-0xFF (cp437 agrees on the German letters). */
static const uint16_t cp850[128] = {
	0x00c7, 0x00fc, 0x00e9, 0x00e2, 0x00e4, 0x00e0, 0x00e5, 0x00e7,
	0x00ea, 0x00eb, 0x00e8, 0x00ef, 0x00ee, 0x00ec, 0x00c4, 0x00c5,
	0x00c9, 0x00e6, 0x00c6, 0x00f4, 0x00f6, 0x00f2, 0x00fb, 0x00f9,
	0x00ff, 0x00d6, 0x00dc, 0x00f8, 0x00a3, 0x00d8, 0x00d7, 0x0192,
	0x00e1, 0x00ed, 0x00f3, 0x00fa, 0x00f1, 0x00d1, 0x00aa, 0x00ba,
	0x00bf, 0x00ae, 0x00ac, 0x00bd, 0x00bc, 0x00a1, 0x00ab, 0x00bb,
	0x2591, 0x2592, 0x2593, 0x2502, 0x2524, 0x00c1, 0x00c2, 0x00c0,
	0x00a9, 0x2563, 0x2551, 0x2557, 0x255d, 0x00a2, 0x00a5, 0x2510,
	0x2514, 0x2534, 0x252c, 0x251c, 0x2500, 0x253c, 0x00e3, 0x00c3,
	0x255a, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550, 0x256c, 0x00a4,
	0x00f0, 0x00d0, 0x00ca, 0x00cb, 0x00c8, 0x0131, 0x00cd, 0x00ce,
	0x00cf, 0x2518, 0x250c, 0x2588, 0x2584, 0x00a6, 0x00cc, 0x2580,
	0x00d3, 0x00df, 0x00d4, 0x00d2, 0x00f5, 0x00d5, 0x00b5, 0x00fe,
	0x00de, 0x00da, 0x00db, 0x00d9, 0x00fd, 0x00dd, 0x00af, 0x00b4,
	0x00ad, 0x00b1, 0x2017, 0x00be, 0x00b6, 0x00a7, 0x00f7, 0x00b8,
	0x00b0, 0x00a8, 0x00b7, 0x00b9, 0x00b3, 0x00b2, 0x25a0, 0x00a0,
};

/* cp1252 0x80-0x9F (undefined bytes map to the C1 control of that value);
 * 0xA0-0xFF is Latin-1. */
static const uint16_t cp1252[32] = {
	0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
	0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
};

static uint32_t
cp_decode(int enc, unsigned char c)
{
	if (c < 0x80)
		return c;
	if (enc == TE_CP850)
		return cp850[c - 0x80];
	return c < 0xa0 ? cp1252[c - 0x80] : c;
}

/* A Latin letter (the scripts these code pages carry)? */
static int
is_letter(uint32_t u)
{
	if (u >= 0xc0 && u <= 0x24f)
		return u != 0xd7 && u != 0xf7;
	return u == 0x192;
}

const char *
textenc_name(int enc)
{
	switch (enc) {
	case TE_UTF8:
		return "UTF-8";
	case TE_UTF8_BOM:
		return "UTF-8 with BOM";
	case TE_UTF16LE:
		return "UTF-16LE";
	case TE_UTF16BE:
		return "UTF-16BE";
	case TE_CP1252:
		return "cp1252";
	case TE_CP850:
		return "cp850";
	default:
		return "binary";
	}
}

/* Without a BOM: UTF-16 text shows NULs in every other byte. Looks at the
 * first 1024 bytes; returns TE_UTF16LE/BE or -1. */
static int
nul_pattern(const unsigned char *p, size_t len)
{
	size_t i, n = len < 1024 ? len : 1024, even = 0, odd = 0;

	n &= ~(size_t)1;
	if (n < 4)
		return -1;
	for (i = 0; i < n; i += 2) {
		even += p[i] == 0;
		odd += p[i + 1] == 0;
	}
	if (odd * 10 >= n / 2 * 7 && even * 10 < n / 2)
		return TE_UTF16LE;
	if (even * 10 >= n / 2 * 7 && odd * 10 < n / 2)
		return TE_UTF16BE;
	return -1;
}

/* Valid UTF-8? Skips ASCII eight bytes at a time. */
static int
fast_utf8_valid(const unsigned char *p, size_t len)
{
	size_t i = 0, j;
	uint64_t w;

	uint64_t x[4];

	for (;;) {
		/* ASCII 32 bytes at a time, then 8 */
		while (i + 32 <= len) {
			memcpy(x, p + i, 32);
			if ((x[0] | x[1] | x[2] | x[3]) & UINT64_C(0x8080808080808080))
				break;
			i += 32;
		}
		while (i + 8 <= len) {
			memcpy(&w, p + i, 8);
			if (w & UINT64_C(0x8080808080808080))
				break;
			i += 8;
		}
		while (i < len && p[i] < 0x80)
			i++;
		if (i >= len)
			return 1;
		/* validate up to the next ASCII byte after this run */
		j = i;
		while (j < len && p[j] >= 0x80)
			j++;
		if (!utf8_valid(p + i, j - i))
			return 0;
		i = j;
	}
}

/* cp1252 or cp850: whichever makes letters of more high bytes, and of more
 * high bytes next to an ASCII letter. Ties go to cp1252. */
static int
guess_codepage(const unsigned char *p, size_t len)
{
	size_t i;
	long s1252 = 0, s850 = 0;
	int adj;

	for (i = 0; i < len; i++) {
		if (p[i] < 0x80)
			continue;
		adj = (i > 0 && p[i - 1] < 0x80 && ((p[i - 1] | 0x20) >= 'a' &&
		    (p[i - 1] | 0x20) <= 'z')) ||
		    (i + 1 < len && p[i + 1] < 0x80 && ((p[i + 1] | 0x20) >= 'a' &&
		    (p[i + 1] | 0x20) <= 'z'));
		if (is_letter(cp_decode(TE_CP1252, p[i])))
			s1252 += 1 + adj;
		if (is_letter(cp_decode(TE_CP850, p[i])))
			s850 += 1 + adj;
	}
	return s850 > s1252 ? TE_CP850 : TE_CP1252;
}

/* The whole-input passes go this far at a time (then step is called). */
#define DETECT_STEP	(4UL * 1024 * 1024)

int
textenc_detect_steps(const unsigned char *p, size_t len,
    void (*step)(void *, const unsigned char *), void *arg)
{
	size_t at = 0, end;
	int e, utf8 = 1;

	if (len >= 2 && p[0] == 0xff && p[1] == 0xfe)
		return len >= 4 && p[2] == 0 && p[3] == 0 ? TE_BINARY : TE_UTF16LE;
	if (len >= 2 && p[0] == 0xfe && p[1] == 0xff)
		return TE_UTF16BE;
	if (len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
		return TE_UTF8_BOM;
	if ((e = nul_pattern(p, len)) != -1)
		return e;
	/* NUL bytes anywhere: binary; else UTF-8 if it is all valid */
	while (at < len) {
		end = len - at > DETECT_STEP ? at + DETECT_STEP : len;
		while (end < len && p[end] >= 0x80)
			end++;		/* a piece ends before an ASCII byte */
		if (memchr(p + at, 0, end - at) != NULL)
			return TE_BINARY;
		if (utf8 && !fast_utf8_valid(p + at, end - at))
			utf8 = 0;
		at = end;
		if (step != NULL)
			step(arg, p + at);
	}
	if (utf8)
		return TE_UTF8;
	return guess_codepage(p, len);
}

int
textenc_detect(const unsigned char *p, size_t len)
{
	return textenc_detect_steps(p, len, NULL, NULL);
}

/* Converts UTF-16 units to UTF-8 into o (room for 3 bytes per unit). */
static size_t
utf16_to_utf8(const unsigned char *p, size_t n, int be, unsigned char *o)
{
	size_t i, w = 0;
	uint32_t u, lo;

	for (i = 0; i + 1 < n; i += 2) {
		u = be ? (uint32_t)p[i] << 8 | p[i + 1] : (uint32_t)p[i + 1] << 8 | p[i];
		if (u < 0x80) {
			o[w++] = (unsigned char)u;
			continue;
		}
		if (u >= 0xd800 && u <= 0xdbff && i + 3 < n) {
			lo = be ? (uint32_t)p[i + 2] << 8 | p[i + 3] :
			    (uint32_t)p[i + 3] << 8 | p[i + 2];
			if (lo >= 0xdc00 && lo <= 0xdfff) {
				u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
				i += 2;
			}
		}
		if (u >= 0xd800 && u <= 0xdfff)
			u = 0xfffd;
		/* 4 bytes come from 2 units: still within 3 per unit */
		w = (size_t)((unsigned char *)utf8_encode((char *)o + w, u) - o);
	}
	return w;
}

static size_t
cp_to_utf8(const unsigned char *p, size_t n, int enc, unsigned char *o)
{
	size_t i, w = 0;
	uint32_t u;

	for (i = 0; i < n; i++) {
		if (p[i] < 0x80) {
			o[w++] = p[i];
			continue;
		}
		u = cp_decode(enc, p[i]);	/* a BMP letter: never NULL */
		w = (size_t)((unsigned char *)utf8_encode((char *)o + w, u) - o);
	}
	return w;
}

int
textenc_to_utf8(const unsigned char *p, size_t len, int enc,
    const unsigned char **out, size_t *outlen, unsigned char **owned,
    int *truncated, char *err, size_t errlen)
{
	unsigned char *o;
	size_t w, skip = 0;

	*truncated = 0;
	switch (enc) {
	case TE_UTF8_BOM:
		skip = 3;
		/* FALLTHROUGH */
	case TE_UTF8:
		*out = p + skip;
		*outlen = len - skip;
		*owned = NULL;
		return 1;
	case TE_UTF16LE:
	case TE_UTF16BE:
		if (len >= 2 && ((enc == TE_UTF16LE && p[0] == 0xff && p[1] == 0xfe) ||
		    (enc == TE_UTF16BE && p[0] == 0xfe && p[1] == 0xff)))
			skip = 2;
		*truncated = (len - skip) % 2 != 0;
		o = xmalloc((len - skip) / 2 * 3 + 1);
		w = utf16_to_utf8(p + skip, len - skip, enc == TE_UTF16BE, o);
		break;
	case TE_CP1252:
	case TE_CP850:
		if (len > (SIZE_MAX - 1) / 3) {
			snprintf(err, errlen, "file too large to convert");
			return 0;
		}
		o = xmalloc(len * 3 + 1);
		w = cp_to_utf8(p, len, enc, o);
		break;
	default:
		snprintf(err, errlen, "neither UTF-8, UTF-16 nor a Windows code page "
		    "(NUL bytes)");
		return 0;
	}
	o[w] = '\0';
	*out = o;
	*outlen = w;
	*owned = o;
	return 1;
}

size_t
textenc_prefix(const unsigned char *p, size_t len, size_t inmax, char *out,
    size_t outlen)
{
	const unsigned char *u;
	unsigned char *owned;
	size_t n = len < inmax ? len : inmax, ul;
	int enc, trunc;
	char err[8];

	if (outlen == 0)
		return 0;
	out[0] = '\0';
	enc = textenc_detect(p, n);
	if (enc == TE_BINARY || !textenc_to_utf8(p, n, enc, &u, &ul, &owned,
	    &trunc, err, sizeof(err)))
		return 0;
	if (ul > outlen - 1)
		ul = outlen - 1;
	memcpy(out, u, ul);
	out[ul] = '\0';
	free(owned);
	return ul;
}
