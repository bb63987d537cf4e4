/*
 * test_recindex.c - the records index (bad lines reported and counted, ids unique,
 * records read back byte for byte), the idmap under load, reproducible shuffles.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "wn_test.h"
#include "winnow/buf.h"
#include "winnow/idmap.h"
#include "winnow/recindex.h"
#include "winnow/record.h"

static void on_bad(const char *msg, void *data)
{
	wn_buf_addf(data, NULL, "%s\n", msg);
}

static void test_load(void)
{
	static const char text[] =
		"{\"id\":\"pubmed:1\",\"title\":\"One\"}\n"
		"\n"
		"not json\n"
		"{\"title\":\"no id\"}\n"
		"{\"id\":\"pubmed:1\",\"title\":\"again\"}\n"
		"[1,2]\n"
		"{\"id\":\"pubmed:2\",\"title\":\"T\\u00e9st \\u001b[2J\"}  \r\n"
		"{\"id\":\"pubmed:3\",\"title\":\"bad utf8 \xff\"}\n"
		"{\"id\":\"pubmed:4\"}";
	const char *tmp = getenv("WINNOW_TEST_TMP");
	char path[300];
	struct wn_recindex ri;
	struct wn_buf bad;
	struct wn_err err;
	json_object *rec;
	const char *line;
	size_t len;
	FILE *fp;

	if (tmp && *tmp)
		mkdir(tmp, 0755);
	snprintf(path, sizeof(path), "%s/ri-%ld.jsonl", tmp && *tmp ? tmp : "/tmp", (long)getpid());
	fp = fopen(path, "wb");
	if (!fp)
		return;
	fwrite(text, 1, sizeof(text) - 1, fp);
	fclose(fp);
	wn_buf_init(&bad, 0);
	wn_recindex_init(&ri);
	CHECK_INT(wn_recindex_load(&ri, path, on_bad, &bad, &err), 0);
	CHECK_INT(ri.n, 3);
	CHECK_INT(ri.bad, 5);
	CHECK_INT(ri.no_id, 1);
	CHECK_INT(ri.dup, 1);
	CHECK(strstr(bad.data, "' line 3: not valid JSON") != NULL);
	CHECK(strstr(bad.data, "' line 4: a record without an \"id\"") != NULL);
	CHECK(strstr(bad.data, "' line 5: record id 'pubmed:1' appeared before in this file (the first copy is used)") != NULL);
	CHECK(strstr(bad.data, "' line 6: not a JSON object") != NULL);
	CHECK(strstr(bad.data, "' line 8: invalid UTF-8") != NULL);
	CHECK_STR(wn_recindex_id(&ri, 1), "pubmed:2");
	CHECK_INT(wn_recindex_find(&ri, "pubmed:4", 8), 2);
	CHECK_INT(wn_recindex_find(&ri, "pubmed:3", 8), -1);
	CHECK_INT(ri.recs[1].lineno, 7);
	line = wn_recindex_line(&ri, 0, &len);
	CHECK(len == strlen("{\"id\":\"pubmed:1\",\"title\":\"One\"}") &&
	      memcmp(line, "{\"id\":\"pubmed:1\",\"title\":\"One\"}", len) == 0);
	line = wn_recindex_line(&ri, 1, &len);
	CHECK(line[len - 1] == '}'); /* trailing spaces and CR are not part of the record */
	rec = wn_recindex_get(&ri, 1, &err);
	CHECK(rec != NULL);
	CHECK_STR(wn_record_get(rec, "title"), "T\xc3\xa9st \x1b[2J");
	json_object_put(rec);
	CHECK(wn_recindex_get(&ri, 9, &err) == NULL);
	wn_recindex_release(&ri);
	/* without a callback the first bad line is the error */
	wn_recindex_init(&ri);
	CHECK_INT(wn_recindex_load(&ri, path, NULL, NULL, &err), -1);
	CHECK(err.code == WN_EFORMAT && strstr(err.msg, "' line 3:"));
	wn_recindex_release(&ri);
	unlink(path);
	wn_buf_release(&bad);
}

static void test_idmap(void)
{
	struct wn_idmap m;
	char id[32];
	long i, bad = 0;
	int added;

	wn_idmap_init(&m);
	CHECK_INT(wn_idmap_find(&m, "x", 1), -1);
	for (i = 0; i < 100000; i++) {
		snprintf(id, sizeof(id), "pubmed:%ld", i * 7919);
		if (wn_idmap_intern(&m, id, strlen(id), &added, NULL) != i || !added)
			bad++;
	}
	for (i = 0; i < 100000; i++) {
		snprintf(id, sizeof(id), "pubmed:%ld", i * 7919);
		if (wn_idmap_find(&m, id, strlen(id)) != i || strcmp(wn_idmap_key(&m, (size_t)i), id) != 0)
			bad++;
		if (wn_idmap_intern(&m, id, strlen(id), &added, NULL) != i || added)
			bad++;
	}
	CHECK_INT(bad, 0);
	CHECK_INT(wn_idmap_count(&m), 100000);
	CHECK_INT(wn_idmap_find(&m, "pubmed:1", 8), -1);
	/* ids are bytes: a NUL inside is part of the key */
	CHECK_INT(wn_idmap_intern(&m, "a\0b", 3, &added, NULL), 100000);
	CHECK_INT(wn_idmap_find(&m, "a", 1), -1);
	wn_idmap_release(&m);
}

static void test_shuffle(void)
{
	size_t a[1000], b[1000], i, sum = 0, same = 0;
	uint64_t st = 0;

	/* splitmix64's published first output for state 0 */
	CHECK(wn_splitmix64(&st) == 0xe220a8397b1dcdafULL);
	for (i = 0; i < 1000; i++)
		a[i] = b[i] = i;
	wn_shuffle(a, 1000, 42);
	wn_shuffle(b, 1000, 42);
	CHECK(memcmp(a, b, sizeof(a)) == 0); /* reproducible */
	for (i = 0; i < 1000; i++) {
		sum += a[i];
		same += a[i] == i;
	}
	CHECK_INT(sum, 999 * 1000 / 2); /* a permutation */
	CHECK(same < 20);
	for (i = 0; i < 1000; i++)
		b[i] = i;
	wn_shuffle(b, 1000, 43);
	CHECK(memcmp(a, b, sizeof(a)) != 0);
	wn_shuffle(a, 0, 1);
	wn_shuffle(a, 1, 1);
}

int main(void)
{
	RUN(test_load);
	RUN(test_idmap);
	RUN(test_shuffle);
	return wn_test_report();
}
