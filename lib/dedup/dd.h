/*
 * dd.h - what the files of lib/dedup share (internal; see include/winnow/dedup.h for the
 * design).
 *
 * A record is read once, normalised into a struct dd_rec (a few hundred bytes of what the
 * comparison needs), and its JSON object is freed: a million records must fit in memory
 * with room to spare. The strings a dd_rec points at live in its batch's arena.
 */
#ifndef WINNOW_DD_H
#define WINNOW_DD_H

#include <locale.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <json-c/json.h>
#include "winnow/biblio.h"
#include "winnow/buf.h"
#include "winnow/dedup.h"
#include "winnow/err.h"
#include "winnow/normalize.h"

/* ---------------------------------------------------------------- arena */

struct dd_chunk;

/* Bump allocator: many small strings, freed together. */
struct dd_arena {
	struct dd_chunk *head;
	char *cur;
	size_t left;
	size_t bytes; /* total allocated, for memory accounting */
};

void dd_arena_init(struct dd_arena *a);
void dd_arena_release(struct dd_arena *a);
void *dd_arena_alloc(struct dd_arena *a, size_t n, struct wn_err *err);
/* Copy s[0..n) plus a NUL. */
char *dd_arena_strndup(struct dd_arena *a, const char *s, size_t n, struct wn_err *err);

/* Growable array of fixed-size items (checked growth). */
int dd_grow(void **p, size_t *cap, size_t need, size_t size, struct wn_err *err);

/* Stable merge sort of n indices with a comparison that takes a context (C11 qsort has
 * none, and the project keeps no global state); tmp holds n items. */
typedef int (*dd_cmp_u32)(void *ctx, uint32_t a, uint32_t b);
void dd_sort_u32(uint32_t *v, size_t n, uint32_t *tmp, dd_cmp_u32 cmp, void *ctx);

/* ---------------------------------------------------------------- records */

#define DD_MAX_AUTHORS 12
#define DD_MAX_ISSN 4
#define DD_MAX_ISBN 2

struct dd_author {
	const char *sur;          /* folded surname, words separated by spaces */
	uint8_t sur_len;
	char ini[WN_INITIALS_MAX + 1];
};

enum {
	DD_K_CONFERENCE = 1 << 0, /* conference abstract/paper by its type or pubtype */
	DD_K_BOOK = 1 << 1,
	DD_K_CHAPTER = 1 << 2,
	DD_K_ERRATUM = 1 << 3,    /* from the type/pubtypes (titles give WN_TITLE_ERRATUM) */
	DD_K_NOTICE = 1 << 4,     /* retraction notice, expression of concern */
	DD_K_COCHRANE = 1 << 5,   /* a Cochrane review */
	DD_K_CONF_VENUE = 1 << 6  /* the journal is named as a conference, congress ... */
};

/* Fields a kept record takes from its duplicates when it lacks them (output.c); bit i
 * of dd_rec.fields is set when the record has dd_fill_fields[i]. */
extern const char *const dd_fill_fields[];
#define DD_NFILL 22

enum {
	DD_R_UNKNOWN_KEYS = 1 << 0, /* a field not in docs/record-format.md */
	DD_R_HAS_DUPS = 1 << 1,     /* already carries "duplicates" (an earlier run) */
	DD_R_LONG_ID = 1 << 2       /* doi/pmid too long to keep raw: merge by parsing */
};

struct dd_rec {
	uint64_t line_hash;       /* XXH64 of the raw line */
	uint64_t id_hash;         /* XXH64 of the id (0 without id) */
	const char *id;           /* NULL when the record has none */
	const char *source;       /* NULL when none */
	const char *source_id;
	const char *title;        /* folded title, "" when none */
	const char *journal;      /* wn_journal_fold of journal, "" when none */
	const char *jabbrev;      /* wn_journal_fold of journal_abbrev, "" when none */
	const char *dois;         /* normalised DOIs, each followed by '\n'; "" when none */
	const char *doi_raw;      /* the "doi" field as written, or NULL */
	const char *pmid_raw;     /* the "pmid" field as written, or NULL */
	const struct dd_author *authors;
	const char *group;        /* first group author, folded, or NULL */
	uint64_t title_sig;
	uint64_t pmid, pmcid;
	uint64_t isbn[DD_MAX_ISBN];
	uint32_t issn[DD_MAX_ISSN];
	uint64_t numsig;          /* the numbers of the title (wn_title_info.numsig) */
	uint64_t apart;           /* XXH64 of the --keep-apart field's value; 0 when none */
	uint32_t volume, issue;
	uint32_t cochrane;        /* review number, 0 if not a Cochrane review */
	uint32_t batch, off, len; /* where the raw line is */
	uint32_t lineno, file;    /* for messages */
	uint32_t rank;            /* canonical (input-order independent) position */
	struct wn_pages pages;
	uint16_t title_len, journal_len, jabbrev_len, dois_len;
	uint16_t main_len;        /* letters of the title before a subtitle (":", "?") */
	uint16_t nauthors;        /* person authors in the record */
	uint16_t twords;          /* WN_TW_* */
	int16_t year;             /* 0 when unknown */
	uint8_t nstored;          /* authors stored (<= DD_MAX_AUTHORS) */
	uint8_t ngroups;          /* group authors in the record */
	uint8_t tflags;           /* WN_TITLE_* */
	uint8_t kind;             /* DD_K_* */
	uint8_t nissn, nisbn, ndois;
	uint8_t part, phase;      /* "part 2", "phase III" (capped at 255), 0 when none */
	uint8_t cochrane_version; /* 0 when unknown */
	uint8_t vol_supp;
	uint8_t completeness;
	uint8_t prefer;           /* position in --prefer (nprefer when not listed) */
	uint8_t rflags;           /* DD_R_* */
	uint32_t fields;          /* which dd_fill_fields the record has */
};

/* ---------------------------------------------------------------- blocking keys */

struct dd_key {
	uint64_t key;
	uint32_t rec;   /* batch-local index while reading, global after */
	uint32_t info;  /* DD_KEY_GATE: dd_author_gate of the record; the kind (DD_KEY_*)
			 * in bits 27-30; DD_KEY_SECOND */
};

#define DD_KEY_GATE 0x07FFFFFFu
#define DD_KEY_KIND(k) ((int)(((k)->info >> 27) & 15u))
/* A key with a year emitted for year + 1 (a record also meets those of the next year).
 * Two such keys in one block are the pair their own year's block has already made. */
#define DD_KEY_SECOND 0x80000000u

enum {
	DD_KEY_ID = 1, DD_KEY_DOI, DD_KEY_PMID, DD_KEY_PMCID, DD_KEY_TITLE, DD_KEY_TITLE_PRE,
	DD_KEY_TITLE_SUF, DD_KEY_AUTHOR_PAGE, DD_KEY_JOURNAL_PAGE, DD_KEY_ISSN_PAGE,
	DD_KEY_YEAR_PAGE, DD_KEY_AUTHOR_WORD, DD_KEY_ISBN, DD_KEY_AUTHOR_WORD2
};

/* ---------------------------------------------------------------- features */

/* A member's value as features.c reads it: made from a json-c value, or read straight
 * from the line by flat.c when it is of a plain kind (see flat.c). Strings are
 * NUL-terminated, their bytes as json-c would give them. */
enum {
	DD_V_NONE,      /* no such member */
	DD_V_NULL,      /* null */
	DD_V_STR,       /* s, n bytes */
	DD_V_INT,       /* i */
	DD_V_ARRAY,     /* items, n of them */
	DD_V_OTHER,     /* anything else (true, 1.5, an object): present, never read */
	DD_V_JSON       /* flat.c: item n of the array json-c parses (dd_flat.text) */
};
struct dd_item {
	const char *s;  /* NULL: an item that is no string */
	size_t len;
};
struct dd_value {
	uint8_t type;
	size_t n;
	const char *s;
	int64_t i;
	const struct dd_item *items;
};

/* flat.c: a record line read one level deep, without json-c building the object (see
 * flat.c). Member i is field[i] (a dd_field_index, or DD_FLAT_OTHER for a name this
 * stage does not know) with value val[i]; the values that are not plain are given to
 * json-c as the array in text, njson of them. */
#define DD_FLAT_MAX 64
#define DD_FLAT_OTHER 255
#define DD_FLAT_UNKNOWN 1u    /* flags: a member of a name not known here */
struct dd_flat {
	uint8_t field[DD_FLAT_MAX];
	struct dd_value val[DD_FLAT_MAX];
	size_t key_at[DD_FLAT_MAX], key_len[DD_FLAT_MAX]; /* the member's name in the line */
	size_t val_at[DD_FLAT_MAX], val_len[DD_FLAT_MAX]; /* its value's text in the line */
	size_t n, njson;
	unsigned flags;
	struct wn_buf text;       /* "[v1,...]": the values for json-c ("[]" when none) */
	struct wn_buf strs;       /* the plain strings read from the line, each NUL-ended */
	struct dd_item *items;    /* the items of plain arrays */
	size_t nitems, itemcap;
};

void dd_flat_init(struct dd_flat *f);
void dd_flat_release(struct dd_flat *f);

/* 1 when v, read by flat.c as the value of field `field` (not DD_V_JSON), is what json-c
 * reads as o: the check of test_flat.c and fuzz_dedup.c. */
int dd_value_is_json(const struct dd_value *v, int field, json_object *o);

struct dd_journal_memo;

/* Scratch space of one worker thread. */
struct dd_scratch {
	struct wn_buf a, b, c;
	struct wn_buf skim;       /* the line with its abstract skimmed (dd_skim_line) */
	struct wn_buf apart;      /* a --keep-apart value parsed alone (dd_apart_flat) */
	struct dd_flat flat;      /* the line read by dd_flatten_line */
	struct dd_item *items;    /* the items of a record object's arrays (features.c) */
	size_t nitems, itemcap;
	struct dd_author authors[DD_MAX_AUTHORS];
	struct dd_journal_memo *jmemo; /* journal names seen (features.c); NULL: none yet */
	/* publication type names seen, and their DD_K_* kind (features.c, type_item);
	 * type_len is the name's length + 1, 0 for an empty slot */
#define DD_TYPE_MEMO 8
#define DD_TYPE_MEMO_LEN 47
	char type_name[DD_TYPE_MEMO][DD_TYPE_MEMO_LEN];
	uint8_t type_len[DD_TYPE_MEMO], type_kind[DD_TYPE_MEMO];
	unsigned type_next;
};

void dd_scratch_init(struct dd_scratch *s);
void dd_scratch_release(struct dd_scratch *s);

struct dd_prefs {
	const char *const *prefer;
	size_t nprefer;
	/* --keep-apart: the field (apart_top[0] == 0: none), and the member of it when the
	 * field is an object ("extra.search_set": "extra", "search_set"), else NULL */
	char apart_top[64];
	const char *apart_sub;
};

/* Fill r from the record object (strings go to the arena) and append its blocking keys
 * (with rec = index) to *keys. -1 on allocation failure. */
int dd_features(json_object *obj, struct dd_rec *r, uint32_t index, const struct dd_prefs *p,
		struct dd_scratch *s, struct dd_arena *a, struct dd_key **keys, size_t *nkeys,
		size_t *keycap, struct wn_err *err);

/* The first author's letters - surname and first initial - and the second author's
 * surname letter, as bits (a..z, 26: any other), 0 without an author: the pairing gate of
 * the loose keys (block.c). */
uint32_t dd_author_gate(const struct dd_rec *r);

/* 1 if the record has a usable title or identifier (else it is never merged on content). */
int dd_has_substance(const struct dd_rec *r);

/* The index of a member name among the record fields this stage knows (sorted names of
 * docs/record-format.md), -1 for any other name. */
int dd_field_index(const char *key, size_t n);
/* 1 when features.c reads the value of that field (not only whether it is there). */
int dd_field_is_read(int k);
#define DD_FIELD_ABSTRACT 0   /* dd_field_index("abstract") (a unit test holds it to that) */

/* 1 with f holding the line's members, when the line is an object whose outer layer
 * (braces, keys, separators) is strict JSON of the ordinary kind - valid UTF-8, no
 * escape in a key, no known key twice, at most DD_FLAT_MAX members - so that the line
 * parses exactly when f->text does, to the same values: plain values (a string without
 * escapes, an array of them, a small integer, null, an object of such members) are
 * checked here as strictly as json-c checks them, the others are json-c's. The
 * abstract, read only for its presence, is "x" (or "" when empty). 0 for any other line
 * (read it as an object), -1 when a buffer cannot grow. */
int dd_flatten_line(const char *line, size_t len, struct dd_flat *f, struct wn_err *err);

/* As dd_features, from a line dd_flatten_line read: arr is json-c's reading of f->text
 * (NULL when f->njson is 0). r->apart is left 0: dd_apart_flat. */
int dd_features_flat(json_object *arr, const struct dd_flat *f, struct dd_rec *r,
		     uint32_t index, const struct dd_prefs *p, struct dd_scratch *s,
		     struct dd_arena *a, struct dd_key **keys, size_t *nkeys, size_t *keycap,
		     struct wn_err *err);

/* --keep-apart on a line dd_flatten_line read (line, f, arr as for dd_features_flat):
 * the hash of the field's value into *apart, as dd_features sets r->apart. The member's
 * value is json-c's item in arr, or its text in the line parsed alone with tok (copied to
 * buf first). -1 when memory runs out. */
int dd_apart_flat(const char *line, const struct dd_flat *f, json_object *arr,
		  const struct dd_prefs *p, json_tokener *tok, struct wn_buf *buf, uint64_t *apart,
		  struct wn_err *err);

/* From s[i] (just after an opening quote), the index of the closing quote, or
 * (size_t)-1 when the content is no valid JSON string text or has no end; \u0000 counts
 * as invalid here (the stream reader refuses it). skim.c */
size_t dd_json_string_end(const unsigned char *s, size_t n, size_t i);
/* The same, and *escapes set to 1 when the content holds an escape (else left alone). */
size_t dd_json_string_end_esc(const unsigned char *s, size_t n, size_t i, int *escapes);

/* skim.c: a copy of a line (valid UTF-8) whose top-level "abstract" string - checked
 * to be valid JSON string text - is cut to one letter, for json-c to parse instead: it
 * parses exactly when the line does (the abstract is read only for its presence). 1
 * with *out and *outlen the copy (in buf), 0 with them the line itself (nothing to skim, or
 * anything unusual), -1 when buf cannot grow. On 1, *abs_off and *abs_len (either may
 * be NULL) are where the cut text was in the line: line[*abs_off - 1] and
 * line[*abs_off + *abs_len] are its quotes. */
int dd_skim_line(const char *line, size_t len, struct wn_buf *buf, const char **out,
		 size_t *outlen, size_t *abs_off, size_t *abs_len, struct wn_err *err);

/* ---------------------------------------------------------------- comparison */

enum dd_verdict { DD_NONE = 0, DD_MAYBE = 1, DD_DUP = 2 };

/* Rules, in order of strength (lower = stronger); the names are in dd_rule_name. */
enum dd_rule {
	DD_R_MANUAL = 0, DD_R_SAME_ID, DD_R_PMID, DD_R_PMCID, DD_R_DOI, DD_R_PAGES,
	DD_R_TITLE, DD_R_NRULES
};

/* Why a pair was only a maybe (or refused). */
enum dd_reason {
	DD_WHY_NONE = 0, DD_WHY_SIMILAR, DD_WHY_DOI_CONFLICT, DD_WHY_YEAR, DD_WHY_PAGES,
	DD_WHY_VOLUME, DD_WHY_CONFERENCE, DD_WHY_COMPANION, DD_WHY_NUMBERS, DD_WHY_COCHRANE,
	DD_WHY_GENERIC, DD_WHY_CLUSTER, DD_WHY_DOI_TITLE,
	/* why a pair is no pair at all (--explain) */
	DD_WHY_IDS, DD_WHY_KIND, DD_WHY_BOOK_CHAPTER, DD_WHY_OTHER_REVIEW, DD_WHY_NO_TITLE,
	DD_WHY_TITLE_DIFFERS, DD_WHY_NO_AGREEMENT, DD_WHY_NOT_ENOUGH, DD_WHY_KEPT_APART,
	DD_WHY_NREASONS
};

const char *dd_rule_name(int rule);
const char *dd_reason_name(int why);

struct dd_evidence {
	float title;      /* similarity, -1 unknown */
	float authors;    /* share of matched authors, -1 unknown */
	float score;      /* combined evidence in [0, 1] */
	int8_t first_author, journal, volume, issue, pages, pages_end, doi, pmid, pmcid;
	int8_t title_exact, title_contained;
	int16_t year_diff; /* -1 unknown */
};

/* Compare two records. Symmetric. Fills ev; returns the verdict and sets *rule (DUP) or
 * *why (MAYBE, and NONE: what ruled it out). With `full` every piece of evidence is
 * computed even after the answer is known (for --explain); otherwise the comparison
 * stops as soon as it can. */
enum dd_verdict dd_compare(const struct dd_rec *a, const struct dd_rec *b,
			   struct dd_evidence *ev, int *rule, int *why, int full);

/* ---------------------------------------------------------------- the engine */

struct dd_bad {
	uint32_t lineno;
	const char *reason;  /* static */
	const char *msg;     /* in the batch arena */
};

struct dd_batch {
	uint32_t seq;
	uint32_t file;
	char *raw;                 /* the lines, back to back (NULL once spilled); or, when
				    * mapped, the batch's stretch of the mapped input file */
	int mapped;                /* raw points into a file map (not owned, never spilled) */
	size_t raw_len, raw_cap;
	uint32_t *off, *len, *lineno;
	size_t nlines, linecap;
	uint8_t *flags;            /* per line: 1 = over-long (message in toolong) */
	char **toolong;
	/* results */
	struct dd_rec *recs;
	size_t nrecs;
	struct dd_key *keys;
	size_t nkeys, keycap;
	struct dd_bad *bad;
	size_t nbad, badcap;
	struct dd_arena arena;
	int done, failed;
	struct wn_err err;
	uint32_t base;             /* global index of recs[0] */
	int spilled;
	uint64_t spill_off;
};

struct dd_edge {
	uint32_t a, b;      /* global record indices, a has the lower rank */
	uint8_t verdict, rule, why, pad;
	float score;
	struct dd_evidence ev;
};

struct dd_decision {
	char *ida, *idb;    /* the ids as written in the decisions file */
	int same;           /* 1 same, 0 different */
	uint32_t a, b;      /* records (the first by rank of each id), once resolved */
	int resolved;
};

struct wn_dedup {
	struct wn_dedup_opts opts;
	struct dd_prefs prefs;
	unsigned threads;
	char **files;
	size_t nfiles, filecap;
	struct dd_batch **batches;
	size_t nbatches, batchcap;
	/* input files mapped in memory (plain regular files: no copy, no spill) */
	struct dd_map { const char *p; size_t n; } *maps; /* per file; p NULL: not mapped */
	size_t mapcap;
	/* raw lines past the memory budget */
	FILE *spill;
	uint64_t spill_len;
	size_t mem_raw;
	/* all records */
	struct dd_rec **recs;
	size_t nrecs, reccap;
	struct dd_key *keys;
	size_t nkeys, keycap;
	/* results */
	struct dd_edge *edges;     /* dup and maybe pairs found by comparison */
	size_t nedges;
	struct dd_edge *maybe;     /* the maybe pairs that remain after clustering */
	size_t nmaybe;
	struct dd_decision *decisions;
	size_t ndecisions, deccap;
	uint32_t *kept;            /* per record: the record kept for its cluster */
	uint32_t *next_member;     /* per record: the next member of its cluster in keep
				    * order (UINT32_MAX at the end); starts at the kept one */
	const struct dd_edge **via;/* per removed record: the edge that explains its removal */
	struct dd_edge *manual;    /* edges made from "same" decisions */
	size_t nmanual, manualcap;
	int ran;
	struct wn_dedup_stats stats;
};

/* reader.c */
void dd_batches_free(struct wn_dedup *d);
int dd_read_file(struct wn_dedup *d, const char *path, struct wn_err *err);
/* Give back the pages of the mapped input that hold batches [from, upto) (they are read
 * again from the page cache if needed): the resident size stays small on a big file. */
void dd_maps_release(struct wn_dedup *d, size_t from, size_t upto);
/* Flush the temporary file of spilled lines (once, before lines are read back). */
int dd_spill_flush(struct wn_dedup *d, struct wn_err *err);
/* The raw line of record r (into buf when it has to be read back). Thread-safe after
 * dd_spill_flush. */
int dd_raw_line(struct wn_dedup *d, const struct dd_rec *r, struct wn_buf *buf,
		const char **line, size_t *len, struct wn_err *err);
/* The raw lines of a whole batch (for the sequential output pass). */
int dd_batch_raw(struct wn_dedup *d, struct dd_batch *b, struct wn_buf *buf,
		 const char **raw, struct wn_err *err);

/* The first 8 bytes of a title (or its last 8, last first, with from_end) as one
 * big-endian number, 0-padded: two titles whose numbers differ compare as the numbers
 * do under strcmp (from_end: strcmp of the strings read backwards), so a sort looks at
 * the titles themselves only on a tie. block.c */
uint64_t dd_title_prefix(const char *title, size_t n, int from_end);

/* block.c: candidate pairs (a < b by rank) from the keys; sorted, unique. */
int dd_candidate_pairs(struct wn_dedup *d, uint64_t **pairs, size_t *npairs, struct wn_err *err);

/* parallel.c: run fn(ctx, begin, end) over [0, n) in chunks on the worker threads. */
typedef int (*dd_range_fn)(void *ctx, size_t chunk, size_t begin, size_t end, struct wn_err *err);
int dd_parallel(unsigned threads, size_t n, size_t chunk, dd_range_fn fn, void *ctx,
		struct wn_err *err);
/* Switch the calling thread to the "C" locale object for a parsing stage and back: see
 * parallel.c. dd_locale_enter returns the locale to give back to dd_locale_leave. */
locale_t dd_locale_enter(void);
void dd_locale_leave(locale_t old);

/* cluster.c */
int dd_cluster(struct wn_dedup *d, struct wn_err *err);

/* output.c */
int dd_write_unique(struct wn_dedup *d, FILE *out, struct wn_err *err);
int dd_write_report(struct wn_dedup *d, FILE *out, struct wn_err *err);
/* pairfile.c */
int dd_write_maybe(struct wn_dedup *d, FILE *out, struct wn_err *err);
int dd_load_decisions(struct wn_dedup *d, const char *path, struct wn_err *err);
int dd_resolve_decisions(struct wn_dedup *d, struct wn_err *err);

/* jsoncheck.c: json-c drops a member or an element without a word when an allocation
 * fails during a parse. The values counted in the text must match the parsed tree:
 * *obj (the parse of line) is checked, replaced by a second parse if that one is
 * complete, and -1 (WN_ENOMEM) is returned when the loss cannot be ruled out. */
int dd_json_parse_checked(json_tokener *tok, const char *line, size_t len, json_object **obj,
			  struct wn_err *err);

/* Seconds since an arbitrary point (CLOCK_MONOTONIC), for the stage timings. */
double dd_now(void);
/* CPU seconds of the process, all threads (CLOCK_PROCESS_CPUTIME_ID). */
double dd_cpu(void);

/* Compare records by the canonical order: (id, content hash). */
int dd_rec_order(const struct dd_rec *a, const struct dd_rec *b);

/* Evidence as a JSON object (for the maybe file). New reference or NULL. */
json_object *dd_evidence_json(const struct dd_rec *a, const struct dd_rec *b,
			      const struct dd_evidence *ev);

#endif
