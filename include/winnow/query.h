/*
 * query.h - search strings of bibliographic databases: one lexer and parser per dialect,
 * one intermediate representation (IR), a linter and printers (translation).
 *
 * Why one IR: a review writes one strategy and adapts it per database, and the same
 * string means different things in each (research/queries.md): PubMed reads AND/OR/NOT
 * strictly left to right, Scopus binds OR tightest and AND NOT loosest, Web of Science
 * binds NOT tighter than AND, EBSCO AND tighter than OR. Proximity counts differ by one
 * (Ovid adjN allows N-1 words between, the others N), wildcards differ (Ovid # is one
 * character, EBSCO # is zero or one). The parsers resolve all of that into the IR, where
 * precedence is explicit (a tree), proximity is "at most `dist` words between" and
 * wildcards have one meaning; the printers turn the IR back into any dialect and report
 * what the target cannot express (never silently dropped).
 *
 * The IR is a DAG of reference-counted nodes (an Ovid line referenced twice is shared,
 * not copied, so a strategy whose lines double each other cannot blow up memory), with
 * a hard cap on depth (WN_QUERY_MAX_DEPTH) checked as nodes are built: the parser is a
 * shunting-yard loop (no recursion over parentheses), and every recursive walk of the IR
 * is bounded by the cap. A 10,000-deep hostile query ends with a clear error.
 *
 * Normal forms, applied as nodes are built so that "print, then parse" gives back the
 * same IR: AND and OR are n-ary and flattened (a AND (b AND c) = AND(a,b,c)); NOT is
 * n-ary "first child minus all the others" (a NOT b NOT c = NOT(a,b,c)); an OR of the
 * same term in different fields is one term in the union of the fields (EBSCO's
 * "TI x OR AB x" is x in title and abstract); date ranges in one AND are intersected.
 *
 * Wildcards in IR term text: `*` any number of characters, `?` exactly one, `$N` at most
 * N (N is one digit, 1-9: a digit after it is literal, so Ovid's "covid?19" is
 * "covid$119"). Everything else in a term is literal; matching is case-insensitive and
 * diacritic-insensitive (qtok.h).
 *
 * Memory: wn_query_parse returns a wn_query the caller frees with wn_query_free; nodes
 * are owned by it (wn_qnode_ref/unref for code that keeps a node longer).
 */
#ifndef WINNOW_QUERY_H
#define WINNOW_QUERY_H

#include <stddef.h>
#include <stdint.h>
#include "winnow/buf.h"
#include "winnow/err.h"

enum wn_qdialect {
	WN_QD_GENERIC = 0, /* strings like the example review's: AND > OR, NOT/NEAR/PRE, [tags] */
	WN_QD_PUBMED,
	WN_QD_OVID,
	WN_QD_SCOPUS,
	WN_QD_WOS,
	WN_QD_EBSCO,
	WN_QD_COUNT
};

/* "generic", "pubmed", ... Never NULL. */
const char *wn_qdialect_name(enum wn_qdialect d);
/* Dialect by name (case-insensitive; also "medline" = ovid, "cinahl" = ebsco,
 * "webofscience" = wos). -1 when unknown. */
int wn_qdialect_from_name(const char *name, enum wn_qdialect *out);

/* Record fields a term can be searched in (a set). 0 means "the default fields" (the
 * caller's --default-fields: title, abstract, keywords unless told otherwise). */
enum {
	WN_QF_TI = 1u << 0,      /* title */
	WN_QF_AB = 1u << 1,      /* abstract */
	WN_QF_KW = 1u << 2,      /* author keywords */
	WN_QF_MESH = 1u << 3,    /* subject heading, whole heading ([mh], exp X/, MH) */
	WN_QF_MESHW = 1u << 4,   /* words of subject headings ([tw], .mp., .hw.) */
	WN_QF_AU = 1u << 5,      /* author */
	WN_QF_JOURNAL = 1u << 6, /* journal title or abbreviation, whole value ([ta], .jn., SO) */
	WN_QF_PT = 1u << 7,      /* publication type, whole value */
	WN_QF_LA = 1u << 8,      /* language */
	WN_QF_DOI = 1u << 9,     /* DOI / article identifier */
	WN_QF_PMID = 1u << 10,   /* PubMed id */
	WN_QF_ALL = 1u << 11,    /* every field, as words ([all], TX, ALL()) */
	WN_QF_AD = 1u << 12,     /* affiliation: records do not carry it */
	WN_QF_OTHER = 1u << 13   /* a known tag with no record field ([nm], [sb], .fs.) */
};
#define WN_QF_TIAB (WN_QF_TI | WN_QF_AB)
/* Names of the field bits, "ti", "ab", ... (for messages and the canonical form). */
const char *wn_qfield_name(unsigned bit);

/* Term flags */
enum {
	WN_QT_QUOTED = 1u << 0,  /* written in quotes (a single quoted word stays quoted) */
	WN_QT_EXACT = 1u << 1,   /* Scopus {exact phrase} */
	WN_QT_EXPLODE = 1u << 2, /* subject heading with its narrower headings */
	WN_QT_MAJOR = 1u << 3    /* major topic only (*X/, [majr], MM) */
};

enum wn_qkind {
	WN_Q_TERM,  /* a word or phrase (words in order, adjacent) in a set of fields */
	WN_Q_AND,   /* n-ary */
	WN_Q_OR,    /* n-ary */
	WN_Q_NOT,   /* n-ary: the first child minus every other child */
	WN_Q_NEAR,  /* n-ary chain: each operand within `dist` words of the previous */
	WN_Q_RANGE  /* a date range on a field (publication date; entry dates map to it) */
};

/* NEAR distance meaning "in the same field, any distance" (WoS SAME). */
#define WN_QDIST_SAME 65535
/* Cap on the depth of the IR (after flattening). */
#define WN_QUERY_MAX_DEPTH 256
/* Cap on the number of nodes of a query when expanded (references inlined). */
#define WN_QUERY_MAX_NODES 200000

/* Which date a range is on */
enum wn_qdate { WN_QDATE_PUB = 0, WN_QDATE_ENTRY = 1, WN_QDATE_CREATE = 2 };

struct wn_qnode {
	enum wn_qkind kind;
	unsigned refs;
	unsigned depth;          /* 1 for a leaf */
	size_t nkids, kidcap;
	struct wn_qnode **kids;
	/* TERM */
	char *text;              /* words separated by one space; wildcards as above */
	unsigned fields;         /* WN_QF_* set, 0 = default fields */
	unsigned flags;          /* WN_QT_* */
	char *qual;              /* MeSH qualifier ("therapy"), or NULL */
	/* NEAR */
	unsigned dist;           /* at most this many words between operands */
	int ordered;             /* 1: operands must appear in the order written */
	/* RANGE: yyyymmdd, inclusive; lo 0 = open start, hi 99999999 = open end */
	long lo, hi;
	enum wn_qdate date;
	int year_only;           /* the range was written with years only (PY=, yr=) */
	/* where the node starts in the source (1-based; 0 when built, not parsed) */
	unsigned line, col;
};

/* Severity and shape of a finding (parse errors, lint findings, translation notes). */
enum wn_qsev { WN_QSEV_NOTE = 0, WN_QSEV_WARNING = 1, WN_QSEV_ERROR = 2 };

struct wn_qdiag {
	enum wn_qsev sev;
	const char *code;   /* stable code, e.g. "Q101" (docs/winnow-screen-query.1) */
	const char *slug;   /* e.g. "unbalanced-parenthesis" */
	unsigned line, col; /* 1-based; 0 when it applies to the whole query */
	char *msg;          /* one line, lower case */
};

struct wn_qdiags {
	struct wn_qdiag *v;
	size_t n, cap;
};

void wn_qdiags_init(struct wn_qdiags *d);
void wn_qdiags_release(struct wn_qdiags *d);
/* Add a finding (message printf-style, truncated at 512 bytes). The same code at the
 * same position is added once. -1 on allocation failure. */
int wn_qdiags_add(struct wn_qdiags *d, enum wn_qsev sev, const char *code, unsigned line,
		  unsigned col, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Number of findings of at least this severity. */
size_t wn_qdiags_count(const struct wn_qdiags *d, enum wn_qsev min);
/* Slug of a code ("Q101" -> "unbalanced-parenthesis"); "" when unknown. */
const char *wn_qdiag_slug(const char *code);
/* Sort by position (stable), for printing. */
void wn_qdiags_sort(struct wn_qdiags *d);

/* One line of a numbered strategy (Ovid, EBSCO S1, PubMed/WoS #1). */
struct wn_qline {
	unsigned number;         /* its number (1, 2, ...) */
	unsigned srcline;        /* line of the source text */
	struct wn_qnode *node;   /* the line's IR (references inlined), NULL if it failed */
	int referenced;          /* another line refers to it */
};

struct wn_query {
	enum wn_qdialect dialect;
	struct wn_qnode *root;   /* NULL when the query could not be parsed (see diags) */
	struct wn_qdiags diags;  /* everything the parser noticed, errors included */
	struct wn_qline *lines;  /* numbered strategies only (nlines > 0) */
	size_t nlines;
};

/* Parse text in a dialect. Returns NULL only on allocation failure (err set); a query
 * that does not parse comes back with root == NULL and at least one WN_QSEV_ERROR in
 * diags (with line and column). The text need not be NUL-terminated; n is capped at
 * WN_QUERY_MAX_BYTES (an error finding beyond it). */
#define WN_QUERY_MAX_BYTES ((size_t)1 << 20)
struct wn_query *wn_query_parse(const char *text, size_t n, enum wn_qdialect d,
				struct wn_err *err);
void wn_query_free(struct wn_query *q);
/* Read a query file ("-" = standard input; a UTF-8 BOM or UTF-16 is handled) and parse
 * it. NULL with err when the file cannot be read (WN_EIO, the path quoted), is longer
 * than WN_QUERY_MAX_BYTES (WN_ELIMIT) or memory runs out. */
struct wn_query *wn_query_load(const char *path, enum wn_qdialect d, struct wn_err *err);

/* Extra checks the parser cannot make while it reads (unreferenced lines, truncation
 * stems for the dialect, date limits inside sub-clauses, ...). Adds to q->diags. */
int wn_query_lint(struct wn_query *q, struct wn_err *err);

/* ---- nodes ---- */

struct wn_qnode *wn_qnode_ref(struct wn_qnode *n);
void wn_qnode_unref(struct wn_qnode *n);
/* Structural equality (positions ignored). */
int wn_qnode_equal(const struct wn_qnode *a, const struct wn_qnode *b);
/* Builders (used by the parsers and by tests). Each returns a new node with one
 * reference, or NULL with err set (WN_ENOMEM, or WN_ELIMIT when the depth cap is hit).
 * wn_qnode_new_op takes over the references of kids[] (also on failure) and applies
 * the normal forms above. */
struct wn_qnode *wn_qnode_new_term(const char *text, size_t n, unsigned fields,
				   unsigned flags, const char *qual, struct wn_err *err);
struct wn_qnode *wn_qnode_new_op(enum wn_qkind kind, struct wn_qnode **kids, size_t nkids,
				 unsigned dist, int ordered, struct wn_err *err);
struct wn_qnode *wn_qnode_new_range(long lo, long hi, enum wn_qdate date, int year_only,
				    struct wn_err *err);
/* The node with `fields` applied to every term that has none yet (Ovid (a or b).ti.).
 * Takes over n's reference; copies shared nodes instead of changing them. */
struct wn_qnode *wn_qnode_with_fields(struct wn_qnode *n, unsigned fields, struct wn_err *err);
/* Number of nodes when references are expanded, saturating at `cap`. */
size_t wn_qnode_expanded_size(const struct wn_qnode *n, size_t cap);

/* ---- printing ---- */

/* The canonical form of the IR, one line, every operator explicit:
 *   (and (or ti,ab:"integrated health*" ...) (near/3 ordered a b) dp:19970101..20201231)
 * Used by `query --explain`, the tests and the round-trip property. */
int wn_qnode_format(struct wn_buf *out, const struct wn_qnode *n, struct wn_err *err);
/* The same as an indented tree, one node per line (for people). */
int wn_qnode_format_tree(struct wn_buf *out, const struct wn_qnode *n, struct wn_err *err);

/* Print the IR in a dialect. What the dialect cannot say exactly is approximated as
 * closely as it can (a proximity becomes AND, a field set is widened, a wildcard is
 * widened) and every such change is added to `notes` (warnings) with the node's
 * position; nothing is dropped without a note. -1 only on allocation failure. */
int wn_query_print(struct wn_buf *out, const struct wn_qnode *n, enum wn_qdialect d,
		   struct wn_qdiags *notes, struct wn_err *err);

/* ---- fuzzing ---- */

/* Parse, lint, print in every dialect and re-parse data[0..n) (first byte chooses the
 * dialect); abort()s if an invariant breaks (printing a parsed query in its own dialect
 * and parsing it again must give the same IR). Returns 0. For libFuzzer targets and the
 * randomized tests. */
int wn_query_fuzz_one(const uint8_t *data, size_t n);

#endif
