/* Unit tests: eligibility criteria files (criteria.h) - parsing, each rule type, the
 * missing/undetermined policy, rule order, and clear errors for bad files. */
#include <stdlib.h>
#include "wn_test.h"
#include "winnow/criteria.h"

static struct wn_criteria *parse(const char *text, struct wn_err *err)
{
	return wn_criteria_parse(text, strlen(text), "test.criteria", NULL, NULL, err);
}

static int check(struct wn_criteria *c, const char *json, unsigned char *failed)
{
	struct wn_err err;
	struct wn_criteria_state *s = wn_criteria_state_new(c, &err);
	json_object *rec = json_tokener_parse(json);
	int r = wn_criteria_check(s, rec, failed, &err);

	json_object_put(rec);
	wn_criteria_state_free(s);
	return r;
}

static const char *example =
	"# the PubMed limits of the example review\n"
	"[rule date-limit]\n"
	"reason = published outside 08/12/1997 - 08/04/2020\n"
	"date = 1997-12-08 .. 2020-04-08\n"
	"\n"
	"[rule english]\n"
	"reason = not in English\n"
	"language = english\n"
	"[rule no-editorials]\n"
	"kind = other\n"
	"exclude-pubtypes = Editorial, Comment\n"
	"[rule nhs]\n"
	"require = NHS OR \"National Health Service\"\n"
	"fields = ti,ab\n";

static void test_rules(void)
{
	struct wn_err err;
	struct wn_criteria *c = parse(example, &err);
	unsigned char failed[8];

	CHECK(c != NULL);
	if (!c) {
		fprintf(stderr, "  %s\n", err.msg);
		return;
	}
	CHECK_INT(wn_criteria_count(c), 4);
	CHECK_STR(wn_criteria_reason(c, 0), "published outside 08/12/1997 - 08/04/2020");
	CHECK_STR(wn_criteria_name(c, 2), "no-editorials");
	CHECK_INT(wn_criteria_kind(c, 2), WN_CRIT_OTHER);
	CHECK_INT(wn_criteria_kind(c, 1), WN_CRIT_AUTOMATION);
	CHECK_STR(wn_criteria_reason(c, 3), "required terms missing");
	/* Alderwick 2024: excluded by the date limit, English unknown */
	CHECK_INT(check(c, "{\"title\":\"NHS reforms\",\"year\":2024,\"date\":\"2024\"}", failed), 0);
	CHECK_INT(check(c, "{\"title\":\"NHS reforms\",\"date\":\"2020-04-08\",\"language\":\"eng\"}", failed), -1);
	CHECK_INT(check(c, "{\"title\":\"NHS reforms\",\"date\":\"2020-04-09\",\"language\":\"eng\"}", failed), 0);
	CHECK_INT(check(c, "{\"title\":\"NHS reforms\",\"date\":\"1997-12-07\"}", failed), 0);
	/* several failures: the first is the reason, the others are flagged */
	CHECK_INT(check(c, "{\"title\":\"x\",\"year\":1990,\"language\":\"French\",\"pubtypes\":[\"Editorial\"]}", failed), 0);
	CHECK(failed[0] && failed[1] && failed[2] && failed[3]);
	CHECK_INT(check(c, "{\"title\":\"NHS\",\"year\":2000,\"language\":\"fre\"}", failed), 1);
	CHECK_INT(check(c, "{\"title\":\"NHS\",\"year\":2000,\"language\":\"English; French\"}", failed), -1);
	CHECK_INT(check(c, "{\"title\":\"NHS\",\"year\":2000,\"pubtypes\":[\"Journal Article\",\"Comment\"]}", failed), 2);
	CHECK_INT(check(c, "{\"title\":\"the National Health Service\",\"year\":2000}", failed), -1);
	CHECK_INT(check(c, "{\"title\":\"x\",\"year\":2000,\"keywords\":[\"NHS\"]}", failed), 3); /* fields = ti,ab */
	wn_criteria_free(c);
}

static void test_missing(void)
{
	struct wn_err err;
	struct wn_criteria *c = parse("[rule y]\nyear = 1997 ..\n[rule d]\ndate = 1997-12-08 ..\nmissing = exclude\n", &err);
	struct wn_criteria_state *s;
	json_object *r1 = json_tokener_parse("{\"title\":\"no date\"}");
	json_object *r2 = json_tokener_parse("{\"year\":1997}");
	json_object *r3 = json_tokener_parse("{\"date\":\"1998-01\"}");

	CHECK(c != NULL);
	if (!c)
		return;
	s = wn_criteria_state_new(c, &err);
	/* no date: rule y keeps it (undetermined), rule d excludes it */
	CHECK_INT(wn_criteria_check(s, r1, NULL, &err), 1);
	/* 1997 against 1997-12-08: too coarse for d (excluded, missing = exclude) */
	CHECK_INT(wn_criteria_check(s, r2, NULL, &err), 1);
	CHECK_INT(wn_criteria_check(s, r3, NULL, &err), -1);
	/* undetermined counts only kept records */
	CHECK_INT(wn_criteria_undetermined(s, 0), 0);
	wn_criteria_state_free(s);
	wn_criteria_free(c);
	c = parse("[rule y]\nyear = 1997 .. 2020\n[rule pt]\ninclude-pubtypes = Journal Article\n", &err);
	s = wn_criteria_state_new(c, &err);
	CHECK_INT(wn_criteria_check(s, r1, NULL, &err), -1);
	CHECK_INT(wn_criteria_undetermined(s, 0), 1);
	CHECK_INT(wn_criteria_undetermined(s, 1), 1);
	wn_criteria_state_free(s);
	wn_criteria_free(c);
	json_object_put(r1);
	json_object_put(r2);
	json_object_put(r3);
}

static void expect_error(const char *text, const char *msg_part)
{
	struct wn_err err;
	struct wn_criteria *c = parse(text, &err);

	CHECK(c == NULL);
	wn_criteria_free(c);
	if (!c) {
		CHECK_INT(err.code, WN_EFORMAT);
		if (!strstr(err.msg, msg_part))
			fprintf(stderr, "  message '%s' lacks '%s'\n", err.msg, msg_part);
		CHECK(strstr(err.msg, msg_part) != NULL);
	}
}

static void test_errors(void)
{
	expect_error("", "has no rules");
	expect_error("date = 1997 ..\n", "line 1: a setting before the first");
	expect_error("[rule a]\nreason = x\n", "line 1: rule 'a' has no condition");
	expect_error("[rule a]\ndate = 1997\n", "line 2: date needs a range");
	expect_error("[rule a]\nyear = 2020 .. 1997\n", "line 2: year needs a range");
	expect_error("[rule a]\nlanguage = klingon\n", "line 2: unknown language");
	expect_error("[rule a]\nlanguage = english\nyear = 1997 ..\n", "line 3: rule 'a' already has a condition");
	expect_error("[rule a]\nlanguage = english\n[rule a]\nyear = 1997 ..\n", "line 3: rule 'a' is defined twice");
	expect_error("[rule a]\nfoo = bar\n", "line 2: unknown setting 'foo'");
	expect_error("[rule a]\nkind = sometimes\nyear = 1997 ..\n", "line 2: kind is");
	expect_error("[rule a]\nrequire = (a OR\n", "line 1: rule 'a': the search string does not parse");
	expect_error("[rule]\n", "line 1: expected '[rule NAME]'");
	expect_error("[rule a]\njust text\n", "line 2: expected 'key = value'");
	expect_error("[rule a]\ndialect = klingon\nrequire = x\n", "line 2: unknown dialect");
	/* an empty second reason: an error, not a double free (fuzz_criteria) */
	expect_error("[rule a]\nreason = x\nreason =\nyear = 1997 ..\n", "line 3: empty reason");
	/* a type with no letters or digits is no type */
	expect_error("[rule a]\ninclude-pubtypes = --, ;\n", "line 2: empty publication type list");
}

int main(void)
{
	RUN(test_rules);
	RUN(test_missing);
	RUN(test_errors);
	return wn_test_report();
}
