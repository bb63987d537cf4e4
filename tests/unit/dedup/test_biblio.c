/* Unit tests: biblio.c - DOIs, pages, ISSN/ISBN, numbers, author and journal names. */
#include <stdlib.h>
#include "wn_test.h"
#include "winnow/biblio.h"

static char dois[4096];
static int ndois;

static const char *doi(const char *s)
{
	struct wn_buf b;
	struct wn_err err;
	size_t i;

	wn_buf_init(&b, 0);
	ndois = wn_doi_extract(&b, s, strlen(s), &err);
	snprintf(dois, sizeof(dois), "%s", b.data);
	for (i = 0; dois[i]; i++)
		if (dois[i] == '\n')
			dois[i] = '|';
	wn_buf_release(&b);
	return dois;
}

static void test_doi_forms(void)
{
	CHECK_STR(doi("10.1136/bmjopen-2021-049296"), "10.1136/bmjopen-2021-049296|");
	CHECK_INT(ndois, 1);
	CHECK_STR(doi("https://doi.org/10.1056/NEJMoa0807608"), "10.1056/nejmoa0807608|");
	CHECK_STR(doi("http://dx.doi.org/10.1056/NEJMoa0807608"), "10.1056/nejmoa0807608|");
	CHECK_STR(doi("doi:10.1056/NEJMoa0807608."), "10.1056/nejmoa0807608|");
	CHECK_STR(doi("DOI: 10.1056/NEJMoa0807608;"), "10.1056/nejmoa0807608|");
	CHECK_STR(doi("10.1097/MOL.0b013e3282ffaf82 [doi]"), "10.1097/mol.0b013e3282ffaf82|");
	CHECK_STR(doi("https://doi.org/10.1002%2F14651858.CD002273.pub2"), "10.1002/14651858.cd002273.pub2|");
	/* balanced parentheses belong to the DOI, an unbalanced closing one does not */
	CHECK_STR(doi("(10.1016/0140-6736(90)91234-X)"), "10.1016/0140-6736(90)91234-x|");
	CHECK_STR(doi("see 10.1002/(SICI)1097-4636(199812)43:4<346::AID-JBM2>3.0.CO;2-A"),
		  "10.1002/(sici)1097-4636(199812)43:4<346::aid-jbm2>3.0.co;2-a|");
	/* several per field (Embase), duplicates once */
	CHECK_STR(doi("10.1016/j.a.2019.1 10.1016/J.A.2019.1; 10.1097/b.2"), "10.1016/j.a.2019.1|10.1097/b.2|");
	CHECK_INT(ndois, 2);
	/* PLoS figure/table DOIs name the article */
	CHECK_STR(doi("10.1371/journal.pone.0012345.g001"), "10.1371/journal.pone.0012345|");
	CHECK_STR(doi("10.1371/journal.pone.0012345.t002"), "10.1371/journal.pone.0012345|");
	/* not DOIs */
	CHECK_STR(doi("110.1000/x"), "");
	CHECK_STR(doi("10.12/abc"), "");       /* registrant too short */
	CHECK_STR(doi("10.1000/"), "");
	CHECK_STR(doi(""), "");
	CHECK_INT(ndois, 0);
	{
		char longdoi[400];
		memset(longdoi, 'a', sizeof(longdoi));
		memcpy(longdoi, "10.1000/", 8);
		longdoi[sizeof(longdoi) - 1] = '\0';
		CHECK_STR(doi(longdoi), ""); /* > 200 bytes: cited-reference junk */
	}
}

static void test_doi_cochrane(void)
{
	uint32_t r = 0;
	unsigned v = 0;
	const char *a = "10.1002/14651858.cd002273.pub3", *b = "10.1002/14651858.cd002273";

	CHECK(wn_doi_cochrane(a, strlen(a), &r, &v) == 1);
	CHECK_INT(r, 2273);
	CHECK_INT(v, 3);
	CHECK(wn_doi_cochrane(b, strlen(b), &r, &v) == 1);
	CHECK_INT(v, 1);
	CHECK(wn_doi_cochrane("10.1056/x", 9, &r, &v) == 0);
}

static struct wn_pages pg;

static int pages(const char *s)
{
	return wn_pages_parse(s, strlen(s), &pg);
}

static void test_pages(void)
{
	CHECK(pages("123-9") == 1);
	CHECK_INT(pg.start, 123);
	CHECK_INT(pg.end, 129);
	CHECK(pages("1676-7") && pg.start == 1676 && pg.end == 1677);
	CHECK(pages("482-91") && pg.start == 482 && pg.end == 491);
	CHECK(pages("123-129") && pg.end == 129);
	CHECK(pages("47--65") && pg.start == 47 && pg.end == 65);
	CHECK(pages("499–711") && pg.start == 499 && pg.end == 711); /* en dash */
	CHECK(pages("pp. 45 - 52") && pg.start == 45 && pg.end == 52);
	CHECK(pages("p.7") && pg.start == 7 && pg.end == 0);
	CHECK(pages("e0209483") && pg.start == 209483);
	CHECK_STR(pg.prefix, "e");
	CHECK(pages("S12-S19") && pg.start == 12 && pg.end == 19);
	CHECK_STR(pg.prefix, "s");
	CHECK(pages("Cd002273") && pg.start == 2273);
	CHECK_STR(pg.prefix, "cd");
	CHECK(pages("ARTN 12") && pg.start == 12);
	CHECK(pages("Article number 4421") && pg.start == 4421);
	CHECK(pages("xii-xiv") && pg.roman && pg.start == 12 && pg.end == 14);
	CHECK(pages("123a-125") && pg.start == 123 && pg.end == 125);
	/* an end before the start is a typo; kept for comparison of ends */
	CHECK(pages("2297-2108") && pg.start == 2297 && pg.end == 2108);
	/* spreadsheet damage and junk: no pages */
	CHECK(pages("08-Nov") == 0);
	CHECK(pages("Nov-08") == 0);
	CHECK(pages("") == 0);
	CHECK(pages("n/a") == 0);
	CHECK(pages("0") == 0);
	CHECK(pages("1234567890123") == 0);
}

static void test_issn_isbn(void)
{
	uint32_t v[4];
	uint64_t w[4];

	CHECK_INT(wn_issn_extract("0028-4793", 9, v, 4), 1);
	CHECK_INT(wn_issn_extract("00284793", 8, v + 1, 3), 1);
	CHECK(v[0] == v[1]);
	CHECK_INT(wn_issn_extract("1097-0258 (Electronic) 0277-6715 (Linking)", 42, v, 4), 2);
	CHECK_INT(wn_issn_extract("1361-6137\n1361-6137", 19, v, 4), 1); /* once */
	CHECK_INT(wn_issn_extract("2049-369X", 9, v, 4), 1);
	CHECK_INT(v[0] % 11, 10); /* X check digit */
	CHECK_INT(wn_issn_extract("978-3-16-148410-0", 17, v, 4), 0); /* an ISBN */
	CHECK_INT(wn_issn_extract("12345", 5, v, 4), 0);

	CHECK_INT(wn_isbn_extract("978-3-16-148410-0", 17, w, 4), 1);
	CHECK_INT(wn_isbn_extract("3-16-148410-X", 13, w + 1, 3), 1);
	CHECK(w[0] == w[1]); /* the ISBN-13 and ISBN-10 of one book */
	CHECK_INT(wn_isbn_extract("979-10-90636-07-1", 17, w, 4), 1);
	CHECK(w[0] >= 1000000000ULL); /* 979: kept apart */
	CHECK_INT(wn_isbn_extract("ISBN 0-19-852663-6; 978-0-19-852663-6", 37, w, 4), 1);
	CHECK_INT(wn_isbn_extract("0028-4793", 9, w, 4), 0);
}

static void test_numbers(void)
{
	int supp = -1;

	CHECK_INT(wn_first_number("20 (5 Supplement 1)", 19, &supp), 20);
	CHECK_INT(supp, 1);
	CHECK_INT(wn_first_number("77-78", 5, &supp), 77);
	CHECK_INT(supp, 0);
	CHECK_INT(wn_first_number("Suppl. 3", 8, &supp), 3);
	CHECK_INT(supp, 1);
	CHECK_INT(wn_first_number("none", 4, NULL), 0);
}

static char sur[256], ini[WN_INITIALS_MAX + 1];
static int kind;

static void author(const char *s)
{
	struct wn_buf b;
	struct wn_err err;

	wn_buf_init(&b, 0);
	kind = wn_author_parse(s, strlen(s), &b, ini, &err);
	snprintf(sur, sizeof(sur), "%s", b.data);
	wn_buf_release(&b);
}

static void test_authors(void)
{
	author("Zuber, J.");
	CHECK_INT(kind, WN_AUTHOR_PERSON);
	CHECK_STR(sur, "zuber");
	CHECK_STR(ini, "j");
	author("Zuber, Julien Alexandre");
	CHECK_STR(ini, "ja");
	author("Zuber JA");
	CHECK_STR(sur, "zuber");
	CHECK_STR(ini, "ja");
	author("O'Donnell C. P.");
	CHECK_STR(sur, "odonnell");
	CHECK_STR(ini, "cp");
	author("Le Quintrec, M.");
	CHECK_STR(sur, "le quintrec");
	author("LE QUINTREC M");
	CHECK_STR(sur, "le quintrec");
	CHECK_STR(ini, "m");
	author("Julien Zuber");
	CHECK_STR(sur, "zuber");
	CHECK_STR(ini, "j");
	author("Ludwig van Beethoven");
	CHECK_STR(sur, "van beethoven");
	author("Boxtel, M.P.J. van");
	CHECK_STR(sur, "van boxtel");
	CHECK_STR(ini, "mpj");
	author("Hu, C.-C.");
	CHECK_STR(ini, "cc");
	author("Adamson, C.S.-C.");
	CHECK_STR(ini, "csc");
	author("Smith, John, Jr.");
	CHECK_STR(sur, "smith");
	CHECK_STR(ini, "j");
	author("Smith Jr, John");
	CHECK_STR(sur, "smith");
	author("Nürnberger, Jens");
	CHECK_STR(sur, "nurnberger");
	author("Øvrebø, Émile");
	CHECK_STR(sur, "ovrebo");
	CHECK_STR(ini, "e");
	author("Sberro-Soussan, R");
	CHECK_STR(sur, "sberro soussan");
	author("Shin");
	CHECK_STR(sur, "shin");
	CHECK_STR(ini, "");
	/* groups and non-authors */
	author("ESPGHAN Committee on Nutrition");
	CHECK_INT(kind, WN_AUTHOR_GROUP);
	CHECK_STR(sur, "espghan committee on nutrition");
	author("Pathology, American Society for Colposcopy and Cervical");
	CHECK_INT(kind, WN_AUTHOR_GROUP);
	author("Alexion Pharmaceuticals, Inc");
	CHECK_INT(kind, WN_AUTHOR_PERSON); /* a company is not recognised: a one-off name */
	author("Anonymous");
	CHECK_INT(kind, WN_AUTHOR_SKIP);
	author("[Anonymous]");
	CHECK_INT(kind, WN_AUTHOR_SKIP);
	author("et al.");
	CHECK_INT(kind, WN_AUTHOR_SKIP);
	author("  ");
	CHECK_INT(kind, WN_AUTHOR_SKIP);
	author(", ,");
	CHECK_INT(kind, WN_AUTHOR_SKIP);
}

static char jbuf[512];

static const char *journal(const char *s)
{
	struct wn_buf b;
	struct wn_err err;

	wn_buf_init(&b, 0);
	if (wn_journal_fold(&b, s, strlen(s), &err) < 0)
		snprintf(jbuf, sizeof(jbuf), "(error)");
	else
		snprintf(jbuf, sizeof(jbuf), "%s", b.data);
	wn_buf_release(&b);
	return jbuf;
}

static int same(const char *a, const char *b)
{
	char x[512];

	snprintf(x, sizeof(x), "%s", journal(a));
	journal(b);
	return wn_journal_same(x, strlen(x), jbuf, strlen(jbuf));
}

static void test_journals(void)
{
	char ini2[16];

	CHECK_STR(journal("The Journal of Pathology"), "journal pathology");
	CHECK_STR(journal("Cancer epidemiology, biomarkers & prevention : a publication of the AACR"),
		  "cancer epidemiology biomarkers prevention");
	CHECK_STR(journal("Pediatric Nephrology.Conference"), "pediatric nephrology");
	CHECK_STR(journal("Revista Panamericana de Salud Publica/Pan American Journal of Public Health"),
		  "revista panamericana salud publica");
	CHECK_STR(journal("BMJ (Clinical research ed.)"), "bmj");
	CHECK_STR(journal("Vaccine Supplement 3"), "vaccine");
	CHECK(same("N Engl J Med", "New England Journal of Medicine"));
	CHECK(same("Nat Rev Nephrol", "Nature Reviews Nephrology"));
	CHECK(same("J Natl Cancer Inst", "Journal of the National Cancer Institute"));
	CHECK(same("Postepy Hig Med Dosw (Online)", "Postepy higieny i medycyny doswiadczalnej"));
	CHECK(same("JAMA", "Journal of the American Medical Association"));
	CHECK(same("Seminars in Thrombosis & Hemostasis", "Seminars in thrombosis and hemostasis"));
	CHECK(!same("Cancer", "Cell"));
	CHECK(!same("J Clin Virol", "J Clin Oncol"));
	CHECK(!same("Blood", "Nephron"));
	CHECK_INT(wn_journal_initials("new england journal medicine", 28, ini2, sizeof(ini2)), 4);
	CHECK_STR(ini2, "nejm");
	CHECK(wn_journal_is_conference("Pediatric Nephrology.Conference", 31));
	CHECK(wn_journal_is_conference("Amcis 2017 Proceedings", 22));
	CHECK(wn_journal_is_conference("Proceedings of the Annual Hawaii International Conference", 57));
	CHECK(!wn_journal_is_conference("Proceedings of the National Academy of Sciences", 47));
	CHECK(!wn_journal_is_conference("Mayo Clinic Proceedings", 23));
	CHECK(!wn_journal_is_conference("Blood", 5));
	/* the quick ASCII test must not hide accented or HTML-escaped words */
	CHECK(wn_journal_is_conference("Conf\xc3\xa9rence annuelle", strlen("Conf\xc3\xa9rence annuelle")));
	CHECK(wn_journal_is_conference("Conf&eacute;rence annuelle", strlen("Conf&eacute;rence annuelle")));
	CHECK(wn_journal_is_conference("<i>Congress</i> abstracts", strlen("<i>Congress</i> abstracts")));
}

int main(void)
{
	RUN(test_doi_forms);
	RUN(test_doi_cochrane);
	RUN(test_pages);
	RUN(test_issn_isbn);
	RUN(test_numbers);
	RUN(test_authors);
	RUN(test_journals);
	return wn_test_report();
}
