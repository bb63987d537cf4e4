/* Unit tests: compare.c - each rule and each veto of the pair decision, on records
 * built the way the engine builds them (features.c). Every pair is also checked the
 * other way round: the decision must not depend on which record comes first. */
#include <stdlib.h>
#include "wn_test.h"
#include "dd.h"

struct built {
	struct dd_rec r;
	struct dd_arena arena;
	struct dd_key *keys;
	size_t nkeys, keycap;
};

static struct dd_scratch scratch;
static const char *const prefer_list[] = { "PubMed", "Embase" };
static struct dd_prefs prefs = { prefer_list, 2, "", NULL };

static int build(struct built *b, const char *json)
{
	struct wn_err err;
	json_object *o = json_tokener_parse(json);
	int rc;

	memset(b, 0, sizeof(*b));
	dd_arena_init(&b->arena);
	if (!o) {
		fprintf(stderr, "bad test JSON: %s\n", json);
		return -1;
	}
	rc = dd_features(o, &b->r, 0, &prefs, &scratch, &b->arena, &b->keys, &b->nkeys, &b->keycap, &err);
	json_object_put(o);
	return rc;
}

static void release(struct built *b)
{
	dd_arena_release(&b->arena);
	free(b->keys);
}

static const char *verdict_name(int v, int rule, int why)
{
	static char buf[64];

	if (v == DD_DUP)
		snprintf(buf, sizeof(buf), "dup:%s", dd_rule_name(rule));
	else if (v == DD_MAYBE)
		snprintf(buf, sizeof(buf), "maybe:%s", dd_reason_name(why));
	else
		snprintf(buf, sizeof(buf), "none:%s", dd_reason_name(why));
	return buf;
}

/* Decide a pair both ways; the two answers must agree. */
static const char *decide(const char *ja, const char *jb)
{
	static char first[64];
	struct built a, b;
	struct dd_evidence e1, e2;
	int r1, w1, r2, w2, v1, v2;

	if (build(&a, ja) < 0 || build(&b, jb) < 0)
		return "(build failed)";
	v1 = dd_compare(&a.r, &b.r, &e1, &r1, &w1, 0);
	v2 = dd_compare(&b.r, &a.r, &e2, &r2, &w2, 0);
	snprintf(first, sizeof(first), "%s", verdict_name(v1, r1, w1));
	CHECK_STR(verdict_name(v2, r2, w2), first);
	CHECK_NEAR(e1.score, e2.score, 1e-6);
	CHECK_NEAR(e1.title, e2.title, 1e-6);
	release(&a);
	release(&b);
	return first;
}

#define ART "\"title\":\"Eculizumab for atypical hemolytic-uremic syndrome\",\"authors\":[\"Nurnberger, J.\",\"Philipp, T.\",\"Witzke, O.\"],\"year\":2009,\"journal\":\"New England Journal of Medicine\",\"volume\":\"360\",\"pages\":\"542-544\""

static void test_identifier_rules(void)
{
	CHECK_STR(decide("{\"id\":\"a\"," ART ",\"doi\":\"10.1056/NEJMc0808527\"}",
			 "{\"id\":\"b\",\"title\":\"ECULIZUMAB FOR ATYPICAL HEMOLYTIC–UREMIC SYNDROME.\",\"authors\":[\"Nurnberger J\",\"Philipp T\"],\"year\":2009,\"doi\":\"https://doi.org/10.1056/nejmc0808527\"}"),
		  "dup:doi");
	CHECK_STR(decide("{\"id\":\"pubmed:1\",\"source\":\"PubMed\",\"source_id\":\"19179320\",\"pmid\":\"19179320\",\"title\":\"[Eculizumab bei atypischem HUS]\"}",
			 "{\"id\":\"x\",\"pmid\":\"19179320\",\"title\":\"Eculizumab bei atypischem HUS.\"}"),
		  "dup:pmid");
	/* two different PMIDs are never one record, whatever else agrees */
	CHECK_STR(decide("{\"id\":\"a\"," ART ",\"pmid\":\"1\"}", "{\"id\":\"b\"," ART ",\"pmid\":\"2\"}"), "none:different-identifiers");
	CHECK_STR(decide("{\"id\":\"a\"," ART ",\"pmcid\":\"PMC1\"}", "{\"id\":\"b\"," ART ",\"pmcid\":\"PMC2\"}"), "none:different-identifiers");
	/* the same DOI, journal and title, two years apart (online first, then in an issue;
	 * the names in the other order): one article. Without the journal: a person looks */
	CHECK_STR(decide("{\"id\":\"a\",\"title\":\"Effect of exercise on depressive symptoms in older adults: a randomized controlled trial\",\"authors\":[\"Chung, J. W.\",\"Kim, S. H.\"],\"year\":2019,\"journal\":\"Journal of Aging Research\",\"doi\":\"10.1000/jar.2019.001\"}",
			 "{\"id\":\"b\",\"title\":\"Effect of exercise on depressive symptoms in older adults: A randomized controlled trial.\",\"authors\":[\"Jin Wook, Chung\",\"Soo Hyun, Kim\"],\"year\":2021,\"journal\":\"J Aging Res\",\"volume\":\"14\",\"pages\":\"101-110\",\"doi\":\"10.1000/JAR.2019.001\"}"),
		  "dup:doi");
	CHECK_STR(decide("{\"id\":\"a\",\"title\":\"Effect of exercise on depressive symptoms in older adults\",\"authors\":[\"Chung, J. W.\"],\"year\":2019,\"doi\":\"10.1000/jar.2019.001\"}",
			 "{\"id\":\"b\",\"title\":\"Effect of exercise on depressive symptoms in older adults\",\"authors\":[\"Chung, J. W.\"],\"year\":2021,\"journal\":\"J Aging Res\",\"volume\":\"14\",\"pages\":\"101-110\",\"doi\":\"10.1000/JAR.2019.001\"}"),
		  "maybe:year");
	/* the same DOI with a different title: a person should look */
	CHECK_STR(decide("{\"id\":\"a\"," ART ",\"doi\":\"10.1234/x\"}",
			 "{\"id\":\"b\",\"title\":\"Complement blockade in haemolytic uraemic syndrome\",\"authors\":[\"Nurnberger, J.\"],\"doi\":\"10.1234/x\"}"),
		  "maybe:doi-title-mismatch");
}

static void test_bibliographic_rules(void)
{
	/* the same start page in the same volume: abbreviated ranges, journal abbreviations,
	 * initials and full names, case and punctuation */
	CHECK_STR(decide("{\"id\":\"a\"," ART "}",
			 "{\"id\":\"b\",\"title\":\"Eculizumab for Atypical Hemolytic Uremic Syndrome\",\"authors\":[\"Nürnberger, Jens\",\"Philipp, Thomas\",\"Witzke, Oliver\"],\"year\":2009,\"journal\":\"N Engl J Med\",\"volume\":\"360\",\"pages\":\"542-4\"}"),
		  "dup:pages");
	/* no pages on one side, e-pub year: the title rule */
	CHECK_STR(decide("{\"id\":\"a\"," ART "}",
			 "{\"id\":\"b\",\"title\":\"Eculizumab for atypical hemolytic uremic syndrome\",\"authors\":[\"Nurnberger J\",\"Philipp T\",\"Witzke O\"],\"year\":2010,\"journal\":\"N Engl J Med\"}"),
		  "dup:title");
	/* a translated title, but the same page range of the same volume of one journal */
	CHECK_STR(decide("{\"id\":\"a\",\"title\":\"[Indications and contraindications of living-donor kidney transplantation]\",\"authors\":[\"Andres, A.\"],\"year\":2010,\"journal\":\"Nefrologia\",\"volume\":\"30\",\"pages\":\"30-38\"}",
			 "{\"id\":\"b\",\"title\":\"Indications and contraindications for living kidney donations\",\"authors\":[\"Andres, A\"],\"year\":2010,\"journal\":\"Nefrologia.\",\"volume\":\"30\",\"pages\":\"30-8\"}"),
		  "dup:pages");
	/* different DOIs but every coordinate agrees: a wrong DOI in one database */
	CHECK_STR(decide("{\"id\":\"a\"," ART ",\"doi\":\"10.1056/x1\"}", "{\"id\":\"b\"," ART ",\"doi\":\"10.1056/x2\"}"),
		  "dup:pages");
	/* different DOIs and nothing else to go on: maybe */
	CHECK_STR(decide("{\"id\":\"a\",\"title\":\"Introduction to the minitrack on crowdsourcing\",\"authors\":[\"Deng, X\"],\"year\":2021,\"doi\":\"10.24251/HICSS.2021.510\"}",
			 "{\"id\":\"b\",\"title\":\"Introduction to the minitrack on crowdsourcing\",\"authors\":[\"Deng, X\"],\"year\":2022,\"doi\":\"10.24251/HICSS.2022.544\"}"),
		  "maybe:doi-conflict");
	/* years two apart */
	CHECK_STR(decide("{\"id\":\"a\"," ART "}",
			 "{\"id\":\"b\",\"title\":\"Eculizumab for atypical hemolytic uremic syndrome\",\"authors\":[\"Nurnberger J\",\"Philipp T\"],\"year\":2011,\"journal\":\"N Engl J Med\"}"),
		  "maybe:year");
	/* different start pages */
	CHECK_STR(decide("{\"id\":\"a\"," ART "}",
			 "{\"id\":\"b\",\"title\":\"Eculizumab for atypical hemolytic uremic syndrome\",\"authors\":[\"Nurnberger J\"],\"year\":2009,\"journal\":\"N Engl J Med\",\"volume\":\"360\",\"pages\":\"2487\"}"),
		  "maybe:pages");
	/* an article number against a page range is no contradiction */
	CHECK_STR(decide("{\"id\":\"a\",\"title\":\"Triage of women with minor cervical lesions\",\"authors\":[\"Sorbye, S W\",\"Fismen, S\"],\"year\":2010,\"journal\":\"PLoS ONE\",\"volume\":\"5\",\"pages\":\"1-6\"}",
			 "{\"id\":\"b\",\"title\":\"Triage of women with minor cervical lesions\",\"authors\":[\"Sorbye, S W\",\"Fismen, S\"],\"year\":2010,\"journal\":\"PLoS One\",\"volume\":\"5\",\"pages\":\"e12724\"}"),
		  "dup:title");
	/* the same long title and authors, the same year, no pages: one conference paper */
	CHECK_STR(decide("{\"id\":\"a\",\"type\":\"inproceedings\",\"title\":\"The Unique Challenges of Seller Uncertainty in Sharing Economy\",\"authors\":[\"Lei, Yu\",\"Yayla, Ali Alper\"],\"year\":2017,\"journal\":\"Americas Conference on Information Systems\"}",
			 "{\"id\":\"b\",\"type\":\"inproceedings\",\"title\":\"The Unique Challenges of Seller Uncertainty in Sharing Economy\",\"authors\":[\"Lei, Yu\",\"Yayla, Ali Alper\"],\"year\":2017,\"journal\":\"Amcis 2017 Proceedings\"}"),
		  "dup:title");
	/* unrelated */
	CHECK_STR(decide("{\"id\":\"a\"," ART "}",
			 "{\"id\":\"b\",\"title\":\"Screening for cervical cancer in low income countries\",\"authors\":[\"Denny, L\"],\"year\":2009}"),
		  "none:authors-and-journal-differ");
	/* similar title, different authors */
	CHECK_STR(decide("{\"id\":\"a\"," ART "}",
			 "{\"id\":\"b\",\"title\":\"Eculizumab for atypical hemolytic uremic syndrome\",\"authors\":[\"Zuber, J\",\"Legendre, C\"],\"year\":2009}"),
		  "none:authors-and-journal-differ");
}

/* --keep-apart: two records of one set already deduplicated are different, however
 * alike; records of different sets, or without the field, are compared as usual. */
static void test_keep_apart(void)
{
	const char *a = "{\"id\":\"a\",\"extra\":{\"search_set\":\"old\"}," ART "}";
	const char *b = "{\"id\":\"b\",\"extra\":{\"search_set\":\"old\"}," ART "}";
	const char *c = "{\"id\":\"c\",\"extra\":{\"search_set\":\"new\"}," ART "}";
	const char *n = "{\"id\":\"n\",\"extra\":{\"search_set\":7}," ART "}";
	const char *m = "{\"id\":\"m\",\"extra\":{\"search_set\":\"7\"}," ART "}";
	const char *x = "{\"id\":\"x\",\"extra\":\"old\"," ART "}";

	CHECK_STR(decide(a, b), "dup:pages"); /* the option is off */
	snprintf(prefs.apart_top, sizeof(prefs.apart_top), "extra");
	prefs.apart_sub = "search_set";
	CHECK_STR(decide(a, b), "none:kept-apart");
	CHECK_STR(decide(a, c), "dup:pages");
	CHECK_STR(decide(n, m), "none:kept-apart"); /* 7 and "7": one value */
	CHECK_STR(decide(x, a), "dup:pages");       /* "extra" is no object: no set */
	CHECK_STR(decide("{\"id\":\"p\"," ART "}", "{\"id\":\"q\"," ART "}"), "dup:pages");
	prefs.apart_sub = NULL;
	CHECK_STR(decide(x, "{\"id\":\"y\",\"extra\":\"old\"," ART "}"), "none:kept-apart");
	prefs.apart_top[0] = '\0';
}

/* A correction notice as Web of Science and Embase title it - the citation of the
 * corrected article at the end: the two records of the notice are one, and neither is
 * the article (the same title and authors, another page). */
static void test_erratum_citations(void)
{
	const char *wos = "{\"id\":\"w\",\"title\":\"Eculizumab for Atypical Hemolytic-Uremic Syndrome (vol 360, pg 542, 2009)\",\"authors\":[\"Philipp, T.\"],\"year\":2009,\"journal\":\"New England Journal of Medicine\",\"volume\":\"360\",\"issue\":\"23\",\"pages\":\"2487-2487\"}";
	const char *emb = "{\"id\":\"e\",\"title\":\"Eculizumab for atypical hemolytic-uremic syndrome (New England Journal of Medicine (2009) 360 (542-544))\",\"authors\":[\"Philipp, T.\"],\"year\":2009,\"journal\":\"New England Journal of Medicine.\",\"volume\":\"360\",\"issue\":\"23\",\"pages\":\"2487-2487\"}";
	const char *art = "{\"id\":\"a\",\"title\":\"Eculizumab for atypical hemolytic-uremic syndrome\",\"authors\":[\"Philipp, T.\"],\"year\":2009,\"journal\":\"New England Journal of Medicine\",\"volume\":\"360\",\"issue\":\"23\",\"pages\":\"542-544\"}";

	CHECK_STR(decide(wos, emb), "dup:pages");
	CHECK_STR(decide(wos, art), "none:erratum-reply-comment-or-notice");
	CHECK_STR(decide(emb, art), "none:erratum-reply-comment-or-notice");
}

static void test_vetoes(void)
{
	/* erratum, reply, comment, retraction notice: never the article */
	CHECK_STR(decide("{\"id\":\"a\"," ART "}",
			 "{\"id\":\"b\",\"title\":\"Erratum: Eculizumab for atypical hemolytic-uremic syndrome\",\"authors\":[\"Nurnberger, J.\",\"Philipp, T.\",\"Witzke, O.\"],\"year\":2009,\"journal\":\"N Engl J Med\",\"volume\":\"360\",\"pages\":\"542-544\"}"),
		  "none:erratum-reply-comment-or-notice");
	CHECK_STR(decide("{\"id\":\"a\"," ART "}",
			 "{\"id\":\"b\",\"type\":\"Erratum\"," ART "}"),
		  "none:erratum-reply-comment-or-notice");
	CHECK_STR(decide("{\"id\":\"a\"," ART "}",
			 "{\"id\":\"b\",\"title\":\"Eculizumab for atypical hemolytic-uremic syndrome - Reply\",\"authors\":[\"Nurnberger, J.\"],\"year\":2009,\"journal\":\"N Engl J Med\"}"),
		  "none:erratum-reply-comment-or-notice");
	CHECK_STR(decide("{\"id\":\"a\"," ART "}",
			 "{\"id\":\"b\",\"title\":\"Comment on: Eculizumab for atypical hemolytic-uremic syndrome\",\"authors\":[\"Nurnberger, J.\"],\"year\":2009}"),
		  "none:erratum-reply-comment-or-notice");
	CHECK_STR(decide("{\"id\":\"a\"," ART "}",
			 "{\"id\":\"b\",\"title\":\"Retraction note to: Eculizumab for atypical hemolytic-uremic syndrome\",\"authors\":[\"Nurnberger, J.\"],\"year\":2010}"),
		  "none:erratum-reply-comment-or-notice");
	/* the retracted article itself is the article */
	CHECK_STR(decide("{\"id\":\"a\"," ART "}",
			 "{\"id\":\"b\",\"title\":\"RETRACTED: Eculizumab for atypical hemolytic-uremic syndrome\",\"authors\":[\"Nurnberger, J.\",\"Philipp, T.\",\"Witzke, O.\"],\"year\":2009,\"journal\":\"N Engl J Med\",\"volume\":\"360\",\"pages\":\"542-4\"}"),
		  "dup:pages");
	/* two errata of one article are one erratum */
	CHECK_STR(decide("{\"id\":\"a\",\"title\":\"Erratum: Gain-of-function mutations in complement factor B\",\"authors\":[\"de Jorge, E. G.\"],\"year\":2007,\"journal\":\"PNAS\",\"volume\":\"104\",\"pages\":\"19\"}",
			 "{\"id\":\"b\",\"title\":\"Correction to: Gain-of-function mutations in complement factor B\",\"authors\":[\"de Jorge, EG\"],\"year\":2007,\"journal\":\"PNAS\",\"volume\":\"104\",\"pages\":\"19\"}"),
		  "dup:pages");
	/* conference abstract vs the full paper */
	CHECK_STR(decide("{\"id\":\"a\",\"type\":\"Conference Abstract\",\"title\":\"Signaling in sepsis: a clinical study\",\"authors\":[\"Radermacher, P.\",\"Dunwoodie, W.\"],\"year\":1990,\"journal\":\"Critical Care Conference\",\"volume\":\"19\",\"pages\":\"S474\"}",
			 "{\"id\":\"b\",\"type\":\"Journal Article\",\"title\":\"Signaling in sepsis: a clinical study\",\"authors\":[\"Radermacher, P\",\"Dunwoodie, W\"],\"year\":1991,\"journal\":\"Critical Care\",\"volume\":\"19\",\"pages\":\"1273-1276\"}"),
		  "maybe:conference");
	/* a one-page supplement abstract is not the article starting on that page number */
	CHECK_STR(decide("{\"id\":\"a\",\"type\":\"Conference Abstract\",\"title\":\"Signaling in sepsis: a clinical study\",\"authors\":[\"Radermacher, P.\"],\"year\":1990,\"journal\":\"Critical Care Conference\",\"volume\":\"19\",\"pages\":\"S256\"}",
			 "{\"id\":\"b\",\"title\":\"Signaling in sepsis: a clinical study\",\"authors\":[\"Radermacher, P\"],\"year\":1991,\"journal\":\"Critical Care\",\"volume\":\"19\",\"pages\":\"256-262\"}"),
		  "maybe:conference");
	/* ...but one abstract indexed once as a meeting item, once as a journal item, is one */
	CHECK_STR(decide("{\"id\":\"a\",\"type\":\"Conference Abstract\",\"title\":\"Activation of complement during liver transplantation\",\"authors\":[\"Koskinen, A.\",\"Tukiainen, E.\"],\"year\":2010,\"journal\":\"Scandinavian Journal of Immunology.Conference\"}",
			 "{\"id\":\"b\",\"title\":\"Activation of Complement During Liver Transplantation\",\"authors\":[\"Koskinen, A.\",\"Tukiainen, E.\"],\"year\":2010,\"journal\":\"Scandinavian Journal of Immunology\",\"volume\":\"71\",\"pages\":\"507\"}"),
		  "dup:title");
	/* ...nor the same when the meeting item names a page the journal item lacks */
	CHECK_STR(decide("{\"id\":\"a\",\"type\":\"Conference Abstract\",\"title\":\"Role of Hedgehog pathway in postnatal growth defects\",\"authors\":[\"Kuroki, T.\"],\"year\":1995,\"journal\":\"Emergency medicine clinics Conference\",\"volume\":\"68\",\"pages\":\"S550\"}",
			 "{\"id\":\"b\",\"title\":\"Role of Hedgehog pathway in postnatal growth defects\",\"authors\":[\"Kuroki, T.\"],\"year\":1996,\"journal\":\"Emergency medicine clinics\",\"volume\":\"68\"}"),
		  "maybe:conference");
	/* part 1 / part 2; women / men */
	CHECK_STR(decide("{\"id\":\"a\",\"title\":\"Eculizumab in aHUS: part 1\",\"authors\":[\"Licht, C\"],\"year\":2011,\"journal\":\"Blood\",\"volume\":\"9\"}",
			 "{\"id\":\"b\",\"title\":\"Eculizumab in aHUS: part 2\",\"authors\":[\"Licht, C\"],\"year\":2011,\"journal\":\"Blood\",\"volume\":\"9\"}"),
		  "maybe:title-numbers");
	CHECK_STR(decide("{\"id\":\"a\",\"title\":\"HPV screening outcomes in women\",\"authors\":[\"Licht, C\"],\"year\":2011,\"journal\":\"Blood\"}",
			 "{\"id\":\"b\",\"title\":\"HPV screening outcomes in men\",\"authors\":[\"Licht, C\"],\"year\":2011,\"journal\":\"Blood\"}"),
		  "maybe:companion");
	/* "in women" against "in men" is two letters apart: still companions; a misspelt
	 * "womens" is not one */
	CHECK_STR(decide("{\"id\":\"a\",\"title\":\"WOMEN'S HEALTH RESPONSE BY IL-31 IN WOMEN\",\"authors\":[\"RICCIARDI, S\"],\"year\":1997,\"journal\":\"CLIN CANCER RES\",\"volume\":\"144\"}",
			 "{\"id\":\"b\",\"title\":\"[Women's health response by IL-31 in men].\",\"authors\":[\"Ricciardi, S.\"],\"year\":1997,\"journal\":\"Clinical cancer research\",\"volume\":\"144\",\"pages\":\"1758-1767\"}"),
		  "maybe:companion");
	CHECK_STR(decide("{\"id\":\"a\",\"title\":\"Role of southern black womens health osteopathy\",\"authors\":[\"Lee, K\"],\"year\":1997,\"journal\":\"Blood\",\"volume\":\"14\",\"pages\":\"17-27\"}",
			 "{\"id\":\"b\",\"title\":\"Role of southern black owmens health osteopathy\",\"authors\":[\"Lee, K\"],\"year\":1997,\"journal\":\"Blood\",\"volume\":\"14\",\"pages\":\"17-27\"}"),
		  "dup:pages");
	/* one page range of one volume holds one article: the same range, first author and
	 * year outrank words and numbers one title lacks (a lost subtitle, a typo) ... */
	CHECK_STR(decide("{\"id\":\"a\",\"title\":\"Attitudes towards hormone treatment: a national survey in postmenopausal women\",\"authors\":[\"Burchat, P R\",\"Spector, R\"],\"year\":1987,\"journal\":\"Blood\",\"volume\":\"39\",\"pages\":\"774-8\"}",
			 "{\"id\":\"b\",\"title\":\"Attitudes towards hormone treatment\",\"authors\":[\"Burchat, P.R.\",\"Spector, R.\"],\"year\":1987,\"journal\":\"Blood\",\"volume\":\"39\",\"pages\":\"774-778\"}"),
		  "dup:pages");
	CHECK_STR(decide("{\"id\":\"a\",\"title\":\"Interleukin-23 promotes epithelial-to-mesenchymal transition\",\"authors\":[\"Brauer, M J\"],\"year\":2001,\"journal\":\"Cell cycle\",\"volume\":\"199\",\"pages\":\"1618-20\"}",
			 "{\"id\":\"b\",\"title\":\"Interleukin-3 promotes epithelial-to-mesenchymal transition\",\"authors\":[\"Brauer, M. J.\"],\"year\":2001,\"journal\":\"Cell cycle\",\"volume\":\"199\",\"pages\":\"1618-1620\"}"),
		  "dup:pages");
	/* ... but not a single page (several abstracts share one), another first author,
	 * or another range */
	CHECK_STR(decide("{\"id\":\"a\",\"title\":\"Interleukin-23 promotes epithelial-to-mesenchymal transition\",\"authors\":[\"Brauer, M J\"],\"year\":2001,\"journal\":\"Cell cycle\",\"volume\":\"199\",\"pages\":\"1618\"}",
			 "{\"id\":\"b\",\"title\":\"Interleukin-3 promotes epithelial-to-mesenchymal transition\",\"authors\":[\"Brauer, M. J.\"],\"year\":2001,\"journal\":\"Cell cycle\",\"volume\":\"199\",\"pages\":\"1618\"}"),
		  "maybe:title-numbers");
	CHECK_STR(decide("{\"id\":\"a\",\"title\":\"Interleukin-23 promotes epithelial-to-mesenchymal transition\",\"authors\":[\"Brauer, M J\",\"Coleman, T\"],\"year\":2001,\"journal\":\"Cell cycle\",\"volume\":\"199\",\"pages\":\"1618-20\"}",
			 "{\"id\":\"b\",\"title\":\"Interleukin-3 promotes epithelial-to-mesenchymal transition\",\"authors\":[\"Coleman, T\",\"Brauer, M J\"],\"year\":2001,\"journal\":\"Cell cycle\",\"volume\":\"199\",\"pages\":\"1618-1620\"}"),
		  "maybe:title-numbers");
	CHECK_STR(decide("{\"id\":\"a\",\"title\":\"Eculizumab in aHUS: part 1\",\"authors\":[\"Licht, C\"],\"year\":2011,\"journal\":\"Blood\",\"volume\":\"9\",\"pages\":\"100-110\"}",
			 "{\"id\":\"b\",\"title\":\"Eculizumab in aHUS: part 2\",\"authors\":[\"Licht, C\"],\"year\":2011,\"journal\":\"Blood\",\"volume\":\"9\",\"pages\":\"111-120\"}"),
		  "maybe:title-numbers");
	/* a title that only differs in spacing has no number conflict ("IL2 7" / "IL 27") */
	CHECK_STR(decide("{\"id\":\"a\",\"title\":\"IL-27 receptor in the human gut\",\"authors\":[\"Lee, K\"],\"year\":1997,\"journal\":\"Blood\",\"volume\":\"14\",\"pages\":\"17-27\"}",
			 "{\"id\":\"b\",\"title\":\"IL2 7 receptor in the human gut\",\"authors\":[\"Lee, K\"],\"year\":1997,\"journal\":\"Blood\",\"volume\":\"14\",\"pages\":\"17-27\"}"),
		  "dup:pages");
	/* a record that lost its subtitle keeps its main title */
	CHECK_STR(decide("{\"id\":\"a\",\"title\":\"Long distance animal transport: the president and phosphorylation of cells\",\"authors\":[\"Lee, K\"],\"year\":1997,\"doi\":\"10.1234/x.1\"}",
			 "{\"id\":\"b\",\"title\":\"Long distance animal transport\",\"authors\":[\"Lee, K\"],\"year\":1997,\"doi\":\"10.1234/X.1\"}"),
		  "dup:doi");
	/* Cochrane review versions */
	CHECK_STR(decide("{\"id\":\"a\",\"title\":\"Air versus oxygen for resuscitation of infants at birth\",\"authors\":[\"Tan A.\",\"Schulze A.\"],\"year\":2004,\"journal\":\"Cochrane Database Syst Rev\",\"pages\":\"CD002273\",\"doi\":\"10.1002/14651858.CD002273.pub2\"}",
			 "{\"id\":\"b\",\"title\":\"AIR VERSUS OXYGEN FOR RESUSCITATION OF INFANTS AT BIRTH\",\"authors\":[\"Tan A.\",\"Schulze A.\"],\"year\":2005,\"journal\":\"Cochrane Database Syst Rev\",\"pages\":\"Cd002273\",\"doi\":\"10.1002/14651858.CD002273.pub3\"}"),
		  "maybe:cochrane-version");
	/* a book and its chapter share the book's DOI */
	CHECK_STR(decide("{\"id\":\"a\",\"type\":\"BOOK\",\"title\":\"Handbook of complement\",\"authors\":[\"Zipfel, P\"],\"year\":2010,\"doi\":\"10.1007/978-1-4419-1\"}",
			 "{\"id\":\"b\",\"type\":\"CHAP\",\"title\":\"Handbook of complement\",\"authors\":[\"Zipfel, P\"],\"year\":2010,\"doi\":\"10.1007/978-1-4419-1\"}"),
		  "none:book-and-chapter");
	CHECK_STR(decide("{\"id\":\"a\",\"type\":\"CHAP\",\"title\":\"Factor H in disease\",\"authors\":[\"Zipfel, P\"],\"year\":2010,\"doi\":\"10.1007/978-1-4419-1\"}",
			 "{\"id\":\"b\",\"type\":\"CHAP\",\"title\":\"Complement in transplantation\",\"authors\":[\"Zipfel, P\"],\"year\":2010,\"doi\":\"10.1007/978-1-4419-1\"}"),
		  "none:book-and-chapter");
	/* generic titles need every coordinate */
	CHECK_STR(decide("{\"id\":\"a\",\"title\":\"Editorial\",\"authors\":[\"Smith, J\"],\"year\":2010,\"journal\":\"Blood\",\"volume\":\"5\",\"pages\":\"1\"}",
			 "{\"id\":\"b\",\"title\":\"Editorial\",\"authors\":[\"Jones, K\"],\"year\":2010,\"journal\":\"Blood\",\"volume\":\"5\",\"pages\":\"3\"}"),
		  "none:generic-title");
	CHECK_STR(decide("{\"id\":\"a\",\"title\":\"Editorial\",\"authors\":[\"Smith, J\"],\"year\":2010,\"journal\":\"Blood\",\"volume\":\"5\",\"pages\":\"1-2\"}",
			 "{\"id\":\"b\",\"title\":\"EDITORIAL.\",\"authors\":[\"Smith J\"],\"year\":2010,\"journal\":\"Blood\",\"volume\":\"5\",\"pages\":\"1-2\"}"),
		  "dup:pages");
	CHECK_STR(decide("{\"id\":\"a\",\"title\":\"Editorial\",\"authors\":[\"Smith, J\"],\"year\":2010,\"journal\":\"Blood\"}",
			 "{\"id\":\"b\",\"title\":\"Editorial\",\"authors\":[\"Smith, J\"],\"year\":2010,\"journal\":\"Blood\"}"),
		  "none:generic-title");
	/* no title and no identifier: never merged on content */
	CHECK_STR(decide("{\"id\":\"a\",\"authors\":[\"Zuber, J\"],\"year\":2011,\"journal\":\"Nat Rev Nephrol\",\"volume\":\"7\",\"pages\":\"23-35\"}",
			 "{\"id\":\"b\",\"authors\":[\"Zuber, J\"],\"year\":2011,\"journal\":\"Nat Rev Nephrol\",\"volume\":\"7\",\"pages\":\"23-35\"}"),
		  "none:no-title");
	CHECK_STR(decide("{\"id\":\"a\"}", "{\"id\":\"b\"}"), "none:no-title");
}

static void test_features(void)
{
	struct built b;

	CHECK(build(&b, "{\"id\":\"pubmed:123\",\"source\":\"PubMed\",\"source_id\":\"123\",\"title\":\"X y\",\"year\":\"2001\",\"volume\":12,\"issn\":[\"0028-4793\",\"1533-4406\"],\"isbn\":\"0028-4793\",\"abstract\":\"a\",\"keywords\":[\"k\"],\"zzz\":1}") == 0);
	CHECK_INT(b.r.pmid, 123);
	CHECK_INT(b.r.year, 2001);
	CHECK_INT(b.r.volume, 12);
	CHECK_INT(b.r.nissn, 2);
	CHECK_INT(b.r.prefer, 0);
	CHECK(b.r.rflags & DD_R_UNKNOWN_KEYS);
	CHECK(b.nkeys >= 3);
	release(&b);
	CHECK(build(&b, "{\"id\":\"x\",\"source\":\"Embase.com\",\"authors\":\"Zuber, J and Le Quintrec, M and Sberro-Soussan, R\",\"date\":\"2003-05\"}") == 0);
	CHECK_INT(b.r.nauthors, 3);
	CHECK_INT(b.r.year, 2003);
	CHECK_INT(b.r.prefer, 1);
	CHECK(!dd_has_substance(&b.r));
	release(&b);
	CHECK(build(&b, "{\"source\":\"Scopus\",\"authors\":[\"A, B; C, D\",\"Study Group\",\"Anonymous\"],\"year\":99999}") == 0);
	CHECK(b.r.id == NULL);
	CHECK_INT(b.r.nauthors, 2);
	CHECK_INT(b.r.ngroups, 1);
	CHECK_INT(b.r.year, 0);
	CHECK_INT(b.r.prefer, 2);
	release(&b);
}

int main(void)
{
	dd_scratch_init(&scratch);
	RUN(test_identifier_rules);
	RUN(test_bibliographic_rules);
	RUN(test_vetoes);
	RUN(test_keep_apart);
	RUN(test_erratum_citations);
	RUN(test_features);
	dd_scratch_release(&scratch);
	return wn_test_report();
}
