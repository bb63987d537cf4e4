/*
 * import.h - turning export files into records: the format interface and the import
 * session that all format parsers share.
 *
 * A format (struct wn_format) knows how to recognise its files from their first bytes
 * (detect: a score 0-100) and how to parse a whole input into records. A parser never
 * writes output itself: it builds each record with the session's wn_recb and hands it
 * to wn_import_emit, which applies the --source override, sets origin, assigns the
 * stable id, puts fields in canonical order and passes the record on (to stdout, to
 * dedup, to a test). A record the parser cannot use is reported with wn_import_skip
 * (file, record number, line, reason) and counted; under --strict that is an error.
 *
 * Diagnostics go through a callback (the library never prints); the tool prints them.
 * Counts per source, per reason and per file accumulate in the session for the ledger.
 */
#ifndef WINNOW_IMPORT_H
#define WINNOW_IMPORT_H

#include <stddef.h>
#include <json-c/json.h>
#include "winnow/err.h"
#include "winnow/input.h"
#include "winnow/record.h"

enum wn_diag_level { WN_DIAG_NOTE, WN_DIAG_WARNING, WN_DIAG_ERROR };

/* Called for each diagnostic. `file` is the input's display name; `record` the 1-based
 * record number in the file (0 when not about a record); `line` the 1-based line (0 when
 * unknown). msg is one line, not yet sanitised. */
typedef void (*wn_diag_fn)(void *data, enum wn_diag_level level, const char *file,
			   unsigned long record, unsigned long line, const char *msg);
/* Receives each finished record; takes ownership of rec. Non-zero return stops the
 * import (set err). */
typedef int (*wn_emit_fn)(void *data, json_object *rec, struct wn_err *err);

struct wn_import;

struct wn_import_opts {
	const char *source;       /* --source: overrides what the export says */
	const char *source_kind;  /* database (default), register, website, organisation,
				     citation, other: for PRISMA's branches */
	int strict;               /* any skipped record is an error (exit 3) */
	size_t max_line;          /* line cap for text formats; 0 = default */
	wn_emit_fn emit;
	void *emit_data;
	wn_diag_fn diag;
	void *diag_data;
	/* Format options, NULL when not given (added last: zero-initialised options keep
	 * working). csv_map: `--map field=Column,...` for delimited files (csv.h). */
	const char *csv_map;
};

struct wn_import *wn_import_new(const struct wn_import_opts *opts, struct wn_err *err);
void wn_import_free(struct wn_import *imp);

/* ---- for the tool ---- */

/* Import one file with the given format (NULL: detect). Fills per-file statistics.
 * Returns 0, or -1 (I/O error, unknown format, strict violation, emit failure). */
struct wn_format;
int wn_import_file(struct wn_import *imp, const char *path, const struct wn_format *fmt,
		   struct wn_err *err);
/* The same for an input the caller opened (e.g. wn_input_from_memory for a response
 * downloaded by winnow-fetch pubmed); its display name becomes origin.file. The input
 * stays open (the caller closes it). */
int wn_import_input(struct wn_import *imp, struct wn_input *in, const struct wn_format *fmt,
		    struct wn_err *err);
/* Optional: called with each record a parser emits, before it is finished (no id or
 * origin yet) and counted. Returning NULL keeps it; returning a short stable reason
 * ("PMID already delivered") drops it: it uses up its record number and is counted in
 * the summary under "dropped": {reason: n} (absent when nothing was dropped), with a
 * note. Not a skip: the input was fine, so --strict does not apply. */
typedef const char *(*wn_import_filter_fn)(void *data, json_object *rec);
void wn_import_set_filter(struct wn_import *imp, wn_import_filter_fn fn, void *data);
/* Totals for the ledger: {"records": n, "skipped": n, "skip_reasons": {...},
 * "sources": {"PubMed": {"kind": "database", "records": n}}, "files": [...]}.
 * Borrowed; valid until wn_import_free. */
json_object *wn_import_summary(struct wn_import *imp);
unsigned long wn_import_records(const struct wn_import *imp);
unsigned long wn_import_skipped(const struct wn_import *imp);

/* ---- for parsers ---- */

/* The record builder for the current record. */
struct wn_recb *wn_import_recb(struct wn_import *imp);
/* Name of the file being imported (for messages). */
const char *wn_import_filename(const struct wn_import *imp);
/* Number the next record will get in this file (1-based). */
unsigned long wn_import_next_index(const struct wn_import *imp);
/* Finish the record in the builder and pass it on. `line` is where it started (0 if
 * unknown). Returns 0 or -1 (emit failed / allocation). */
int wn_import_emit(struct wn_import *imp, unsigned long line, struct wn_err *err);
/* Emit a record built elsewhere (takes ownership; used by parallel parsers). */
int wn_import_emit_record(struct wn_import *imp, json_object *rec, unsigned long line,
			  struct wn_err *err);
/* A record could not be used: report and count it under `reason` (a short stable
 * phrase, e.g. "malformed XML", "no title or identifier"), with details in fmt. Uses up a
 * record number. Returns 0 to carry on, or -1 under --strict (err set). */
int wn_import_skip(struct wn_import *imp, unsigned long line, const char *reason,
		   struct wn_err *err, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* A diagnostic that does not skip a record (e.g. a repaired encoding, DeleteCitation). */
void wn_import_diag(struct wn_import *imp, enum wn_diag_level level, unsigned long record,
		    unsigned long line, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Add a note to this file's ledger entry (e.g. "deleted_pmids": [...]). Borrowed object
 * for the current file; NULL on allocation failure. */
json_object *wn_import_file_info(struct wn_import *imp);
int wn_import_strict(const struct wn_import *imp);
/* The options the session was created with (borrowed), for format options. */
const struct wn_import_opts *wn_import_options(const struct wn_import *imp);
size_t wn_import_max_line(const struct wn_import *imp);

/* ---- formats ---- */

struct wn_format {
	const char *name;         /* "ris", "medline", "pubmed-xml", ... (for --format) */
	const char *description;  /* "RIS (Reference Manager / EndNote / Zotero ...)" */
	const char *default_source; /* source when the export does not name one, or NULL */
	/* Score 0 (not this) .. 100 (certainly this) from the first bytes (raw, after gzip;
	 * may start with a BOM). */
	int (*detect)(const unsigned char *head, size_t n);
	/* Parse the whole input. The input is positioned at the start, in byte mode; text
	 * parsers call wn_input_text_mode(in, 1, err) first.
	 * Damaged input is not a failure: report each unusable record with wn_import_skip
	 * and go on; when the rest of the file cannot be read (truncated gzip, XML that
	 * libxml2 cannot recover from), skip "the rest of the file" with a reason and return
	 * 0. Return -1 only when the run must stop: out of memory, the output failed
	 * (wn_import_emit returned -1), or wn_import_skip returned -1 (--strict). */
	int (*parse)(struct wn_import *imp, struct wn_input *in, struct wn_err *err);
	/* Count records quickly without building them (for --detect); NULL = parse and count. */
	long (*count)(struct wn_input *in, struct wn_err *err);
};

/* All registered formats, NULL-terminated, in detection priority order. */
const struct wn_format *const *wn_formats(void);
const struct wn_format *wn_format_by_name(const char *name);
/* Set err to the standard "not a format winnow can read (tried: ...)" message for the
 * file `name`; returns -1. */
int wn_format_unknown(struct wn_err *err, const char *name);
/* Best format for these bytes; NULL when none scores above 0. *score may be NULL. */
const struct wn_format *wn_format_detect(const unsigned char *head, size_t n, int *score);

#endif
