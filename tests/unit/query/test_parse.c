/* Unit tests: query parsing per dialect (precedence, truncation, proximity, fields,
 * numbered strategies, debris, errors with positions, hostile input), printing and the
 * round trip. Cases marked "other tools" are the ones research/queries.md found wrong in
 * transmute, pybool_ir, Polyglot or the Ovid->PubMed converter. */
#include <stdlib.h>
#include "wn_test.h"
#include "winnow/alloc.h"
#include "winnow/query.h"

static const char *dname(enum wn_qdialect d) { return wn_qdialect_name(d); }

/* Parse, compare the canonical IR, and check print -> parse gives the same IR. */
static void expect_ir(enum wn_qdialect d, const char *q, const char *ir)
{
	struct wn_err err;
	struct wn_query *p = wn_query_parse(q, strlen(q), d, &err), *r;
	struct wn_buf b, pr;
	struct wn_qdiags notes;

	wn_buf_init(&b, 0);
	wn_buf_init(&pr, 0);
	wn_qdiags_init(&notes);
	CHECK(p != NULL);
	if (!p)
		return;
	CHECK(p->root != NULL);
	if (!p->root) {
		size_t i;
		for (i = 0; i < p->diags.n; i++)
			fprintf(stderr, "  [%s] %s: %u:%u %s %s\n", dname(d), q, p->diags.v[i].line,
				p->diags.v[i].col, p->diags.v[i].code, p->diags.v[i].msg);
		wn_query_free(p);
		return;
	}
	wn_qnode_format(&b, p->root, &err);
	if (strcmp(b.data, ir) != 0)
		fprintf(stderr, "  [%s] %s\n", dname(d), q);
	CHECK_STR(b.data, ir);
	/* round trip in its own dialect */
	CHECK(wn_query_print(&pr, p->root, d, &notes, &err) == 0);
	r = wn_query_parse(pr.data, pr.len, d, &err);
	CHECK(r && r->root);
	if (r && r->root && notes.n == 0) {
		int eq = wn_qnode_equal(p->root, r->root);
		if (!eq) {
			struct wn_buf b2;
			wn_buf_init(&b2, 0);
			wn_qnode_format(&b2, r->root, &err);
			fprintf(stderr, "  round trip [%s] %s -> %s -> %s\n", dname(d), q, pr.data, b2.data);
			wn_buf_release(&b2);
		}
		CHECK(eq);
	}
	wn_query_free(r);
	wn_query_free(p);
	wn_buf_release(&b);
	wn_buf_release(&pr);
	wn_qdiags_release(&notes);
}

/* The finding `code` at line:col (0:0 = anywhere). Returns its severity or -1. */
static int find_diag(enum wn_qdialect d, const char *q, const char *code, unsigned line, unsigned col)
{
	struct wn_err err;
	struct wn_query *p = wn_query_parse(q, strlen(q), d, &err);
	size_t i;
	int sev = -1;

	if (!p)
		return -2;
	wn_query_lint(p, &err);
	for (i = 0; i < p->diags.n; i++)
		if (strcmp(p->diags.v[i].code, code) == 0 &&
		    (line == 0 || (p->diags.v[i].line == line && p->diags.v[i].col == col)))
			sev = (int)p->diags.v[i].sev;
	wn_query_free(p);
	return sev;
}

static int parses(enum wn_qdialect d, const char *q)
{
	struct wn_err err;
	struct wn_query *p = wn_query_parse(q, strlen(q), d, &err);
	int ok = p && p->root;

	wn_query_free(p);
	return ok;
}

static void test_precedence_pubmed(void)
{
	/* PubMed: strictly left to right (NLM tutorial) */
	expect_ir(WN_QD_PUBMED, "a AND b OR c", "(or (and a b) c)");
	/* transmute and pybool_ir read this as a AND (b OR c) / (a OR b) AND c wrongly */
	expect_ir(WN_QD_PUBMED, "a OR b AND c", "(and (or a b) c)");
	expect_ir(WN_QD_PUBMED, "a OR b NOT c", "(not (or a b) c)");
	expect_ir(WN_QD_PUBMED, "a NOT b OR c", "(or (not a b) c)");
	/* pybool_ir: NOT right-associative, a NOT (b NOT c) */
	expect_ir(WN_QD_PUBMED, "a NOT b NOT c", "(not a b c)");
	expect_ir(WN_QD_PUBMED, "a AND (b OR c)", "(and a (or b c))");
	/* implicit AND, left to right as well */
	expect_ir(WN_QD_PUBMED, "a b OR c", "(or (and a b) c)");
	/* lower-case operators are words in PubMed */
	expect_ir(WN_QD_PUBMED, "a and b", "(and a and b)");
	CHECK_INT(find_diag(WN_QD_PUBMED, "a and b", "Q102", 1, 3), WN_QSEV_WARNING);
}

static void test_precedence_others(void)
{
	expect_ir(WN_QD_GENERIC, "a OR b AND c", "(or a (and b c))");
	expect_ir(WN_QD_GENERIC, "a AND b OR c", "(or (and a b) c)");
	/* Scopus help: mouse AND NOT cat OR dog = mouse AND NOT (cat OR dog) */
	expect_ir(WN_QD_SCOPUS, "mouse AND NOT cat OR dog", "(not mouse (or cat dog))");
	/* KEY(cold) AND NOT KEY(influenza) AND KEY(rhinovirus) = cold AND NOT (influenza AND rhinovirus) */
	expect_ir(WN_QD_SCOPUS, "KEY(cold) AND NOT KEY(influenza) AND KEY(rhinovirus)",
		  "(not kw,mhw:cold (and kw,mhw:influenza kw,mhw:rhinovirus))");
	expect_ir(WN_QD_SCOPUS, "a AND b OR c", "(and a (or b c))");
	/* OR binds tighter than W/n in Scopus */
	expect_ir(WN_QD_SCOPUS, "a OR b W/3 c", "(near/3 (or a b) c)");
	/* WoS: SAME > NOT > AND > OR */
	expect_ir(WN_QD_WOS, "a AND b NOT c", "(and a (not b c))");
	expect_ir(WN_QD_WOS, "a NOT b AND c", "(and (not a b) c)");
	expect_ir(WN_QD_WOS, "a OR b AND c", "(or a (and b c))");
	/* EBSCO: AND before OR */
	expect_ir(WN_QD_EBSCO, "a OR b AND c", "(or a (and b c))");
	expect_ir(WN_QD_EBSCO, "a AND b OR c", "(or (and a b) c)");
	/* Ovid: undocumented, read left to right, and flagged */
	expect_ir(WN_QD_OVID, "a or b and c", "(and (or a b) c)");
	CHECK_INT(find_diag(WN_QD_OVID, "a or b and c", "Q103", 1, 8), WN_QSEV_WARNING);
	CHECK_INT(find_diag(WN_QD_GENERIC, "a OR b AND c", "Q103", 0, 0), WN_QSEV_WARNING);
	CHECK_INT(find_diag(WN_QD_PUBMED, "a AND (b OR c)", "Q103", 0, 0), -1);
	/* AND with NOT reads the same everywhere: no finding */
	CHECK_INT(find_diag(WN_QD_PUBMED, "a AND b NOT c", "Q103", 0, 0), -1);
	/* Scopus wants AND NOT */
	expect_ir(WN_QD_SCOPUS, "a NOT b", "(not a b)");
	CHECK_INT(find_diag(WN_QD_SCOPUS, "a NOT b", "Q111", 0, 0), WN_QSEV_WARNING);
	/* implicit AND in Scopus, WoS, generic; phrase by adjacency in Ovid and EBSCO */
	expect_ir(WN_QD_SCOPUS, "TITLE-ABS-KEY(heart attack)", "(and ti,ab,kw:heart ti,ab,kw:attack)");
	expect_ir(WN_QD_OVID, "heart attack.ti.", "ti:\"heart attack\"");
	expect_ir(WN_QD_EBSCO, "TI heart attack", "ti:\"heart attack\"");
}

static void test_truncation(void)
{
	expect_ir(WN_QD_PUBMED, "\"breast feed*\"[tiab]", "ti,ab,kw:\"breast feed*\"");
	expect_ir(WN_QD_PUBMED, "organi*ation*", "organi*ation*");
	/* Ovid: $ unlimited, $n at most n, # exactly one, ? zero or one, : unlimited */
	expect_ir(WN_QD_OVID, "dog$1", "dog$1");
	expect_ir(WN_QD_OVID, "behavio$", "behavio*");
	expect_ir(WN_QD_OVID, "wom#n", "wom?n");
	expect_ir(WN_QD_OVID, "colo?r", "colo$1r");
	expect_ir(WN_QD_OVID, "diagnos* test*.ti,ab", "ti,ab:\"diagnos* test*\"");
	/* EBSCO: ? exactly one, # zero or one, a trailing ? is dropped */
	expect_ir(WN_QD_EBSCO, "wom?n", "wom?n");
	expect_ir(WN_QD_EBSCO, "colo#r", "colo$1r");
	expect_ir(WN_QD_EBSCO, "child?", "child");
	CHECK_INT(find_diag(WN_QD_EBSCO, "child?", "Q118", 1, 1), WN_QSEV_WARNING);
	/* WoS: $ zero or one */
	expect_ir(WN_QD_WOS, "TS=colo$r", "ti,ab,kw:colo$1r");
	/* PubMed: at least 4 characters before '*' (June 2024) */
	CHECK_INT(find_diag(WN_QD_PUBMED, "col*", "Q105", 0, 0), WN_QSEV_WARNING);
	CHECK_INT(find_diag(WN_QD_PUBMED, "Fail*", "Q105", 0, 0), -1);
	CHECK_INT(find_diag(WN_QD_PUBMED, "\"patient reported outcome*\"[tiab]", "Q117", 0, 0), WN_QSEV_NOTE);
	CHECK_INT(find_diag(WN_QD_PUBMED, "wom?n", "Q110", 0, 0), WN_QSEV_WARNING);
	/* WoS allows left truncation */
	CHECK_INT(find_diag(WN_QD_WOS, "TS=*ology", "Q105", 0, 0), -1);
	CHECK_INT(find_diag(WN_QD_GENERIC, "*ology", "Q105", 0, 0), WN_QSEV_WARNING);
}

static void test_proximity(void)
{
	/* Ovid adjN: at most N-1 words between; adj alone: ordered, adjacent */
	expect_ir(WN_QD_OVID, "a adj3 b", "(near/2 a b)");
	expect_ir(WN_QD_OVID, "a adj b", "(pre/0 a b)");
	expect_ir(WN_QD_OVID, "a adj1 b", "(near/0 a b)");
	/* transmute lists only adj..adj8: adj25 appears 20 times in CLEF */
	expect_ir(WN_QD_OVID, "a adj25 b", "(near/24 a b)");
	expect_ir(WN_QD_OVID, "(integrat* adj3 (care or health*)).ti,ab.",
		  "(near/2 ti,ab:integrat* (or ti,ab:care ti,ab:health*))");
	/* CINAHL Nn / Wn: at most n between */
	expect_ir(WN_QD_EBSCO, "a N3 b", "(near/3 a b)");
	expect_ir(WN_QD_EBSCO, "a W3 b", "(pre/3 a b)");
	/* a bare N2 where a word is expected is a word (Polyglot reads it as an operator) */
	expect_ir(WN_QD_EBSCO, "N2 receptor", "\"N2 receptor\"");
	expect_ir(WN_QD_SCOPUS, "a W/3 b", "(near/3 a b)");
	expect_ir(WN_QD_SCOPUS, "a PRE/0 b", "(pre/0 a b)");
	expect_ir(WN_QD_WOS, "TS=(a NEAR/3 b)", "(near/3 ti,ab,kw:a ti,ab,kw:b)");
	expect_ir(WN_QD_WOS, "TS=(a NEAR b)", "(near/15 ti,ab,kw:a ti,ab,kw:b)");
	expect_ir(WN_QD_WOS, "TS=(a SAME b)", "(same ti,ab,kw:a ti,ab,kw:b)");
	expect_ir(WN_QD_PUBMED, "\"hand hygiene compliance\"[tiab:~2]",
		  "(near/2 ti,ab,kw:hand ti,ab,kw:hygiene ti,ab,kw:compliance)");
	expect_ir(WN_QD_GENERIC, "a NEAR/5 b PRE/2 c", "(pre/2 (near/5 a b) c)");
	CHECK(!parses(WN_QD_SCOPUS, "a W/3 (b AND c)"));
	CHECK_INT(find_diag(WN_QD_SCOPUS, "a W/3 (b AND c)", "Q010", 0, 0), WN_QSEV_ERROR);
	CHECK_INT(find_diag(WN_QD_WOS, "a NEAR/20 b", "Q115", 0, 0), WN_QSEV_WARNING);
	CHECK_INT(find_diag(WN_QD_PUBMED, "hand[tiab:~3]", "Q010", 0, 0), WN_QSEV_WARNING);
}

static void test_fields(void)
{
	expect_ir(WN_QD_OVID, "(a or b).ti,ab.", "(or ti,ab:a ti,ab:b)");
	/* transmute: ab,ti and ti,ab,kw become all fields */
	expect_ir(WN_QD_OVID, "a.ab,ti.", "ti,ab:a");
	expect_ir(WN_QD_OVID, "a.ti,ab,kw.", "ti,ab,kw:a");
	/* Ovid .tw. is title + abstract, narrower than PubMed [tw] */
	expect_ir(WN_QD_OVID, "a.tw.", "ti,ab:a");
	expect_ir(WN_QD_PUBMED, "a[tw]", "ti,ab,kw,mhw,pt:a");
	expect_ir(WN_QD_OVID, "a.mp.", "ti,ab,kw,mhw:a");
	expect_ir(WN_QD_OVID, "exp Neoplasms/", "mh+:Neoplasms");
	expect_ir(WN_QD_OVID, "Neoplasms/", "mh:Neoplasms");
	expect_ir(WN_QD_OVID, "*Neoplasms/", "mh*:Neoplasms");
	expect_ir(WN_QD_OVID, "exp Neoplasms/dt", "mh+:Neoplasms/drug therapy");
	expect_ir(WN_QD_OVID, "exp Delivery of Health Care, Integrated/",
		  "mh+:\"Delivery of Health Care, Integrated\"");
	/* transmute maps .sh. to a subheading: it is the subject heading */
	expect_ir(WN_QD_OVID, "Neoplasms.sh.", "mh:Neoplasms");
	/* a gloss copied from Ovid's display is ignored */
	expect_ir(WN_QD_OVID, "Lasers/du [Diagnostic Use]", "mh:Lasers/diagnostic use");
	CHECK_INT(find_diag(WN_QD_OVID, "Lasers/du [Diagnostic Use]", "Q108", 1, 11), WN_QSEV_WARNING);
	expect_ir(WN_QD_PUBMED, "neoplasms/therapy[mh]", "mh+:neoplasms/therapy");
	expect_ir(WN_QD_PUBMED, "cancer[mh:noexp]", "mh:cancer");
	expect_ir(WN_QD_PUBMED, "cancer[majr]", "mh+*:cancer");
	expect_ir(WN_QD_PUBMED, "cigarette smoking[tiab]", "ti,ab,kw:\"cigarette smoking\"");
	expect_ir(WN_QD_PUBMED, "smith ja[au]", "au:\"smith ja\"");
	/* pybool_ir maps [jour] to the publication type: it is the journal */
	expect_ir(WN_QD_PUBMED, "\"bmj open\"[jour]", "journal:\"bmj open\"");
	/* searchrefiner #23: floating subheadings; no record field, reported */
	CHECK_INT(find_diag(WN_QD_OVID, "th.fs.", "Q119", 0, 0), WN_QSEV_WARNING);
	expect_ir(WN_QD_PUBMED, "english[la] AND review[pt]", "(and la:english pt:review)");
	expect_ir(WN_QD_EBSCO, "TI a OR AB a", "ti,ab:a");
	expect_ir(WN_QD_EBSCO, "(MH \"Neoplasms+\")", "mh+:Neoplasms");
	expect_ir(WN_QD_EBSCO, "MM \"Neoplasms\"", "mh*:Neoplasms");
	expect_ir(WN_QD_SCOPUS, "TITLE-ABS-KEY(a OR b)", "(or ti,ab,kw:a ti,ab,kw:b)");
	expect_ir(WN_QD_SCOPUS, "TITLE-ABS-KEY({heart attack})", "ti,ab,kw:=\"heart attack\"");
	expect_ir(WN_QD_WOS, "TS=(a OR b) AND AU=smith", "(and (or ti,ab,kw:a ti,ab,kw:b) au:smith)");
	/* unknown tag: PubMed ignores it (FieldNotFound); searched in all fields, reported */
	expect_ir(WN_QD_PUBMED, "a[xyz]", "all:a");
	CHECK_INT(find_diag(WN_QD_PUBMED, "a[xyz]", "Q104", 1, 2), WN_QSEV_WARNING);
	CHECK_INT(find_diag(WN_QD_OVID, "a.zz.", "Q104", 0, 0), WN_QSEV_WARNING);
	/* a tag on a group is not PubMed syntax (CoLRev PUBMED_0001): reported, distributed */
	CHECK_INT(find_diag(WN_QD_PUBMED, "(a OR b)[tiab]", "Q009", 1, 9), WN_QSEV_ERROR);
	CHECK_INT(find_diag(WN_QD_PUBMED, "a[nm]", "Q119", 0, 0), WN_QSEV_WARNING);
}

static void test_dates(void)
{
	expect_ir(WN_QD_PUBMED, "a AND 1997:2020[dp]", "(and a dp:1997..2020)");
	expect_ir(WN_QD_PUBMED, "a AND \"1997/12/08\"[dp] : \"2020/04/08\"[dp]",
		  "(and a dp:1997-12-08..2020-04-08)");
	expect_ir(WN_QD_PUBMED, "2019[dp]", "dp:2019..2019");
	expect_ir(WN_QD_PUBMED, "1999/01/01:3000[crdt]", "crdt:1999-01-01..");
	expect_ir(WN_QD_SCOPUS, "a AND PUBYEAR > 1996 AND PUBYEAR < 2021", "(and a dp:1997..2020)");
	expect_ir(WN_QD_WOS, "TS=a AND PY=1997-2020", "(and ti,ab,kw:a dp:1997..2020)");
	expect_ir(WN_QD_EBSCO, "a AND DT 19971208-20200408", "(and a dp:1997-12-08..2020-04-08)");
	expect_ir(WN_QD_OVID, "2000-2020.yr.", "dp:2000..2020");
	CHECK(!parses(WN_QD_PUBMED, "2019/13[dp]"));
	CHECK_INT(find_diag(WN_QD_PUBMED, "2019/13[dp]", "Q011", 1, 1), WN_QSEV_ERROR);
	CHECK_INT(find_diag(WN_QD_PUBMED, "(a AND 2019[dp]) OR b", "Q114", 0, 0), WN_QSEV_WARNING);
}

static void test_numbered(void)
{
	/* a CLEF-style Ovid strategy; transmute cannot read "9 not (9 and 10)" */
	const char *ovid =
		"1. exp Delivery of Health Care, Integrated/\n"
		"2. (integrat* adj3 (care or health*)).ti,ab.\n"
		"3. or/1-2\n"
		"4. nhs.ti,ab. (1234)\n"
		"5. 3 and 4\n"
		"6. 5 not (5 and animals/)\n"
		"7. limit 6 to (english language and yr=\"1997 - 2020\")\n";
	expect_ir(WN_QD_OVID, ovid,
		  "(and (not (and (or mh+:\"Delivery of Health Care, Integrated\" (near/2 ti,ab:integrat* (or ti,ab:care ti,ab:health*))) ti,ab:nhs) "
		  "(and (or mh+:\"Delivery of Health Care, Integrated\" (near/2 ti,ab:integrat* (or ti,ab:care ti,ab:health*))) ti,ab:nhs mh:animals)) la:english dp:1997..2020)");
	CHECK_INT(find_diag(WN_QD_OVID, ovid, "Q107", 4, 15), WN_QSEV_WARNING);
	/* references to lines that do not exist, or are not before */
	CHECK(!parses(WN_QD_OVID, "1. a.ti.\n2. 1 or 3\n"));
	CHECK_INT(find_diag(WN_QD_OVID, "1. a.ti.\n2. 1 or 3\n", "Q005", 2, 9), WN_QSEV_ERROR);
	CHECK_INT(find_diag(WN_QD_OVID, "1. a.ti.\n2. b.ti.\n3. 2 or 2\n", "Q109", 1, 1), WN_QSEV_WARNING);
	CHECK_INT(find_diag(WN_QD_OVID, "1. a.ti.\n2. or/1-4\n", "Q005", 0, 0), WN_QSEV_ERROR);
	/* PubMed history and EBSCO S-lines */
	expect_ir(WN_QD_PUBMED, "#1 Search: a[tiab]\n#2 b[tiab]\n#3 #1 AND #2\n",
		  "(and ti,ab,kw:a ti,ab,kw:b)");
	CHECK_INT(find_diag(WN_QD_PUBMED, "#1 Search: a[tiab]\n#2 b[tiab]\n#3 #1 AND #2\n", "Q106", 1, 4),
		  WN_QSEV_WARNING);
	expect_ir(WN_QD_EBSCO, "S1 TI a\nS2 AB b\nS3 S1 OR S2\n", "(or ti:a ab:b)");
	/* a reference in a one-line query */
	CHECK(!parses(WN_QD_PUBMED, "#1 AND b"));
	/* [mp=...] gloss */
	expect_ir(WN_QD_OVID, "1 heart attack.mp. [mp=title, abstract, heading word]\n2 limit 1 to humans\n",
		  "(and ti,ab,kw,mhw:\"heart attack\" mh:Humans)");
	/* Ovid lines without numbers are numbered by position */
	expect_ir(WN_QD_OVID, "a.ti.\nb.ti.\n1 or 2\n", "(or ti:a ti:b)");
}

static void test_errors(void)
{
	CHECK(!parses(WN_QD_PUBMED, "(a OR b"));
	CHECK_INT(find_diag(WN_QD_PUBMED, "(a OR b", "Q002", 1, 1), WN_QSEV_ERROR);
	CHECK_INT(find_diag(WN_QD_PUBMED, "a OR b)", "Q002", 1, 7), WN_QSEV_ERROR);
	CHECK_INT(find_diag(WN_QD_PUBMED, "a OR\n  \"b c", "Q003", 2, 3), WN_QSEV_ERROR);
	CHECK_INT(find_diag(WN_QD_GENERIC, "a OR OR b", "Q004", 1, 6), WN_QSEV_ERROR);
	CHECK_INT(find_diag(WN_QD_GENERIC, "a OR", "Q004", 0, 0), WN_QSEV_ERROR);
	CHECK_INT(find_diag(WN_QD_GENERIC, "", "Q008", 0, 0), WN_QSEV_ERROR);
	CHECK_INT(find_diag(WN_QD_GENERIC, "()", "Q004", 0, 0), WN_QSEV_ERROR);
	CHECK_INT(find_diag(WN_QD_SCOPUS, "TITLE({a b)", "Q003", 1, 7), WN_QSEV_ERROR);
	CHECK_INT(find_diag(WN_QD_PUBMED, "a[tiab", "Q002", 1, 2), WN_QSEV_ERROR);
	CHECK_INT(find_diag(WN_QD_OVID, "exp cancer", "Q001", 0, 0), WN_QSEV_ERROR);
	/* typographic quotes: read as straight ones, reported */
	expect_ir(WN_QD_PUBMED, "\xe2\x80\x9cintegrated care\xe2\x80\x9d[tiab]", "ti,ab,kw:\"integrated care\"");
	CHECK_INT(find_diag(WN_QD_PUBMED, "x OR \xe2\x80\x9cintegrated care\xe2\x80\x9d", "Q101", 1, 6),
		  WN_QSEV_WARNING);
	/* Windows-1252 curly quotes in a non-UTF-8 file */
	expect_ir(WN_QD_GENERIC, "\x93integrated care\x94", "\"integrated care\"");
	CHECK_INT(find_diag(WN_QD_GENERIC, "\x93integrated care\x94", "Q116", 0, 0), WN_QSEV_WARNING);
	/* en dash and NBSP */
	expect_ir(WN_QD_GENERIC, "breast\xe2\x80\x93" "feeding\xc2\xa0OR x", "(or breast-feeding x)");
}

static void test_hostile(void)
{
	size_t depth = 10000, i, n;
	char *q = malloc(depth * 40 + 16);
	struct wn_err err;
	struct wn_query *p;

	/* 10,000 nested parentheses around one word: the parser does not recurse */
	n = 0;
	for (i = 0; i < depth; i++)
		q[n++] = '(';
	q[n++] = 'a';
	for (i = 0; i < depth; i++)
		q[n++] = ')';
	p = wn_query_parse(q, n, WN_QD_PUBMED, &err);
	CHECK(p && p->root && p->root->kind == WN_Q_TERM);
	wn_query_free(p);
	/* 10,000 levels of alternating operators: refused with a clear error */
	n = 0;
	for (i = 0; i < depth; i++)
		n += (size_t)sprintf(q + n, "(a%zu %s ", i, i % 2 ? "OR" : "AND");
	q[n++] = 'z';
	for (i = 0; i < depth; i++)
		q[n++] = ')';
	q[n] = '\0';
	for (i = 0; i < WN_QD_COUNT; i++) {
		p = wn_query_parse(q, n, (enum wn_qdialect)i, &err);
		CHECK(p && !p->root);
		CHECK(p && wn_qdiags_count(&p->diags, WN_QSEV_ERROR) > 0);
		if (p && i == WN_QD_GENERIC) {
			size_t k;
			int deep = 0;
			for (k = 0; k < p->diags.n; k++)
				deep |= strcmp(p->diags.v[k].code, "Q006") == 0;
			CHECK(deep);
		}
		wn_query_free(p);
	}
	/* 10,000 unclosed parentheses */
	n = 0;
	for (i = 0; i < depth; i++)
		q[n++] = '(';
	p = wn_query_parse(q, n, WN_QD_GENERIC, &err);
	CHECK(p && !p->root);
	wn_query_free(p);
	free(q);
	/* flattened chains are not deep: 20,000 ORs are one node */
	q = malloc(200000);
	n = 0;
	for (i = 0; i < 20000; i++)
		n += (size_t)sprintf(q + n, "%sw%zu", i ? " OR " : "", i);
	p = wn_query_parse(q, n, WN_QD_PUBMED, &err);
	CHECK(p && p->root && p->root->kind == WN_Q_OR && p->root->nkids == 20000);
	wn_query_free(p);
	/* Ovid lines that double each other: shared, not copied; the expanded size is capped */
	n = (size_t)sprintf(q, "1 a.ti.\n");
	for (i = 2; i <= 40; i++)
		n += (size_t)sprintf(q + n, "%zu %zu or (%zu and b%zu.ti.)\n", i, i - 1, i - 1, i);
	p = wn_query_parse(q, n, WN_QD_OVID, &err);
	CHECK(p && !p->root);
	CHECK(p && p->diags.n && strcmp(p->diags.v[p->diags.n - 1].code, "Q007") == 0);
	wn_query_free(p);
	free(q);
	/* longer than the cap */
	q = malloc(WN_QUERY_MAX_BYTES + 2);
	memset(q, 'a', WN_QUERY_MAX_BYTES + 1);
	p = wn_query_parse(q, WN_QUERY_MAX_BYTES + 1, WN_QD_GENERIC, &err);
	CHECK(p && !p->root && p->diags.n == 1 && strcmp(p->diags.v[0].code, "Q007") == 0);
	wn_query_free(p);
	free(q);
	/* NUL bytes and invalid UTF-8 do not crash */
	p = wn_query_parse("a\0b \xff\xfe OR c", 12, WN_QD_PUBMED, &err);
	CHECK(p != NULL);
	wn_query_free(p);
}

/* Translation: proximity counts converted, what cannot be said reported. */
static void expect_print(enum wn_qdialect from, const char *q, enum wn_qdialect to,
			 const char *want, const char *note_code)
{
	struct wn_err err;
	struct wn_query *p = wn_query_parse(q, strlen(q), from, &err);
	struct wn_buf b;
	struct wn_qdiags notes;
	size_t i;
	int found = 0;

	wn_buf_init(&b, 0);
	wn_qdiags_init(&notes);
	CHECK(p && p->root);
	if (p && p->root)
		CHECK(wn_query_print(&b, p->root, to, &notes, &err) == 0);
	if (strcmp(b.data, want) != 0)
		fprintf(stderr, "  print %s -> %s: %s\n", dname(from), dname(to), q);
	CHECK_STR(b.data, want);
	for (i = 0; i < notes.n; i++)
		if (note_code && strcmp(notes.v[i].code, note_code) == 0)
			found = 1;
	if (note_code)
		CHECK(found);
	else
		CHECK_INT(wn_qdiags_count(&notes, WN_QSEV_WARNING), 0);
	wn_qdiags_release(&notes);
	wn_buf_release(&b);
	wn_query_free(p);
}

static void test_translation(void)
{
	/* Polyglot keeps the number: ADJ3 -> N3 (one word more). adj3 = at most 2 between. */
	expect_print(WN_QD_OVID, "a adj3 b", WN_QD_EBSCO, "a N2 b", NULL);
	expect_print(WN_QD_OVID, "a adj3 b", WN_QD_SCOPUS, "a W/2 b", NULL);
	expect_print(WN_QD_OVID, "a adj3 b", WN_QD_WOS, "a NEAR/2 b", NULL);
	expect_print(WN_QD_SCOPUS, "a W/3 b", WN_QD_OVID, "a adj4 b", NULL);
	expect_print(WN_QD_EBSCO, "a N5 b", WN_QD_GENERIC, "a NEAR/5 b", NULL);
	/* PubMed proximity needs [ti]/[tiab]: the default field is written as [tiab] */
	expect_print(WN_QD_OVID, "(a adj3 b).ti,ab.", WN_QD_PUBMED, "\"a b\"[tiab:~2]", "Q201");
	expect_print(WN_QD_OVID, "a.ti. adj3 (b or c).ti.", WN_QD_PUBMED, "(\"a b\"[ti:~2] OR \"a c\"[ti:~2])", NULL);
	/* an ordered phrase operand cannot be a PubMed proximity term: AND, reported */
	expect_print(WN_QD_OVID, "(heart attack adj3 risk).ti.", WN_QD_PUBMED,
		     "\"heart attack\"[ti] AND risk[ti]", "Q203");
	/* Ovid ? (zero or one) has no PubMed form: widened to *, reported */
	expect_print(WN_QD_OVID, "colo?r.ti.", WN_QD_PUBMED, "colo*r[ti]", "Q201");
	expect_print(WN_QD_OVID, "wom#n.ti.", WN_QD_EBSCO, "TI wom?n", NULL);
	expect_print(WN_QD_EBSCO, "colo#r", WN_QD_OVID, "colo$1r", NULL);
	expect_print(WN_QD_EBSCO, "colo#r", WN_QD_WOS, "colo$r", NULL);
	/* .ab. has no PubMed tag ([ab] is not a PubMed field): widened to [tiab], reported */
	expect_print(WN_QD_OVID, "a.ab.", WN_QD_PUBMED, "a[tiab]", "Q201");
	/* the Ovid->PubMed converter widens .tw. to [tw] (MeSH, types...): [tiab] is nearer */
	expect_print(WN_QD_OVID, "a.tw.", WN_QD_PUBMED, "a[tiab]", "Q201");
	/* and turns adj3 into AND: it is a proximity search */
	expect_print(WN_QD_OVID, "(a adj3 b).ti.", WN_QD_PUBMED, "\"a b\"[ti:~2]", NULL);
	expect_print(WN_QD_OVID, "exp Neoplasms/", WN_QD_PUBMED, "\"Neoplasms\"[mh]", NULL);
	expect_print(WN_QD_OVID, "Neoplasms/", WN_QD_EBSCO, "(MH \"Neoplasms\")", NULL);
	expect_print(WN_QD_PUBMED, "neoplasms[mh]", WN_QD_OVID, "exp neoplasms/", NULL);
	/* a heading holding '/' (Ovid splits "heading/sh" at the last '/'): PubMed and EBSCO
	 * text gets an empty qualifier so that it reads back whole (fuzzing found it) */
	expect_print(WN_QD_OVID, "\"a/b\"/", WN_QD_PUBMED, "\"a/b/\"[mh:noexp]", NULL);
	expect_print(WN_QD_OVID, "exp \"a/b\"/th", WN_QD_GENERIC, "\"a/b/therapy\"[mh]", NULL);
	expect_print(WN_QD_OVID, "\"a/b\"/", WN_QD_EBSCO, "(MH \"a/b/\")", NULL);
	expect_print(WN_QD_GENERIC, "\"a/b/therapy\"[majr]", WN_QD_EBSCO, "(MM \"a/b/TH+\")", NULL);
	expect_print(WN_QD_EBSCO, "(MH \"a/b/\")", WN_QD_OVID, "\"a/b\"/", NULL);
	expect_ir(WN_QD_GENERIC, "\"Neoplasms/therapy\"[mh]", "mh+:Neoplasms/therapy");
	expect_print(WN_QD_PUBMED, "neoplasms[mh]", WN_QD_SCOPUS, "INDEXTERMS(\"neoplasms\")", "Q202");
	expect_print(WN_QD_PUBMED, "a AND 1997/12/08:2020/04/08[dp]", WN_QD_WOS, "a AND PY=1997-2020", "Q201");
	expect_print(WN_QD_PUBMED, "a AND 1997:2020[dp]", WN_QD_SCOPUS, "a AND PUBYEAR > 1996 AND PUBYEAR < 2021", NULL);
	expect_print(WN_QD_PUBMED, "a[tiab] AND english[la] AND 1997:2020[dp]", WN_QD_OVID,
		     "1 a.ti,ab,kf.\n2 limit 1 to (english language and yr=\"1997 - 2020\")", NULL);
	expect_print(WN_QD_SCOPUS, "a AND NOT b", WN_QD_PUBMED, "a NOT b", NULL);
	expect_print(WN_QD_PUBMED, "a NOT b", WN_QD_SCOPUS, "a AND NOT b", NULL);
	/* precedence made explicit whatever the target */
	expect_print(WN_QD_PUBMED, "a AND b OR c", WN_QD_SCOPUS, "(a AND b) OR c", NULL);
	expect_print(WN_QD_SCOPUS, "a AND b OR c", WN_QD_PUBMED, "a AND (b OR c)", NULL);
	/* words that are operators or references in the target are quoted */
	expect_print(WN_QD_GENERIC, "near[ti] AND 2019[ti]", WN_QD_WOS, "TI=(\"near\" AND 2019)", NULL);
	expect_print(WN_QD_GENERIC, "2019[ti]", WN_QD_OVID, "\"2019\".ti.", NULL);
	expect_print(WN_QD_WOS, "TS=(a SAME b)", WN_QD_PUBMED, "a[tiab] AND b[tiab]", "Q203");
	/* groups with one field are written once */
	expect_print(WN_QD_PUBMED, "a[tiab] OR b[tiab]", WN_QD_SCOPUS, "TITLE-ABS-KEY(a OR b)", NULL);
	expect_print(WN_QD_PUBMED, "a[tiab] OR b[tiab]", WN_QD_OVID, "(a or b).ti,ab,kf.", NULL);
	expect_print(WN_QD_OVID, "(a or b).ti,ab.", WN_QD_EBSCO, "(TI a OR AB a) OR (TI b OR AB b)", NULL);
}

int main(void)
{
	RUN(test_precedence_pubmed);
	RUN(test_precedence_others);
	RUN(test_truncation);
	RUN(test_proximity);
	RUN(test_fields);
	RUN(test_dates);
	RUN(test_numbered);
	RUN(test_errors);
	RUN(test_hostile);
	RUN(test_translation);
	return wn_test_report();
}
