/*
 * highlight.c - term matching for the prompt (see highlight.h).
 *
 * The text is decoded once per call into code points with a word/non-word flag and its
 * byte offset; each term is then tried at each word start. A term's pattern is its words'
 * lower-cased code points separated by 0, so matching is a glob per word against
 * consecutive text words. Records are a few kilobytes and term lists a few hundred, so
 * this simple scan costs well under a millisecond per record.
 */
#include <string.h>
#include <utf8proc.h>
#include "winnow/alloc.h"
#include "winnow/ascii.h"
#include "winnow/buf.h"
#include "winnow/highlight.h"
#include "winnow/input.h"
#include "winnow/utf8.h"

#define WILD_ANY ((int32_t)'*')
#define WILD_ONE ((int32_t)'?')

static int is_word_cp(int32_t cp)
{
	utf8proc_category_t c;

	if (cp < 0x80)
		return wn_isalnum(cp);
	c = utf8proc_category(cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
	       (c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME) ||
	       (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO);
}

static int32_t lower_cp(int32_t cp)
{
	if (cp < 0x80)
		return wn_tolower(cp);
	return utf8proc_tolower(cp);
}

void wn_hl_init(struct wn_hl *h)
{
	memset(h, 0, sizeof(*h));
}

void wn_hl_truncate(struct wn_hl *h, size_t n)
{
	while (h->n > n)
		wn_free(h->terms[--h->n].pat);
}

void wn_hl_release(struct wn_hl *h)
{
	wn_hl_truncate(h, 0);
	wn_free(h->terms);
	wn_hl_init(h);
}

/* Strip query syntax: [field] tags, an Ovid ".ti,ab." suffix, "TAG=" / "TAG:" prefixes. */
static void strip_syntax(const char *s, size_t len, struct wn_buf *out)
{
	size_t i = 0, j;

	/* WoS "TS=", Scopus "title:" style prefixes: letters and '-' then '=' or ':' */
	for (j = 0; j < len && j < 20 && (wn_isalpha((unsigned char)s[j]) || s[j] == '-'); j++)
		;
	if (j > 0 && j < len && (s[j] == '=' || s[j] == ':'))
		i = j + 1;
	/* Ovid suffix: ".ti,ab." */
	if (len > 2 && s[len - 1] == '.') {
		size_t k = len - 1;
		while (k > i && (wn_isalpha((unsigned char)s[k - 1]) || s[k - 1] == ','))
			k--;
		if (k > i && s[k - 1] == '.' && len - k <= 30)
			len = k - 1;
	}
	for (; i < len; i++) {
		if (s[i] == '[') {
			const char *close = memchr(s + i, ']', len - i);
			if (close) {
				i = (size_t)(close - s);
				continue;
			}
		}
		wn_buf_addc(out, s[i], NULL);
	}
}

int wn_hl_add(struct wn_hl *h, const char *term, size_t len, enum wn_hl_kind kind,
	      struct wn_err *err)
{
	struct wn_buf clean;
	int32_t pat[WN_HL_MAX_TERM + 2];
	size_t n = 0, i = 0, adv, k, word_start = 0;
	int literal = 0;
	struct wn_hl_term *t;

	wn_buf_init(&clean, 4096);
	strip_syntax(term, len, &clean);
	while (i < clean.len && n < WN_HL_MAX_TERM) {
		int32_t cp = wn_utf8_decode(clean.data + i, clean.len - i, &adv);
		i += adv;
		if (cp < 0)
			continue;
		if (cp == '$')
			cp = WILD_ANY;
		if (cp == WILD_ANY || cp == WILD_ONE || is_word_cp(cp)) {
			pat[n++] = cp == WILD_ANY || cp == WILD_ONE ? cp : lower_cp(cp);
			literal |= cp != WILD_ANY && cp != WILD_ONE;
			continue;
		}
		/* a separator ends a word; a word made only of wildcards is dropped */
		if (n > word_start && !literal)
			n = word_start;
		if (n > word_start) {
			pat[n++] = 0;
			word_start = n;
		}
		literal = 0;
	}
	if (n > word_start && !literal)
		n = word_start;
	while (n > 0 && pat[n - 1] == 0)
		n--;
	wn_buf_release(&clean);
	if (n == 0)
		return 0;
	for (k = 0; k < h->n; k++) {
		if (h->terms[k].kind == kind && h->terms[k].n == n &&
		    memcmp(h->terms[k].pat, pat, n * sizeof(pat[0])) == 0)
			return 0;
	}
	if (h->n >= WN_HL_MAX_TERMS)
		return wn_err_set(err, WN_ELIMIT, "more than %d highlight terms", WN_HL_MAX_TERMS);
	if (h->n == h->cap) {
		size_t ncap = h->cap ? h->cap * 2 : 32;
		struct wn_hl_term *p = wn_reallocarray(h->terms, ncap, sizeof(*p));
		if (!p)
			return wn_err_set(err, WN_ENOMEM, "out of memory");
		h->terms = p;
		h->cap = ncap;
	}
	t = &h->terms[h->n];
	t->pat = wn_reallocarray(NULL, n, sizeof(pat[0]));
	if (!t->pat)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	memcpy(t->pat, pat, n * sizeof(pat[0]));
	t->n = n;
	t->kind = (unsigned char)kind;
	h->n++;
	return 1;
}

int wn_hl_load(struct wn_hl *h, const char *path, struct wn_err *err)
{
	struct wn_input *in = wn_input_open(path, NULL, err);
	struct wn_lines lines;
	int rc = 0;

	if (!in)
		return -1;
	if (wn_input_text_mode(in, 1, err) < 0 || wn_lines_init(&lines, in, 64 << 10, err) < 0) {
		wn_input_close(in);
		return -1;
	}
	for (;;) {
		const char *line;
		size_t len;
		enum wn_hl_kind kind = WN_HL_INCLUDE;
		int r = wn_lines_next(&lines, &line, &len, err);

		if (r == 0)
			break;
		if (r < 0) {
			rc = -1;
			break;
		}
		if (r == 2 || !wn_utf8_valid(line, len)) {
			rc = wn_err_set(err, WN_EFORMAT, "%s:%lu: %s", wn_input_name(in), lines.lineno,
					r == 2 ? "a line longer than 64 KiB" : "not valid UTF-8");
			break;
		}
		while (len && wn_isspace((unsigned char)*line))
			line++, len--;
		while (len && wn_isspace((unsigned char)line[len - 1]))
			len--;
		if (len == 0 || line[0] == '#')
			continue;
		if (line[0] == '+' || line[0] == '-') {
			kind = line[0] == '+' ? WN_HL_INCLUDE : WN_HL_EXCLUDE;
			line++, len--;
		}
		if (wn_hl_add(h, line, len, kind, err) < 0) {
			rc = -1;
			break;
		}
	}
	wn_lines_release(&lines);
	wn_input_close(in);
	return rc;
}

static int add_items(struct wn_hl *h, json_object *arr, enum wn_hl_kind kind, struct wn_err *err)
{
	size_t i, n;
	int added = 0;

	if (!arr || !json_object_is_type(arr, json_type_array))
		return 0;
	n = json_object_array_length(arr);
	for (i = 0; i < n && i < 1000; i++) {
		json_object *it = json_object_array_get_idx(arr, i), *v;
		const char *s = NULL;
		int r;

		if (json_object_is_type(it, json_type_string))
			s = json_object_get_string(it);
		else if (json_object_is_type(it, json_type_object) &&
			 ((json_object_object_get_ex(it, "term", &v) && json_object_is_type(v, json_type_string)) ||
			  (json_object_object_get_ex(it, "text", &v) && json_object_is_type(v, json_type_string))))
			s = json_object_get_string(v);
		if (!s || s[0] == '#')
			continue; /* "#3": a reference to a strategy line, not a term */
		r = wn_hl_add(h, s, strlen(s), kind, err);
		if (r < 0)
			return -1;
		added += r;
	}
	return added;
}

int wn_hl_add_record(struct wn_hl *h, json_object *rec, struct wn_err *err)
{
	/* "terms": the words and phrases of the record that matched (filter --explain);
	 * "matched" holds whole clauses of the search string, not terms: not used */
	static const char *const inc[] = { "terms", "include_terms", NULL };
	static const char *const exc[] = { "exclude_terms", "excluded", "excluded_terms", NULL };
	json_object *scr, *v;
	int total = 0, r, i;

	if (!rec || !json_object_object_get_ex(rec, "screen", &scr) ||
	    !json_object_is_type(scr, json_type_object))
		return 0;
	for (i = 0; inc[i]; i++) {
		if (json_object_object_get_ex(scr, inc[i], &v)) {
			if ((r = add_items(h, v, WN_HL_INCLUDE, err)) < 0)
				return -1;
			total += r;
		}
	}
	for (i = 0; exc[i]; i++) {
		if (json_object_object_get_ex(scr, exc[i], &v)) {
			if ((r = add_items(h, v, WN_HL_EXCLUDE, err)) < 0)
				return -1;
			total += r;
		}
	}
	return total;
}

/* Glob one pattern word pat[0..pn) against text code points t[0..tn). */
static int glob(const int32_t *pat, size_t pn, const int32_t *t, size_t tn)
{
	size_t p = 0, i = 0, star_p = (size_t)-1, star_i = 0;

	while (i < tn) {
		if (p < pn && (pat[p] == WILD_ONE || pat[p] == t[i])) {
			p++;
			i++;
		} else if (p < pn && pat[p] == WILD_ANY) {
			star_p = p++;
			star_i = i;
		} else if (star_p != (size_t)-1) {
			p = star_p + 1;
			i = ++star_i;
		} else {
			return 0;
		}
	}
	while (p < pn && pat[p] == WILD_ANY)
		p++;
	return p == pn;
}

long wn_hl_mark(const struct wn_hl *h, const char *s, size_t n, unsigned char *style,
		struct wn_err *err)
{
	int32_t *cp = NULL;
	size_t *boff = NULL, *ws = NULL, *we = NULL, ncp = 0, nw = 0, i, adv, t, w;
	long matches = 0;
	int pass;

	memset(style, WN_HL_NONE, n);
	if (!h || h->n == 0 || n == 0)
		return 0;
	cp = wn_reallocarray(NULL, n + 1, sizeof(*cp));
	boff = wn_reallocarray(NULL, n + 1, sizeof(*boff));
	ws = wn_reallocarray(NULL, n + 1, sizeof(*ws));
	we = wn_reallocarray(NULL, n + 1, sizeof(*we));
	if (!cp || !boff || !ws || !we) {
		matches = wn_err_set(err, WN_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n; i += adv) {
		int32_t c = wn_utf8_decode(s + i, n - i, &adv);
		boff[ncp] = i;
		cp[ncp++] = c >= 0 && is_word_cp(c) ? lower_cp(c) : -1;
	}
	boff[ncp] = n;
	for (i = 0; i < ncp; i++) {
		if (cp[i] >= 0 && (i == 0 || cp[i - 1] < 0))
			ws[nw] = i;
		if (cp[i] >= 0 && (i + 1 == ncp || cp[i + 1] < 0))
			we[nw++] = i + 1;
	}
	/* inclusion terms first, so exclusion marks overwrite them where both match */
	for (pass = 0; pass < 2; pass++) {
		for (t = 0; t < h->n; t++) {
			const struct wn_hl_term *term = &h->terms[t];
			if ((pass == 0) != (term->kind == WN_HL_INCLUDE))
				continue;
			for (w = 0; w < nw; w++) {
				size_t p = 0, k = w;
				int ok = 1;
				while (p < term->n) {
					size_t q = p;
					while (q < term->n && term->pat[q] != 0)
						q++;
					if (k >= nw || !glob(term->pat + p, q - p, cp + ws[k], we[k] - ws[k])) {
						ok = 0;
						break;
					}
					k++;
					p = q < term->n ? q + 1 : q;
				}
				if (!ok)
					continue;
				memset(style + boff[ws[w]], term->kind, boff[we[k - 1]] - boff[ws[w]]);
				matches++;
			}
		}
	}
out:
	wn_free(cp);
	wn_free(boff);
	wn_free(ws);
	wn_free(we);
	return matches;
}
