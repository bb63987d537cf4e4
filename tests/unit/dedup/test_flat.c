/* Unit tests: flat.c - a record line as the array of its values, for json-c. A line is
 * flattened only when the array parses exactly when the line does, to the same values;
 * the records built from the two (features.c) must be the same, on every record of the
 * dev sets. */
#include <stdlib.h>
#include "wn_test.h"
#include "winnow/jsonl.h"
#include "dd.h"

static struct dd_scratch scratch;
static const char *const prefer_list[] = { "PubMed", "Embase" };
static struct dd_prefs prefs = { prefer_list, 2, "", NULL };

/* 1 flattened (the copy in copy), 0 left alone, -1 error. */
static int flatten(const char *line, char *copy, size_t cap, struct dd_flat *f)
{
	struct wn_buf b;
	struct wn_err err;
	int rc;

	wn_buf_init(&b, 0);
	rc = dd_flatten_line(line, strlen(line), &b, f, &err);
	if (rc == 1)
		snprintf(copy, cap, "%.*s", (int)b.len, b.data);
	wn_buf_release(&b);
	return rc;
}

/* The stream reader's verdict on text: 1 accepted, 0 a bad line. */
static int reader_ok(const char *text, int as_line)
{
	json_tokener *tok = json_tokener_new();
	json_object *o = NULL;
	struct wn_err err;
	int rc;

	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	rc = as_line ? wn_jsonl_parse_line(tok, text, strlen(text), "t", 1, &o, &err)
		     : wn_jsonl_parse_value(tok, text, strlen(text), "t", 1, &o, &err);
	json_object_put(o);
	json_tokener_free(tok);
	return rc == WN_JSONL_OK;
}

static void test_field_index(void)
{
	CHECK_INT(dd_field_index("abstract", 8), DD_FIELD_ABSTRACT);
	CHECK(dd_field_index("title", 5) >= 0);
	CHECK(dd_field_index("year", 4) >= 0);
	CHECK(dd_field_index("duplicates", 10) >= 0);
	CHECK_INT(dd_field_index("titles", 6), -1);
	CHECK_INT(dd_field_index("titl", 4), -1);
	CHECK_INT(dd_field_index("", 0), -1);
	CHECK_INT(dd_field_index("Title", 5), -1);
	/* names of letters no field begins with, and first bytes that are no letter */
	CHECK_INT(dd_field_index("bogus", 5), -1);
	CHECK_INT(dd_field_index("zeta", 4), -1);
	CHECK_INT(dd_field_index("_id", 3), -1);
	CHECK_INT(dd_field_index("\xc3\xa9t\xc3\xa9", 6), -1);
	CHECK_INT(dd_field_index("{", 1), -1);
	/* every field of docs/record-format.md, each at a place of its own (the table is
	 * searched within the range of its first letter, written out by hand: a name out of
	 * order, or a range that is wrong, would be missed) */
	{
		static const char *const names[] = {
			"abstract", "authors", "date", "doi", "duplicates", "extra", "id", "isbn",
			"issn", "issue", "journal", "journal_abbrev", "keywords", "language", "mesh",
			"notices", "origin", "pages", "pmcid", "pmid", "publisher", "pubtypes",
			"source", "source_id", "title", "type", "url", "volume", "year"
		};
		size_t i, j;
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			int k = dd_field_index(names[i], strlen(names[i]));
			CHECK_INT(k, (int)i);
			for (j = 0; j < i; j++)
				CHECK(k != dd_field_index(names[j], strlen(names[j])));
		}
	}
	/* the length counts, not a NUL: "title" inside "titlex" */
	CHECK(dd_field_index("titlex", 5) == dd_field_index("title", 5));
}

static void test_flattened(void)
{
	char copy[2048];
	struct dd_flat f;

	CHECK_INT(flatten("{\"id\":\"a\",\"title\":\"T\",\"abstract\":\"Long text.\",\"year\":2001,"
			  "\"authors\":[\"A, B\",\"C, D\"],\"custom\":{\"x\":[1,\"]\"]}}", copy, sizeof(copy), &f), 1);
	CHECK_STR(copy, "[\"a\",\"T\",\"x\",2001,[\"A, B\",\"C, D\"],{\"x\":[1,\"]\"]}]");
	CHECK_INT((int)f.n, 6);
	CHECK_INT(f.field[0], dd_field_index("id", 2));
	CHECK_INT(f.field[1], dd_field_index("title", 5));
	CHECK_INT(f.field[2], DD_FIELD_ABSTRACT);
	CHECK_INT(f.field[5], DD_FLAT_OTHER);
	CHECK(f.flags & DD_FLAT_UNKNOWN);
	CHECK(reader_ok(copy, 0));
	/* JSON white space anywhere between tokens; escapes in values are json-c's */
	CHECK_INT(flatten(" \t{ \"id\" : \"a\\u00e9\\n\" ,\r\"year\":null , \"pages\" : \"1-9\" } \t",
			  copy, sizeof(copy), &f), 1);
	CHECK_STR(copy, "[\"a\\u00e9\\n\",null,\"1-9\"]");
	CHECK_INT((int)f.flags, 0);
	/* an unknown name may come twice (json-c keeps the last; neither is read here) */
	CHECK_INT(flatten("{\"x\":1,\"x\":2,\"id\":\"a\"}", copy, sizeof(copy), &f), 1);
	CHECK_STR(copy, "[1,2,\"a\"]");
	/* an abstract that is no plain string is kept as it is, for json-c to judge */
	CHECK_INT(flatten("{\"abstract\":[\"a\",\"b\"]}", copy, sizeof(copy), &f), 1);
	CHECK_STR(copy, "[[\"a\",\"b\"]]");
	/* a one-letter abstract stays (nothing to save) */
	CHECK_INT(flatten("{\"abstract\":\"a\"}", copy, sizeof(copy), &f), 1);
	CHECK_STR(copy, "[\"a\"]");
}

static void test_left_alone(void)
{
	static const char *const lines[] = {
		"", "   ", "[1,2]", "\"text\"", "{}", "{ }",                   /* no members */
		"{\"ti\\u0074le\":\"T\"}",                                       /* "title" to json-c */
		"{\"title\":\"a\",\"title\":\"b\"}",                            /* json-c keeps the last */
		"{\"id\":\"a\",}", "{\"id\":\"a\" \"year\":1}", "{\"id\" \"a\"}", /* separators */
		"{\"id\":\"a\"} x", "{\"id\":\"a\"}{}", "{\"id\":\"a\"",          /* after, or no end */
		"{id:\"a\"}", "{'id':'a'}", "{\"id\":}", "{\"id\":,\"year\":1}",
		"{\"id\":\"a\tb\"}",                                             /* a raw tab (json-c's call) */
		"{\"title\":\"a\\q\"}", "{\"title\":\"a\\u0000\"}",             /* bad escape, \u0000 */
		"{\"id\":\"unterminated}",
		"{\"\xc0\xaf\":1}", "{\"\xed\xa0\x80\":1}", "{\"a\xff\":1}",   /* keys that are not UTF-8 */
		"\xef\xbb\xbf{\"id\":\"a\"}",                                    /* a byte order mark */
		"{\"id\":\"a\"\x01}",
		"{\"abstract\":\"" "a\\u0000b" "\"}",
	};
	char copy[4096];
	struct dd_flat f;
	size_t k;

	for (k = 0; k < sizeof(lines) / sizeof(lines[0]); k++) {
		int rc = flatten(lines[k], copy, sizeof(copy), &f);
		if (rc != 0)
			fprintf(stderr, "  flattened, should not be: %s -> %s\n", lines[k], copy);
		CHECK_INT(rc, 0);
	}
	/* more members than DD_FLAT_MAX */
	{
		char big[4096];
		size_t n = 0, i;
		n += (size_t)snprintf(big + n, sizeof(big) - n, "{");
		for (i = 0; i <= DD_FLAT_MAX; i++)
			n += (size_t)snprintf(big + n, sizeof(big) - n, "%s\"k%zu\":%zu", i ? "," : "", i, i);
		snprintf(big + n, sizeof(big) - n, "}");
		CHECK_INT(flatten(big, copy, sizeof(copy), &f), 0);
	}
}

/* Lines the flattener passes on whose values json-c refuses: the array is refused too,
 * and so is the line (the reader then reads the line itself, for its message). */
static void test_same_verdict(void)
{
	static const char *const lines[] = {
		"{\"id\":tru}", "{\"id\":[1}}", "{\"id\":{\"a\" 1}}", "{\"year\":01}",
		"{\"year\":1.}", "{\"year\":-}", "{\"id\":[1,]}", "{\"x\":{\"a\":1,}}",
		"{\"year\":2001,\"id\":\"a\"}", "{\"year\":1e5}", "{\"x\":[[[[]]]]}",
		"{\"x\":{\"a\":\"\\ud800\"}}", "{\"x\":\"\xc0\xaf\"}", "{\"x\":[\"a\\u0000\"]}",
		"{\"x\":[\"\xed\xa0\x80\"]}", "{\"x\":nul}", "{\"x\":NaN}", "{\"x\":Infinity}",
	};
	char copy[1024];
	struct dd_flat f;
	size_t k;

	for (k = 0; k < sizeof(lines) / sizeof(lines[0]); k++) {
		int rc = flatten(lines[k], copy, sizeof(copy), &f);
		CHECK(rc >= 0);
		if (rc == 1 && reader_ok(copy, 0) != reader_ok(lines[k], 1)) {
			fprintf(stderr, "  verdicts differ: %s (line %d) -> %s (array %d)\n", lines[k],
				reader_ok(lines[k], 1), copy, reader_ok(copy, 0));
			CHECK(0);
		}
	}
	/* at least the ones json-c refuses in the value must have been flattened, or this
	 * test checks nothing */
	CHECK_INT(flatten("{\"id\":tru}", copy, sizeof(copy), &f), 1);
	CHECK(!reader_ok(copy, 0) && !reader_ok("{\"id\":tru}", 1));
}

struct built {
	struct dd_rec r;
	struct dd_arena arena;
	struct dd_key *keys;
	size_t nkeys, keycap;
};

static int str_eq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int same_rec(const struct built *x, const struct built *y)
{
	const struct dd_rec *a = &x->r, *b = &y->r;
	size_t i;

	if (!str_eq(a->id, b->id) || !str_eq(a->source, b->source) ||
	    !str_eq(a->source_id, b->source_id) || !str_eq(a->title, b->title) ||
	    !str_eq(a->journal, b->journal) || !str_eq(a->jabbrev, b->jabbrev) ||
	    !str_eq(a->dois, b->dois) || !str_eq(a->doi_raw, b->doi_raw) ||
	    !str_eq(a->pmid_raw, b->pmid_raw) || !str_eq(a->group, b->group))
		return 0;
	if (a->id_hash != b->id_hash || a->title_sig != b->title_sig || a->pmid != b->pmid ||
	    a->pmcid != b->pmcid || memcmp(a->isbn, b->isbn, sizeof(a->isbn)) != 0 ||
	    memcmp(a->issn, b->issn, sizeof(a->issn)) != 0 || a->numsig != b->numsig ||
	    a->volume != b->volume || a->issue != b->issue || a->cochrane != b->cochrane ||
	    memcmp(&a->pages, &b->pages, sizeof(a->pages)) != 0 || a->main_len != b->main_len ||
	    a->nauthors != b->nauthors || a->twords != b->twords || a->year != b->year ||
	    a->nstored != b->nstored || a->ngroups != b->ngroups || a->tflags != b->tflags ||
	    a->kind != b->kind || a->ndois != b->ndois || a->part != b->part ||
	    a->phase != b->phase || a->cochrane_version != b->cochrane_version ||
	    a->vol_supp != b->vol_supp || a->completeness != b->completeness ||
	    a->prefer != b->prefer || a->rflags != b->rflags || a->fields != b->fields)
		return 0;
	for (i = 0; i < a->nstored; i++)
		if (strcmp(a->authors[i].sur, b->authors[i].sur) != 0 ||
		    strcmp(a->authors[i].ini, b->authors[i].ini) != 0)
			return 0;
	if (x->nkeys != y->nkeys)
		return 0;
	for (i = 0; i < x->nkeys; i++)
		if (x->keys[i].key != y->keys[i].key || x->keys[i].info != y->keys[i].info)
			return 0;
	return 1;
}

static void release(struct built *b)
{
	dd_arena_release(&b->arena);
	free(b->keys);
}

/* Every record of a dev set: built from its object and from its flattened line, the
 * same record and the same keys. Returns how many lines were flattened. */
static size_t same_records(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *line = NULL;
	size_t cap = 0, flattened = 0;
	ssize_t got;
	struct wn_buf b;
	json_tokener *tok = json_tokener_new();

	CHECK(fp != NULL);
	if (!fp)
		return 0;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	wn_buf_init(&b, 0);
	while ((got = getline(&line, &cap, fp)) > 0) {
		struct built x, y;
		struct wn_err err;
		struct dd_flat f;
		json_object *o = NULL, *arr = NULL;
		size_t n = (size_t)got;

		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		if (dd_flatten_line(line, n, &b, &f, &err) != 1)
			continue;
		flattened++;
		memset(&x, 0, sizeof(x));
		memset(&y, 0, sizeof(y));
		dd_arena_init(&x.arena);
		dd_arena_init(&y.arena);
		if (wn_jsonl_parse_line(tok, line, n, path, 1, &o, &err) != WN_JSONL_OK ||
		    wn_jsonl_parse_value(tok, b.data, b.len, path, 1, &arr, &err) != WN_JSONL_OK) {
			fprintf(stderr, "  %s: a line or its array does not parse: %.80s\n", path, line);
			CHECK(0);
		} else {
			CHECK_INT(dd_features(o, &x.r, 0, &prefs, &scratch, &x.arena, &x.keys, &x.nkeys, &x.keycap, &err), 0);
			CHECK_INT(dd_features_flat(arr, &f, &y.r, 0, &prefs, &scratch, &y.arena, &y.keys, &y.nkeys, &y.keycap, &err), 0);
			if (!same_rec(&x, &y)) {
				fprintf(stderr, "  %s: the records differ: %.80s\n", path, line);
				CHECK(0);
			}
		}
		json_object_put(o);
		json_object_put(arr);
		release(&x);
		release(&y);
	}
	free(line);
	fclose(fp);
	wn_buf_release(&b);
	json_tokener_free(tok);
	return flattened;
}

static void test_same_records(void)
{
	/* (all their lines are of the ordinary kind, so all are flattened) */
	CHECK_INT((int)same_records("../../data/dedup/haematology.jsonl"), 1415);
	CHECK(same_records("../../data/dedup/cytology.jsonl") > 1000);
	CHECK(same_records("../../data/dedup/special_cases.jsonl") > 10);
}

int main(void)
{
	dd_scratch_init(&scratch);
	RUN(test_field_index);
	RUN(test_flattened);
	RUN(test_left_alone);
	RUN(test_same_verdict);
	RUN(test_same_records);
	dd_scratch_release(&scratch);
	return wn_test_report();
}
