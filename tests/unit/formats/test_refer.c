/*
 * test_refer.c - the EndNote/refer tagged format (refer.c).
 */
#include "wn_test.h"
#include "import_helper.h"

static void test_basics(void)
{
	static const char enw[] =
		"%0 Journal Article\n%A Preißel, René\n%A John Smith\n%T A title\n%J A Journal\n"
		"%D 2016\n%8 March 3, 2016\n%V 12\n%N 3\n%P 1-10\n%R 10.1000/abc\n%@ 1234-5678\n"
		"%U http://x\n%U http://y\n%X First part\nof the abstract.\n\nSecond paragraph.\n"
		"%K one\n%K two; three\n%M ACC1\n%~ PubMed\n%C Heidelberg\n\n"
		"%0 Book\n%T Second\n%@ 978-3-86490-311-3\n";
	struct imp_result r;

	CHECK_INT(imp_str(&r, NULL, enw), 0);
	CHECK_INT(r.nrec, 2);
	if (r.nrec == 2) {
		json_object *a = r.rec[0];
		CHECK_STR(fld(a, "type"), "Journal Article");
		CHECK_STR(item(a, "authors", 0), "Preißel, René");
		CHECK_STR(item(a, "authors", 1), "Smith, John");
		CHECK_STR(fld(a, "journal"), "A Journal");
		CHECK_STR(fld(a, "date"), "2016-03-03");
		CHECK_STR(fld(a, "doi"), "10.1000/abc");
		CHECK_STR(item(a, "issn", 0), "1234-5678");
		CHECK_STR(fld(a, "url"), "http://x");
		CHECK_STR(xtra(a, "%U", 0), "http://y");
		CHECK_STR(fld(a, "abstract"), "First part of the abstract.\nSecond paragraph.");
		CHECK_STR(item(a, "keywords", 2), "three");
		CHECK_STR(fld(a, "source"), "PubMed");
		CHECK_STR(xtra(a, "%C", 0), "Heidelberg");
		CHECK_STR(item(r.rec[1], "isbn", 0), "978-3-86490-311-3");
	}
	imp_free(&r);
}

static void test_edges(void)
{
	struct imp_result r;
	size_t len;
	char *buf;

	/* lines before any %0 are not records */
	CHECK_INT(imp_str(&r, "refer", "%A Lost Author\n%T Lost title\n%0 Book\n%T Kept\n"), 0);
	CHECK_INT(r.nrec, 1);
	CHECK(strstr(r.diags, "2 lines before any %0 line") != NULL);
	imp_free(&r);
	/* JabRef's entries file: 13 %0 lines, 13 records, most of them only a type */
	buf = slurp(data_path("refer/Endnote.entries.enw"), &len);
	CHECK(buf != NULL);
	if (buf) {
		CHECK_INT(imp_run(&r, NULL, buf, len), 0);
		CHECK_INT(r.nrec, 13);
		CHECK(strstr(r.diags, "12 records with no title, authors or identifier") != NULL);
		if (r.nrec)
			CHECK_STR(xtra(r.rec[0], "%E", 1), "testE1");
		imp_free(&r);
		free(buf);
	}
	/* a single tag line is not enough to call a file refer */
	CHECK(wn_format_detect((const unsigned char *)"%A testA", 8, NULL) == NULL);
}

static void test_bad_input(void)
{
	char *buf = malloc(20000);
	struct imp_result r;
	size_t n;

	CHECK_INT(imp_str(&r, NULL, "%0 Book\n%T Caf\xe9\n"), 0);
	CHECK_INT(r.nrec, 1);
	if (r.nrec)
		CHECK_STR(fld(r.rec[0], "title"), "Caf\xc3\xa9");
	imp_free(&r);
	if (!buf)
		return;
	n = (size_t)snprintf(buf, 20000, "%%0 Book\n%%T before\n%%0 Book\n%%X ");
	memset(buf + n, 'a', 5000);
	n += 5000;
	n += (size_t)snprintf(buf + n, 20000 - n, "\n%%0 Book\n%%T after\n");
	CHECK_INT(imp_run_max(&r, NULL, buf, n, NULL, 0, 1024), 0);
	CHECK_INT(r.nrec, 2);
	CHECK_INT(r.skipped, 1);
	imp_free(&r);
	free(buf);
}

int main(void)
{
	RUN(test_basics);
	RUN(test_edges);
	RUN(test_bad_input);
	return wn_test_report();
}
