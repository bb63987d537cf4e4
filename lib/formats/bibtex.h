/*
 * bibtex.h - pieces of the BibTeX/BibLaTeX reader shared inside lib/formats:
 * LaTeX markup to UTF-8 (bibtex_latex.c).
 */
#ifndef WINNOW_FORMATS_BIBTEX_H
#define WINNOW_FORMATS_BIBTEX_H

#include <stddef.h>
#include "winnow/buf.h"
#include "winnow/err.h"

enum {
	/* url, doi, file: only the escapes \_ \% \& \# \$ \{ \} \~ are undone; the rest is
	 * taken literally (these fields are verbatim in BibLaTeX) */
	WN_LATEX_VERBATIM = 1
};

/* Append the text of a BibTeX value (braces and quotes already delimiting it removed,
 * inner braces still there) to out as plain UTF-8: accents ({\"o}, \'{e}, \c c) become
 * composed characters (NFC), \ss \o \ae ... letters, \& \% escapes their character,
 * -- and --- dashes, ~ a space, formatting commands (\emph{x}, {\bf x}, \textsuperscript)
 * their argument, math $...$ its text (Greek letters as characters), and every brace
 * disappears. An unknown control word keeps its name ("\LaTeX" -> "LaTeX") so no text
 * is lost. Returns 0, -1 on allocation failure. */
int wn_latex_to_utf8(struct wn_buf *out, const char *s, size_t n, unsigned flags,
		     struct wn_err *err);

#endif
