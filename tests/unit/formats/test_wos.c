/*
 * test_wos.c - Web of Science tagged and tab-delimited imports (wos.c, wos_tab.c,
 * wos_tags.c): continuation lines as items or text, AF over AU, pages and dates, the
 * source from UT, damaged files, and the two exports of one search agreeing.
 */
#include "wn_test.h"
#include "import_helper.h"

static void test_tagged_basics(void)
{
	static const char wos[] =
		"\xEF\xBB\xBF" "FN Clarivate Analytics Web of Science\nVR 1.0\n"
		"PT J\nAU Smith, J\n   Doe, JA\nAF Smith, John\n   Doe, Jane A.\n"
		"TI A title that wraps\n   onto a second line\nSO JOURNAL OF TESTS\n"
		"DE alpha; beta;\n   gamma\nID BETA; DELTA\nAB An abstract.\n"
		"CR Ref A, 2000, J X, V1, P2\n   Ref B, 2001, J Y, V3, P4\n"
		"SN 1234-5678\nEI 8765-4321\nPD JUN 14\nPY 2006\nVL 18\nIS 23\nBP 5323\nEP 5331\n"
		"DI 10.1088/0953-8984/18/23/006\nPM 16842170\nUT WOS:000238592600006\nER\n\nEF\n";
	struct imp_result r;

	CHECK_INT(imp_run(&r, NULL, wos, sizeof(wos) - 1), 0);
	CHECK_INT(r.nrec, 1);
	if (r.nrec == 1) {
		json_object *x = r.rec[0];
		CHECK_STR(fld(x, "source"), "Web of Science");
		CHECK_STR(fld(x, "source_id"), "WOS:000238592600006");
		CHECK_STR(fld(x, "id"), "web-of-science:WOS:000238592600006");
		CHECK_STR(fld(x, "title"), "A title that wraps onto a second line");
		/* full names (AF) win; the short ones stay in extra */
		CHECK_STR(item(x, "authors", 0), "Smith, John");
		CHECK_STR(item(x, "authors", 1), "Doe, Jane A.");
		CHECK_STR(xtra(x, "AU", 1), "Doe, JA");
		CHECK_INT(wn_record_get_int(x, "year", 0), 2006);
		CHECK_STR(fld(x, "date"), "2006-06-14");
		CHECK_STR(fld(x, "pages"), "5323-5331");
		CHECK_STR(fld(x, "doi"), "10.1088/0953-8984/18/23/006");
		CHECK_STR(fld(x, "pmid"), "16842170");
		CHECK_STR(item(x, "issn", 1), "8765-4321");
		/* DE and ID keywords, split on ';' across the continuation line; Keywords
		 * Plus keep their own (upper) case */
		CHECK_STR(item(x, "keywords", 2), "gamma");
		CHECK_STR(item(x, "keywords", 3), "BETA");
		CHECK_STR(item(x, "keywords", 4), "DELTA");
		CHECK_INT(wn_record_count(x, "keywords"), 5);
		/* each CR continuation line is one reference */
		CHECK_STR(xtra(x, "CR", 1), "Ref B, 2001, J Y, V3, P4");
	}
	imp_free(&r);
}

static void test_tolerance(void)
{
	/* no FN header, a missing ER before the next PT, a record cut off at the end, a
	 * record with nothing in it */
	static const char wos[] =
		"PT J\nTI First\nAU One, A\nPY 2001\n"
		"PT J\nTI Second\nUT MEDLINE:123\n"
		"ER\nPT J\nNR 3\nER\n"
		"PT J\nTI Third (truncated)\nAR e0209483\n";
	struct imp_result r;

	CHECK_INT(imp_run(&r, "wos", wos, sizeof(wos) - 1), 0);
	CHECK_INT(r.nrec, 3);
	CHECK_INT(r.skipped, 1);
	if (r.nrec == 3) {
		CHECK_STR(fld(r.rec[0], "title"), "First");
		CHECK_STR(fld(r.rec[1], "source"), "MEDLINE (Web of Science)");
		CHECK_STR(fld(r.rec[1], "pmid"), "123");
		/* an article number is the page when there is no BP */
		CHECK_STR(fld(r.rec[2], "pages"), "e0209483");
		/* origin.index counts the skipped record too */
		{
			json_object *o, *i;
			json_object_object_get_ex(r.rec[2], "origin", &o);
			json_object_object_get_ex(o, "index", &i);
			CHECK_INT(json_object_get_int(i), 4);
		}
	}
	CHECK(strstr(r.diags, "not closed by ER") != NULL);
	CHECK(strstr(r.diags, "no bibliographic fields") != NULL);
	imp_free(&r);
}

static void test_strict(void)
{
	static const char wos[] = "FN x\nVR 1.0\nPT J\nNR 1\nER\nPT J\nTI ok\nER\nEF\n";
	struct imp_result r;

	CHECK_INT(imp_run_opts(&r, NULL, wos, sizeof(wos) - 1, NULL, 1), -1);
	CHECK(strstr(r.err, "record 1") != NULL);
	CHECK(strstr(r.err, "--strict") != NULL);
	imp_free(&r);
}

static void test_latin1(void)
{
	/* Windows-1252 bytes in a file read as UTF-8: repaired, counted, said */
	static const char wos[] = "FN x\nVR 1.0\nPT J\nTI Caf\xe9 au lait\nAU M\xfcller, H\nER\nEF\n";
	struct imp_result r;
	json_object *files, *f0, *rep;

	CHECK_INT(imp_run(&r, NULL, wos, sizeof(wos) - 1), 0);
	CHECK_INT(r.nrec, 1);
	if (r.nrec)
		CHECK_STR(fld(r.rec[0], "title"), "Caf\xc3\xa9 au lait");
	CHECK(strstr(r.diags, "2 bytes of invalid UTF-8") != NULL);
	json_object_object_get_ex(r.summary, "files", &files);
	f0 = json_object_array_get_idx(files, 0);
	CHECK(json_object_object_get_ex(f0, "repaired_bytes", &rep) && json_object_get_int(rep) == 2);
	imp_free(&r);
}

static void test_detect(void)
{
	const struct wn_format *f;
	static const char ris[] = "TY  - JOUR\nTI  - x\nER  - \n";
	static const char isi[] = "\nPT J\nAU Brown, J\nTI x\nER\n";

	f = wn_format_detect((const unsigned char *)isi, sizeof(isi) - 1, NULL);
	CHECK(f && !strcmp(f->name, "wos"));
	f = wn_format_detect((const unsigned char *)ris, sizeof(ris) - 1, NULL);
	CHECK(!f || strcmp(f->name, "wos") != 0);
}

/* The plain-text and the tab-delimited export (UTF-8 and UTF-16) of the same search
 * give the same records, apart from the address and reference formatting the exports
 * themselves differ in. */
static void test_three_exports_agree(void)
{
	const char *files[3] = { "wos/wos_plaintext_5.txt", "wos/wos_tab_utf8_5.txt", "wos/wos_tab_utf16_5.txt" };
	struct imp_result r[3];
	int k, i;

	for (k = 0; k < 3; k++) {
		size_t len;
		char *buf = slurp(data_path(files[k]), &len);
		CHECK(buf != NULL);
		if (!buf)
			return;
		CHECK_INT(imp_run(&r[k], NULL, buf, len), 0);
		CHECK_INT(r[k].nrec, 5);
		free(buf);
	}
	for (k = 1; k < 3; k++) {
		for (i = 0; i < 5 && i < r[0].nrec && i < r[k].nrec; i++) {
			json_object *a = json_object_get(r[0].rec[i]), *b = json_object_get(r[k].rec[i]);
			json_object_object_del(a, "origin");
			json_object_object_del(b, "origin");
			json_object_object_del(a, "extra");
			json_object_object_del(b, "extra");
			CHECK_STR(json_object_to_json_string(a), json_object_to_json_string(b));
			json_object_put(a);
			json_object_put(b);
		}
	}
	if (r[2].nrec)
		CHECK_STR(fld(r[2].rec[0], "title"),
			  "Knowledge networks as channels and conduits: The effects of spillovers in the Boston biotechnology community");
	for (k = 0; k < 3; k++)
		imp_free(&r[k]);
}

static void test_empty_and_garbage(void)
{
	struct imp_result r;

	/* FN header only: read as WoS, no records */
	CHECK_INT(imp_str(&r, NULL, "FN Clarivate Analytics Web of Science\nVR 1.0\nEF\n"), 0);
	CHECK_INT(r.nrec, 0);
	CHECK(strstr(r.diags, "no records found") != NULL);
	imp_free(&r);
	/* garbage forced as wos: lines outside records, said once */
	CHECK_INT(imp_str(&r, "wos", "hello\nworld\n"), 0);
	CHECK_INT(r.nrec, 0);
	CHECK(strstr(r.diags, "2 lines outside any record") != NULL);
	imp_free(&r);
}

/* A field longer than the line cap spoils its record only. */
static void test_huge_field(void)
{
	char *buf = malloc(20000);
	struct imp_result r;
	size_t n;

	if (!buf)
		return;
	n = (size_t)snprintf(buf, 20000, "FN x\nVR 1.0\nPT J\nTI before\nER\nPT J\nAB ");
	memset(buf + n, 'a', 5000);
	n += 5000;
	n += (size_t)snprintf(buf + n, 20000 - n, "\nTI huge\nER\nPT J\nTI after\nER\nEF\n");
	CHECK_INT(imp_run_max(&r, NULL, buf, n, NULL, 0, 1024), 0);
	CHECK_INT(r.nrec, 2);
	CHECK_INT(r.skipped, 1);
	CHECK(strstr(r.diags, "longer than 1024 bytes") != NULL);
	if (r.nrec == 2)
		CHECK_STR(fld(r.rec[1], "title"), "after");
	imp_free(&r);
	free(buf);
}

int main(void)
{
	RUN(test_tagged_basics);
	RUN(test_tolerance);
	RUN(test_strict);
	RUN(test_latin1);
	RUN(test_detect);
	RUN(test_three_exports_agree);
	RUN(test_empty_and_garbage);
	RUN(test_huge_field);
	return wn_test_report();
}
