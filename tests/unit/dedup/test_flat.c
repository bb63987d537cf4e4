/* Unit tests: flat.c - a record line read one level deep: its plain values straight
 * from the line, the others as an array for json-c. A line is flattened only when that
 * reading is accepted exactly when the line is, to the same values; the records built
 * from the two (features.c) must be the same, on every record of the dev sets. */
#include <stdlib.h>
#include "wn_test.h"
#include "winnow/hash.h"
#include "winnow/jsonl.h"
#include "dd.h"

static struct dd_scratch scratch;
static const char *const prefer_list[] = { "PubMed", "Embase" };
static struct dd_prefs prefs = { prefer_list, 2, "", NULL };

/* 1 flattened (json-c's array in copy), 0 left alone, -1 error. */
static int flatten(const char *line, char *copy, size_t cap, struct dd_flat *f)
{
	struct wn_err err;
	int rc;

	rc = dd_flatten_line(line, strlen(line), f, &err);
	if (rc == 1)
		snprintf(copy, cap, "%.*s", (int)f->text.len, f->text.data);
	return rc;
}

static int is_str(const struct dd_value *v, const char *want)
{
	return v->type == DD_V_STR && v->n == strlen(want) && memcmp(v->s, want, v->n) == 0 &&
	       v->s[v->n] == '\0';
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

	dd_flat_init(&f);
	CHECK_INT(flatten("{\"id\":\"a\",\"title\":\"T\",\"abstract\":\"Long text.\",\"year\":2001,"
			  "\"authors\":[\"A, B\", \"C, D\"],\"custom\":{\"x\":[1.5,\"]\"]}}", copy, sizeof(copy), &f), 1);
	/* only the value with a number json-c is to read is json-c's */
	CHECK_STR(copy, "[{\"x\":[1.5,\"]\"]}]");
	CHECK_INT((int)f.njson, 1);
	CHECK_INT((int)f.n, 6);
	CHECK_INT(f.field[0], dd_field_index("id", 2));
	CHECK(is_str(&f.val[0], "a"));
	CHECK_INT(f.field[1], dd_field_index("title", 5));
	CHECK(is_str(&f.val[1], "T"));
	CHECK_INT(f.field[2], DD_FIELD_ABSTRACT);
	CHECK(is_str(&f.val[2], "x")); /* read for its presence only */
	CHECK_INT(f.val[3].type, DD_V_INT);
	CHECK(f.val[3].i == 2001);
	CHECK_INT(f.val[4].type, DD_V_ARRAY);
	CHECK_INT((int)f.val[4].n, 2);
	CHECK(f.val[4].items && strcmp(f.val[4].items[0].s, "A, B") == 0 && f.val[4].items[0].len == 4 &&
	      strcmp(f.val[4].items[1].s, "C, D") == 0);
	CHECK_INT(f.field[5], DD_FLAT_OTHER);
	CHECK_INT(f.val[5].type, DD_V_JSON);
	CHECK_INT((int)f.val[5].n, 0);
	CHECK(f.flags & DD_FLAT_UNKNOWN);
	CHECK(reader_ok(copy, 0));
	/* JSON white space anywhere between tokens; a string with an escape is json-c's */
	CHECK_INT(flatten(" \t{ \"id\" : \"a\\u00e9\\n\" ,\r\"year\":null , \"pages\" : \"1-9\" } \t",
			  copy, sizeof(copy), &f), 1);
	CHECK_STR(copy, "[\"a\\u00e9\\n\"]");
	CHECK_INT(f.val[0].type, DD_V_JSON);
	CHECK_INT(f.val[1].type, DD_V_NULL);
	CHECK(is_str(&f.val[2], "1-9"));
	CHECK_INT((int)f.flags, 0);
	/* every value plain: nothing for json-c */
	CHECK_INT(flatten("{\"origin\":{\"file\":\"a.ris\",\"index\":1},\"title\":\"\",\"extra\":{\"pii\":\"S1\","
			  "\"n\":null,\"t\":true,\"f\":false,\"tags\":[\"a\",\"b\"],\"e\":[],\"o\":-3},"
			  "\"abstract\":\"\",\"mesh\":[ ],\"x\":\"y\",\"z\":[\"q\"]}", copy, sizeof(copy), &f), 1);
	CHECK_INT((int)f.njson, 0);
	CHECK_STR(copy, "[]");
	CHECK_INT(f.val[0].type, DD_V_OTHER);
	CHECK(is_str(&f.val[1], ""));
	CHECK_INT(f.val[2].type, DD_V_OTHER);
	CHECK(is_str(&f.val[3], "")); /* an empty abstract is no abstract */
	CHECK_INT(f.val[4].type, DD_V_ARRAY);
	CHECK_INT((int)f.val[4].n, 0);
	CHECK_INT(f.val[5].type, DD_V_OTHER); /* unknown names: checked, not read */
	CHECK_INT(f.val[6].type, DD_V_OTHER);
	/* integers json-c reads to the same int64; other numbers are json-c's */
	CHECK_INT(flatten("{\"year\":-12,\"volume\":0,\"issue\":123456789012345678,\"pages\":1234567890123456789,"
			  "\"pmid\":2001.0,\"pmcid\":1e3,\"isbn\":-0}", copy, sizeof(copy), &f), 1);
	CHECK(f.val[0].type == DD_V_INT && f.val[0].i == -12);
	CHECK(f.val[1].type == DD_V_INT && f.val[1].i == 0);
	CHECK(f.val[2].type == DD_V_INT && f.val[2].i == 123456789012345678LL);
	CHECK_INT(f.val[3].type, DD_V_JSON);
	CHECK_INT(f.val[4].type, DD_V_JSON);
	CHECK_INT(f.val[5].type, DD_V_JSON);
	CHECK(f.val[6].type == DD_V_INT && f.val[6].i == 0);
	CHECK_STR(copy, "[1234567890123456789,2001.0,1e3]");
	CHECK(reader_ok(copy, 0));
	/* an array with an item that is no plain string, or an object nested deeper, is
	 * json-c's whole; the items read before stay unused */
	CHECK_INT(flatten("{\"authors\":[\"A\",\"B\\\"C\"],\"mesh\":[\"m\",2],\"extra\":{\"a\":{\"b\":{\"c\":{\"d\":1}}}},"
			  "\"keywords\":[\"k\"],\"notices\":[{\"type\":\"CommentIn\",\"pmid\":\"1\"},{\"a\":[1,null]}],"
			  "\"origin\":{\"a\":{\"b\":{\"c\":1}}},\"language\":\"a\\u00e9\",\"publisher\":null}",
			  copy, sizeof(copy), &f), 1);
	CHECK_STR(copy, "[[\"A\",\"B\\\"C\"],[\"m\",2],{\"a\":{\"b\":{\"c\":{\"d\":1}}}},\"a\\u00e9\"]");
	CHECK_INT(f.val[0].type, DD_V_JSON);
	CHECK_INT(f.val[1].type, DD_V_JSON); /* (a field read: only strings are plain items) */
	CHECK_INT(f.val[2].type, DD_V_JSON); /* nested deeper than plain values go */
	CHECK(f.val[3].type == DD_V_ARRAY && f.val[3].n == 1 && strcmp(f.val[3].items[0].s, "k") == 0);
	/* fields never read: any plain value is only checked, null noted */
	CHECK_INT(f.val[4].type, DD_V_OTHER);
	CHECK_INT(f.val[5].type, DD_V_OTHER);
	CHECK_INT(f.val[6].type, DD_V_JSON);
	CHECK_INT(f.val[7].type, DD_V_NULL);
	/* an unknown name may come twice (json-c keeps the last; neither is read here) */
	CHECK_INT(flatten("{\"x\":1,\"x\":2,\"id\":\"a\"}", copy, sizeof(copy), &f), 1);
	CHECK_STR(copy, "[]");
	/* an abstract that is no string is read as such; one with escapes is present */
	CHECK_INT(flatten("{\"abstract\":[\"a\",\"b\"]}", copy, sizeof(copy), &f), 1);
	CHECK_INT(f.val[0].type, DD_V_ARRAY);
	CHECK_INT(flatten("{\"abstract\":\"\\n\"}", copy, sizeof(copy), &f), 1);
	CHECK(is_str(&f.val[0], "x"));
	dd_flat_release(&f);
	/* an empty array before any item was ever read: no items, no pointer made up */
	dd_flat_init(&f);
	CHECK_INT(flatten("{\"mesh\":[],\"id\":\"a\"}", copy, sizeof(copy), &f), 1);
	CHECK(f.val[0].type == DD_V_ARRAY && f.val[0].n == 0 && f.val[0].items == NULL);
	dd_flat_release(&f);
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
		"{\"title\":\"\xc0\xaf\"}", "{\"x\":[\"\xed\xa0\x80\"]}",          /* values that are not UTF-8 */
		"{\"abstract\":\"a\xff\"}",
		"{\"x\":[\"a\"}",                                                 /* brackets */
	};
	char copy[4096];
	struct dd_flat f;
	size_t k;

	dd_flat_init(&f);

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
	dd_flat_release(&f);
}

/* The verdict on a flattened line: its plain values passed here, so json-c's on the
 * rest (1 when nothing is left to json-c). */
static int flat_ok(const struct dd_flat *f, const char *copy)
{
	return f->njson == 0 || reader_ok(copy, 0);
}

/* Lines the flattener reads whose values json-c refuses: the array is refused too, and
 * so is the line (the reader then reads the line itself, for its message); and lines
 * of plain values that json-c accepts. */
static void test_same_verdict(void)
{
	static const char *const lines[] = {
		"{\"x\":[\"a\",]}", "{\"x\":{\"a\":1,}}", "{\"x\":[\"a\" \"b\"]}", "{\"x\":{\"a\" 1}}",
		"{\"x\":{\"a\":1 \"b\":2}}", "{\"x\":{\"a\":01}}", "{\"x\":{\"a\":tru}}", "{\"x\":[,]}",
		"{\"x\":{,}}", "{\"x\":{\"a\":1]}", "{\"x\":{\"a\":}}", "{\"x\":{:1}}", "{\"x\":{1:1}}", "{\"x\":[\"a\"]]}",
		"{\"year\":-0}", "{\"x\":{\"a\":true,\"b\":false,\"c\":null,\"d\":[],\"e\":\"\"}}",
		"{\"x\":[]}", "{\"x\":{}}", "{\"x\" : { \"a\" : [ \"b\" , \"c\" ] } }",
		"{\"year\":999999999999999999}", "{\"year\":-999999999999999999}",
		"{\"id\":tru}", "{\"id\":[1}}", "{\"id\":{\"a\" 1}}", "{\"year\":01}",
		"{\"year\":1.}", "{\"year\":-}", "{\"id\":[1,]}", "{\"x\":{\"a\":1,}}",
		"{\"year\":2001,\"id\":\"a\"}", "{\"year\":1e5}", "{\"x\":[[[[]]]]}",
		"{\"x\":{\"a\":\"\\ud800\"}}", "{\"x\":\"\xc0\xaf\"}", "{\"x\":[\"a\\u0000\"]}",
		"{\"x\":[\"\xed\xa0\x80\"]}", "{\"x\":nul}", "{\"x\":NaN}", "{\"x\":Infinity}",
	};
	char copy[1024];
	struct dd_flat f;
	size_t k, refused = 0, plain = 0;

	dd_flat_init(&f);
	for (k = 0; k < sizeof(lines) / sizeof(lines[0]); k++) {
		int rc = flatten(lines[k], copy, sizeof(copy), &f);
		CHECK(rc >= 0);
		if (rc == 1 && flat_ok(&f, copy) != reader_ok(lines[k], 1)) {
			fprintf(stderr, "  verdicts differ: %s (line %d) -> %s (flat %d)\n", lines[k],
				reader_ok(lines[k], 1), copy, flat_ok(&f, copy));
			CHECK(0);
		}
		refused += rc == 1 && !flat_ok(&f, copy);
		plain += rc == 1 && f.njson == 0;
	}
	/* both kinds must have been flattened, or this test checks nothing */
	CHECK(refused >= 20);
	CHECK(plain >= 6);
	CHECK_INT(flatten("{\"id\":tru}", copy, sizeof(copy), &f), 1);
	CHECK(!reader_ok(copy, 0) && !reader_ok("{\"id\":tru}", 1));
	dd_flat_release(&f);
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
static size_t same_records(const char *path, size_t *all_plain)
{
	FILE *fp = fopen(path, "rb");
	char *line = NULL;
	size_t cap = 0, flattened = 0;
	ssize_t got;
	struct dd_flat f;
	json_tokener *tok = json_tokener_new();

	CHECK(fp != NULL);
	if (!fp)
		return 0;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	dd_flat_init(&f);
	while ((got = getline(&line, &cap, fp)) > 0) {
		struct built x, y;
		struct wn_err err;
		json_object *o = NULL, *arr = NULL;
		size_t n = (size_t)got;

		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		if (dd_flatten_line(line, n, &f, &err) != 1)
			continue;
		flattened++;
		*all_plain += f.njson == 0;
		memset(&x, 0, sizeof(x));
		memset(&y, 0, sizeof(y));
		dd_arena_init(&x.arena);
		dd_arena_init(&y.arena);
		if (wn_jsonl_parse_line(tok, line, n, path, 1, &o, &err) != WN_JSONL_OK ||
		    (f.njson && wn_jsonl_parse_value(tok, f.text.data, f.text.len, path, 1, &arr, &err) != WN_JSONL_OK)) {
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
	dd_flat_release(&f);
	json_tokener_free(tok);
	return flattened;
}

/* --keep-apart: the value found by dd_apart_flat on the flattened line is the one
 * dd_features finds in the record object. Returns the flat one. */
static uint64_t apart_both(const char *line, const char *field)
{
	static const char *const none[] = { NULL };
	struct dd_prefs ap = { none, 0, "", NULL };
	const char *dot = strchr(field, '.');
	struct dd_flat f;
	struct built x, y;
	struct wn_err err;
	json_tokener *tok = json_tokener_new();
	json_object *o = NULL, *arr = NULL;
	uint64_t flat_apart = 0;
	size_t n = strlen(line);

	snprintf(ap.apart_top, sizeof(ap.apart_top), "%.*s", (int)(dot ? (size_t)(dot - field) : strlen(field)), field);
	ap.apart_sub = dot ? dot + 1 : NULL;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	dd_flat_init(&f);
	memset(&x, 0, sizeof(x));
	memset(&y, 0, sizeof(y));
	dd_arena_init(&x.arena);
	dd_arena_init(&y.arena);
	CHECK_INT(dd_flatten_line(line, n, &f, &err), 1);
	CHECK_INT(wn_jsonl_parse_line(tok, line, n, "t", 1, &o, &err), WN_JSONL_OK);
	if (f.njson)
		CHECK_INT(wn_jsonl_parse_value(tok, f.text.data, f.text.len, "t", 1, &arr, &err), WN_JSONL_OK);
	CHECK_INT(dd_features(o, &x.r, 0, &ap, &scratch, &x.arena, &x.keys, &x.nkeys, &x.keycap, &err), 0);
	CHECK_INT(dd_features_flat(arr, &f, &y.r, 0, &ap, &scratch, &y.arena, &y.keys, &y.nkeys, &y.keycap, &err), 0);
	CHECK_INT(dd_apart_flat(line, &f, arr, &ap, tok, &scratch.apart, &flat_apart, &err), 0);
	if (flat_apart != x.r.apart) {
		fprintf(stderr, "  --keep-apart %s differs: %s\n", field, line);
		CHECK(0);
	}
	json_object_put(o);
	json_object_put(arr);
	release(&x);
	release(&y);
	dd_flat_release(&f);
	json_tokener_free(tok);
	return flat_apart;
}

static void test_apart(void)
{
	uint64_t old = wn_hash64("old", 3);

	CHECK(apart_both("{\"id\":\"a\",\"extra\":{\"search_set\":\"old\"}}", "extra.search_set") == old);
	CHECK(apart_both("{\"extra\":{\"search_set\":\"ol\\u0064\",\"n\":1.5},\"id\":\"a\"}", "extra.search_set") == old);
	CHECK(apart_both("{\"extra\":{\"search_set\":12}}", "extra.search_set") == wn_hash64("12", 2));
	CHECK(apart_both("{\"extra\":{\"a\":{\"b\":{\"c\":{\"d\":1}}},\"search_set\":\"old\"}}", "extra.search_set") == old);
	CHECK(apart_both("{\"extra\":{\"other\":\"old\"}}", "extra.search_set") == 0);
	CHECK(apart_both("{\"extra\":\"old\"}", "extra.search_set") == 0);
	CHECK(apart_both("{\"extra\":{\"search_set\":[\"old\"]}}", "extra.search_set") == 0);
	CHECK(apart_both("{\"extra\":{\"search_set\":null}}", "extra.search_set") == 0);
	CHECK(apart_both("{\"id\":\"a\"}", "extra.search_set") == 0);
	/* a top-level name, unknown here, given twice: json-c keeps the last */
	CHECK(apart_both("{\"batch\":\"x\",\"id\":\"a\",\"batch\":\"old\"}", "batch") == old);
	CHECK(apart_both("{\"batch\":\"\\u006fld\"}", "batch") == old);
	CHECK(apart_both("{\"batch\":7}", "batch") == wn_hash64("7", 1));
	CHECK(apart_both("{\"batch\":{\"old\":1}}", "batch") == 0);
	/* a field this stage reads itself */
	CHECK(apart_both("{\"source\":\"old\",\"title\":\"T\"}", "source") == old);
}

static void test_same_records(void)
{
	size_t plain = 0;

	/* (all their lines are of the ordinary kind, so all are flattened; most have no
	 * value for json-c, some have: both ways are compared) */
	CHECK_INT((int)same_records("../../data/dedup/haematology.jsonl", &plain), 1415);
	fprintf(stderr, "  haematology: %zu of 1415 lines with every value plain\n", plain);
	CHECK(plain > 700 && plain < 1415);
	CHECK(same_records("../../data/dedup/cytology.jsonl", &plain) > 1000);
	CHECK(same_records("../../data/dedup/special_cases.jsonl", &plain) > 10);
}

int main(void)
{
	dd_scratch_init(&scratch);
	RUN(test_field_index);
	RUN(test_flattened);
	RUN(test_left_alone);
	RUN(test_same_verdict);
	RUN(test_apart);
	RUN(test_same_records);
	dd_scratch_release(&scratch);
	return wn_test_report();
}
