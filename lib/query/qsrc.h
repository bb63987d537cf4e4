/*
 * qsrc.h - private to lib/query: the normalised text of a query, with the source
 * position of every byte, split into the lines of a numbered strategy.
 */
#ifndef WINNOW_QSRC_H
#define WINNOW_QSRC_H

#include "winnow/query.h"

struct wn_qsrc_line {
	size_t start, end; /* the search text of the line (label and debris removed) */
	unsigned number;   /* its number; 0 for an unnumbered query */
};

struct wn_qsrc {
	char *s;              /* normalised text, NUL-terminated */
	size_t n;
	unsigned *line, *col; /* source position of s[i] (n + 1 entries) */
	int numbered;         /* 0: one expression; 1: labelled lines; 2: Ovid, by position */
	struct wn_qsrc_line *lines;
	size_t nlines, linecap;
};

/* Repair invalid UTF-8 (as Windows-1252), map typographic quotes, dashes and odd spaces
 * to ASCII, drop invisible characters; findings go to diags. -1 on ENOMEM. */
int wn_qsrc_init(struct wn_qsrc *s, const char *text, size_t n, struct wn_qdiags *diags,
		 struct wn_err *err);
/* Split into lines: numbered strategies (every line labelled 1., #1, S1 ... in increasing
 * order; Ovid also by position) or one expression; strip "Search", hit counts and
 * [mp=...] glosses. */
int wn_qsrc_lines(struct wn_qsrc *s, enum wn_qdialect d, struct wn_qdiags *diags,
		  struct wn_err *err);
/* Replace s[from..to) by spaces (positions stay). */
void wn_qsrc_blank(struct wn_qsrc *s, size_t from, size_t to);
void wn_qsrc_release(struct wn_qsrc *s);

#endif
