/*
 * test_answers.c - the answers TSV: good lines, header, comments, CRLF and BOM, and
 * every kind of bad line reported as FILE:LINE: why.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "wn_test.h"
#include "winnow/answers.h"
#include "winnow/buf.h"

struct got {
	struct wn_buf good, bad;
};

static int on_good(const struct wn_answer *a, void *data)
{
	struct got *g = data;

	wn_buf_addf(&g->good, NULL, "%lu:%s:%s:%s:%s|", a->lineno, a->id, wn_action_name(a->decision),
		    a->reason ? a->reason : "-", a->note ? a->note : "-");
	return 0;
}

static void on_bad(const char *msg, unsigned long lineno, void *data)
{
	struct got *g = data;

	(void)lineno;
	wn_buf_addf(&g->bad, NULL, "%s\n", msg);
}

static char path[300];

static void write_file(const char *text, size_t n)
{
	FILE *fp = fopen(path, "wb");

	if (fp) {
		fwrite(text, 1, n, fp);
		fclose(fp);
	}
}

static int run(const char *text, size_t n, enum wn_stage st, struct got *g, struct wn_answers_stats *s)
{
	struct wn_err err;

	write_file(text, n);
	wn_buf_reset(&g->good);
	wn_buf_reset(&g->bad);
	return wn_answers_read(path, st, on_good, on_bad, g, s, &err);
}

static void test_good(void)
{
	static const char text[] = "\xEF\xBB\xBFrecord_id\tdecision\treason\r\n"
				   "# exported from Rayyan\r\n"
				   "pubmed:1\tinclude\r\n"
				   "\r\n"
				   "pubmed:2\tEXCLUDE\twrong population\r\n"
				   " pubmed:3 \t maybe \t\t\r\n"
				   "pubmed:4\texclude\t\tread in full\r\n";
	struct got g;
	struct wn_answers_stats s;

	wn_buf_init(&g.good, 0);
	wn_buf_init(&g.bad, 0);
	CHECK_INT(run(text, sizeof(text) - 1, WN_STAGE_TA, &g, &s), 0);
	CHECK_STR(g.good.data, "3:pubmed:1:include:-:-|5:pubmed:2:exclude:wrong population:-|"
		  "6:pubmed:3:maybe:-:-|7:pubmed:4:exclude:-:read in full|");
	CHECK_STR(g.bad.data, "");
	CHECK_INT(s.answers, 4);
	CHECK_INT(s.bad, 0);
	wn_buf_release(&g.good);
	wn_buf_release(&g.bad);
}

static void test_bad(void)
{
	static const char ta[] = "pubmed:1\tinclde\n"
				 "pubmed:2\tnot-retrieved\n"
				 "pubmed:3\tinclude\twrong population\n"
				 "pubmed:4\n"
				 "\tinclude\n"
				 "pubmed:6\tinclude\ta\tb\tc\n"
				 "pubmed:7\tinclude\n";
	static const char ft[] = "pubmed:1\tmaybe\n"
				 "pubmed:2\texclude\n"
				 "pubmed:3\texclude\twrong setting\n"
				 "pubmed:4\tnot_retrieved\n"
				 "pubmed:\xff\tinclude\n";
	struct got g;
	struct wn_answers_stats s;
	struct wn_err err;
	char want[400];

	wn_buf_init(&g.good, 0);
	wn_buf_init(&g.bad, 0);
	CHECK_INT(run(ta, sizeof(ta) - 1, WN_STAGE_TA, &g, &s), 0);
	CHECK_STR(g.good.data, "7:pubmed:7:include:-:-|");
	snprintf(want, sizeof(want), "%s:1: unknown decision 'inclde' (include, exclude, maybe or not-retrieved)\n", path);
	CHECK(strstr(g.bad.data, want) != NULL);
	snprintf(want, sizeof(want), "%s:2: 'not-retrieved' is a full-text decision", path);
	CHECK(strstr(g.bad.data, want) != NULL);
	snprintf(want, sizeof(want), "%s:3: a reason goes with 'exclude' only", path);
	CHECK(strstr(g.bad.data, want) != NULL);
	snprintf(want, sizeof(want), "%s:4: expected record_id<TAB>decision", path);
	CHECK(strstr(g.bad.data, want) != NULL);
	snprintf(want, sizeof(want), "%s:5: an empty record id", path);
	CHECK(strstr(g.bad.data, want) != NULL);
	snprintf(want, sizeof(want), "%s:6: too many columns", path);
	CHECK(strstr(g.bad.data, want) != NULL);
	CHECK_INT(s.bad, 6);

	CHECK_INT(run(ft, sizeof(ft) - 1, WN_STAGE_FT, &g, &s), 0);
	CHECK_STR(g.good.data, "3:pubmed:3:exclude:wrong setting:-|4:pubmed:4:not-retrieved:-:-|");
	snprintf(want, sizeof(want), "%s:1: 'maybe' is not a full-text decision", path);
	CHECK(strstr(g.bad.data, want) != NULL);
	snprintf(want, sizeof(want), "%s:2: a full-text exclusion needs a reason (third column)", path);
	CHECK(strstr(g.bad.data, want) != NULL);
	snprintf(want, sizeof(want), "%s:5: not valid UTF-8", path);
	CHECK(strstr(g.bad.data, want) != NULL);

	/* without a bad-line callback the first bad line is the error */
	write_file(ft, sizeof(ft) - 1);
	CHECK_INT(wn_answers_read(path, WN_STAGE_FT, on_good, NULL, &g, NULL, &err), -1);
	CHECK(err.code == WN_EFORMAT && strstr(err.msg, ":1: 'maybe'"));
	/* empty and missing files */
	CHECK_INT(run("", 0, WN_STAGE_TA, &g, &s), 0);
	CHECK_INT(s.answers, 0);
	unlink(path);
	CHECK_INT(wn_answers_read(path, WN_STAGE_TA, on_good, on_bad, &g, NULL, &err), -1);
	CHECK(err.code == WN_EIO);
	wn_buf_release(&g.good);
	wn_buf_release(&g.bad);
}

static void test_huge_line(void)
{
	struct got g;
	struct wn_answers_stats s;
	struct wn_buf big;

	wn_buf_init(&g.good, 0);
	wn_buf_init(&g.bad, 0);
	wn_buf_init(&big, 0);
	wn_buf_adds(&big, "pubmed:1\tinclude\n", NULL);
	while (big.len < (2u << 20))
		wn_buf_adds(&big, "xxxxxxxxxxxxxxxx", NULL);
	wn_buf_adds(&big, "\tinclude\npubmed:3\texclude\n", NULL);
	CHECK_INT(run(big.data, big.len, WN_STAGE_TA, &g, &s), 0);
	CHECK_STR(g.good.data, "1:pubmed:1:include:-:-|3:pubmed:3:exclude:-:-|");
	CHECK(strstr(g.bad.data, ":2: a line longer than 1 MiB") != NULL);
	wn_buf_release(&big);
	wn_buf_release(&g.good);
	wn_buf_release(&g.bad);
}

int main(void)
{
	const char *tmp = getenv("WINNOW_TEST_TMP");

	if (tmp && *tmp)
		mkdir(tmp, 0755);
	snprintf(path, sizeof(path), "%s/answers-%ld.tsv", tmp && *tmp ? tmp : "/tmp", (long)getpid());
	RUN(test_good);
	RUN(test_bad);
	RUN(test_huge_line);
	unlink(path);
	return wn_test_report();
}
