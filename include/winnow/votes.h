/*
 * votes.h - what the decision logs say about each record: the votes of every reviewer,
 * the resolutions, and the resulting screening state (include, exclude, conflict, ...).
 *
 * Logs are event streams (declog.h); this module folds them. Each log is a *column*
 * (a reviewer's review log, or a resolution log); each record id seen is a *row*
 * (idmap.h). Per row and column it keeps every decision ever made, newest first, so an
 * undo can retract any one of them and the standing decision is the newest one not
 * retracted.
 *
 * Two views of the votes are kept side by side:
 *   final - every event: what export and resolve use;
 *   pre   - only events at or before the record's first resolution: what agreement
 *           statistics use ("only independent votes cast before any resolution count",
 *           as Covidence computes IRR). Without resolutions the two are the same.
 *
 * The state rule (docs/decision-log.md, as in Covidence): a resolution, when present,
 * decides. Otherwise every review column must have voted (else "undecided"); all
 * include-or-maybe -> include; all exclude -> exclude (full text: only when the reasons
 * agree, else a conflict of reasons); all not-retrieved -> not retrieved; anything else
 * -> conflict.
 */
#ifndef WINNOW_VOTES_H
#define WINNOW_VOTES_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "winnow/declog.h"
#include "winnow/err.h"
#include "winnow/idmap.h"

enum wn_state {
	WN_ST_UNDECIDED = 0,  /* not every reviewer has voted (or nobody has) */
	WN_ST_INCLUDE,
	WN_ST_EXCLUDE,
	WN_ST_CONFLICT,
	WN_ST_NOT_RETRIEVED   /* full text: the report could not be obtained */
};
#define WN_ST_COUNT 5

/* "undecided", "include", "exclude", "conflict", "not-retrieved". */
const char *wn_state_name(enum wn_state s);

enum wn_conflict { WN_CONFLICT_NONE = 0, WN_CONFLICT_VOTES, WN_CONFLICT_REASONS };

struct wn_record_state {
	enum wn_state state;
	enum wn_conflict conflict; /* why it is a conflict */
	int resolved;              /* decided by a resolution */
	int maybe;                 /* include with at least one maybe vote */
	int votes;                 /* review columns that voted */
	int reviewers;             /* review columns in all */
	const char *reason;        /* exclude: the agreed or resolved reason, NULL if none */
};

/* A standing decision of one column for one record. */
struct wn_vote {
	enum wn_action decision;   /* WN_ACT_NONE when the column has not decided */
	const char *reason;        /* borrowed; NULL when none */
	time_t time;
	uint64_t seq;
};

struct wn_votes_column {
	char *path;                /* the log, for messages (may be NULL) */
	struct wn_declog_header header;
	unsigned long decisions, undos, notes, labels; /* events applied */
};

struct wn_votes;

/* Called for a log whose torn last line was skipped (the tool warns). */
typedef void (*wn_votes_torn_fn)(const char *path, const struct wn_declog_scan *scan, void *data);

/* New, empty; stage NONE takes the stage of the first column added. NULL on ENOMEM. */
struct wn_votes *wn_votes_new(enum wn_stage stage, struct wn_err *err);
void wn_votes_free(struct wn_votes *v);

/* Add a column for a log with header h (path is copied, may be NULL). Columns must all be
 * added before the first event. Errors (WN_EUSAGE): another stage; a second review log of
 * the same reviewer. Returns the column index or -1. */
int wn_votes_add_column(struct wn_votes *v, const struct wn_declog_header *h, const char *path,
			struct wn_err *err);

/* Read the logs at paths[0..n) (headers first, then resolution logs, then review logs,
 * so that each vote can be compared with its record's first resolution). Columns are in
 * the order given. A damaged log is an error (WN_ECORRUPT); torn tails go to torn_fn. */
int wn_votes_load(struct wn_votes *v, const char *const *paths, size_t n,
		  wn_votes_torn_fn torn_fn, void *torn_data, struct wn_err *err);

/* Apply one event of column col (in log order). An undo that names no standing decision
 * of that record is WN_ECORRUPT (naming the log line). */
int wn_votes_apply(struct wn_votes *v, int col, const struct wn_declog_entry *e,
		   struct wn_err *err);

enum wn_stage wn_votes_stage(const struct wn_votes *v);
size_t wn_votes_columns(const struct wn_votes *v);
const struct wn_votes_column *wn_votes_column(const struct wn_votes *v, size_t col);
/* Number of review columns (not resolutions). */
size_t wn_votes_reviewers(const struct wn_votes *v);
/* Records seen in any log (rows). */
size_t wn_votes_records(const struct wn_votes *v);
const char *wn_votes_record_id(const struct wn_votes *v, size_t row);
/* Row of a record id, or -1 when no log mentions it. */
long wn_votes_find(const struct wn_votes *v, const char *id, size_t len);
/* Intern a record id as a row (the review prompt registers records before deciding). */
long wn_votes_intern(struct wn_votes *v, const char *id, size_t len, struct wn_err *err);

/* The standing decision of column col for row (pre = 1: as it stood before the record's
 * first resolution). Returns 1 if there is one, else 0 (out->decision = WN_ACT_NONE). */
int wn_votes_get(const struct wn_votes *v, size_t row, size_t col, int pre, struct wn_vote *out);

/* The newest standing decision of column col over all rows (what "undo" retracts):
 * 1 and *row / *seq set, or 0 when the column has none. */
int wn_votes_last_decision(const struct wn_votes *v, size_t col, size_t *row, uint64_t *seq);

/* Notes of column col on row, oldest first: calls fn for each (stop on non-zero). */
typedef int (*wn_votes_note_fn)(const char *note, time_t t, void *data);
int wn_votes_notes(const struct wn_votes *v, size_t row, size_t col, wn_votes_note_fn fn,
		   void *data);
/* Current labels of column col on row (label events folded: "x" adds, "-x" removes), as
 * "a, b, c" into out (replacing its content). -1 on allocation failure. */
struct wn_buf;
int wn_votes_labels(const struct wn_votes *v, size_t row, size_t col, struct wn_buf *out,
		    struct wn_err *err);

/* The state of a row (final view). */
void wn_votes_state(const struct wn_votes *v, size_t row, struct wn_record_state *st);

/* 1 if two exclusion reasons are the same (case, spacing and ASCII punctuation at the
 * ends ignored). NULL equals only NULL. */
int wn_reason_eq(const char *a, const char *b);

#endif
