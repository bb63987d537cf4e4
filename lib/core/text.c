/*
 * text.c - cleaning raw export values into record fields (see text.h).
 *
 * One pass: repair invalid UTF-8 (as Windows-1252), turn every whitespace and control
 * character into a separator, collapse separators, trim. For multi-line fields a run of
 * separators that contained a line break becomes one '\n' so paragraph structure in
 * abstracts survives; everything else becomes one space.
 */
#include <string.h>
#include "winnow/ascii.h"
#include "winnow/text.h"
#include "winnow/utf8.h"

int wn_text_clean(struct wn_buf *out, const char *s, size_t n, unsigned flags,
		  struct wn_text_stats *st, struct wn_err *err)
{
	size_t i = 0, adv;
	int pending = 0; /* 0 none, 1 space, 2 newline */

	wn_buf_reset(out);
	if (wn_buf_grow(out, n, err) < 0)
		return -1;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		int32_t cp;

		if (c > 0x20 && c < 0x7F) {
			size_t j = i + 1;
			while (j < n && (unsigned char)s[j] > 0x20 && (unsigned char)s[j] < 0x7F)
				j++;
			if (pending && out->len) {
				if (wn_buf_addc(out, pending == 2 ? '\n' : ' ', err) < 0)
					return -1;
			}
			pending = 0;
			if (wn_buf_add(out, s + i, j - i, err) < 0)
				return -1;
			i = j;
			continue;
		}
		cp = wn_utf8_decode(s + i, n - i, &adv);
		if (cp < 0) {
			cp = (int32_t)wn_cp1252_decode(c);
			adv = 1;
			if (st)
				st->repaired++;
		}
		i += adv;
		if (cp == '\n' || cp == '\r' || cp == 0x2028 || cp == 0x2029) {
			pending = (flags & WN_TEXT_MULTILINE) ? 2 : (pending ? pending : 1);
			continue;
		}
		if (cp == ' ' || cp == '\t' || cp == 0xA0 || cp == 0x1680 ||
		    (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F ||
		    cp == 0x3000) {
			if (!pending)
				pending = 1;
			continue;
		}
		if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0xFEFF ||
		    cp == 0x200B) {
			/* controls, zero-width space and stray BOMs: removed, counted */
			if (st && cp != 0x200B && cp != 0xFEFF)
				st->controls++;
			continue;
		}
		if (pending && out->len) {
			if (wn_buf_addc(out, pending == 2 ? '\n' : ' ', err) < 0)
				return -1;
		}
		pending = 0;
		{
			char enc[4];
			size_t k = wn_utf8_encode((uint32_t)cp, enc);
			if (wn_buf_add(out, enc, k, err) < 0)
				return -1;
		}
	}
	return 0;
}

int wn_text_ieq(const char *s, size_t n, const char *lit)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!lit[i] || wn_tolower((unsigned char)s[i]) != wn_tolower((unsigned char)lit[i]))
			return 0;
	}
	return lit[n] == '\0';
}

int wn_text_startswith(const char *s, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && memcmp(s, prefix, k) == 0;
}

void wn_text_trim(const char **s, size_t *n)
{
	while (*n && wn_isspace((unsigned char)(*s)[0])) {
		(*s)++;
		(*n)--;
	}
	while (*n && wn_isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

int wn_text_find_year(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 4 <= n; i++) {
		if (!wn_isdigit((unsigned char)s[i]))
			continue;
		if (i > 0 && wn_isdigit((unsigned char)s[i - 1]))
			continue;
		if (wn_isdigit((unsigned char)s[i + 1]) && wn_isdigit((unsigned char)s[i + 2]) &&
		    wn_isdigit((unsigned char)s[i + 3]) &&
		    (i + 4 == n || !wn_isdigit((unsigned char)s[i + 4]))) {
			int y = (s[i] - '0') * 1000 + (s[i + 1] - '0') * 100 + (s[i + 2] - '0') * 10 + (s[i + 3] - '0');
			if (y >= 1000 && y <= 2999)
				return y;
		}
	}
	return 0;
}
