/*
 * ledger.h - one JSON line per tool run, from which winnow-prisma computes the PRISMA
 * flow (docs/ledger.md).
 *
 * A run builds its entry in memory (wn_ledger_begin ... wn_ledger_commit). The common
 * envelope - format version, run id, stage, tool, version, arguments, start and finish
 * time, status - is filled here; each stage adds its own keys to the object returned by
 * wn_ledger_entry (counts per source, exclusions per reason, ...), as docs/ledger.md
 * specifies per stage.
 *
 * Appending is safe against a concurrent writer and a crash: the whole line is formatted
 * first, the file is opened O_APPEND, flock'd, written with one write loop, fdatasync'd.
 * A torn last line (power cut) is ignored with a warning by the reader, never merged.
 *
 * Without a path (no --ledger, no WINNOW_LEDGER) the entry is built but not written.
 */
#ifndef WINNOW_LEDGER_H
#define WINNOW_LEDGER_H

#include <stdint.h>
#include <json-c/json.h>
#include "winnow/err.h"

#define WN_LEDGER_FORMAT 1

struct wn_ledger {
	json_object *entry; /* the entry being built */
	char *path;         /* NULL: do not write */
};

/* Start an entry. path may be NULL. argv is recorded as given (argv[0] replaced by the
 * tool name). -1 on allocation failure. */
int wn_ledger_begin(struct wn_ledger *l, const char *path, const char *stage,
		    const char *tool, int argc, char **argv, struct wn_err *err);
/* The entry object, to add stage-specific keys to (borrowed). */
json_object *wn_ledger_entry(struct wn_ledger *l);
/* Convenience setters on the entry (or on a sub-object when obj is non-NULL). */
int wn_ledger_set_int(json_object *obj, const char *key, int64_t v, struct wn_err *err);
int wn_ledger_set_str(json_object *obj, const char *key, const char *v, struct wn_err *err);
/* Add n to obj[key] (creating it as 0): for per-source and per-reason counts. */
int wn_ledger_add_count(json_object *obj, const char *key, int64_t n, struct wn_err *err);
/* Get or create a sub-object / array under key. NULL on allocation failure. */
json_object *wn_ledger_object(json_object *obj, const char *key, struct wn_err *err);
json_object *wn_ledger_array(json_object *obj, const char *key, struct wn_err *err);
/* Finish: set "status" ("ok", "failed", "partial") and "finished", and append the line
 * (when a path was given). The entry is released either way. */
int wn_ledger_commit(struct wn_ledger *l, const char *status, struct wn_err *err);
/* Drop the entry without writing. */
void wn_ledger_release(struct wn_ledger *l);

/* Read a ledger: calls fn for each valid entry in order, with its 1-based line number.
 * A malformed line in the middle is WN_ECORRUPT (naming the line); a torn last line is
 * reported through *torn_last (set to its line number, 0 if none) and skipped.
 * fn returns 0 to go on, non-zero to stop (that value is returned). */
typedef int (*wn_ledger_fn)(json_object *entry, unsigned long lineno, void *data);
int wn_ledger_read(const char *path, wn_ledger_fn fn, void *data, unsigned long *torn_last,
		   struct wn_err *err);

#endif
