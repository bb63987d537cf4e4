/* Unit tests: skim.c - the abstract cut to one letter before json-c, only when the copy
 * parses exactly when the line does. */
#include <stdlib.h>
#include "wn_test.h"
#include "dd.h"

static char abs_text[300];

/* The line with the given abstract JSON text (inside the quotes), and what follows. */
static const char *line_with(const char *before, const char *abstract, const char *after)
{
	static char line[2048];

	snprintf(line, sizeof(line), "%s\"abstract\":\"%s\"%s", before, abstract, after);
	return line;
}

/* Where the last skim found the abstract's text in its line. */
static size_t last_off, last_len;

/* 1 skimmed (the copy in *copy), 0 left alone, -1 error. A skimmed copy must be the line
 * with the text at the reported place cut to "x" (-3 if not); the place is asked for
 * both ways (NULL is allowed). */
static int skim(const char *line, char *copy, size_t cap)
{
	struct wn_buf b;
	struct wn_err err;
	const char *out;
	size_t n, len = strlen(line), off = 0, alen = 0;
	int rc, rc2;

	wn_buf_init(&b, 0);
	rc2 = dd_skim_line(line, len, &b, &out, &n, NULL, NULL, &err);
	rc = dd_skim_line(line, len, &b, &out, &n, &off, &alen, &err);
	if (rc != rc2)
		rc = -4;
	if (rc == 1) {
		snprintf(copy, cap, "%.*s", (int)n, out);
		if (off == 0 || off + alen >= len || line[off - 1] != '"' || line[off + alen] != '"' ||
		    n != len - alen + 1 || memcmp(out, line, off) != 0 || out[off] != 'x' ||
		    memcmp(out + off + 1, line + off + alen, len - off - alen) != 0)
			rc = -3;
		last_off = off;
		last_len = alen;
	} else if (rc == 0 && (out != line || n != strlen(line))) {
		rc = -2; /* "left alone" must hand back the line itself */
	}
	wn_buf_release(&b);
	return rc;
}

/* Does json-c (strict, as the reader) accept s? */
static int parses(const char *s)
{
	json_tokener *tok = json_tokener_new();
	json_object *o;
	int ok;

	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, s, (int)strlen(s));
	ok = o && json_tokener_get_error(tok) == json_tokener_success &&
	     (size_t)json_tokener_get_parse_end(tok) == strlen(s);
	json_object_put(o);
	json_tokener_free(tok);
	return ok;
}

static void test_skimmed(void)
{
	char copy[2048];
	const char *l = line_with("{\"id\":\"a\",\"title\":\"T\",", abs_text, ",\"year\":2001}");

	CHECK_INT(skim(l, copy, sizeof(copy)), 1);
	CHECK_STR(copy, "{\"id\":\"a\",\"title\":\"T\",\"abstract\":\"x\",\"year\":2001}");
	CHECK(parses(l) && parses(copy));
	/* the place of the text: just after "abstract":" */
	CHECK_INT(last_off, strlen("{\"id\":\"a\",\"title\":\"T\",\"abstract\":\""));
	CHECK_INT(last_len, strlen(abs_text));
	/* escapes JSON allows are fine, \u included */
	{
		char a[700];
		snprintf(a, sizeof(a), "Background \\\"quoted\\\" \\\\ \\/ \\n\\t\\u00e9 %s", abs_text);
		l = line_with("{\"id\":\"a\",", a, "}");
	}
	CHECK_INT(skim(l, copy, sizeof(copy)), 1);
	CHECK_STR(copy, "{\"id\":\"a\",\"abstract\":\"x\"}");
	CHECK(parses(l) && parses(copy));
	/* the place is of the text as written, escapes and all */
	CHECK_INT(last_off, strlen("{\"id\":\"a\",\"abstract\":\""));
	CHECK_INT(last_len, strlen(l) - strlen("{\"id\":\"a\",\"abstract\":\"\"}"));
}

static void test_left_alone(void)
{
	char copy[2048];
	const char *l;

	/* short lines and short abstracts: not worth a copy */
	CHECK_INT(skim("{\"abstract\":\"short\"}", copy, sizeof(copy)), 0);
	l = line_with("{\"id\":\"a\",\"title\":\"a title long enough to make the line long, a title long enough to make the line long, a title long enough to make the line long, a title long enough to make the line long, a title\",", "short", "}");
	CHECK_INT(skim(l, copy, sizeof(copy)), 0);
	/* what json-c would refuse is left for json-c to refuse (and to name); a raw control
	 * character too (json-c lets a tab through: the skim is the stricter of the two) */
	{
		static const char *const bad[] = { "a \\q escape", "a \\u12G4 escape", "a \\u12", "a tab\there", "ends in \\" };
		size_t k;
		for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
			char a[400];
			snprintf(a, sizeof(a), "%s %s", bad[k], abs_text);
			l = line_with("{\"id\":\"a\",", a, "}");
			CHECK_INT(skim(l, copy, sizeof(copy)), 0);
			if (!strchr(bad[k], '\t'))
				CHECK(!parses(l));
		}
	}
	/* the stream reader's own rules: the skimmed copy would hide from it a \u0000 or
	 * bytes that are not UTF-8 in the abstract, so such a line is left whole for it */
	{
		static const char *const hidden[] = { "a \\u0000 escape", "an overlong \xc0\xaf form",
						      "a surrogate \xed\xa0\x80 encoded" };
		size_t k;
		for (k = 0; k < sizeof(hidden) / sizeof(hidden[0]); k++) {
			char a[400];
			snprintf(a, sizeof(a), "%s %s", hidden[k], abs_text);
			l = line_with("{\"id\":\"a\",", a, "}");
			CHECK_INT(skim(l, copy, sizeof(copy)), 0);
		}
		/* an escaped backslash before "u0000" is text, and skimmed as usual */
		{
			char a[400];
			snprintf(a, sizeof(a), "C:\\\\u0000 %s", abs_text);
			l = line_with("{\"id\":\"a\",", a, "}");
			CHECK_INT(skim(l, copy, sizeof(copy)), 1);
		}
	}
	/* an abstract that never ends */
	{
		char l2[1024];
		snprintf(l2, sizeof(l2), "{\"id\":\"a\",\"abstract\":\"%s", abs_text);
		CHECK_INT(skim(l2, copy, sizeof(copy)), 0);
	}
	/* not a member of the record itself: nested, or inside an array */
	l = line_with("{\"id\":\"a\",\"extra\":{", abs_text, "}}");
	CHECK_INT(skim(l, copy, sizeof(copy)), 0);
	l = line_with("{\"id\":\"a\",\"duplicates\":[{", abs_text, "}]}");
	CHECK_INT(skim(l, copy, sizeof(copy)), 0);
	/* the bytes "abstract":" inside a string are no member (its quotes are escaped), and
	 * after a damaged string the structure is unknown: left alone */
	{
		char l2[1024];
		snprintf(l2, sizeof(l2), "{\"title\":\"x \\\"abstract\\\":\\\"%s\\\"\",\"year\":1}", abs_text);
		CHECK_INT(skim(l2, copy, sizeof(copy)), 0);
		CHECK(parses(l2));
		snprintf(l2, sizeof(l2), "{\"title\":\"a\\q\",\"abstract\":\"%s\"}", abs_text);
		CHECK_INT(skim(l2, copy, sizeof(copy)), 0);
	}
	/* not after "{" or ",": a value, not a member name (invalid either way) */
	l = line_with("{\"id\":", abs_text, "}");
	CHECK_INT(skim(l, copy, sizeof(copy)), 0);
	/* the first abstract is the member; json-c then takes the last of two */
	l = line_with("{\"id\":\"a\",", abs_text, ",\"abstract\":\"second\"}");
	CHECK_INT(skim(l, copy, sizeof(copy)), 1);
	CHECK_STR(copy, "{\"id\":\"a\",\"abstract\":\"x\",\"abstract\":\"second\"}");
}

/* Whatever the line, the copy parses exactly when the line does. */
static void test_same_verdict(void)
{
	static const char *const tails[] = {
		"}", ",\"year\":2001}", ",\"year\":}", "", ",}", "}}", ",\"a\":[1,2}", "} x",
		",\"year\":2001,\"t\":\"\\q\"}", ",\"n\":01}"
	};
	size_t k;

	for (k = 0; k < sizeof(tails) / sizeof(tails[0]); k++) {
		char copy[2048];
		const char *l = line_with("{\"id\":\"a\",", abs_text, tails[k]);
		int rc = skim(l, copy, sizeof(copy));
		CHECK(rc == 0 || rc == 1);
		if (rc == 1)
			CHECK_INT(parses(copy), parses(l));
	}
}

/* The scan takes 16 or 8 bytes a step: a byte that must stop it is found at every
 * position of a step, and bytes of 0x80 and above (UTF-8) never stop it. */
static void test_every_position(void)
{
	static const char *const stoppers[] = { "\x01", "\x1f", "\t", "\"" };
	char text[320], copy[2048];
	size_t pos, k;

	for (pos = 0; pos < 80; pos++) {
		const char *l;
		for (k = 0; k < 300; k++)
			text[k] = (char)('a' + k % 26);
		text[300] = '\0'; /* a line of 256 bytes or more is worth skimming */
		/* an escaped quote here is text, not the end: skimmed */
		memcpy(text + pos, "\\\"", 2);
		l = line_with("{\"id\":\"a\",", text, "}");
		CHECK_INT(skim(l, copy, sizeof(copy)), 1);
		/* "\u00e9" written as UTF-8 bytes (0xC3 0xA9): skimmed */
		for (k = 0; k < 300; k++)
			text[k] = (char)('a' + k % 26);
		memcpy(text + pos, "\xc3\xa9", 2);
		l = line_with("{\"id\":\"a\",", text, "}");
		CHECK_INT(skim(l, copy, sizeof(copy)), 1);
		CHECK_STR(copy, "{\"id\":\"a\",\"abstract\":\"x\"}");
		for (k = 0; k < sizeof(stoppers) / sizeof(stoppers[0]); k++) {
			size_t j;
			for (j = 0; j < 300; j++)
				text[j] = (char)('a' + j % 26);
			text[pos] = stoppers[k][0];
			l = line_with("{\"id\":\"a\",", text, "}");
			if (stoppers[k][0] != '"') {
				/* a control character: the line is left to json-c, which rejects it */
				CHECK_INT(skim(l, copy, sizeof(copy)), 0);
			} else if (pos >= 64) {
				/* a quote ends the string right there (64 bytes or more: skimmed);
				 * the rest is left to json-c, which rejects both */
				char want[400];
				snprintf(want, sizeof(want), "{\"id\":\"a\",\"abstract\":\"x\"%s\"}", text + pos + 1);
				CHECK_INT(skim(l, copy, sizeof(copy)), 1);
				CHECK_STR(copy, want);
				CHECK_INT(parses(copy), parses(l));
			}
		}
	}
}

int main(void)
{
	size_t i;

	for (i = 0; i + 1 < sizeof(abs_text); i++)
		abs_text[i] = (char)('a' + i % 26);
	abs_text[sizeof(abs_text) - 1] = '\0';
	RUN(test_skimmed);
	RUN(test_left_alone);
	RUN(test_same_verdict);
	RUN(test_every_position);
	return wn_test_report();
}
