/*
 * test_rawdir.c - the --save-raw directory: saving, reading back, replaying through an
 * import session (with the PMID de-duplication), resuming, and refusing damage.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "rawdir.h"
#include "winnow/alloc.h"
#include "winnow/jsonl.h"
#include "wn_test.h"

static char *slurp(const char *name, size_t *len)
{
	char path[1024];
	const char *dir = getenv("WINNOW_TESTDATA");
	FILE *fp;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/eutils/records/%s", dir ? dir : "../../data", name);
	fp = fopen(path, "rb");
	if (!fp)
		exit(1);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, fp) != (size_t)n)
		exit(1);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

struct collect {
	struct wn_buf out; /* the records, as JSON lines */
	int n;
};

static int collect(void *data, json_object *rec, struct wn_err *err)
{
	struct collect *c = data;
	size_t n;
	const char *s = wn_json_compact(rec, &n);

	(void)err;
	wn_buf_add(&c->out, s, n, NULL);
	wn_buf_addc(&c->out, '\n', NULL);
	c->n++;
	json_object_put(rec);
	return 0;
}

static struct wn_import *session(struct collect *c)
{
	struct wn_import_opts o;

	memset(&o, 0, sizeof(o));
	o.emit = collect;
	o.emit_data = c;
	return wn_import_new(&o, NULL);
}

static json_object *request(const char *q)
{
	json_object *r = json_object_new_object();

	json_object_object_add(r, "db", json_object_new_string("pubmed"));
	json_object_object_add(r, "query", json_object_new_string(q));
	return r;
}

static json_object *entry(const char *kind)
{
	json_object *e = json_object_new_object();

	json_object_object_add(e, "kind", json_object_new_string(kind));
	return e;
}

static char dir[512];

/* run a shell command built from a literal format naming the directory twice */
#define SH(fmt) do { \
	char cmd_[1400]; \
	snprintf(cmd_, sizeof(cmd_), fmt, dir, dir); \
	if (system(cmd_) != 0) \
		fprintf(stderr, "command failed: %s\n", cmd_); \
} while (0)

static void test_save_and_replay(void)
{
	struct wn_rawdir rd;
	struct wn_err err;
	json_object *req = request("asthma");
	char name[48];
	size_t l1, l2;
	char *b1 = slurp("pubmed1.xml", &l1), *b2 = slurp("pubmed2.xml", &l2);
	struct collect c;
	struct wn_import *imp;
	json_object *sum, *dropped;
	int resumed = -1;

	CHECK_INT(wn_rawdir_create(&rd, dir, req, "2026-01-01T00:00:00Z", &resumed, &err), 0);
	CHECK_INT(resumed, 0);
	wn_rawdir_name(name, 2, "efetch");
	CHECK_STR(name, "000002-efetch.xml.gz");
	CHECK_INT(wn_rawdir_save(&rd, name, b1, l1, entry("efetch"), &err), 0);
	wn_rawdir_name(name, 3, "efetch");
	CHECK_INT(wn_rawdir_save(&rd, name, b2, l2, entry("efetch"), &err), 0);
	/* the same response again: its records must be dropped on replay */
	wn_rawdir_name(name, 4, "efetch");
	CHECK_INT(wn_rawdir_save(&rd, name, b1, l1, entry("efetch"), &err), 0);
	CHECK_INT(wn_rawdir_append(&rd, entry("done"), &err), 0);
	wn_rawdir_close(&rd);
	CHECK(wn_rawdir_is(dir));

	memset(&c, 0, sizeof(c));
	wn_buf_init(&c.out, 0);
	imp = session(&c);
	CHECK_INT(wn_rawdir_replay(dir, imp, NULL, NULL, &err), 0);
	CHECK_INT(c.n, 4);
	CHECK(strstr(c.out.data, "\"origin\":{\"file\":\"000002-efetch.xml.gz\",\"index\":1}") != NULL);
	CHECK(strstr(c.out.data, "\"origin\":{\"file\":\"000003-efetch.xml.gz\",\"index\":2}") != NULL);
	CHECK(strstr(c.out.data, "000004-efetch") == NULL);
	sum = wn_import_summary(imp);
	CHECK(json_object_object_get_ex(sum, "dropped", &dropped));
	CHECK_INT(json_object_get_int(json_object_object_get(dropped, "PMID already delivered")), 2);
	CHECK_INT(wn_import_records(imp), 4);
	/* the filter is gone afterwards */
	wn_import_free(imp);

	/* a second replay gives the same bytes */
	{
		struct collect c2;
		memset(&c2, 0, sizeof(c2));
		wn_buf_init(&c2.out, 0);
		imp = session(&c2);
		CHECK_INT(wn_rawdir_replay(dir, imp, NULL, NULL, &err), 0);
		CHECK(c2.out.len == c.out.len && memcmp(c2.out.data, c.out.data, c.out.len) == 0);
		wn_import_free(imp);
		wn_buf_release(&c2.out);
	}
	wn_buf_release(&c.out);

	/* reopened for the same request: resumed, entries kept, numbering continues */
	CHECK_INT(wn_rawdir_create(&rd, dir, req, "2026-02-02T00:00:00Z", &resumed, &err), 0);
	CHECK_INT(resumed, 1);
	CHECK_INT(json_object_array_length(rd.lines), 5);
	CHECK_INT(rd.seq, 0); /* these entries carry no "n" */
	wn_rawdir_close(&rd);
	/* for another request: refused */
	{
		json_object *other = request("asthma AND children");
		CHECK_INT(wn_rawdir_create(&rd, dir, other, "x", &resumed, &err), -1);
		CHECK(err.code == WN_EUSAGE);
		wn_rawdir_close(&rd);
		json_object_put(other);
	}
	json_object_put(req);
	free(b1);
	free(b2);
}

static void test_damage(void)
{
	struct wn_rawdir rd;
	struct wn_err err;
	struct collect c;
	struct wn_import *imp;
	char path[700];
	struct stat st;
	json_object *req = request("asthma");
	int resumed;

	memset(&c, 0, sizeof(c));
	wn_buf_init(&c.out, 0);
	/* a torn last line: readers ignore it, a writer cuts it off */
	SH("printf '{\"kind\":\"efe' >> %s/manifest.jsonl && true %s");
	imp = session(&c);
	CHECK_INT(wn_rawdir_replay(dir, imp, NULL, NULL, &err), 0);
	CHECK_INT(c.n, 4);
	wn_import_free(imp);
	CHECK_INT(wn_rawdir_create(&rd, dir, req, "x", &resumed, &err), 0);
	wn_rawdir_close(&rd);
	snprintf(path, sizeof(path), "%s/manifest.jsonl", dir);
	stat(path, &st);
	{
		FILE *fp = fopen(path, "rb");
		char last = 0;
		fseek(fp, -1, SEEK_END);
		last = (char)fgetc(fp);
		fclose(fp);
		CHECK(last == '\n');
	}
	/* a response changed on disk */
	SH("cp %s/000002-efetch.xml.gz %s/keep.gz");
	SH("zcat %s/keep.gz | sed 's/Version=\"1\"/Version=\"2\"/' | gzip > %s/000002-efetch.xml.gz");
	imp = session(&c);
	CHECK_INT(wn_rawdir_replay(dir, imp, NULL, NULL, &err), -1);
	CHECK(err.code == WN_ECORRUPT && strstr(err.msg, "000002-efetch.xml.gz' is not the response that was saved"));
	wn_import_free(imp);
	SH("mv %s/keep.gz %s/000002-efetch.xml.gz");
	/* a damaged line in the middle */
	SH("sed -i '2s/^/garbage/' %s/manifest.jsonl && true %s");
	imp = session(&c);
	CHECK_INT(wn_rawdir_replay(dir, imp, NULL, NULL, &err), -1);
	CHECK(err.code == WN_ECORRUPT && strstr(err.msg, "line 2 is damaged"));
	wn_import_free(imp);
	/* a file name that leaves the directory */
	SH("sed -i '2s/.*/{\"kind\":\"efetch\",\"file\":\"..\\/..\\/etc\\/passwd\",\"bytes\":1,\"xxh64\":\"0\"}/' %s/manifest.jsonl && true %s");
	imp = session(&c);
	CHECK_INT(wn_rawdir_replay(dir, imp, NULL, NULL, &err), -1);
	CHECK(err.code == WN_ECORRUPT);
	wn_import_free(imp);
	/* a directory of something else */
	SH("mkdir -p %s/foreign && touch %s/foreign/x");
	snprintf(path, sizeof(path), "%s/foreign", dir);
	CHECK(!wn_rawdir_is(path));
	CHECK_INT(wn_rawdir_create(&rd, path, req, "x", &resumed, &err), -1);
	CHECK(err.code == WN_EUSAGE);
	wn_rawdir_close(&rd);
	/* a file in the way */
	snprintf(path, sizeof(path), "%s/foreign/x", dir);
	CHECK_INT(wn_rawdir_create(&rd, path, req, "x", &resumed, &err), -1);
	wn_rawdir_close(&rd);
	json_object_put(req);
	wn_buf_release(&c.out);
}

int main(void)
{
	const char *tmp = getenv("WINNOW_TEST_TMP");
	char base[400];

	snprintf(base, sizeof(base), "%s", tmp ? tmp : "/tmp");
	mkdir(base, 0777);
	snprintf(dir, sizeof(dir), "%s/rawdir-XXXXXX", base);
	if (!mkdtemp(dir))
		return 1;
	strncat(dir, "/raw", sizeof(dir) - strlen(dir) - 1);
	RUN(test_save_and_replay);
	RUN(test_damage);
	if (wn_test_failures == 0)
		SH("rm -rf \"$(dirname %s)\" && true %s");
	return wn_test_report();
}
