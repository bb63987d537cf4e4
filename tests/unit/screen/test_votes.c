/*
 * test_votes.c - folding decision events into votes and states: the conflict rules of
 * docs/decision-log.md, undo as a stack, resolutions, the before-resolution view that
 * agreement uses, labels and notes, and loading real log files.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "wn_test.h"
#include "screen_test.h"
#include "winnow/buf.h"
#include "winnow/declog.h"
#include "winnow/votes.h"

/* Apply one event; seq numbers are per column and given by the caller. */
static int ev(struct wn_votes *v, int col, uint64_t seq, time_t t, const char *id, enum wn_action a,
	      const char *reason, uint64_t ref)
{
	struct wn_declog_entry e;
	struct wn_err err;

	memset(&e, 0, sizeof(e));
	e.seq = seq;
	e.time = t;
	e.record = id;
	e.record_len = strlen(id);
	e.action = a;
	e.reason = a == WN_ACT_EXCLUDE ? reason : NULL;
	e.note = a == WN_ACT_NOTE ? reason : NULL;
	e.labels = a == WN_ACT_LABEL ? reason : NULL;
	e.ref = ref;
	e.lineno = seq + 1;
	return wn_votes_apply(v, col, &e, &err);
}

static enum wn_state state_of(struct wn_votes *v, const char *id, struct wn_record_state *st)
{
	long row = wn_votes_find(v, id, strlen(id));

	memset(st, 0, sizeof(*st));
	if (row < 0)
		return WN_ST_UNDECIDED;
	wn_votes_state(v, (size_t)row, st);
	return st->state;
}

static struct wn_votes *two(enum wn_stage stage)
{
	struct wn_declog_header a = test_header("alice", stage, WN_ROLE_REVIEW), b = test_header("bob", stage, WN_ROLE_REVIEW);
	struct wn_votes *v = wn_votes_new(stage, NULL);

	CHECK(v != NULL);
	CHECK_INT(wn_votes_add_column(v, &a, "a.log", NULL), 0);
	CHECK_INT(wn_votes_add_column(v, &b, "b.log", NULL), 1);
	return v;
}

static void test_rules_ta(void)
{
	struct wn_votes *v = two(WN_STAGE_TA);
	struct wn_record_state st;

	ev(v, 0, 1, 100, "r1", WN_ACT_INCLUDE, NULL, 0);
	ev(v, 1, 1, 100, "r1", WN_ACT_INCLUDE, NULL, 0);
	ev(v, 0, 2, 100, "r2", WN_ACT_INCLUDE, NULL, 0);
	ev(v, 1, 2, 100, "r2", WN_ACT_MAYBE, NULL, 0);
	ev(v, 0, 3, 100, "r3", WN_ACT_EXCLUDE, "wrong population", 0);
	ev(v, 1, 3, 100, "r3", WN_ACT_EXCLUDE, NULL, 0);
	ev(v, 0, 4, 100, "r4", WN_ACT_INCLUDE, NULL, 0);
	ev(v, 1, 4, 100, "r4", WN_ACT_EXCLUDE, NULL, 0);
	ev(v, 0, 5, 100, "r5", WN_ACT_MAYBE, NULL, 0);
	ev(v, 1, 5, 100, "r5", WN_ACT_EXCLUDE, NULL, 0);
	ev(v, 0, 6, 100, "r6", WN_ACT_MAYBE, NULL, 0);
	ev(v, 0, 7, 100, "r7", WN_ACT_EXCLUDE, "Wrong  population.", 0);
	ev(v, 1, 6, 100, "r7", WN_ACT_EXCLUDE, "wrong population", 0);
	CHECK(state_of(v, "r1", &st) == WN_ST_INCLUDE && !st.maybe && st.votes == 2 && st.reviewers == 2);
	CHECK(state_of(v, "r2", &st) == WN_ST_INCLUDE && st.maybe); /* include + maybe -> include */
	CHECK(state_of(v, "r3", &st) == WN_ST_EXCLUDE && st.reason == NULL);
	CHECK(state_of(v, "r4", &st) == WN_ST_CONFLICT && st.conflict == WN_CONFLICT_VOTES);
	CHECK(state_of(v, "r5", &st) == WN_ST_CONFLICT); /* maybe against exclude */
	CHECK(state_of(v, "r6", &st) == WN_ST_UNDECIDED && st.votes == 1);
	CHECK(state_of(v, "r7", &st) == WN_ST_EXCLUDE && st.reason && strcmp(st.reason, "Wrong  population.") == 0);
	CHECK(state_of(v, "nobody", &st) == WN_ST_UNDECIDED);
	CHECK_INT(wn_votes_records(v), 7);
	CHECK_INT(wn_votes_reviewers(v), 2);
	wn_votes_free(v);
}

static void test_rules_ft(void)
{
	struct wn_votes *v = two(WN_STAGE_FT);
	struct wn_record_state st;

	ev(v, 0, 1, 100, "f1", WN_ACT_EXCLUDE, "wrong setting", 0);
	ev(v, 1, 1, 100, "f1", WN_ACT_EXCLUDE, "wrong population", 0);
	ev(v, 0, 2, 100, "f2", WN_ACT_EXCLUDE, "Wrong setting", 0);
	ev(v, 1, 2, 100, "f2", WN_ACT_EXCLUDE, "wrong setting ", 0);
	ev(v, 0, 3, 100, "f3", WN_ACT_NOT_RETRIEVED, NULL, 0);
	ev(v, 1, 3, 100, "f3", WN_ACT_NOT_RETRIEVED, NULL, 0);
	ev(v, 0, 4, 100, "f4", WN_ACT_NOT_RETRIEVED, NULL, 0);
	ev(v, 1, 4, 100, "f4", WN_ACT_INCLUDE, NULL, 0);
	/* Covidence: two full-text exclusions with different reasons are a conflict */
	CHECK(state_of(v, "f1", &st) == WN_ST_CONFLICT && st.conflict == WN_CONFLICT_REASONS);
	CHECK(state_of(v, "f2", &st) == WN_ST_EXCLUDE && st.reason && strcmp(st.reason, "Wrong setting") == 0);
	CHECK(state_of(v, "f3", &st) == WN_ST_NOT_RETRIEVED);
	CHECK(state_of(v, "f4", &st) == WN_ST_CONFLICT);
	wn_votes_free(v);
}

static void test_undo_stack(void)
{
	struct wn_votes *v = two(WN_STAGE_TA);
	struct wn_vote x;
	struct wn_err err;
	struct wn_declog_entry e;
	size_t row;
	uint64_t seq;

	ev(v, 0, 1, 100, "r1", WN_ACT_INCLUDE, NULL, 0);
	ev(v, 0, 2, 101, "r2", WN_ACT_EXCLUDE, NULL, 0);
	ev(v, 0, 3, 102, "r1", WN_ACT_EXCLUDE, "changed my mind", 0);
	CHECK(wn_votes_get(v, 0, 0, 0, &x) && x.decision == WN_ACT_EXCLUDE && x.seq == 3);
	CHECK(wn_votes_last_decision(v, 0, &row, &seq) && row == 0 && seq == 3);
	CHECK_INT(ev(v, 0, 4, 103, "r1", WN_ACT_UNDO, NULL, 3), 0);
	/* an undo retracts one decision: the earlier one stands again */
	CHECK(wn_votes_get(v, 0, 0, 0, &x) && x.decision == WN_ACT_INCLUDE && x.seq == 1);
	CHECK(wn_votes_last_decision(v, 0, &row, &seq) && row == 1 && seq == 2);
	CHECK_INT(ev(v, 0, 5, 104, "r2", WN_ACT_UNDO, NULL, 2), 0);
	CHECK(wn_votes_last_decision(v, 0, &row, &seq) && row == 0 && seq == 1);
	CHECK_INT(ev(v, 0, 6, 105, "r1", WN_ACT_UNDO, NULL, 1), 0);
	CHECK(!wn_votes_get(v, 0, 0, 0, &x) && x.decision == WN_ACT_NONE);
	CHECK(!wn_votes_last_decision(v, 0, &row, &seq));
	CHECK_INT(wn_votes_column(v, 0)->undos, 3);
	CHECK_INT(wn_votes_column(v, 0)->decisions, 3);
	/* undoing something that does not stand is damage */
	memset(&e, 0, sizeof(e));
	e.seq = 7;
	e.record = "r1";
	e.record_len = 2;
	e.action = WN_ACT_UNDO;
	e.ref = 1;
	e.lineno = 8;
	CHECK_INT(wn_votes_apply(v, 0, &e, &err), -1);
	CHECK(err.code == WN_ECORRUPT && strstr(err.msg, "line 8") && strstr(err.msg, "#1"));
	e.record = "r2";
	e.ref = 99;
	CHECK_INT(wn_votes_apply(v, 0, &e, &err), -1);
	CHECK_INT(wn_votes_apply(v, 7, &e, &err), -1);
	wn_votes_free(v);
}

static void test_resolution(void)
{
	struct wn_declog_header a = test_header("alice", WN_STAGE_TA, WN_ROLE_REVIEW), b = test_header("bob", WN_STAGE_TA, WN_ROLE_REVIEW);
	struct wn_declog_header c = test_header("carol", WN_STAGE_TA, WN_ROLE_RESOLUTION), d = test_header("dan", WN_STAGE_TA, WN_ROLE_RESOLUTION);
	struct wn_votes *v = wn_votes_new(WN_STAGE_NONE, NULL);
	struct wn_record_state st;
	struct wn_vote x;
	struct wn_err err;

	CHECK_INT(wn_votes_add_column(v, &c, "c.log", NULL), 0); /* resolutions come first when loading */
	CHECK_INT(wn_votes_add_column(v, &d, "d.log", NULL), 1);
	CHECK_INT(wn_votes_add_column(v, &a, "a.log", NULL), 2);
	CHECK_INT(wn_votes_add_column(v, &b, "b.log", NULL), 3);
	CHECK(wn_votes_stage(v) == WN_STAGE_TA);
	CHECK_INT(wn_votes_reviewers(v), 2);
	ev(v, 0, 1, 500, "r1", WN_ACT_INCLUDE, NULL, 0);
	ev(v, 0, 2, 500, "r2", WN_ACT_EXCLUDE, "no", 0);
	ev(v, 1, 1, 600, "r2", WN_ACT_INCLUDE, NULL, 0);  /* a later resolution wins */
	ev(v, 2, 1, 100, "r1", WN_ACT_INCLUDE, NULL, 0);
	ev(v, 3, 1, 100, "r1", WN_ACT_EXCLUDE, NULL, 0);
	ev(v, 3, 2, 900, "r1", WN_ACT_INCLUDE, NULL, 0);  /* bob changes his vote after the resolution */
	ev(v, 2, 2, 100, "r2", WN_ACT_INCLUDE, NULL, 0);
	ev(v, 3, 3, 100, "r2", WN_ACT_EXCLUDE, NULL, 0);
	CHECK(state_of(v, "r1", &st) == WN_ST_INCLUDE && st.resolved);
	CHECK(state_of(v, "r2", &st) == WN_ST_INCLUDE && st.resolved);
	/* agreement sees only the votes cast before the first resolution */
	CHECK(wn_votes_get(v, 0, 3, 1, &x) && x.decision == WN_ACT_EXCLUDE);
	CHECK(wn_votes_get(v, 0, 3, 0, &x) && x.decision == WN_ACT_INCLUDE);
	/* an undo after the resolution does not change the earlier view either */
	ev(v, 3, 4, 950, "r2", WN_ACT_UNDO, NULL, 3);
	CHECK(wn_votes_get(v, 1, 3, 1, &x) && x.decision == WN_ACT_EXCLUDE);
	CHECK(!wn_votes_get(v, 1, 3, 0, &x));
	/* no more columns once events came in; no two review logs of one reviewer */
	CHECK_INT(wn_votes_add_column(v, &a, "x.log", &err), -1);
	wn_votes_free(v);
	v = wn_votes_new(WN_STAGE_TA, NULL);
	CHECK_INT(wn_votes_add_column(v, &a, "a.log", &err), 0);
	CHECK_INT(wn_votes_add_column(v, &a, "a2.log", &err), -1);
	CHECK(err.code == WN_EUSAGE && strstr(err.msg, "'a.log' and 'a2.log' are both review logs of 'alice'"));
	c = test_header("alice", WN_STAGE_TA, WN_ROLE_RESOLUTION);
	CHECK_INT(wn_votes_add_column(v, &c, "r.log", &err), 1); /* alice may resolve, too */
	b = test_header("bob", WN_STAGE_FT, WN_ROLE_REVIEW);
	CHECK_INT(wn_votes_add_column(v, &b, "b.log", &err), -1);
	CHECK(strstr(err.msg, "full text") != NULL);
	wn_votes_free(v);
}

static int note_cb(const char *note, time_t t, void *data)
{
	struct wn_buf *b = data;

	(void)t;
	wn_buf_addf(b, NULL, "[%s]", note);
	return 0;
}

static void test_labels_notes(void)
{
	struct wn_votes *v = two(WN_STAGE_TA);
	struct wn_buf b;

	wn_buf_init(&b, 0);
	ev(v, 0, 1, 1, "r1", WN_ACT_LABEL, "rct, pediatric", 0);
	ev(v, 0, 2, 1, "r1", WN_ACT_NOTE, "first", 0);
	ev(v, 0, 3, 1, "r1", WN_ACT_LABEL, "-rct,adult , pediatric", 0);
	ev(v, 0, 4, 1, "r1", WN_ACT_NOTE, "second", 0);
	ev(v, 1, 1, 1, "r1", WN_ACT_LABEL, "bobs", 0);
	CHECK_INT(wn_votes_labels(v, 0, 0, &b, NULL), 0);
	CHECK_STR(b.data, "pediatric, adult");
	ev(v, 0, 5, 1, "r1", WN_ACT_LABEL, "-adult", 0);
	CHECK_INT(wn_votes_labels(v, 0, 0, &b, NULL), 0);
	CHECK_STR(b.data, "pediatric");
	ev(v, 0, 6, 1, "r1", WN_ACT_LABEL, "-pediatric", 0);
	CHECK_INT(wn_votes_labels(v, 0, 0, &b, NULL), 0);
	CHECK_STR(b.data, "");
	wn_buf_reset(&b);
	CHECK_INT(wn_votes_notes(v, 0, 0, note_cb, &b), 0);
	CHECK_STR(b.data, "[first][second]");
	CHECK_INT(wn_votes_labels(v, 0, 1, &b, NULL), 0);
	CHECK_STR(b.data, "bobs");
	CHECK_INT(wn_votes_column(v, 0)->notes, 2);
	CHECK_INT(wn_votes_column(v, 0)->labels, 4);
	wn_buf_release(&b);
	wn_votes_free(v);
}

static void test_reason_eq(void)
{
	CHECK(wn_reason_eq("Wrong population", "wrong  population."));
	CHECK(wn_reason_eq(" a b ", "A B"));
	CHECK(!wn_reason_eq("wrong population", "wrong setting"));
	CHECK(!wn_reason_eq("x", NULL));
	CHECK(wn_reason_eq(NULL, NULL));
	CHECK(!wn_reason_eq("ab", "a b"));
	CHECK(wn_state_name(WN_ST_NOT_RETRIEVED)[0] == 'n');
}

static int torn_calls;

static void on_torn(const char *path, const struct wn_declog_scan *scan, void *data)
{
	(void)path;
	(void)data;
	torn_calls += scan->torn_line > 0;
}

static void test_load_files(void)
{
	char dir[256], pa[300], pb[300], pc[300];
	const char *paths[3];
	const char *tmp = getenv("WINNOW_TEST_TMP");
	struct wn_declog_header a = test_header("alice", WN_STAGE_TA, WN_ROLE_REVIEW), b = test_header("bob", WN_STAGE_TA, WN_ROLE_REVIEW);
	struct wn_declog_header c = test_header("carol", WN_STAGE_TA, WN_ROLE_RESOLUTION);
	struct wn_declog *la, *lb, *lc;
	struct wn_declog_event e;
	struct wn_votes *v;
	struct wn_record_state st;
	struct wn_err err;
	FILE *fp;

	snprintf(dir, sizeof(dir), "%s/votes.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (tmp && *tmp)
		mkdir(tmp, 0755);
	CHECK(mkdtemp(dir) != NULL);
	snprintf(pa, sizeof(pa), "%s/a.log", dir);
	snprintf(pb, sizeof(pb), "%s/b.log", dir);
	snprintf(pc, sizeof(pc), "%s/c.log", dir);
	la = wn_declog_open(pa, &a, NULL, NULL, NULL, &err);
	lb = wn_declog_open(pb, &b, NULL, NULL, NULL, &err);
	lc = wn_declog_open(pc, &c, NULL, NULL, NULL, &err);
	CHECK(la && lb && lc);
	if (!la || !lb || !lc)
		return;
	memset(&e, 0, sizeof(e));
	e.record = "x1";
	e.action = WN_ACT_INCLUDE;
	wn_declog_append(la, &e, NULL, &err);
	e.action = WN_ACT_EXCLUDE;
	wn_declog_append(lb, &e, NULL, &err);
	e.action = WN_ACT_EXCLUDE;
	wn_declog_append(lc, &e, NULL, &err);
	e.record = "x2";
	e.action = WN_ACT_INCLUDE;
	wn_declog_append(la, &e, NULL, &err);
	wn_declog_close(la, NULL);
	wn_declog_close(lb, NULL);
	wn_declog_close(lc, NULL);
	fp = fopen(pb, "ab"); /* a torn tail in bob's log */
	if (fp) {
		fputs("2\t2026-01-01T00:00:00Z\tbob\tx2\tinclu", fp);
		fclose(fp);
	}
	paths[0] = pa;
	paths[1] = pb;
	paths[2] = pc;
	v = wn_votes_new(WN_STAGE_NONE, &err);
	torn_calls = 0;
	CHECK_INT(wn_votes_load(v, paths, 3, on_torn, NULL, &err), 0);
	CHECK_INT(torn_calls, 1);
	CHECK_INT(wn_votes_columns(v), 3);
	CHECK(state_of(v, "x1", &st) == WN_ST_EXCLUDE && st.resolved);
	CHECK(state_of(v, "x2", &st) == WN_ST_UNDECIDED && st.votes == 1);
	wn_votes_free(v);
	/* a log of the other stage among them */
	{
		struct wn_declog_header f = test_header("dave", WN_STAGE_FT, WN_ROLE_REVIEW);
		char pf[300];
		snprintf(pf, sizeof(pf), "%s/f.log", dir);
		la = wn_declog_open(pf, &f, NULL, NULL, NULL, &err);
		wn_declog_close(la, NULL);
		paths[2] = pf;
		v = wn_votes_new(WN_STAGE_NONE, &err);
		CHECK_INT(wn_votes_load(v, paths, 3, NULL, NULL, &err), -1);
		CHECK(err.code == WN_EUSAGE && strstr(err.msg, "give the logs of one stage"));
		wn_votes_free(v);
		unlink(pf);
	}
	unlink(pa);
	unlink(pb);
	unlink(pc);
	rmdir(dir);
}

int main(void)
{
	RUN(test_rules_ta);
	RUN(test_rules_ft);
	RUN(test_undo_stack);
	RUN(test_resolution);
	RUN(test_labels_notes);
	RUN(test_reason_eq);
	RUN(test_load_files);
	return wn_test_report();
}
