/* Unit tests: the PubMed XML format (pubmed_xml*.c, medline_util.c) */
#include <stdio.h>
#include <unistd.h>
#include "test_pubmed_harness.h"
#include "medline_util.h"
#include "pubmed_xml.h"

#define SET_OPEN "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
	"<!DOCTYPE PubmedArticleSet PUBLIC \"-//NLM//DTD PubMedArticle, 1st January 2025//EN\" " \
	"\"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd\">\n<PubmedArticleSet>\n"
#define SET_CLOSE "</PubmedArticleSet>\n"

/* A minimal article with PMID p and title t. */
#define ART(p, t) "<PubmedArticle><MedlineCitation Status=\"MEDLINE\"><PMID Version=\"1\">" p \
	"</PMID><Article><ArticleTitle>" t "</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n"

static void run_str(struct run *r, const char *xml)
{
	run_import(r, xml, strlen(xml), "pubmed-xml");
}

static void test_detect(void)
{
	const struct wn_format *f = wn_format_by_name("pubmed-xml");
	const char *a = SET_OPEN, *b = "<MedlineCitationSet><MedlineCitation Owner=\"NLM\">",
		   *c = "<PubmedBookArticle>\n<BookDocument>", *d = "<?xml version=\"1.0\"?><xml><records>",
		   *e = "TY  - JOUR\nER  - \n";
	unsigned char u16[256];
	size_t i, n = 0;

	CHECK(f != NULL);
	CHECK_INT(f->detect((const unsigned char *)a, strlen(a)), 100);
	CHECK_INT(f->detect((const unsigned char *)b, strlen(b)), 100);
	CHECK_INT(f->detect((const unsigned char *)c, strlen(c)), 95);
	CHECK_INT(f->detect((const unsigned char *)d, strlen(d)), 0);
	CHECK_INT(f->detect((const unsigned char *)e, strlen(e)), 0);
	/* a program that writes PubMed XML is not PubMed XML */
	CHECK_INT(f->detect((const unsigned char *)"#!/usr/bin/env python3\nREC = '<PubmedArticle>'\n", 47), 0);
	CHECK_INT(f->detect((const unsigned char *)"\xef\xbb\xbf\n  <PubmedArticleSet>", 24), 100);
	/* UTF-16LE with BOM */
	u16[n++] = 0xFF;
	u16[n++] = 0xFE;
	for (i = 0; i < strlen("<PubmedArticleSet>"); i++) {
		u16[n++] = (unsigned char)"<PubmedArticleSet>"[i];
		u16[n++] = 0;
	}
	CHECK_INT(f->detect(u16, n), 100);
	CHECK(wn_format_detect((const unsigned char *)a, strlen(a), NULL) == f);
}

static void test_article_fields(void)
{
	struct run r;
	const char *xml = SET_OPEN
		"<PubmedArticle>\n"
		"<MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\">\n"
		"<PMID Version=\"2\">30616811</PMID>\n"
		"<Article PubModel=\"Print-Electronic\">\n"
		"<Journal><ISSN IssnType=\"Electronic\">1932-6203</ISSN>\n"
		"<JournalIssue CitedMedium=\"Internet\"><Volume>14</Volume><Issue>1</Issue>"
		"<PubDate><Year>2019</Year><Month>07</Month><Day>5</Day></PubDate></JournalIssue>\n"
		"<Title>PloS one</Title><ISOAbbreviation>PLoS One</ISOAbbreviation></Journal>\n"
		"<ArticleTitle>Effect of <i>Lactobacillus</i> on CO<sub>2</sub> and 10<sup>5</sup> cells: "
		"<mml:math xmlns:mml=\"http://www.w3.org/1998/Math/MathML\"><mml:mi>x</mml:mi><mml:mo>=</mml:mo><mml:mn>1</mml:mn></mml:math>.</ArticleTitle>\n"
		"<Pagination><MedlinePgn>e0209483</MedlinePgn></Pagination>\n"
		"<ELocationID EIdType=\"doi\" ValidYN=\"Y\">10.9999/eloc.fallback</ELocationID>\n"
		"<Abstract><AbstractText Label=\"BACKGROUND\" NlmCategory=\"BACKGROUND\">Some\n background.</AbstractText>"
		"<AbstractText Label=\"RESULTS\" NlmCategory=\"RESULTS\">It <b>worked</b> &amp; p &lt; 0.05.</AbstractText>"
		"<AbstractText NlmCategory=\"UNASSIGNED\">Unlabelled.</AbstractText>"
		"<CopyrightInformation>(c) 2019 The Authors.</CopyrightInformation></Abstract>\n"
		"<AuthorList CompleteYN=\"Y\">"
		"<Author ValidYN=\"Y\"><LastName>Wu</LastName><ForeName>Dan</ForeName><Initials>D</Initials></Author>"
		"<Author ValidYN=\"N\"><LastName>Wuu</LastName><ForeName>Dann</ForeName></Author>"
		"<Author><LastName>Smith</LastName><Initials>JA</Initials><Suffix>Jr</Suffix></Author>"
		"<Author><CollectiveName>The <i>COVID</i> Study Group</CollectiveName></Author>"
		"</AuthorList>\n"
		"<Language>ENG</Language><Language>fre</Language>\n"
		"<PublicationTypeList><PublicationType UI=\"D016428\">Journal Article</PublicationType>"
		"<PublicationType UI=\"D016449\">Randomized Controlled Trial</PublicationType></PublicationTypeList>\n"
		"<ArticleDate DateType=\"Electronic\"><Year>2019</Year><Month>01</Month><Day>04</Day></ArticleDate>\n"
		"</Article>\n"
		"<MedlineJournalInfo><Country>United States</Country><MedlineTA>PLoS One</MedlineTA>"
		"<NlmUniqueID>101285081</NlmUniqueID><ISSNLinking>1932-6203</ISSNLinking></MedlineJournalInfo>\n"
		"<CommentsCorrectionsList>"
		"<CommentsCorrections RefType=\"RetractionIn\"><RefSource>PLoS One. 2020;15(1):e1</RefSource><PMID Version=\"1\">31999999</PMID></CommentsCorrections>"
		"<CommentsCorrections RefType=\"Cites\"><RefSource>Nature. 1999</RefSource><PMID Version=\"1\">1111</PMID></CommentsCorrections>"
		"<CommentsCorrections RefType=\"ErratumIn\"><RefSource>PLoS One. 2019;14(3):e2</RefSource></CommentsCorrections>"
		"</CommentsCorrectionsList>\n"
		"<MeshHeadingList>"
		"<MeshHeading><DescriptorName UI=\"D009765\" MajorTopicYN=\"N\">Obesity</DescriptorName>"
		"<QualifierName UI=\"Q000453\" MajorTopicYN=\"Y\">epidemiology</QualifierName>"
		"<QualifierName UI=\"Q000209\" MajorTopicYN=\"N\">etiology</QualifierName></MeshHeading>"
		"<MeshHeading><DescriptorName UI=\"D006801\" MajorTopicYN=\"Y\">Humans</DescriptorName></MeshHeading>"
		"</MeshHeadingList>\n"
		"<KeywordList Owner=\"NOTNLM\"><Keyword MajorTopicYN=\"N\">gut <i>flora</i></Keyword><Keyword>probiotics</Keyword></KeywordList>\n"
		"</MedlineCitation>\n"
		"<PubmedData><PublicationStatus>epublish</PublicationStatus>"
		"<ArticleIdList><ArticleId IdType=\"pubmed\">30616811</ArticleId>"
		"<ArticleId IdType=\"doi\">10.1371/journal.pone.0209483</ArticleId>"
		"<ArticleId IdType=\"pmc\">PMC6322745</ArticleId><ArticleId IdType=\"pii\">PONE-D-18-1</ArticleId></ArticleIdList>"
		"<ReferenceList><Reference><Citation>x</Citation><ArticleIdList>"
		"<ArticleId IdType=\"doi\">10.1000/WRONG.reference</ArticleId><ArticleId IdType=\"pmc\">PMC1</ArticleId>"
		"</ArticleIdList></Reference></ReferenceList>"
		"</PubmedData>\n"
		"</PubmedArticle>\n" SET_CLOSE;

	run_str(&r, xml);
	CHECK_INT(r.rc, 0);
	CHECK_INT(run_count(&r), 1);
	CHECK_STR(rec_str(&r, 0, "id"), "pubmed:30616811");
	CHECK_STR(rec_str(&r, 0, "source"), "PubMed");
	CHECK_STR(rec_str(&r, 0, "source_id"), "30616811");
	CHECK_STR(rec_str(&r, 0, "pmid"), "30616811");
	CHECK_STR(rec_extra(&r, 0, "PMID_Version"), "2");
	CHECK_STR(rec_str(&r, 0, "type"), "Journal Article");
	CHECK_STR(rec_str(&r, 0, "title"), "Effect of Lactobacillus on CO2 and 105 cells: x=1.");
	CHECK_STR(rec_str(&r, 0, "abstract"),
		  "BACKGROUND: Some background.\nRESULTS: It worked & p < 0.05.\nUnlabelled.");
	CHECK_STR(rec_extra(&r, 0, "CopyrightInformation"), "(c) 2019 The Authors.");
	CHECK_STR(rec_json(&r, 0, "authors"), "[\"Wu, Dan\",\"Smith, JA Jr\",\"The COVID Study Group\"]");
	CHECK_INT(wn_record_get_int(run_rec(&r, 0), "year", 0), 2019);
	CHECK_STR(rec_str(&r, 0, "date"), "2019-07-05");
	CHECK_STR(rec_str(&r, 0, "journal"), "PloS one");
	CHECK_STR(rec_str(&r, 0, "journal_abbrev"), "PLoS One");
	CHECK_STR(rec_extra(&r, 0, "ISOAbbreviation"), ""); /* same as MedlineTA: not repeated */
	CHECK_STR(rec_json(&r, 0, "issn"), "[\"1932-6203\"]");
	CHECK_STR(rec_str(&r, 0, "volume"), "14");
	CHECK_STR(rec_str(&r, 0, "issue"), "1");
	CHECK_STR(rec_str(&r, 0, "pages"), "e0209483");
	/* from PubmedData/ArticleIdList: not the ELocationID, not the reference list */
	CHECK_STR(rec_str(&r, 0, "doi"), "10.1371/journal.pone.0209483");
	CHECK_STR(rec_str(&r, 0, "pmcid"), "PMC6322745");
	CHECK_STR(rec_extra(&r, 0, "pii"), "PONE-D-18-1");
	CHECK_STR(rec_str(&r, 0, "language"), "eng");
	CHECK_STR(rec_extra(&r, 0, "Language"), "[\"eng\",\"fre\"]");
	CHECK_STR(rec_json(&r, 0, "pubtypes"), "[\"Journal Article\",\"Randomized Controlled Trial\"]");
	CHECK_STR(rec_json(&r, 0, "mesh"), "[\"Obesity/*epidemiology/etiology\",\"*Humans\"]");
	CHECK_STR(rec_json(&r, 0, "keywords"), "[\"gut flora\",\"probiotics\"]");
	CHECK_STR(rec_json(&r, 0, "notices"),
		  "[{\"type\":\"RetractionIn\",\"pmid\":\"31999999\",\"ref\":\"PLoS One. 2020;15(1):e1\"},"
		  "{\"type\":\"ErratumIn\",\"ref\":\"PLoS One. 2019;14(3):e2\"}]");
	CHECK_STR(rec_extra(&r, 0, "ArticleDate"), "2019-01-04");
	CHECK_STR(rec_extra(&r, 0, "Status"), "MEDLINE");
	CHECK_STR(rec_extra(&r, 0, "PublicationStatus"), "epublish");
	CHECK_STR(rec_extra(&r, 0, "NlmUniqueID"), "101285081");
	CHECK_STR(rec_json(&r, 0, "origin"), "{\"file\":\"test\",\"index\":1}");
	CHECK(!strstr(json_object_to_json_string(run_rec(&r, 0)), "WRONG"));
	run_free(&r);
}

static void test_eloc_fallback_and_dates(void)
{
	struct run r;
	const char *xml = SET_OPEN
		"<PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
		"<Journal><JournalIssue><PubDate><MedlineDate>1998 Dec-1999 Jan</MedlineDate></PubDate></JournalIssue></Journal>"
		"<ArticleTitle>A</ArticleTitle><ELocationID EIdType=\"pii\">S1</ELocationID>"
		"<ELocationID EIdType=\"doi\" ValidYN=\"N\">10.1/invalid</ELocationID>"
		"<ELocationID EIdType=\"doi\" ValidYN=\"Y\">10.1000/xyz.1</ELocationID></Article>"
		"<MedlineJournalInfo><ISSNLinking>0000-0001</ISSNLinking></MedlineJournalInfo></MedlineCitation>"
		"<PubmedData><ArticleIdList><ArticleId IdType=\"pubmed\">1</ArticleId></ArticleIdList></PubmedData></PubmedArticle>\n"
		"<PubmedArticle><MedlineCitation><PMID>2</PMID><Article>"
		"<Journal><ISOAbbreviation>J. Iso.</ISOAbbreviation><JournalIssue><PubDate><Year>2000</Year><Season>Spring</Season></PubDate></JournalIssue></Journal>"
		"<ArticleTitle>B</ArticleTitle><Pagination><StartPage>123</StartPage><EndPage>129</EndPage></Pagination></Article></MedlineCitation></PubmedArticle>\n"
		"<PubmedArticle><MedlineCitation><PMID>3</PMID><Article>"
		"<Journal><JournalIssue><PubDate><Year>2001</Year><Month>Feb</Month><Day>30</Day></PubDate></JournalIssue></Journal>"
		"<ArticleTitle>C</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n"
		"<PubmedArticle><MedlineCitation><PMID>4</PMID><Article>"
		"<Journal><JournalIssue><PubDate><MedlineDate>1944-1945</MedlineDate></PubDate></JournalIssue></Journal>"
		"<ArticleTitle>D</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n"
		"<PubmedArticle><MedlineCitation><PMID>5</PMID><Article>"
		"<Journal><JournalIssue><PubDate><MedlineDate>2005 Sep</MedlineDate></PubDate></JournalIssue></Journal>"
		"<ArticleTitle>E</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n"
		SET_CLOSE;

	run_str(&r, xml);
	CHECK_INT(run_count(&r), 5);
	CHECK_STR(rec_str(&r, 0, "doi"), "10.1000/xyz.1");
	CHECK_INT(wn_record_get_int(run_rec(&r, 0), "year", 0), 1998);
	CHECK_STR(rec_str(&r, 0, "date"), "1998-12");
	CHECK_STR(rec_extra(&r, 0, "MedlineDate"), "1998 Dec-1999 Jan");
	CHECK_STR(rec_extra(&r, 0, "ELocationID_pii"), "S1");
	CHECK_STR(rec_json(&r, 0, "issn"), "[\"0000-0001\"]");
	CHECK_STR(rec_str(&r, 1, "date"), "2000");
	CHECK_STR(rec_extra(&r, 1, "Season"), "Spring");
	CHECK_STR(rec_str(&r, 1, "pages"), "123-129");
	CHECK_STR(rec_str(&r, 1, "journal_abbrev"), "J. Iso."); /* no MedlineTA */
	CHECK_STR(rec_extra(&r, 1, "ISOAbbreviation"), "");
	CHECK_STR(rec_str(&r, 2, "date"), "2001-02"); /* no 30 February */
	CHECK_INT(wn_record_get_int(run_rec(&r, 3), "year", 0), 1944);
	CHECK_STR(rec_str(&r, 3, "date"), "1944");
	CHECK_STR(rec_str(&r, 4, "date"), "2005-09");
	run_free(&r);
}

static void test_books(void)
{
	struct run r;
	const char *xml = SET_OPEN
		"<PubmedBookArticle><BookDocument><PMID Version=\"1\">20301295</PMID>"
		"<ArticleIdList><ArticleId IdType=\"bookaccession\">NBK1116</ArticleId></ArticleIdList>"
		"<Book><Publisher><PublisherName>University of Washington, Seattle</PublisherName>"
		"<PublisherLocation>Seattle (WA)</PublisherLocation></Publisher>"
		"<BookTitle book=\"gene\">GeneReviews</BookTitle><PubDate><Year>1993</Year></PubDate>"
		"<AuthorList Type=\"editors\"><Author><LastName>Adam</LastName><ForeName>Margaret P</ForeName></Author></AuthorList>"
		"</Book><LocationLabel Type=\"chapter\">3</LocationLabel>"
		"<ArticleTitle book=\"gene\" part=\"x\">Alpha-Thalassemia</ArticleTitle>"
		"<Language>eng</Language><AuthorList Type=\"authors\"><Author><LastName>Tamary</LastName><ForeName>Hannah</ForeName></Author></AuthorList>"
		"<PublicationType UI=\"D016454\">Review</PublicationType>"
		"<Abstract><AbstractText Label=\"CLINICAL CHARACTERISTICS\">Text.</AbstractText></Abstract>"
		"</BookDocument><PubmedBookData><PublicationStatus>ppublish</PublicationStatus>"
		"<ArticleIdList><ArticleId IdType=\"pubmed\">20301295</ArticleId></ArticleIdList></PubmedBookData></PubmedBookArticle>\n"
		"<PubmedBookArticle><BookDocument><PMID Version=\"1\">21413195</PMID>"
		"<Book><BookTitle>Rheumatoid Arthritis</BookTitle><PubDate><Year>2009</Year><Month>02</Month></PubDate>"
		"<AuthorList Type=\"authors\"><Author><CollectiveName>National Collaborating Centre</CollectiveName></Author></AuthorList>"
		"<Isbn>9781860163593</Isbn></Book></BookDocument></PubmedBookArticle>\n"
		SET_CLOSE;

	run_str(&r, xml);
	CHECK_INT(run_count(&r), 2);
	CHECK_STR(rec_str(&r, 0, "type"), "Book Chapter");
	CHECK_STR(rec_str(&r, 0, "title"), "Alpha-Thalassemia");
	CHECK_STR(rec_str(&r, 0, "journal"), "GeneReviews");
	CHECK_STR(rec_json(&r, 0, "authors"), "[\"Tamary, Hannah\"]");
	CHECK_STR(rec_extra(&r, 0, "editors"), "Adam, Margaret P");
	CHECK_STR(rec_str(&r, 0, "publisher"), "University of Washington, Seattle");
	CHECK_STR(rec_extra(&r, 0, "bookaccession"), "NBK1116");
	CHECK_STR(rec_str(&r, 0, "abstract"), "CLINICAL CHARACTERISTICS: Text.");
	CHECK_STR(rec_str(&r, 0, "id"), "pubmed:20301295");
	CHECK_STR(rec_str(&r, 1, "type"), "Book");
	CHECK_STR(rec_str(&r, 1, "title"), "Rheumatoid Arthritis");
	CHECK_STR(rec_json(&r, 1, "authors"), "[\"National Collaborating Centre\"]");
	CHECK_STR(rec_json(&r, 1, "isbn"), "[\"9781860163593\"]");
	CHECK_STR(rec_str(&r, 1, "date"), "2009-02");
	run_free(&r);
}

static void test_medline_citation_set(void)
{
	struct run r;
	const char *xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE MedlineCitationSet PUBLIC \"-//NLM//DTD Medline Citation, 1st January, 2014//EN\"\n"
		" \"http://www.nlm.nih.gov/databases/dtd/nlmmedlinecitationset_140101.dtd\">\n"
		"<MedlineCitationSet>\n"
		"<MedlineCitation Owner=\"NLM\" Status=\"MEDLINE\">\n<PMID Version=\"1\">100</PMID>\n"
		"<Article><ArticleTitle>Old one.</ArticleTitle></Article>\n</MedlineCitation>\n"
		"<MedlineCitation Owner=\"NLM\" Status=\"MEDLINE\">\n<PMID Version=\"1\">101</PMID>\n"
		"<Article><ArticleTitle>Old two.</ArticleTitle></Article>\n</MedlineCitation>\n"
		"<DeleteCitation>\n<PMID Version=\"1\">23203860</PMID>\n<PMID Version=\"1\">23203861</PMID>\n</DeleteCitation>\n"
		"</MedlineCitationSet>\n";

	run_str(&r, xml);
	CHECK_INT(r.rc, 0);
	CHECK_INT(run_count(&r), 2);
	CHECK_STR(rec_str(&r, 1, "id"), "pubmed:101");
	CHECK_STR(file_info(&r, "deleted_pmids"), "[\"23203860\",\"23203861\"]");
	CHECK(has_diag(&r, "N 0 0: DeleteCitation: 2 PMIDs withdrawn by this update file (23203860, 23203861)"));
	CHECK_INT(summary_int(&r, "skipped"), 0);
	run_free(&r);
}

/* One damaged record among good ones: reported with its number, line and PMID; the
 * others imported; counted; --strict stops with an error naming it. */
static void test_malformed_record(void)
{
	struct run r;
	struct run_opts strict = { "pubmed-xml", 1, 0, NULL };
	const char *xml = SET_OPEN ART("1", "One") ART("2", "Two <i>broken</b>") ART("3", "Three")
		"<PubmedArticle><MedlineCitation><PMID>4</PMID><Article><ArticleTitle>Four</ArticleTitle>\n"
		ART("5", "Five") SET_CLOSE;

	run_str(&r, xml);
	CHECK_INT(r.rc, 0);
	CHECK_INT(run_count(&r), 3);
	CHECK_STR(rec_str(&r, 0, "pmid"), "1");
	CHECK_STR(rec_str(&r, 1, "pmid"), "3");
	CHECK_STR(rec_str(&r, 2, "pmid"), "5");
	CHECK_STR(rec_json(&r, 2, "origin"), "{\"file\":\"test\",\"index\":5}");
	CHECK_INT(summary_int(&r, "skipped"), 2);
	CHECK_INT(skip_reason(&r, "malformed XML"), 2);
	CHECK(has_diag(&r, "W 2 5: malformed XML: PMID 2: <i> (line 5) is closed by </b>"));
	CHECK(has_diag(&r, "W 4 7: malformed XML: PMID 4: the record's end tag is missing"));
	CHECK_STR(file_info(&r, "skipped"), "2");
	run_free(&r);

	run_import_opts(&r, xml, strlen(xml), "strict.xml", &strict);
	CHECK_INT(r.rc, -1);
	CHECK_INT(r.err.code, WN_EFORMAT);
	CHECK_STR(r.err.msg, "'strict.xml' record 2 (line 5): malformed XML (--strict)");
	CHECK_INT(run_count(&r), 1);
	run_free(&r);
}

static void test_truncated(void)
{
	struct run r;
	const char *xml = SET_OPEN ART("1", "One") ART("2", "Two") ART("3", "Three") SET_CLOSE;
	size_t n = strlen(xml), gzn;
	unsigned char *gz;
	const char *cut = strstr(xml, "Three");

	/* plain text cut inside the third record */
	run_import(&r, xml, (size_t)(cut - xml), "pubmed-xml");
	CHECK_INT(r.rc, 0);
	CHECK_INT(run_count(&r), 2);
	CHECK_INT(skip_reason(&r, "malformed XML"), 1);
	CHECK(has_diag(&r, "W 3 6: malformed XML: PMID 3: the file ends inside the record (truncated)"));
	run_free(&r);

	/* gzip cut short: the records before the cut are imported, the rest is reported */
	gz = gzip_bytes(xml, n, &gzn);
	run_import(&r, gz, gzn - 12, "pubmed-xml");
	CHECK_INT(r.rc, 0);
	CHECK_INT(summary_int(&r, "skipped"), 1);
	CHECK_INT(skip_reason(&r, "truncated or corrupt gzip"), 1);
	CHECK(has_diag(&r, "truncated gzip data"));
	CHECK_INT(run_count(&r) + (size_t)summary_int(&r, "skipped"), 3 + (run_count(&r) == 3));
	run_free(&r);
	/* a cut in the middle of the stream */
	run_import(&r, gz, gzn / 2, "pubmed-xml");
	CHECK_INT(r.rc, 0);
	CHECK_INT(skip_reason(&r, "truncated or corrupt gzip"), 1);
	CHECK(run_count(&r) < 3);
	run_free(&r);
	free(gz);
}

/* Entity tricks: nothing declared in the document's DTD is ever expanded or loaded. */
static void test_entities(void)
{
	struct run r;
	char path[] = "/tmp/wn_test_pubmed_XXXXXX", dtd[600], xml[4096];
	int fd = mkstemp(path);
	FILE *f;

	CHECK(fd >= 0);
	f = fdopen(fd, "w");
	fputs("TOP-SECRET-CONTENT", f);
	fclose(f);
	snprintf(xml, sizeof(xml),
		 "<?xml version=\"1.0\"?>\n<!DOCTYPE PubmedArticleSet [\n"
		 " <!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
		 " <!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
		 " <!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
		 " <!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
		 " <!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
		 " <!ENTITY xxe SYSTEM \"file://%s\">\n"
		 " <!ENTITY %% pe SYSTEM \"file://%s\"> %%pe;\n"
		 "]>\n<PubmedArticleSet>\n%s%s%s</PubmedArticleSet>\n",
		 path, path,
		 ART("1", "Laughs &e;"), ART("2", "Secret &xxe;"), ART("3", "Fine &amp; &#x2013; &#8212; done"));
	run_import(&r, xml, strlen(xml), NULL);
	CHECK_INT(r.rc, 0);
	CHECK_INT(run_count(&r), 1);
	CHECK_STR(rec_str(&r, 0, "title"), "Fine & \xe2\x80\x93 \xe2\x80\x94 done");
	CHECK_INT(skip_reason(&r, "malformed XML"), 2);
	CHECK(has_diag(&r, "the entity '&e;' is not one of XML's own"));
	CHECK(has_diag(&r, "the entity '&xxe;' is not one of XML's own"));
	CHECK(!strstr(json_object_to_json_string(r.recs), "TOP-SECRET"));
	CHECK(!has_diag(&r, "TOP-SECRET"));
	run_free(&r);

	/* an external DTD that would define the entity: never loaded */
	f = fopen(path, "w");
	fputs("<!ENTITY t \"TOP-SECRET-CONTENT\">", f);
	fclose(f);
	snprintf(dtd, sizeof(dtd), "<?xml version=\"1.0\"?>\n<!DOCTYPE PubmedArticleSet SYSTEM \"file://%s\">\n"
		 "<PubmedArticleSet>" ART("7", "External &t;") ART("8", "Plain") "</PubmedArticleSet>\n", path);
	run_import(&r, dtd, strlen(dtd), "pubmed-xml");
	CHECK_INT(run_count(&r), 1);
	CHECK_STR(rec_str(&r, 0, "pmid"), "8");
	CHECK(!strstr(json_object_to_json_string(r.recs), "TOP-SECRET"));
	CHECK_INT(skip_reason(&r, "malformed XML"), 1);
	run_free(&r);
	unlink(path);
}

static void test_utf8_and_encodings(void)
{
	struct run r;
	const char *bad = SET_OPEN ART("1", "Caf\xe9 au lait") ART("2", "ok") SET_CLOSE;
	const char *latin1 = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<PubmedArticleSet>"
		ART("3", "Caf\xe9 cr\xe8me") "</PubmedArticleSet>\n";
	/* '#' stands for U+00EF in the UTF-16 version */
	const char *src = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<PubmedArticleSet>" ART("4", "Na#ve") "</PubmedArticleSet>\n";
	unsigned char u16[1024];
	size_t i, n = 0;

	run_str(&r, bad);
	CHECK_INT(run_count(&r), 2);
	CHECK_STR(rec_str(&r, 0, "title"), "Caf\xc3\xa9 au lait");
	CHECK(has_diag(&r, "W 1 4: invalid UTF-8: 1 byte read as Windows-1252"));
	CHECK_INT(summary_int(&r, "skipped"), 0);
	run_free(&r);

	run_str(&r, latin1);
	CHECK_INT(run_count(&r), 1);
	CHECK_STR(rec_str(&r, 0, "title"), "Caf\xc3\xa9 cr\xc3\xa8me");
	CHECK_STR(r.diags.data, "");
	run_free(&r);

	/* UTF-16LE with a BOM ("Naïve" has a non-ASCII character) */
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
}

/* The splitter is not fooled by markup that only looks like a record. */
static void test_split_markup(void)
{
	struct run r;
	const char *xml = SET_OPEN
		"<!-- <PubmedArticle> in a comment -->\n"
		"<?pi <PubmedArticle> ?>\n"
		ART("1", "<![CDATA[a </PubmedArticle> b]]> tail")
		"<PubmedArticle/>\n"
		"<PubmedArticle\n  attr=\"x\"><MedlineCitation><PMID>2</PMID><!-- </PubmedArticle> --><Article><ArticleTitle>Two</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n"
		"</PubmedArticle>\n"
		SET_CLOSE;

	run_str(&r, xml);
	CHECK_INT(run_count(&r), 2);
	CHECK_STR(rec_str(&r, 0, "title"), "a </PubmedArticle> b tail");
	CHECK_STR(rec_str(&r, 1, "title"), "Two");
	CHECK_INT(skip_reason(&r, "no title or identifier"), 1);
	CHECK_INT(skip_reason(&r, "malformed XML"), 1);
	CHECK(has_diag(&r, "an end tag without its start tag"));
	run_free(&r);
}

/* Many records across buffer refills (1 MiB reads) and one over the size limit. */
static void test_big_and_oversize(void)
{
	struct run r;
	struct run_opts small = { "pubmed-xml", 0, 4096, NULL };
	struct wn_buf b;
	int i;

	wn_buf_init(&b, 0);
	wn_buf_adds(&b, SET_OPEN, NULL);
	for (i = 1; i <= 20000; i++) {
		wn_buf_addf(&b, NULL, "<PubmedArticle>\n  <MedlineCitation>\n    <PMID Version=\"1\">%d</PMID>\n"
			    "    <Article><ArticleTitle>Title number %d with some padding text</ArticleTitle></Article>\n"
			    "  </MedlineCitation>\n</PubmedArticle>\n", i, i);
		if (i == 10000) {
			int k;
			wn_buf_adds(&b, "<PubmedArticle><MedlineCitation><PMID>999999</PMID><Article><ArticleTitle>", NULL);
			for (k = 0; k < 1000; k++)
				wn_buf_adds(&b, "long long long ", NULL);
			wn_buf_adds(&b, "</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n", NULL);
		}
	}
	wn_buf_adds(&b, SET_CLOSE, NULL);
	run_import(&r, b.data, b.len, "pubmed-xml");
	CHECK_INT(run_count(&r), 20001);
	CHECK_STR(rec_str(&r, 19999, "pmid"), "19999");
	CHECK_STR(rec_json(&r, 20000, "origin"), "{\"file\":\"test\",\"index\":20001}");
	run_free(&r);

	run_import_opts(&r, b.data, b.len, "test", &small);
	CHECK_INT(run_count(&r), 20000);
	CHECK_INT(skip_reason(&r, "record too large"), 1);
	CHECK(has_diag(&r, "W 10001 60004: record too large: the record is longer than 4096 bytes"));
	CHECK_STR(rec_str(&r, 10000, "pmid"), "10001");
	run_free(&r);
	wn_buf_release(&b);
}

/* The parallel path gives the same bytes as the sequential one: records, ids,
 * diagnostics, skips, DeleteCitation, and the same stop under --strict. */
static void test_threads_identical(void)
{
	struct wn_buf b, o1, o2;
	struct run r1, r2;
	struct run_opts strict = { "pubmed-xml", 1, 2048, NULL };
	size_t i;
	int k;

	wn_buf_init(&b, 0);
	wn_buf_init(&o1, 0);
	wn_buf_init(&o2, 0);
	wn_buf_adds(&b, SET_OPEN, NULL);
	for (k = 1; k <= 6000; k++) {
		if (k % 997 == 0)
			wn_buf_addf(&b, NULL, "<PubmedArticle><MedlineCitation><PMID>%d</PMID><Article><ArticleTitle>bad <i>x</b>"
				    "</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n", k);
		else if (k % 1999 == 0)
			wn_buf_addf(&b, NULL, "<PubmedArticle><MedlineCitation><PMID>%d</PMID><Article><ArticleTitle>%0*d"
				    "</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n", k, 3000, 7);
		else if (k % 500 == 0)
			wn_buf_addf(&b, NULL, ART("%d", "Caf\xe9 %d"), k, k);
		else
			wn_buf_addf(&b, NULL, "<PubmedArticle><MedlineCitation Status=\"MEDLINE\"><PMID Version=\"1\">%d</PMID>"
				    "<Article><Journal><JournalIssue><PubDate><Year>%d</Year></PubDate></JournalIssue></Journal>"
				    "<ArticleTitle>Title %d</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n",
				    k % 3000 + 1, 1950 + k % 70, k);
	}
	wn_buf_adds(&b, "<DeleteCitation><PMID>11</PMID><PMID>12</PMID></DeleteCitation>\n" SET_CLOSE, NULL);

	setenv("WINNOW_THREADS", "1", 1);
	run_import_opts(&r1, b.data, b.len, "t.xml", &(struct run_opts){ "pubmed-xml", 0, 2048, NULL });
	setenv("WINNOW_THREADS", "3", 1);
	run_import_opts(&r2, b.data, b.len, "t.xml", &(struct run_opts){ "pubmed-xml", 0, 2048, NULL });
	CHECK(run_count(&r1) > 5900);
	CHECK_INT(run_count(&r1), run_count(&r2));
	for (i = 0; i < run_count(&r1); i++) {
		wn_buf_adds(&o1, json_object_to_json_string_ext(run_rec(&r1, i), JSON_C_TO_STRING_PLAIN), NULL);
		wn_buf_adds(&o2, json_object_to_json_string_ext(run_rec(&r2, i), JSON_C_TO_STRING_PLAIN), NULL);
	}
	CHECK(o1.len > 0 && o1.len == o2.len && memcmp(o1.data, o2.data, o1.len) == 0);
	CHECK_STR(r1.diags.data, r2.diags.data);
	CHECK_STR(json_object_to_json_string(r1.summary), json_object_to_json_string(r2.summary));
	CHECK_INT(skip_reason(&r1, "malformed XML"), 6);
	CHECK_INT(skip_reason(&r1, "record too large"), 3);
	CHECK_STR(file_info(&r2, "deleted_pmids"), "[\"11\",\"12\"]");
	CHECK(has_diag(&r2, "W 500 "));
	CHECK(has_diag(&r2, "invalid UTF-8: 1 byte read as Windows-1252"));
	run_free(&r1);
	run_free(&r2);

	/* --strict stops at the same record, with the same records before it */
	setenv("WINNOW_THREADS", "1", 1);
	run_import_opts(&r1, b.data, b.len, "t.xml", &strict);
	setenv("WINNOW_THREADS", "3", 1);
	run_import_opts(&r2, b.data, b.len, "t.xml", &strict);
	CHECK_INT(r1.rc, -1);
	CHECK_INT(r2.rc, -1);
	CHECK_STR(r1.err.msg, "'t.xml' record 997 (line 1000): malformed XML (--strict)");
	CHECK_STR(r2.err.msg, r1.err.msg);
	CHECK_INT(run_count(&r1), 996);
	CHECK_INT(run_count(&r2), 996);
	run_free(&r1);
	run_free(&r2);
	unsetenv("WINNOW_THREADS");
	wn_buf_release(&b);
	wn_buf_release(&o1);
	wn_buf_release(&o2);
}

/* Markup that never ends within the limits: inside a record it makes the record too
 * large (the next one is still read); outside records the import stops with a clear
 * error (no PubMed file has a multi-megabyte comment or DOCTYPE). */
static void test_huge_markup(void)
{
	struct run r;
	struct run_opts small = { "pubmed-xml", 0, 4096, NULL };
	struct wn_buf b;
	int i;

	wn_buf_init(&b, 0);
	wn_buf_adds(&b, SET_OPEN "<PubmedArticle><MedlineCitation><PMID>1</PMID><!-- ", NULL);
	for (i = 0; i < 1000; i++)
		wn_buf_adds(&b, "a comment that goes on ", NULL);
	wn_buf_adds(&b, "--><Article><ArticleTitle>x</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n"
		    ART("2", "after") SET_CLOSE, NULL);
	run_import_opts(&r, b.data, b.len, "test", &small);
	CHECK_INT(r.rc, 0);
	CHECK_INT(run_count(&r), 1);
	CHECK_STR(rec_str(&r, 0, "pmid"), "2");
	CHECK_INT(skip_reason(&r, "record too large"), 1);
	run_free(&r);

	wn_buf_reset(&b);
	wn_buf_adds(&b, SET_OPEN "<!-- ", NULL);
	for (i = 0; i < 100000; i++)
		wn_buf_adds(&b, "a comment that goes on ", NULL);
	wn_buf_adds(&b, "-->\n" ART("3", "after") SET_CLOSE, NULL);
	run_import_opts(&r, b.data, b.len, "test", &small);
	CHECK_INT(r.rc, -1);
	CHECK_INT(r.err.code, WN_ELIMIT);
	CHECK_STR(r.err.msg, "'test' line 4: a comment, CDATA section or DOCTYPE longer than 4096 bytes");
	run_free(&r);
	wn_buf_release(&b);
}

static void test_no_pmid_and_empty(void)
{
	struct run r;
	const char *xml = SET_OPEN
		"<PubmedArticle><MedlineCitation><Article><ArticleTitle>No PMID here</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n"
		"<PubmedArticle>\n</PubmedArticle>\n" SET_CLOSE;

	run_str(&r, xml);
	CHECK_INT(run_count(&r), 1);
	CHECK(has_diag(&r, "W 1 4: the record has no PMID"));
	CHECK(strncmp(rec_str(&r, 0, "id"), "pubmed:x", 8) == 0);
	CHECK_INT(skip_reason(&r, "no title or identifier"), 1);
	run_free(&r);

	/* a PubMed XML document with no records at all */
	run_str(&r, SET_OPEN SET_CLOSE);
	CHECK_INT(r.rc, 0);
	CHECK_INT(run_count(&r), 0);
	CHECK(has_diag(&r, "no records found"));
	run_free(&r);
}

/* --source overrides; the E-utilities client's path (parse on a memory input). */
static void test_source_and_direct_parse(void)
{
	struct run r;
	struct run_opts o = { "pubmed-xml", 0, 0, "MEDLINE via PubMed" };
	const char *xml = SET_OPEN ART("42", "x") SET_CLOSE;

	run_import_opts(&r, xml, strlen(xml), "test", &o);
	CHECK_STR(rec_str(&r, 0, "source"), "MEDLINE via PubMed");
	CHECK_STR(rec_str(&r, 0, "id"), "medline-via-pubmed:42");
	run_free(&r);
}

static void test_medline_util(void)
{
	int y, m, d;

	CHECK_INT(wn_medline_month("Jan", 3), 1);
	CHECK_INT(wn_medline_month("december", 8), 12);
	CHECK_INT(wn_medline_month("07", 2), 7);
	CHECK_INT(wn_medline_month("Sept.", 5), 9);
	CHECK_INT(wn_medline_month("13", 2), 0);
	CHECK_INT(wn_medline_month("Spring", 6), 0);
	CHECK_INT(wn_medline_parse_date("2019 Jan 5", 10, &y, &m, &d), 1);
	CHECK(y == 2019 && m == 1 && d == 5);
	CHECK_INT(wn_medline_parse_date("2013 06 10", 10, &y, &m, &d), 1);
	CHECK(y == 2013 && m == 6 && d == 10);
	CHECK_INT(wn_medline_parse_date("1989 May-Oct", 12, &y, &m, &d), 0);
	CHECK(y == 1989 && m == 5 && d == 0);
	CHECK_INT(wn_medline_parse_date("2000 Winter-Spring", 18, &y, &m, &d), 0);
	CHECK(y == 2000 && m == 0);
	CHECK_INT(wn_medline_parse_date("Spring 2000", 11, &y, &m, &d), 0);
	CHECK(y == 2000 && m == 0);
	CHECK_INT(wn_medline_parse_date("", 0, &y, &m, &d), 0);
	CHECK(y == 0);
	{
		size_t n = 0;
		const char *p = wn_medline_find_pmid("Lancet. 2019;393:28. PMID: 30616811", 35, &n);
		CHECK(p && n == 8 && memcmp(p, "30616811", 8) == 0);
		CHECK(wn_medline_find_pmid("no id", 5, &n) == NULL);
	}
}

/* Every PubMed XML sample of the corpus gives its counted number of records. */
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
		long want;

		while (k < 16 && (col[k] = strsep(&p, "\t")) != NULL)
			k++;
		if (k < 8 || (strncmp(col[5], "PubMed XML", 10) != 0 && strncmp(col[5], "MedlineCitation", 15) != 0))
			continue;
		want = strtol(col[7], NULL, 10);
		snprintf(path, sizeof(path), "%s/samples/%s", shared, col[0]);
		data = slurp_file(path, &n);
		CHECK(data != NULL);
		if (!data)
			continue;
		run_import(&r, data, n, NULL);
		CHECK_INT(r.rc, 0);
		/* a sample's count includes records that are damaged on purpose (skipped) */
		if ((long)run_count(&r) + summary_int(&r, "skipped") != want)
			fprintf(stderr, "%s: %zu records + %ld skipped, expected %ld\n", col[0], run_count(&r),
				summary_int(&r, "skipped"), want);
		CHECK_INT((long)run_count(&r) + summary_int(&r, "skipped"), want);
		files++;
		run_free(&r);
		free(data);
	}
	fclose(tsv);
	CHECK(files >= 45);
}

int main(void)
{
	RUN(test_detect);
	RUN(test_article_fields);
	RUN(test_eloc_fallback_and_dates);
	RUN(test_books);
	RUN(test_medline_citation_set);
	RUN(test_malformed_record);
	RUN(test_truncated);
	RUN(test_entities);
	RUN(test_utf8_and_encodings);
	RUN(test_split_markup);
	RUN(test_big_and_oversize);
	RUN(test_threads_identical);
	RUN(test_huge_markup);
	RUN(test_no_pmid_and_empty);
	RUN(test_source_and_direct_parse);
	RUN(test_medline_util);
	RUN(test_corpus_counts);
	return wn_test_report();
}
