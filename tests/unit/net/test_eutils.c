/*
 * test_eutils.c - reading E-utilities responses (real ones from tests/data/eutils), the
 * checks that decide a retry, the URL policy, form encoding and redaction.
 */
#include <stdlib.h>
#include <string.h>
#include "winnow/buf.h"
#include "winnow/eutils.h"
#include "winnow/http.h"
#include "wn_test.h"

static char *slurp(const char *name, size_t *len)
{
	char path[1024];
	const char *dir = getenv("WINNOW_TESTDATA");
	FILE *fp;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/eutils/responses/%s", dir ? dir : "../../data", name);
	fp = fopen(path, "rb");
	if (!fp) {
		fprintf(stderr, "cannot open %s\n", path);
		exit(1);
	}
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, fp) != (size_t)n)
		exit(1);
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static void test_esearch_real(void)
{
	struct wn_esearch es;
	struct wn_err err;
	size_t len;
	char *b;

	wn_esearch_init(&es);
	b = slurp("esearch1.xml", &len);
	CHECK_INT(wn_esearch_parse(b, len, &es, &err), 0);
	CHECK_INT(es.count, 63);
	CHECK_INT(es.nids, 20);
	CHECK_INT(es.ids[0], 41282813);
	CHECK_INT(es.ids[19], 37810457);
	CHECK_STR(es.translation, "\"biopython\"[All Fields]");
	CHECK(es.webenv == NULL && es.nmsgs == 0);
	free(b);

	/* the TranslationStack's TermSet/Count is not the search's Count */
	b = slurp("esearch5.xml", &len);
	CHECK_INT(wn_esearch_parse(b, len, &es, &err), 0);
	CHECK_INT(es.count, 5);
	CHECK_INT(es.nids, 5);
	CHECK_INT(es.ids[4], 3443459);
	free(b);

	/* ErrorList and WarningList */
	b = slurp("esearch8.xml", &len);
	CHECK_INT(wn_esearch_parse(b, len, &es, &err), 0);
	CHECK_INT(es.count, 0);
	CHECK_INT(es.nids, 0);
	CHECK_INT(es.nmsgs, 2);
	CHECK_STR(es.msgs[0].list, "ErrorList");
	CHECK_STR(es.msgs[0].type, "PhraseNotFound");
	CHECK_STR(es.msgs[0].text, "abcXYZ");
	CHECK(wn_esearch_msg_serious(&es.msgs[0]));
	CHECK_STR(es.msgs[1].type, "OutputMessage");
	CHECK_STR(es.msgs[1].text, "No items found.");
	CHECK(!wn_esearch_msg_serious(&es.msgs[1]));
	CHECK_STR(es.translation, "(abcXYZ[All Fields])");
	free(b);
	wn_esearch_release(&es);
}

static void test_esearch_bad(void)
{
	static const char *bad[] = {
		"",                                                          /* empty */
		"<eSearchResult><Count>5</Count><IdList><Id>1</Id>",         /* truncated */
		"<ePostResult><QueryKey>1</QueryKey></ePostResult>",         /* another document */
		"<eSearchResult><Count>5x</Count></eSearchResult>",          /* not a number */
		"<eSearchResult><Count>99999999999999999999999</Count></eSearchResult>", /* overflow */
		"<eSearchResult><Count>2</Count><IdList><Id>12a</Id></IdList></eSearchResult>",
		"<eSearchResult><RetMax>0</RetMax></eSearchResult>",         /* no Count */
		"<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><eSearchResult><Count>&e;</Count></eSearchResult>",
		"{\"esearchresult\": {\"count\": \"5\"}}",                   /* JSON */
	};
	struct wn_esearch es;
	struct wn_err err;
	size_t i;

	wn_esearch_init(&es);
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		wn_err_clear(&err);
		CHECK_INT(wn_esearch_parse(bad[i], strlen(bad[i]), &es, &err), -1);
		CHECK(err.code == WN_EFORMAT);
		CHECK(err.msg[0] != '\0');
	}
	/* invalid UTF-8 inside a translation is not fatal (libxml2 rejects the document) */
	wn_esearch_release(&es);
}

static void test_check_body(void)
{
	char why[256];
	size_t len;
	char *b;
	static const char good[] = "<?xml version=\"1.0\" ?>\n<PubmedArticleSet>\n<PubmedArticle/>\n</PubmedArticleSet>\n\n";
	static const char empty_set[] = "<?xml version=\"1.0\" ?>\n<PubmedArticleSet></PubmedArticleSet>\n";

	CHECK_INT(wn_eutils_check_body(good, strlen(good), WN_EXPECT_PUBMED_XML, why, sizeof(why)), 0);
	CHECK_INT(wn_eutils_check_body(empty_set, strlen(empty_set), WN_EXPECT_PUBMED_XML, why, sizeof(why)), 0);
	CHECK_INT(wn_eutils_check_body("<PubmedArticleSet/>", 19, WN_EXPECT_PUBMED_XML, why, sizeof(why)), 0);
	CHECK_INT(wn_eutils_check_body(good, strlen(good) - 12, WN_EXPECT_PUBMED_XML, why, sizeof(why)), 1);
	CHECK_STR(why, "truncated response (no closing </PubmedArticleSet>)");
	CHECK_INT(wn_eutils_check_body("", 0, WN_EXPECT_PUBMED_XML, why, sizeof(why)), 1);
	CHECK_STR(why, "empty response");
	CHECK_INT(wn_eutils_check_body(" \n\t", 3, WN_EXPECT_ESEARCH, why, sizeof(why)), 1);
	CHECK_STR(why, "empty response");
	CHECK_INT(wn_eutils_check_body("<html>Bad gateway</html>", 24, WN_EXPECT_PUBMED_XML, why, sizeof(why)), 1);
	CHECK_STR(why, "not a PubmedArticleSet document");
	/* NCBI's rate-limit JSON in a 200 */
	b = "{\"error\":\"API rate limit exceeded\",\"api-key\":\"1.2.3.4\",\"count\":\"5\",\"limit\":\"3\"}";
	CHECK_INT(wn_eutils_check_body(b, strlen(b), WN_EXPECT_ESEARCH, why, sizeof(why)), 1);
	CHECK_STR(why, "error: API rate limit exceeded");
	/* real <ERROR> bodies */
	b = slurp("epost2.xml", &len);
	CHECK_INT(wn_eutils_check_body(b, len, WN_EXPECT_ANY, why, sizeof(why)), 1);
	CHECK_STR(why, "Invalid db name specified: nothing");
	free(b);
	b = slurp("epost3.xml", &len);
	CHECK_INT(wn_eutils_check_body(b, len, WN_EXPECT_ANY, why, sizeof(why)), 1);
	CHECK_STR(why, "Empty ID list; Nothing to store");
	free(b);
	b = slurp("esummary8.xml", &len);
	CHECK_INT(wn_eutils_check_body(b, len, WN_EXPECT_ANY, why, sizeof(why)), 1);
	CHECK_STR(why, "Neither query_key nor id specified");
	free(b);
	/* esummary's backend failure hidden in a comment */
	b = "<eSummaryResult><DocumentSummarySet status=\"OK\"><!-- <ERROR>DocSum Backend failed</ERROR> --></DocumentSummarySet></eSummaryResult>";
	CHECK_INT(wn_eutils_check_body(b, strlen(b), WN_EXPECT_ANY, why, sizeof(why)), 1);
	/* real esearch responses pass; a cut one does not */
	b = slurp("esearch3.xml", &len);
	CHECK_INT(wn_eutils_check_body(b, len, WN_EXPECT_ESEARCH, why, sizeof(why)), 0);
	CHECK_INT(wn_eutils_check_body(b, len / 2, WN_EXPECT_ESEARCH, why, sizeof(why)), 1);
	CHECK_STR(why, "truncated response (no closing </eSearchResult>)");
	CHECK_INT(wn_eutils_check_body(b, len, WN_EXPECT_PUBMED_XML, why, sizeof(why)), 1);
	free(b);
	/* a long error text is cut to the buffer, control characters blanked */
	{
		char big[3000], small[16];
		memset(big, 'x', sizeof(big));
		memcpy(big, "<ERROR>a\tb", 10);
		CHECK_INT(wn_eutils_check_body(big, sizeof(big), WN_EXPECT_ANY, small, sizeof(small)), 1);
		CHECK_INT(strlen(small), 15);
		CHECK(strncmp(small, "a b", 3) == 0);
	}
}

static void test_urls(void)
{
	struct wn_err err;
	int lb = -1;

	CHECK_INT(wn_http_check_url("https://eutils.ncbi.nlm.nih.gov/entrez/eutils/", &lb, &err), 0);
	CHECK_INT(lb, 0);
	CHECK_INT(wn_http_check_url("http://127.0.0.1:8080/x/", &lb, &err), 0);
	CHECK_INT(lb, 1);
	CHECK_INT(wn_http_check_url("http://127.1.2.3/", &lb, &err), 0);
	CHECK_INT(wn_http_check_url("http://localhost:1/", &lb, &err), 0);
	CHECK_INT(wn_http_check_url("http://LOCALHOST/", &lb, &err), 0);
	CHECK_INT(wn_http_check_url("http://[::1]:9/", &lb, &err), 0);
	CHECK_INT(lb, 1);
	CHECK_INT(wn_http_check_url("https://127.0.0.1/", &lb, &err), 0);
	CHECK_INT(wn_http_check_url("http://eutils.ncbi.nlm.nih.gov/", &lb, &err), -1);
	CHECK(err.code == WN_EUSAGE && strstr(err.msg, "refusing plain http"));
	CHECK_INT(wn_http_check_url("http://127.0.0.1.nip.io/", &lb, &err), -1);
	CHECK_INT(wn_http_check_url("http://localhost.evil.org/", &lb, &err), -1);
	CHECK_INT(wn_http_check_url("http://[::2]/", &lb, &err), -1);
	CHECK_INT(wn_http_check_url("http://128.0.0.1/", &lb, &err), -1);
	CHECK_INT(wn_http_check_url("ftp://127.0.0.1/", &lb, &err), -1);
	CHECK(strstr(err.msg, "unsupported URL scheme 'ftp'") != NULL);
	CHECK_INT(wn_http_check_url("file:///etc/passwd", &lb, &err), -1);
	CHECK_INT(wn_http_check_url("eutils.ncbi.nlm.nih.gov", &lb, &err), -1);
	CHECK_INT(wn_http_check_url("", &lb, &err), -1);
}

static void test_form(void)
{
	struct wn_buf f, r;

	wn_buf_init(&f, 0);
	CHECK_INT(wn_http_form_add(&f, "db", "pubmed", NULL), 0);
	CHECK_INT(wn_http_form_add(&f, "term", "asthma[mh] AND \"child\" & x=1 +é~", NULL), 0);
	CHECK_STR(f.data, "db=pubmed&term=asthma%5Bmh%5D%20AND%20%22child%22%20%26%20x%3D1%20%2B%C3%A9~");
	CHECK_INT(wn_http_form_add(&f, "api_key", "secret-1", NULL), 0);
	CHECK_INT(wn_http_form_add(&f, "tool", "winnow", NULL), 0);
	wn_buf_init(&r, 0);
	CHECK_INT(wn_http_redact(&r, f.data, NULL), 0);
	CHECK(strstr(r.data, "secret") == NULL);
	CHECK(strstr(r.data, "&api_key=REDACTED&tool=winnow") != NULL);
	wn_buf_reset(&r);
	wn_http_redact(&r, "x?api_key=abc", NULL);
	CHECK_STR(r.data, "x?api_key=REDACTED");
	wn_buf_reset(&r);
	wn_http_redact(&r, "my_api_key=abc", NULL); /* not the parameter */
	CHECK_STR(r.data, "my_api_key=abc");
	/* a capped buffer fails cleanly */
	{
		struct wn_buf small;
		struct wn_err err;
		wn_buf_init(&small, 8);
		CHECK_INT(wn_http_form_add(&small, "term", "a long query", &err), -1);
		CHECK(err.code == WN_ELIMIT);
		wn_buf_release(&small);
	}
	wn_buf_release(&f);
	wn_buf_release(&r);
}

static void test_client_refuses(void)
{
	struct wn_eutils_opts o;
	struct wn_err err;

	memset(&o, 0, sizeof(o));
	o.base_url = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/";
	o.no_delay = 1;
	CHECK(wn_eutils_new(&o, &err) == NULL);
	CHECK(err.code == WN_EUSAGE);
	o.no_delay = 0;
	o.tool = "my tool";
	CHECK(wn_eutils_new(&o, &err) == NULL);
	o.tool = NULL;
	o.base_url = "http://example.org/";
	CHECK(wn_eutils_new(&o, &err) == NULL);
	o.base_url = "http://127.0.0.1:1/eutils";
	{
		struct wn_eutils *eu = wn_eutils_new(&o, &err);
		CHECK(eu != NULL);
		CHECK_STR(wn_eutils_base(eu), "http://127.0.0.1:1/eutils/");
		CHECK_INT(wn_eutils_stats(eu)->requests, 0);
		wn_eutils_free(eu);
	}
}

int main(void)
{
	RUN(test_esearch_real);
	RUN(test_esearch_bad);
	RUN(test_check_body);
	RUN(test_urls);
	RUN(test_form);
	RUN(test_client_refuses);
	return wn_test_report();
}
