/* Unit tests: report.c (CSV template, JSON, text) and svg.c (the diagram's content). */
#include <stdlib.h>
#include "wn_test.h"
#include "winnow/prisma.h"
#include "winnow/prisma_report.h"
#include "winnow/prisma_svg.h"

#define DATA "../../data/prisma/"

static void load(struct wn_prisma *p, const char *ledger)
{
	struct wn_err err;
	struct wn_prisma_opts o = { -1, -1, NULL };

	wn_prisma_init(p);
	CHECK(wn_prisma_add_ledger(p, ledger, &err) == 0);
	CHECK(wn_prisma_compute(p, &o, &err) == 0);
}

static char *render(int (*fn)(FILE *, const char *, const struct wn_prisma *, struct wn_err *),
		    const struct wn_prisma *p)
{
	char *buf = NULL;
	size_t len = 0;
	struct wn_err err;
	FILE *f = open_memstream(&buf, &len);

	CHECK(fn(f, "memory", p, &err) == 0);
	fclose(f);
	return buf;
}

static void test_template(void)
{
	size_t i, keys = 0;

	/* the package's 34 rows; every data key once, in the enum's order */
	for (i = 0; i < WN_PRISMA_TEMPLATE_ROWS; i++) {
		const struct wn_prisma_row *r = &wn_prisma_template[i];
		if (r->key < 0) {
			CHECK_STR(r->data, "NA");
			continue;
		}
		CHECK_STR(r->data, wn_prisma_key_name((enum wn_prisma_key)r->key));
		CHECK_INT(r->key, keys);
		keys++;
	}
	CHECK_INT(keys, WN_PK__COUNT);
	CHECK_STR(wn_prisma_template[0].box, "prevstud");
	CHECK_STR(wn_prisma_template[33].data, "total_reports_ma");
	CHECK_STR(wn_prisma_template[10].node, "");  /* organisation_results: empty node, as shipped */
}

static void test_breakdown(void)
{
	json_object *o = json_object_new_object();
	struct wn_buf b;
	struct wn_err err;

	wn_buf_init(&b, 0);
	CHECK(wn_prisma_breakdown_string(o, &b, &err) == 0);
	CHECK_STR(b.data, "0");
	json_object_object_add(o, "Wrong population, or setting; not UK", json_object_new_int(3));
	json_object_object_add(o, "  ;,  ", json_object_new_int(1));
	json_object_object_add(o, "tab\there", json_object_new_int(2));
	wn_buf_reset(&b);
	CHECK(wn_prisma_breakdown_string(o, &b, &err) == 0);
	/* the package splits on "; " and the first ",": names must hold neither */
	CHECK_STR(b.data, "Wrong population or setting not UK, 3; (unnamed), 1; tab here, 2");
	wn_buf_release(&b);
	json_object_put(o);
}

static void test_csv_json_text(void)
{
	struct wn_prisma p;
	char *csv, *line, *save = NULL, *s;
	int rows = 0;
	json_object *j;
	int k;

	load(&p, DATA "basic.ledger");
	csv = render(wn_prisma_write_csv, &p);
	CHECK(strncmp(csv, "data,node,box,description,boxtext,tooltips,url,n\n", 49) == 0);
	CHECK(strstr(csv, "\nrecords_screened,node9,box4,Records screened (databases and registers),Records screened,Records screened (databases and registers),records_screened.html,98\n") != NULL);
	CHECK(strstr(csv, ",dbrexcludedrecords.html,\"wrong setting, 7; not integrated care, 4; abstract only, 1\"\n") != NULL);
	CHECK(strstr(csv, ",database_results.html,\"PubMed, 60; Embase, 45; CINAHL, 30\"\n") != NULL);
	/* not applicable: empty, which the package reads as NA */
	CHECK(strstr(csv, "\nwebsite_results,node17,box11,Records identified from: Websites,Websites,\"Records identified from: Websites, Organisations and Citation Searching\",website_results.html,\n") != NULL);
	for (s = csv; (line = strtok_r(s, "\n", &save)); s = NULL)
		rows++;
	CHECK_INT(rows, 35);
	free(csv);

	j = wn_prisma_json(&p, NULL);
	CHECK(j != NULL);
	CHECK_INT(json_object_object_length(j), WN_PK__COUNT);
	for (k = 0; k < WN_PK__COUNT; k++) {
		json_object *v = NULL;
		CHECK(json_object_object_get_ex(j, wn_prisma_key_name((enum wn_prisma_key)k), &v));
	}
	{
		json_object *v;
		json_object_object_get_ex(j, "records_screened", &v);
		CHECK(json_object_is_type(v, json_type_int) && json_object_get_int(v) == 98);
		json_object_object_get_ex(j, "dbr_excluded", &v);
		CHECK(json_object_is_type(v, json_type_object));
		json_object_object_get_ex(j, "previous_studies", &v);
		CHECK(v == NULL);
		json_object_object_get_ex(j, "identification", &v);
		CHECK(json_object_is_type(v, json_type_object));
		CHECK(json_object_object_get_ex(v, "prisma_s", NULL));
		CHECK(json_object_object_get_ex(v, "provenance", NULL));
	}
	json_object_put(j);

	s = render(wn_prisma_write_text, &p);
	CHECK(strstr(s, "  Records screened") != NULL);
	CHECK(strstr(s, "All ") != NULL);
	free(s);

	s = render(wn_prisma_write_svg, &p);
	CHECK(strncmp(s, "<?xml", 5) == 0);
	CHECK(strstr(s, ">Records screened (n\xc2\xa0=\xc2\xa0" "98)</text>") != NULL);
	CHECK(strstr(s, "<g class=\"box\" id=\"records_screened\">") != NULL);
	CHECK(strstr(s, "<metadata id=\"winnow-prisma\">") != NULL);
	CHECK(strstr(s, "winnow 0.1.0") != NULL);
	CHECK(strstr(s, "2020-04-08T09:00:00Z to 2020-04-20T10:00:01Z") != NULL);
	CHECK(strstr(s, "othstud") == NULL);    /* no other-methods branch */
	CHECK(strstr(s, "prevstud") == NULL);   /* not an updated review */
	CHECK(strstr(s, "</svg>\n") != NULL);
	free(s);
	wn_prisma_release(&p);
}

static void test_svg_escapes(void)
{
	struct wn_prisma p;
	char *s;

	load(&p, DATA "other.ledger");
	s = render(wn_prisma_write_svg, &p);
	CHECK(strstr(s, "The King's Fund") != NULL);
	CHECK(strstr(s, "id=\"othstud\"") != NULL);
	CHECK(strstr(s, "<polyline class=\"arrow\"") != NULL);
	free(s);
	wn_prisma_release(&p);
}

int main(void)
{
	RUN(test_template);
	RUN(test_breakdown);
	RUN(test_csv_json_text);
	RUN(test_svg_escapes);
	return wn_test_report();
}
