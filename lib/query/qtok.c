/*
 * qtok.c - the tokeniser of the matcher (see qmatch.h): letters and digits make words,
 * everything else separates them; case folded, diacritics and compatibility forms
 * removed (utf8proc), so "Sjögren", "SJOGREN" and "sjogren" are one word, as in PubMed.
 *
 * ASCII is handled inline (the common case, and the fast path of the matcher);
 * wn_qtok_cp normalises any other code point.
 */
#include <string.h>
#include <utf8proc.h>
#include "winnow/ascii.h"
#include "winnow/qmatch.h"
#include "winnow/utf8.h"
#include "qtok.h"

size_t wn_qtok_cp(int32_t cp, char *out, int *is_word)
{
	utf8proc_int32_t dst[8];
	utf8proc_ssize_t k, i;
	utf8proc_category_t cat;
	size_t n = 0;

	*is_word = 0;
	if (cp < 0)
		return 0;
	cat = utf8proc_category(cp);
	if (!(cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO))
		return 0; /* punctuation, symbols, spaces, controls: separators */
	*is_word = 1;
	k = utf8proc_decompose_char(cp, dst, 8, UTF8PROC_CASEFOLD | UTF8PROC_COMPAT |
				    UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK, NULL);
	if (k < 0 || k > 8)
		return 0;
	for (i = 0; i < k; i++) {
		utf8proc_category_t c2 = utf8proc_category(dst[i]);
		if (c2 >= UTF8PROC_CATEGORY_MN && c2 <= UTF8PROC_CATEGORY_ME)
			continue;
		if (!(c2 >= UTF8PROC_CATEGORY_LU && c2 <= UTF8PROC_CATEGORY_NO))
			continue;
		if (dst[i] < 0x80)
			out[n++] = (char)wn_tolower(dst[i]);
		else
			n += wn_utf8_encode((uint32_t)dst[i], out + n);
	}
	return n;
}

int wn_qtok_each(const char *s, size_t n, wn_qtok_fn fn, void *data)
{
	char tok[WN_QTOK_MAX + 16];
	size_t i = 0, tl = 0, start = 0, end = 0;
	int rc, intok = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t adv = 1, w = 0;
		int word;
		char buf[48];

		if (c < 0x80) {
			word = wn_isalnum(c);
			if (word) {
				buf[0] = (char)wn_tolower(c);
				w = 1;
			}
		} else {
			int32_t cp = wn_utf8_decode(s + i, n - i, &adv);
			w = wn_qtok_cp(cp, buf, &word);
		}
		if (word) {
			if (!intok) {
				intok = 1;
				start = i;
				tl = 0;
			}
			if (tl + w <= WN_QTOK_MAX) {
				memcpy(tok + tl, buf, w);
				tl += w;
			}
			end = i + adv;
		} else if (intok) {
			intok = 0;
			if (tl && (rc = fn(tok, tl, start, end - start, data)) != 0)
				return rc;
		}
		i += adv;
	}
	if (intok && tl)
		return fn(tok, tl, start, end - start, data);
	return 0;
}

struct norm_ctx {
	struct wn_buf *out;
	struct wn_err *err;
};

static int norm_tok(const char *tok, size_t n, size_t off, size_t len, void *data)
{
	struct norm_ctx *c = data;

	(void)off;
	(void)len;
	if (c->out->len && wn_buf_addc(c->out, ' ', c->err) < 0)
		return -1;
	return wn_buf_add(c->out, tok, n, c->err) < 0 ? -1 : 0;
}

int wn_qtok_normalize(struct wn_buf *out, const char *s, size_t n, struct wn_err *err)
{
	struct norm_ctx c = { out, err };

	wn_buf_reset(out);
	return wn_qtok_each(s, n, norm_tok, &c) ? -1 : 0;
}
