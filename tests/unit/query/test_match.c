/* Unit tests: evaluating queries on records - tokenisation, wildcards, phrases,
 * proximity counts per dialect, fields, MeSH explosion, dates, explain output. */
#include <stdlib.h>
#include "wn_test.h"
#include "winnow/mesh.h"
#include "winnow/qmatch.h"
#include "winnow/query.h"

static struct wn_mesh *mesh;

/* 1/0: does query q (dialect d) match the record given as JSON? default fields ti,ab,kw
 * unless dflt is non-zero. */
static int m_opts(enum wn_qdialect d, const char *q, const char *json, unsigned dflt,
		  const struct wn_mesh *mt)
{
	struct wn_err err;
	struct wn_query *p = wn_query_parse(q, strlen(q), d, &err);
	struct wn_qmatch_opts o;
	struct wn_qmatch *m;
	struct wn_qmatch_state *s;
	json_object *rec = json_tokener_parse(json);
	int r;

	if (!p || !p->root || !rec) {
		fprintf(stderr, "  cannot set up: %s / %s\n", q, json);
		wn_query_free(p);
		json_object_put(rec);
		return -9;
	}
	memset(&o, 0, sizeof(o));
	o.default_fields = dflt;
	o.mesh = mt;
	o.dialect = d;
	m = wn_qmatch_compile(p->root, &o, NULL, &err);
	s = m ? wn_qmatch_state_new(m, &err) : NULL;
	r = s ? wn_qmatch_record(s, rec, &err) : -8;
	wn_qmatch_state_free(s);
	wn_qmatch_free(m);
	wn_query_free(p);
	json_object_put(rec);
	return r;
}

static int m(enum wn_qdialect d, const char *q, const char *json)
{
	return m_opts(d, q, json, 0, NULL);
}

#define G WN_QD_GENERIC
#define PM WN_QD_PUBMED
#define OV WN_QD_OVID

static void test_tokens(void)
{
	const char *r = "{\"title\":\"Sj\xc3\xb6gren's syndrome and breast-feeding in \xef\xac\x81nal STAGE\"}";

	CHECK_INT(m(G, "sjogren", r), 1);
	CHECK_INT(m(G, "SJÖGREN", r), 1);
	CHECK_INT(m(G, "\"breast feeding\"", r), 1);
	CHECK_INT(m(G, "breastfeeding", r), 0);
	CHECK_INT(m(G, "\"breast-feeding\"", r), 1);
	CHECK_INT(m(G, "final", r), 1); /* the fi ligature */
	CHECK_INT(m(G, "\"syndrome and breast\"", r), 1);
	CHECK_INT(m(G, "\"syndrome breast\"", r), 0);
	CHECK_INT(m(G, "stage", r), 1);
	CHECK_INT(m(G, "s", r), 1); /* Sjögren's -> sjogren, s */
}

static void test_wildcards(void)
{
	const char *r = "{\"title\":\"Integrating care for women with colour vision; dogs, organisations, organizations\","
			"\"abstract\":\"Integrated carers and integration of services.\"}";

	CHECK_INT(m(G, "integrat*", r), 1);
	CHECK_INT(m(G, "organi?ation*", r), 1);
	CHECK_INT(m(OV, "wom#n", r), 1);
	CHECK_INT(m(OV, "colo?r", r), 1);             /* Ovid ?: zero or one */
	CHECK_INT(m(OV, "colo#r", r), 1);             /* Ovid #: exactly one (colour) */
	CHECK_INT(m(OV, "col#r", r), 0);
	CHECK_INT(m(OV, "colo#r adj vision", r), 1);
	CHECK_INT(m(WN_QD_EBSCO, "colo#r", r), 1);    /* EBSCO #: zero or one */
	CHECK_INT(m(OV, "dog$1", r), 1);
	CHECK_INT(m(OV, "dogma$1", r), 0);
	CHECK_INT(m(G, "\"integrated care*\"", r), 1); /* phrase with truncation: "integrated carers" */
	CHECK_INT(m(G, "\"integrating care*\"", r), 1);
	CHECK_INT(m(G, "\"integration care*\"", r), 0);
	CHECK_INT(m(G, "*gration", r), 1);             /* leading wildcard */
	CHECK_INT(m(G, "int*ion", r), 1);
	CHECK_INT(m(G, "int*ionx", r), 0);
	/* a limited wildcard before a digit: one digit is the limit, the rest literal
	 * (Ovid "covid?19" read as "covid" and up to 119 characters before the fix) */
	{
		const char *c = "{\"title\":\"covid19 and covidx19 outcomes; sars2 h1n1\"}";
		const char *c2 = "{\"title\":\"covidabcdef19 outcomes\"}";
		CHECK_INT(m(OV, "covid?19", c), 1);
		CHECK_INT(m(OV, "covid?19", c2), 0);
		CHECK_INT(m(WN_QD_WOS, "TS=covid$19", c2), 0);
		CHECK_INT(m(WN_QD_EBSCO, "covid#19", c2), 0);
		CHECK_INT(m(OV, "covid$119", c), 1);       /* $1 then "19" */
		CHECK_INT(m(OV, "covid$119", c2), 0);
		CHECK_INT(m(OV, "sars$22", c), 1);
		CHECK_INT(m(G, "h$1n1", c), 1);
	}
	/* the example review's HSE string takes no truncation: exact words only */
	CHECK_INT(m(G, "\"Integrated Care\"", r), 0);
	CHECK_INT(m(G, "\"Integrated Care*\"", r), 1);
}

static void test_proximity(void)
{
	/* "hand x y hygiene": two words between */
	const char *r = "{\"title\":\"Hand washing and hygiene in wards\",\"abstract\":\"compliance was low\"}";

	CHECK_INT(m(PM, "\"hand hygiene\"[tiab:~2]", r), 1);
	CHECK_INT(m(PM, "\"hand hygiene\"[tiab:~1]", r), 0);
	CHECK_INT(m(PM, "\"hygiene hand\"[tiab:~2]", r), 1);       /* any order */
	CHECK_INT(m(OV, "hand adj3 hygiene", r), 1);               /* adj3: at most 2 between */
	CHECK_INT(m(OV, "hand adj2 hygiene", r), 0);
	CHECK_INT(m(WN_QD_EBSCO, "hand N2 hygiene", r), 1);
	CHECK_INT(m(WN_QD_EBSCO, "hand N1 hygiene", r), 0);
	CHECK_INT(m(WN_QD_EBSCO, "hygiene W2 hand", r), 0);        /* ordered */
	CHECK_INT(m(WN_QD_EBSCO, "hand W2 hygiene", r), 1);
	CHECK_INT(m(WN_QD_SCOPUS, "hand PRE/2 hygiene", r), 1);
	CHECK_INT(m(WN_QD_SCOPUS, "hygiene PRE/2 hand", r), 0);
	CHECK_INT(m(WN_QD_SCOPUS, "hygiene W/2 hand", r), 1);
	CHECK_INT(m(WN_QD_WOS, "TS=(hand NEAR/2 hygiene)", r), 1);
	CHECK_INT(m(WN_QD_WOS, "TS=(hand NEAR/1 hygiene)", r), 0);
	CHECK_INT(m(OV, "hand adj hygiene", r), 0);                /* adj: a phrase */
	CHECK_INT(m(OV, "washing adj hand", r), 0);
	CHECK_INT(m(OV, "hand adj washing", r), 1);
	/* not across fields: hand (title) and compliance (abstract) */
	CHECK_INT(m(G, "hand NEAR/50 compliance", r), 0);
	CHECK_INT(m(WN_QD_WOS, "TS=(hand SAME hygiene)", r), 1);
	CHECK_INT(m(WN_QD_WOS, "TS=(hand SAME compliance)", r), 0);
	/* OR-groups and phrases as operands, and chains */
	CHECK_INT(m(OV, "(hand or foot) adj3 (hygiene or care)", r), 1);
	CHECK_INT(m(G, "\"hand washing\" NEAR/1 hygiene", r), 1);
	CHECK_INT(m(G, "hand NEAR/3 hygiene NEAR/1 wards", r), 1);
	CHECK_INT(m(G, "hand NEAR/3 hygiene NEAR/0 wards", r), 0);
	/* not across two keywords */
	CHECK_INT(m(G, "alpha NEAR/5 beta", "{\"keywords\":[\"alpha\",\"beta\"]}"), 0);
	CHECK_INT(m(G, "\"alpha beta\"", "{\"keywords\":[\"alpha\",\"beta\"]}"), 0);
	CHECK_INT(m(G, "alpha AND beta", "{\"keywords\":[\"alpha\",\"beta\"]}"), 1);
}

static void test_fields(void)
{
	/* Shand & Turner: "Integrated Care" only in the journal name */
	const char *shand = "{\"title\":\"System wide collaboration? Health and social care leaders' perspectives on working across boundaries\","
			    "\"authors\":[\"Shand, J\",\"Turner, S\"],\"journal\":\"Journal of Integrated Care\",\"year\":2019}";
	const char *r = "{\"title\":\"A trial\",\"abstract\":\"About nurses.\",\"keywords\":[\"Integrated care\"],"
			"\"authors\":[\"Smith, John A\",\"\xc3\x96ster, K\"],\"journal\":\"BMJ Open\",\"journal_abbrev\":\"BMJ Open\","
			"\"issn\":[\"2044-6055\"],\"language\":\"eng\",\"pubtypes\":[\"Journal Article\",\"Systematic Review\"],"
			"\"doi\":\"10.1136/BMJOPEN-2021-049296\",\"pmid\":\"35000000\",\"year\":2022,\"date\":\"2022-03-15\"}";

	CHECK_INT(m(PM, "\"Integrated Care\"[tiab]", shand), 0);
	CHECK_INT(m(PM, "\"Integrated Care\"[all]", shand), 1);
	CHECK_INT(m(PM, "\"Journal of Integrated Care\"[ta]", shand), 1);
	CHECK_INT(m(PM, "\"Integrated Care\"[ta]", shand), 0);     /* [ta] is the whole title */
	CHECK_INT(m(PM, "\"Integrated Care\"", shand), 0);         /* default ti,ab,kw */
	CHECK_INT(m_opts(PM, "\"Integrated Care\"", shand, WN_QF_ALL, NULL), 1);
	/* PubMed [tiab] includes author keywords; Ovid .ti,ab. does not */
	CHECK_INT(m(PM, "\"integrated care\"[tiab]", r), 1);
	CHECK_INT(m(OV, "integrated care.ti,ab.", r), 0);
	CHECK_INT(m(OV, "integrated care.kf.", r), 1);
	CHECK_INT(m(PM, "trial[ti]", r), 1);
	CHECK_INT(m(PM, "nurses[ti]", r), 0);
	/* authors */
	CHECK_INT(m(PM, "smith j[au]", r), 1);
	CHECK_INT(m(PM, "smith ja[au]", r), 1);
	CHECK_INT(m(PM, "smith[au]", r), 1);
	CHECK_INT(m(PM, "smi[au]", r), 0);
	CHECK_INT(m(PM, "smith k[au]", r), 0);
	CHECK_INT(m(PM, "oster k[au]", r), 1);
	CHECK_INT(m(PM, "\"smith john a\"[au]", r), 1);
	/* language, publication type, journal, ISSN, DOI, PMID */
	CHECK_INT(m(PM, "english[la]", r), 1);
	CHECK_INT(m(PM, "eng[la]", r), 1);
	CHECK_INT(m(PM, "french[la]", r), 0);
	CHECK_INT(m(PM, "\"systematic review\"[pt]", r), 1);
	CHECK_INT(m(PM, "review[pt]", r), 0);
	CHECK_INT(m(PM, "review[tw]", r), 1);                       /* [tw] reads types as words */
	CHECK_INT(m(PM, "\"bmj open\"[ta]", r), 1);
	CHECK_INT(m(PM, "2044-6055[ta]", r), 1);
	CHECK_INT(m(PM, "10.1136/bmjopen-2021-049296[aid]", r), 1);
	CHECK_INT(m(PM, "35000000[pmid]", r), 1);
	CHECK_INT(m(PM, "35000001[pmid]", r), 0);
	/* fields the records do not have never match */
	CHECK_INT(m(PM, "london[ad]", r), 0);
	/* missing and odd-typed fields */
	CHECK_INT(m(G, "trial", "{\"title\":7,\"abstract\":null,\"keywords\":[1,\"trial\"]}"), 1);
	CHECK_INT(m(G, "trial", "{}"), 0);
}

static void test_mesh(void)
{
	const char *r = "{\"title\":\"x\",\"mesh\":[\"*Breast Neoplasms/drug therapy\",\"Humans\",\"Female\","
			"\"Delivery of Health Care, Integrated/*organization & administration\"]}";

	/* without a MeSH file: exact headings */
	CHECK_INT(m(PM, "breast neoplasms[mh]", r), 1);
	CHECK_INT(m(PM, "neoplasms[mh]", r), 0);
	CHECK_INT(m(OV, "exp Neoplasms/", r), 0);
	CHECK_INT(m(PM, "humans[mh:noexp]", r), 1);
	CHECK_INT(m(PM, "breast neoplasms/drug therapy[mh]", r), 1);
	CHECK_INT(m(OV, "Breast Neoplasms/dt", r), 1);
	CHECK_INT(m(OV, "Breast Neoplasms/su", r), 0);
	CHECK_INT(m(PM, "breast neoplasms[majr]", r), 1);
	CHECK_INT(m(PM, "humans[majr]", r), 0);
	CHECK_INT(m(OV, "*Delivery of Health Care, Integrated/", r), 1); /* major via the qualifier */
	CHECK_INT(m(WN_QD_EBSCO, "MH \"Delivery of Health Care, Integrated\"", r), 1);
	CHECK_INT(m(PM, "neoplasms[tw]", r), 1);                   /* heading words */
	CHECK_INT(m(PM, "neoplasms[tiab]", r), 0);
	/* with the tree: explosion and entry terms */
	CHECK(mesh != NULL);
	if (!mesh)
		return;
	CHECK_INT(m_opts(PM, "neoplasms[mh]", r, 0, mesh), 1);
	CHECK_INT(m_opts(PM, "neoplasms[mh:noexp]", r, 0, mesh), 0);
	CHECK_INT(m_opts(OV, "exp Neoplasms/", r, 0, mesh), 1);
	CHECK_INT(m_opts(OV, "Neoplasms/", r, 0, mesh), 0);
	CHECK_INT(m_opts(PM, "cancer[mh]", r, 0, mesh), 1);         /* entry term -> Neoplasms, exploded */
	CHECK_INT(m_opts(PM, "\"breast cancer\"[mh:noexp]", r, 0, mesh), 1);
	CHECK_INT(m_opts(PM, "\"neoplasms by histologic type\"[mh]", r, 0, mesh), 0);
	CHECK_INT(m_opts(WN_QD_EBSCO, "MH \"Delivery of Health Care+\"", r, 0, mesh), 1);
	CHECK_INT(m_opts(WN_QD_EBSCO, "MH \"Delivery of Health Care\"", r, 0, mesh), 0);
	CHECK_INT(m_opts(PM, "neoplasms[majr]", r, 0, mesh), 1);
}

static void test_mesh_file(void)
{
	struct wn_err err;
	long i;

	mesh = wn_mesh_load("../../data/query/mesh-sample.xml", &err);
	CHECK(mesh != NULL);
	if (!mesh) {
		fprintf(stderr, "  %s\n", err.msg);
		return;
	}
	CHECK_INT(wn_mesh_count(mesh), 7);
	i = wn_mesh_find(mesh, "tumors", 6);
	CHECK(i >= 0);
	CHECK_STR(wn_mesh_name(mesh, i), "Neoplasms");
	/* the name inside <SeeRelatedList> is not a descriptor of its own */
	CHECK_STR(wn_mesh_name(mesh, wn_mesh_find(mesh, "Breast Neoplasms", 16)), "Breast Neoplasms");
	CHECK_INT(wn_mesh_find(mesh, "no such heading", 15), -1);
	/* not a MeSH file, missing, malformed */
	CHECK(wn_mesh_load("../../data/query/records.jsonl", &err) == NULL && err.code == WN_EFORMAT);
	CHECK(wn_mesh_load("../../data/query/no-such-file.xml", &err) == NULL && err.code == WN_EIO);
	CHECK(wn_mesh_load_memory("<DescriptorRecordSet><DescriptorRecord>", 39, "trunc", &err) == NULL &&
	      err.code == WN_EFORMAT);
	CHECK(wn_mesh_load_memory("<x/>", 4, "other", &err) == NULL && err.code == WN_EFORMAT);
	/* an entity bomb is not expanded (no DTD, no entities) */
	{
		const char *bomb = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
				   "<DescriptorRecordSet><DescriptorRecord><DescriptorName><String>&b;</String></DescriptorName></DescriptorRecord></DescriptorRecordSet>";
		struct wn_mesh *b = wn_mesh_load_memory(bomb, strlen(bomb), "bomb", &err);
		if (b)
			CHECK(wn_mesh_find(b, "aaaaaaaaaaaaaaaaaaaa", 20) < 0);
		wn_mesh_free(b);
	}
}

static void test_dates_bool(void)
{
	const char *r97 = "{\"title\":\"a\",\"year\":1997}";
	const char *r = "{\"title\":\"a b\",\"date\":\"2020-04-09\",\"year\":2020}";

	CHECK_INT(m(PM, "a AND 1997:2020[dp]", r), 1);
	CHECK_INT(m(PM, "a AND 1997/12/08:2020/04/08[dp]", r), 0);
	CHECK_INT(m(PM, "a AND 1997/12/08:2020/04/08[dp]", r97), 1); /* 1997 overlaps */
	CHECK_INT(m(PM, "a AND 1998:2020[dp]", r97), 0);
	CHECK_INT(m(PM, "a AND 1998:2020[dp]", "{\"title\":\"a\"}"), 0); /* no date */
	CHECK_INT(m(WN_QD_SCOPUS, "a AND PUBYEAR > 2019", r), 1);
	CHECK_INT(m(PM, "a NOT b", r), 0);
	CHECK_INT(m(PM, "a NOT c", r), 1);
	CHECK_INT(m(PM, "c OR b", r), 1);
	CHECK_INT(m(PM, "a AND b OR c", r), 1);
	CHECK_INT(m(PM, "c AND b OR a", r), 1);      /* (c AND b) OR a */
	CHECK_INT(m(G, "c AND b OR a", r), 1);
	CHECK_INT(m(PM, "a OR b AND c", r), 0);      /* left to right: (a OR b) AND c */
	CHECK_INT(m(G, "a OR b AND c", r), 1);       /* generic: a OR (b AND c) */
	CHECK_INT(m(PM, "a NOT b NOT c", r), 0);
	CHECK_INT(m(WN_QD_SCOPUS, "a AND NOT c OR b", r), 0); /* a AND NOT (c OR b) */
}

static void test_explain(void)
{
	struct wn_err err;
	const char *q = "NHS AND (\"Integrated Health*\" OR \"Integrated Care*\") AND (Factor* OR Fail*)";
	struct wn_query *p = wn_query_parse(q, strlen(q), WN_QD_PUBMED, &err);
	struct wn_qmatch *mm = wn_qmatch_compile(p->root, NULL, NULL, &err);
	struct wn_qmatch_state *s = wn_qmatch_state_new(mm, &err);
	json_object *rec = json_tokener_parse("{\"title\":\"Why integrated care fails: NHS factors\","
					      "\"abstract\":\"Integrated Care Systems in the NHS.\"}");
	json_object *cl = NULL, *te = NULL;

	CHECK_INT(wn_qmatch_record(s, rec, &err), 1);
	CHECK(wn_qmatch_explain(s, &cl, &te, &err) == 0);
	CHECK_STR(json_object_to_json_string_ext(cl, JSON_C_TO_STRING_PLAIN),
		  "[\"NHS\",\"\\\"Integrated Health*\\\" OR \\\"Integrated Care*\\\"\",\"Factor* OR Fail*\"]");
	CHECK_STR(json_object_to_json_string_ext(te, JSON_C_TO_STRING_PLAIN),
		  "[\"NHS\",\"integrated care\",\"Integrated Care\",\"factors\",\"fails\"]");
	json_object_put(cl);
	json_object_put(te);
	json_object_put(rec);
	wn_qmatch_state_free(s);
	wn_qmatch_free(mm);
	wn_query_free(p);
}

static int collect(const char *tok, size_t n, size_t off, size_t len, void *data)
{
	struct wn_buf *b = data;

	wn_buf_addf(b, NULL, "%s%.*s@%zu+%zu", b->len ? " " : "", (int)n, tok, off, len);
	return 0;
}

static void test_tokeniser(void)
{
	struct wn_buf b;

	wn_buf_init(&b, 0);
	wn_qtok_each("COVID-19: \xc3\x89tude", 16, collect, &b);
	CHECK_STR(b.data, "covid@0+5 19@6+2 etude@10+6");
	wn_buf_reset(&b);
	CHECK(wn_qtok_normalize(&b, "Delivery of Health Care, Integrated", 35, NULL) == 0);
	CHECK_STR(b.data, "delivery of health care integrated");
	wn_buf_release(&b);
}

int main(void)
{
	RUN(test_tokens);
	RUN(test_wildcards);
	RUN(test_proximity);
	RUN(test_fields);
	RUN(test_mesh_file);
	RUN(test_mesh);
	RUN(test_dates_bool);
	RUN(test_explain);
	RUN(test_tokeniser);
	wn_mesh_free(mesh);
	return wn_test_report();
}
