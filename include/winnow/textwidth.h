/*
 * textwidth.h - how wide a line of text will be when a browser draws it, estimated from
 * above, and word wrapping by that estimate.
 *
 * winnow draws its SVG diagram itself, so it must know, without a font engine, that a
 * line fits its box. The estimate uses a per-character width table for the font family
 * the diagram asks for ("Helvetica, Arial, sans-serif"): for each character the larger
 * of Helvetica/Arial (what macOS and Windows use) and DejaVu Sans (what a Linux browser
 * falls back to, and the widest of the three) from their metrics, regular and bold; 1 em
 * for any character outside Latin-1 (0 for combining marks); then 3 % more. A line
 * measured here is never wider on screen, so text never leaves its box.
 */
#ifndef WINNOW_TEXTWIDTH_H
#define WINNOW_TEXTWIDTH_H

#include <stddef.h>
#include "winnow/err.h"

/* Width in the font size's units (the same unit as `size`) of s[0..n) (UTF-8; invalid
 * bytes count as 1 em). */
double wn_textwidth(const char *s, size_t n, int bold, double size);

struct wn_textlines {
	char **line;      /* owned, NUL-terminated */
	size_t n, cap;
};

void wn_textlines_init(struct wn_textlines *t);
void wn_textlines_release(struct wn_textlines *t);

/* Word-wrap `s` (one paragraph; runs of white space are one space) into lines no wider
 * than max_width, appended to t. The first line may use first_width instead (e.g. a
 * hanging indent: first_width > max_width). A word wider than a line is broken between
 * characters. -1 on allocation failure. */
int wn_textwidth_wrap(const char *s, double first_width, double max_width, int bold, double size,
		      struct wn_textlines *t, struct wn_err *err);

#endif
