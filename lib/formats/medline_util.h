/*
 * medline_util.h - what PubMed XML and MEDLINE (nbib) records have in common: NLM's
 * dates, MeSH headings and the comment/correction links.
 *
 * The two formats carry the same citations, so they must map to the same record values:
 * a record imported from an efetch XML file and from the .nbib export of the same search
 * has the same year, date, mesh and notices (dedup and the screening filters rely on it).
 * Both parsers therefore go through these helpers. Private to lib/formats.
 */
#ifndef WINNOW_FORMATS_MEDLINE_UTIL_H
#define WINNOW_FORMATS_MEDLINE_UTIL_H

#include <stddef.h>
#include "winnow/buf.h"
#include "winnow/err.h"
#include "winnow/record.h"

/* Month number 1-12 of "Jan", "January", "jan.", "1", "01"; 0 when s is none of those
 * (seasons, ranges, garbage). */
int wn_medline_month(const char *s, size_t n);

/* A publication date as NLM writes it ("2019 Jan 5", "2002 Sep", "1998 Dec-1999 Jan",
 * "2000 Spring", "1944-1945", "2013 06 10"): *y is the first plausible year (0 if none),
 * *m and *d the month and day that follow it (0 when absent or not a plain month/day).
 * Returns 1 when the text is exactly that date (nothing left over, e.g. no range or
 * season), 0 when it says more than YYYY[-MM[-DD]] can hold. */
int wn_medline_parse_date(const char *s, size_t n, int *y, int *m, int *d);

/* Set `year` and `date` ("YYYY", "YYYY-MM", "YYYY-MM-DD") from parts; y == 0 sets
 * nothing; an impossible month or day is left out. -1 on allocation failure. */
int wn_medline_set_date(struct wn_recb *b, int y, int m, int d, struct wn_err *err);

/* Append {"type", "pmid"?, "ref"?} to the record's `notices`. Values are cleaned; an
 * empty pmid/ref is left out. -1 on allocation failure. */
int wn_medline_notice(struct wn_recb *b, const char *type, const char *pmid, size_t pmid_len,
		      const char *ref, size_t ref_len, struct wn_err *err);

/* 1 if a CommentsCorrections RefType (XML) is one reviewers must see as a notice; the
 * reference lists ("Cites") are not. */
int wn_medline_is_notice_type(const char *reftype);

/* Split a 9-digit-or-so PMID out of "text PMID: 123456" (MEDLINE CIN/EIN/RIN values);
 * returns the digits (pointer into s) and their length in *n, or NULL. */
const char *wn_medline_find_pmid(const char *s, size_t len, size_t *n);

/* Detection sees raw bytes: for UTF-16 text (a BOM, or NUL bytes between ASCII ones)
 * copy the ASCII projection (NULs dropped, BOM skipped) into buf and return it in
 * *view / *vn; otherwise *view is head itself. */
void wn_medline_detect_view(const unsigned char *head, size_t n, unsigned char *buf, size_t cap,
			    const unsigned char **view, size_t *vn);

#endif
