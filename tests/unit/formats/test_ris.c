/* Unit tests: the RIS format (ris.c, ris_map.c) */
#include <stdio.h>
#include "test_pubmed_harness.h"

static void run_str(struct run *r, const char *text)
{
	run_import(r, text, strlen(text), "ris");
}

static void test_fields(void)
{
	struct run r;

	run_str(&r,
		"TY  - JOUR\n"
		"DB  - Embase\n"
		"Medline\n"
		"AN  - L2030246463\n"
		"T1  - Title of the paper\n"
		"A1  - Boisvert, C.\n"
		"AU  - Curtice, B.\n"
		"Y1  - 2014//\n"
		"DA  - 2014/07/21/\n"
		"JF  - Anatomical Record\n"
		"JO  - Anat. Rec.\n"
		"SN  - 0964-6906 (Print)0964-6906\n"
		"SN  - 1932-8494\n"
		"SP  - 1535-41\n"
		"VL  - 12\n"
		"IS  - 3\n"
		"DO  - https://dx.doi.org/10.1002/ar.25520\n"
		"N2  - First paragraph.\n"
		"Second paragraph that is\n"
		"wrapped.\n"
		"KW  - article\n"
		"biostratigraphy\n"
		"Colorado\n"
		"KW  - dinosaur\n"
		"LA  - English\n"
		"PB  - Wiley\n"
		"UR  - https://www.embase.com/x\n"
		"N1  - RAYYAN-INCLUSION: {\"Emily\"=>\"Included\"}\n"
		"M3  - Article\n"
		"XY  - an unknown tag\n"
		"PD  - \n"
		"ER  - \n");
	CHECK_INT(r.rc, 0);
	CHECK_INT(run_count(&r), 1);
	CHECK_STR(rec_str(&r, 0, "id"), "embase:L2030246463");
	CHECK_STR(rec_str(&r, 0, "source"), "Embase");
	CHECK_STR(rec_extra(&r, 0, "DB"), "Medline");
	CHECK_STR(rec_str(&r, 0, "source_id"), "L2030246463");
	CHECK_STR(rec_str(&r, 0, "type"), "JOUR");
	CHECK_STR(rec_str(&r, 0, "title"), "Title of the paper");
	CHECK_STR(rec_json(&r, 0, "authors"), "[\"Boisvert, C.\",\"Curtice, B.\"]");
	CHECK_INT(wn_record_get_int(run_rec(&r, 0), "year", 0), 2014);
	CHECK_STR(rec_str(&r, 0, "date"), "2014-07-21");
	CHECK_STR(rec_str(&r, 0, "journal"), "Anatomical Record");
	CHECK_STR(rec_str(&r, 0, "journal_abbrev"), "Anat. Rec.");
	CHECK_STR(rec_json(&r, 0, "issn"), "[\"0964-6906\",\"1932-8494\"]");
	CHECK_STR(rec_str(&r, 0, "pages"), "1535-41");
	CHECK_STR(rec_str(&r, 0, "volume"), "12");
	CHECK_STR(rec_str(&r, 0, "issue"), "3");
	CHECK_STR(rec_str(&r, 0, "doi"), "10.1002/ar.25520");
	CHECK_STR(rec_str(&r, 0, "abstract"), "First paragraph.\nSecond paragraph that is wrapped.");
	CHECK_STR(rec_json(&r, 0, "keywords"), "[\"article\",\"biostratigraphy\",\"Colorado\",\"dinosaur\"]");
	CHECK_STR(rec_str(&r, 0, "language"), "English");
	CHECK_STR(rec_str(&r, 0, "publisher"), "Wiley");
	CHECK_STR(rec_str(&r, 0, "url"), "https://www.embase.com/x");
	CHECK_STR(rec_extra(&r, 0, "N1"), "RAYYAN-INCLUSION: {\"Emily\"=>\"Included\"}");
	CHECK_STR(rec_extra(&r, 0, "M3"), "Article");
	CHECK_STR(rec_extra(&r, 0, "XY"), "an unknown tag");
	CHECK_STR(rec_extra(&r, 0, "PD"), "");
	CHECK_STR(r.diags.data, "");
	run_free(&r);
}

/* Layout quirks of real exports, each in a few lines. */
static void test_vendor_layouts(void)
{
	struct run r;

	/* Ovid: record numbers, blank lines, NL after ER */
	run_str(&r, "1. \nTY  - JOUR\nDB  - APA PsycInfo <2021>\nID  - 2021-94054-001\nT1  - One\nER  - \nNL  - J Neurodev Disord\n\n"
		    "2.\n\nTY  - JOUR\nDB  - APA PsycInfo <2020>\nID  - 2020-1\nT1  - Two\nER  -\n");
	CHECK_INT(run_count(&r), 2);
	CHECK_STR(rec_str(&r, 0, "source"), "APA PsycInfo <2021>");
	CHECK_STR(rec_str(&r, 0, "id"), "apa-psycinfo-2021:2021-94054-001");
	CHECK_STR(rec_extra(&r, 0, "NL"), "J Neurodev Disord");
	CHECK_STR(rec_str(&r, 1, "title"), "Two");
	CHECK_STR(rec_json(&r, 1, "origin"), "{\"file\":\"test\",\"index\":2}");
	CHECK_STR(r.diags.data, "");
	run_free(&r);

	/* Cochrane: a header per record, two spaces after the dash, C3 PUBMED */
	run_str(&r, "Record #1 of 2\nProvider: John Wiley & Sons, Ltd.\nContent: text/plain; charset=\"UTF-8\"\n\n"
		    "TY  -  JOUR\nAN  -  CN-00778158\nT1  -  Cochrane one\nC3  -  PUBMED 21314913\nPY  -  2011\nER  -  \n\n"
		    "Record #2 of 2\nTY  -  JOUR\nAN  -  CN-1\nTI  -  Cochrane two\nER  -\n");
	CHECK_INT(run_count(&r), 2);
	CHECK_STR(rec_str(&r, 0, "type"), "JOUR");
	CHECK_STR(rec_str(&r, 0, "source_id"), "CN-00778158");
	CHECK_STR(rec_str(&r, 0, "pmid"), "21314913");
	CHECK_STR(rec_str(&r, 0, "title"), "Cochrane one");
	CHECK_STR(rec_str(&r, 1, "title"), "Cochrane two");
	CHECK_STR(r.diags.data, "");
	run_free(&r);

	/* BOM, CRLF and lone CR, a leading space and blank lines before TY (RefWorks,
	 * EndNote), a missing final ER */
	run_str(&r, "\xef\xbb\xbf\r\n \r\n TY  - JOUR\r\nTI  - Crlf\rAU  - X, Y\r\nER  - \r\n\nTY  - BOOK\nTI  - No ER at the end\nPY  - 1999\n");
	CHECK_INT(run_count(&r), 2);
	CHECK_STR(rec_str(&r, 0, "title"), "Crlf");
	CHECK_STR(rec_json(&r, 0, "authors"), "[\"X, Y\"]");
	CHECK_STR(rec_str(&r, 1, "type"), "BOOK");
	CHECK_STR(rec_str(&r, 1, "title"), "No ER at the end");
	run_free(&r);

	/* a file that lost its TY lines; a TY inside a record (missing ER) is reported */
	run_str(&r, "JF  - Empirical Software Engineering\nT1  - No TY\nER  -\n\n"
		    "TY  - JOUR\nTI  - First\nTY  - JOUR\nTI  - Second?\nER  - \n");
	CHECK_INT(run_count(&r), 2);
	CHECK_STR(rec_str(&r, 0, "title"), "No TY");
	CHECK(!json_object_object_get_ex(run_rec(&r, 0), "type", NULL));
	CHECK_STR(rec_str(&r, 1, "title"), "First");
	CHECK_STR(rec_extra(&r, 1, "TI"), "Second?");
	CHECK(has_diag(&r, "W 2 7: a TY line inside a record (no ER before it?): kept in the record that started at line 5"));
	run_free(&r);

	/* tags after ER that end with an ER of their own are a record (ASReview's test) */
	run_str(&r, "TY  - GEN\nTI  - Title\nER  - End of Reference\nUK  - Unknown Tag\nER  -\n");
	CHECK_INT(run_count(&r), 2);
	CHECK_STR(rec_extra(&r, 1, "UK"), "Unknown Tag");
	CHECK(has_diag(&r, "1 record with no title, authors or identifier"));
	run_free(&r);

	/* inside a record, lines that look like Ovid or Cochrane furniture are text */
	run_str(&r, "TY  - JOUR\nAB  - Methods were:\n2.\nContent: analysis of x.\nER  - \n");
	CHECK_INT(run_count(&r), 1);
	CHECK_STR(rec_str(&r, 0, "abstract"), "Methods were:\n2.\nContent: analysis of x.");
	run_free(&r);

	/* junk outside records is counted in one note */
	run_str(&r, "Some header line\nanother\nTY  - JOUR\nTI  - x\nER  - \ntrailing words\n");
	CHECK_INT(run_count(&r), 1);
	CHECK(has_diag(&r, "N 0 1: 3 lines outside any record ignored (not RIS tags)"));
	run_free(&r);
}

static void test_tag_choices(void)
{
	struct run r;

	run_str(&r,
		/* TI over T1, AB over N2, T2 as the journal, J2 as the abbreviation, SP+EP */
		"TY  - JOUR\nT1  - T1 title\nTI  - TI title\nN2  - n2\nAB  - ab\nT2  - Journal Full\nJ2  - J. Full\n"
		"SP  - 193\nEP  - 194\nPY  - 2001/09/01/\nL2  - http://dx.doi.org/10.1023/A:1017379030770\nER  - \n"
		/* a chapter: T2 is the book; SN with an ISBN; DP as the source; PubMed AN */
		"TY  - CHAP\nTI  - Chapter\nT2  - The Book\nSN  - 978-3-16-148410-0\nDP  - NLM\nAN  - 21553931\n"
		"Y1  - 1948/07//\nER  - \n"
		/* IEEE-style date, an unparseable year kept, a PubMed URL */
		"TY  - CONF\nTI  - Conf\nY1  - 1 Jan.-Feb. 2019\nDA  - Spring\nUR  - https://pubmed.ncbi.nlm.nih.gov/30616811/\nER  - \n");
	CHECK_INT(run_count(&r), 3);
	CHECK_STR(rec_str(&r, 0, "title"), "TI title");
	CHECK_STR(rec_extra(&r, 0, "T1"), "T1 title");
	CHECK_STR(rec_str(&r, 0, "abstract"), "ab");
	CHECK_STR(rec_extra(&r, 0, "N2"), "n2");
	CHECK_STR(rec_str(&r, 0, "journal"), "Journal Full");
	CHECK_STR(rec_str(&r, 0, "journal_abbrev"), "J. Full");
	CHECK_STR(rec_str(&r, 0, "pages"), "193-194");
	CHECK_STR(rec_str(&r, 0, "date"), "2001-09-01");
	CHECK_STR(rec_str(&r, 0, "doi"), "10.1023/A:1017379030770");
	CHECK_STR(rec_str(&r, 1, "type"), "CHAP");
	CHECK_STR(rec_str(&r, 1, "journal"), "The Book");
	CHECK_STR(rec_json(&r, 1, "isbn"), "[\"978-3-16-148410-0\"]");
	CHECK_STR(rec_str(&r, 1, "source"), "NLM");
	CHECK_STR(rec_str(&r, 1, "pmid"), "21553931");
	CHECK_STR(rec_str(&r, 1, "date"), "1948-07");
	CHECK_INT(wn_record_get_int(run_rec(&r, 2), "year", 0), 2019);
	CHECK_STR(rec_str(&r, 2, "date"), "2019");
	CHECK_STR(rec_extra(&r, 2, "DA"), "Spring");
	CHECK_STR(rec_str(&r, 2, "pmid"), "30616811");
	run_free(&r);
}

static void test_bad_input(void)
{
	struct run r;
	struct run_opts strict = { "ris", 1, 0, NULL };
	struct run_opts small = { "ris", 0, 300, NULL };
	struct wn_buf b;
	unsigned char u16[512];
	const char *src = "TY  - JOUR\r\nTI  - Na#ve\r\nER  - \r\n";
	size_t i, n = 0;
	int k;

	/* invalid UTF-8: repaired as Windows-1252 */
	run_str(&r, "TY  - JOUR\nTI  - Caf\xe9 \x96 bar\nER  - \n");
	CHECK_INT(run_count(&r), 1);
	CHECK_STR(rec_str(&r, 0, "title"), "Caf\xc3\xa9 \xe2\x80\x93 bar");
	run_free(&r);

	/* UTF-16LE with BOM ('#' is U+00EF) */
	u16[n++] = 0xFF;
	u16[n++] = 0xFE;
	for (i = 0; src[i]; i++) {
		u16[n++] = src[i] == '#' ? 0xEF : (unsigned char)src[i];
		u16[n++] = 0;
	}
	run_import(&r, u16, n, NULL);
	CHECK_INT(run_count(&r), 1);
	CHECK_STR(rec_str(&r, 0, "title"), "Na\xc3\xafve");
	run_free(&r);

	/* an over-long line spoils its record only; --strict stops there */
	wn_buf_init(&b, 0);
	wn_buf_adds(&b, "TY  - JOUR\nTI  - one\nER  - \nTY  - JOUR\nAB  - ", NULL);
	for (k = 0; k < 100; k++)
		wn_buf_adds(&b, "long text ", NULL);
	wn_buf_adds(&b, "\nTI  - two\nER  - \nTY  - JOUR\nTI  - three\nER  - \n", NULL);
	run_import_opts(&r, b.data, b.len, "test", &small);
	CHECK_INT(run_count(&r), 2);
	CHECK_INT(skip_reason(&r, "line too long"), 1);
	CHECK(has_diag(&r, "W 2 4: line too long: "));
	CHECK_STR(rec_str(&r, 1, "title"), "three");
	CHECK_STR(rec_json(&r, 1, "origin"), "{\"file\":\"test\",\"index\":3}");
	CHECK_STR(file_info(&r, "skip_reasons"), "{\"line too long\":1}");
	run_free(&r);
	small.strict = 1;
	run_import_opts(&r, b.data, b.len, "big.ris", &small);
	CHECK_INT(r.rc, -1);
	CHECK_STR(r.err.msg, "'big.ris' record 2 (line 4): line too long (--strict)");
	run_free(&r);
	wn_buf_release(&b);
	(void)strict;

	/* not RIS at all, forced: nothing found, said so */
	run_str(&r, "just some text\nwith no tags\n");
	CHECK_INT(run_count(&r), 0);
	CHECK(has_diag(&r, "2 lines outside any record ignored"));
	CHECK(has_diag(&r, "no records found"));
	run_free(&r);
}

static void test_detect(void)
{
	const struct wn_format *f = wn_format_by_name("ris");
	const char *a = "TY  - JOUR\nTI  - x\nER  - \n", *b = "1.\nTY  - JOUR\nER  -\n",
		   *c = "Record #1 of 2\nProvider: x\n\nTY  -  JOUR\n", *d = "PMID- 1\nTI  - x\n",
		   *e = "FN Clarivate Analytics Web of Science\nPT J\nER\n";

	CHECK(f != NULL);
	CHECK_INT(f->detect((const unsigned char *)a, strlen(a)), 95);
	CHECK_INT(f->detect((const unsigned char *)b, strlen(b)), 95);
	CHECK_INT(f->detect((const unsigned char *)c, strlen(c)), 90);
	CHECK_INT(f->detect((const unsigned char *)d, strlen(d)), 0);
	CHECK_INT(f->detect((const unsigned char *)e, strlen(e)), 0);
	CHECK(wn_format_detect((const unsigned char *)a, strlen(a), NULL) == f);
}

/* Every RIS sample of the corpus gives its counted number of records. */
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
		if (k < 8 || strncmp(col[5], "RIS", 3) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/samples/%s", shared, col[0]);
		data = slurp_file(path, &n);
		CHECK(data != NULL);
		if (!data)
			continue;
		run_import(&r, data, n, NULL);
		CHECK_INT(r.rc, 0);
		CHECK_STR(file_info(&r, "format"), "\"ris\"");
		if ((long)run_count(&r) != strtol(col[7], NULL, 10) || summary_int(&r, "skipped") != 0)
			fprintf(stderr, "%s: %zu records, %ld skipped, expected %s\n", col[0], run_count(&r),
				summary_int(&r, "skipped"), col[7]);
		CHECK_INT(run_count(&r), strtol(col[7], NULL, 10));
		CHECK_INT(summary_int(&r, "skipped"), 0);
		files++;
		run_free(&r);
		free(data);
	}
	fclose(tsv);
	CHECK(files >= 79);
}

int main(void)
{
	RUN(test_fields);
	RUN(test_vendor_layouts);
	RUN(test_tag_choices);
	RUN(test_bad_input);
	RUN(test_detect);
	RUN(test_corpus_counts);
	return wn_test_report();
}
