/*
 * biblio.h - normalising the bibliographic fields that identify a publication: DOIs,
 * pages, ISSNs/ISBNs, volume and issue numbers, author names, journal names.
 *
 * Each database writes these its own way (research/dedup.md, section 0): MEDLINE
 * abbreviates page ranges ("123-9"), Embase writes "123-129", online journals use
 * article numbers ("e0209483"), supplements "S12"; DOIs arrive as URLs, with "doi:"
 * prefixes, upper case, trailing full stops, several per field; authors as "Zuber J",
 * "Zuber, J.", "Zuber, Julien" or "Julien Zuber"; journals as "N Engl J Med" and "New
 * England Journal of Medicine". The functions here map every variant to one form, so
 * that comparison can be exact where it should be.
 *
 * All functions are pure and thread-safe.
 */
#ifndef WINNOW_BIBLIO_H
#define WINNOW_BIBLIO_H

#include <stddef.h>
#include <stdint.h>
#include "winnow/buf.h"
#include "winnow/err.h"

/* ---- DOIs ---- */

#define WN_DOI_MAX 200 /* longer "DOIs" are cited-reference junk (Scopus) and ignored */

/* Find every DOI in s[0..n) (a bare DOI, "doi:10...", a doi.org URL - also
 * percent-encoded - or a list): each is normalised (lower case, no trailing punctuation,
 * unbalanced closing brackets dropped, PLoS figure/table suffixes such as ".g001"
 * removed) and appended to out followed by '\n', skipping DOIs already in out.
 * Returns the number appended, or -1 on allocation failure. */
int wn_doi_extract(struct wn_buf *out, const char *s, size_t n, struct wn_err *err);

/* A Cochrane review DOI (10.1002/14651858.CD001234.pub3): the review number (1234) and
 * version (3; 1 without ".pub"). Returns 1 for a Cochrane review DOI, else 0. */
int wn_doi_cochrane(const char *doi, size_t n, uint32_t *review, unsigned *version);

/* ---- pages ---- */

struct wn_pages {
	uint32_t start;     /* number of the first page, 0 when unknown */
	uint32_t end;       /* last page with abbreviated ranges expanded, 0 when unknown;
			     * below start when the source has a typo ("2297-2108") */
	char prefix[4];     /* letters before the first number, lower case: "e", "s", "cd" */
	int roman;          /* the pages were Roman numerals (front matter) */
};

/* Parse a pages field: "123-9" -> 123-129, "1676-7" -> 1676-1677, "e0209483",
 * "S12-S19", "pp. 45 - 52", "ARTN 12", "xii-xiv". Month names (spreadsheet damage,
 * "08-Nov") give no pages. Returns 1 when a start page was found, else 0 (p zeroed). */
int wn_pages_parse(const char *s, size_t n, struct wn_pages *p);

/* ---- ISSN, ISBN, numbers ---- */

/* Every ISSN ("0028-4793", "1097-0258 (Electronic)") in s: packed as the 7 digits times
 * 11 plus the check digit (X = 10). Returns how many were stored (at most max). */
size_t wn_issn_extract(const char *s, size_t n, uint32_t *out, size_t max);

/* Every ISBN in s, reduced to the part ISBN-10 and ISBN-13 share (the 9 digits after
 * "978"; "979" ISBNs are kept apart), so the two forms of one book match. */
size_t wn_isbn_extract(const char *s, size_t n, uint64_t *out, size_t max);

/* First integer in a volume or issue field ("20 (5 Supplement 1)" -> 20, "Pt 2" -> 2),
 * 0 when there is none; *supplement set when the field names a supplement. */
uint32_t wn_first_number(const char *s, size_t n, int *supplement);

/* ---- authors ---- */

enum wn_author_kind {
	WN_AUTHOR_SKIP = 0,   /* "Anonymous", "et al.", empty */
	WN_AUTHOR_PERSON = 1,
	WN_AUTHOR_GROUP = 2   /* "ESPGHAN Committee on Nutrition", "The ... Study Group" */
};

#define WN_INITIALS_MAX 6

/* Parse one author name in any of the usual forms ("Zuber, J.", "Zuber J", "Zuber,
 * Julien", "Julien Zuber", "van Boxtel, M.P.J.", "O'Donnell C. P."). surname (replaced)
 * gets the folded surname, its words separated by spaces ("le quintrec"); initials the
 * lower-case initials of the given names (NUL-terminated, at most WN_INITIALS_MAX).
 * Group authors give their folded name as `surname` and no initials. Returns the kind,
 * or -1 on allocation failure. */
int wn_author_parse(const char *s, size_t n, struct wn_buf *surname,
		    char initials[WN_INITIALS_MAX + 1], struct wn_err *err);

/* ---- journals ---- */

/* Fold a journal name for comparison (replaces out): folded words without stop words
 * ("of", "the", "and", "&" ...), without a subtitle after " : " or " = ", and without a
 * trailing "Conference"/"Supplement" marker, so "The Journal of Pathology" and "Journal
 * of pathology : a publication of ..." are both "journal pathology". */
int wn_journal_fold(struct wn_buf *out, const char *s, size_t n, struct wn_err *err);

/* 1 if two folded journal names (wn_journal_fold) name the same journal: equal, one an
 * abbreviation of the other word by word ("n engl j med" / "new england journal
 * medicine": each abbreviated word starts like its full word and keeps its letters in
 * order), or one the acronym of the other ("jama"). */
int wn_journal_same(const char *a, size_t an, const char *b, size_t bn);

/* First letters of the words of a folded journal name ("nejm"), for blocking: an
 * abbreviation and the full name give the same key. Returns the length written. */
size_t wn_journal_initials(const char *s, size_t n, char *out, size_t size);

/* 1 if the (raw) journal or container name is a conference, congress, meeting,
 * symposium or proceedings. */
int wn_journal_is_conference(const char *s, size_t n);

#endif
