/*
 * qint.h - private to lib/query: the dialect tables shared by the parsers and the
 * printers, so that what one reads and the other writes cannot drift apart.
 */
#ifndef WINNOW_QINT_H
#define WINNOW_QINT_H

#include "winnow/query.h"

/* A field code of a dialect: how it is written and what it means. */
struct wn_qfcode {
	const char *name;   /* as written (lower case for tags and suffixes, upper for prefixes) */
	unsigned fields;    /* WN_QF_* */
	unsigned flags;     /* WN_QT_EXPLODE / WN_QT_MAJOR implied by the code */
	int date;           /* >= 0: a date field (enum wn_qdate); -1 otherwise */
	int print;          /* 1 = the printer may choose this spelling */
};

/* The field codes of a dialect (NULL-name terminated). */
const struct wn_qfcode *wn_qfcodes(enum wn_qdialect d);
/* Look a code up (case-insensitive). NULL when unknown. */
const struct wn_qfcode *wn_qfcode_find(enum wn_qdialect d, const char *name, size_t n);

/* Full name of a MeSH qualifier abbreviation ("dt" -> "drug therapy"), or NULL. */
const char *wn_mesh_qualifier_name(const char *abbr, size_t n);
/* Abbreviation of a qualifier name, or NULL. */
const char *wn_mesh_qualifier_abbr(const char *name);

/* Canonical language code ("english", "eng", "en" -> "eng"), or NULL when unknown. */
const char *wn_lang_code(const char *s, size_t n);
/* English name of a canonical code ("eng" -> "english"), or NULL. */
const char *wn_lang_name(const char *code);

/* The N of a wildcard `$N` at s[0..n): one digit, so that a digit after it is literal
 * ("covid?19" in Ovid is "covid$119" in the IR: at most one character, then "19").
 * The parser, the printers and the matcher all read it here, so they cannot disagree.
 * *used is the number of digits read (0 or 1). */
unsigned wn_qwild_num(const char *s, size_t n, size_t *used);

/* Parse a date "YYYY", "YYYY/MM", "YYYY/MM/DD", "YYYY-MM-DD", "YYYYMMDD" into yyyymmdd;
 * `end` picks the last day of a partial date. -1 if malformed. */
int wn_qdate_parse(const char *s, size_t n, int end, long *out);

#endif
