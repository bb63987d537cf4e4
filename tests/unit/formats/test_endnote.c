/*
 * test_endnote.c - EndNote XML (endnote_xml.c): <style> runs, the one-line file
 * EndNote writes, the plain Zotero/Mendeley layout, ISSNs in <isbn>, a truncated file.
 */
#include "wn_test.h"
#include "import_helper.h"

static void test_inline(void)
{
	static const char xml[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?><xml><records><record>"
		"<source-app name=\"EndNote\" version=\"20.0\">EndNote</source-app><rec-number>7</rec-number>"
		"<ref-type name=\"Journal Article\">17</ref-type><contributors><authors>"
		"<author><style face=\"normal\" font=\"default\" size=\"100%\">Smith, J.</style></author>"
		"<author><style face=\"normal\">Doe, </style><style face=\"italic\">Jane</style></author>"
		"</authors></contributors><titles><title><style face=\"normal\">Split </style>"
		"<style face=\"bold\">title</style></title><secondary-title><style>Sec</style></secondary-title></titles>"
		"<periodical><full-title>Journal Full</full-title><abbr-1>J Full</abbr-1></periodical>"
		"<pages>10-20</pages><volume>3</volume><number>4</number>"
		"<dates><year>2019</year><pub-dates><date>Aug 20</date></pub-dates></dates>"
		"<isbn>1234-5678 (Print)\r1234-5679 (Linking)\r978-3-16-148410-0</isbn>"
		"<accession-num>31415926</accession-num><electronic-resource-num>doi:10.1000/xyz</electronic-resource-num>"
		"<remote-database-name>MEDLINE</remote-database-name>"
		"<keywords><keyword>a</keyword><keyword><style>b</style></keyword></keywords>"
		"<urls><related-urls><url>http://a</url><url>http://b</url></related-urls></urls>"
		"<abstract>Para one.\nPara two.</abstract><custom1>c1</custom1>"
		"</record></records></xml>";
	struct imp_result r;

	CHECK_INT(imp_str(&r, NULL, xml), 0);
	CHECK_INT(r.nrec, 1);
	if (r.nrec) {
		json_object *x = r.rec[0];
		CHECK_STR(fld(x, "type"), "Journal Article");
		CHECK_STR(fld(x, "title"), "Split title");
		CHECK_STR(item(x, "authors", 1), "Doe, Jane");
		CHECK_STR(fld(x, "journal"), "Journal Full");
		CHECK_STR(fld(x, "journal_abbrev"), "J Full");
		CHECK_STR(xtra(x, "secondary-title", 0), "Sec");
		CHECK_STR(fld(x, "date"), "2019-08-20");
		CHECK_STR(item(x, "issn", 1), "1234-5679");
		CHECK_STR(item(x, "isbn", 0), "978-3-16-148410-0");
		CHECK_STR(fld(x, "doi"), "10.1000/xyz");
		CHECK_STR(fld(x, "source"), "MEDLINE");
		CHECK_STR(fld(x, "pmid"), "31415926");
		CHECK_STR(item(x, "keywords", 1), "b");
		CHECK_STR(fld(x, "url"), "http://a");
		CHECK_STR(xtra(x, "related-urls", 0), "http://b");
		CHECK_STR(fld(x, "abstract"), "Para one.\nPara two.");
		CHECK_STR(xtra(x, "custom1", 0), "c1");
	}
	imp_free(&r);
}

static void test_files(void)
{
	static const struct { const char *f; int n, skipped; const char *title; } t[] = {
		{ "endnote/EndnoteXmlImporterTestArticle.xml", 1, 0, "Trends in the lifetime risk of developing cancer in Great Britain: comparison of risk for those born from 1930 to 1960" },
		{ "endnote/EndnoteXmlImporterTestArticle2.xml", 2, 0, "An ecological basis for reforestation of submariginal lands in the Central Hardwood Region" },
		{ "endnote/EndnoteXmlImporterTestLabelAndMultiTitle.xml", 3, 0, NULL },
		{ "endnote/EndnoteXmlImporterTestReport.xml", 1, 0, NULL },
		{ "endnote/EndnoteXmlImporterTest_EmptyKeywordStyle.xml", 1, 0, NULL },
		{ "endnote/EndnoteXmlImporterTest_WithoutUrlStyle.xml", 1, 0, NULL },
		{ "endnote/EndnoteXmlImporterTest_WithoutUrlStyle2.xml", 2, 0, NULL },
		{ "endnote/oneline-derived.xml", 2, 0, "An ecological basis for reforestation of submariginal lands in the Central Hardwood Region" },
		{ "endnote/zotero-plain-derived.xml", 1, 0, "Trends in the lifetime risk of developing cancer in Great Britain: comparison of risk for those born from 1930 to 1960" },
		{ "endnote/truncated-derived.xml", 1, 1, "An ecological basis for reforestation of submariginal lands in the Central Hardwood Region" },
		{ NULL, 0, 0, NULL }
	};
	int i;

	for (i = 0; t[i].f; i++) {
		struct imp_result r;
		size_t len;
		char *buf = slurp(data_path(t[i].f), &len);
		CHECK(buf != NULL);
		if (!buf)
			continue;
		CHECK_INT(imp_run(&r, NULL, buf, len), 0);
		CHECK_INT(r.nrec, t[i].n);
		CHECK_INT(r.skipped, t[i].skipped);
		if (r.nrec && t[i].title)
			CHECK_STR(fld(r.rec[0], "title"), t[i].title);
		if (t[i].skipped)
			CHECK(strstr(r.diags, "malformed XML") != NULL);
		free(buf);
		imp_free(&r);
	}
}

static void test_hostile(void)
{
	/* an external entity is never loaded, a DOCTYPE does not make it dangerous */
	static const char xml[] =
		"<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
		"<xml><records><record><titles><title>T &e;</title></titles></record></records></xml>";
	struct imp_result r;

	imp_str(&r, "endnote-xml", xml);
	CHECK(r.nrec <= 1);
	if (r.nrec)
		CHECK(strstr(fld(r.rec[0], "title"), "root:") == NULL);
	imp_free(&r);
	/* not XML at all, forced */
	CHECK_INT(imp_str(&r, "endnote-xml", "hello"), 0);
	CHECK_INT(r.nrec, 0);
	CHECK_INT(r.skipped, 1);
	imp_free(&r);
}

/* ref-type without a name: EndNote's numbers; Mendeley's 0 is no type */
static void test_ref_type_numbers(void)
{
	struct imp_result r;

	CHECK_INT(imp_str(&r, NULL, "<xml><records><record><ref-type>17</ref-type><titles><title>A</title></titles>"
				    "</record><record><ref-type>0</ref-type><titles><title>B</title></titles></record>"
				    "</records></xml>"), 0);
	CHECK_INT(r.nrec, 2);
	if (r.nrec == 2) {
		CHECK_STR(fld(r.rec[0], "type"), "Journal Article");
		CHECK(fld(r.rec[1], "type") == NULL);
	}
	imp_free(&r);
}

int main(void)
{
	RUN(test_inline);
	RUN(test_files);
	RUN(test_hostile);
	RUN(test_ref_type_numbers);
	return wn_test_report();
}
