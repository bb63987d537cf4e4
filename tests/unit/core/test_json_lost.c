/* Unit tests: wn_json_lost_values (jsonl.c), the check that notices a member or element
 * json-c 0.16 left out of a parsed tree when an allocation failed (docs/robustness.md). */
#include <string.h>
#include "wn_test.h"
#include "winnow/jsonl.h"

static json_object *parse(const char *s)
{
	json_tokener *tok = json_tokener_new();
	json_object *o;

	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, s, (int)strlen(s));
	json_tokener_free(tok);
	return o;
}

/* A whole parse is never taken for a loss, whatever the text holds. */
static void test_whole_trees_agree(void)
{
	static const char *const texts[] = {
		"{}", "[]", "0 ", "-1.5e3 ", "true ", "null ", "\"x\"",
		"{\"a\":1,\"b\":[1,2,{\"c\":null}],\"d\":{}}",
		"[[],[[]],{},\"\",0,false]",
		/* structure characters inside strings and escaped quotes */
		"{\"k,:}\":\"v]{,\\\"\",\"q\\\\\":[\"a,b\",\"}\"]}",
		" { \"a\" : [ 1 , 2 ] , \"b\" : { \"c\" : true } } ",
		"{\"removed_by_source\":{\"Embase\":15,\"CINAHL\":10},\"maybe_pairs\":0}",
	};
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		json_object *o = parse(texts[i]);
		CHECK(o != NULL || strcmp(texts[i], "null ") == 0);
		CHECK_INT(wn_json_lost_values(o, texts[i], strlen(texts[i])), 0);
		json_object_put(o);
	}
}

/* What json-c does when its table cannot grow: the member is simply not there. */
static void test_member_left_out_is_noticed(void)
{
	const char *t = "{\"removed\":25,\"removed_by_source\":{\"Embase\":15,\"CINAHL\":10},\"maybe_pairs\":0}";
	json_object *o = parse(t), *by;

	CHECK(o != NULL);
	json_object_object_del(o, "removed_by_source");
	CHECK_INT(wn_json_lost_values(o, t, strlen(t)), 1);
	json_object_put(o);

	o = parse(t);
	CHECK(json_object_object_get_ex(o, "removed_by_source", &by));
	json_object_object_del(by, "CINAHL"); /* one level down */
	CHECK_INT(wn_json_lost_values(o, t, strlen(t)), 1);
	json_object_put(o);
}

static void test_element_left_out_is_noticed(void)
{
	const char *t = "{\"ids\":[\"a\",\"b\",\"c\"]}";
	json_object *o = parse(t), *a;

	CHECK(json_object_object_get_ex(o, "ids", &a));
	CHECK(json_object_array_del_idx(a, 1, 1) == 0);
	CHECK_INT(wn_json_lost_values(o, t, strlen(t)), 1);
	json_object_put(o);
}

/* What json-c 0.16 does when a string's buffer cannot grow: it goes on with what it
 * has, and the string is shorter - no value is missing, only bytes. */
static void test_string_cut_short_is_noticed(void)
{
	const char *t = "{\"title\":\"Pharmacokinetics of a drug\",\"year\":2001}";
	const char *esc = "{\"t\":\"a\\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\ude00 end\"}";
	json_object *o = parse(t), *cut;

	CHECK(o != NULL);
	cut = json_object_new_string("Pharmacokinetics");
	CHECK(json_object_object_add(o, "title", cut) == 0);
	CHECK_INT(wn_json_lost_values(o, t, strlen(t)), 1);
	json_object_put(o);
	/* a key cut short */
	o = parse("{\"titl\":\"Pharmacokinetics of a drug\",\"year\":2001}");
	CHECK_INT(wn_json_lost_values(o, t, strlen(t)), 1);
	json_object_put(o);
	/* escapes: the whole tree is never taken for a loss, a byte less is */
	o = parse(esc);
	CHECK(o != NULL);
	CHECK_INT(wn_json_lost_values(o, esc, strlen(esc)), 0);
	json_object_put(o);
	o = parse("{\"t\":\"a\\\"b\\\\c\\/d\\n\"}");
	CHECK_INT(wn_json_lost_values(o, esc, strlen(esc)), 1);
	json_object_put(o);
}

/* A key given twice is the text's doing (json-c keeps the last value), not a loss. */
static void test_duplicate_keys_are_not_a_loss(void)
{
	const char *t = "{\"a\":1,\"b\":2,\"a\":3}";
	const char *s2 = "{\"a\":\"a long first value\",\"b\":2,\"a\":\"x\"}";
	json_object *o = parse(t);

	CHECK(o != NULL);
	CHECK_INT(json_object_object_length(o), 2);
	CHECK_INT(wn_json_lost_values(o, t, strlen(t)), 0);
	json_object_put(o);
	/* the string bytes of the value left behind are not a loss either */
	o = parse(s2);
	CHECK(o != NULL);
	CHECK_INT(wn_json_lost_values(o, s2, strlen(s2)), 0);
	json_object_put(o);
}

/* The text count: members plus elements at every depth, strings jumped over whole. */
static void test_text_values_counts(void)
{
	static const struct { const char *t; uint64_t n; } cases[] = {
		{ "{}", 0 },
		{ "[]", 0 },
		{ "{\"a\":1}", 1 },
		{ "[1,\"x\",null,[],{}]", 5 },
		{ "{\"a\":[1,2,{\"b\":[true]}],\"c\":\"d\"}", 7 },
		{ "{\"k:,[\":\"v\\\"],{\"}", 1 },       /* structure inside a string */
		{ "{\"q\":\"\\\\\",\"r\":2}", 2 },      /* a string ending in an escaped \\ */
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_object *o = parse(cases[i].t);
		CHECK(o != NULL);
		CHECK_INT((long)wn_json_text_values(cases[i].t, strlen(cases[i].t)), (long)cases[i].n);
		CHECK_INT((long)wn_json_tree_values(o), (long)cases[i].n);
		json_object_put(o);
	}
}

/* \u0000 would be cut off by every C-string reader of the record: the line is bad, and
 * says why; an escaped backslash followed by "u0000" is ordinary text. */
static void test_nul_escape_makes_a_bad_line(void)
{
	json_tokener *tok = json_tokener_new();
	const char *bad = "{\"title\":\"Pharmaco\\u0000kinetics\"}";
	const char *bad2 = "{\"t\":\"a\\\\\\u0000b\"}";   /* \\ then \u0000 */
	const char *fine = "{\"title\":\"C:\\\\u0000\"}";    /* \\ then u0000 */
	json_object *o = NULL;
	struct wn_err err;

	CHECK(tok != NULL);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	wn_err_clear(&err);
	CHECK_INT(wn_jsonl_parse_line(tok, bad, strlen(bad), "in.jsonl", 7, &o, &err), WN_JSONL_BAD);
	CHECK(o == NULL);
	CHECK(strstr(err.msg, "'in.jsonl' line 7") != NULL);
	CHECK(strstr(err.msg, "NUL") != NULL);
	wn_err_clear(&err);
	CHECK_INT(wn_jsonl_parse_line(tok, bad2, strlen(bad2), "in.jsonl", 8, &o, &err), WN_JSONL_BAD);
	wn_err_clear(&err);
	CHECK_INT(wn_jsonl_parse_line(tok, fine, strlen(fine), "in.jsonl", 9, &o, &err), WN_JSONL_OK);
	CHECK(o != NULL);
	CHECK_STR(json_object_get_string(json_object_object_get(o, "title")), "C:\\u0000");
	json_object_put(o);
	{
		/* every backslash is looked at: an escaped one before a real escape, one that
		 * is not followed by "u0000", and an escape that ends the text */
		const char *later = "{\"t\":\"C:\\\\u0000 \\n \\u0000\"}";
		const char *last = "[\"\\u0000";
		const char *near = "{\"t\":\"\\u000A \\u00000\"}"; /* \u000A, then \u0000 + "0" */
		wn_err_clear(&err);
		CHECK_INT(wn_jsonl_parse_line(tok, later, strlen(later), "in.jsonl", 10, &o, &err), WN_JSONL_BAD);
		CHECK(strstr(err.msg, "NUL") != NULL);
		wn_err_clear(&err);
		CHECK_INT(wn_jsonl_parse_value(tok, last, strlen(last), "in.jsonl", 11, &o, &err), WN_JSONL_BAD);
		CHECK(strstr(err.msg, "NUL") != NULL);
		wn_err_clear(&err);
		CHECK_INT(wn_jsonl_parse_line(tok, near, strlen(near), "in.jsonl", 12, &o, &err), WN_JSONL_BAD);
		CHECK(strstr(err.msg, "NUL") != NULL);
	}
	json_tokener_free(tok);
}

int main(void)
{
	RUN(test_text_values_counts);
	RUN(test_nul_escape_makes_a_bad_line);
	RUN(test_whole_trees_agree);
	RUN(test_member_left_out_is_noticed);
	RUN(test_element_left_out_is_noticed);
	RUN(test_string_cut_short_is_noticed);
	RUN(test_duplicate_keys_are_not_a_loss);
	return wn_test_report();
}
