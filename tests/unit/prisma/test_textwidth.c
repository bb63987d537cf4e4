/* Unit tests: textwidth.c (the conservative width table and word wrapping). */
#include <stdlib.h>
#include "wn_test.h"
#include "winnow/textwidth.h"

static double w(const char *s)
{
	return wn_textwidth(s, strlen(s), 0, 1000.0);
}

static void test_widths(void)
{
	/* per 1000 em, with the 3 % margin: never narrower than DejaVu Sans or Helvetica */
	CHECK_NEAR(w(" "), 318 * 1.03, 0.01);
	CHECK_NEAR(w("m"), 975 * 1.03, 0.01);
	CHECK_NEAR(w("W"), 989 * 1.03, 0.01);
	CHECK_NEAR(w("mW"), (975 + 989) * 1.03, 0.01);
	CHECK(wn_textwidth("abc", 3, 1, 14) > wn_textwidth("abc", 3, 0, 14)); /* bold is wider */
	CHECK_NEAR(wn_textwidth("i", 1, 0, 14), 278 * 14 / 1000.0 * 1.03, 1e-9);
	/* Latin-1 from the table, anything else a full em, combining marks nothing */
	CHECK_NEAR(w("\xc3\xa9"), 616 * 1.03, 0.01);         /* é */
	CHECK_NEAR(w("\xe4\xb8\xad"), 1000 * 1.03, 0.01);    /* 中 */
	CHECK_NEAR(w("e\xcc\x81"), 616 * 1.03, 0.01);        /* e + combining acute */
	CHECK_NEAR(w("\xff"), 1000 * 1.03, 0.01);            /* invalid byte */
	CHECK_NEAR(w(""), 0, 1e-9);
}

static void test_wrap(void)
{
	struct wn_textlines t;
	struct wn_err err;
	size_t i;
	const char *s = "Records marked as ineligible by automation tools (n\xc2\xa0=\xc2\xa0" "12)";
	double max = 150;

	wn_textlines_init(&t);
	CHECK(wn_textwidth_wrap(s, max, max, 0, 14, &t, &err) == 0);
	CHECK(t.n >= 2);
	for (i = 0; i < t.n; i++)
		CHECK(wn_textwidth(t.line[i], strlen(t.line[i]), 0, 14) <= max);
	/* the count stays together (no-break spaces) on the last line */
	CHECK_STR(t.line[t.n - 1] + strlen(t.line[t.n - 1]) - strlen("(n\xc2\xa0=\xc2\xa0" "12)"),
		  "(n\xc2\xa0=\xc2\xa0" "12)");
	wn_textlines_release(&t);

	/* a word wider than the line is broken between characters, nothing lost */
	wn_textlines_init(&t);
	CHECK(wn_textwidth_wrap("Supercalifragilisticexpialidocious", 60, 60, 0, 14, &t, &err) == 0);
	CHECK(t.n > 2);
	{
		char joined[128] = "";
		for (i = 0; i < t.n; i++) {
			CHECK(wn_textwidth(t.line[i], strlen(t.line[i]), 0, 14) <= 60);
			strncat(joined, t.line[i], sizeof(joined) - strlen(joined) - 1);
		}
		CHECK_STR(joined, "Supercalifragilisticexpialidocious");
	}
	wn_textlines_release(&t);

	/* a hanging indent: the first line may be wider than the rest */
	wn_textlines_init(&t);
	CHECK(wn_textwidth_wrap("aaa bbb ccc ddd", 100, 40, 0, 14, &t, &err) == 0);
	CHECK_INT(t.n, 2);
	CHECK_STR(t.line[0], "aaa bbb ccc");
	CHECK_STR(t.line[1], "ddd");
	wn_textlines_release(&t);

	/* multi-byte characters are never cut in half; white space runs collapse */
	wn_textlines_init(&t);
	CHECK(wn_textwidth_wrap("  \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9   \xe4\xb8\xad\xe4\xb8\xad  ", 20, 20, 0, 14, &t, &err) == 0);
	for (i = 0; i < t.n; i++) {
		size_t n = strlen(t.line[i]);
		CHECK(n > 0);
		CHECK(((unsigned char)t.line[i][n - 1] & 0xC0) != 0xC0); /* not a dangling lead byte */
		CHECK(t.line[i][0] != ' ');
	}
	wn_textlines_release(&t);

	/* empty text: one empty line */
	wn_textlines_init(&t);
	CHECK(wn_textwidth_wrap("", 100, 100, 0, 14, &t, &err) == 0);
	CHECK_INT(t.n, 1);
	CHECK_STR(t.line[0], "");
	wn_textlines_release(&t);
}

int main(void)
{
	RUN(test_widths);
	RUN(test_wrap);
	return wn_test_report();
}
