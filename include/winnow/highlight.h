/*
 * highlight.h - finding inclusion and exclusion terms in record text.
 *
 * Reviewers read faster when the terms that matter stand out (Rayyan and Covidence
 * colour inclusion terms green and exclusion terms red; ASReview users have asked for it
 * since 2021). Terms come from a file (`--highlight F`, one term a line, "+term" for
 * inclusion, "-term" for exclusion) and from the record itself: `winnow-screen filter
 * --explain` stores the words that made a record match in its "screen" field.
 *
 * A term is one or more words; it matches whole words of the text, case-insensitively
 * (Unicode lower case), with any run of spaces or punctuation between its words
 * ("integrated care" matches "Integrated-care"). '*' (or '$', Ovid) matches any run of
 * letters within a word ("integrat*"), '?' exactly one. Query syntax around a term - quotes,
 * field tags such as [tiab] or .ti,ab. - is stripped.
 *
 * Marking works on byte positions of the (already sanitised) text and never changes it;
 * render.h turns the marks into colours or [+markers+].
 */
#ifndef WINNOW_HIGHLIGHT_H
#define WINNOW_HIGHLIGHT_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>
#include "winnow/err.h"

enum wn_hl_kind { WN_HL_NONE = 0, WN_HL_INCLUDE = 1, WN_HL_EXCLUDE = 2 };

#define WN_HL_MAX_TERMS 10000
#define WN_HL_MAX_TERM 200 /* code points in one term */

struct wn_hl_term {
	int32_t *pat;     /* lower-cased code points; 0 separates words; '*' / '?' wildcards */
	size_t n;
	unsigned char kind;
};

struct wn_hl {
	struct wn_hl_term *terms;
	size_t n, cap;
};

void wn_hl_init(struct wn_hl *h);
void wn_hl_release(struct wn_hl *h);
/* Add a term (query syntax stripped). Returns 1 if added, 0 if it had no word characters
 * or was already there, -1 on allocation failure or past WN_HL_MAX_TERMS. */
int wn_hl_add(struct wn_hl *h, const char *term, size_t len, enum wn_hl_kind kind,
	      struct wn_err *err);
/* Read a --highlight file: "+term" inclusion, "-term" exclusion, a bare term inclusion,
 * '#' comments and blank lines skipped. -1 with WN_EIO / WN_EFORMAT (file:line). */
int wn_hl_load(struct wn_hl *h, const char *path, struct wn_err *err);
/* Add the terms a record carries from `filter --explain`: strings (or objects with a
 * "term" or "text" key) in screen.terms - the words and phrases of the record that
 * matched the search string - as inclusion terms, and in screen.exclude_terms /
 * screen.excluded as exclusion terms. screen.matched (whole clauses of the search
 * string) is not used. Returns terms added or -1. */
int wn_hl_add_record(struct wn_hl *h, json_object *rec, struct wn_err *err);
/* Forget terms added after the first n (per-record terms on top of the file's). */
void wn_hl_truncate(struct wn_hl *h, size_t n);

/* Mark s[0..n): style[i] = kind of the match covering byte i (exclusion wins over
 * inclusion where they overlap), else WN_HL_NONE. Returns the number of matches, or -1
 * on allocation failure. */
long wn_hl_mark(const struct wn_hl *h, const char *s, size_t n, unsigned char *style,
		struct wn_err *err);

#endif
