/*
 * qmatch.h - a parsed query compiled for fast evaluation on records.
 *
 * Text is tokenised the way PubMed indexes it: case-folded, diacritics removed (utf8proc),
 * split at everything that is not a letter or digit (so "breast-feeding" is the two words
 * "breast feeding", adjacent: a phrase matches it). Field tags map to record fields
 * (docs/record-format.md):
 *   ti title | ab abstract | kw keywords | mhw words of mesh headings | pt pubtypes, type
 *   journal journal, journal_abbrev, issn | au authors | la language | doi | pmid
 *   mh mesh headings, whole ("Descriptor/qualifier", leading * = major topic)
 *   all = ti, ab, kw, mhw, pt, journal and au as words
 * A term without a field searches the default fields (title, abstract, keywords unless
 * told otherwise): PubMed's automatic term mapping is approximated, not reproduced.
 * [mh] explodes to narrower headings when a MeSH descriptor file is given, else it
 * matches the exact heading only. Records have no affiliation, substance or subset
 * fields: terms in those fields never match (noted at compile time).
 *
 * How it is fast: the query's words become patterns in two hash tables (exact words and
 * literal prefixes of truncated words, probed as each token is built, with a rolling
 * FNV-1a hash); rarer wildcards go through a glob matcher. Each record field is
 * tokenised once; the compiled program (the DAG in post-order, each node once) is then
 * evaluated with booleans, and token positions only for phrases and proximity.
 *
 * Threads: a compiled wn_qmatch is read-only and may be shared; each thread uses its own
 * wn_qmatch_state. Nothing is global.
 */
#ifndef WINNOW_QMATCH_H
#define WINNOW_QMATCH_H

#include <json-c/json.h>
#include "winnow/buf.h"
#include "winnow/err.h"
#include "winnow/query.h"

struct wn_mesh;

struct wn_qmatch_opts {
	unsigned default_fields;     /* WN_QF_* for terms without a field; 0 = ti,ab,kw */
	const struct wn_mesh *mesh;  /* descriptor tree for [mh] explosion, or NULL */
	enum wn_qdialect dialect;    /* for explain output (clauses printed in it) */
};

struct wn_qmatch;
struct wn_qmatch_state;

/* Compile root (not changed; may be freed afterwards). Approximations (default fields,
 * explosion without a MeSH file, fields records do not have, entry dates read as
 * publication dates) are added to notes as Q301 findings. NULL with err on failure. */
struct wn_qmatch *wn_qmatch_compile(const struct wn_qnode *root, const struct wn_qmatch_opts *o,
				    struct wn_qdiags *notes, struct wn_err *err);
void wn_qmatch_free(struct wn_qmatch *m);
/* Distinct word patterns and program size (for tests and --explain). */
size_t wn_qmatch_patterns(const struct wn_qmatch *m);
size_t wn_qmatch_program_size(const struct wn_qmatch *m);

struct wn_qmatch_state *wn_qmatch_state_new(const struct wn_qmatch *m, struct wn_err *err);
void wn_qmatch_state_free(struct wn_qmatch_state *s);

/* Evaluate on one record: 1 matches, 0 does not, -1 on allocation failure. The state
 * remembers the last record for wn_qmatch_explain (rec must stay alive until then). */
int wn_qmatch_record(struct wn_qmatch_state *s, json_object *rec, struct wn_err *err);

/* For the record last evaluated: the top-level clauses that matched, printed in the
 * query's dialect (array of strings), and the words and phrases of the record that
 * matched a term, as written in the record (array of unique strings, in order of first
 * appearance). Either out-pointer may be NULL. New references for the caller. */
int wn_qmatch_explain(struct wn_qmatch_state *s, json_object **clauses, json_object **terms,
		      struct wn_err *err);

/* Field set from names: "ti,ab,kw", "all", "title,abstract" ... -1 if a name is unknown
 * (its text in *bad). */
int wn_qfields_parse(const char *s, unsigned *out, const char **bad);

/* The tokeniser, for tests and other modules: calls fn with each normalised token and
 * its byte offset and length in s. fn returns non-zero to stop (that value is returned).
 * Tokens longer than WN_QTOK_MAX bytes are cut there. */
#define WN_QTOK_MAX 128
typedef int (*wn_qtok_fn)(const char *tok, size_t n, size_t off, size_t len, void *data);
int wn_qtok_each(const char *s, size_t n, wn_qtok_fn fn, void *data);
/* Normalised form of a whole value: its tokens joined by single spaces. */
int wn_qtok_normalize(struct wn_buf *out, const char *s, size_t n, struct wn_err *err);

#endif
