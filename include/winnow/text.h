/*
 * text.h - cleaning field values on their way into a record.
 *
 * Exports carry stray whitespace, CR characters, NUL bytes, tabs inside titles and the
 * occasional Latin-1 byte. wn_text_clean turns any of that into the canonical form of a
 * record field: valid UTF-8, no control characters, no leading/trailing whitespace, runs
 * of whitespace collapsed to one space (or, for multi-line fields such as abstracts,
 * paragraph breaks kept as a single '\n').
 */
#ifndef WINNOW_TEXT_H
#define WINNOW_TEXT_H

#include <stddef.h>
#include "winnow/buf.h"

enum {
	WN_TEXT_MULTILINE = 1 /* keep line breaks (collapsed to one '\n'); else all -> ' ' */
};

struct wn_text_stats {
	unsigned long repaired;   /* bytes of invalid UTF-8 decoded as Windows-1252 */
	unsigned long controls;   /* control characters / NUL bytes removed */
};

/* Replace out's content with the cleaned form of s[0..n). Counts into *st (may be NULL).
 * The result may be empty. -1 on allocation failure or cap. */
int wn_text_clean(struct wn_buf *out, const char *s, size_t n, unsigned flags,
		  struct wn_text_stats *st, struct wn_err *err);

/* Case-insensitive ASCII comparison of s[0..n) with a NUL-terminated literal. */
int wn_text_ieq(const char *s, size_t n, const char *lit);

/* 1 if s[0..n) starts with prefix (case-sensitive). */
int wn_text_startswith(const char *s, size_t n, const char *prefix);

/* Trim ASCII whitespace: adjusts *s and *n in place. */
void wn_text_trim(const char **s, size_t *n);

/* First run of 4 digits that looks like a year (1000-2999) in s, or 0 if none. */
int wn_text_find_year(const char *s, size_t n);

#endif
