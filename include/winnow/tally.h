/*
 * tally.h - the reviewers' votes counted for agreement statistics.
 *
 * Between the logs (votes.h) and the arithmetic (agree.h) sit the screening semantics
 * that Covidence uses for inter-rater reliability, and that `winnow-screen agree` states
 * in its output: maybe counts as include; only the votes cast before a record's first
 * resolution count (the "pre" view of votes.h); a record decided by only one reviewer
 * is counted and listed, never dropped; at full text, a not-retrieved vote says nothing
 * about eligibility, so such records are counted apart; two exclusions with different
 * reasons agree on exclusion (they are a conflict for export, which the tally notes).
 *
 * For every pair of reviewers a 2x2 table and its statistics; for three or more, counts
 * per record for Fleiss' kappa (records every reviewer decided) and for AC1 and
 * Krippendorff's alpha (records two or more decided).
 */
#ifndef WINNOW_TALLY_H
#define WINNOW_TALLY_H

#include <stddef.h>
#include "winnow/agree.h"
#include "winnow/err.h"
#include "winnow/votes.h"

/* How the reviewers' votes on one record relate. */
enum wn_tally_kind {
	WN_TK_AGREE = 0,   /* every voter agrees (or only resolutions decided it) */
	WN_TK_DISAGREE,    /* include (or maybe) against exclude */
	WN_TK_ONLY_ONE,    /* one reviewer voted */
	WN_TK_RETRIEVAL,   /* full text: not-retrieved against a decision */
	WN_TK_REASONS      /* full text: exclusions with different reasons */
};

struct wn_tally_pair {
	size_t a, b;                  /* columns of the votes */
	double table[4];              /* yes/yes, yes/no, no/yes, no/no (rows: a) */
	unsigned long only_a, only_b; /* decided by one of the two only */
	unsigned long nr;             /* both voted, at least one not-retrieved */
	unsigned long reasons_differ; /* both excluded, different reasons (full text) */
	struct wn_agree2 s;           /* statistics of the table */
};

struct wn_tally {
	size_t *cols, ncols;          /* the review columns, in log order */
	unsigned long resolved;       /* records with a resolution */
	unsigned long only_one;       /* records decided by exactly one reviewer */
	unsigned long *only_by;       /* ... per review column */
	unsigned long nr_rows;        /* records with a not-retrieved vote */
	unsigned long partial;        /* 3+: decided by two or more but not all */
	double *dist;                 /* 3+: records decided by all, by number of include votes (ncols + 1) */
	struct wn_tally_pair *pairs;  /* every pair, (0,1), (0,2), ..., (1,2), ... */
	size_t npairs;
	struct wn_agree_multi complete; /* 3+: over records every reviewer decided (Fleiss) */
	struct wn_agree_multi all;      /* 3+: over records two or more decided (AC1, alpha) */
};

/* Called for each record any reviewer voted on, with its kind and the pre-resolution
 * votes of the review columns (votes[i] for cols[i]); non-zero stops (returned). */
typedef int (*wn_tally_row_fn)(size_t row, enum wn_tally_kind kind, const struct wn_vote *votes,
			       void *data);

/* Count the votes of v. Needs two or more review columns (WN_EUSAGE otherwise). fn may
 * be NULL. The tally owns its arrays: wn_tally_release. */
int wn_tally_compute(struct wn_tally *t, const struct wn_votes *v, wn_tally_row_fn fn, void *data,
		     struct wn_err *err);
void wn_tally_release(struct wn_tally *t);
/* "agree", "disagree", "only-one", "retrieval", "reasons-differ". */
const char *wn_tally_kind_name(enum wn_tally_kind k);

#endif
