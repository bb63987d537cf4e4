/*
 * prisma_svg.h - the PRISMA 2020 flow diagram as SVG, drawn by winnow.
 *
 * The layout follows the PRISMA 2020 template (Page et al., BMJ 2021;372:n71): a yellow
 * title over the databases-and-registers branch, its boxes in two columns (the flow
 * down the left, what was removed or excluded at each step on the right), the grey
 * other-methods branch to the right when records came from websites, organisations or
 * citation searching, the grey previous-studies column to the left for an updated
 * review, and the blue rotated phase labels Identification, Screening, Included.
 *
 * Every box is sized from its content: each line is measured with textwidth.h's
 * conservative widths and wrapped to the box, the box is as tall as its lines, a row as
 * tall as its tallest box (and as the rotated label beside it needs), so no text leaves
 * its box whatever the numbers and reason names. Body text is 14 px; the widest
 * variant is at most 85 em wide, so printed across A4 (180 mm between margins) the text
 * is at least 6 pt.
 *
 * The SVG carries its data: <title>, <desc>, and a <metadata> element with the winnow
 * version, the ledgers, their first and last timestamps, and the counts (the JSON of
 * prisma_report.h), and a footer line with the same provenance. Each box is a <g
 * class="box" id="..."> holding its <rect> and its <text> lines, so tests can find them.
 */
#ifndef WINNOW_PRISMA_SVG_H
#define WINNOW_PRISMA_SVG_H

#include <stdio.h>
#include "winnow/prisma.h"

#define WN_PRISMA_SVG_FONT_SIZE 14.0

/* Write the diagram. -1 with WN_EIO/WN_EPIPE on a write error, WN_ENOMEM. */
int wn_prisma_write_svg(FILE *out, const char *name, const struct wn_prisma *p,
			struct wn_err *err);

#endif
