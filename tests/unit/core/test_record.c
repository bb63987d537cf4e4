/* Unit tests: record.c, id.c */
#include <stdlib.h>
#include "wn_test.h"
#include "winnow/jsonl.h"
#include "winnow/record.h"

static const char *compact(json_object *o)
{
	size_t n;
	return wn_json_compact(o, &n);
}

static void test_recb_cleans_and_drops_empty(void)
{
	struct wn_recb b;
	struct wn_err err;
	json_object *r;

	wn_recb_init(&b);
	CHECK(wn_recb_begin(&b, &err) == 0);
	CHECK_INT(wn_recb_text(&b, WN_F_TITLE, "  A\ttitle\r\n ", 12, 0, &err), 1);
	CHECK_INT(wn_recb_text(&b, WN_F_VOLUME, "   ", 3, 0, &err), 0);
	CHECK_INT(wn_recb_list(&b, WN_F_AUTHORS, "Smith, J", 8, 0, &err), 1);
	CHECK_INT(wn_recb_list(&b, WN_F_AUTHORS, "", 0, 0, &err), 0);
	CHECK_INT(wn_recb_list(&b, WN_F_AUTHORS, "Doe, A", 6, WN_RECB_UNIQUE, &err), 1);
	CHECK_INT(wn_recb_list(&b, WN_F_AUTHORS, "Doe, A", 6, WN_RECB_UNIQUE, &err), 0);
	CHECK_INT(wn_recb_year(&b, "2019//", 6, &err), 1);
	CHECK_INT(wn_recb_year(&b, "2020", 4, &err), 0); /* first year kept */
	r = wn_recb_take(&b, &err);
	CHECK(r != NULL);
	CHECK_STR(compact(r), "{\"title\":\"A title\",\"authors\":[\"Smith, J\",\"Doe, A\"],\"year\":2019}");
	json_object_put(r);
	wn_recb_release(&b);
}

static void test_recb_canonical_order_and_extra(void)
{
	struct wn_recb b;
	json_object *r;

	wn_recb_init(&b);
	wn_recb_begin(&b, NULL);
	wn_recb_text(&b, WN_F_DOI, "10.1/x", 6, 0, NULL);
	wn_recb_extra(&b, "N1", "note one", 8, 0, NULL);
	wn_recb_extra(&b, "N1", "note two", 8, 0, NULL);
	wn_recb_extra(&b, "M3", "Article", 7, 0, NULL);
	wn_recb_text(&b, WN_F_TITLE, "T", 1, 0, NULL);
	wn_recb_text(&b, WN_F_ABSTRACT, "one", 3, WN_RECB_MULTILINE, NULL);
	wn_recb_text(&b, WN_F_ABSTRACT, "two", 3, WN_RECB_MULTILINE | WN_RECB_APPEND, NULL);
	wn_recb_text(&b, WN_F_PAGES, "1-2", 3, 0, NULL);
	wn_recb_text(&b, WN_F_PAGES, "3-4", 3, WN_RECB_KEEP, NULL);
	r = wn_recb_take(&b, NULL);
	CHECK_STR(compact(r), "{\"title\":\"T\",\"abstract\":\"one\\ntwo\",\"pages\":\"1-2\",\"doi\":\"10.1/x\","
			      "\"extra\":{\"N1\":[\"note one\",\"note two\"],\"M3\":\"Article\"}}");
	json_object_put(r);
	wn_recb_release(&b);
}

static void test_recb_doi(void)
{
	struct wn_recb b;
	const char *cases[][2] = {
		{ "https://doi.org/10.1136/bmjopen-2021-049296", "10.1136/bmjopen-2021-049296" },
		{ "doi:10.1186/s12889-024-20089-5.", "10.1186/s12889-024-20089-5" },
		{ "https://dx.doi.org/10.1002%2F14651858.CD001234.pub2", "10.1002/14651858.CD001234.pub2" },
		{ "10.1016/S0140-6736(20)30183-5", "10.1016/S0140-6736(20)30183-5" },
		{ "(see 10.1000/xyz123)", "10.1000/xyz123" },
	};
	size_t i;

	wn_recb_init(&b);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		wn_recb_begin(&b, NULL);
		CHECK_INT(wn_recb_doi(&b, cases[i][0], strlen(cases[i][0]), NULL), 1);
		CHECK_STR(wn_record_get(b.rec, WN_F_DOI), cases[i][1]);
	}
	wn_recb_begin(&b, NULL);
	CHECK_INT(wn_recb_doi(&b, "not a doi 10.abc", 16, NULL), 0);
	CHECK(wn_record_get(b.rec, WN_F_DOI) == NULL);
	wn_recb_release(&b);
}

static void test_recb_unique_large(void)
{
	struct wn_recb b;
	json_object *r;
	int i;
	char kw[32];

	wn_recb_init(&b);
	wn_recb_begin(&b, NULL);
	wn_recb_text(&b, WN_F_KEYWORDS, "first", 5, 0, NULL); /* a scalar, then a list */
	for (i = 0; i < 100000; i++) {
		snprintf(kw, sizeof(kw), "kw%d", i % 60000);
		wn_recb_list(&b, WN_F_KEYWORDS, kw, strlen(kw), WN_RECB_UNIQUE, NULL);
	}
	CHECK_INT(wn_recb_list(&b, WN_F_KEYWORDS, "first", 5, WN_RECB_UNIQUE, NULL), 0);
	CHECK_INT(wn_recb_list(&b, WN_F_MESH, "kw1", 3, WN_RECB_UNIQUE, NULL), 1); /* other field */
	r = wn_recb_take(&b, NULL);
	CHECK_INT(wn_record_count(r, WN_F_KEYWORDS), 60001);
	json_object_put(r);
	/* a new record starts with an empty set */
	wn_recb_begin(&b, NULL);
	CHECK_INT(wn_recb_list(&b, WN_F_KEYWORDS, "kw1", 3, WN_RECB_UNIQUE, NULL), 1);
	wn_recb_release(&b);
}

static void test_canonicalize_in_place(void)
{
	json_object *r = json_tokener_parse("{\"zzz\":1,\"title\":\"T\",\"id\":\"a:1\",\"year\":2000}");

	CHECK(wn_record_canonicalize(r, NULL) == 0);
	CHECK_STR(compact(r), "{\"id\":\"a:1\",\"title\":\"T\",\"year\":2000,\"zzz\":1}");
	json_object_put(r);
}

static void test_accessors(void)
{
	json_object *r = json_tokener_parse("{\"year\":\"1999\",\"authors\":[\"A\",\"B\"],\"issn\":\"1234-5678\",\"title\":3}");

	CHECK_INT(wn_record_get_int(r, WN_F_YEAR, 0), 1999);
	CHECK_INT(wn_record_count(r, WN_F_AUTHORS), 2);
	CHECK_STR(wn_record_item(r, WN_F_AUTHORS, 1), "B");
	CHECK(wn_record_item(r, WN_F_AUTHORS, 2) == NULL);
	CHECK_INT(wn_record_count(r, WN_F_ISSN), 1);
	CHECK_STR(wn_record_item(r, WN_F_ISSN, 0), "1234-5678");
	CHECK(wn_record_get(r, WN_F_TITLE) == NULL); /* not a string */
	json_object_put(r);
}

static void test_ids(void)
{
	struct wn_idgen *g = wn_idgen_new(NULL);
	struct wn_idgen *g2 = wn_idgen_new(NULL);
	json_object *a = json_tokener_parse("{\"source\":\"PubMed\",\"pmid\":\"39334058\",\"source_id\":\"39334058\"}");
	json_object *b = json_tokener_parse("{\"source\":\"Ovid MEDLINE(R)\",\"source_id\":\"AN 123\"}");
	json_object *c = json_tokener_parse("{\"title\":\"Same\",\"year\":2020}");
	json_object *d = json_tokener_parse("{\"title\":\"Same\",\"year\":2020}");
	json_object *e = json_tokener_parse("{\"title\":\"Same\",\"year\":2020}");
	char first[64];

	CHECK(wn_idgen_assign(g, a, "x", NULL) == 0);
	CHECK_STR(wn_record_get(a, WN_F_ID), "pubmed:39334058");
	CHECK(wn_idgen_assign(g, b, "x", NULL) == 0);
	CHECK_STR(wn_record_get(b, WN_F_ID), "ovid-medline-r:AN_123");
	CHECK(wn_idgen_assign(g, c, "ris", NULL) == 0);
	snprintf(first, sizeof(first), "%s", wn_record_get(c, WN_F_ID));
	CHECK(strncmp(first, "ris:x", 5) == 0 && strlen(first) == 21);
	CHECK(wn_idgen_assign(g, d, "ris", NULL) == 0);
	{
		char want[80];
		snprintf(want, sizeof(want), "%s~2", first);
		CHECK_STR(wn_record_get(d, WN_F_ID), want);
	}
	/* another run gives the same id to the same content */
	CHECK(wn_idgen_assign(g2, e, "ris", NULL) == 0);
	CHECK_STR(wn_record_get(e, WN_F_ID), first);
	/* the set grows past its initial size without losing uniqueness */
	{
		int i, dup = 0;
		for (i = 0; i < 5000; i++) {
			json_object *r = json_object_new_object();
			char sid[32];
			snprintf(sid, sizeof(sid), "%d", i % 2500);
			json_object_object_add(r, "source_id", json_object_new_string(sid));
			wn_idgen_assign(g2, r, "csv", NULL);
			if (i >= 2500 && !strstr(wn_record_get(r, WN_F_ID), "~2"))
				dup++;
			json_object_put(r);
		}
		CHECK_INT(dup, 0);
	}
	/* many copies of one record: suffixes in order, and fast (not quadratic) */
	{
		int i, ok = 1;
		struct wn_idgen *g3 = wn_idgen_new(NULL);
		for (i = 1; i <= 50000; i++) {
			json_object *r = json_object_new_object();
			char want[64];
			json_object_object_add(r, "source_id", json_object_new_string("same"));
			wn_idgen_assign(g3, r, "ris", NULL);
			if (i == 1)
				snprintf(want, sizeof(want), "ris:same");
			else
				snprintf(want, sizeof(want), "ris:same~%d", i);
			if (strcmp(wn_record_get(r, WN_F_ID), want) != 0)
				ok = 0;
			json_object_put(r);
		}
		CHECK(ok);
		wn_idgen_free(g3);
	}
	json_object_put(a);
	json_object_put(b);
	json_object_put(c);
	json_object_put(d);
	json_object_put(e);
	wn_idgen_free(g);
	wn_idgen_free(g2);
}

static void test_slug(void)
{
	struct wn_buf b;

	wn_buf_init(&b, 0);
	wn_slug(&b, "APA PsycInfo <2021>", NULL);
	CHECK_STR(b.data, "apa-psycinfo-2021");
	wn_slug(&b, "  ", NULL);
	CHECK_STR(b.data, "record");
	wn_buf_release(&b);
}

int main(void)
{
	RUN(test_recb_cleans_and_drops_empty);
	RUN(test_recb_canonical_order_and_extra);
	RUN(test_recb_doi);
	RUN(test_recb_unique_large);
	RUN(test_canonicalize_in_place);
	RUN(test_accessors);
	RUN(test_ids);
	RUN(test_slug);
	return wn_test_report();
}
