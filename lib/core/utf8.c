/*
 * utf8.c - UTF-8 checks and repairs (see utf8.h).
 *
 * The decoder is the strict one of RFC 3629: shortest form only, no surrogates, nothing
 * above U+10FFFF. Validation has an ASCII fast path (8 bytes at a time) because most
 * record text is ASCII and the stream is validated at every boundary.
 */
#include <string.h>
#include <utf8proc.h>
#include "winnow/utf8.h"

/* Windows-1252 0x80-0x9F; 0 marks the five unassigned bytes. */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178
};

uint32_t wn_cp1252_decode(unsigned char c)
{
	if (c < 0x80 || c >= 0xA0)
		return c;
	return cp1252_high[c - 0x80] ? cp1252_high[c - 0x80] : 0xFFFD;
}

int32_t wn_utf8_decode(const char *s, size_t n, size_t *adv)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t cp;
	size_t len, i;

	*adv = 1;
	if (u[0] < 0x80)
		return u[0];
	if (u[0] < 0xC2)
		return -1;
	if (u[0] < 0xE0) {
		len = 2;
		cp = u[0] & 0x1F;
	} else if (u[0] < 0xF0) {
		len = 3;
		cp = u[0] & 0x0F;
	} else if (u[0] < 0xF5) {
		len = 4;
		cp = u[0] & 0x07;
	} else {
		return -1;
	}
	if (n < len)
		return -1;
	for (i = 1; i < len; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (u[i] & 0x3F);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	*adv = len;
	return (int32_t)cp;
}

size_t wn_utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp >= 0xD800 && cp <= 0xDFFF)
		return 0;
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	if (cp <= 0x10FFFF) {
		out[0] = (char)(0xF0 | (cp >> 18));
		out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[3] = (char)(0x80 | (cp & 0x3F));
		return 4;
	}
	return 0;
}

size_t wn_utf8_first_invalid(const char *s, size_t n)
{
	size_t i = 0, adv;

	while (i < n) {
		/* ASCII fast path, 8 bytes at a time */
		while (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (w & 0x8080808080808080ULL)
				break;
			i += 8;
		}
		if (i >= n)
			break;
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		if (wn_utf8_decode(s + i, n - i, &adv) < 0)
			return i;
		i += adv;
	}
	return n;
}

int wn_utf8_valid(const char *s, size_t n)
{
	return wn_utf8_first_invalid(s, n) == n;
}

static int add_cp(struct wn_buf *out, uint32_t cp, struct wn_err *err)
{
	char enc[4];
	size_t k = wn_utf8_encode(cp, enc);

	if (!k)
		k = wn_utf8_encode(0xFFFD, enc);
	return wn_buf_add(out, enc, k, err);
}

long wn_utf8_repair(struct wn_buf *out, const char *s, size_t n, struct wn_err *err)
{
	long repaired = 0;
	size_t i = 0;

	while (i < n) {
		size_t bad = wn_utf8_first_invalid(s + i, n - i);
		if (wn_buf_add(out, s + i, bad, err) < 0)
			return -1;
		i += bad;
		if (i >= n)
			break;
		if (add_cp(out, wn_cp1252_decode((unsigned char)s[i]), err) < 0)
			return -1;
		repaired++;
		i++;
	}
	return repaired;
}

int wn_utf16_to_utf8(struct wn_buf *out, const unsigned char *s, size_t n, int big_endian,
		     unsigned long *bad, struct wn_err *err)
{
	size_t i;
	unsigned long nbad = 0;

	for (i = 0; i + 1 < n; i += 2) {
		uint32_t u = big_endian ? (uint32_t)(s[i] << 8 | s[i + 1]) : (uint32_t)(s[i + 1] << 8 | s[i]);
		if (u >= 0xD800 && u <= 0xDBFF && i + 3 < n) {
			uint32_t lo = big_endian ? (uint32_t)(s[i + 2] << 8 | s[i + 3])
						 : (uint32_t)(s[i + 3] << 8 | s[i + 2]);
			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
				i += 2;
			} else {
				u = 0xFFFD;
				nbad++;
			}
		} else if (u >= 0xD800 && u <= 0xDFFF) {
			u = 0xFFFD;
			nbad++;
		}
		if (add_cp(out, u, err) < 0)
			return -1;
	}
	if (i < n) {
		nbad++;
		if (add_cp(out, 0xFFFD, err) < 0)
			return -1;
	}
	if (bad)
		*bad += nbad;
	return 0;
}

long wn_utf8_sanitize(struct wn_buf *out, const char *s, size_t n, unsigned flags,
		      struct wn_err *err)
{
	long replaced = 0;
	size_t i = 0, adv;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		int32_t cp;

		if (c >= 0x20 && c < 0x7F) {
			size_t j = i + 1;
			while (j < n && (unsigned char)s[j] >= 0x20 && (unsigned char)s[j] < 0x7F)
				j++;
			if (wn_buf_add(out, s + i, j - i, err) < 0)
				return -1;
			i = j;
			continue;
		}
		cp = wn_utf8_decode(s + i, n - i, &adv);
		if (cp == '\n' && (flags & WN_SANITIZE_KEEP_NEWLINE)) {
			if (wn_buf_addc(out, '\n', err) < 0)
				return -1;
		} else if (cp == '\t' && (flags & WN_SANITIZE_KEEP_TAB)) {
			if (wn_buf_addc(out, '\t', err) < 0)
				return -1;
		} else if (cp == '\n' || cp == '\t') {
			if (wn_buf_addc(out, ' ', err) < 0)
				return -1;
		} else if (cp < 0 || cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
			if (wn_buf_addc(out, '?', err) < 0)
				return -1;
			replaced++;
		} else if (wn_buf_add(out, s + i, adv, err) < 0) {
			return -1;
		}
		i += adv;
	}
	return replaced;
}

size_t wn_utf8_width(const char *s, size_t n)
{
	size_t i = 0, adv, w = 0;

	while (i < n) {
		int32_t cp = wn_utf8_decode(s + i, n - i, &adv);
		if (cp < 0) {
			w++;
		} else if (cp >= 0x20) {
			int cw = utf8proc_charwidth(cp);
			w += cw > 0 ? (size_t)cw : 0;
		}
		i += adv;
	}
	return w;
}
