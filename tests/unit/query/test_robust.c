/* Unit tests: the query library under the robustness work (docs/robustness.md).
 *
 * - The fuzzers' findings, one check each, written so that the reason is readable:
 *   printing a query and parsing it back gives the same IR (a quoted term with a
 *   whole-value field from a group, a MeSH qualifier with odd spacing, Scopus years
 *   outside the IR's range, date ranges that do not overlap).
 * - Allocation failures: parse, lint and print every dialect with the Nth allocation
 *   failing, for every N (once and from N on). Each run either fails with WN_ENOMEM or
 *   gives exactly the clean run's result - never a different translation (a failed
 *   lookup treated as "no" once quoted a word that needed no quotes).
 */
#include <stdlib.h>
#include "wn_test.h"
#include "winnow/alloc.h"
#include "winnow/query.h"

/* The canonical IR of q (n bytes) in d, or "(error)" / "(none)". Caller frees. */
static char *ir_of(enum wn_qdialect d, const char *q, size_t n)
{
	struct wn_err err;
	struct wn_query *p = wn_query_parse(q, n, d, &err);
	struct wn_buf b;
	char *s;

	if (!p)
		return strdup("(error)");
	wn_buf_init(&b, 0);
	if (wn_qnode_format(&b, p->root, &err) < 0)
		s = strdup("(error)");
	else
		s = strdup(b.data);
	wn_buf_release(&b);
	wn_query_free(p);
	return s;
}

static void check_ir(enum wn_qdialect d, const char *q, size_t n, const char *want)
{
	char *s = ir_of(d, q, n);

	if (!s || strcmp(s, want) != 0)
		fprintf(stderr, "  [%s] '%.*s'\n", wn_qdialect_name(d), (int)n, q);
	CHECK_STR(s, want);
	free(s);
}

/* Printed in every dialect, the query parses there; in its own dialect without notes,
 * it parses back to the same IR. Returns the number of dialects that failed. */
static int round_trips(enum wn_qdialect d, const char *q, size_t n)
{
	struct wn_err err;
	struct wn_query *p = wn_query_parse(q, n, d, &err);
	int t, bad = 0;

	if (!p || !p->root) {
		wn_query_free(p);
		return -1;
	}
	for (t = 0; t < WN_QD_COUNT; t++) {
		struct wn_buf out;
		struct wn_qdiags notes;
		struct wn_query *r = NULL;

		wn_buf_init(&out, 0);
		wn_qdiags_init(&notes);
		if (wn_query_print(&out, p->root, (enum wn_qdialect)t, &notes, &err) < 0)
			bad++;
		else if (!(r = wn_query_parse(out.data, out.len, (enum wn_qdialect)t, &err)) || !r->root ||
			 ((enum wn_qdialect)t == d && notes.n == 0 && !wn_qnode_equal(p->root, r->root))) {
			fprintf(stderr, "  [%s -> %s] '%.*s' printed as '%s'\n", wn_qdialect_name(d),
				wn_qdialect_name((enum wn_qdialect)t), (int)n, q, out.data);
			bad++;
		}
		wn_query_free(r);
		wn_qdiags_release(&notes);
		wn_buf_release(&out);
	}
	wn_query_free(p);
	return bad;
}

#define RT(d, q) CHECK_INT(round_trips((d), (q), strlen(q)), 0)

static int has_error(enum wn_qdialect d, const char *q, const char *code)
{
	struct wn_err err;
	struct wn_query *p = wn_query_parse(q, strlen(q), d, &err);
	size_t i;
	int found = 0;

	if (!p)
		return 0;
	for (i = 0; i < p->diags.n; i++)
		if (p->diags.v[i].sev == WN_QSEV_ERROR && strcmp(p->diags.v[i].code, code) == 0)
			found = 1;
	found = found && !p->root;
	wn_query_free(p);
	return found;
}

/* corpus/query_generic/regress-roundtrip-quoted-group-with-tag.txt */
static void test_whole_value_fields(void)
{
	/* quotes change nothing in a whole-value field, however the field is given */
	check_ir(WN_QD_GENERIC, "(\"I\")[la]", 9, "la:I");
	check_ir(WN_QD_GENERIC, "\"I\"[la]", 7, "la:I");
	check_ir(WN_QD_GENERIC, "(\"Review\" OR \"Editorial\")[pt]", 29, "(or pt:Review pt:Editorial)");
	check_ir(WN_QD_SCOPUS, "SRCTITLE(\"Lancet\")", 18, "journal:Lancet");
	RT(WN_QD_GENERIC, "(\"I\")[la]");
	RT(WN_QD_GENERIC, "(\"Review\" OR x)[pt]");
	RT(WN_QD_PUBMED, "(\"english\")[la] AND a");
	RT(WN_QD_OVID, "(\"x\" or y).jn.");
	/* a quoted single word in a word field stays quoted (it is not stemmed by PubMed) */
	check_ir(WN_QD_GENERIC, "(\"care\")[ti]", 12, "ti:\"care\"");
}

/* corpus/query_pubmed/regress-roundtrip-nul-slash-mesh.txt */
static void test_mesh_qualifier_spacing(void)
{
	/* '?' is a word separator in PubMed and NUL a space: "R/  a" before the fix */
	check_ir(WN_QD_PUBMED, "R/?\0a[mh]", 9, "mh+:R/a");
	CHECK_INT(round_trips(WN_QD_PUBMED, "R/?\0a[mh]", 9), 0);
	check_ir(WN_QD_PUBMED, "\"Neoplasms/  drug   therapy \"[mh]", 33, "mh+:Neoplasms/drug therapy");
	check_ir(WN_QD_PUBMED, "Neoplasms/dt[mh]", 16, "mh+:Neoplasms/drug therapy");
	/* an empty qualifier is none */
	check_ir(WN_QD_PUBMED, "\"Neoplasms/ \"[mh]", 17, "mh+:Neoplasms");
	RT(WN_QD_PUBMED, "\"Neoplasms/ drug  therapy\"[mh]");
	RT(WN_QD_EBSCO, "(MH \"Neoplasms/ DT\")");
	RT(WN_QD_GENERIC, "\"Neoplasms/  x  y\"[mh]");
}

/* corpus/query_scopus/regress-pubyear-before-1000-prints-unparsable-range.txt */
static void test_scopus_years(void)
{
	/* every year: an open range, printed as such in every dialect */
	check_ir(WN_QD_SCOPUS, "PUBYEAR >0998", 13, "dp:..");
	RT(WN_QD_SCOPUS, "PUBYEAR >0998");
	RT(WN_QD_SCOPUS, "a AND PUBYEAR > 0999");
	/* the printer writes "any year" as PUBYEAR > 999: it reads back */
	check_ir(WN_QD_SCOPUS, "a AND PUBYEAR > 999", 19, "(and a dp:..)");
	check_ir(WN_QD_SCOPUS, "PUBYEAR > 1996 AND PUBYEAR < 2021", 33, "dp:1997..2020");
	check_ir(WN_QD_SCOPUS, "PUBYEAR = 3500", 14, "dp:3500..");
	RT(WN_QD_SCOPUS, "PUBYEAR = 3500");
	/* no year left: an error, not a range the printers cannot write */
	CHECK(has_error(WN_QD_SCOPUS, "a AND PUBYEAR < 1000", "Q011"));
	CHECK(has_error(WN_QD_SCOPUS, "PUBYEAR < 0000", "Q011"));
	CHECK(has_error(WN_QD_SCOPUS, "PUBYEAR > 9999", "Q011"));
	CHECK(has_error(WN_QD_SCOPUS, "PUBYEAR = 0998", "Q011"));
	/* "PUBYEAR > 19961" is not a year comparison */
	CHECK(!has_error(WN_QD_SCOPUS, "PUBYEAR > 19961", "Q011"));
	/* the other dialects: the year 1000 is the open start */
	check_ir(WN_QD_PUBMED, "1000:2000[dp]", 13, "dp:..2000");
}

/* corpus/query_generic/regress-roundtrip-wildcard-count-before-digits.txt: "$888..."
 * was read as "$888" and literal digits by the parser, as one huge (overflowing) count
 * by the printer and the matcher */
static void test_wildcard_count(void)
{
	check_ir(WN_QD_GENERIC, "a$88888888888z", 14, "a$88888888888z");
	RT(WN_QD_GENERIC, "a$88888888888z");
	RT(WN_QD_GENERIC, "(\"880i888888<888$88888888888Z pt]I\" OR b)[la]");
	/* Ovid ? (zero or one) before a digit, and in every dialect's spelling */
	check_ir(WN_QD_OVID, "covid?19", 8, "covid$119");
	check_ir(WN_QD_WOS, "TS=covid$19", 11, "ti,ab,kw:covid$119");
	check_ir(WN_QD_EBSCO, "covid#19", 8, "covid$119");
	RT(WN_QD_OVID, "covid?19.ti.");
	RT(WN_QD_WOS, "TS=covid$19");
	RT(WN_QD_EBSCO, "covid#19");
	/* "$0" and a bare "$" are unlimited; the digit stays */
	check_ir(WN_QD_OVID, "dog$0s", 6, "dog*0s");
}

/* corpus/query_ovid/regress-roundtrip-major-heading-after-parenthesis.txt: the printer
 * writes "(*Burnout, Psychological/ and px)", where '*' after '(' was read as part of
 * the heading's text rather than "major topic" */
static void test_ovid_major_after_parenthesis(void)
{
	check_ir(WN_QD_OVID, "(*Burnout/ and px)", 18, "(and mh*:Burnout px)");
	check_ir(WN_QD_OVID, "a not (*Burnout, Psychological/)", 32, "(not a mh*:\"Burnout, Psychological\")");
	RT(WN_QD_OVID, "1 *Burnout, Psychological/\n2 stress.ti. not (1 and px)");
	/* no heading: a left truncation, as without the parenthesis (reported) */
	check_ir(WN_QD_OVID, "(*abc.ti. or b)", 15, "(or ti:*abc b)");
}

static void test_disjoint_ranges(void)
{
	/* AND of ranges that do not overlap: two nodes (matches nothing), never an
	 * inverted range no dialect can write */
	check_ir(WN_QD_PUBMED, "2000:2001[dp] AND 2005:2010[dp]", 31, "(and dp:2000..2001 dp:2005..2010)");
	RT(WN_QD_PUBMED, "2000:2001[dp] AND 2005:2010[dp]");
	RT(WN_QD_SCOPUS, "PUBYEAR < 2001 AND PUBYEAR > 2004");
	RT(WN_QD_WOS, "TS=a AND PY=2000-2001 AND PY=2005-2010");
	/* overlapping ones are still intersected */
	check_ir(WN_QD_PUBMED, "2000:2008[dp] AND 2005:2010[dp]", 31, "dp:2005..2008");
}

/* ---- allocation failures ---- */

struct result {
	int rc;           /* 0, or -1 with code */
	int code;
	char *text;       /* IR, findings and translation */
};

static void result_free(struct result *r)
{
	free(r->text);
	r->text = NULL;
}

static int append_diags(struct wn_buf *b, const struct wn_qdiags *d, struct wn_err *err)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (wn_buf_addf(b, err, "%u:%u %s %s\n", d->v[i].line, d->v[i].col, d->v[i].code,
				d->v[i].msg) < 0)
			return -1;
	return 0;
}

/* Parse, lint, print in dialect t: everything a `query --to` run shows. */
static void pipeline(enum wn_qdialect d, const char *q, enum wn_qdialect t, struct result *r)
{
	struct wn_err err;
	struct wn_query *p;
	struct wn_buf out, all;
	struct wn_qdiags notes;

	wn_err_clear(&err);
	memset(r, 0, sizeof(*r));
	wn_buf_init(&out, 0);
	wn_buf_init(&all, 0);
	wn_qdiags_init(&notes);
	p = wn_query_parse(q, strlen(q), d, &err);
	if (!p || wn_query_lint(p, &err) < 0 || wn_qnode_format(&all, p->root, &err) < 0 ||
	    append_diags(&all, &p->diags, &err) < 0 ||
	    (p->root && wn_query_print(&out, p->root, t, &notes, &err) < 0) ||
	    append_diags(&all, &notes, &err) < 0 ||
	    (out.len && wn_buf_add(&all, out.data, out.len, &err) < 0)) {
		r->rc = -1;
		r->code = err.code;
	} else {
		r->text = strdup(all.data ? all.data : "");
	}
	wn_query_free(p);
	wn_qdiags_release(&notes);
	wn_buf_release(&out);
	wn_buf_release(&all);
}

static int injection_works(void)
{
	void *p;

	wn_alloc_set_schedule(1, 0);
	p = wn_malloc(1);
	wn_alloc_set_schedule(0, 0);
	wn_free(p);
	return p == NULL;
}

static void oom_loop(enum wn_qdialect d, const char *q)
{
	struct result ref, r;
	unsigned long n, k;
	int t, sticky, bad = 0;

	for (t = 0; t < WN_QD_COUNT && bad < 3; t++) {
		wn_alloc_set_schedule(0, 0);
		pipeline(d, q, (enum wn_qdialect)t, &ref);
		n = wn_alloc_count();
		CHECK(ref.rc == 0 && ref.text);
		if (ref.rc)
			return;
		for (k = 1; k <= n && bad < 3; k++)
			for (sticky = 0; sticky < 2; sticky++) {
				wn_alloc_set_schedule(k, sticky);
				pipeline(d, q, (enum wn_qdialect)t, &r);
				wn_alloc_set_schedule(0, 0);
				if (r.rc == 0 ? strcmp(r.text, ref.text) != 0 : r.code != WN_ENOMEM) {
					fprintf(stderr, "  [%s -> %s] allocation %lu%s failing: %s\n'%s'\n",
						wn_qdialect_name(d), wn_qdialect_name((enum wn_qdialect)t), k,
						sticky ? " (sticky)" : "",
						r.rc ? "an error other than out of memory" : "a different result",
						r.text ? r.text : "");
					bad++;
				}
				result_free(&r);
			}
		result_free(&ref);
	}
	CHECK_INT(bad, 0);
}

static void test_oom(void)
{
	if (!injection_works()) {
		fprintf(stderr, "  (allocation failure injection not compiled in: skipped)\n");
		return;
	}
	/* the t12 query, and one query per dialect using its own syntax */
	oom_loop(WN_QD_GENERIC, "NHS AND (\"Integrated Health*\" OR \"Integrating Health*\" OR "
				"\"Integrated Care*\") AND (Factor* OR Perform* OR Success* OR Fail*)");
	oom_loop(WN_QD_PUBMED, "(\"Delivery of Health Care, Integrated\"[mh] OR integrat*[tiab] OR "
			       "\"care pathway\"[tiab:~2]) AND english[la] AND 1997:2020[dp] NOT and");
	oom_loop(WN_QD_OVID, "1 exp Neoplasms/dt\n2 (integrat* adj3 care).ti,ab.\n3 or/1-2\n"
			     "4 limit 3 to (english language and yr=\"1997 - 2020\")");
	oom_loop(WN_QD_SCOPUS, "TITLE-ABS-KEY(\"integrated care\" W/3 nhs) AND NOT near AND PUBYEAR > 1996");
	oom_loop(WN_QD_WOS, "TS=(integrat* NEAR/3 care) NOT TI=review AND PY=1997-2020");
	oom_loop(WN_QD_EBSCO, "S1 (MH \"Neoplasms+\")\nS2 TI integrat* N3 care\nS3 S1 OR S2");
}

int main(void)
{
	RUN(test_whole_value_fields);
	RUN(test_mesh_qualifier_spacing);
	RUN(test_scopus_years);
	RUN(test_wildcard_count);
	RUN(test_ovid_major_after_parenthesis);
	RUN(test_disjoint_ranges);
	RUN(test_oom);
	return wn_test_report();
}
