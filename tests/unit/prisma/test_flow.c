/* Unit tests: the PRISMA flow from ledgers (runs.c, flow.c, checks.c, logs.c). Fixtures
 * in tests/data/prisma (hand-written ledgers, one per situation); decision logs are
 * written here with the decision-log library, so their checksums are real. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "wn_test.h"
#include "winnow/declog.h"
#include "winnow/prisma.h"
#include "winnow/prisma_log.h"

#define DATA "../../data/prisma/"

static int load(struct wn_prisma *p, const char *a, const char *b, int64_t prev_s, int64_t prev_r)
{
	struct wn_err err;
	struct wn_prisma_opts o = { prev_s, prev_r, NULL };

	wn_prisma_init(p);
	if (wn_prisma_add_ledger(p, a, &err) < 0)
		return -1;
	if (b && wn_prisma_add_ledger(p, b, &err) < 0)
		return -1;
	return wn_prisma_compute(p, &o, &err);
}

static int has_msg(const struct wn_prisma *p, enum wn_prisma_level level, const char *needle)
{
	size_t i;

	for (i = 0; i < p->nmsgs; i++)
		if (p->msgs[i].level == level && strstr(p->msgs[i].text, needle))
			return 1;
	return 0;
}

#define N(k) (p.v[WN_PK_##k].n)
#define KNOWN(k) (p.v[WN_PK_##k].known)

static void test_basic(void)
{
	struct wn_prisma p;

	CHECK(load(&p, DATA "basic.ledger", NULL, -1, -1) == 0);
	CHECK_INT(p.nerrors, 0);
	CHECK_INT(p.nwarnings, 0);
	CHECK_INT(N(DATABASE_RESULTS), 135);
	CHECK_INT(N(REGISTER_RESULTS), 0);
	CHECK_INT(N(DUPLICATES), 25);
	CHECK_INT(N(EXCLUDED_AUTOMATIC), 10);
	CHECK_INT(N(EXCLUDED_OTHER), 2);
	CHECK_INT(N(RECORDS_SCREENED), 98);
	CHECK_INT(N(RECORDS_EXCLUDED), 78);
	CHECK_INT(N(DBR_SOUGHT_REPORTS), 20);
	CHECK_INT(N(DBR_NOTRETRIEVED_REPORTS), 3);
	CHECK_INT(N(DBR_ASSESSED), 17);
	CHECK_INT(N(DBR_EXCLUDED), 12);
	CHECK_INT(N(NEW_STUDIES), 5);
	CHECK_INT(N(NEW_REPORTS), 5);
	CHECK_INT(N(TOTAL_STUDIES), 5);
	CHECK(!KNOWN(PREVIOUS_STUDIES));
	CHECK(!KNOWN(WEBSITE_RESULTS));
	CHECK(!KNOWN(OTHER_SOUGHT_REPORTS));
	CHECK(!KNOWN(TOTAL_STUDIES_MA));
	CHECK(!p.other_branch);
	/* the breakdowns, reasons by count */
	CHECK_INT(json_object_object_length(p.v[WN_PK_DATABASE_SPECIFIC_RESULTS].by), 3);
	CHECK_STR(json_object_to_json_string_ext(p.v[WN_PK_DBR_EXCLUDED].by, JSON_C_TO_STRING_PLAIN),
		  "{\"wrong setting\":7,\"not integrated care\":4,\"abstract only\":1}");
	CHECK_STR(json_object_to_json_string_ext(p.v[WN_PK_EXCLUDED_AUTOMATIC].by, JSON_C_TO_STRING_PLAIN),
		  "{\"published before 1997\":7,\"not in English\":3}");
	/* where each number came from */
	CHECK_STR(p.v[WN_PK_DUPLICATES].from, "'" DATA "basic.ledger' line 3 (winnow-dedup)");
	CHECK(strstr(p.v[WN_PK_DATABASE_RESULTS].from, "lines 1, 2 (winnow-fetch)") != NULL);
	CHECK(strstr(p.v[WN_PK_RECORDS_SCREENED].from, "line 5 (winnow-screen export --stage ta)") != NULL);
	CHECK_STR(p.first, "2020-04-08T09:00:00Z");
	CHECK_STR(p.last, "2020-04-20T10:00:01Z");
	CHECK(p.nchecks >= 10);
	wn_prisma_release(&p);
}

static void test_other_and_updated(void)
{
	struct wn_prisma p;

	CHECK(load(&p, DATA "other.ledger", NULL, 12, 15) == 0);
	CHECK_INT(p.nerrors, 0);
	CHECK(p.other_branch);
	CHECK(p.previous);
	CHECK_INT(N(WEBSITE_RESULTS), 0);
	CHECK_INT(N(ORGANISATION_RESULTS), 4);
	CHECK_INT(N(CITATIONS_RESULTS), 12);
	CHECK_INT(N(OTHER_SOUGHT_REPORTS), 10);
	CHECK_INT(N(OTHER_NOTRETRIEVED_REPORTS), 2);
	CHECK_INT(N(OTHER_ASSESSED), 8);
	CHECK_INT(N(OTHER_EXCLUDED), 6);
	CHECK_INT(N(DBR_SOUGHT_REPORTS), 20); /* the database export, not the other one */
	CHECK_INT(N(NEW_REPORTS), 7);
	CHECK_INT(N(PREVIOUS_STUDIES), 12);
	CHECK_INT(N(PREVIOUS_REPORTS), 15);
	CHECK_INT(N(TOTAL_STUDIES), 19);
	CHECK_INT(N(TOTAL_REPORTS), 22);
	wn_prisma_release(&p);
	/* --previous-studies alone: one report per study */
	CHECK(load(&p, DATA "other.ledger", NULL, 3, -1) == 0);
	CHECK_INT(N(PREVIOUS_REPORTS), 3);
	CHECK_INT(N(TOTAL_REPORTS), 10);
	wn_prisma_release(&p);
}

static void test_counted_once(void)
{
	struct wn_prisma p;

	/* two ledgers that overlap: every run once */
	CHECK(load(&p, DATA "overlap-a.ledger", DATA "overlap-b.ledger", -1, -1) == 0);
	CHECK_INT(p.nerrors, 0);
	CHECK_INT(p.nwarnings, 3);
	CHECK(has_msg(&p, WN_PRISMA_WARNING, "the ledgers overlap"));
	CHECK_INT(N(DATABASE_RESULTS), 135);
	CHECK_INT(N(DUPLICATES), 25);
	wn_prisma_release(&p);
	/* the same ledger twice */
	CHECK(load(&p, DATA "basic.ledger", DATA "basic.ledger", -1, -1) == 0);
	CHECK_INT(p.nerrors, 0);
	CHECK_INT(N(DATABASE_RESULTS), 135);
	wn_prisma_release(&p);
	/* the same export imported again (a re-run): its records once */
	CHECK(load(&p, DATA "refetch.ledger", NULL, -1, -1) == 0);
	CHECK_INT(p.nerrors, 0);
	CHECK_INT(N(DATABASE_RESULTS), 135);
	CHECK(has_msg(&p, WN_PRISMA_WARNING, "XXH64 2222222222222222"));
	wn_prisma_release(&p);
	/* ... and fed into dedup twice: identified once, the join says why it fails */
	CHECK(load(&p, DATA "twice-fed.ledger", NULL, -1, -1) == 0);
	CHECK_INT(N(DATABASE_RESULTS), 135);
	CHECK(p.nerrors >= 1);
	CHECK(has_msg(&p, WN_PRISMA_ERROR, "records read by dedup is 180, but by the rule it should be 135"));
	wn_prisma_release(&p);
	/* dedup run twice over the same input: the later run */
	CHECK(load(&p, DATA "dedup-twice.ledger", NULL, -1, -1) == 0);
	CHECK_INT(p.nerrors, 0);
	CHECK_INT(N(DUPLICATES), 25);
	CHECK(has_msg(&p, WN_PRISMA_WARNING, "the stage was run twice"));
	wn_prisma_release(&p);
}

static void test_violations(void)
{
	struct wn_prisma p;

	CHECK(load(&p, DATA "short.ledger", NULL, -1, -1) == 0);
	CHECK_INT(p.nerrors, 1);
	/* both sides and where they came from */
	CHECK(has_msg(&p, WN_PRISMA_ERROR, "records screened is 97, but by the rule it should be 98"));
	CHECK(has_msg(&p, WN_PRISMA_ERROR, "short.ledger' line 3 (winnow-dedup)"));
	CHECK(has_msg(&p, WN_PRISMA_ERROR, "difference: -1"));
	wn_prisma_release(&p);
	CHECK(load(&p, DATA "conflicts.ledger", NULL, -1, -1) == 0);
	CHECK(has_msg(&p, WN_PRISMA_ERROR, "3 records in conflict"));
	wn_prisma_release(&p);
	CHECK(load(&p, DATA "foreign.ledger", NULL, -1, -1) == 0);
	CHECK(has_msg(&p, WN_PRISMA_ERROR, "57 records that are not among its records"));
	wn_prisma_release(&p);
	CHECK(load(&p, DATA "reasons.ledger", NULL, -1, -1) == 0);
	CHECK(has_msg(&p, WN_PRISMA_ERROR, "every excluded report needs exactly one reason"));
	wn_prisma_release(&p);
	CHECK(load(&p, DATA "other-in-dedup.ledger", NULL, -1, -1) == 0);
	CHECK(has_msg(&p, WN_PRISMA_ERROR, "a source of kind 'citation'"));
	wn_prisma_release(&p);
}

static void test_bad_ledgers(void)
{
	struct wn_prisma p;
	struct wn_err err;

	wn_prisma_init(&p);
	CHECK(wn_prisma_add_ledger(&p, DATA "no-such.ledger", &err) == -1);
	CHECK_INT(err.code, WN_EIO);
	CHECK(strstr(err.msg, "no-such.ledger") != NULL);
	CHECK(wn_prisma_add_ledger(&p, DATA "damaged.ledger", &err) == -1);
	CHECK_INT(err.code, WN_ECORRUPT);
	CHECK(strstr(err.msg, "line 3") != NULL);
	wn_prisma_release(&p);

	wn_prisma_init(&p);
	CHECK(wn_prisma_add_ledger(&p, DATA "records.jsonl", &err) == 0);
	CHECK_INT(p.nerrors, 1);
	CHECK(has_msg(&p, WN_PRISMA_ERROR, "is not a winnow ledger entry"));
	CHECK(wn_prisma_add_ledger(&p, DATA "newer.ledger", &err) == 0);
	CHECK(has_msg(&p, WN_PRISMA_ERROR, "ledger format 2"));
	CHECK(wn_prisma_add_ledger(&p, DATA "empty.ledger", &err) == 0);
	CHECK(has_msg(&p, WN_PRISMA_ERROR, "is empty"));
	wn_prisma_release(&p);

	CHECK(load(&p, DATA "torn.ledger", NULL, -1, -1) == 0);
	CHECK_INT(p.nerrors, 0);
	CHECK(has_msg(&p, WN_PRISMA_WARNING, "line 8 is incomplete"));
	CHECK(has_msg(&p, WN_PRISMA_NOTE, "failed: its counts are not used"));
	CHECK_INT(N(DATABASE_RESULTS), 135);
	wn_prisma_release(&p);
}

/* ---- decision logs ---- */

static char tmp[256];

static const char *path_in_tmp(const char *name, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s/%s", tmp, name);
	return buf;
}

/* a log with decisions "id=action[:reason]" */
static void write_log(const char *name, enum wn_stage stage, const char *reviewer, const char *const *d)
{
	struct wn_declog_header h;
	struct wn_declog *log;
	struct wn_err err;
	char path[512];

	memset(&h, 0, sizeof(h));
	h.stage = stage;
	h.role = WN_ROLE_REVIEW;
	snprintf(h.reviewer, sizeof(h.reviewer), "%s", reviewer);
	log = wn_declog_open(path_in_tmp(name, path, sizeof(path)), &h, NULL, NULL, NULL, &err);
	CHECK(log != NULL);
	if (!log)
		return;
	for (; *d; d++) {
		char id[64], *eq, *colon;
		struct wn_declog_event ev;
		snprintf(id, sizeof(id), "%s", *d);
		eq = strchr(id, '=');
		*eq = 0;
		colon = strchr(eq + 1, ':');
		if (colon)
			*colon = 0;
		memset(&ev, 0, sizeof(ev));
		ev.record = id;
		ev.action = wn_action_parse(eq + 1, strlen(eq + 1));
		ev.reason = colon ? colon + 1 : NULL;
		CHECK(wn_declog_append(log, &ev, NULL, &err) == 0);
	}
	CHECK(wn_declog_close(log, &err) == 0);
}

static void write_ledger(const char *name, const char *ft_logs, const char *ft_state)
{
	char path[512];
	FILE *f = fopen(path_in_tmp(name, path, sizeof(path)), "w");

	fputs("{\"ledger\":1,\"run\":\"c000000000000001\",\"stage\":\"fetch\",\"tool\":\"winnow-fetch\",\"mode\":\"file\",\"records\":6,"
	      "\"sources\":{\"PubMed\":{\"kind\":\"database\",\"records\":4},\"CINAHL\":{\"kind\":\"database\",\"records\":2}},"
	      "\"files\":[{\"file\":\"p.xml\",\"records\":4,\"sources\":{\"PubMed\":4},\"bytes\":1,\"xxh64\":\"01\"},"
	      "{\"file\":\"c.csv\",\"records\":2,\"sources\":{\"CINAHL\":2},\"bytes\":2,\"xxh64\":\"02\"}],"
	      "\"started\":\"2020-01-01T00:00:00Z\",\"status\":\"ok\",\"finished\":\"2020-01-01T00:00:01Z\"}\n", f);
	fputs("{\"ledger\":1,\"run\":\"c000000000000002\",\"stage\":\"dedup\",\"tool\":\"winnow-dedup\",\"records_in\":6,\"records_out\":5,\"removed\":1,"
	      "\"started\":\"2020-01-01T00:01:00Z\",\"status\":\"ok\",\"finished\":\"2020-01-01T00:01:01Z\"}\n", f);
	fputs("{\"ledger\":1,\"run\":\"c000000000000003\",\"stage\":\"export\",\"tool\":\"winnow-screen\",\"screen_stage\":\"ta\",\"records_in\":5,"
	      "\"state_counts\":{\"include\":3,\"exclude\":2,\"conflict\":0,\"undecided\":0},\"logs\":[\"ta-a.log\",\"ta-b.log\"],"
	      "\"started\":\"2020-01-02T00:00:00Z\",\"status\":\"ok\",\"finished\":\"2020-01-02T00:00:01Z\"}\n", f);
	fprintf(f, "{\"ledger\":1,\"run\":\"c000000000000004\",\"stage\":\"export\",\"tool\":\"winnow-screen\",\"screen_stage\":\"ft\",\"records_in\":3,"
		"\"state_counts\":%s,\"not_retrieved\":1,\"excluded_by_reason\":{\"wrong setting\":1},\"logs\":%s,"
		"\"started\":\"2020-01-03T00:00:00Z\",\"status\":\"ok\",\"finished\":\"2020-01-03T00:00:01Z\"}\n",
		ft_state, ft_logs);
	fclose(f);
}

static int run_with_logs_opts(struct wn_prisma *p, const char *ledger, const char *const *logs,
			      const char *studies)
{
	struct wn_err err;
	struct wn_prisma_opts o = { -1, -1, NULL };
	char path[512], spath[512];

	wn_prisma_init(p);
	if (wn_prisma_add_ledger(p, path_in_tmp(ledger, path, sizeof(path)), &err) < 0)
		return -1;
	for (; *logs; logs++)
		if (wn_prisma_add_log(p, path_in_tmp(*logs, path, sizeof(path)), &err) < 0)
			return -1;
	if (studies)
		o.studies = path_in_tmp(studies, spath, sizeof(spath));
	return wn_prisma_compute(p, &o, &err);
}

static int run_with_logs(struct wn_prisma *p, const char *ledger, const char *const *logs)
{
	return run_with_logs_opts(p, ledger, logs, NULL);
}

static void test_logs(void)
{
	static const char *const ta_a[] = { "pubmed:1=include", "pubmed:2=include", "pubmed:3=exclude",
					    "pubmed:4=maybe", "cinahl:9=exclude", NULL };
	static const char *const ta_b[] = { "pubmed:1=include", "pubmed:2=maybe", "pubmed:3=exclude",
					    "pubmed:4=include", "cinahl:9=exclude", NULL };
	static const char *const ft_a[] = { "pubmed:1=include", "pubmed:2=exclude:wrong setting",
					    "pubmed:4=not-retrieved", NULL };
	static const char *const ft_b[] = { "pubmed:1=include", "pubmed:2=exclude:wrong setting",
					    "pubmed:4=not-retrieved", NULL };
	static const char *const foreign[] = { "pubmed:1=include", "pubmed:77=exclude:wrong setting",
					       "pubmed:4=not-retrieved", NULL };
	static const char *const all[] = { "ta-a.log", "ta-b.log", "ft-a.log", "ft-b.log", NULL };
	static const char *const with_foreign[] = { "ta-a.log", "ta-b.log", "ft-a.log", "ft-x.log", NULL };
	static const char *const extra[] = { "ta-a.log", "ta-b.log", "ft-a.log", "ft-b.log", "ft-x.log", NULL };
	const char *state = "{\"include\":1,\"exclude\":1,\"conflict\":0,\"undecided\":0,\"not-retrieved\":1}";
	struct wn_prisma p;

	write_log("ta-a.log", WN_STAGE_TA, "alice", ta_a);
	write_log("ta-b.log", WN_STAGE_TA, "bob", ta_b);
	write_log("ft-a.log", WN_STAGE_FT, "alice", ft_a);
	write_log("ft-b.log", WN_STAGE_FT, "bob", ft_b);
	write_log("ft-x.log", WN_STAGE_FT, "bob", foreign);
	write_ledger("good.ledger", "[\"ft-a.log\",\"ft-b.log\"]", state);
	write_ledger("foreign.ledger", "[\"ft-a.log\",\"ft-x.log\"]",
		     "{\"include\":1,\"exclude\":0,\"conflict\":1,\"undecided\":0,\"not-retrieved\":1}");

	/* the logs say what the exports counted */
	CHECK(run_with_logs(&p, "good.ledger", all) == 0);
	CHECK_INT(p.nerrors, 0);
	CHECK_INT(N(RECORDS_SCREENED), 5);
	CHECK_INT(N(NEW_REPORTS), 1);
	wn_prisma_release(&p);

	/* a log no export read: said, not counted */
	CHECK(run_with_logs(&p, "good.ledger", extra) == 0);
	CHECK_INT(p.nerrors, 0);
	CHECK(has_msg(&p, WN_PRISMA_WARNING, "ft-x.log' (bob, full text screening) was not read by any export"));
	wn_prisma_release(&p);

	/* a full-text log with a report that was never screened (another review) */
	CHECK(run_with_logs(&p, "foreign.ledger", with_foreign) == 0);
	CHECK(has_msg(&p, WN_PRISMA_ERROR, "'pubmed:77' (never screened)"));
	wn_prisma_release(&p);

	/* a decision made after the export: the recount differs */
	{
		static const char *const more[] = { "pubmed:1=include", "pubmed:2=exclude:wrong setting",
						    "pubmed:4=not-retrieved", "pubmed:1=exclude:wrong setting", NULL };
		write_log("ft-b2.log", WN_STAGE_FT, "bob", more);
		write_ledger("later.ledger", "[\"ft-a.log\",\"ft-b2.log\"]", state);
		{
			static const char *const l2[] = { "ta-a.log", "ta-b.log", "ft-a.log", "ft-b2.log", NULL };
			CHECK(run_with_logs(&p, "later.ledger", l2) == 0);
			CHECK(has_msg(&p, WN_PRISMA_ERROR, "the decision logs no longer say what"));
			wn_prisma_release(&p);
		}
	}

	/* only some of the logs: no recount, said so */
	{
		static const char *const some[] = { "ta-a.log", "ft-a.log", "ft-b.log", NULL };
		CHECK(run_with_logs(&p, "good.ledger", some) == 0);
		CHECK_INT(p.nerrors, 0);
		CHECK(has_msg(&p, WN_PRISMA_WARNING, "only 1 of the decision logs the title/abstract export read"));
		wn_prisma_release(&p);
	}

	/* two reports of one study: --studies groups them */
	{
		static const char *const fc[] = { "pubmed:1=include", "pubmed:2=include", "pubmed:4=not-retrieved", NULL };
		static const char *const l3[] = { "ta-a.log", "ta-b.log", "ft-c.log", "ft-d.log", NULL };
		static const char *const nolog[] = { "ta-a.log", "ta-b.log", NULL };
		char path[512];
		FILE *f;
		write_log("ft-c.log", WN_STAGE_FT, "alice", fc);
		write_log("ft-d.log", WN_STAGE_FT, "bob", fc);
		write_ledger("two.ledger", "[\"ft-c.log\",\"ft-d.log\"]",
			     "{\"include\":2,\"exclude\":0,\"conflict\":0,\"undecided\":0}");
		f = fopen(path_in_tmp("studies.tsv", path, sizeof(path)), "w");
		fputs("# report<TAB>study\npubmed:1\tINT-2019\npubmed:2\tINT-2019\npubmed:9\tother\n", f);
		fclose(f);
		CHECK(run_with_logs_opts(&p, "two.ledger", l3, "studies.tsv") == 0);
		CHECK_INT(N(NEW_REPORTS), 2);
		CHECK_INT(N(NEW_STUDIES), 1);
		CHECK_INT(N(TOTAL_STUDIES), 1);
		CHECK(p.studies_grouped);
		CHECK(strstr(p.v[WN_PK_NEW_STUDIES].from, "grouped into studies") != NULL);
		wn_prisma_release(&p);
		CHECK(run_with_logs_opts(&p, "two.ledger", nolog, "studies.tsv") == 0);
		CHECK(has_msg(&p, WN_PRISMA_ERROR, "needs the decision logs of the full-text export"));
		CHECK_INT(N(NEW_STUDIES), 2);
		wn_prisma_release(&p);
		f = fopen(path_in_tmp("bad.tsv", path, sizeof(path)), "w");
		fputs("pubmed:1 INT\n", f);
		fclose(f);
		CHECK(run_with_logs_opts(&p, "two.ledger", l3, "bad.tsv") == 0);
		CHECK(has_msg(&p, WN_PRISMA_ERROR, "bad.tsv' line 1 is not"));
		wn_prisma_release(&p);
	}

	/* not a decision log */
	{
		struct wn_err err;
		wn_prisma_init(&p);
		CHECK(wn_prisma_add_log(&p, DATA "basic.ledger", &err) == -1);
		CHECK(err.code == WN_EFORMAT || err.code == WN_ECORRUPT);
		wn_prisma_release(&p);
	}
}

int main(void)
{
	snprintf(tmp, sizeof(tmp), "%s/prisma-flow-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmp))
		return 2;
	RUN(test_basic);
	RUN(test_other_and_updated);
	RUN(test_counted_once);
	RUN(test_violations);
	RUN(test_bad_ledgers);
	RUN(test_logs);
	{
		char cmd[600];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
		if (wn_test_failures == 0 && system(cmd) != 0)
			return 2;
	}
	return wn_test_report();
}
