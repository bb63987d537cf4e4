/*
 * record.h - the record: one bibliographic record of the stream, as a json-c object.
 *
 * Why json-c objects and not a C struct: every stage must pass fields it does not know
 * through untouched (DESIGN.md), and json-c keeps key order, so a record read and
 * written again is byte-identical. The field list and their meaning are in
 * docs/record-format.md; this header gives them names and typed access.
 *
 * Building a record (importers): struct wn_recb cleans every value on the way in
 * (wn_text_clean: valid UTF-8, no control characters, trimmed) and drops empty values,
 * so the rule "absent when unknown, never empty strings" holds by construction.
 * wn_recb_take returns the record with its fields in canonical order.
 *
 * Ownership: json_object is reference counted; a function that returns a new record
 * gives the caller one reference (json_object_put to release).
 */
#ifndef WINNOW_RECORD_H
#define WINNOW_RECORD_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>
#include "winnow/buf.h"
#include "winnow/err.h"
#include "winnow/text.h"

/* Field names (docs/record-format.md). */
#define WN_F_ID "id"
#define WN_F_SOURCE "source"
#define WN_F_SOURCE_ID "source_id"
#define WN_F_ORIGIN "origin"          /* {"file": name, "index": n (1-based)} */
#define WN_F_TYPE "type"
#define WN_F_TITLE "title"
#define WN_F_ABSTRACT "abstract"
#define WN_F_AUTHORS "authors"        /* array: "Surname, Given" or a group name */
#define WN_F_YEAR "year"              /* integer */
#define WN_F_DATE "date"              /* "YYYY", "YYYY-MM" or "YYYY-MM-DD" */
#define WN_F_JOURNAL "journal"
#define WN_F_JOURNAL_ABBREV "journal_abbrev"
#define WN_F_ISSN "issn"              /* array */
#define WN_F_ISBN "isbn"              /* array */
#define WN_F_VOLUME "volume"
#define WN_F_ISSUE "issue"
#define WN_F_PAGES "pages"
#define WN_F_DOI "doi"
#define WN_F_PMID "pmid"
#define WN_F_PMCID "pmcid"
#define WN_F_LANGUAGE "language"
#define WN_F_PUBTYPES "pubtypes"      /* array */
#define WN_F_MESH "mesh"              /* array */
#define WN_F_KEYWORDS "keywords"      /* array */
#define WN_F_URL "url"
#define WN_F_PUBLISHER "publisher"
#define WN_F_NOTICES "notices"        /* array of {"type","pmid"?,"ref"?}: errata, retractions */
#define WN_F_EXTRA "extra"            /* object: format-specific leftovers, by original tag */
#define WN_F_DUPLICATES "duplicates"  /* added by dedup */

/* The canonical order of the known fields (NULL-terminated). Unknown fields follow, in
 * the order they were added. */
extern const char *const wn_record_field_order[];

/* New empty record (one reference). NULL with WN_ENOMEM. */
json_object *wn_record_new(struct wn_err *err);

/* String value of a field, or NULL when absent or not a string. Borrowed: valid while
 * the record holds the field. */
const char *wn_record_get(json_object *rec, const char *field);
/* Integer value (year), or `dflt` when absent or not a number. */
int64_t wn_record_get_int(json_object *rec, const char *field, int64_t dflt);
/* Array field: number of items (0 when absent), and the i-th string (NULL if not one). */
size_t wn_record_count(json_object *rec, const char *field);
const char *wn_record_item(json_object *rec, const char *field, size_t i);

/* Set a string field to an already clean value (no cleaning, no emptiness check beyond
 * n == 0 meaning "remove"). -1 on allocation failure. */
int wn_record_set(json_object *rec, const char *field, const char *s, size_t n,
		  struct wn_err *err);
int wn_record_set_int(json_object *rec, const char *field, int64_t v, struct wn_err *err);

/* Reorder rec's fields into canonical order, in place. -1 on allocation failure (the
 * record is then unchanged). */
int wn_record_canonicalize(json_object *rec, struct wn_err *err);

/* ---- building records from raw export values ---- */

enum {
	WN_RECB_MULTILINE = WN_TEXT_MULTILINE, /* keep paragraph breaks (abstracts) */
	WN_RECB_APPEND = 0x100,   /* scalar already set: append with a space / newline */
	WN_RECB_KEEP = 0x200,     /* scalar already set: keep the first value */
	WN_RECB_UNIQUE = 0x400    /* list: skip a value equal to one already present */
};

struct wn_recb {
	json_object *rec;          /* record under construction, or NULL */
	struct wn_buf scratch;     /* reused for cleaning values */
	struct wn_text_stats text; /* totals over every record built */
	uint64_t *seen;            /* list values of this record, hashed (private) */
	size_t seen_cap, seen_used;
};

void wn_recb_init(struct wn_recb *b);
void wn_recb_release(struct wn_recb *b);
/* Start a new record (dropping any unfinished one). -1 on allocation failure. */
int wn_recb_begin(struct wn_recb *b, struct wn_err *err);
/* Set a scalar text field from raw bytes; cleaned; empty results are ignored. Without
 * APPEND/KEEP a later value replaces an earlier one. Returns 1 if set, 0 if the value
 * was empty, -1 on error. */
int wn_recb_text(struct wn_recb *b, const char *field, const char *s, size_t n,
		 unsigned flags, struct wn_err *err);
/* Append a cleaned, non-empty value to the array `field`. Returns 1/0/-1 as above. */
int wn_recb_list(struct wn_recb *b, const char *field, const char *s, size_t n,
		 unsigned flags, struct wn_err *err);
/* Keep an unmapped export value under extra.<tag> (string; repeated tags make an
 * array). Returns 1/0/-1 as above. */
int wn_recb_extra(struct wn_recb *b, const char *tag, const char *s, size_t n,
		  unsigned flags, struct wn_err *err);
/* Set the year from text (first plausible 4-digit year); 0 when none found. */
int wn_recb_year(struct wn_recb *b, const char *s, size_t n, struct wn_err *err);
/* Set the DOI from text that may be a URL or carry a "doi:" prefix or trailing
 * punctuation; lower-cases nothing (DOIs are case-insensitive, display keeps case).
 * Returns 1 if a DOI (starting "10.") was found, 0 otherwise. */
int wn_recb_doi(struct wn_recb *b, const char *s, size_t n, struct wn_err *err);
/* The record built so far (borrowed), for parsers that need to look at it. */
static inline json_object *wn_recb_peek(struct wn_recb *b) { return b->rec; }
/* Finish: canonical order; caller owns the returned reference. NULL on error or when
 * no record was begun. */
json_object *wn_recb_take(struct wn_recb *b, struct wn_err *err);

/* ---- ids ---- */

/* Gives each record of one run a stable, unique id (docs/record-format.md, "id"):
 *   pubmed:<PMID>                  for records whose source is PubMed
 *   <source-slug>:<source_id>      when the export has its own identifier
 *   <source-slug>:x<16 hex>        otherwise, an XXH64 of the bibliographic content
 * and, when an id was already given in this run, "~2", "~3"... in input order. */
struct wn_idgen;
struct wn_idgen *wn_idgen_new(struct wn_err *err);
void wn_idgen_free(struct wn_idgen *g);
/* Set rec's "id" (replacing any). `fallback_slug` is used when rec has no source (e.g.
 * the format name). -1 on allocation failure. */
int wn_idgen_assign(struct wn_idgen *g, json_object *rec, const char *fallback_slug,
		    struct wn_err *err);
/* Lower-case ASCII slug of a source name: "Ovid MEDLINE(R)" -> "ovid-medline-r". */
int wn_slug(struct wn_buf *out, const char *s, struct wn_err *err);

#endif
