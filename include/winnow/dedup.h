/*
 * dedup.h - finding and merging duplicate records (the engine of winnow-dedup).
 *
 * The one rule: never lose a unique study. A missed duplicate costs a reviewer a minute;
 * a false merge silently deletes a study from the review. So a pair is merged only on
 * evidence that makes bibliographic sense, the known traps are vetoed, and every pair
 * that is close but not certain goes to a person (the "maybe" file) instead.
 *
 * Pipeline (each stage in its own file, lib/dedup/):
 *   read      records are parsed and normalised in parallel, in batches (reader.c,
 *             features.c); a long abstract is checked but not built, as only its
 *             presence matters (skim.c); the raw lines are kept (in memory, or spilled
 *             to a temporary file past a memory budget) so unchanged records are written
 *             back byte for byte;
 *   block     every record gets a handful of exact blocking keys, hashed with XXH64 (DOI,
 *             PMID, PMCID, title, title prefix + year, title suffix + year, first author
 *             + start page, journal + volume + start page, ...); records that share a key
 *             are candidate pairs; each pair is compared once however many keys it
 *             shares; an oversized block (generic titles, "Editorial") is compared only
 *             between neighbours in a sorted window, and counted (block.c);
 *   compare   a decision per pair from the evidence - title, author and journal
 *             similarity, year, volume, pages, identifiers - with vetoes for errata,
 *             replies, comments, conference abstracts, "part 1/part 2", Cochrane review
 *             versions, book/chapter DOIs, and different identifiers of one kind
 *             (compare.c);
 *   cluster   union-find over the duplicate pairs in a fixed order (rule, score, record
 *             order), refusing any union that would put two different PMIDs, PMCIDs or
 *             Cochrane versions - or two records a person called different, or two
 *             records of one --keep-apart set - in one cluster; the record kept is chosen by the stated policy: preferred source
 *             (--prefer), then completeness, then the id (cluster.c);
 *   write     unique records in input order; the kept record of a cluster gets the
 *             missing fields of the others and a `duplicates` list (output.c); the
 *             borderline pairs, the report and the statistics for the ledger.
 *
 * Determinism: every parallel step writes into slots fixed by input position and every
 * order that decides something (pair evaluation, unions, the kept record) is defined on
 * record content (ids and content hashes), never on timing or input position, so the
 * output is byte-identical for any number of threads, and shuffling the input changes
 * only the order of the output lines, not which records are merged.
 *
 * Thread safety: one struct wn_dedup is used by one thread at a time (it starts its own
 * workers); two can run in one process.
 */
#ifndef WINNOW_DEDUP_H
#define WINNOW_DEDUP_H

#include <stddef.h>
#include <stdio.h>
#include <json-c/json.h>
#include "winnow/err.h"

struct wn_dedup;

/* Called, in input order, for every input line that is not a record. `reason` is a short
 * fixed phrase for the ledger's skip_reasons ("not valid JSON", "invalid UTF-8", ...),
 * `msg` the full message naming file and line. Return 0 to go on, non-zero to stop the
 * run (--strict): the read then fails with WN_EFORMAT. */
typedef int (*wn_dedup_bad_fn)(void *data, const char *file, unsigned long line,
			       const char *reason, const char *msg);

struct wn_dedup_opts {
	unsigned threads;            /* worker threads; 0 = online CPUs */
	const char *const *prefer;   /* preferred sources, most preferred first (may be NULL) */
	size_t nprefer;
	size_t max_line;             /* longest input line (0 = the reader's default) */
	size_t block_cap;            /* largest block compared all-pairs (0 = 64) */
	size_t window;               /* neighbours compared in an oversized block (0 = 24) */
	size_t memory_budget;        /* raw lines kept in memory before spilling (0 = 256 MiB) */
	/* A field ("search_set", or one level down: "extra.search_set") whose value names a
	 * set of records already deduplicated among themselves - an earlier search that
	 * was screened: two records with the same non-empty value are never merged, not
	 * even through a third record (--keep-apart). NULL: none. At most 63 bytes before
	 * the dot. */
	const char *keep_apart;
	wn_dedup_bad_fn bad_line;
	void *bad_data;
};

struct wn_dedup_stats {
	unsigned long records_in;       /* records read */
	unsigned long records_out;      /* unique records written */
	unsigned long removed;          /* records_in - records_out */
	unsigned long skipped;          /* input lines that were not records */
	unsigned long clusters;         /* clusters of more than one record */
	unsigned long same_id;          /* records removed because their id repeated */
	unsigned long pairs_compared;   /* candidate pairs evaluated */
	unsigned long maybe_pairs;      /* borderline pairs left for a person */
	unsigned long conflicts;        /* duplicate pairs refused by a cluster conflict */
	unsigned long decisions_read;   /* decided pairs in --decisions files */
	unsigned long decisions_applied;/* of those, pairs whose records were both present */
	unsigned long decisions_unmatched; /* decided pairs naming an id not in the input */
	unsigned long blocks_windowed;  /* oversized blocks compared by window */
	unsigned long largest_block;    /* records in the largest block */
	unsigned long no_id;            /* records without an "id" */
	unsigned long bare;             /* records with no title and no identifier */
	/* wall-clock and CPU (all threads) seconds per stage (--timings; never in the
	 * ledger: not reproducible) */
	double secs_read, secs_block, secs_compare, secs_cluster, secs_write;
	double cpu_read, cpu_block, cpu_compare, cpu_cluster, cpu_write;
};

/* New engine. NULL with err on allocation failure or bad options. */
struct wn_dedup *wn_dedup_new(const struct wn_dedup_opts *opts, struct wn_err *err);
void wn_dedup_free(struct wn_dedup *d);

/* Read a record stream ("-" = standard input; gzip is recognised). May be called for
 * several files, before wn_dedup_run. -1 on I/O or allocation failure, or when the bad
 * line callback asked to stop (WN_EFORMAT). */
int wn_dedup_read(struct wn_dedup *d, const char *path, struct wn_err *err);

/* Load a decisions file (the --maybe format with "decision" filled in, or minimal lines
 * {"ids": [a, b], "decision": "same"|"different"}). Before wn_dedup_run. -1 with
 * WN_EFORMAT naming the line for a malformed file. */
int wn_dedup_load_decisions(struct wn_dedup *d, const char *path, struct wn_err *err);

/* Block, compare, cluster, choose the records kept. */
int wn_dedup_run(struct wn_dedup *d, struct wn_err *err);

/* The unique records, in input order. */
int wn_dedup_write(struct wn_dedup *d, FILE *out, struct wn_err *err);
/* Borderline pairs, one JSON object per line (docs/winnow-dedup.1, "MAYBE FILE"). */
int wn_dedup_write_maybe(struct wn_dedup *d, FILE *out, struct wn_err *err);
/* One tab-separated line per removed record: removed id, kept id, rule, score, sources. */
int wn_dedup_write_report(struct wn_dedup *d, FILE *out, struct wn_err *err);

/* Why two records are (not) duplicates: the verdict of the pair decision, its evidence
 * and both records as normalised, as indented JSON (for people; not a stable format).
 * Works after wn_dedup_read, whether or not the pair was a candidate. */
int wn_dedup_explain(struct wn_dedup *d, const char *ida, const char *idb, FILE *out,
		     struct wn_err *err);

const struct wn_dedup_stats *wn_dedup_stats(const struct wn_dedup *d);
/* Per-source counts for the ledger: {source: n} objects of records read and removed
 * (records without a source count as "(none)"); removals by rule. New references. */
json_object *wn_dedup_in_by_source(const struct wn_dedup *d);
json_object *wn_dedup_removed_by_source(const struct wn_dedup *d);
json_object *wn_dedup_removed_by_rule(const struct wn_dedup *d);

/* Number of online CPUs (at least 1). */
unsigned wn_dedup_default_threads(void);

#endif
