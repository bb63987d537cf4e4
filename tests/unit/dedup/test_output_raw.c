/* Unit tests: what output.c assumes of json-c when it writes a kept record's abstract
 * from its line instead of from the string json-c read (raw_abstract_to_json): JSON
 * string text - checked by the skim: no byte below 0x20, no bare quote or backslash -
 * whose escapes are only \" \\ \b \f \n \r \t is written back by wn_json_compact exactly
 * as it was read: every other byte from 0x20 up, '/', 0x7F and UTF-8 as they are. An
 * escape \/ or \uXXXX is not (output.c leaves such an abstract to json-c). Should another
 * json-c escape otherwise, this fails, not the output. */
#include <stdlib.h>
#include "wn_test.h"
#include "winnow/jsonl.h"

/* text in a string in an object, parsed (strict, as output.c) and written again */
static int rewritten(const char *text, char *got, size_t cap)
{
	json_tokener *tok = json_tokener_new();
	char line[512];
	json_object *o;
	const char *s;
	size_t n;
	int same = -1;

	snprintf(line, sizeof(line), "{\"id\":\"a\",\"abstract\":\"%s\",\"year\":2001}", text);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, line, (int)strlen(line));
	if (o && json_tokener_get_error(tok) == json_tokener_success) {
		s = wn_json_compact(o, &n);
		if (s) {
			snprintf(got, cap, "%.*s", (int)n, s);
			same = n == strlen(line) && memcmp(s, line, n) == 0;
		}
	}
	json_object_put(o);
	json_tokener_free(tok);
	return same;
}

static void test_bytes(void)
{
	char text[8], got[512];
	int c;

	for (c = 0x20; c <= 0x7F; c++) {
		if (c == '"' || c == '\\')
			continue;
		snprintf(text, sizeof(text), "a%cb", c);
		if (rewritten(text, got, sizeof(got)) != 1) {
			fprintf(stderr, "byte 0x%02X written back as %s\n", (unsigned)c, got);
			CHECK(0);
		}
	}
}

static void test_utf8(void)
{
	static const char *const seqs[] = {
		"\xc2\x80", "\xc2\xa0", "\xc3\xa9", "\xdf\xbf", "\xe0\xa0\x80", "\xe2\x80\x94",
		"\xe2\x80\xa8", "\xe2\x80\xa9", "\xed\x9f\xbf", "\xee\x80\x80", "\xef\xbb\xbf",
		"\xef\xbf\xbd", "\xef\xbf\xbf", "\xf0\x90\x80\x80", "\xf0\x9f\x98\x80", "\xf4\x8f\xbf\xbf",
		"\xe4\xb8\xad\xe6\x96\x87 caf\xc3\xa9 \xe2\x80\x9cq\xe2\x80\x9d"
	};
	char text[64], got[512];
	size_t i;

	for (i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++) {
		snprintf(text, sizeof(text), "x%sy", seqs[i]);
		CHECK_INT(rewritten(text, got, sizeof(got)), 1);
	}
}

static void test_escapes(void)
{
	static const char *const same[] = { "\\\"", "\\\\", "\\b", "\\f", "\\n", "\\r", "\\t" };
	char got[512];
	size_t i;

	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		char text[32];
		snprintf(text, sizeof(text), "x%sy", same[i]);
		CHECK_INT(rewritten(text, got, sizeof(got)), 1);
	}
	/* these come back otherwise: such an abstract is left to json-c */
	CHECK_INT(rewritten("a\\/b", got, sizeof(got)), 0);
	CHECK_STR(got, "{\"id\":\"a\",\"abstract\":\"a/b\",\"year\":2001}");
	CHECK_INT(rewritten("caf\\u00e9", got, sizeof(got)), 0);
	CHECK_STR(got, "{\"id\":\"a\",\"abstract\":\"caf\xc3\xa9\",\"year\":2001}");
	CHECK_INT(rewritten("\\u0041", got, sizeof(got)), 0);
	CHECK_STR(got, "{\"id\":\"a\",\"abstract\":\"A\",\"year\":2001}");
	CHECK_INT(rewritten("\\u0008", got, sizeof(got)), 0);
	CHECK_STR(got, "{\"id\":\"a\",\"abstract\":\"\\b\",\"year\":2001}");
	/* all of them at once, the kind output.c does write from the line */
	CHECK_INT(rewritten("\\\"q\\\" back\\\\slash\\ttab\\nnl\\rcr\\fff\\bbs / and/or \x7f \xc3\xa9", got,
			    sizeof(got)), 1);
}

int main(void)
{
	RUN(test_bytes);
	RUN(test_utf8);
	RUN(test_escapes);
	return wn_test_report();
}
