/*
 * render.h - a record as text for a terminal: safe, highlighted, wrapped.
 *
 * Record text is untrusted (a title can carry ESC sequences that would move the cursor or
 * rewrite what the reviewer sees, or Unicode bidirectional overrides that reorder it), so
 * everything shown passes through wn_render_safe: C0/C1 controls, DEL and ESC become '?'
 * (wn_utf8_sanitize), and so do the invisible format characters that can disguise text
 * (bidi embeddings, overrides and isolates, zero-width characters, line and paragraph
 * separators). The only escape sequences in the output are the colours this module
 * writes itself.
 *
 * Highlighting (highlight.h) becomes green (inclusion) or red (exclusion) when colour is
 * on, else the visible markers [+term+] and [-term-] (NO_COLOR). Text is word-wrapped to
 * the terminal width using display widths (wide CJK characters count two columns,
 * combining marks none); a word longer than a line is broken.
 *
 * This module only builds bytes in a buffer; the prompt writes them to the terminal.
 */
#ifndef WINNOW_RENDER_H
#define WINNOW_RENDER_H

#include <stddef.h>
#include <json-c/json.h>
#include "winnow/buf.h"
#include "winnow/err.h"
#include "winnow/highlight.h"

#define WN_RENDER_FIELD_MAX 20000 /* bytes of one field shown; the rest is summarised */

struct wn_render_opts {
	int width;                /* columns; values < 20 are taken as 20 */
	int color;                /* ANSI colour; else markers */
	const struct wn_hl *hl;   /* terms to highlight, may be NULL */
};

/* Append s[0..n) to out made safe for a terminal (see above); '\n' kept when keep_nl.
 * Returns the number of characters replaced, -1 on allocation failure. */
long wn_render_safe(struct wn_buf *out, const char *s, size_t n, int keep_nl, struct wn_err *err);

/* Append text, made safe, highlighted and wrapped. The first line starts at column
 * `col` (something is already printed there); continuation lines are indented by
 * `indent` spaces. '\n' in the text starts a new paragraph (when multiline). `style` is
 * an SGR parameter string for the whole text ("1" = bold) or NULL. Returns 0 or -1. */
int wn_render_text(struct wn_buf *out, const char *s, size_t n, int col, int indent,
		   int multiline, const char *style, const struct wn_render_opts *o,
		   struct wn_err *err);

/* Append a whole record: id and source, title (bold), authors, year / journal / volume
 * / pages, DOI, keywords, then the abstract. Lines end in '\n'. */
int wn_render_record(struct wn_buf *out, json_object *rec, const struct wn_render_opts *o,
		     struct wn_err *err);

#endif
