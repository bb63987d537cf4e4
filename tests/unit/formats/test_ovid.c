/*
 * test_ovid.c - Ovid's display and tagged layouts (ovid.c).
 */
#include "wn_test.h"
#include "import_helper.h"

static void test_display(void)
{
	size_t len;
	char *buf = slurp(data_path("ovid/OvidImporterTest1.txt"), &len);
	struct imp_result r;

	CHECK(buf != NULL);
	if (!buf)
		return;
	CHECK_INT(imp_run(&r, NULL, buf, len), 0);
	CHECK_INT(r.nrec, 5);
	if (r.nrec == 5) {
		/* a chapter: the chapter is the title, the book the "journal" */
		CHECK_STR(fld(r.rec[0], "title"), "Einleitung");
		CHECK_STR(fld(r.rec[0], "journal"), "Musterbuch");
		CHECK_STR(item(r.rec[0], "authors", 1), "Musterfrau");
		CHECK_STR(fld(r.rec[1], "issue"), "2");
		CHECK_STR(fld(r.rec[1], "pages"), "103-106");
		CHECK_STR(fld(r.rec[1], "date"), "2015-04");
		CHECK_INT(wn_record_get_int(r.rec[4], "year", 0), 2014);
	}
	imp_free(&r);
	free(buf);
	buf = slurp(data_path("ovid/OvidImporterTest6.txt"), &len);
	if (!buf)
		return;
	CHECK_INT(imp_run(&r, NULL, buf, len), 0);
	CHECK_INT(r.nrec, 1);
	if (r.nrec) {
		json_object *x = r.rec[0];
		/* degrees and affiliation markers are not part of names */
		CHECK_STR(item(x, "authors", 0), "Verbeek, Jan");
		CHECK_STR(item(x, "authors", 3), "Frolke, Jan Paul");
		CHECK_STR(fld(x, "title"), "Correct positioning of percutaneous iliosacral screws with computer-navigated versus fluoroscopically guided surgery in traumatic pelvic ring fractures.");
		CHECK_STR(item(x, "pubtypes", 0), "Article");
		CHECK_STR(fld(x, "source_id"), "00005131-900000000-99049");
		CHECK_STR(fld(x, "doi"), "10.1097/BOT.0000000000000502");
		CHECK_STR(fld(x, "language"), "English");
	}
	imp_free(&r);
	free(buf);
}

static void test_tagged(void)
{
	size_t len;
	char *buf = slurp(data_path("ovid/ovid_tagged_handmade.ovd"), &len);
	struct imp_result r;

	CHECK(buf != NULL);
	if (!buf)
		return;
	CHECK_INT(imp_run(&r, NULL, buf, len), 0);
	CHECK_INT(r.nrec, 2);
	if (r.nrec == 2) {
		json_object *x = r.rec[0];
		CHECK_STR(fld(x, "source"), "Embase");
		CHECK_STR(fld(x, "id"), "embase:621381829");
		CHECK_STR(fld(x, "title"), "Quality of life in patients with primary ciliary dyskinesia: A systematic review.");
		CHECK_STR(item(x, "authors", 2), "Lucas, J.S.");
		CHECK_STR(item(x, "mesh", 0), "*quality of life");
		CHECK_STR(fld(x, "doi"), "10.1186/s12919-018-0099-8");
		CHECK_INT(wn_record_get_int(x, "year", 0), 2018);
	}
	imp_free(&r);
	free(buf);
}

static void test_not_ovid(void)
{
	size_t len;
	char *buf = slurp(data_path("ovid/OvidImporterTest2Invalid.txt"), &len);

	/* labels without <1> record markers: not taken for Ovid (or anything else) */
	CHECK(buf != NULL);
	if (buf) {
		const struct wn_format *f = wn_format_detect((const unsigned char *)buf, len, NULL);
		CHECK(f == NULL);
		free(buf);
	}
}

static void test_bad_input(void)
{
	char *buf = malloc(20000);
	struct imp_result r;
	size_t n;

	if (!buf)
		return;
	n = (size_t)snprintf(buf, 20000, "<1>\nTitle\n  before\n<2>\nAbstract\n  ");
	memset(buf + n, 'a', 5000);
	n += 5000;
	n += (size_t)snprintf(buf + n, 20000 - n, "\n<3>\nTitle\n  after\n");
	CHECK_INT(imp_run_max(&r, NULL, buf, n, NULL, 0, 1024), 0);
	CHECK_INT(r.nrec, 2);
	CHECK_INT(r.skipped, 1);
	if (r.nrec == 2)
		CHECK_STR(fld(r.rec[1], "title"), "after");
	imp_free(&r);
	/* a record cut off after its marker */
	CHECK_INT(imp_str(&r, "ovid", "<1>\nTitle\n  ok\n<2>\n"), 0);
	CHECK_INT(r.nrec, 1);
	CHECK_INT(r.skipped, 1);
	imp_free(&r);
	free(buf);
}

int main(void)
{
	RUN(test_display);
	RUN(test_tagged);
	RUN(test_not_ovid);
	RUN(test_bad_input);
	return wn_test_report();
}
