/*
 * csv_util.h - small helpers shared by the tagged and delimited importers (WoS, CSV/TSV,
 * BibTeX, EndNote XML, refer, Ovid): dates, lists, pages, author names, and an ASCII
 * view of a file's first bytes for detection.
 *
 * Why one place: every export spells dates ("2006 May-Jun", "JUN 14", "2019/08/20/"),
 * author lists ("Wilson L.N.; Gardner J.D.", "Yang, Z. and Jiang, B.", "Björn A.
 * Blomberg") and page ranges its own way, and the record stream must not: the same
 * article read from two databases has to come out the same for dedup to see it.
 *
 * All functions that build record fields go through the record builder (struct wn_recb),
 * so values are cleaned (valid UTF-8, whitespace collapsed) and empty ones dropped.
 * They return what wn_recb_* return: 1 set, 0 nothing to set, -1 error (err set).
 */
#ifndef WINNOW_FORMATS_CSV_UTIL_H
#define WINNOW_FORMATS_CSV_UTIL_H

#include <stddef.h>
#include "winnow/buf.h"
#include "winnow/err.h"
#include "winnow/import.h"
#include "winnow/record.h"

/* Month number 1-12 from an English month name or abbreviation ("Jan", "SEPT",
 * "february"); 0 when s[0..n) is not one. */
int wn_fu_month(const char *s, size_t n);

/* Read a free-text publication date ("2006 May-Jun", "NOV", "JUN 14", "Mar 3",
 * "2019/08/20/", "1948/07//", "2024-02-01", "16 March 2015") and set `date` to
 * "YYYY", "YYYY-MM" or "YYYY-MM-DD" (only when the record has no date yet) and `year`
 * (only when absent). `year_hint` is used when the text has no year of its own (WoS PD
 * "NOV" with PY 2005); 0 for none. Numeric d/m/y forms are ambiguous and give the year
 * only. Returns 1 if something was set, 0 if nothing usable, -1 on error. */
int wn_fu_date(struct wn_recb *b, const char *s, size_t n, int year_hint, struct wn_err *err);

/* wn_recb_list, but WN_RECB_UNIQUE (a linear search of the list) only while the list is
 * short (WN_FU_UNIQUE_MAX items): a crafted cell of 100,000 keywords must not cost
 * quadratic time. Real lists are far shorter, so they stay free of repeats. */
#define WN_FU_UNIQUE_MAX 256
int wn_fu_list(struct wn_recb *b, const char *field, const char *s, size_t n, unsigned flags,
	       struct wn_err *err);

/* Split s on any byte in `seps` and add each trimmed, non-empty item to the list field
 * (wn_recb_list with flags). Returns the number of items added, -1 on error. */
int wn_fu_split(struct wn_recb *b, const char *field, const char *s, size_t n,
		const char *seps, unsigned flags, struct wn_err *err);
/* The same into extra.<tag> (one entry per item). */
int wn_fu_split_extra(struct wn_recb *b, const char *tag, const char *s, size_t n,
		      const char *seps, struct wn_err *err);

/* Set pages from a first and a last page ("467", "472" -> "467-472"; a missing or equal
 * last page gives "467"). Either may be empty. */
int wn_fu_pages(struct wn_recb *b, const char *sp, size_t spn, const char *ep, size_t epn,
		struct wn_err *err);

/* ---- author names ---- */

enum wn_name_style {
	WN_NAME_GUESS,     /* "Last, First" kept; "Wilson L.N." -> "Wilson, L.N."; else natural */
	WN_NAME_NATURAL,   /* "Björn A. Blomberg" -> "Blomberg, Björn A." (von/Jr aware) */
	WN_NAME_INITIALS   /* "Wilson L.N." -> "Wilson, L.N." ("Surname Initials") */
};

/* Put one person's name into out in the record's "Surname, Given" form. `braces`: treat
 * {...} groups as unbreakable words (BibTeX), braces are kept in the output. Returns 0,
 * -1 on error. out may come back empty (a name that was only punctuation). */
int wn_fu_name(struct wn_buf *out, const char *s, size_t n, enum wn_name_style style,
	       int braces, struct wn_err *err);

/* Add an author list to `authors`. sep: the separator between names - ";", "|", ",",
 * " and " (case-insensitive, BibTeX style), "\n" - or NULL to guess from the text (";"
 * if present, else " and ", else "|", else "," when every part looks like "Surname
 * Initials", else one name). Each name is normalised with `style`. Returns the number
 * of names added, -1 on error. */
int wn_fu_authors(struct wn_recb *b, const char *s, size_t n, const char *sep,
		  enum wn_name_style style, struct wn_err *err);

/* 1 if the word looks like initials ("L.N.", "DK", "J.-P.", "A"): upper-case letters
 * with dots/hyphens, at most 4 letters, no lower-case letter. */
int wn_fu_is_initials(const char *s, size_t n);

/* ---- usable records ---- */

/* How much a record built from an export says: 2 = a title, authors or an identifier
 * (DOI, PMID, accession number); 1 = other bibliographic fields only (an abstract, a
 * journal, a year); 0 = nothing but type, source and extra. The importers keep 2 and 1
 * (a record with little is still a study; records of kind 1 are counted in one warning
 * per file, struct wn_fu_weak) and skip 0 as "no bibliographic fields". */
int wn_fu_content(json_object *rec);

struct wn_fu_weak {
	unsigned long n, first_record, first_line;
};
/* Count a kind-1 record about to be emitted (record number = wn_import_next_index). */
void wn_fu_weak_add(struct wn_fu_weak *w, struct wn_import *imp, unsigned long line);
/* The one warning per file, when there were any. */
void wn_fu_weak_report(const struct wn_fu_weak *w, struct wn_import *imp);

/* ---- detection ---- */

/* Copy the first bytes of a file as text for detection: a UTF-8 BOM is dropped, UTF-16
 * (LE/BE, with or without BOM) is reduced to its low bytes (ASCII is all detection
 * needs). out is NUL-terminated; returns its length (< cap). */
size_t wn_fu_head_text(const unsigned char *head, size_t n, char *out, size_t cap);

/* Iterate the lines of a NUL-free text: returns 1 and sets *line and *len to the next line
 * (without CR/LF) starting at *pos, 0 at the end. */
int wn_fu_next_line(const char *s, size_t n, size_t *pos, const char **line, size_t *len);

#endif
