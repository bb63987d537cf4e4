/*
 * tally.c - votes counted for agreement (see tally.h for the semantics).
 */
#include <string.h>
#include "winnow/alloc.h"
#include "winnow/tally.h"

enum vote_kind { V_NONE = 0, V_YES, V_NO, V_NR };

static enum vote_kind kind_of(const struct wn_vote *v)
{
	switch (v->decision) {
	case WN_ACT_INCLUDE:
	case WN_ACT_MAYBE:
		return V_YES; /* maybe counts as include (Covidence) */
	case WN_ACT_EXCLUDE:
		return V_NO;
	case WN_ACT_NOT_RETRIEVED:
		return V_NR;
	default:
		return V_NONE;
	}
}

const char *wn_tally_kind_name(enum wn_tally_kind k)
{
	switch (k) {
	case WN_TK_DISAGREE: return "disagree";
	case WN_TK_ONLY_ONE: return "only-one";
	case WN_TK_RETRIEVAL: return "retrieval";
	case WN_TK_REASONS: return "reasons-differ";
	default: return "agree";
	}
}

void wn_tally_release(struct wn_tally *t)
{
	wn_free(t->cols);
	wn_free(t->only_by);
	wn_free(t->dist);
	wn_free(t->pairs);
	memset(t, 0, sizeof(*t));
}

static int has_resolution(const struct wn_votes *v, size_t row)
{
	size_t col;
	struct wn_vote x;

	for (col = 0; col < wn_votes_columns(v); col++) {
		if (wn_votes_column(v, col)->header.role == WN_ROLE_RESOLUTION &&
		    wn_votes_get(v, row, col, 0, &x))
			return 1;
	}
	return 0;
}

static void pair_add(struct wn_tally_pair *ps, const struct wn_vote *va, const struct wn_vote *vb,
		     enum wn_stage stage)
{
	enum vote_kind ka = kind_of(va), kb = kind_of(vb);

	if (ka == V_NONE && kb == V_NONE)
		return;
	if (ka == V_NONE || kb == V_NONE) {
		if (ka == V_NONE)
			ps->only_b++;
		else
			ps->only_a++;
		return;
	}
	if (ka == V_NR || kb == V_NR) {
		ps->nr++;
		return;
	}
	ps->table[(ka == V_NO) * 2 + (kb == V_NO)] += 1;
	if (ka == V_NO && kb == V_NO && stage == WN_STAGE_FT && !wn_reason_eq(va->reason, vb->reason))
		ps->reasons_differ++;
}

static enum wn_tally_kind classify(const struct wn_vote *votes, size_t m, size_t voted, size_t yes,
				   size_t no, size_t nr, enum wn_stage stage)
{
	size_t i, j;

	if (voted == 1)
		return WN_TK_ONLY_ONE;
	if (yes && no)
		return WN_TK_DISAGREE;
	if (nr && nr < voted)
		return WN_TK_RETRIEVAL;
	if (no == voted && stage == WN_STAGE_FT) {
		for (i = 0; i < m; i++)
			for (j = i + 1; j < m; j++)
				if (kind_of(&votes[i]) == V_NO && kind_of(&votes[j]) == V_NO &&
				    !wn_reason_eq(votes[i].reason, votes[j].reason))
					return WN_TK_REASONS;
	}
	return WN_TK_AGREE;
}

int wn_tally_compute(struct wn_tally *t, const struct wn_votes *v, wn_tally_row_fn fn, void *data,
		     struct wn_err *err)
{
	size_t rows = wn_votes_records(v), m = 0, row, i, j, k, n_all = 0, n_complete = 0;
	enum wn_stage stage = wn_votes_stage(v);
	struct wn_vote *votes = NULL;
	double *cnt_all = NULL, *cnt_complete = NULL;
	int rc = -1;

	memset(t, 0, sizeof(*t));
	t->cols = wn_calloc(wn_votes_columns(v) + 1, sizeof(*t->cols));
	if (!t->cols)
		return wn_err_set(err, WN_ENOMEM, "out of memory");
	for (i = 0; i < wn_votes_columns(v); i++) {
		if (wn_votes_column(v, i)->header.role == WN_ROLE_REVIEW)
			t->cols[m++] = i;
	}
	t->ncols = m;
	if (m < 2) {
		wn_err_set(err, WN_EUSAGE,
			   "agreement needs the review logs of at least two reviewers; got %zu (resolution logs only mark which votes came before a resolution)",
			   m);
		goto out;
	}
	t->only_by = wn_calloc(m, sizeof(*t->only_by));
	t->dist = wn_calloc(m + 1, sizeof(*t->dist));
	t->npairs = m * (m - 1) / 2;
	t->pairs = wn_calloc(t->npairs, sizeof(*t->pairs));
	votes = wn_calloc(m, sizeof(*votes));
	if (m > 2) {
		cnt_all = wn_reallocarray(NULL, rows ? rows * 2 : 1, sizeof(*cnt_all));
		cnt_complete = wn_reallocarray(NULL, rows ? rows * 2 : 1, sizeof(*cnt_complete));
	}
	if (!t->only_by || !t->dist || !t->pairs || !votes || (m > 2 && (!cnt_all || !cnt_complete))) {
		wn_err_set(err, WN_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0, k = 0; i < m; i++)
		for (j = i + 1; j < m; j++, k++) {
			t->pairs[k].a = t->cols[i];
			t->pairs[k].b = t->cols[j];
		}
	for (row = 0; row < rows; row++) {
		size_t voted = 0, yes = 0, no = 0, nr = 0, last = 0;

		for (i = 0; i < m; i++) {
			/* the votes as they stood before the record's first resolution */
			wn_votes_get(v, row, t->cols[i], 1, &votes[i]);
			switch (kind_of(&votes[i])) {
			case V_YES: yes++, voted++, last = i; break;
			case V_NO: no++, voted++, last = i; break;
			case V_NR: nr++, voted++, last = i; break;
			default: break;
			}
		}
		if (has_resolution(v, row))
			t->resolved++;
		if (voted == 0)
			continue;
		for (i = 0, k = 0; i < m; i++)
			for (j = i + 1; j < m; j++, k++)
				pair_add(&t->pairs[k], &votes[i], &votes[j], stage);
		if (nr)
			t->nr_rows++;
		if (voted == 1) {
			t->only_one++;
			t->only_by[last]++;
		}
		if (m > 2 && yes + no >= 1) {
			cnt_all[n_all * 2] = (double)yes;
			cnt_all[n_all * 2 + 1] = (double)no;
			n_all++;
			if (yes + no == m) {
				cnt_complete[n_complete * 2] = (double)yes;
				cnt_complete[n_complete * 2 + 1] = (double)no;
				n_complete++;
				t->dist[yes] += 1;
			} else if (yes + no >= 2) {
				t->partial++;
			}
		}
		if (fn) {
			int r = fn(row, classify(votes, m, voted, yes, no, nr, stage), votes, data);
			if (r) {
				rc = r;
				goto out;
			}
		}
	}
	for (k = 0; k < t->npairs; k++) {
		if (wn_agree_cohen(t->pairs[k].table, 2, NULL, &t->pairs[k].s, err) < 0)
			goto out;
	}
	if (m > 2 && (wn_agree_multi(cnt_complete, n_complete, 2, &t->complete, err) < 0 ||
		      wn_agree_multi(cnt_all, n_all, 2, &t->all, err) < 0))
		goto out;
	rc = 0;
out:
	wn_free(votes);
	wn_free(cnt_all);
	wn_free(cnt_complete);
	if (rc < 0)
		wn_tally_release(t);
	return rc;
}
