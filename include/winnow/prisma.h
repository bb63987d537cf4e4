/*
 * prisma.h - the PRISMA 2020 flow, computed from the ledger and checked.
 *
 * Every number of the PRISMA 2020 flow diagram comes from what the stages wrote to the
 * ledger (docs/ledger.md): records identified per source (winnow-fetch), duplicates
 * removed (winnow-dedup), records removed by automation tools (winnow-screen filter),
 * records screened and excluded, reports sought, not retrieved, assessed, excluded with
 * each reason and included (winnow-screen export, per stage). Nothing is typed in, apart
 * from the counts of a previous version of the review (the updated-review template).
 *
 * Use: wn_prisma_init; wn_prisma_add_ledger for each ledger file; wn_prisma_compute;
 * then read the values (p->v[key]) and the messages, or hand p to a writer
 * (prisma_report.h, prisma_svg.h); wn_prisma_release.
 *
 * What compute guards against, because each would put a wrong number in a published
 * diagram:
 *   - a run given twice (two ledgers that overlap, the same ledger twice): the run id
 *     tells, the run is counted once;
 *   - a stage run twice: the same export file imported again (same size and XXH64
 *     fingerprint, whatever its name), the same PubMed search run again, dedup or the
 *     filter re-run over the same input, an export re-run: counted once, the later run
 *     used, and said so;
 *   - numbers that do not add up: the invariants of PRISMA 2020 (and a few between
 *     stages, e.g. dedup read what fetch wrote). A violation is an error message that
 *     shows both sides and the ledger lines each number came from.
 *
 * Messages (notes, warnings, errors) are collected in p->msgs, in order; the library
 * never prints. p->nerrors counts the errors: a flow with errors must not be published.
 */
#ifndef WINNOW_PRISMA_H
#define WINNOW_PRISMA_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>
#include "winnow/err.h"

/* The data keys of the PRISMA2020 package's CSV template, in template order (the title
 * rows, which have no key, are left out). */
enum wn_prisma_key {
	WN_PK_PREVIOUS_STUDIES,
	WN_PK_PREVIOUS_REPORTS,
	WN_PK_DATABASE_RESULTS,
	WN_PK_DATABASE_SPECIFIC_RESULTS,  /* breakdown: database -> records */
	WN_PK_REGISTER_RESULTS,
	WN_PK_REGISTER_SPECIFIC_RESULTS,  /* breakdown: register -> records */
	WN_PK_WEBSITE_RESULTS,
	WN_PK_ORGANISATION_RESULTS,
	WN_PK_CITATIONS_RESULTS,
	WN_PK_DUPLICATES,
	WN_PK_EXCLUDED_AUTOMATIC,         /* by: reason -> records */
	WN_PK_EXCLUDED_OTHER,             /* by: reason -> records */
	WN_PK_RECORDS_SCREENED,
	WN_PK_RECORDS_EXCLUDED,           /* by reviewers (automation: excluded_automatic) */
	WN_PK_DBR_SOUGHT_REPORTS,
	WN_PK_DBR_NOTRETRIEVED_REPORTS,
	WN_PK_OTHER_SOUGHT_REPORTS,
	WN_PK_OTHER_NOTRETRIEVED_REPORTS,
	WN_PK_DBR_ASSESSED,
	WN_PK_DBR_EXCLUDED,               /* breakdown: reason -> reports */
	WN_PK_OTHER_ASSESSED,
	WN_PK_OTHER_EXCLUDED,             /* breakdown: reason -> reports */
	WN_PK_NEW_STUDIES,
	WN_PK_NEW_REPORTS,
	WN_PK_TOTAL_STUDIES,
	WN_PK_TOTAL_REPORTS,
	WN_PK_IDENTIFICATION,             /* side labels: no count (JSON: phase details) */
	WN_PK_SCREENING,
	WN_PK_INCLUDED,
	WN_PK_TOTAL_STUDIES_MA,           /* meta-analysis: not known to winnow (NA) */
	WN_PK_TOTAL_REPORTS_MA,
	WN_PK__COUNT
};

/* The template's name of a key ("database_results"). */
const char *wn_prisma_key_name(enum wn_prisma_key k);
/* 1 for the keys whose template value is a "Name, n; Name, n" breakdown. */
int wn_prisma_key_is_breakdown(enum wn_prisma_key k);

#define WN_PRISMA_FROM_MAX 384

struct wn_prisma_value {
	int64_t n;
	int known;            /* 0: not applicable or not known (CSV: empty, JSON: null) */
	json_object *by;      /* name -> count (owned), in display order; NULL if none */
	char from[WN_PRISMA_FROM_MAX]; /* where n came from: "review.ledger line 4 (winnow-dedup)" */
};

enum wn_prisma_level { WN_PRISMA_NOTE, WN_PRISMA_WARNING, WN_PRISMA_ERROR };

struct wn_prisma_msg {
	enum wn_prisma_level level;
	char *text;           /* first line: the message; further lines: details (owned) */
};

struct wn_prisma_opts {
	int64_t previous_studies;  /* updated review: studies in the previous version; -1 none */
	int64_t previous_reports;  /* and their reports; -1 none */
	const char *studies;       /* TSV "report id<TAB>study": reports of one study (needs
				    * the full-text logs); NULL: one study per report */
};

struct wn_prisma_runs;    /* the ledger lines read (private to lib/prisma) */

struct wn_prisma {
	struct wn_prisma_value v[WN_PK__COUNT];
	int other_branch;         /* records came from websites, organisations, citations */
	int previous;             /* updated review (previous studies given) */
	int studies_grouped;      /* new studies counted from --studies, not one per report */
	int64_t other_kind_other; /* records from sources of kind "other" (other branch) */
	struct wn_prisma_msg *msgs;
	size_t nmsgs, msgcap;
	size_t nerrors, nwarnings;
	size_t nchecks;           /* invariants checked (both sides known) */
	json_object *details;     /* phase details: "identification", "screening", "included" */
	char first[32], last[32]; /* earliest start and latest finish in the ledgers read */
	struct wn_prisma_runs *runs;
};

void wn_prisma_init(struct wn_prisma *p);
void wn_prisma_release(struct wn_prisma *p);

/* Read one ledger file (all of it) into p. A file that cannot be read or a damaged
 * line is an error returned here (-1, WN_EIO / WN_ECORRUPT); everything else - a torn
 * last line, runs already read from another ledger, an empty ledger - becomes a message.
 * May be called for several ledgers, before wn_prisma_compute. */
int wn_prisma_add_ledger(struct wn_prisma *p, const char *path, struct wn_err *err);

/* Compute every value and check every invariant. Returns -1 only on allocation failure;
 * problems with the data are messages (p->nerrors of them errors). Call once. */
int wn_prisma_compute(struct wn_prisma *p, const struct wn_prisma_opts *opts,
		      struct wn_err *err);

/* Add a message (printf-style). -1 on allocation failure. Used by the readers of
 * decision logs too. */
int wn_prisma_msg(struct wn_prisma *p, enum wn_prisma_level level, struct wn_err *err,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The runs used, as JSON [{"ledger","line","run","stage","tool"}] (new reference), for
 * the provenance and for winnow-prisma's own ledger line. NULL on allocation failure. */
json_object *wn_prisma_runs_used(const struct wn_prisma *p);

#endif
