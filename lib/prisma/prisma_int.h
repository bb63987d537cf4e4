/*
 * prisma_int.h - what the files of lib/prisma share and nobody else sees: the ledger
 * lines read (runs) and small JSON helpers.
 */
#ifndef WINNOW_PRISMA_INT_H
#define WINNOW_PRISMA_INT_H

#include <stdint.h>
#include <json-c/json.h>
#include "winnow/buf.h"
#include "winnow/declog.h"
#include "winnow/prisma.h"

enum prisma_run_kind {
	RUN_IGNORED,   /* a stage PRISMA does not count (review sessions, resolve, prisma) */
	RUN_FETCH,
	RUN_DEDUP,
	RUN_FILTER,
	RUN_EXPORT     /* winnow-screen export: the counts of a screening stage */
};

struct prisma_run {
	json_object *e;        /* the ledger entry (owned reference) */
	const char *ledger;    /* the ledger's path as given (owned by the runs) */
	unsigned long line;    /* 1-based line in that ledger */
	const char *id, *stage, *tool, *status; /* borrowed from e */
	enum prisma_run_kind kind;
	int dup;               /* this run was already read (overlapping ledgers): ignored */
	int superseded;        /* a later run of the same stage over the same input replaces it */
	int used;              /* counted in the flow */
};

struct prisma_log {
	char *path;                 /* as given */
	struct wn_declog_header h;
	int read;                   /* read by an export that is counted */
};

struct wn_prisma_runs {
	struct prisma_run *r;
	size_t n, cap;
	char **ledgers;
	size_t nledgers;
	struct prisma_log *logs;    /* decision logs given (prisma_log.h) */
	size_t nlogs;
	json_object *ids;           /* run id -> index of its first run (a hash table) */
};

/* JSON accessors that accept missing keys and wrong types (a ledger is input). */
const char *pj_str(json_object *o, const char *key);
/* The string at arr[i], NULL if it is missing or not a string (json_object_get_string
 * would print any other type, an allocation that can fail). */
const char *pj_item_str(json_object *arr, size_t i);
/* o serialised with json-c's flags; NULL with err set when an allocation failed -
 * json-c 0.16 does not always say so itself: a buffer that could not grow leaves a
 * piece out (an empty key) and the rest is returned, so errno is checked as in
 * wn_json_compact. Borrowed: valid until o changes or is freed. */
const char *pj_print(json_object *o, int flags, struct wn_err *err);
/* 1 and *out if o[key] is an integer (or an integral double) >= 0, else 0. */
int pj_count(json_object *o, const char *key, int64_t *out);
json_object *pj_obj(json_object *o, const char *key);
json_object *pj_arr(json_object *o, const char *key);
/* obj[key] = val, taking val; -1 (and val released) if val is NULL (allocation failed)
 * or the add fails. */
int pj_put(json_object *obj, const char *key, json_object *val, struct wn_err *err);
/* Append val to the array arr, taking val; -1 as pj_put. */
int pj_push(json_object *arr, json_object *val, struct wn_err *err);
/* Sum of the integer values of an object of counts (non-integers ignored). */
int64_t pj_sum(json_object *o);
/* obj[key] += n, creating it. -1 on allocation failure. */
int pj_add(json_object *obj, const char *key, int64_t n, struct wn_err *err);
/* Sort an object of counts by count (descending), then name; returns a new object. */
json_object *pj_sorted_counts(json_object *o, struct wn_err *err);

/* "'review.ledger' line 4 (winnow-dedup)" */
int prisma_where(const struct prisma_run *r, struct wn_buf *out, struct wn_err *err);
/* Several runs: "'review.ledger' lines 1, 2, 5 (winnow-fetch)"; idx lists run indexes. */
int prisma_where_runs(const struct wn_prisma *p, const size_t *idx, size_t n,
		      struct wn_buf *out, struct wn_err *err);
/* Copy s into a value's `from`, truncated with "..." if it does not fit. */
void prisma_set_from(struct wn_prisma_value *v, const char *s);

/* Source kinds (docs/ledger.md, fetch): the first two are PRISMA's databases and
 * registers, the others its "other methods". */
enum { K_DATABASE, K_REGISTER, K_WEBSITE, K_ORGANISATION, K_CITATION, K_OTHER, K__N };
extern const char *const prisma_kind_names[K__N];
/* Kind index of a kind name (NULL: database), -1 if unknown. */
int prisma_kind_of(const char *s);

/* The counts of one screening export used (winnow-screen export). */
struct prisma_export {
	int have;
	size_t run;                 /* index of the run */
	int64_t in, inc, exc, con, und, nr;
	int64_t exc_assessed;       /* exclusions of assessed reports (not-retrieved taken out) */
	json_object *reasons;       /* excluded_by_reason, borrowed from the run */
};

/* What flow.c found, for the checks and the details. Borrowed pointers. */
struct prisma_facts {
	json_object *sources;       /* name -> {"kind", "records", "runs": [run index]} */
	struct prisma_export ta, ft, oft; /* title/abstract; full text (databases); other methods */
	size_t ndedup;              /* dedup runs counted */
	int64_t dedup_in_first;     /* records_in of the only dedup run (-1 if not exactly one) */
	size_t dedup_last;          /* run index of the last dedup run counted */
	int64_t dedup_last_out;
	size_t nfilter;             /* filter runs counted */
	int64_t pre_dedup_excluded; /* removed by filter runs before the first dedup run */
	size_t npost_filter;        /* filter runs after the first dedup run */
	size_t filter_first;        /* run index of the first of those */
	int64_t filter_first_in;
	int64_t kind_total[K__N];   /* records identified per kind */
};

/* Decision logs (logs.c). The share (0..1) of the records decided in the logs that
 * export run `run` read which come from other-method sources (by the source slug of
 * their ids); -1 when those logs were not all given. */
int prisma_logs_other_share(struct wn_prisma *p, size_t run, json_object *sources,
			    double *share, struct wn_err *err);
/* Recount the stages used from the logs and check them against the ledger. */
int prisma_logs_check(struct wn_prisma *p, const struct prisma_facts *x, struct wn_err *err);
void prisma_logs_release(struct wn_prisma_runs *rs);
/* --studies: count the studies of the included reports (full-text logs needed). */
int prisma_logs_studies(struct wn_prisma *p, const struct prisma_facts *x, const char *path,
			struct wn_err *err);

/* Computation steps (checks.c, details.c). */
int prisma_checks(struct wn_prisma *p, const struct prisma_facts *x, struct wn_err *err);
int prisma_details(struct wn_prisma *p, const struct prisma_facts *x, struct wn_err *err);

#endif
