/* Unit tests: the MEDLINE / nbib format (medline.c) */
#include <stdio.h>
#include "test_pubmed_harness.h"

static void run_str(struct run *r, const char *text)
{
	run_import(r, text, strlen(text), "medline");
}

static const char *const sample =
	"\n"
	"PMID- 30616811\n"
	"OWN - NLM\n"
	"STAT- MEDLINE\n"
	"IS  - 1932-6203 (Electronic)\n"
	"IS  - 1932-6203 (Linking)\n"
	"IS  - 0000-0019 (Print)\n"
	"VI  - 14\n"
	"IP  - 1\n"
	"DP  - 2019 Jan 5\n"
	"TI  - Effect of probiotics on the gut: a randomised\n"
	"      controlled trial.\n"
	"PG  - e0209483\n"
	"LID - 10.1371/journal.pone.0209483 [doi]\n"
	"LID - e0209483 [pii]\n"
	"AB  - BACKGROUND: Some background. METHODS: Some\n"
	"      methods.\n"
	"FAU - Wu, Dan\n"
	"AU  - Wu D\n"
	"AD  - Department of X, Y University.\n"
	"FAU - Smith, John A Jr\n"
	"AU  - Smith JA Jr\n"
	"CN  - COVID Study Group\n"
	"LA  - ENG\n"
	"PT  - Journal Article\n"
	"PT  - Randomized Controlled Trial\n"
	"TA  - PLoS One\n"
	"JT  - PloS one\n"
	"MH  - *Probiotics\n"
	"MH  - Obesity/*epidemiology/etiology\n"
	"OTO - NOTNLM\n"
	"OT  - gut flora\n"
	"OT  - probiotics\n"
	"CIN - Lancet. 2019 Jan 5;393(10166):28. PMID: 30616800\n"
	"EIN - PLoS One. 2019 Mar 1;14(3):e2.\n"
	"RIN - PLoS One. 2020;15(1):e1. PMID: 31999999\n"
	"PMC - PMC6322745\n"
	"AID - 10.1371/journal.pone.0209483 [doi]\n"
	"AID - PONE-D-18-1 [pii]\n"
	"SO  - PLoS One. 2019 Jan 5;14(1):e0209483.\n"
	"\n"
	"PMID- 12345\n"
	"DP  - 1998 Dec-1999 Jan\n"
	"TI  - Second.\n"
	"AU  - Doe J\n";

static void test_fields(void)
{
	struct run r;

	run_str(&r, sample);
	CHECK_INT(r.rc, 0);
	CHECK_INT(run_count(&r), 2);
	CHECK_STR(rec_str(&r, 0, "id"), "pubmed:30616811");
	CHECK_STR(rec_str(&r, 0, "source"), "PubMed");
	CHECK_STR(rec_str(&r, 0, "source_id"), "30616811");
	CHECK_STR(rec_str(&r, 0, "type"), "Journal Article");
	CHECK_STR(rec_str(&r, 0, "title"), "Effect of probiotics on the gut: a randomised controlled trial.");
	CHECK_STR(rec_str(&r, 0, "abstract"), "BACKGROUND: Some background. METHODS: Some methods.");
	CHECK_STR(rec_json(&r, 0, "authors"), "[\"Wu, Dan\",\"Smith, John A Jr\",\"COVID Study Group\"]");
	CHECK_INT(wn_record_get_int(run_rec(&r, 0), "year", 0), 2019);
	CHECK_STR(rec_str(&r, 0, "date"), "2019-01-05");
	CHECK_STR(rec_json(&r, 0, "issn"), "[\"1932-6203\",\"0000-0019\"]");
	CHECK_STR(rec_str(&r, 0, "volume"), "14");
	CHECK_STR(rec_str(&r, 0, "issue"), "1");
	CHECK_STR(rec_str(&r, 0, "pages"), "e0209483");
	CHECK_STR(rec_str(&r, 0, "doi"), "10.1371/journal.pone.0209483");
	CHECK_STR(rec_str(&r, 0, "pmcid"), "PMC6322745");
	CHECK_STR(rec_str(&r, 0, "language"), "eng");
	CHECK_STR(rec_str(&r, 0, "journal"), "PloS one");
	CHECK_STR(rec_str(&r, 0, "journal_abbrev"), "PLoS One");
	CHECK_STR(rec_json(&r, 0, "pubtypes"), "[\"Journal Article\",\"Randomized Controlled Trial\"]");
	CHECK_STR(rec_json(&r, 0, "mesh"), "[\"*Probiotics\",\"Obesity/*epidemiology/etiology\"]");
	CHECK_STR(rec_json(&r, 0, "keywords"), "[\"gut flora\",\"probiotics\"]");
	CHECK_STR(rec_json(&r, 0, "notices"),
		  "[{\"type\":\"CommentIn\",\"pmid\":\"30616800\",\"ref\":\"Lancet. 2019 Jan 5;393(10166):28.\"},"
		  "{\"type\":\"ErratumIn\",\"ref\":\"PLoS One. 2019 Mar 1;14(3):e2.\"},"
		  "{\"type\":\"RetractionIn\",\"pmid\":\"31999999\",\"ref\":\"PLoS One. 2020;15(1):e1.\"}]");
	CHECK_STR(rec_extra(&r, 0, "pii"), "[\"e0209483\",\"PONE-D-18-1\"]");
	CHECK_STR(rec_extra(&r, 0, "STAT"), "MEDLINE");
	CHECK_STR(rec_extra(&r, 0, "AD"), "Department of X, Y University.");
	CHECK_STR(rec_extra(&r, 0, "OTO"), "NOTNLM");
	CHECK_STR(rec_extra(&r, 0, "DP"), ""); /* an exact date: nothing more to keep */
	CHECK_STR(rec_json(&r, 0, "origin"), "{\"file\":\"test\",\"index\":1}");
	/* second record: a range date, AU without FAU */
	CHECK_INT(wn_record_get_int(run_rec(&r, 1), "year", 0), 1998);
	CHECK_STR(rec_str(&r, 1, "date"), "1998-12");
	CHECK_STR(rec_extra(&r, 1, "DP"), "1998 Dec-1999 Jan");
	CHECK_STR(rec_json(&r, 1, "authors"), "[\"Doe J\"]");
	CHECK_STR(rec_json(&r, 1, "origin"), "{\"file\":\"test\",\"index\":2}");
	CHECK_STR(r.diags.data, "");
	run_free(&r);
}

/* The same citation in PubMed XML and in MEDLINE maps to the same values. */
static void test_agrees_with_xml(void)
{
	struct run x, m;
	const char *xml = "<PubmedArticleSet><PubmedArticle><MedlineCitation Status=\"MEDLINE\"><PMID Version=\"1\">9997</PMID>"
		"<Article><Journal><ISSN IssnType=\"Print\">0006-3002</ISSN><JournalIssue><Volume>446</Volume><Issue>1</Issue>"
		"<PubDate><Year>1976</Year><Month>Sep</Month><Day>28</Day></PubDate></JournalIssue>"
		"<Title>Biochimica et biophysica acta</Title></Journal>"
		"<ArticleTitle>Magnetic studies of Chromatium flavocytochrome C552.</ArticleTitle>"
		"<Pagination><MedlinePgn>179-91</MedlinePgn></Pagination>"
		"<AuthorList><Author><LastName>Strekas</LastName><ForeName>T C</ForeName></Author></AuthorList>"
		"<Language>eng</Language><PublicationTypeList><PublicationType>Journal Article</PublicationType></PublicationTypeList></Article>"
		"<MedlineJournalInfo><MedlineTA>Biochim Biophys Acta</MedlineTA></MedlineJournalInfo>"
		"<MeshHeadingList><MeshHeading><DescriptorName MajorTopicYN=\"N\">Chromatium</DescriptorName>"
		"<QualifierName MajorTopicYN=\"Y\">enzymology</QualifierName></MeshHeading></MeshHeadingList>"
		"</MedlineCitation><PubmedData><ArticleIdList><ArticleId IdType=\"doi\">10.1016/0005-2795(76)90109-4</ArticleId>"
		"</ArticleIdList></PubmedData></PubmedArticle></PubmedArticleSet>";
	const char *med = "PMID- 9997\nIS  - 0006-3002 (Print)\nVI  - 446\nIP  - 1\nDP  - 1976 Sep 28\n"
		"TI  - Magnetic studies of Chromatium flavocytochrome C552.\nPG  - 179-91\n"
		"FAU - Strekas, T C\nAU  - Strekas TC\nLA  - eng\nPT  - Journal Article\n"
		"TA  - Biochim Biophys Acta\nJT  - Biochimica et biophysica acta\nMH  - Chromatium/*enzymology\n"
		"AID - 10.1016/0005-2795(76)90109-4 [doi]\n";
	static const char *const fields[] = { "id", "source", "source_id", "type", "title", "authors", "year",
		"date", "journal", "journal_abbrev", "issn", "volume", "issue", "pages", "doi", "pmid", "language",
		"pubtypes", "mesh", NULL };
	size_t i;

	run_import(&x, xml, strlen(xml), "pubmed-xml");
	run_str(&m, med);
	CHECK_INT(run_count(&x), 1);
	CHECK_INT(run_count(&m), 1);
	for (i = 0; fields[i]; i++) {
		char a[512];
		snprintf(a, sizeof(a), "%s", rec_json(&x, 0, fields[i]));
		if (strcmp(a, rec_json(&m, 0, fields[i])) != 0)
			fprintf(stderr, "field %s differs\n", fields[i]);
		CHECK_STR(rec_json(&m, 0, fields[i]), a);
	}
	run_free(&x);
	run_free(&m);
}

static void test_layout_quirks(void)
{
	struct run r;

	/* a leading space before the first PMID, CRLF, no blank line between records,
	 * "PMID-123" without its space, a book */
	run_str(&r, " PMID- 1\r\nTI  - One\r\nPMID-2\r\nTI  - Two\r\n\r\n\r\n"
		    "PMID- 3\nBTI - A Book Title\nPB  - Some Press\nISBN- 978-0-12-345678-9\nFED - Editor, Ed\n"
		    "\nPMID- 4\nTI  - A chapter\nBTI - The Book\n");
	CHECK_INT(run_count(&r), 4);
	CHECK_STR(rec_str(&r, 0, "pmid"), "1");
	CHECK_STR(rec_str(&r, 0, "title"), "One");
	CHECK_STR(rec_str(&r, 1, "pmid"), "2");
	CHECK_STR(rec_str(&r, 1, "title"), "Two");
	CHECK_STR(rec_str(&r, 2, "type"), "Book");
	CHECK_STR(rec_str(&r, 2, "title"), "A Book Title");
	CHECK_STR(rec_str(&r, 2, "publisher"), "Some Press");
	CHECK_STR(rec_json(&r, 2, "isbn"), "[\"978-0-12-345678-9\"]");
	CHECK_STR(rec_extra(&r, 2, "editors"), "Editor, Ed");
	CHECK_STR(rec_str(&r, 3, "type"), "Book Chapter");
	CHECK_STR(rec_str(&r, 3, "journal"), "The Book");
	CHECK_STR(rec_extra(&r, 3, "BTI"), "");
	run_free(&r);
}

static void test_bad_input(void)
{
	struct run r;
	struct run_opts strict = { "medline", 1, 0, NULL };
	struct run_opts small = { "medline", 0, 200, NULL };
	struct wn_buf b;
	int i;

	/* a record without PMID: skipped, counted; the others kept */
	run_str(&r, "PMID- 1\nTI  - One\n\nTI  - Orphan title\nAU  - X Y\n\nPMID- 3\nTI  - Three\n");
	CHECK_INT(run_count(&r), 2);
	CHECK_INT(skip_reason(&r, "no PMID"), 1);
	CHECK(has_diag(&r, "W 2 4: no PMID"));
	CHECK_STR(rec_json(&r, 1, "origin"), "{\"file\":\"test\",\"index\":3}");
	run_free(&r);

	run_import_opts(&r, "PMID- 1\nTI  - One\n\nTI  - Orphan\n", 26, "x.nbib", &strict);
	CHECK_INT(r.rc, -1);
	CHECK_STR(r.err.msg, "'x.nbib' record 2 (line 4): no PMID (--strict)");
	run_free(&r);

	/* invalid UTF-8 is repaired (as Windows-1252), never dropped */
	run_str(&r, "PMID- 5\nTI  - Caf\xe9 \x93quoted\x94\n");
	CHECK_INT(run_count(&r), 1);
	CHECK_STR(rec_str(&r, 0, "title"), "Caf\xc3\xa9 \xe2\x80\x9cquoted\xe2\x80\x9d");
	run_free(&r);

	/* an over-long line spoils its record only */
	wn_buf_init(&b, 0);
	wn_buf_adds(&b, "PMID- 1\nTI  - ok\n\nPMID- 2\nAB  - ", NULL);
	for (i = 0; i < 100; i++)
		wn_buf_adds(&b, "very long abstract ", NULL);
	wn_buf_adds(&b, "\nTI  - x\n\nPMID- 3\nTI  - fine\n", NULL);
	run_import_opts(&r, b.data, b.len, "test", &small);
	CHECK_INT(run_count(&r), 2);
	CHECK_INT(skip_reason(&r, "line too long"), 1);
	CHECK(has_diag(&r, "W 2 4: line too long"));
	CHECK_STR(rec_str(&r, 1, "pmid"), "3");
	run_free(&r);
	wn_buf_release(&b);

	/* empty input with --format medline: no records, a warning */
	run_str(&r, "\n\n");
	CHECK_INT(r.rc, 0);
	CHECK_INT(run_count(&r), 0);
	CHECK(has_diag(&r, "no records found"));
	run_free(&r);
}

static void test_detect(void)
{
	const struct wn_format *f = wn_format_by_name("medline");
	const char *a = "\nPMID- 1\nOWN - NLM\n", *b = "\xef\xbb\xbf PMID- 1\nTI  - x\n",
		   *c = "TY  - JOUR\nTI  - x\nER  - \n", *d = "FN Clarivate\nVR 1.0\nPT J\n",
		   *e = "TI  - no pmid\nAU  - X\nPT  - Book\n";

	CHECK(f != NULL);
	CHECK_INT(f->detect((const unsigned char *)a, strlen(a)), 100);
	CHECK_INT(f->detect((const unsigned char *)b, strlen(b)), 100);
	CHECK_INT(f->detect((const unsigned char *)c, strlen(c)), 0);
	CHECK_INT(f->detect((const unsigned char *)d, strlen(d)), 0);
	CHECK_INT(f->detect((const unsigned char *)e, strlen(e)), 40);
	/* a MEDLINE file named .ris is still MEDLINE */
	CHECK(wn_format_detect((const unsigned char *)a, strlen(a), NULL) == f);
}

/* Every MEDLINE sample of the corpus gives its counted number of records. */
static void test_corpus_counts(void)
{
	const char *shared = getenv("WINNOW_SHARED");
	char path[1024], line[4096];
	FILE *tsv;
	int files = 0;

	if (!shared)
		return;
	snprintf(path, sizeof(path), "%s/samples/SOURCES.tsv", shared);
	tsv = fopen(path, "r");
	if (!tsv) {
		printf("skipped: no %s\n", path);
		return;
	}
	while (fgets(line, sizeof(line), tsv)) {
		char *col[16], *p = line;
		int k = 0;
		struct run r;
		char *data;
		size_t n;

		while (k < 16 && (col[k] = strsep(&p, "\t")) != NULL)
			k++;
		if (k < 8 || strncmp(col[5], "MEDLINE", 7) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/samples/%s", shared, col[0]);
		data = slurp_file(path, &n);
		CHECK(data != NULL);
		if (!data)
			continue;
		run_import(&r, data, n, NULL); /* detected, .ris name or not */
		CHECK_INT(r.rc, 0);
		CHECK_STR(file_info(&r, "format"), "\"medline\"");
		if ((long)run_count(&r) != strtol(col[7], NULL, 10))
			fprintf(stderr, "%s: %zu records, expected %s\n", col[0], run_count(&r), col[7]);
		CHECK_INT(run_count(&r), strtol(col[7], NULL, 10));
		files++;
		run_free(&r);
		free(data);
	}
	fclose(tsv);
	CHECK(files >= 11);
}

int main(void)
{
	RUN(test_fields);
	RUN(test_agrees_with_xml);
	RUN(test_layout_quirks);
	RUN(test_bad_input);
	RUN(test_detect);
	RUN(test_corpus_counts);
	return wn_test_report();
}
