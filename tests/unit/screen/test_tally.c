/*
 * test_tally.c - votes counted for agreement: maybe as include, only votes before the
 * first resolution, single-reviewer records counted and classified, not-retrieved apart,
 * full-text reasons, three reviewers.
 */
#include <math.h>
#include <string.h>
#include "wn_test.h"
#include "screen_test.h"
#include "winnow/tally.h"

static uint64_t seqs[8];

static void vote(struct wn_votes *v, int col, time_t t, const char *id, enum wn_action a, const char *reason)
{
	struct wn_declog_entry e;

	memset(&e, 0, sizeof(e));
	e.seq = ++seqs[col];
	e.time = t;
	e.record = id;
	e.record_len = strlen(id);
	e.action = a;
	e.reason = reason;
	CHECK_INT(wn_votes_apply(v, col, &e, NULL), 0);
}

struct kinds {
	char buf[512];
};

static int on_row(size_t row, enum wn_tally_kind kind, const struct wn_vote *votes, void *data)
{
	struct kinds *k = data;
	size_t n = strlen(k->buf);

	(void)votes;
	snprintf(k->buf + n, sizeof(k->buf) - n, "%zu:%s ", row, wn_tally_kind_name(kind));
	return 0;
}

static void test_two_ta(void)
{
	struct wn_declog_header a = test_header("a", WN_STAGE_TA, WN_ROLE_REVIEW), b = test_header("b", WN_STAGE_TA, WN_ROLE_REVIEW);
	struct wn_declog_header c = test_header("c", WN_STAGE_TA, WN_ROLE_RESOLUTION);
	struct wn_votes *v = wn_votes_new(WN_STAGE_TA, NULL);
	struct wn_tally t;
	struct kinds k;

	memset(seqs, 0, sizeof(seqs));
	wn_votes_add_column(v, &c, "c", NULL);
	wn_votes_add_column(v, &a, "a", NULL);
	wn_votes_add_column(v, &b, "b", NULL);
	vote(v, 0, 50, "r4", WN_ACT_INCLUDE, NULL);   /* resolution at t=50 */
	vote(v, 1, 10, "r1", WN_ACT_MAYBE, NULL);     /* maybe + include: agreement */
	vote(v, 2, 10, "r1", WN_ACT_INCLUDE, NULL);
	vote(v, 1, 10, "r2", WN_ACT_EXCLUDE, NULL);
	vote(v, 2, 10, "r2", WN_ACT_EXCLUDE, NULL);
	vote(v, 1, 10, "r3", WN_ACT_INCLUDE, NULL);   /* only a */
	vote(v, 1, 10, "r4", WN_ACT_INCLUDE, NULL);
	vote(v, 2, 10, "r4", WN_ACT_EXCLUDE, NULL);
	vote(v, 2, 90, "r4", WN_ACT_INCLUDE, NULL);   /* changed after the resolution: not counted */
	memset(&k, 0, sizeof(k));
	CHECK_INT(wn_tally_compute(&t, v, on_row, &k, NULL), 0);
	CHECK_INT(t.ncols, 2);
	CHECK_INT(t.cols[0], 1);
	CHECK_INT(t.resolved, 1);
	CHECK_INT(t.only_one, 1);
	CHECK_INT(t.only_by[0], 1);
	CHECK_INT(t.npairs, 1);
	CHECK(t.pairs[0].table[0] == 1 && t.pairs[0].table[1] == 1 && t.pairs[0].table[2] == 0 &&
	      t.pairs[0].table[3] == 1);
	CHECK_INT(t.pairs[0].only_a, 1);
	CHECK_NEAR(t.pairs[0].s.po, 2.0 / 3, 1e-12);
	CHECK_STR(k.buf, "0:disagree 1:agree 2:agree 3:only-one "); /* r4 came first, from the resolution */
	wn_tally_release(&t);
	wn_votes_free(v);
}

static void test_ft(void)
{
	struct wn_declog_header a = test_header("a", WN_STAGE_FT, WN_ROLE_REVIEW), b = test_header("b", WN_STAGE_FT, WN_ROLE_REVIEW);
	struct wn_votes *v = wn_votes_new(WN_STAGE_FT, NULL);
	struct wn_tally t;
	struct kinds k;

	memset(seqs, 0, sizeof(seqs));
	wn_votes_add_column(v, &a, "a", NULL);
	wn_votes_add_column(v, &b, "b", NULL);
	vote(v, 0, 1, "f1", WN_ACT_EXCLUDE, "wrong population");
	vote(v, 1, 1, "f1", WN_ACT_EXCLUDE, "wrong setting");
	vote(v, 0, 1, "f2", WN_ACT_NOT_RETRIEVED, NULL);
	vote(v, 1, 1, "f2", WN_ACT_INCLUDE, NULL);
	vote(v, 0, 1, "f3", WN_ACT_NOT_RETRIEVED, NULL);
	vote(v, 1, 1, "f3", WN_ACT_NOT_RETRIEVED, NULL);
	vote(v, 0, 1, "f4", WN_ACT_INCLUDE, NULL);
	vote(v, 1, 1, "f4", WN_ACT_INCLUDE, NULL);
	memset(&k, 0, sizeof(k));
	CHECK_INT(wn_tally_compute(&t, v, on_row, &k, NULL), 0);
	CHECK_STR(k.buf, "0:reasons-differ 1:retrieval 2:agree 3:agree ");
	CHECK_INT(t.nr_rows, 2);
	CHECK_INT(t.pairs[0].nr, 2);
	CHECK_INT(t.pairs[0].reasons_differ, 1);
	CHECK(t.pairs[0].table[0] == 1 && t.pairs[0].table[3] == 1 && t.pairs[0].s.n == 2);
	wn_tally_release(&t);
	wn_votes_free(v);
}

static void test_three(void)
{
	struct wn_declog_header h[3] = { test_header("a", WN_STAGE_TA, WN_ROLE_REVIEW), test_header("b", WN_STAGE_TA, WN_ROLE_REVIEW),
					 test_header("c", WN_STAGE_TA, WN_ROLE_REVIEW) };
	struct wn_votes *v = wn_votes_new(WN_STAGE_TA, NULL);
	struct wn_tally t;
	static const char *const ids[] = { "x1", "x2", "x3", "x4", "x5", "x6" };
	/* include pattern per record and reviewer; 0 = exclude, 2 = no vote */
	static const int pat[6][3] = { { 1, 1, 1 }, { 1, 1, 0 }, { 0, 0, 0 }, { 1, 0, 0 }, { 1, 1, 2 }, { 0, 2, 2 } };
	int r, c;

	memset(seqs, 0, sizeof(seqs));
	for (c = 0; c < 3; c++)
		wn_votes_add_column(v, &h[c], h[c].reviewer, NULL);
	for (r = 0; r < 6; r++)
		for (c = 0; c < 3; c++)
			if (pat[r][c] != 2)
				vote(v, c, 1, ids[r], pat[r][c] ? WN_ACT_INCLUDE : WN_ACT_EXCLUDE, NULL);
	CHECK_INT(wn_tally_compute(&t, v, NULL, NULL, NULL), 0);
	CHECK_INT(t.npairs, 3);
	CHECK_INT(t.only_one, 1);
	CHECK_INT(t.partial, 1);
	CHECK(t.dist[0] == 1 && t.dist[1] == 1 && t.dist[2] == 1 && t.dist[3] == 1);
	CHECK_NEAR(t.complete.subjects, 4, 0);
	CHECK_NEAR(t.complete.raters, 3, 0);
	/* P-bar over the 4 complete records: 1, 1/3, 1, 1/3 */
	CHECK_NEAR(t.complete.pbar, (1 + 1.0 / 3 + 1 + 1.0 / 3) / 4, 1e-12);
	CHECK_NEAR(t.all.subjects, 5, 0); /* x5 (two votes) too */
	CHECK(!isnan(t.complete.kappa) && !isnan(t.all.alpha));
	CHECK(t.pairs[0].s.n == 5 && t.pairs[1].s.n == 4 && t.pairs[2].s.n == 4);
	wn_tally_release(&t);
	wn_votes_free(v);
}

static void test_too_few(void)
{
	struct wn_declog_header a = test_header("a", WN_STAGE_TA, WN_ROLE_REVIEW), c = test_header("c", WN_STAGE_TA, WN_ROLE_RESOLUTION);
	struct wn_votes *v = wn_votes_new(WN_STAGE_TA, NULL);
	struct wn_tally t;
	struct wn_err err;

	wn_votes_add_column(v, &a, "a", NULL);
	wn_votes_add_column(v, &c, "c", NULL);
	CHECK_INT(wn_tally_compute(&t, v, NULL, NULL, &err), -1);
	CHECK(err.code == WN_EUSAGE && strstr(err.msg, "at least two reviewers; got 1"));
	wn_votes_free(v);
}

int main(void)
{
	RUN(test_two_ta);
	RUN(test_ft);
	RUN(test_three);
	RUN(test_too_few);
	return wn_test_report();
}
